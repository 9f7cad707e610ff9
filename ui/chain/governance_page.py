"""The Governance page: voting power, proposals and their life from vote to execution.

A holder who never used a DAO sees first whether their BTK count as votes (and activates
them in one click), then the proposals with where each stands (a state badge, a quorum
bar, what happens next and when), and for the selected one: what it would do in words,
the tallies, their own vote, the vote buttons, and queue / execute buttons that are
enabled exactly when the core would send them, with a countdown otherwise.

Everything comes from vault.chain.governance (Governance.overview, the templates, the
request builders, offline votes); every write goes through ChainPage.write.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QProgressBar, QPushButton, QStyle,
                               QStyledItemDelegate, QTableView, QVBoxLayout, QWidget)

from vault.chain.governance import Governance, short_id, voting_window
from vault.chain.units import format_units
from vault.safe_text import safe_text

from ..widgets import InlineMessage, section_title
from ..widgets.labels import plain_tip, repolish, text_label, title_and_badge
from ..widgets.layout import open_dialog, primary
from ..widgets.table_model import ListTableModel
from ..widgets.tables import configure_list_table, rows_height
from ..widgets.visible_timer import VisibleTimer
from .advance import AdvanceControl
from .page import ChainPage, blocks_text, short_address

_Index = QModelIndex | QPersistentModelIndex

SUPPORT_LABELS = {"for": "For", "against": "Against", "abstain": "Abstain"}


# ---- words for numbers and times --------------------------------------------------------

def votes_text(wei) -> str:
    """Votes are BTK: "5,000,000 votes"."""
    return format_units(int(wei), "votes")


def duration(seconds: int) -> str:
    """12 s, 4 min 10 s, 1 h 59 min, 2 d 3 h."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 10:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def clock_in(seconds: int, now: datetime | None = None) -> str:
    """The local time ``seconds`` from now: "15:04" today, else "Tue 12 Mar 15:04"."""
    now = now or datetime.now()
    at = now + timedelta(seconds=max(0, int(seconds)))
    return at.strftime("%H:%M") if at.date() == now.date() else at.strftime("%a %d %b %H:%M")


class ProposalView:
    """One proposal of the overview with the time passed since it was read: what its
    badge, its countdown and its buttons say. ``remaining`` counts the timelock down
    between reads; the buttons follow the chain's last answer only."""

    def __init__(self, data: dict, *, embedded: bool, read_at: float):
        self.data, self.embedded, self.read_at = data, embedded, read_at

    @property
    def id(self) -> str:
        return self.data["proposal_id"]

    @property
    def state(self) -> str:
        return self.data["state"]

    @property
    def title(self) -> str:
        return safe_text(self.data["title"]) or f"Proposal {short_id(self.id)}"   # anyone's words

    @property
    def remaining(self) -> int | None:
        """Seconds until the timelock lets it be executed (queued only), counted down."""
        if self.state != "queued" or self.data.get("eta_in_seconds") is None:
            return None
        return max(0, int(self.data["eta_in_seconds"] - (time.monotonic() - self.read_at)))

    @property
    def can_vote(self) -> bool:
        return self.state == "active" and not self.voted

    @property
    def voted(self) -> bool:
        return bool((self.data.get("my_vote") or {}).get("voted"))

    @property
    def can_queue(self) -> bool:
        return self.state == "succeeded"

    @property
    def can_execute(self) -> bool:
        # The chain's own answer at the last read (the core's check): never the local clock.
        return self.state == "queued" and self.data.get("eta_in_seconds") == 0

    def badge(self) -> str:
        state = self.state
        if state == "pending":
            return "Pending – voting opens soon"
        if state == "active":
            return "Voting open"
        if state == "succeeded":
            return "Succeeded – awaiting queue"
        if state == "queued":
            if self.can_execute:
                return "Queued – executable now"
            return f"Queued – executable at {clock_in(self.remaining or 0)}"
        return {"executed": "Executed", "defeated": "Defeated", "expired": "Expired",
                "canceled": "Canceled"}.get(state, state.capitalize())

    def _blocks_estimate(self, blocks: int) -> str:
        if self.embedded:
            return ""
        seconds = (self.data.get("time_left") or {}).get("seconds_estimate") or 0
        return f" (about {duration(seconds)}, around {clock_in(seconds)})"

    def next_step(self) -> str:
        """Short, for the list."""
        state, left = self.state, self.data.get("time_left") or {}
        if state == "pending":
            return f"Voting opens in {blocks_text(left.get('blocks') or 0)}"
        if state == "active":
            return f"Voting ends in {blocks_text(left.get('blocks') or 0)}"
        if state == "succeeded":
            return "Queue it in the timelock"
        if state == "queued":
            if self.can_execute:
                return "Execute it"
            remaining = self.remaining or 0
            return f"Executable in {duration(remaining)}" if remaining else "Executable from the next block"
        if state == "defeated":
            return "Quorum not reached" if not self.data["quorum_reached"] else "More votes against"
        if state == "executed":
            return "Done"
        return "—"

    def countdown(self) -> str:
        """Long, for the proposal's panel: where it stands and what comes next, when."""
        state, left = self.state, self.data.get("time_left") or {}
        mine = " Mine blocks below to let them pass." if self.embedded else ""
        if state == "pending":
            n = left.get("blocks") or 0
            return f"Voting opens in {blocks_text(n)}{self._blocks_estimate(n)}: {voting_window(self.data)}.{mine}"
        if state == "active":
            n = left.get("blocks") or 0
            return f"Voting ends in {blocks_text(n)}{self._blocks_estimate(n)}: {voting_window(self.data)}.{mine}"
        if state == "succeeded":
            return ("The vote passed. Next, anyone can queue it in the timelock; after the timelock's "
                    "delay, anyone can execute it.")
        if state == "queued":
            if self.can_execute:
                return "The timelock's delay is over: it can be executed now, by anyone."
            remaining = self.remaining or 0
            if remaining:
                skip = " (On this embedded chain: Skip a day, below.)" if self.embedded else ""
                return f"Executable in {duration(remaining)} (at {clock_in(remaining)}).{skip}"
            block = " (on this embedded chain: mine 1 block below)" if self.embedded else ""
            return f"The timelock's delay is over; it can be executed from the next block on{block}."
        if state == "executed":
            return "Executed: what it proposed has been done."
        if state == "defeated":
            if not self.data["quorum_reached"]:
                return "Defeated: not enough votes took part (the quorum was not reached)."
            return "Defeated: more votes against than for."
        if state == "canceled":
            return "Canceled by its proposer before it passed."
        if state == "expired":
            return "Expired: it was not executed in time."
        return ""


