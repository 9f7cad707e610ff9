"""The selected proposal on the Governance page: what it would do, the tallies, one's
own vote and the vote buttons, and the next step with queue / execute, each enabled as
the core's next_actions says (models.ProposalView)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from vault.chain.dao.power import MARKER
from vault.chain.governance import short_id, voting_window

from ...format import percent_text
from ...widgets import InlineMessage
from ...widgets.labels import repolish, text_label, title_and_badge
from .models import SUPPORT_LABELS, ProposalView, votes_text


def caption(text: str) -> QLabel:
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

    def show(self, wei: int, total: int, shown: str | None = None) -> None:
        """``shown``: the amount as text when it is not votes (√BTK on a quadratic proposal)."""
        share = wei / total if total else 0.0
        self.bar.setValue(round(share * 1000))
        amount = shown or votes_text(wei)
        self.amount.setText(f"{amount} ({share * 100:.0f} %)" if total else amount)


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
        self._build_what(layout)
        self._build_tallies(layout)
        self._build_vote(layout)
        self._build_next(layout)

    def _build_what(self, layout: QVBoxLayout) -> None:
        self.title = text_label(name="govProposalTitle", plain=True)
        self.badge = text_label(name="govBadge", wrap=False)
        layout.addLayout(title_and_badge(self.title, self.badge))
        self.meta = text_label(name="govMeta", selectable=True)
        layout.addWidget(self.meta)
        self.description = text_label(name="govDescription", plain=True, selectable=True)
        layout.addWidget(self.description)
        layout.addWidget(caption("If it passes, the treasury (the timelock) will:"))
        self.actions = text_label(name="govActions", plain=True, selectable=True)
        layout.addWidget(self.actions)

    def _build_tallies(self, layout: QVBoxLayout) -> None:
        layout.addWidget(caption("Votes so far"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self.tallies = {s: TallyRow(grid, i, s) for i, s in enumerate(("for", "against", "abstain"))}
        layout.addLayout(grid)
        self.quorum = text_label(name="govQuorum")
        layout.addWidget(self.quorum)
        self.counting = text_label(name="govCounting", plain=True)   # what makes a vote count (quadratic)
        layout.addWidget(self.counting)

    def _build_vote(self, layout: QVBoxLayout) -> None:
        layout.addWidget(caption("Your vote"))
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
        self.for_button.clicked.connect(lambda: self.vote_requested.emit("for"))
        self.against_button.clicked.connect(lambda: self.vote_requested.emit("against"))
        self.abstain_button.clicked.connect(lambda: self.vote_requested.emit("abstain"))
        self.sign_button.clicked.connect(self.sign_requested)

    def _build_next(self, layout: QVBoxLayout) -> None:
        layout.addWidget(caption("Next step"))
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
        self.queue_button.clicked.connect(self.queue_requested)
        self.execute_button.clicked.connect(self.execute_requested)

    def show_view(self, view: ProposalView) -> None:
        changed = self.view is None or self.view.id != view.id
        self.view = view
        p = view.data
        if changed:
            self.reason.clear()
        self.title.setText(view.title)
        executed = p.get("executed_by")
        self.meta.setText(f"Proposed by {p['proposer']} · id {short_id(view.id)} · {voting_window(p)}"
                          + (f" · executed by {executed['by']} in block {executed['block']:,}" if executed else ""))
        self.meta.setToolTip(f"Proposal id {view.id}")
        # the quadratic marker is the governor's, not the proposer's words: the counting line says it
        body = "\n".join(line for line in p["description"].splitlines()[1:] if line.strip() != MARKER).strip()
        self.description.setText(body)
        self.description.setVisible(bool(body))
        self.actions.setText("\n".join(f"• {c['summary']}" for c in p["calls"]))
        wei = {k: int(v) for k, v in p["votes_wei"].items()}
        total = sum(wei.values())
        quadratic = bool(p.get("quadratic"))
        for support, row in self.tallies.items():
            row.show(wei[support], total, f"{p['votes'][support]} √BTK" if quadratic else None)
        self.counting.setText(p.get("counting", "") if quadratic else "")
        self.counting.setVisible(quadratic)
        counts = " and ".join(SUPPORT_LABELS[k] for k in p["quorum_counts"]) or "All"
        reached = "reached ✓" if p["quorum_reached"] else "not reached yet"
        self.quorum.setText(f"Quorum {reached}: {votes_text(int(p['quorum_progress_wei']))} of "
                            f"{votes_text(int(p['quorum_wei']))} needed ({percent_text(p['quorum_percent'])}). "
                            f"{counts} votes count toward it.")
        self._show_my_vote(view)
        self.update_times()

    def _show_my_vote(self, view: ProposalView) -> None:
        self.vote_note.clear()
        self.my_vote.setText(self._my_vote_text(view))
        power = int(view.data.get("my_power_wei") or 0)
        if view.state == "active" and not view.voted and power == 0:
            self.vote_note.warning("You had no votes when voting on this proposal opened, so your vote "
                                   "would count 0. Votes you activate now count for later proposals.")
        actions = view.actions
        weight = view.data.get("my_weight") or {}
        refused = bool(weight.get("quadratic") and not weight.get("member"))
        if view.state in ("pending", "active") and not view.voted and refused:
            self.vote_note.warning("This proposal counts one person one square root; you need a membership "
                                   "credential to vote on it (a valid BlocktrackMembership credential from an "
                                   "accredited issuer, issued before the proposal was made).")
        for b in (self.for_button, self.against_button, self.abstain_button):
            b.setEnabled(actions.vote and not refused)
        self.reason.setEnabled(actions.vote or (view.state == "pending" and actions.sign))
        self.sign_button.setEnabled(actions.sign)

    @staticmethod
    def _my_vote_text(view: ProposalView) -> str:
        p, state = view.data, view.state
        mine = p.get("my_vote") or {}
        power = int(p.get("my_power_wei") or 0)
        if mine.get("voted"):
            support = SUPPORT_LABELS.get(mine.get("support") or "", "")
            text = f"You voted {support}" if support else "You voted"
            if mine.get("weight_wei"):
                text += f" with {mine['weight'] if p.get('quadratic') else votes_text(int(mine['weight_wei']))}"
            if mine.get("reason"):
                text += f": “{mine['reason']}”"
            return text + ". A vote cannot be changed."
        if state == "pending":
            return (f"Voting has not opened. Your votes on it will be those you have at block "
                    f"{p['snapshot']:,} (now {votes_text(power)}).")
        weight = p.get("my_weight") or {}
        if state == "active" and weight.get("quadratic") and weight.get("member"):
            return (f"You have not voted. Your vote on it counts {weight['counted']}: the square root of the "
                    f"{votes_text(int(weight['power_wei']))} you had at block {p['snapshot']:,}.")
        if state == "active":
            return (f"You have not voted. Your votes on it: {votes_text(power)} (what you had at "
                    f"block {p['snapshot']:,}, the block before voting opened).")
        return "You did not vote on it." if state != "canceled" else "It was canceled."

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
