"""The process-wide link-time symbols through which the library's compiled
code finds what it allocates at run time (its tables, mailbox, fault record,
gates).  Cached machine code names these symbols and LLVM resolves them when
the code is loaded, so a symbol bound to a second address would send the
first copy's code to the second copy's memory.  Each is bound once."""

from __future__ import annotations

import llvmlite.binding as _llvm

from libmpk.sandbox.errors import LoadError  # (absolute: a second copy raises the first's class)


def bind(name: str, address: int) -> None:
    """Bind ``name`` to ``address`` for every later load of compiled code;
    :class:`LoadError` if it is bound already to another address (a second
    copy of the library in this process)."""
    bound = _llvm.address_of_symbol(name)
    if bound and bound != address:
        raise LoadError(
            f"the library's symbol {name} is bound to {bound:#x} already, not {address:#x}: "
            "a second copy of the library is loading into this process"
        )
    _llvm.add_symbol(name, address)