# ---- the list -----------------------------------------------------------------------------

class ProposalTableModel(ListTableModel):
    """The proposals: the title with its next step under it, the state badge, the quorum bar."""

    TITLE, STATUS, QUORUM = range(3)
    HEADERS = ("Proposal and next step", "Status", "Quorum")
    ViewRole = Qt.UserRole + 1
    NextRole = Qt.UserRole + 2

    def views(self) -> list[ProposalView]:
        return self.rows

    def row_of(self, proposal_id: str) -> int:
        return next((i for i, v in enumerate(self.rows) if v.id == proposal_id), -1)

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        view, column = self.rows[index.row()], index.column()
        p = view.data
        if role == self.ViewRole:
            return view
        if role == self.NextRole:
            return view.next_step()
        if role == Qt.DisplayRole:
            if column == self.TITLE:
                return view.title
            if column == self.STATUS:
                return view.badge()
            if column == self.QUORUM:
                return quorum_caption(p)
        if role == Qt.AccessibleTextRole:
            if column == self.TITLE:
                return f"{view.title}. {view.next_step()}"
            if column == self.STATUS:
                return view.badge()
            if column == self.QUORUM:
                return quorum_caption(p)
        if role == Qt.ToolTipRole:
            if column == self.TITLE:
                return plain_tip(f"{view.title}\n{view.countdown()}\nProposal id {p['proposal_id']}")
            if column == self.QUORUM:
                return (f"{format_units(int(p['quorum_progress_wei']), 'votes')} counted toward the quorum "
                        f"of {format_units(int(p['quorum_wei']), 'votes')}")
            if column == self.STATUS:
                return view.countdown()
        return None

    def refresh_times(self) -> None:
        """The countdowns moved on: repaint the time-dependent cells."""
        if self.rows:
            self.dataChanged.emit(self.index(0, self.TITLE), self.index(len(self.rows) - 1, self.STATUS))


def quorum_caption(p: dict) -> str:
    if p["quorum_reached"]:
        return f"Reached ({p['quorum_percent']:g} %)"
    return f"{p['quorum_percent']:g} % of quorum"


def _dark(palette: QPalette) -> bool:
    return palette.color(QPalette.Base).lightness() < 128


