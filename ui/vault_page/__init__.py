"""The Vault page: where the vault lives, how it is encrypted, backup, passphrase change."""

from .vault_page import VaultPage

__all__ = ["VaultPage"]
