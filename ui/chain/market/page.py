"""The Marketplace page: a talent network paid in BTK through escrow.

New offers go to the talent market (vault.chain.talent; talent_view.TalentSection): a
client posts an offer, optionally gated on a credential and/or a minimum stake; talent
bids with a price, a message and a stake; the client accepts one bid, pays price + fee
into escrow (the split shown first) and releases it: the talent receives the whole price.
Below: the Connectors section (connectors.ConnectorsSection), then the gigs of the first
marketplace (vault.chain.marketplace), still readable and finishable: browse and search
them, accept, fund, release with the fee and referral split shown first, refund, cancel.
Each offer's panel enables a button exactly when the core allows it for the chosen
account; otherwise its tooltip and the hint under the offer say why not.

Reads and writes go through the ChainSession (the chain thread); writes through the one
confirm → progress → result dialog.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QWidget

from vault.chain.marketplace import Market, roles_of
from vault.chain.talent import TalentMarket
from vault.chain.units import format_units, percent

from ...widgets import open_dialog, section_title
from ...widgets.labels import text_label
from ...widgets.layout import primary
from ...widgets.tables import configure_list_table, rows_height
from ...widgets.visible_timer import VisibleTimer
from ..advance import AdvanceControl
from ..page import ChainPage
from .connectors import ConnectorsSection
from .demo import DeliverButton, demo_note
from .dialogs import PostOfferDialog
from .models import STATUS_WORDS, WHOSE, GigFilter, GigTableModel, offer_title, price_text, read_market
from .panel import OfferPanel
from .talent_models import read_talent
from .talent_view import TalentSection


def read_page(chain, account: str, store, typed) -> dict:  # chain thread
    """The first marketplace's gigs (read_market) and the talent market (read_talent)."""
    return read_market(chain, account) | {"talent": read_talent(chain, account, store, typed)}


def _combo(name: str, accessible: str, items) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    for data, text in items:
        combo.addItem(text, data)   # "" (never None) is "everything", as on the Credentials page
    return combo