# Badge colours per state: (background, border, text) in the light and the dark theme.
BADGE_COLORS = {
    "pending":   (("#f3effc", "#cdbdf0", "#5a32a3"), ("#2b2340", "#5a4a86", "#d2c2ff")),
    "active":    (("#eef3fe", "#b6c9f5", "#1b3d99"), ("#1d2a47", "#3d5a99", "#b7cbff")),
    "succeeded": (("#e8f6f3", "#a6d8cc", "#0f6b58"), ("#173430", "#2f6e62", "#9fe3d2")),
    "queued":    (("#fff6e5", "#f0c36d", "#6b4600"), ("#3a2e12", "#8a6a24", "#ffd98a")),
    "executed":  (("#eef8f0", "#b7dfc0", "#1a7f37"), ("#1a3323", "#2f6b42", "#9be0ae")),
    "defeated":  (("#fdecea", "#f5b5ae", "#a11c12"), ("#3d1f1d", "#7d3a34", "#ffb4ab")),
    "expired":   (("#f1f3f5", "#d0d7de", "#57606a"), ("#262d37", "#3a4350", "#aab3bf")),
    "canceled":  (("#f1f3f5", "#d0d7de", "#57606a"), ("#262d37", "#3a4350", "#aab3bf")),
}


def badge_colors(state: str, dark: bool) -> tuple[QColor, QColor, QColor]:
    light_set, dark_set = BADGE_COLORS.get(state, BADGE_COLORS["expired"])
    return tuple(QColor(c) for c in (dark_set if dark else light_set))


class _ProposalDelegate(QStyledItemDelegate):
    """A cell drawn from the row's ProposalView by ``paint_view``, over the cell's own
    selection / alternate background."""

    def paint(self, painter: QPainter, option, index) -> None:
        view = index.data(ProposalTableModel.ViewRole)
        if view is None:
            return super().paint(painter, option, index)
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        if style is not None:
            option.text = ""   # the background alone: paint_view draws the content
            style.drawControl(QStyle.CE_ItemViewItem, option, painter, option.widget)
        self.paint_view(painter, option, view)

    def paint_view(self, painter: QPainter, option, view: ProposalView) -> None:
        raise NotImplementedError


class TitleDelegate(_ProposalDelegate):
    """The title (semi-bold) over its next step (muted)."""

    def paint_view(self, painter: QPainter, option, view: ProposalView) -> None:
        dark = _dark(option.palette)
        rect = option.rect.adjusted(8, 4, -8, -4)
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        title_metrics = QFontMetrics(title_font)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 0.5))
        small_metrics = QFontMetrics(small)
        total = title_metrics.height() + small_metrics.height() + 1
        top = rect.y() + (rect.height() - total) / 2
        painter.save()
        painter.setFont(title_font)
        painter.setPen(option.palette.color(QPalette.Text))
        painter.drawText(QRectF(rect.x(), top, rect.width(), title_metrics.height()), Qt.AlignLeft | Qt.AlignVCenter,
                         title_metrics.elidedText(view.title, Qt.ElideRight, rect.width()))
        painter.setFont(small)
        painter.setPen(QColor("#9aa4b1" if dark else "#57606a"))
        painter.drawText(QRectF(rect.x(), top + title_metrics.height() + 1, rect.width(), small_metrics.height()),
                         Qt.AlignLeft | Qt.AlignVCenter,
                         small_metrics.elidedText(view.next_step(), Qt.ElideRight, rect.width()))
        painter.restore()


class BadgeDelegate(_ProposalDelegate):
    """The state as a rounded badge in its colours (readable in both themes)."""

    def paint_view(self, painter: QPainter, option, view: ProposalView) -> None:
        text = view.badge()
        background, border, color = badge_colors(view.state, _dark(option.palette))
        font = QFont(option.font)
        font.setBold(True)
        metrics = QFontMetrics(font)
        height = metrics.height() + 6
        width = min(option.rect.width() - 8, metrics.horizontalAdvance(text) + 18)
        rect = QRectF(option.rect.x() + 4, option.rect.center().y() - height / 2 + 0.5, width, height)
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(border)
        painter.setBrush(background)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(color)
        painter.setFont(font)
        shown = metrics.elidedText(text, Qt.ElideRight, int(rect.width()) - 14)
        painter.drawText(rect.adjusted(7, 0, -7, 0), Qt.AlignCenter, shown)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 24, size.height())


