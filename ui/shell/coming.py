"""Pages of features that are not here yet: what each will do, and that it is not
available. Nothing on them can be clicked."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ..widgets import scrolling_page, section_title

COMING = {
    "Wallet": (
        "Your BTK and ETH, on the network you choose in Settings.",
        ["Balances of every account derived from your recovery phrase",
         "Send and receive BTK and ETH, with a preview of amount, gas and fee before you sign",
         "Transaction history, kept in the vault; pending transactions picked up again after "
         "a restart"]),
    "Staking": (
        "Stake BTK with validators and earn rewards.",
        ["Stake and unstake, with the cooldown shown before you commit",
         "Delegate to a validator and follow your rewards",
         "See when governance slashes a validator you back"]),
    "Governance": (
        "Vote on the Blocktrack DAO's proposals.",
        ["Delegate your voting power (to yourself, to vote): without it, it counts as zero",
         "Read proposals, vote for, against or abstain",
         "Queue and execute proposals that passed, with each step explained"]),
    "Marketplace": (
        "Pay for gigs, mentoring and credential fees in BTK, through escrow.",
        ["Post or take a gig; the payment waits in escrow until the work is accepted",
         "Mentoring sessions and credential fees paid the same way",
         "Fees to the DAO treasury and referral cuts, shown before you pay"]),
}


class ComingPage(QWidget):
    """An honest placeholder: what will be here, and that it is not available yet."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        summary, items = COMING[title]
        self.title = title
        self.setObjectName("comingPage")
        layout = scrolling_page(self, title, summary)
        self.notice = QLabel(f"Not available yet. {title} arrives in a later release of "
                             "Blocktrack Vault; nothing here works today.")
        self.notice.setObjectName("comingNotice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        layout.addSpacing(4)
        layout.addWidget(section_title("What will be here"))
        for item in items:
            label = QLabel(f"•  {item}")
            label.setObjectName("comingItem")
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addStretch(1)


def coming_page(title: str) -> ComingPage:
    return ComingPage(title)