class MarketplacePage(ChainPage):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, "Marketplace",
                         "A talent network paid in BTK through escrow: talent bids, backed by stake; the client "
                         "pays the fee and the talent keeps the whole price; whoever brought them earns for life.",
                         parent)
        self.data: dict | None = None
        self._read_at = 0.0
        self._select_after: int | None = None     # select this offer after the next read
        self.typed_types: set[str] = set()          # gate types typed this session: named, not hashed
        self._build_how()
        self.talent = TalentSection(self)
        self.body.addWidget(self.talent)
        self.connectors = ConnectorsSection()
        self.body.addWidget(self.connectors)
        self.body.addWidget(section_title("Gigs of the first marketplace"))
        self.body.addWidget(text_label(
            "Offers posted before the talent network: first come, first served, the talent pays the fee. They stay "
            "readable and can be finished here; new offers go to the talent network above.", name="hintLabel"))
        self._build_filters()
        self._build_table()
        self.deliver_button = DeliverButton(self)   # the local test chain's demo client only
        self.offer = OfferPanel(self.deliver_button)
        o = self.offer   # its parts, as the page's callers (and the demo's button) reach them
        self.status_badge, self.facts, self.next_step = o.status_badge, o.facts, o.next_step
        self.accept_button, self.fund_button, self.release_button = o.accept_button, o.fund_button, o.release_button
        self.refund_button, self.cancel_button = o.refund_button, o.cancel_button
        self.body.addWidget(self.offer)
        self.advance = AdvanceControl(session)
        self.body.addWidget(self.advance)

        # The delivery-window countdown of a funded offer moves on (only while shown).
        self.ticker = VisibleTimer(self, 30_000, self._show_selected, self._counting_down)

        self._wire()
        self._show_selected()

    def _build_how(self) -> None:
        """How it works, beside the button that posts an offer."""
        how_row = QHBoxLayout()
        how_row.setSpacing(16)
        self.how = text_label(name="hintLabel")
        self._show_how(None)
        self.post_button = primary(QPushButton("Post an offer…"))
        self.post_button.setAutoDefault(False)
        self.post_button.setToolTip("Offer BTK for a piece of work or mentoring; talent bids, you choose")
        how_row.addWidget(self.how, 1)
        how_row.addWidget(self.post_button, 0, Qt.AlignVCenter)
        self.body.addLayout(how_row)

    def _build_filters(self) -> None:
        """Search as you type; kind, status and whose offers."""
        filter_bar = QWidget()
        filter_bar.setObjectName("marketFilters")
        filters = QHBoxLayout(filter_bar)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.setSpacing(8)
        self.search = QLineEdit()
        self.search.setObjectName("marketSearch")
        self.search.setAccessibleName("Search offers")
        self.search.setPlaceholderText("Search offers…")
        self.search.setToolTip("Words of the offer, an address, a status or #number; every word must match")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)
        self.kind_filter = _combo("kindFilter", "Kind of offer",
                                  [("", "Gigs and mentoring"), ("gig", "Gigs"), ("mentoring", "Mentoring")])
        self.status_filter = _combo("statusFilter", "Status",
                                    [("", "Any status")] + [(s, w[0]) for s, w in STATUS_WORDS.items()])
        self.whose_filter = _combo("whoseFilter", "Whose offers", WHOSE)
        filters.addWidget(self.search, 1)
        for w in (self.kind_filter, self.status_filter, self.whose_filter):
            filters.addWidget(w)
        self.body.addWidget(filter_bar)

    def _build_table(self) -> None:
        self.model = GigTableModel(self)
        self.proxy = GigFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("gigTable")
        self.table.setAccessibleName("Offers")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(GigTableModel.ID, Qt.DescendingOrder)   # newest first
        configure_list_table(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setSectionResizeMode(GigTableModel.OFFER, QHeaderView.Stretch)
        width = self.table.fontMetrics().horizontalAdvance
        for column, sample in ((GigTableModel.ID, "###"), (GigTableModel.KIND, "Mentoring"),
                               (GigTableModel.PRICE, "1,200.5 BTK"), (GigTableModel.STATUS, "In escrow"),
                               (GigTableModel.CLIENT, "0x9858…Da94"), (GigTableModel.TALENT, "0x9858…Da94")):
            header.resizeSection(column, width(sample) + 24)
        self.table.setMinimumHeight(rows_height(self.table, 6) + 2 * self.table.frameWidth() + 4)
        self.body.addWidget(self.table, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("hintLabel")
        self.body.addWidget(self.count_label)

    def _wire(self) -> None:
        self.search.textChanged.connect(lambda text: self._filter(text=text))
        self.kind_filter.currentIndexChanged.connect(lambda _i: self._filter(kind=self.kind_filter.currentData()))
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self._filter(status=self.status_filter.currentData()))
        self.whose_filter.currentIndexChanged.connect(lambda _i: self._filter(whose=self.whose_filter.currentData()))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.post_button.clicked.connect(self.post_offer)
        self.accept_button.clicked.connect(self.accept_selected)
        self.fund_button.clicked.connect(self.fund_selected)
        self.release_button.clicked.connect(self.release_selected)
        self.refund_button.clicked.connect(self.refund_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.connectors.register_requested.connect(self.register_referrer)
        self.connectors.withdraw_requested.connect(self.withdraw_earnings)

    # ---- reading -----------------------------------------------------------------------

    def refresh(self) -> None:
        self.read(read_page, self.account, self.session.identity.store, tuple(self.typed_types),
                  done=self._on_overview)

    def _on_overview(self, data: dict) -> None:
        if data["account"] != self.account:     # the account was switched meanwhile: its read follows
            return
        keep = self._select_after if self._select_after is not None else self.selected_id()
        self._select_after = None
        self.data, self._read_at = data, time.monotonic()
        self.model.set_gigs(data["gigs"], data["account"])
        talent = data["talent"]
        self._show_how(talent.get("terms"))
        self.talent.show_data(talent, data["account"])
        self.connectors.setVisible("missing" not in talent)
        if "missing" not in talent:
            self.connectors.show_connector(talent["connector"], talent["terms"]["connector_bps"])
        if keep is not None:
            self.select_gig(keep)
        self._update_count()
        self._show_selected()

    def chain_now(self) -> int | None:
        if self.data is None:
            return None
        return int(self.data["now"] + (time.monotonic() - self._read_at))

    def _show_how(self, terms: dict | None) -> None:
        fee = f" ({percent(terms['fee_bps'])} today)" if terms else ""
        self.how.setText("How it works: ① a client posts an offer, perhaps for holders of a credential or a stake · "
                         "② talent bids, a stake puts a bid ahead · ③ the client accepts one and pays its price plus "
                         f"the fee{fee} into escrow · ④ the work is done and the client releases it: the talent "
                         "receives the whole price.")

    # ---- filtering and selection ---------------------------------------------------------

    def _filter(self, **kwargs) -> None:
        self.proxy.set_filter(**kwargs)
        self._update_count()
        if self.selected_id() is None:
            self._show_selected()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if self.data is None:
            self.count_label.setText("")
        elif total == 0:
            self.count_label.setText("No offers on this network yet: post the first one.")
        elif shown == 0:
            self.count_label.setText(f"None of the {total} offers match: change the search or the filters.")
        else:
            self.count_label.setText(f"{shown} of {total} offers shown. Select one to see what you can do.")

    # What the demo client's Deliver button asks of the view it serves (demo.DeliverButton).
    def selected(self) -> dict | None:
        return self.selected_gig()

    def keep(self, gig_id: int) -> None:
        self._select_after = gig_id

    def problem(self, text: str) -> None:
        self.next_step.error(text)

    def selected_gig(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.rows[self.proxy.mapToSource(rows[0]).row()]

    def selected_id(self) -> int | None:
        g = self.selected_gig()
        return g["id"] if g else None

    def select_gig(self, gig_id: int) -> bool:
        row = self.model.row_of(gig_id)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _counting_down(self) -> bool:
        g = self.selected_gig()
        return g is not None and g["status"] == "funded"

    def _show_selected(self) -> None:
        g = self.selected_gig()
        if g is None:
            self.ticker.stop()
            self.offer.show_none()
            self.deliver_button.show_for(None, self.account)
            return
        self.offer.show_gig(g, account=self.account, now=self.chain_now(), data=self.data,
                            embedded=self.session.is_embedded)
        self.deliver_button.show_for(g, self.account)
        self.ticker.update_running()

    # ---- writing -------------------------------------------------------------------------

    def post_offer(self) -> None:
        if not self.connected:
            self._show_connection_state()
            return
        talent = self.data["talent"] if self.data else {}
        if "missing" in talent:
            self.message.emit(talent["missing"])
            return
        chain_id = self.data["chain_id"] if self.data else None
        dialog = PostOfferDialog(self.account, talent.get("terms"), chain_id, talent.get("kinds", []), self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._post(dialog.values))
        open_dialog(self, dialog)

    def _post(self, values: dict) -> None:
        account = self.account
        if values["credential_type"]:
            self.typed_types.add(values["credential_type"])
        intro = [f"You offer up to {format_units(values['budget'], 'BTK')}. Nothing is paid now: you pay into "
                 "escrow only after you accept a bid, its price plus the fee."]
        if values["issuer"]:
            intro.append(f"Only holders of a valid {values['credential_type']} credential from {values['issuer']} "
                         "can bid.")
        if values["min_stake"]:
            intro.append(f"Bidders need {format_units(values['min_stake'], 'BTK')} staked.")
        flow = self.write("Post an offer",
                          lambda service: TalentMarket(service.chain).post_plan(service, account, **values),
                          intro=intro, success="Your offer is posted: talent can bid on it now.")
        if flow is not None:
            flow.succeeded.connect(self._on_posted)

    def _on_posted(self, records: list) -> None:
        # the account's newest offer: the receipt's events may not be decoded (an extension's)
        self.talent.select_after = TalentSection.NEWEST_MINE
        for event in records[-1].events or []:
            if event.get("event") == "OfferPosted":
                self.talent.select_after = int(event["args"]["offerId"])
        self.message.emit("Offer posted.")

    def register_referrer(self, text: str) -> None:
        account = self.account
        self.write("Name your referrer",
                   lambda service: TalentMarket(service.chain).register_referrer_plan(service, account, text),
                   intro=["Whoever you name earns a share of the price of every offer you complete, as client or "
                          "as talent, out of the fee: you pay nothing more.",
                          "You can name a referrer once: it never changes."],
                   success="Your referrer is recorded, for life.")

    def withdraw_earnings(self) -> None:
        account = self.account
        self.write("Withdraw connector earnings",
                   lambda service: TalentMarket(service.chain).withdraw_earnings_plan(service, account),
                   intro=["Your connector earnings go to this account."],
                   success="Withdrawn: your connector earnings are in your account.")

    def _gig_write(self, title: str, build, intro, success: str) -> None:
        g = self.selected_gig()
        if g is None:
            return
        self._select_after = g["id"]
        self.write(title, build, intro=intro, success=success)

    def accept_selected(self) -> None:
        g, account = self.selected_gig(), self.account
        if g is None:
            return
        fee = self.data["fee_bps"] if self.data else None
        self._gig_write(
            f"Accept offer #{g['id']}",
            lambda service: Market(service.chain).accept_request(service, account, g["id"]),
            [f"You take “{offer_title(g)}” as its talent, for {price_text(g)}.",
             f"The marketplace fee in force now ({percent(fee) if fee is not None else 'today’s'}) is fixed for "
             "this offer. You are paid when the client releases the escrow; wait for the client's payment "
             "before you start."],
            "You accepted the offer. " + ("The demo client pays into escrow at once."
                                          if demo_note(g, account, self.session.is_embedded)
                                          else "Wait for the client to pay into escrow."))

    def fund_selected(self) -> None:
        g, account = self.selected_gig(), self.account
        if g is None:
            return
        steps: dict = {}

        def build(service):
            requests = Market(service.chain).fund_requests(service, account, g["id"])
            steps["count"] = len(requests)
            return requests

        def intro():
            lines = [f"You pay {price_text(g)} into escrow for offer #{g['id']}. It stays in the marketplace "
                     "contract until you release it to the talent, or it is refunded to you."]
            if steps.get("count", 1) > 1:
                lines.append("Two transactions: first you allow the marketplace to take exactly this amount, then "
                             "it takes it into escrow.")
            return lines

        self._gig_write(f"Pay into escrow for offer #{g['id']}", build, intro,
                        "The price is in escrow. Release it once the work is delivered.")

    def release_selected(self) -> None:
        g, account = self.selected_gig(), self.account
        if g is None:
            return
        lines: list[str] = []

        def build(service):
            market = Market(service.chain)
            request = market.release_request(service, account, g["id"])
            # the core's lines are aligned for a terminal: single spaces read better in a window
            lines[:] = [" ".join(line.split()) for line in Market.breakdown_lines(market.release_breakdown(g["id"]))]
            return request

        self._gig_write(f"Release payment for offer #{g['id']}", build,
                        lambda: [f"You pay the talent for “{offer_title(g)}”. The escrow is split:"] + lines
                        + ["Release only once the work is delivered: it cannot be undone."],
                        "Released: the talent is paid.")

    def refund_selected(self) -> None:
        g, account = self.selected_gig(), self.account
        if g is None:
            return
        talent = "talent" in roles_of(g, account)
        intro = ([f"You give the {price_text(g)} in escrow back to the client: you will not be paid for this "
                  f"{g['kind']}."] if talent else
                 [f"The delivery window is over: you take the {price_text(g)} in escrow back. The talent is not "
                  "paid."])
        self._gig_write(f"Refund offer #{g['id']}",
                        lambda service: Market(service.chain).refund_request(service, account, g["id"]),
                        intro, "Refunded: the escrow went back to the client.")

    def cancel_selected(self) -> None:
        g, account = self.selected_gig(), self.account
        if g is None:
            return
        self._gig_write(f"Cancel offer #{g['id']}",
                        lambda service: Market(service.chain).cancel_request(service, account, g["id"]),
                        [f"You withdraw “{offer_title(g)}”. Nobody can accept it or pay for it afterwards; "
                         "nothing was paid, so nothing moves."],
                        "The offer is cancelled.")