class QuorumBarDelegate(_ProposalDelegate):
    """Votes counted toward the quorum against the quorum: a bar, full (green) when reached."""

    def paint_view(self, painter: QPainter, option, view: ProposalView) -> None:
        p = view.data
        dark = _dark(option.palette)
        fraction = min(1.0, float(p["quorum_percent"]) / 100.0)
        bar_height = 6
        metrics = QFontMetrics(option.font)
        text_height = metrics.height()
        top = option.rect.center().y() - (text_height + bar_height + 2) / 2
        inner = QRectF(option.rect.x() + 6, top, option.rect.width() - 12, text_height)
        bar = QRectF(inner.x(), top + text_height + 2, inner.width(), bar_height)
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(option.palette.color(QPalette.Text))
        painter.drawText(inner, Qt.AlignLeft | Qt.AlignVCenter,
                         metrics.elidedText(quorum_caption(p), Qt.ElideRight, int(inner.width())))
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor("#2a313c" if dark else "#e6e9ed"))
        painter.drawRoundedRect(bar, 3, 3)
        if fraction > 0:
            filled = QRectF(bar.x(), bar.y(), max(bar_height, bar.width() * fraction), bar_height)
            reached = p["quorum_reached"]
            painter.setBrush(QColor(("#4cc26a" if dark else "#1a7f37") if reached else
                                    ("#5b8def" if dark else "#2f5bd3")))
            painter.drawRoundedRect(filled, 3, 3)
        painter.restore()


# ---- the selected proposal ------------------------------------------------------------------

def _caption(text: str) -> QLabel:
    return text_label(text, name="govCaption", wrap=False)


class TallyRow:
    """"For   [=====      ]  5,000,000 votes (100 %)"."""

    def __init__(self, grid: QGridLayout, row: int, support: str):
        self.caption = QLabel(SUPPORT_LABELS[support])
        self.caption.setObjectName("govTallyCaption")
        self.bar = QProgressBar()
        self.bar.setObjectName("govTallyBar")
        self.bar.setProperty("support", support)
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(f"{SUPPORT_LABELS[support]} votes")
        self.amount = QLabel()
        self.amount.setObjectName("govTallyAmount")
        grid.addWidget(self.caption, row, 0)
        grid.addWidget(self.bar, row, 1)
        grid.addWidget(self.amount, row, 2)

    def show(self, wei: int, total: int) -> None:
        share = wei / total if total else 0.0
        self.bar.setValue(round(share * 1000))
        self.amount.setText(f"{votes_text(wei)} ({share * 100:.0f} %)" if total else votes_text(wei))


