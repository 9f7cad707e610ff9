"""The Settings page: auto-lock, passphrase and key derivation, backup, trust list,
network and theme."""

from .page import SettingsPage

__all__ = ["SettingsPage"]
