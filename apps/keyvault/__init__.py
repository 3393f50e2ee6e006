"""keyvault: a signing service whose secret keys live only in pages of their
own vkey (the paper's OpenSSL private-key isolation case)."""

from .vault import Vault, VaultError

__all__ = ["Vault", "VaultError"]
