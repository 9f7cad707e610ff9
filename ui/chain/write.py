"""Every write to the chain goes through one dialog: check → confirm → progress → result.

    flow = WriteFlow(session, host, "Send BTK",
                     lambda service: wallet.send_request(service, sender, to, amount, "BTK"))
    flow.succeeded.connect(...)   # list of TxRecords, once everything is mined
    flow.start()

The write is a plan (vault.chain.plan) run by ``TxService.run`` on the chain thread, as
the command line runs it; this dialog is its confirmation:

1. *Checking*: the requests are built and previewed on the chain thread. A write that
   cannot succeed (too little BTK or ETH, a revert the node predicts, a bad argument)
   stops here with its reason, before anything is signed.
2. *Confirm*: what will happen in words, from which account, on which network, the
   amounts in BTK and ETH and the network fee (about / at most). Nothing is signed
   until the person clicks the confirm button: Enter presses Cancel (make_safe_default).
3. *Progress*: for each transaction, signing, sent (with its hash), mined. The window
   stays responsive; closing the dialog does not stop a transaction that was sent (it
   stays in the status bar as pending until mined, also across a restart).
4. *Result*: the transaction hashes, blocks and fees, or the decoded reason it failed and
   what to do about it.

A flow with several transactions (an approval, then the action) previews the later ones
again once the earlier ones are mined: they cannot be estimated before.

Nothing is signed for a higher network fee than the one confirmed: when the network asks
more by the time of signing (FeeRoseError), the dialog goes back to step 2 with the new fee
and the old one, and sends only once the person confirms again.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QDialog, QFrame, QGridLayout, QLabel, QPushButton, QStackedWidget,
                               QVBoxLayout, QWidget)

from vault.chain.fees import eth as fee_text, signed_text
from vault.chain.units import format_units, glance_units
from vault.errors import ChainError

from ..errors import describe
from ..widgets import BusyIndicator, InlineMessage, button_row, page_subtitle, page_title
from ..widgets.labels import text_label
from ..widgets.layout import open_dialog, primary
from ..widgets.safe_default import make_safe_default

# What a person can do about a failure, by ChainError reason (the message says what).
ADVICE = {
    "insufficient-eth": "Add ETH to this account for the network fee (on the embedded chain every "
                        "account gets test ETH when it is first used), or lower the amount.",
    "insufficient-btk": "Lower the amount, or receive more BTK first (Wallet → Receive shows your address).",
    "insufficient-allowance": "Approve the amount first; the app normally does this for you, so try again.",
    "node-unreachable": "Check your connection, or the node in Settings → Network. A transaction that was "
                        "sent stays pending and is checked again automatically.",
    "timeout": "The network is slow. The transaction stays pending (see the status bar) and is checked "
               "again; do not send it twice.",
    "chain-id-mismatch": "The network changed while you were confirming: start again.",
    "not-deployed": "Choose a network with the Blocktrack contracts in Settings → Network.",
    "not-connected": "Wait for the network to connect, or check Settings → Network.",
    "dropped": "Nothing was spent. Do the action again.",
    "replaced": "Another transaction with the same number was mined instead; nothing was spent on this one.",
    "out-of-gas": "Try again: the app estimates the gas again each time.",
    "nonce-too-low": "Another app used this account at the same time: try again.",
    "implausible-fee": "Choose another node for this network in Settings → Network; this one misreports fees.",
}

Build = Callable[[object], "object | list"]          # service -> TxRequest | [TxRequest] | Plan


def advice_for(exc: BaseException) -> str:
    return ADVICE.get(getattr(exc, "reason", ""), "")


def _short(tx_hash: str) -> str:
    return f"{tx_hash[:10]}…{tx_hash[-6:]}"


class _Bridge(QObject):
    """Carries the chain thread's questions and progress to the dialog (queued across
    threads: it lives in the GUI thread)."""
    asked = Signal(object)         # a session.Question: the confirm step, the chain thread waits
    step = Signal(int, str, str)   # index, stage (signing / sent / mined), detail


class TransactionDialog(QDialog):
    """The four steps of one write, in one window (see the module's doc)."""

    confirmed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("transactionDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        self.heading = page_title(title)
        layout.addWidget(self.heading)
        self.stages = QStackedWidget()
        layout.addWidget(self.stages, 1)

        # 1. checking
        self.checking = QWidget()
        c = QVBoxLayout(self.checking)
        c.setContentsMargins(0, 0, 0, 0)
        self.busy = BusyIndicator()
        self.busy.start("Checking with the network what this will do and cost…")
        c.addWidget(self.busy)
        c.addStretch(1)
        self.stages.addWidget(self.checking)

        # 2. confirm
        self.confirm_page = QWidget()
        self.confirm_layout = QVBoxLayout(self.confirm_page)
        self.confirm_layout.setContentsMargins(0, 0, 0, 0)
        self.confirm_layout.setSpacing(8)
        self.stages.addWidget(self.confirm_page)

        # 3. progress
        self.progress_page = QWidget()
        self.progress_layout = QVBoxLayout(self.progress_page)
        self.progress_layout.setContentsMargins(0, 0, 0, 0)
        self.progress_layout.addWidget(page_subtitle(
            "Do not worry if you close this window: a sent transaction goes on, and the status "
            "bar shows it until it is mined."))
        self.step_labels: list[QLabel] = []
        self.stages.addWidget(self.progress_page)

        # 4. result
        self.result_page = QWidget()
        r = QVBoxLayout(self.result_page)
        r.setContentsMargins(0, 0, 0, 0)
        self.result = InlineMessage()
        self.result_details = text_label(name="txResultDetails", selectable=True)
        self.advice = text_label(name="txAdvice")
        r.addWidget(self.result)
        r.addWidget(self.result_details)
        r.addWidget(self.advice)
        r.addStretch(1)
        self.stages.addWidget(self.result_page)

        self.cancel_button = QPushButton("Cancel")
        self.confirm_button = primary(QPushButton("Confirm and send"))
        self.close_button = QPushButton("Close")
        layout.addLayout(button_row(self.cancel_button, self.close_button, self.confirm_button))
        self.cancel_button.clicked.connect(self.reject)
        self.close_button.clicked.connect(self.accept)
        self.confirm_button.clicked.connect(self._on_confirm)
        make_safe_default(self, self.cancel_button, self.confirm_button)
        self._buttons("checking")

    @property
    def stage(self) -> str:
        return {self.checking: "checking", self.confirm_page: "confirm", self.progress_page: "progress",
                self.result_page: "result"}[self.stages.currentWidget()]

    def _buttons(self, stage: str) -> None:
        self.cancel_button.setVisible(stage in ("checking", "confirm"))
        self.confirm_button.setVisible(stage == "confirm")
        self.close_button.setVisible(stage in ("progress", "result"))
        if stage == "result":
            self.close_button.setDefault(True)
            self.close_button.setFocus()

    def _on_confirm(self) -> None:
        self.confirm_button.setEnabled(False)
        self.confirmed.emit()

    # ---- stage 2 -----------------------------------------------------------------------

    def show_confirm(self, requests: list, previews: list, intro: list[str], *, warning: str = "") -> None:
        lay = self.confirm_layout
        _clear(lay)   # asked again (the fee rose): the new figures replace the old
        self.fee_warning = InlineMessage()
        self.fee_warning.warning(warning)
        lay.addWidget(self.fee_warning)
        for line in intro:
            lay.addWidget(text_label(line, name="txIntro"))
        total_fee = total_max = 0
        for i, (request, preview) in enumerate(zip(requests, previews)):
            box = QFrame()
            box.setObjectName("txStep")
            # A grid, not a QFormLayout: the form gave its rows the heights of their
            # size hints, not of their wrapped text at the width they get, so a value
            # that wraps (the network fee) was cut at its second line.
            form = QGridLayout(box)
            form.setColumnStretch(1, 1)
            what = request.description or request.kind
            if len(requests) > 1:
                what = f"Step {i + 1} of {len(requests)}: {what}"
            form.addWidget(self._value(what, bold=True), 0, 0, 1, 2)

            def add_row(caption: str, value: QLabel) -> None:
                row = form.rowCount()
                label = QLabel(caption)
                label.setBuddy(value)
                form.addWidget(label, row, 0, Qt.AlignLeft | Qt.AlignTop)
                form.addWidget(value, row, 1)

            if i == 0:
                add_row("From", self._value(request.sender, mono=True))
                add_row("Network", self._value(f"{preview.network} (chain id {preview.chain_id})"))
            if request.to:
                add_row("Contract" if request.data else "To", self._value(request.to, mono=True))
            if request.btk_amount:
                add_row("Amount", self._value(format_units(request.btk_amount, "BTK")))
            if request.value:
                add_row("Sends", self._value(format_units(request.value, "ETH")))
            if preview is not None:
                add_row("Network fee", self._value(
                    f"about {fee_text(preview.fee_estimate)} (at most {fee_text(preview.max_fee)}; "
                    f"{preview.gas_estimate:,} gas)"))
                total_fee += preview.fee_estimate
                total_max += preview.max_fee
            else:
                add_row("Network fee", self._value("estimated once the step before is mined"))
            lay.addWidget(box)
        first = previews[0]
        balances = f"You hold {glance_units(first.eth_balance, 'ETH', 6)}"
        if first.btk_balance is not None:
            balances += f" and {glance_units(first.btk_balance, 'BTK', 6)}"
        lay.addWidget(text_label(balances + ". Nothing is signed until you confirm.", name="txNote"))
        lay.addStretch(1)
        self.step_descriptions = [r.description or r.kind for r in requests]
        self.stages.setCurrentWidget(self.confirm_page)
        self._buttons("confirm")
        self.confirm_button.setEnabled(True)
        self.confirm_button.setText("Confirm and send" if len(requests) == 1
                                    else f"Confirm and send {len(requests)} transactions")
        make_safe_default(self, self.cancel_button, self.confirm_button)   # also when asked again
        # Opened at the size of the checking step: grow to show every line. adjustSize
        # measures the wrapped lines at the size hint's width, narrower than the dialog's
        # minimum: then fit the height to the width the dialog really has.
        self.adjustSize()
        self._fit_height()

    def _fit_width(self, label: QLabel) -> None:
        """Wide enough for the longest word of ``label`` (a word-wrapped label breaks
        lines between words only: a 66-character hash was cut at the dialog's edge)."""
        metrics = label.fontMetrics()
        widest = 0
        for line in label.text().splitlines():
            indent = line[:len(line) - len(line.lstrip())]
            words = line.split()
            if words:
                widest = max(widest, metrics.horizontalAdvance(indent + words[0]),
                             *(metrics.horizontalAdvance(word) for word in words[1:]))
        margins = self.layout().contentsMargins()
        needed = widest + margins.left() + margins.right() + 2 * label.margin() + 4
        if needed > self.width():
            self.resize(needed, self.height())

    def _fit_height(self, *, grow_only: bool = False) -> None:
        """The height that the wrapped lines of every step need at the dialog's width."""
        height = max(self.layout().totalHeightForWidth(self.width()), self.minimumSizeHint().height())
        if height > self.height() or not grow_only:
            self.resize(self.width(), height)

    @staticmethod
    def _value(text: str, *, bold: bool = False, mono: bool = False) -> QLabel:
        return text_label(text, name="mono" if mono else "txWhat" if bold else None, selectable=True)

    # ---- stage 3 -----------------------------------------------------------------------

    def show_progress(self) -> None:
        while self.step_labels:   # from a send before the fee rose
            _drop(self.step_labels.pop())
        while self.progress_layout.count() > 1:
            item = self.progress_layout.takeAt(1)
            if item.widget() is not None:
                _drop(item.widget())
        for text in self.step_descriptions:
            label = text_label(f"○  {text}: waiting", name="txProgressStep")
            self.step_labels.append(label)
            self.progress_layout.addWidget(label)
        self.progress_layout.addStretch(1)
        self.stages.setCurrentWidget(self.progress_page)
        self._buttons("progress")

    def show_step(self, index: int, stage: str, detail: str) -> None:
        text = self.step_descriptions[index]
        line = {"signing": f"◔  {text}: signing with your key…",
                "sent": f"◑  {text}: sent ({_short(detail)}), waiting to be mined…",
                "mined": f"●  {text}: mined in block {detail}"}[stage]
        self.step_labels[index].setText(line)

    # ---- stage 4 -----------------------------------------------------------------------

    def show_success(self, records: list, message: str) -> None:
        self.result.success(message)
        lines = []
        for record in records:
            signed = f"\n  signed for {signed_text(record)}" if signed_text(record) else ""
            lines.append(f"{record.description}\n  {record.hash}\n  block {record.block}{record.fee_note()}{signed}")
        self.result_details.setText("\n\n".join(lines))
        self.advice.hide()
        self.stages.setCurrentWidget(self.result_page)
        self._buttons("result")
        self._fit_width(self.result_details)   # a transaction hash does not wrap
        self._fit_height(grow_only=True)   # a long reason or advice wraps

    def show_failure(self, exc: BaseException, *, before_signing: bool) -> None:
        self.heading.setText(self.windowTitle() + (": not possible" if before_signing else ": failed"))
        self.result.error(describe(exc))
        tx_hash = getattr(exc, "details", {}).get("tx_hash") if isinstance(exc, ChainError) else None
        details = []
        if tx_hash:
            details.append(f"Transaction {tx_hash}")
        if before_signing:
            details.append("Nothing was signed or sent.")
        self.result_details.setText("\n".join(details))
        self.result_details.setVisible(bool(details))
        advice = advice_for(exc)
        self.advice.setText(f"What to do: {advice}" if advice else "")
        self.advice.setVisible(bool(advice))
        self.stages.setCurrentWidget(self.result_page)
        self._buttons("result")
        self._fit_width(self.result_details)   # a transaction hash does not wrap
        self._fit_height(grow_only=True)   # a long reason or advice wraps


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            _drop(item.widget())


def _drop(widget) -> None:
    """Out of the dialog now (a re-asked fee must not leave the old one among its
    widgets until the event loop gets to the deletion), deleted later."""
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


class WriteFlow(QObject):
    """One write action from check to result (see the module's doc): its plan is run by
    ``TxService.run`` on the chain thread (ChainSession.run_plan), whose confirmation is
    this dialog's confirm step. ``intro`` lines go above the transactions on the confirm
    step (e.g. a fee breakdown)."""

    succeeded = Signal(list)   # TxRecords
    failed = Signal(object)    # the exception (also shown in the dialog)
    finished = Signal()        # after either, or a cancel

    def __init__(self, session, host: QWidget, title: str, build: Build, *,
                 intro: list[str] | Callable[[], list[str]] | None = None, success: str = "Done."):
        super().__init__(host)
        self.session, self.host, self.title = session, host, title
        self.build, self.intro, self.success = build, intro, success
        self.dialog = TransactionDialog(title, host)
        self.dialog.confirmed.connect(self._send)
        self.dialog.rejected.connect(self._cancelled)
        self._bridge = _Bridge()
        self._bridge.step.connect(self._on_step)
        self._bridge.asked.connect(self._on_asked)
        self.plan = None
        self.question = None       # the confirmation the chain thread waits for
        self.requests: list = []   # the steps still to send, as last asked
        self.previews: list = []
        self.records: list = []
        self.sending = False
        self.cancelled = False

    def start(self) -> "WriteFlow":
        open_dialog(self.host, self.dialog)
        job = self.session.run_plan(self.build, self.title, show=self._bridge.asked.emit,
                                    progress=self._bridge.step.emit)
        job.finished.connect(self._on_done)
        job.failed.connect(self._on_failed)
        return self

    def _intro(self) -> list[str]:
        return self.intro() if callable(self.intro) else (self.intro or [])

    def _on_asked(self, question) -> None:
        if self.cancelled or self.session.state == "closed":
            question.answer(False)
            return
        self.question, asked = question, question.confirmation
        self.plan, self.requests, self.previews = asked.plan, asked.requests, asked.previews
        self.sending = False
        if asked.rose is None:
            self.dialog.show_confirm(self.requests, self.previews, self._intro())
            return
        # The fee rose: ask again with the new fee; only the steps not sent yet remain.
        if asked.done:
            self.session.note_settled()
        self.dialog.show_confirm(self.requests, self.previews, self._intro(), warning=describe(asked.rose))

    def _send(self) -> None:
        self.sending = True
        self.dialog.show_progress()
        self.question.answer(True)

    def _on_step(self, index: int, stage: str, detail: str) -> None:
        self.dialog.show_step(index, stage, detail)
        if stage == "sent":
            self.session.note_sent()

    def _on_done(self, records) -> None:
        if records is None:   # not confirmed: the cancel said so
            return
        self.records = records
        self.sending = False
        self.dialog.show_success(self.records, self.success)
        self.session.note_settled()
        self.succeeded.emit(self.records)
        self.finished.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.sending = False
        if self.cancelled:   # the new fee was not confirmed: refused, nothing more was sent
            if getattr(exc, "records", None):
                self.session.note_settled()
            return
        before_signing = self.question is None   # it never got to the confirmation
        self.dialog.show_failure(exc, before_signing=before_signing)
        if not before_signing:
            self.session.note_settled()
        self.failed.emit(exc)
        self.finished.emit()

    def _cancelled(self) -> None:
        if not self.sending and self.dialog.stage in ("checking", "confirm"):
            self.cancelled = True
            if self.question is not None:
                self.question.answer(False)
            self.finished.emit()


def start_write(session, host: QWidget, title: str, build: Build, **kwargs) -> WriteFlow:
    """Start a WriteFlow and keep it on ``host.write_flow`` (tests and locking reach it)."""
    flow = WriteFlow(session, host, title, build, **kwargs)
    host.write_flow = flow
    return flow.start()
