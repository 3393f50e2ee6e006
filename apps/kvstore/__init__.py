"""kvstore: a memcached-compatible store whose item memory is slab pages
owned by vkeys (the paper's Memcached case)."""

# Loaded on first use (PEP 562), so that ``mpk``'s argument parser, which
# imports every subcommand's cli module, loads none of their engines.
_EXPORTS = {name: ".store" for name in ("Store", "StoreError")}


def __getattr__(name: str):
    if name in _EXPORTS:
        from importlib import import_module

        value = getattr(import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Store", "StoreError"]
