"""The Marketplace page: gigs and mentoring offers paid in BTK through escrow.

Browse and search every offer (or only one's own, as client, talent or referrer), post an
offer, and move a selected one along: accept (talent), fund the escrow (client: approve +
fund), release it with the fee and referral split shown before signing (client), refund
(talent at any time, client after the delivery window) or cancel (client, before funding).
Each button is enabled exactly when the core's ``actions()`` allows it for the chosen
account; otherwise its tooltip and the hint under the offer say why not.

Reads and writes go through the ChainSession (the chain thread); writes through the one
confirm → progress → result dialog.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QDateTime, QLocale, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QComboBox, QFrame, QGridLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from vault.chain.marketplace import KIND_NOUNS, Market, actions, roles_of
from vault.chain.units import format_units, percent
from vault.safe_text import safe_text

from ..widgets import InlineMessage, open_dialog, section_title
from ..widgets.labels import plain_tip, repolish, text_label, title_and_badge
from ..widgets.layout import primary
from ..widgets.table_model import Index, ListTableModel
from ..widgets.tables import configure_list_table, rows_height
from ..widgets.visible_timer import VisibleTimer
from .advance import AdvanceControl
from .market_demo import DeliverButton, demo_note
from .market_dialogs import PostOfferDialog
from .page import ChainPage, short_address

# (short word for the list, sentence for the offer's badge) by the contract's status.
STATUS_WORDS = {
    "open": ("Open", "Open: waiting for someone to accept it"),
    "accepted": ("Accepted", "Accepted: waiting for the client to pay into escrow"),
    "funded": ("In escrow", "In escrow: the price is held until the client releases it"),
    "released": ("Paid", "Paid: the escrow went to the talent"),
    "refunded": ("Refunded", "Refunded: the escrow went back to the client"),
    "cancelled": ("Cancelled", "Cancelled by the client before it was paid"),
}
# The badge's colour family (resources/styles: #gigStatus[look=...]).
STATUS_LOOK = {"open": "open", "accepted": "waiting", "funded": "escrow", "released": "done",
               "refunded": "stopped", "cancelled": "stopped"}
KIND_WORDS = {"gig": "Gig", "mentoring": "Mentoring"}
ROLE_WORDS = {"client": "client", "talent": "talent", "connector": "referrer"}
WHOSE = (("", "Everyone's offers"), ("mine", "My gigs: any role"), ("client", "My gigs as client"),
         ("talent", "My gigs as talent"), ("connector", "My gigs as referrer"))


def offer_title(g: dict) -> str:
    return safe_text((g["details"].strip().splitlines() or [f"Offer {g['id']}"])[0])   # anyone's words


def offer_body(g: dict) -> str:
    return "\n".join(g["details"].strip().splitlines()[1:]).strip()


def price_text(g: dict) -> str:
    return format_units(int(g["price_wei"]), "BTK")


def countdown(seconds: int) -> str:
    """3 d 4 h / 5 h 12 min / 8 min / less than a minute."""
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min" if minutes else "less than a minute"


def local_date(timestamp: int) -> str:
    """In local time, with the month in words (never ambiguous as 03/04 is)."""
    return QLocale().toString(QDateTime.fromSecsSinceEpoch(int(timestamp)), "ddd d MMM yyyy, HH:mm")


def brief_address(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}"


def _overview(chain, account: str) -> dict:  # chain thread
    market = Market(chain)
    return {"account": account, "gigs": market.gigs(), "fee_bps": market.fee_bps(),
            "now": chain.latest_timestamp(), "btk": chain.btk_balance(account), "chain_id": chain.chain_id}


# ---- the list ---------------------------------------------------------------------------

class GigTableModel(ListTableModel):
    ID, OFFER, KIND, PRICE, STATUS, CLIENT, TALENT = range(7)
    HEADERS = ("#", "Offer", "Kind", "Price", "Status", "Client", "Talent")
    SortRole = Qt.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self.account = ""

    def set_gigs(self, gigs: list[dict], account: str) -> None:
        self.account = account
        self.set_rows(gigs)

    def row_of(self, gig_id: int) -> int:
        return next((i for i, g in enumerate(self.rows) if g["id"] == gig_id), -1)

    def _who(self, address: str | None) -> str:
        if not address:
            return "—"
        return "You" if address.lower() == self.account.lower() else brief_address(address)

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        g, column = self.rows[index.row()], index.column()
        if role == Qt.DisplayRole:
            return (str(g["id"]), offer_title(g), KIND_WORDS[g["kind"]], price_text(g), STATUS_WORDS[g["status"]][0],
                    self._who(g["client"]), self._who(g["talent"]))[column]
        if role == self.SortRole:
            if column == self.ID:
                return g["id"]
            if column == self.PRICE:
                return int(g["price_wei"])
            return self.data(index, Qt.DisplayRole)
        if role == Qt.ToolTipRole:
            if column == self.OFFER:
                return plain_tip(g["details"])
            if column == self.STATUS:
                return STATUS_WORDS[g["status"]][1]
            if column == self.CLIENT:
                return g["client"]
            if column == self.TALENT:
                return g["talent"] or "Nobody has accepted it yet"
        if role == Qt.TextAlignmentRole and column in (self.ID, self.PRICE):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.FontRole and column in (self.CLIENT, self.TALENT):
            who = g["client"] if column == self.CLIENT else g["talent"]
            if who and who.lower() == self.account.lower():
                font = QFont()
                font.setBold(True)
                return font
        return None


class GigFilter(QSortFilterProxyModel):
    """Search as you type (every word must match), kind, status, and whose offers."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.words: list[str] = []
        self.kind = self.status = self.whose = ""
        self.setSortRole(GigTableModel.SortRole)

    def set_filter(self, *, text: str | None = None, kind: str | None = None, status: str | None = None,
                   whose: str | None = None) -> None:
        self.beginFilterChange()
        if text is not None:
            self.words = text.lower().split()
        self.kind = self.kind if kind is None else kind
        self.status = self.status if status is None else status
        self.whose = self.whose if whose is None else whose
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model: GigTableModel = self.sourceModel()
        g = model.rows[row]
        if self.kind and g["kind"] != self.kind:
            return False
        if self.status and g["status"] != self.status:
            return False
        if self.whose:
            roles = roles_of(g, model.account)
            if not roles or (self.whose != "mine" and self.whose not in roles):
                return False
        if self.words:
            haystack = " ".join([f"#{g['id']}", g["details"], g["kind"], *STATUS_WORDS[g["status"]], g["price"],
                                 g["client"], g["talent"] or "", g["connector"] or ""]).lower()
            return all(word in haystack for word in self.words)
        return True


