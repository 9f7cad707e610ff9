"""The talent market on the Marketplace page: its offers (newest first), the selected one
(talent_panel) and every write on it, each a plan of the core (vault.chain.talent) run
through the page's one confirm → progress → result dialog:

- talent: Bid… checks the offer's gates on the chain first (the core's ``gate_report``)
  and opens the bid form (bid_form), which says what is missing and how to get it; a
  bid of one's own can be withdrawn;
- client: accept a bid (the other stakes go back), pay price + fee into escrow with the
  split shown first, release, refund after the delivery window, cancel.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QVBoxLayout, QWidget

from vault.chain.talent import TalentMarket

from ...errors import describe
from ...widgets import open_dialog, section_title
from ...widgets.labels import text_label
from ...widgets.tables import configure_list_table, rows_height
from ...widgets.visible_timer import VisibleTimer
from .bid_form import BidDialog
from .demo import DeliverButton, talent_demo_note
from .split import split_sentence
from .talent_models import TalentOfferModel, btk, offer_title
from .talent_panel import TalentOfferPanel


def _tm(service):
    return TalentMarket(service.chain)


def _gates(chain, offer_id: int, account: str, names) -> dict:  # chain thread
    return TalentMarket(chain).gate_report(offer_id, account, names)


class TalentSection(QWidget):
    """``page``: the MarketplacePage (its session, account, write and read)."""

    NEWEST_MINE = -1   # select_after: the account's newest offer (just posted)

    def __init__(self, page, parent: QWidget | None = None):
        super().__init__(parent)
        self.page = page
        self.data: dict | None = None
        self.select_after: int | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        lay.addWidget(section_title("Offers"))
        self.missing = text_label(name="hintLabel")
        self.missing.hide()
        lay.addWidget(self.missing)
        self.model = TalentOfferModel(self)
        self.table = QTableView()
        self.table.setObjectName("talentOfferTable")
        self.table.setAccessibleName("Offers")
        self.table.setModel(self.model)
        configure_list_table(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(TalentOfferModel.OFFER, QHeaderView.Stretch)
        self.table.setMinimumHeight(rows_height(self.table, 4) + 2 * self.table.frameWidth() + 4)
        lay.addWidget(self.table)
        self.deliver_button = DeliverButton(page, self, talent_market=True)   # the local test chain's demo client
        self.panel = TalentOfferPanel(self.deliver_button)
        lay.addWidget(self.panel)
        self.bids = self.panel.bids
        p = self.panel
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_selected())
        p.bid_button.clicked.connect(self.bid_selected)
        p.fund_button.clicked.connect(self.fund_selected)
        p.release_button.clicked.connect(self.release_selected)
        p.refund_button.clicked.connect(self.refund_selected)
        p.cancel_button.clicked.connect(self.cancel_selected)
        p.bids.accept_requested.connect(self.accept_bid)
        p.bids.withdraw_requested.connect(self.withdraw_bid)
        # The delivery-window countdown of a funded offer moves on (only while shown).
        self.ticker = VisibleTimer(self, 30_000, self.show_selected, self._counting_down)
        self.panel.show_none()

    # ---- showing ---------------------------------------------------------------------------

    def show_data(self, data: dict, account: str) -> None:
        """The page's read (read_talent): the list, then the selection again."""
        keep = self.select_after if self.select_after is not None else self.selected_id()
        self.select_after = None
        self.data = data
        if "missing" in data:
            self.missing.setText(data["missing"])
            self.missing.show()
            self.table.hide()
            self.panel.hide()
            return
        self.missing.hide()
        self.table.show()
        self.panel.show()
        self.model.set_offers(data["offers"], data["bids"], account, data["names"])
        if keep == self.NEWEST_MINE:
            keep = max((o["id"] for o in data["offers"] if o["client"].lower() == account.lower()), default=None)
        if keep is None or not self.select_offer(keep):
            self.show_selected()

    # What the demo client's Deliver button asks of the view it serves (demo.DeliverButton).
    def selected(self) -> dict | None:
        return self.selected_offer()

    def keep(self, offer_id: int) -> None:
        self.select_after = offer_id

    def problem(self, text: str) -> None:
        self.panel.next_step.error(text)

    def selected_offer(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def selected_id(self) -> int | None:
        o = self.selected_offer()
        return o["id"] if o else None

    def select_offer(self, offer_id: int) -> bool:
        row = self.model.row_of(offer_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0, QModelIndex()))
        self.show_selected()
        return True

    def _counting_down(self) -> bool:
        o = self.selected_offer()
        return o is not None and o["status"] == "funded"

    def show_selected(self) -> None:
        o = self.selected_offer()
        if o is None or self.data is None:
            self.ticker.stop()
            self.deliver_button.show_for(None, self.page.account)
            self.panel.show_none("No offers yet: post the first one." if self.data and not self.model.rows else
                                 "Select an offer in the list to see its bids and what you can do.")
            return
        self.panel.show_offer(o, account=self.page.account, now=self.page.chain_now(), data=self.data,
                              demo=talent_demo_note(o, self.page.account, self.page.session.is_embedded))
        self.deliver_button.show_for(o, self.page.account)
        self.ticker.update_running()

    # ---- writing ---------------------------------------------------------------------------

    def _write(self, o: dict, title: str, build, intro, success: str):
        self.select_after = o["id"]
        return self.page.write(title, build, intro=intro, success=success)

    def bid_selected(self) -> None:
        """The gates first, on the chain; then the form (with what is missing, if anything)."""
        o, account = self.selected_offer(), self.page.account
        if o is None or self.data is None:
            return
        self.panel.bid_button.setEnabled(False)
        job = self.page.session.run(_gates, o["id"], account, self.data["names"])
        job.finished.connect(lambda report: self._open_bid(o, account, report))
        job.failed.connect(lambda exc: (self.panel.next_step.error(describe(exc)), self.show_selected()))

    def _open_bid(self, o: dict, account: str, report: dict) -> None:
        self.show_selected()
        if account != self.page.account:   # switched meanwhile
            return
        held = (self.page.data or {}).get("btk")
        dialog = BidDialog(o, offer_title(o), report["missing"], held, self.page)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._bid(o, account, dialog.values))
        open_dialog(self.page, dialog)

    def _bid(self, o: dict, account: str, values: dict) -> None:
        names = self.data["names"] if self.data else ()
        intro = [f"You bid {btk(values['price'])} on “{offer_title(o)}”. If the client accepts it, you receive "
                 "the whole price when the work is released; the client pays the fee on top."]
        if values["stake"]:
            intro.append(f"You stake {btk(values['stake'])} behind the bid: it comes back at once if another bid "
                         "wins or you withdraw; if yours wins it is a delivery bond, returned with the payment.")
        self._write(o, f"Bid on offer #{o['id']}",
                    lambda service: _tm(service).bid_plan(service, account, o["id"], price=values["price"],
                                                          stake=values["stake"], message=values["message"],
                                                          names=names),
                    intro, "Your bid is in. The client sees it with its stake; wait for their choice.")

    def withdraw_bid(self, bid: dict) -> None:
        o, account = self.selected_offer(), self.page.account
        if o is None:
            return
        stake = int(bid["stake_wei"])
        self._write(o, f"Withdraw your bid on offer #{o['id']}",
                    lambda service: _tm(service).withdraw_bid_plan(service, account, o["id"], bid["bid_id"]),
                    [f"You take back your bid of {btk(bid['price_wei'])}"
                     + (f" and its {btk(stake)} stake." if stake else ".")],
                    "Your bid is withdrawn." + (" Its stake is back in your account." if stake else ""))

    def accept_bid(self, bid: dict) -> None:
        o, account = self.selected_offer(), self.page.account
        if o is None:
            return
        stake, others = int(bid["stake_wei"]), sum(
            1 for b in self.data["bids"].get(o["id"], []) if b["status"] == "active" and b["bid_id"] != bid["bid_id"])
        lines = [f"You accept {bid['bidder']}'s bid of {btk(bid['price_wei'])} for “{offer_title(o)}”."]
        if stake:
            lines.append(f"Their {btk(stake)} stake stays locked as a delivery bond until you release the payment.")
        if others:
            lines.append("The other bid gets its stake back at once." if others == 1 else
                         f"The {others} other bids get their stakes back at once.")
        lines.append("Next you pay the price and the fee into escrow.")
        self._write(o, f"Accept a bid on offer #{o['id']}",
                    lambda service: _tm(service).accept_bid_plan(service, account, o["id"], bid["bid_id"]),
                    lines, "Bid accepted. Pay into escrow so the work can start.")

    def fund_selected(self) -> None:
        o, account = self.selected_offer(), self.page.account
        if o is None:
            return
        split = self.data["splits"].get(o["id"]) if self.data else None
        shown: dict = {}

        def build(service):
            plan = _tm(service).fund_plan(service, account, o["id"])
            shown["split"] = _tm(service).funding_split(o["id"])   # as the plan was built, not as last read
            shown["steps"] = len(plan.requests)
            return plan

        def intro():
            s = shown.get("split", split)
            lines = [split_sentence(s)] if s is not None else []
            lines.append("It stays in the talent market until you release it to the talent, or it is refunded.")
            if shown.get("steps", 1) > 1:
                lines.append("Two transactions: first you allow the talent market to take exactly this amount, "
                             "then it takes it into escrow.")
            return lines

        self._write(o, f"Pay into escrow for offer #{o['id']}", build, intro,
                    "The price and fee are in escrow. Release them once the work is delivered.")

    def release_selected(self) -> None:
        o, account = self.selected_offer(), self.page.account
        if o is None:
            return
        shown: dict = {}

        def build(service):
            plan = _tm(service).release_plan(service, account, o["id"])
            shown["split"] = _tm(service).funding_split(o["id"])
            return plan

        def intro():
            lines = [f"You pay the talent for “{offer_title(o)}”: the whole price, and its bond back."]
            if "split" in shown:
                lines.append(split_sentence(shown["split"]))
            return lines + ["Release only once the work is delivered: it cannot be undone."]

        self._write(o, f"Release payment for offer #{o['id']}", build, intro,
                    "Released: the talent is paid the whole price.")

    def refund_selected(self) -> None:
        o, account = self.selected_offer(), self.page.account
        if o is None:
            return
        talent = (o["talent"] or "").lower() == account.lower()
        intro = ([f"You give the escrow back to the client: you will not be paid for this offer. Your "
                  f"{btk(o['bond_wei'])} bond comes back to you."] if talent else
                 ["The delivery window is over: you take the price and the fee in escrow back, and the share of "
                  "the talent's bond the terms give you."])
        self._write(o, f"Refund offer #{o['id']}",
                    lambda service: _tm(service).refund_plan(service, account, o["id"]),
                    intro, "Refunded: the escrow went back to the client.")

    def cancel_selected(self) -> None:
        o, account = self.selected_offer(), self.page.account
        if o is None:
            return
        self._write(o, f"Cancel offer #{o['id']}",
                    lambda service: _tm(service).cancel_plan(service, account, o["id"]),
                    [f"You withdraw “{offer_title(o)}”. Nobody can bid on it or be paid for it afterwards; every "
                     "stake still held goes back to its bidder."],
                    "The offer is cancelled.")
