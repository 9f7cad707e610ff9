"""The selected offer on the Marketplace page: its title, status badge and details, the
facts (price, parties, the fee and referral split from the core's ``price_split``, the
delivery window), what happens next for the account, and the action buttons, each
enabled exactly when the core's ``actions()`` allows it (its tooltip says why not)."""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from vault.chain.marketplace import actions, price_split, roles_of
from vault.chain.units import format_units, percent

from ...format import duration_words, local_moment, short_address
from ...widgets import InlineMessage, section_title
from ...widgets.labels import repolish, text_label, title_and_badge
from .demo import demo_note
from .models import KIND_WORDS, ROLE_WORDS, STATUS_LOOK, STATUS_WORDS, offer_body, offer_title, price_text

ACTION_TIPS = {
    "accept": "Take this offer as its talent",
    "fund": "Pay the price into escrow (approve, then fund)",
    "release": "Pay the talent from escrow; shows the fee and referral split first",
    "refund": "Send the escrow back to the client",
    "cancel": "Withdraw this offer (only before it is paid)",
}
# (key, caption, row, column, columns spanned by the value)
FACTS = (("price", "Price", 0, 0, 1), ("client", "Client", 0, 1, 1), ("fee", "Marketplace fee", 1, 0, 1),
         ("talent", "Talent", 1, 1, 1), ("cut", "Referral cut", 2, 0, 1), ("referrer", "Referrer", 2, 1, 1),
         ("delivery", "Delivery window", 3, 0, 3))


def local_date(timestamp: int) -> str:
    """A chain timestamp in local time, with the year."""
    return local_moment(datetime.fromtimestamp(int(timestamp), timezone.utc), year=True)


def offer_head(frame: QFrame) -> QVBoxLayout:
    """The selected offer's frame as both markets show it (this one's OfferPanel and the
    talent market's): its title beside a status badge, then the description; the caller
    adds the facts, the next step and the buttons."""
    frame.setObjectName("gigDetail")
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(16, 12, 16, 12)
    lay.setSpacing(8)
    frame.detail_title = section_title("")
    frame.detail_title.setWordWrap(True)
    frame.detail_title.setTextFormat(Qt.PlainText)   # anyone on the chain writes offer titles
    frame.status_badge = text_label(name="gigStatus", wrap=False)
    lay.addLayout(title_and_badge(frame.detail_title, frame.status_badge))
    frame.detail_body = text_label(name="hintLabel", selectable=True)
    lay.addWidget(frame.detail_body)
    return lay


def facts_grid(panel: QFrame, table: tuple, parties: tuple[str, ...]) -> QGridLayout:
    """The facts under an offer's head, laid out by ``table`` ((key, caption, row, column,
    columns spanned)); the value labels go to ``panel.facts`` by key, and those in
    ``parties`` (addresses) get the party look."""
    facts = QGridLayout()
    facts.setHorizontalSpacing(12)
    facts.setVerticalSpacing(4)
    panel.facts = {}
    for key, name, row, col, span in table:
        caption = QLabel(name)
        caption.setObjectName("factLabel")
        value = text_label(name="gigParty" if key in parties else None, selectable=True)
        panel.facts[key] = value
        facts.addWidget(caption, row, col * 2, Qt.AlignTop)
        facts.addWidget(value, row, col * 2 + 1, 1, span, Qt.AlignTop)
    facts.setColumnStretch(1, 1)
    facts.setColumnStretch(3, 1)
    return facts


def action_row(panel: QFrame, captions: dict[str, str], extra: QWidget | None = None) -> QHBoxLayout:
    """The offer's action buttons by key (``panel.action_buttons``, and each as
    ``panel.<key>_button`` for the page's wiring); "cancel" looks dangerous; none is a
    default button, so Enter in the list never acts on an offer."""
    panel.action_buttons = {}
    buttons = QHBoxLayout()
    buttons.setSpacing(8)
    for key, caption in captions.items():
        button = QPushButton(caption)
        if key == "cancel":
            button.setObjectName("dangerButton")
        button.setAutoDefault(False)
        button.setDefault(False)
        panel.action_buttons[key] = button
        setattr(panel, f"{key}_button", button)
        buttons.addWidget(button)
    if extra is not None:
        buttons.addWidget(extra)
    buttons.addStretch(1)
    return buttons


def show_no_offer(panel: QFrame, text: str) -> None:
    """The head, facts and buttons with no offer selected."""
    panel.detail_title.setText("No offer selected")
    panel.detail_body.setText(text)
    panel.detail_body.show()
    panel.status_badge.hide()
    for value in panel.facts.values():
        value.setText("—")
    panel.next_step.clear()
    for button in panel.action_buttons.values():
        button.setEnabled(False)
        button.setToolTip("Select an offer in the list first")


