"""The Marketplace page and the embedded chain's demo client (vault.chain.demo).

The sample offers of the local test chain come from a demo client that pays into escrow
as soon as someone accepts one, and releases the payment when its talent says the work is
delivered. This says so under such an offer, and gives the talent the button to say it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from vault.chain import demo
from vault.chain.marketplace import Gig
from vault.chain.units import format_units

from ...errors import describe


def demo_note(g: Gig, account: str, embedded: bool) -> str:
    """A sentence for a demo offer (empty for any other)."""
    if not demo.is_demo_client(g.client, embedded):
        return ""
    talent = (g.talent or "").lower() == account.lower()
    if g.status == "open":
        return ("It comes from the demo client of your local test chain: accept it, and the demo client pays "
                "into escrow at once.")
    if g.status == "accepted" and talent:
        return "The demo client of the local test chain pays into escrow when the chain next moves on."
    if g.status == "funded" and talent:
        return ("This is the local test chain's demo client: when the work is done, tell it so, and it "
                "releases the payment to you at once (a real client checks the work first).")
    return ""


class DeliverButton(QPushButton):
    """"Tell the demo client it is delivered": the demo client releases the escrow. The
    vault signs nothing; the demo client's own transaction moves the BTK."""

    def __init__(self, page):
        super().__init__("Tell the demo client it is delivered")
        self.page = page
        self.setAutoDefault(False)
        self.setToolTip("Local test chain only: the demo client releases the escrow to you")
        self.hide()
        self.clicked.connect(self.deliver)

    def show_for(self, g: Gig | None, account: str) -> None:
        embedded = self.page.session.is_embedded
        self.setVisible(g is not None and demo.is_demo_client(g.client, embedded))
        self.setEnabled(g is not None and g.status == "funded"
                        and (g.talent or "").lower() == account.lower())

    def deliver(self) -> None:
        page, g = self.page, self.page.selected_gig()
        if g is None or not self.isEnabled():
            return
        self.setEnabled(False)
        page._select_after = g.id
        job = page.session.run(demo.deliver, g.id, page.account)
        job.finished.connect(self._done)
        job.failed.connect(lambda exc: page.next_step.error(describe(exc)))

    def _done(self, result: dict) -> None:
        amount = format_units(int(result["talent_amount_wei"]), "BTK")
        self.page.message.emit(f"The demo client released offer #{result['gig_id']}: {amount} to you.")
        self.page.session.note_settled()   # the pages read again: the offer is paid
