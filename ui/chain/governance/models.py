"""The Governance page's proposals as it shows them: a ProposalView per proposal (its
badge, next step and countdown in words, counted down between reads) and the list model.

Which buttons a proposal enables comes from the core (vault.chain.governance.next_actions),
as read from the chain: never from the local clock.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from vault.chain.governance import next_actions, short_id, voting_window
from vault.chain.units import format_units
from vault.safe_text import safe_text

from ...format import blocks_text, clock_in, duration, percent_text
from ...widgets.labels import plain_tip
from ...widgets.table_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex

SUPPORT_LABELS = {"for": "For", "against": "Against", "abstain": "Abstain"}
_CLOSED = {"executed": "Executed", "defeated": "Defeated", "expired": "Expired", "canceled": "Canceled"}


def votes_text(wei) -> str:
    """Votes are BTK: "5,000,000 votes"."""
    return format_units(int(wei), "votes")


def quorum_caption(p: dict) -> str:
    if p["quorum_reached"]:
        return f"Reached ({percent_text(p['quorum_percent'])})"
    return f"{percent_text(p['quorum_percent'])} of quorum"


class ProposalView:
    """One proposal of the overview with the time passed since it was read: what its
    badge, its countdown and its buttons say. ``remaining`` counts the timelock down
    between reads; the buttons follow the chain's last answer only."""

    def __init__(self, data: dict, *, embedded: bool, read_at: float):
        self.data, self.embedded, self.read_at = data, embedded, read_at
        self.actions = next_actions(data)

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
        return self.actions.vote

    @property
    def voted(self) -> bool:
        return bool((self.data.get("my_vote") or {}).get("voted"))

    @property
    def can_queue(self) -> bool:
        return self.actions.queue

    @property
    def can_execute(self) -> bool:
        return self.actions.execute

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
        return _CLOSED.get(state, state.capitalize())

    def _blocks_estimate(self) -> str:
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
        state = self.state
        if state in ("pending", "active"):
            return self._voting_countdown()
        if state == "succeeded":
            return ("The vote passed. Next, anyone can queue it in the timelock; after the timelock's "
                    "delay, anyone can execute it.")
        if state == "queued":
            return self._timelock_countdown()
        if state == "defeated":
            if not self.data["quorum_reached"]:
                return "Defeated: not enough votes took part (the quorum was not reached)."
            return "Defeated: more votes against than for."
        return {"executed": "Executed: what it proposed has been done.",
                "canceled": "Canceled by its proposer before it passed.",
                "expired": "Expired: it was not executed in time."}.get(state, "")

    def _voting_countdown(self) -> str:
        n = (self.data.get("time_left") or {}).get("blocks") or 0
        what = "Voting opens" if self.state == "pending" else "Voting ends"
        mine = " Mine blocks below to let them pass." if self.embedded else ""
        return f"{what} in {blocks_text(n)}{self._blocks_estimate()}: {voting_window(self.data)}.{mine}"

    def _timelock_countdown(self) -> str:
        if self.can_execute:
            return "The timelock's delay is over: it can be executed now, by anyone."
        remaining = self.remaining or 0
        if remaining:
            skip = " (On this embedded chain: Skip a day, below.)" if self.embedded else ""
            return f"Executable in {duration(remaining)} (at {clock_in(remaining)}).{skip}"
        block = " (on this embedded chain: mine 1 block below)" if self.embedded else ""
        return f"The timelock's delay is over; it can be executed from the next block on{block}."


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
        if role == self.ViewRole:
            return view
        if role == self.NextRole:
            return view.next_step()
        if role in (Qt.DisplayRole, Qt.AccessibleTextRole):
            if column == self.TITLE:
                return view.title if role == Qt.DisplayRole else f"{view.title}. {view.next_step()}"
            return view.badge() if column == self.STATUS else quorum_caption(view.data)
        if role == Qt.ToolTipRole:
            return self._tooltip(view, column)
        return None

    def _tooltip(self, view: ProposalView, column: int) -> str:
        p = view.data
        if column == self.TITLE:
            return plain_tip(f"{view.title}\n{view.countdown()}\nProposal id {p['proposal_id']}")
        if column == self.QUORUM:
            return (f"{format_units(int(p['quorum_progress_wei']), 'votes')} counted toward the quorum "
                    f"of {format_units(int(p['quorum_wei']), 'votes')}")
        return view.countdown()

    def refresh_times(self) -> None:
        """The countdowns moved on: repaint the time-dependent cells."""
        if self.rows:
            self.dataChanged.emit(self.index(0, self.TITLE), self.index(len(self.rows) - 1, self.STATUS))
