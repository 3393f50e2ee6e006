"""keyvault: a signing service whose secret keys live only in pages of their
own vkey (the paper's OpenSSL private-key isolation case)."""

# Loaded on first use (PEP 562), so that ``mpk``'s argument parser, which
# imports every subcommand's cli module, loads none of their engines.
_EXPORTS = {name: ".vault" for name in ("Vault", "VaultError")}


def __getattr__(name: str):
    if name in _EXPORTS:
        from importlib import import_module

        value = getattr(import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Vault", "VaultError"]
