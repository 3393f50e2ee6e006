"""The ``mpk`` command line: one entry point over every layer."""