class OfferPanel(QFrame):
    """The selected offer. ``extra`` goes at the end of the button row (the demo
    client's Deliver button on the local test chain)."""

    def __init__(self, extra: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.account = ""
        lay = offer_head(self)
        lay.addLayout(facts_grid(self, FACTS, parties=("client", "talent", "referrer")))
        self.next_step = InlineMessage()
        lay.addWidget(self.next_step)
        lay.addLayout(action_row(self, {"accept": "Accept as talent…", "fund": "Pay into escrow…",
                                        "release": "Release payment…", "refund": "Refund…",
                                        "cancel": "Cancel offer…"}, extra))

    # ---- showing ----------------------------------------------------------------------------

    def show_none(self) -> None:
        show_no_offer(self, "Select an offer in the list to see its details and what you can do with it.")

    def show_gig(self, g: dict, *, account: str, now: int | None, data: dict | None, embedded: bool) -> None:
        """``now``: the chain's time; ``data``: the page's last read (the fee today, what
        the account holds)."""
        self.account = account
        self.detail_title.setText(f"#{g['id']} · {KIND_WORDS[g['kind']]} · {offer_title(g)}")
        body = offer_body(g)
        self.detail_body.setText(body)
        self.detail_body.setVisible(bool(body))
        self.status_badge.setText(STATUS_WORDS[g["status"]][0])
        self.status_badge.setToolTip(STATUS_WORDS[g["status"]][1])
        self.status_badge.setProperty("look", STATUS_LOOK[g["status"]])
        repolish(self.status_badge)
        self.status_badge.show()
        self._fill_facts(g, now, data["fee_bps"] if data else None)
        allowed = actions(g, account, now)
        for name, button in self.action_buttons.items():
            why = allowed[name]
            button.setEnabled(why is None)
            button.setToolTip(ACTION_TIPS[name] if why is None else f"Not possible: {why}")
            if name in ("fund", "release") and button.property("primary") != (why is None):
                button.setProperty("primary", why is None)    # the client's next step stands out
                repolish(button)
        self._show_next_step(g, now, data["btk"] if data else None, embedded)

    def _who(self, address: str | None, empty: str) -> str:
        if not address:
            return empty
        mine = address.lower() == self.account.lower()
        return f"{address} (you)" if mine else address

    def _fill_facts(self, g: dict, now: int | None, fee_bps: int | None) -> None:
        f = self.facts
        f["price"].setText(price_text(g))
        split = price_split(g)
        if g["status"] == "open":
            f["fee"].setText(f"{percent(fee_bps)} today, fixed when someone accepts" if fee_bps is not None else "—")
        else:
            f["fee"].setText(f"{percent(g['fee_bps'])} ({format_units(split.fee, 'BTK')}, to the DAO treasury)")
        f["client"].setText(self._who(g["client"], "—"))
        f["talent"].setText(self._who(g["talent"], "nobody yet"))
        if g["connector"]:
            f["cut"].setText(f"{percent(g['referral_bps'])} ({format_units(split.referral, 'BTK')}, to the referrer)")
            f["referrer"].setText(self._who(g["connector"], ""))
        else:
            f["cut"].setText("none")
            f["referrer"].setText("nobody")
        days = duration_words(g["delivery_window"])
        if g["status"] == "funded" and g["refundable_at"]:
            due = g["refundable_at"]
            left = f"in {duration_words(due - now, round_down=True)}" if now is not None and now < due else "passed"
            f["delivery"].setText(f"{days}: the client can take a refund from {local_date(due)} ({left})")
        else:
            f["delivery"].setText(f"{days}, counted from when the client pays")

    def _show_next_step(self, g: dict, now: int | None, held: int | None, embedded: bool) -> None:
        roles = roles_of(g, self.account)
        client, status = "client" in roles, g["status"]
        if status == "accepted" and client and held is not None and held < int(g["price_wei"]):
            self.next_step.warning(f"You hold {format_units(held, 'BTK')}, but paying into escrow needs "
                                   f"{price_text(g)}. Receive more BTK first (Wallet → Receive).")
            return
        text = self._next_text(g, roles, now)
        if roles and status in ("open", "accepted", "funded"):
            text = f"You are its {' and '.join(ROLE_WORDS[r] for r in roles)}. " + text
        note = demo_note(g, self.account, embedded)
        self.next_step.hint(f"{text} {note}" if note else text)

    @staticmethod
    def _next_text(g: dict, roles: list[str], now: int | None) -> str:
        client, talent = "client" in roles, "talent" in roles
        status, price = g["status"], price_text(g)
        if status == "open":
            return ("Waiting for someone to accept your offer. You can still cancel it." if client else
                    f"Open: accept it to do this {g['kind']} for {price}. The client then pays into escrow "
                    "before you start.")
        if status == "accepted":
            if client:
                return (f"{short_address(g['talent'])} accepted. Pay {price} into escrow so the work can start: "
                        "it stays locked until you release it. You can still cancel instead.")
            if talent:
                return "You accepted it. Wait for the client to pay into escrow before you start the work."
            return "Someone accepted this offer; it waits for the client's payment."
        if status == "funded":
            if client:
                due = g["refundable_at"]
                return "The price is in escrow. Release it once the work is delivered" + (
                    f"; if it is not, you can take it back from {local_date(due)}." if due and now is not None
                    and now < due else "; the delivery window has passed, so you can also take it back.")
            if talent:
                return (f"{price} is in escrow for you: do the work, and the client releases it. If you cannot, "
                        "refund the client.")
            return "The price is in escrow until the client releases it to the talent."
        if status == "released":
            return "Done: the talent was paid from escrow." + (" Thank you for the work." if talent else "")
        if status == "refunded":
            return "Closed: the escrow went back to the client."
        return "Closed: the client withdrew this offer before paying."
