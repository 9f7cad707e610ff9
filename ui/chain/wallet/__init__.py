"""The Wallet page, by component: words and the history's model (models), its table
(delegates), Receive (dialogs) and the page."""

from .page import WalletPage

__all__ = ["WalletPage"]