class ProposalPanel(QFrame):
    """The selected proposal: what it does, the tallies, one's vote, the next step."""

    vote_requested = Signal(str)       # for / against / abstain
    sign_requested = Signal()
    queue_requested = Signal()
    execute_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("govProposal")
        self.view: ProposalView | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 16)
        layout.setSpacing(8)

        self.title = text_label(name="govProposalTitle", plain=True)
        self.badge = text_label(name="govBadge", wrap=False)
        layout.addLayout(title_and_badge(self.title, self.badge))
        self.meta = text_label(name="govMeta", selectable=True)
        layout.addWidget(self.meta)
        self.description = text_label(name="govDescription", plain=True, selectable=True)
        layout.addWidget(self.description)

        layout.addWidget(_caption("If it passes, the treasury (the timelock) will:"))
        self.actions = text_label(name="govActions", plain=True, selectable=True)
        layout.addWidget(self.actions)

        layout.addWidget(_caption("Votes so far"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self.tallies = {s: TallyRow(grid, i, s) for i, s in enumerate(("for", "against", "abstain"))}
        layout.addLayout(grid)
        self.quorum = text_label(name="govQuorum")
        layout.addWidget(self.quorum)

        layout.addWidget(_caption("Your vote"))
        self.my_vote = text_label(name="govMyVote", plain=True)
        layout.addWidget(self.my_vote)
        self.vote_note = InlineMessage()
        layout.addWidget(self.vote_note)
        self.reason = QLineEdit()
        self.reason.setObjectName("govReason")
        self.reason.setPlaceholderText("Reason (optional; public, stored on chain with your vote)")
        self.reason.setAccessibleName("Reason for your vote")
        self.reason.setMaxLength(500)
        layout.addWidget(self.reason)
        votes = QHBoxLayout()
        votes.setSpacing(8)
        self.for_button = QPushButton("Vote For")
        self.for_button.setObjectName("govVoteFor")
        self.against_button = QPushButton("Vote Against")
        self.against_button.setObjectName("govVoteAgainst")
        self.abstain_button = QPushButton("Abstain")
        self.abstain_button.setObjectName("govVoteAbstain")
        self.abstain_button.setToolTip("Take part without taking a side: counts toward the quorum only")
        self.sign_button = QPushButton("Sign offline…")
        self.sign_button.setToolTip("Sign your vote without sending it (no fee): someone else relays it "
                                    "from a file or a QR code")
        for b in (self.for_button, self.against_button, self.abstain_button):
            votes.addWidget(b)
        votes.addStretch(1)
        votes.addWidget(self.sign_button)
        layout.addLayout(votes)

        layout.addWidget(_caption("Next step"))
        self.next_label = text_label(name="govNext")
        layout.addWidget(self.next_label)
        steps = QHBoxLayout()
        steps.setSpacing(8)
        self.queue_button = QPushButton("Queue in the timelock")
        self.queue_button.setToolTip("Anyone may queue a proposal that passed; the timelock's delay "
                                     "then gives everyone time to react before it is executed")
        self.execute_button = QPushButton("Execute")
        self.execute_button.setObjectName("govExecute")
        self.execute_button.setToolTip("Anyone may execute a queued proposal once the timelock's delay is over")
        steps.addWidget(self.queue_button)
        steps.addWidget(self.execute_button)
        steps.addStretch(1)
        layout.addLayout(steps)

        self.for_button.clicked.connect(lambda: self.vote_requested.emit("for"))
        self.against_button.clicked.connect(lambda: self.vote_requested.emit("against"))
        self.abstain_button.clicked.connect(lambda: self.vote_requested.emit("abstain"))
        self.sign_button.clicked.connect(self.sign_requested)
        self.queue_button.clicked.connect(self.queue_requested)
        self.execute_button.clicked.connect(self.execute_requested)

    def show_view(self, view: ProposalView) -> None:
        changed = self.view is None or self.view.id != view.id
        self.view = view
        p = view.data
        if changed:
            self.reason.clear()
        self.title.setText(view.title)
        self.meta.setText(f"Proposed by {p['proposer']} · id {short_id(view.id)} · {voting_window(p)}")
        self.meta.setToolTip(f"Proposal id {view.id}")
        body = "\n".join(p["description"].splitlines()[1:]).strip()
        self.description.setText(body)
        self.description.setVisible(bool(body))
        self.actions.setText("\n".join(f"• {c['summary']}" for c in p["calls"]))
        wei = {k: int(v) for k, v in p["votes_wei"].items()}
        total = sum(wei.values())
        for support, row in self.tallies.items():
            row.show(wei[support], total)
        counts = " and ".join(SUPPORT_LABELS[k] for k in p["quorum_counts"]) or "All"
        reached = "reached ✓" if p["quorum_reached"] else "not reached yet"
        self.quorum.setText(f"Quorum {reached}: {votes_text(int(p['quorum_progress_wei']))} of "
                            f"{votes_text(int(p['quorum_wei']))} needed ({p['quorum_percent']:g} %). "
                            f"{counts} votes count toward it.")
        self._show_my_vote(view)
        self.update_times()

    def _show_my_vote(self, view: ProposalView) -> None:
        p, state = view.data, view.state
        mine = p.get("my_vote") or {}
        power = int(p.get("my_power_wei") or 0)
        self.vote_note.clear()
        if mine.get("voted"):
            support = SUPPORT_LABELS.get(mine.get("support") or "", "")
            text = f"You voted {support}" if support else "You voted"
            if mine.get("weight_wei"):
                text += f" with {votes_text(int(mine['weight_wei']))}"
            if mine.get("reason"):
                text += f": “{mine['reason']}”"
            self.my_vote.setText(text + ". A vote cannot be changed.")
        elif state == "pending":
            self.my_vote.setText(f"Voting has not opened. Your votes on it will be those you have at block "
                                 f"{p['snapshot']:,} (now {votes_text(power)}).")
        elif state == "active":
            self.my_vote.setText(f"You have not voted. Your votes on it: {votes_text(power)} (what you had at "
                                 f"block {p['snapshot']:,}, the block before voting opened).")
            if power == 0:
                self.vote_note.warning("You had no votes when voting on this proposal opened, so your vote "
                                       "would count 0. Votes you activate now count for later proposals.")
        else:
            self.my_vote.setText("You did not vote on it." if state != "canceled" else "It was canceled.")
        open_vote = view.can_vote
        for b in (self.for_button, self.against_button, self.abstain_button):
            b.setEnabled(open_vote)
        self.reason.setEnabled(open_vote or (state == "pending" and not view.voted))
        self.sign_button.setEnabled(state in ("pending", "active") and not view.voted)

    def update_times(self) -> None:
        view = self.view
        if view is None:
            return
        self.badge.setText(view.badge())
        self.badge.setProperty("state", view.state)
        repolish(self.badge)
        self.next_label.setText(view.countdown())
        self.queue_button.setEnabled(view.can_queue)
        self.execute_button.setEnabled(view.can_execute)
        self.queue_button.setVisible(view.state in ("succeeded", "queued", "active", "pending"))
        self.execute_button.setVisible(view.state in ("succeeded", "queued", "active", "pending"))


# ---- the page ----------------------------------------------------------------------------------

class GovernancePage(ChainPage):
    refreshed = Signal()   # after every read applied (tests wait on it)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, "Governance",
                         "BTK holders decide together how the treasury is spent and how the app's rules "
                         "change. A proposal is voted on, then waits in the timelock for a while, then "
                         "anyone can execute it.", parent)
        self.setObjectName("governancePage")
        self.overview: dict | None = None
        self._reading = False
        self._read_again = False
        self._selected: str | None = None
        self._refreshed_at_zero: set[str] = set()
        self._draft = None   # a new proposal's dialog not sent yet: reopened with what was typed

        # voting power
        power = QFrame()
        power.setObjectName("govPower")
        row = QHBoxLayout(power)
        row.setContentsMargins(16, 10, 16, 10)
        row.setSpacing(24)
        self.power_value = QLabel("–")
        self.power_value.setObjectName("govPowerValue")
        self.power_value.setAccessibleName("Your voting power")
        self.power_detail = text_label(name="govPowerDetail")
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(_caption("Your voting power now"))
        column.addWidget(self.power_value)
        row.addLayout(column)
        row.addWidget(self.power_detail, 1)
        self.body.addWidget(power)

        self.delegate_banner = QFrame()
        self.delegate_banner.setObjectName("govDelegateBanner")
        banner = QHBoxLayout(self.delegate_banner)
        banner.setContentsMargins(14, 10, 14, 10)
        self.delegate_text = text_label(name="govDelegateText")
        self.delegate_button = primary(QPushButton("Activate my votes"))
        self.delegate_button.setAutoDefault(False)
        self.delegate_button.setDefault(False)
        banner.addWidget(self.delegate_text, 1)
        banner.addWidget(self.delegate_button)
        self.delegate_banner.hide()
        self.body.addWidget(self.delegate_banner)


        heading = QHBoxLayout()
        heading.addWidget(section_title("Proposals"))
        heading.addStretch(1)
        self.relay_button = QPushButton("Relay a signed vote…")
        self.relay_button.setToolTip("Send someone's vote that they signed offline (you pay the network fee)")
        self.new_button = QPushButton("New proposal…")
        heading.addWidget(self.relay_button)
        heading.addWidget(self.new_button)
        self.body.addLayout(heading)
        self.propose_hint = text_label(name="hintLabel")
        self.body.addWidget(self.propose_hint)

        self.model = ProposalTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("govProposals")
        self.table.setAccessibleName("Proposals")
        self.table.setModel(self.model)
        configure_list_table(self.table, text_lines=2, row_padding=16)   # a title over its next step
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ProposalTableModel.TITLE, QHeaderView.Stretch)
        for column, width in ((ProposalTableModel.STATUS, 250), (ProposalTableModel.QUORUM, 150)):
            header.setSectionResizeMode(column, QHeaderView.Interactive)
            header.resizeSection(column, width)
        self.table.setItemDelegateForColumn(ProposalTableModel.TITLE, TitleDelegate(self.table))
        self.table.setItemDelegateForColumn(ProposalTableModel.STATUS, BadgeDelegate(self.table))
        self.table.setItemDelegateForColumn(ProposalTableModel.QUORUM, QuorumBarDelegate(self.table))
        self._fit_table(3)
        self.body.addWidget(self.table)
        self.empty = text_label("No proposals yet. Anyone with at least the proposal threshold of votes can make "
                                "one with “New proposal…”.", name="hintLabel")
        self.empty.hide()
        self.body.addWidget(self.empty)

        self.panel = ProposalPanel()
        # Beside the countdowns it ends: voting periods and the timelock pass on demand.
        self.advance = AdvanceControl(session)
        self.panel.layout().addWidget(self.advance)
        self.panel.hide()
        self.body.addWidget(self.panel)
        self.body.addStretch(1)

        self.timer = VisibleTimer(self, 1000, self._tick, wanted=self._counting_down)

        self.delegate_button.clicked.connect(self.activate_votes)
        self.new_button.clicked.connect(self.new_proposal)
        self.relay_button.clicked.connect(self.relay_vote)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.panel.vote_requested.connect(self.vote)
        self.panel.sign_requested.connect(self.sign_offline)
        self.panel.queue_requested.connect(self.queue)
        self.panel.execute_requested.connect(self.execute)

    def _fit_table(self, rows: int) -> None:
        """As tall as its rows, from 2 up to 5 (then it scrolls)."""
        rows = max(2, min(rows, 5))
        self.table.setFixedHeight(rows_height(self.table, rows) + 4)

    # ---- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        account = self.account
        self.read(lambda chain: Governance(chain).overview(account), done=self._on_overview)

    def _on_read_failed(self, exc: BaseException) -> None:
        self._reading = False
        super()._on_read_failed(exc)

    def _on_overview(self, overview: dict) -> None:
        self._reading = False
        if self._read_again:
            self._read_again = False
            self.refresh()
        if overview["account"].lower() != self.account.lower():
            return   # another account was picked meanwhile: its read follows
        self.overview = overview
        read_at = time.monotonic()
        self._refreshed_at_zero.clear()
        self._show_power(overview)
        views = [ProposalView(p, embedded=overview["embedded"], read_at=read_at) for p in overview["proposals"]]
        keep = self._selected
        self.model.set_rows(views)
        self._fit_table(len(views))
        self.empty.setVisible(not views)
        self.table.setVisible(bool(views))
        row = self.model.row_of(keep) if keep else -1
        if views:
            self.table.selectRow(row if row >= 0 else 0)
            self._on_row(self.model.index(row if row >= 0 else 0, 0))
        else:
            self.panel.hide()
        self.timer.update_running()
        self.refreshed.emit()

    def _show_power(self, o: dict) -> None:
        power = o["power"]
        votes, held = int(power["votes_wei"]), int(power["balance_wei"])
        self.power_value.setText(votes_text(votes))
        if power["self_delegated"]:
            who = "yourself"
        elif power["delegate"]:
            who = power["delegate"]
        else:
            who = "nobody yet"
        self.power_detail.setText(f"You hold {format_units(held, 'BTK')}; your BTK count as votes for: {who}.\n"
                                  f"The treasury holds {format_units(int(o['treasury']['btk_wei']), 'BTK')}. "
                                  f"Proposing needs {votes_text(int(o['threshold_wei']))}.")
        if held and not power["self_delegated"]:
            if power["delegate"]:
                self.delegate_text.setText(f"Your {format_units(held, 'BTK')} count as votes for "
                                           f"{power['delegate']}, who votes with them. To vote yourself, take "
                                           "them back.")
                self.delegate_button.setText("Vote myself")
            else:
                self.delegate_text.setText(f"Your {format_units(held, 'BTK')} don't count as votes until you "
                                           "delegate them — to yourself to vote yourself.")
                self.delegate_button.setText("Activate my votes")
            self.delegate_banner.show()
        else:
            self.delegate_banner.hide()
        threshold = int(o["threshold_wei"])
        self.propose_hint.setVisible(not o["can_propose"])
        self.propose_hint.setText(f"Making a proposal needs {votes_text(threshold)}; you have {votes_text(votes)}."
                                  + (" Activate your votes above first." if held and not votes else ""))

    def _on_row(self, current, _previous=None) -> None:
        if not current.isValid():
            return
        view = self.model.data(self.model.index(current.row(), 0), ProposalTableModel.ViewRole)
        if view is None:
            return
        self._selected = view.id
        self.panel.show_view(view)
        self.panel.show()
        left = (view.data.get("time_left") or {}).get("blocks")
        if view.state in ("pending", "active") and left:
            self.advance.blocks.setValue(left)   # one click on Mine ends the wait

    @property
    def selected(self) -> ProposalView | None:
        return self.panel.view if self.panel.isVisible() else None

    # ---- countdowns ------------------------------------------------------------------------

    def _counting_down(self) -> bool:
        """A queued proposal waits out its timelock: its countdown moves on by the clock."""
        return any(v.state == "queued" and not v.can_execute for v in self.model.views())

    def _tick(self) -> None:
        self.model.refresh_times()
        self.panel.update_times()
        for view in self.model.views():
            if view.state == "queued" and not view.can_execute and view.remaining == 0 \
                    and view.id not in self._refreshed_at_zero:
                # The delay should be over: ask the chain (which alone enables Execute).
                self._refreshed_at_zero.add(view.id)
                self.refresh_now()
                break

    # ---- writes ----------------------------------------------------------------------------

    def activate_votes(self) -> None:
        sender = self.account
        self.write("Activate your votes",
                   lambda service: Governance(service.chain).delegate_request(service, sender, sender),
                   intro=["Delegating to yourself makes the BTK you hold count as your votes, now and "
                          "whenever your balance changes. Your BTK stay in your account."],
                   success="Your BTK now count as votes.")

    def vote(self, support: str) -> None:
        view = self.panel.view
        if view is None:
            return
        sender, pid, reason = self.account, int(view.id), self.panel.reason.text().strip()
        flow = self.write(f"Vote {SUPPORT_LABELS[support]}",
                          lambda service: Governance(service.chain).vote_request(service, sender, pid, support,
                                                                                 reason),
                          success=f"Your vote {SUPPORT_LABELS[support].upper()} is counted.")
        if flow is not None:
            flow.succeeded.connect(lambda _r: self.panel.reason.clear())

    def queue(self) -> None:
        view = self.panel.view
        if view is None:
            return
        sender, pid = self.account, int(view.id)
        delay = duration(self.overview["timelock_delay"]) if self.overview else "a while"
        self.write("Queue the proposal",
                   lambda service: Governance(service.chain).queue_request(service, sender, pid),
                   intro=[f"The timelock holds it for {delay}; then anyone can execute it."],
                   success=f"Queued. It can be executed in {delay}.")

    def execute(self) -> None:
        view = self.panel.view
        if view is None:
            return
        sender, pid = self.account, int(view.id)
        self.write("Execute the proposal",
                   lambda service: Governance(service.chain).execute_request(service, sender, pid),
                   intro=["It will now:"] + [f"• {c['summary']}" for c in view.data["calls"]],
                   success="Executed: the proposal's actions are done.")

    def new_proposal(self) -> None:
        from .governance_dialogs import NewProposalDialog

        if self.overview is None:   # not connected (yet): the banner says why
            self._show_connection_state()
            return
        dialog = self._draft
        if dialog is None:
            dialog = NewProposalDialog(self.session, self.overview, self)
            dialog.submitted.connect(self._propose)
            self._draft = dialog
        else:
            dialog.update_overview(self.overview)
        open_dialog(self, dialog)

    def _propose(self, call_maker, description: str, summary: str) -> None:
        sender = self.account

        def build(service):
            gov = Governance(service.chain)
            return gov.propose_request(service, sender, [call_maker(gov)], description)

        delay = self.overview["voting_delay"] if self.overview else 1
        period = self.overview["voting_period"] if self.overview else 0
        flow = self.write("New proposal", build,
                          intro=[f"Proposal: {summary}",
                                 f"Voting opens after {blocks_text(delay)} and lasts {blocks_text(period)}."],
                          success="Proposal created. Select it in the list to follow it.")
        if flow is not None:
            flow.succeeded.connect(self._proposal_sent)

    def _proposal_sent(self, records) -> None:
        if self._draft is not None:
            self._draft.deleteLater()
            self._draft = None
        for record in records:
            for event in record.events:
                if event.get("event") == "ProposalCreated":
                    self._selected = str(event["args"]["proposalId"])

    def sign_offline(self) -> None:
        from .governance_dialogs import SignVoteDialog

        view = self.panel.view
        if view is None:
            return
        dialog = SignVoteDialog(self.session, self.account, view.id, view.title, self.panel.reason.text().strip(),
                                self)
        open_dialog(self, dialog, delete_on_close=True)

    def relay_vote(self) -> None:
        from .governance_dialogs import RelayVoteDialog

        dialog = RelayVoteDialog(self.session, self)
        dialog.relay.connect(self._relay)
        open_dialog(self, dialog, delete_on_close=True)

    def _relay(self, vote: dict) -> None:
        sender = self.account
        self.write("Relay a signed vote",
                   lambda service: Governance(service.chain).relay_request(service, sender, vote),
                   intro=[f"You send {vote['voter']}'s vote and pay its network fee; the vote counts as "
                          "theirs."],
                   success="The signed vote is counted.")

    def drop_vault_data(self) -> None:
        self.timer.stop()
        if self._draft is not None:
            self._draft.reject()
        super().drop_vault_data()


__all__ = ["GovernancePage", "ProposalView", "duration", "clock_in", "short_address"]
