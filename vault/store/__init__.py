"""SQLCipher-backed encrypted store."""

from .kdf import KdfParams
from .vault_store import VaultStore

__all__ = ["KdfParams", "VaultStore"]
