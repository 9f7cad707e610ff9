"""The Marketplace page and the embedded chain's demo client (vault.chain.demo).

The sample offers of the local test chain come from a demo client that pays into escrow
as soon as someone accepts one, and releases the payment when its talent says the work is
delivered. This says so under such an offer, and gives the talent the button to say it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from vault.chain import demo
from vault.chain.units import format_units

from ...errors import describe


def demo_note(g: dict, account: str, embedded: bool) -> str:
    """A sentence for a demo offer (empty for any other)."""
    if not demo.is_demo_gig(g, embedded):
        return ""
    talent = (g["talent"] or "").lower() == account.lower()
    if g["status"] == "open":
        return ("It comes from the demo client of your local test chain: accept it, and the demo client pays "
                "into escrow at once.")
    if g["status"] == "accepted" and talent:
        return "The demo client of the local test chain pays into escrow when the chain next moves on."
    if g["status"] == "funded" and talent:
        return ("This is the local test chain's demo client: when the work is done, tell it so, and it "
                "releases the payment to you at once (a real client checks the work first).")
    return ""


def talent_demo_note(o: dict, account: str, embedded: bool) -> str:
    """A sentence for a demo offer of the talent market (empty for any other)."""
    if not demo.is_demo_gig(o, embedded):
        return ""
    if o["status"] == "open":
        return ("It comes from the demo client of your local test chain: it accepts a bid at once and pays "
                "into escrow.")
    if o["status"] == "funded" and (o["talent"] or "").lower() == account.lower():
        return ("This is the local test chain's demo client: when the work is done, tell it so, and it "
                "releases the payment to you at once (a real client checks the work first).")
    return ""


class DeliverButton(QPushButton):
    """"Tell the demo client it is delivered": the demo client releases the escrow. The
    vault signs nothing; the demo client's own transaction moves the BTK.

    ``view``: what shows the offers (the first marketplace's page, or the talent market's
    section), giving ``selected()`` the offer shown, ``keep(id)`` to select it after the
    next read and ``problem(text)`` to say why not; ``talent_market``: which market's
    demo client this tells."""

    def __init__(self, page, view=None, *, talent_market: bool = False):
        super().__init__("Tell the demo client it is delivered")
        self.page, self.view, self.talent_market = page, view or page, talent_market
        self.setAutoDefault(False)
        self.setToolTip("Local test chain only: the demo client releases the escrow to you")
        self.hide()
        self.clicked.connect(self.deliver)

    def _is_demo(self, g: dict) -> bool:
        # A talent-market offer has the same client field as a gig: the demo client's is a demo.
        return demo.is_demo_gig(g, self.page.session.is_embedded)

    def show_for(self, g: dict | None, account: str) -> None:
        self.setVisible(g is not None and self._is_demo(g))
        self.setEnabled(g is not None and g["status"] == "funded"
                        and (g["talent"] or "").lower() == account.lower())

    def deliver(self) -> None:
        page, g = self.page, self.view.selected()
        if g is None or not self.isEnabled():
            return
        self.setEnabled(False)
        self.view.keep(g["id"])
        release = demo.deliver_offer if self.talent_market else demo.deliver
        job = page.session.run(release, g["id"], page.account)
        job.finished.connect(self._done)
        job.failed.connect(lambda exc: self.view.problem(describe(exc)))

    def _done(self, result: dict) -> None:
        if self.talent_market:
            said = f"The demo client released offer #{result['offer_id']}: the whole price to you."
        else:
            amount = format_units(int(result["talent_amount_wei"]), "BTK")
            said = f"The demo client released offer #{result['gig_id']}: {amount} to you."
        self.page.message.emit(said)
        self.page.session.note_settled()   # the pages read again: the offer is paid
