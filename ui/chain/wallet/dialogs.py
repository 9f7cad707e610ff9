"""The Wallet page's dialog: Receive, the account's address as text and as a QR code."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ...identity.dialogs import QrTextDialog
from ...widgets import page_subtitle


class ReceiveDialog(QrTextDialog):
    """The account's address as text (Copy) and as a QR code.

    The QR holds the plain checksummed address, as the Identity page's does: every wallet
    and phone camera reads it, it is the same account on every network (an EIP-681
    ``ethereum:…@chain`` URI would name the embedded chain's private chain id, which other
    wallets do not know), and it pastes as is into a Send form, this app's included."""

    def __init__(self, address: str, network: str, parent: QWidget | None = None):
        super().__init__("Receive BTK or ETH", address, "Address", parent)
        self.setObjectName("receiveDialog")
        self.address = address
        note = page_subtitle(
            f"Give this address to whoever pays you, or let them scan the code. It is your account "
            f"on every network: make sure they send on the same network as you ({network or 'this one'}).")
        note.setMaximumWidth(max(self.pixmap.width(), 420))
        self.layout().insertWidget(1, note)
