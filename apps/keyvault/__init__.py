"""keyvault: a signing service whose secret keys live only in pages of their
own vkey (the paper's OpenSSL private-key isolation case)."""

from libmpk.lazy import lazy_attributes

__all__ = ["Vault", "VaultError"]
# Loaded on first use: mpk's argument parser imports every subcommand's cli
# module, and should load none of their engines.
__getattr__ = lazy_attributes(__name__, dict.fromkeys(__all__, ".vault"))
