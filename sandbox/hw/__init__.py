"""The hardware layer: the only code that issues system calls, executes PKRU
instructions or installs signal handlers.  Everything above it speaks in
vkeys and page groups.
"""