def _combo(name: str, accessible: str, items) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    for data, text in items:
        combo.addItem(text, data)   # "" (never None) is "everything", as on the Credentials page
    return combo


# ---- the page ---------------------------------------------------------------------------

class MarketplacePage(ChainPage):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, "Marketplace",
                         "Gigs and mentoring, paid in BTK through escrow: the payment waits in the marketplace "
                         "until the client releases it to the talent.", parent)
        self.data: dict | None = None
        self._read_at = 0.0
        self._select_after: int | None = None     # select this offer after the next read
        self._reveal_after = False                  # ... even if the filters hide it (a new offer)
        body = self.body

        how_row = QHBoxLayout()
        how_row.setSpacing(16)
        self.how = text_label(name="hintLabel")
        self._show_how(None)
        self.post_button = primary(QPushButton("Post an offer…"))
        self.post_button.setAutoDefault(False)
        self.post_button.setToolTip("Offer BTK for a gig or a mentoring session; you will be its client")
        how_row.addWidget(self.how, 1)
        how_row.addWidget(self.post_button, 0, Qt.AlignVCenter)
        body.addLayout(how_row)

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
        body.addWidget(filter_bar)

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
        body.addWidget(self.table, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("hintLabel")
        body.addWidget(self.count_label)

        body.addWidget(self._build_detail())
        self.advance = AdvanceControl(session)
        body.addWidget(self.advance)

        # The delivery-window countdown of a funded offer moves on (only while shown).
        self.ticker = VisibleTimer(self, 30_000, self._show_selected, self._counting_down)

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
        self._show_selected()

    def _build_detail(self) -> QFrame:
        box = QFrame()
        box.setObjectName("gigDetail")
        lay = QVBoxLayout(box)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(8)
        self.detail_title = section_title("")
        self.detail_title.setWordWrap(True)
        self.detail_title.setTextFormat(Qt.PlainText)   # anyone on the chain writes offer titles
        self.status_badge = text_label(name="gigStatus", wrap=False)
        lay.addLayout(title_and_badge(self.detail_title, self.status_badge))
        self.detail_body = text_label(name="hintLabel", selectable=True)
        lay.addWidget(self.detail_body)

        facts = QGridLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(4)
        self.facts: dict[str, QLabel] = {}
        # (key, caption, row, column, columns spanned by the value)
        for key, name, row, col, span in (("price", "Price", 0, 0, 1), ("client", "Client", 0, 1, 1),
                                          ("fee", "Marketplace fee", 1, 0, 1), ("talent", "Talent", 1, 1, 1),
                                          ("cut", "Referral cut", 2, 0, 1), ("referrer", "Referrer", 2, 1, 1),
                                          ("delivery", "Delivery window", 3, 0, 3)):
            caption = QLabel(name)
            caption.setObjectName("factLabel")
            value = text_label(name="gigParty" if key in ("client", "talent", "referrer") else None,
                               selectable=True)
            self.facts[key] = value
            facts.addWidget(caption, row, col * 2, Qt.AlignTop)
            facts.addWidget(value, row, col * 2 + 1, 1, span, Qt.AlignTop)
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(3, 1)
        lay.addLayout(facts)

        self.next_step = InlineMessage()
        lay.addWidget(self.next_step)
        self.accept_button = QPushButton("Accept as talent…")
        self.fund_button = QPushButton("Pay into escrow…")
        self.release_button = QPushButton("Release payment…")
        self.refund_button = QPushButton("Refund…")
        self.cancel_button = QPushButton("Cancel offer…")
        self.cancel_button.setObjectName("dangerButton")
        self.action_buttons = {"accept": self.accept_button, "fund": self.fund_button,
                               "release": self.release_button, "refund": self.refund_button,
                               "cancel": self.cancel_button}
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in self.action_buttons.values():
            button.setAutoDefault(False)
            button.setDefault(False)
            buttons.addWidget(button)
        self.deliver_button = DeliverButton(self)   # the local test chain's demo client only
        buttons.addWidget(self.deliver_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        return box

    # ---- reading -----------------------------------------------------------------------

    def refresh(self) -> None:
        self.read(_overview, self.account, done=self._on_overview)

    def _on_overview(self, data: dict) -> None:
        if data["account"] != self.account:     # the account was switched meanwhile: its read follows
            return
        keep = self._select_after if self._select_after is not None else self.selected_id()
        self._select_after = None
        self.data, self._read_at = data, time.monotonic()
        self.model.set_gigs(data["gigs"], data["account"])
        self._show_how(data["fee_bps"])
        if keep is not None and not self.select_gig(keep) and self._reveal_after:
            self._show_everything()      # a new offer hidden by the filters: show it anyway
            self.select_gig(keep)
        self._reveal_after = False
        self._update_count()
        self._show_selected()

    def _chain_now(self) -> int | None:
        if self.data is None:
            return None
        return int(self.data["now"] + (time.monotonic() - self._read_at))

    def _show_how(self, fee_bps: int | None) -> None:
        fee = f" ({percent(fee_bps)} today)" if fee_bps is not None else ""
        self.how.setText("How it works: ① a client posts an offer · ② someone accepts it as talent · ③ the client "
                         "pays the price into escrow · ④ the work is done and the client releases the escrow: the "
                         f"talent gets the price minus the marketplace fee{fee} and any referral cut.")

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
            self.detail_title.setText("No offer selected")
            self.detail_body.setText("Select an offer in the list to see its details and what you can do with it.")
            self.status_badge.hide()
            for value in self.facts.values():
                value.setText("—")
            self.next_step.clear()
            for button in self.action_buttons.values():
                button.setEnabled(False)
                button.setToolTip("Select an offer in the list first")
            self.deliver_button.show_for(None, self.account)
            return
        account, now = self.account, self._chain_now()
        self.detail_title.setText(f"#{g['id']} · {KIND_WORDS[g['kind']]} · {offer_title(g)}")
        body = offer_body(g)
        self.detail_body.setText(body)
        self.detail_body.setVisible(bool(body))
        self.status_badge.setText(STATUS_WORDS[g["status"]][0])
        self.status_badge.setToolTip(STATUS_WORDS[g["status"]][1])
        self.status_badge.setProperty("look", STATUS_LOOK[g["status"]])
        repolish(self.status_badge)
        self.status_badge.show()
        self._fill_facts(g, now)
        allowed = actions(g, account, now)
        for name, button in self.action_buttons.items():
            why = allowed[name]
            button.setEnabled(why is None)
            button.setToolTip(ACTION_TIPS[name] if why is None else f"Not possible: {why}")
            if name in ("fund", "release") and button.property("primary") != (why is None):
                button.setProperty("primary", why is None)    # the client's next step stands out
                repolish(button)
        self.deliver_button.show_for(g, account)
        self._show_next_step(g, now)
        self.ticker.update_running()

    def _who(self, address: str | None, empty: str) -> str:
        if not address:
            return empty
        mine = address.lower() == self.account.lower()
        return f"{address} (you)" if mine else address

    def _fill_facts(self, g: dict, now: int | None) -> None:
        f = self.facts
        f["price"].setText(price_text(g))
        if g["status"] == "open":
            fee_bps = self.data["fee_bps"] if self.data else None
            f["fee"].setText(f"{percent(fee_bps)} today, fixed when someone accepts" if fee_bps is not None else "—")
        else:
            fee = int(g["price_wei"]) * g["fee_bps"] // 10_000
            f["fee"].setText(f"{percent(g['fee_bps'])} ({format_units(fee, 'BTK')}, to the DAO treasury)")
        f["client"].setText(self._who(g["client"], "—"))
        f["talent"].setText(self._who(g["talent"], "nobody yet"))
        if g["connector"]:
            cut = int(g["price_wei"]) * g["referral_bps"] // 10_000
            f["cut"].setText(f"{percent(g['referral_bps'])} ({format_units(cut, 'BTK')}, to the referrer)")
            f["referrer"].setText(self._who(g["connector"], ""))
        else:
            f["cut"].setText("none")
            f["referrer"].setText("nobody")
        days = countdown(g["delivery_window"])
        if g["status"] == "funded" and g["refundable_at"]:
            due = g["refundable_at"]
            left = f"in {countdown(due - now)}" if now is not None and now < due else "passed"
            f["delivery"].setText(f"{days}: the client can take a refund from {local_date(due)} ({left})")
        else:
            f["delivery"].setText(f"{days}, counted from when the client pays")

    def _show_next_step(self, g: dict, now: int | None) -> None:
        roles = roles_of(g, self.account)
        client, talent = "client" in roles, "talent" in roles
        status, price = g["status"], price_text(g)
        if status == "open":
            text = ("Waiting for someone to accept your offer. You can still cancel it." if client else
                    f"Open: accept it to do this {g['kind']} for {price}. The client then pays into escrow "
                    "before you start.")
        elif status == "accepted":
            if client:
                text = (f"{short_address(g['talent'])} accepted. Pay {price} into escrow so the work can start: it "
                        "stays locked until you release it. You can still cancel instead.")
                held = self.data["btk"] if self.data else None
                if held is not None and held < int(g["price_wei"]):
                    self.next_step.warning(f"You hold {format_units(held, 'BTK')}, but paying into escrow needs "
                                           f"{price}. Receive more BTK first (Wallet → Receive).")
                    return
            elif talent:
                text = "You accepted it. Wait for the client to pay into escrow before you start the work."
            else:
                text = "Someone accepted this offer; it waits for the client's payment."
        elif status == "funded":
            if client:
                text = "The price is in escrow. Release it once the work is delivered"
                due = g["refundable_at"]
                text += (f"; if it is not, you can take it back from {local_date(due)}." if due and now is not None
                         and now < due else "; the delivery window has passed, so you can also take it back.")
            elif talent:
                text = (f"{price} is in escrow for you: do the work, and the client releases it. If you cannot, "
                        "refund the client.")
            else:
                text = "The price is in escrow until the client releases it to the talent."
        elif status == "released":
            text = "Done: the talent was paid from escrow." + (" Thank you for the work." if talent else "")
        elif status == "refunded":
            text = "Closed: the escrow went back to the client."
        else:
            text = "Closed: the client withdrew this offer before paying."
        if roles and status in ("open", "accepted", "funded"):
            text = f"You are its {' and '.join(ROLE_WORDS[r] for r in roles)}. " + text
        note = demo_note(g, self.account, self.session.is_embedded)
        self.next_step.hint(f"{text} {note}" if note else text)

    # ---- writing -------------------------------------------------------------------------

    def post_offer(self) -> None:
        if not self.connected:
            self._show_connection_state()
            return
        fee = self.data["fee_bps"] if self.data else None
        chain_id = self.data["chain_id"] if self.data else None
        dialog = PostOfferDialog(self.account, fee, chain_id, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._post(dialog.values))
        open_dialog(self, dialog)

    def _post(self, values: dict) -> None:
        account = self.account
        intro = [f"You offer {format_units(values['price'], 'BTK')} for this {KIND_NOUNS[values['kind']]}. Nothing is "
                 "paid now: you pay into escrow only after someone accepts it."]
        if values["connector"]:
            intro.append(f"The referrer {values['connector']} gets {percent(values['referral_bps'])} of the price "
                         "when you release the payment.")
        flow = self.write(f"Post a {KIND_NOUNS[values['kind']]}",
                          lambda service: Market(service.chain).post_request(service, account, **values),
                          intro=intro, success="Your offer is posted: it stays open until someone accepts it.")
        if flow is not None:
            flow.succeeded.connect(self._on_posted)

    def _on_posted(self, records: list) -> None:
        for event in records[-1].events or []:
            if event.get("event") == "GigPosted":
                self._select_after = int(event["args"]["gigId"])
                self._reveal_after = True
        self.message.emit("Offer posted.")

    def _show_everything(self) -> None:
        self.search.clear()
        for combo in (self.kind_filter, self.status_filter, self.whose_filter):
            combo.setCurrentIndex(0)

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


ACTION_TIPS = {
    "accept": "Take this offer as its talent",
    "fund": "Pay the price into escrow (approve, then fund)",
    "release": "Pay the talent from escrow; shows the fee and referral split first",
    "refund": "Send the escrow back to the client",
    "cancel": "Withdraw this offer (only before it is paid)",
}
