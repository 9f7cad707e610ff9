"""What the embedded chain is, said where BTK are shown: a local test chain.

A new vault holds BTK on the embedded chain at once; without this a newcomer would not
know that they are test tokens from a welcome grant, that each data folder has its own
chain, or how to move to a shared network.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from vault.chain.networks import FAUCET_GRANT_BTK, FAUCET_GRANT_ETH, LOCAL_CHAIN_TEXT
from vault.chain.units import format_units

from ..widgets.labels import text_label


def welcome_grant() -> str:
    return f"{format_units(FAUCET_GRANT_BTK, 'BTK')} and {format_units(FAUCET_GRANT_ETH, 'ETH')}"


def local_chain_explanation() -> str:
    return (f"Welcome grant on the local test chain: {welcome_grant()}, given once to each account of this "
            "vault by the chain's faucet, to try sending, staking, voting and a gig. The chain lives in this "
            "data folder: another folder, or this vault restored elsewhere from its recovery phrase, starts a "
            "chain of its own with a new grant, and nothing done here carries over. To use a shared network, "
            "choose it in Settings → Network (or run: vault chain use rpc URL --manifest F).")


class LocalChainNotice(QFrame):
    """Shown while the page's network is the embedded chain (``show_for``)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("walletDetail")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(4)
        self.title = text_label(LOCAL_CHAIN_TEXT, name="walletDetailTitle")
        self.body = text_label(local_chain_explanation(), name="hintLabel", selectable=True)
        lay.addWidget(self.title)
        lay.addWidget(self.body)
        self.setAccessibleName(LOCAL_CHAIN_TEXT)
        self.hide()

    def show_for(self, embedded: bool) -> None:
        self.setVisible(bool(embedded))
