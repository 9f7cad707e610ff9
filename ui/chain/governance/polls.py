"""The polls dialog of the Governance page: every poll, a new one (optionally asking for a
treasury grant if it passes), a ballot signed here (no fee, nothing sent) and saved for
whoever tallies, ballots gathered from files, the tally anyone gets from the same ballots,
and the promotion of a passed, closed poll to the proposal it asked for.

Reads and signatures run on the session's chain thread (vault.chain.dao.polls); the two
writes (create, promote) are handed to the page, which confirms and sends them. Poll text
comes from the chain: shown as plain text only.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QLineEdit, QListWidgetItem,
                               QPlainTextEdit, QPushButton, QSpinBox, QStackedWidget, QVBoxLayout, QWidget)

from vault.chain.dao.ballots import read_ballots
from vault.chain.dao.membership import NOT_A_MEMBER
from vault.chain.dao.polls import QUADRATIC, Polls, weight_units
from vault.chain.units import format_units

from ...errors import describe
from ...widgets import button_row, make_safe_default
from ...widgets.labels import text_label
from ...widgets.layout import dialog_layout, primary
from ...widgets.tables import short_list
from .dialogs import GrowingDialog, hint
from .membership import DemoMembershipOffer, member_now


# The counting choices of a new poll, and what makes a quadratic ballot count, in words.
COUNTINGS = ("By voting power (one BTK, one vote)", "Quadratic (one member, one square root)")
QUADRATIC_HINT = ("A ballot weighs the square root of the voter's power at the snapshot, and counts only if the "
                  "voter then held a membership credential (BlocktrackMembership, from an accredited issuer, not "
                  "revoked): splitting BTK over several addresses gains nothing.")


def poll_words(p: dict) -> str:
    state = f"open — {p['blocks_left']} blocks left" if p["open"] else "closed"
    if p.get("counting") == QUADRATIC:
        state = "quadratic — " + state
    if p["proposal_id"]:
        state += f" — proposal {p['proposal_id'][:12]}…"
    return f"{p['question']}  ({state})"


def tally_words(r: dict) -> str:
    counting = r.get("counting", "token")
    quadratic = counting == QUADRATIC
    lines = [f"{o['name']}: {weight_units(int(o['weight_wei']), counting)}" for o in r["options"]]
    verdict = "Passed" if r["passed"] else "Not passed"
    of = f" by {format_units(int(r['power_wei']), 'votes')} of members' power" if quadratic else ""
    lines.append(f"{verdict}{' so far (still open)' if r['open'] else ''}: {len(r['counted'])} "
                 f"ballot{'s' if len(r['counted']) != 1 else ''} counted, "
                 f"quorum {format_units(int(r['quorum_wei']), 'votes')} "
                 f"{'reached' if r['quorum_reached'] else 'not reached'}{of}.")
    if quadratic:
        lines += [f"Counted — {c['voter']}: {c['option_name']}, √ of {format_units(int(c['power_wei']), 'votes')} "
                  f"= {weight_units(int(c['weight_wei']), counting)} (member: credential token "
                  f"{c['membership_token']})" for c in r["counted"]]
    lines += [f"Not counted — {x['voter'] or 'unreadable'}: {x['reason']}" for x in r["rejected"]]
    lines.append(f"Tally {r['tally_hash'][:18]}… (anyone with the same ballots gets the same).")
    return "\n".join(lines)


class PollsDialog(GrowingDialog):
    # question, options, closes_in, grant recipient ("" for none), grant amount text, details, quadratic
    create_requested = Signal(str, list, int, str, str, str, bool)
    promote_requested = Signal(str, list, bool)   # poll id, ballots, quadratic
    loaded = Signal()
    tallied = Signal(dict)

    def __init__(self, session, account: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.account = session, account
        self.polls: list[dict] = []
        self.ballots: dict[str, list[dict]] = {}   # poll id -> the ballots gathered here
        self.result: dict | None = None
        self.reads = 0   # lists read so far (tests wait on it)
        self.setWindowTitle("Polls")
        self.setMinimumWidth(680)
        layout = dialog_layout(self, "Polls", "Ask holders first, for free: they sign ballots (no fee, offline "
                               "too) and anyone counts them against the votes at the poll's snapshot. A poll "
                               "that passes becomes a proposal in one step.")
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.stack.addWidget(self._list_page())
        self.stack.addWidget(self._new_page())
        self.add_status(layout)
        self.new_button = QPushButton("New poll…")
        self.back_button = QPushButton("Back")
        self.create_button = primary(QPushButton("Review and send…"))
        layout.addLayout(button_row(self.close_button, self.new_button, self.create_button,
                                    leading=[self.back_button]))
        self._show_page(0)
        self.new_button.clicked.connect(lambda: self._show_page(1))
        self.back_button.clicked.connect(lambda: self._show_page(0))
        self.create_button.clicked.connect(self.create)
        self.list.currentRowChanged.connect(self._on_poll)
        self.sign_button.clicked.connect(self.sign)
        self.save_button.clicked.connect(self.save_ballot)
        self.add_button.clicked.connect(self.add_ballots)
        self.tally_button.clicked.connect(self.tally)
        self.promote_button.clicked.connect(self.promote)
        # Signing a ballot (which anyone may count) and the forms that lead to a transaction:
        # Enter never presses them.
        make_safe_default(self, self.close_button, self.sign_button, self.create_button, self.promote_button)
        self.load()

    def _list_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.list = short_list("pollList", "Polls", 5)
        v.addWidget(self.list)
        self.empty = hint("No polls yet: “New poll…” asks the holders a question.")
        v.addWidget(self.empty)
        self.details = text_label(name="pollDetails")
        v.addWidget(self.details)
        self.option = QComboBox()
        self.option.setAccessibleName("Your choice")
        self.sign_button = primary(QPushButton("Sign my ballot"))
        self.save_button = QPushButton("Save ballot…")
        row = button_row(self.sign_button, self.save_button, leading=[])
        row.insertWidget(0, self.option, 1)
        v.addLayout(row)
        self.ballot_count = hint("")
        v.addWidget(self.ballot_count)
        self.add_button = QPushButton("Add ballots from files…")
        self.tally_button = QPushButton("Tally")
        self.promote_button = primary(QPushButton("Promote to a proposal…"))
        v.addLayout(button_row(self.tally_button, self.promote_button, leading=[self.add_button]))
        self.quadratic = QCheckBox("Promote it as a quadratic proposal (one member, one square root)")
        self.quadratic.setObjectName("pollQuadratic")
        self.quadratic.setToolTip("Members' votes count √ of their power; only holders of a membership "
                                  "credential vote on it")
        v.addWidget(self.quadratic)
        self.result_text = QPlainTextEdit()
        self.result_text.setObjectName("pollTally")
        self.result_text.setReadOnly(True)
        self.result_text.setMaximumHeight(self.result_text.fontMetrics().lineSpacing() * 6 + 16)
        v.addWidget(self.result_text)
        # Under a tally that did not count this account's ballot for want of a membership
        self.membership = DemoMembershipOffer(self.session, lambda: self.account)
        v.addWidget(self.membership)
        return page

    def _new_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.question = QLineEdit()
        self.question.setMaxLength(200)
        self.question.setPlaceholderText("e.g. Should the DAO fund a spring hackathon?")
        self.options = QPlainTextEdit("Yes\nNo")
        self.options.setFixedHeight(self.options.fontMetrics().lineSpacing() * 4 + 16)
        self.options.setTabChangesFocus(True)
        self.closes_in = QSpinBox()
        self.closes_in.setRange(1, 100_000)
        self.closes_in.setValue(50)
        self.closes_in.setSuffix(" blocks")
        self.grant_to = QLineEdit()
        self.grant_to.setPlaceholderText("optional: who the treasury pays if it passes (0x… or did:pkh)")
        self.grant_amount = QLineEdit()
        self.grant_amount.setPlaceholderText("BTK")
        self.poll_details = QLineEdit()
        self.poll_details.setPlaceholderText("What voters should know (cite articles as “Article 3”)")
        form.addRow("Question", self.question)
        form.addRow("Options (one a line; the first passes it)", self.options)
        form.addRow("Ballots taken for", self.closes_in)
        form.addRow("If it passes, grant to", self.grant_to)
        form.addRow("Grant amount", self.grant_amount)
        self.counting = QComboBox()
        self.counting.setObjectName("pollCounting")
        self.counting.setAccessibleName("Counting")
        self.counting.addItems(COUNTINGS)
        self.counting_hint = hint(QUADRATIC_HINT)
        form.addRow("Details", self.poll_details)
        form.addRow("Counting", self.counting)
        form.addRow("", self.counting_hint)
        self.counting_hint.hide()   # what makes a vote count: said when quadratic is chosen
        self.counting.currentIndexChanged.connect(self._on_counting)
        return page

    def _on_counting(self, index: int) -> None:
        self.counting_hint.setVisible(index == 1)
        self.fit()   # the hint's lines: the dialog grows rather than clip them

    def _show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.error.clear()
        self.new_button.setVisible(index == 0)
        self.back_button.setVisible(index == 1)
        self.create_button.setVisible(index == 1)

    # -- reading

    def _run(self, fn, done, busy: str) -> None:
        self.busy.start(busy)
        job = self.session.run(fn)
        job.finished.connect(lambda result: (self.busy.stop(), done(result)))
        job.failed.connect(self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.error.error(describe(exc))

    def load(self) -> None:
        self._run(lambda chain: Polls(chain).list(), self._on_loaded, "Reading the polls…")

    def _on_loaded(self, polls: list) -> None:
        keep = self.selected["poll_id"] if self.selected else None
        self.polls = polls
        self.list.clear()
        for p in polls:
            item = QListWidgetItem(poll_words(p))
            item.setData(Qt.UserRole, p["poll_id"])
            self.list.addItem(item)
        self.empty.setVisible(not polls)
        rows = [i for i, p in enumerate(polls) if p["poll_id"] == keep]
        self.list.setCurrentRow(rows[0] if rows else 0)
        self._on_poll(self.list.currentRow())
        self.reads += 1
        self.loaded.emit()

    @property
    def selected(self) -> dict | None:
        row = self.list.currentRow() if hasattr(self, "list") else -1
        return self.polls[row] if 0 <= row < len(self.polls) else None

    def _on_poll(self, _row: int) -> None:
        p = self.selected
        for w in (self.sign_button, self.save_button, self.add_button, self.tally_button, self.option):
            w.setEnabled(p is not None and p["readable"])
        self.sign_button.setEnabled(bool(p and p["readable"] and p["open"]))
        self.promote_button.setEnabled(False)
        self.result_text.clear()
        self.result = None
        if p is None:
            self.details.setText("")
            return
        lines = ["Options: " + ", ".join(p["options"]),
                 f"Votes as delegated at block {p['snapshot_block']:,}; ballots until block {p['closes_block']:,}."]
        if p.get("counting") == QUADRATIC:
            lines.append("Quadratic: " + QUADRATIC_HINT)
        lines += [f"If it passes: {c['summary']}" for c in p["calls"]] or ["It asks for no on-chain action."]
        if p["details"]:
            lines.append(p["details"])
        self.details.setText("\n".join(lines))
        # The stack does not pass height-for-width on: the wrapped lines' height is asked
        # here, so that the dialog grows rather than clip them (a quadratic poll's words).
        self.details.setMinimumHeight(self.details.heightForWidth(max(self.details.width(), 400)))
        self.fit()
        self.option.clear()
        self.option.addItems(p["options"])
        self._count()

    def _count(self) -> None:
        p = self.selected
        n = len(self.ballots.get(p["poll_id"], [])) if p else 0
        self.ballot_count.setText(f"{n} ballot{'s' if n != 1 else ''} gathered here for this poll.")

    # -- ballots

    def sign(self) -> None:
        p, account, identity = self.selected, self.account, self.session.identity
        option = self.option.currentIndex()
        revision = sum(1 for b in self.ballots.get(p["poll_id"], []) if b["voter"].lower() == account.lower())

        def sign(chain):   # chain thread: the key never leaves it
            return Polls(chain).sign_ballot(identity.eth_private_key(account), p["poll_id"], option, revision)

        self._run(sign, self._signed, "Signing your ballot…")

    def _signed(self, ballot: dict) -> None:
        self.ballots.setdefault(ballot["poll_id"], []).append(ballot)
        self.last_ballot = ballot
        self._count()
        self.error.success(f"Signed: “{self.selected['options'][ballot['option']]}”. Nothing was sent; save the "
                           "ballot for whoever tallies, or tally here.")

    def save_ballot(self) -> None:
        ballot = getattr(self, "last_ballot", None)
        if ballot is None:
            self.error.error("Sign your ballot first.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save ballot", f"ballot-{ballot['poll_id'][2:10]}.json",
                                              "Ballot (*.json)")
        if path:
            Path(path).write_text(json.dumps(ballot, indent=2) + "\n", encoding="utf-8")

    def add_ballots(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Add ballots", "", "Ballots (*.json *.png)")
        if not files:
            return
        self._run(lambda _chain: read_ballots(files), self._added, "Reading the ballots…")

    def _added(self, result) -> None:
        ballots, unreadable = result
        p = self.selected
        mine = self.ballots.setdefault(p["poll_id"], [])
        mine += [b for b in ballots if b not in mine]
        self._count()
        if unreadable:
            self.error.warning("Not ballots: " + "; ".join(f"{Path(u['file']).name}: {u['error']}"
                                                          for u in unreadable))

    def tally(self) -> None:
        p = self.selected
        ballots = list(self.ballots.get(p["poll_id"], []))
        account = self.account

        def count(chain):
            return Polls(chain).tally(p["poll_id"], ballots), member_now(chain, account)

        self._run(count, lambda counted: self._tallied(*counted), "Counting…")

    def _tallied(self, result: dict, member: bool | None = None) -> None:
        self.result = result
        self.result_text.setPlainText(tally_words(result))
        # Not counted for want of a membership, and not a member since: the demo offers one.
        unmembered = any(x["voter"] and x["voter"].lower() == self.account.lower()
                         and x["reason"].startswith(NOT_A_MEMBER) for x in result["rejected"])
        self.membership.show_for(member is not None, not (member is False and unmembered))
        self.fit()
        p = self.selected
        self.promote_button.setEnabled(bool(result["passed"] and not result["open"] and p and p["calls"]
                                            and not p["proposal_id"]))
        self.tallied.emit(result)

    def promote(self) -> None:
        p = self.selected
        self.promote_requested.emit(p["poll_id"], list(self.ballots.get(p["poll_id"], [])),
                                    self.quadratic.isChecked())

    # -- creating

    def create(self) -> None:
        question = self.question.text().strip()
        options = [o.strip() for o in self.options.toPlainText().splitlines() if o.strip()]
        if not question:
            self.error.error("Ask a question: it is what holders see first.")
            self.question.setFocus()
            return
        if len(options) < 2:
            self.error.error("Give at least two options, one a line.")
            self.options.setFocus()
            return
        if bool(self.grant_to.text().strip()) != bool(self.grant_amount.text().strip()):
            self.error.error("A grant needs both who receives it and how much (or neither).")
            return
        self.create_requested.emit(question, options, self.closes_in.value(), self.grant_to.text().strip(),
                                   self.grant_amount.text().strip(), self.poll_details.text().strip(),
                                   self.counting.currentIndex() == 1)
        self._show_page(0)


__all__ = ["PollsDialog"]
