"""Ask with OpenID4VP: the employer says what to ask for, the vault makes a request (a QR
code and a link) that any OpenID4VP 1.0 wallet answers, and verifies the answer.

- Same machine: the answer is posted to a receiver on 127.0.0.1 that this dialog runs
  while it is open (vault.protocols.vp_verifier.LoopbackReceiver).
- Another device: its wallet cannot reach this computer's loopback address; it needs an
  HTTPS address the employer runs (docs/protocols.md). A wallet that shows its answer
  instead can have it pasted here ("Verify a pasted answer").

The wallet's answer and what its credentials say are shown as plain text."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout,
                               QWidget)
from shiboken6 import isValid

from vault.protocols.vp_verifier import LoopbackReceiver

from ..errors import describe
from ..present.qr import QrView
from ..widgets import InlineMessage, button_row, page_subtitle
from ..widgets.labels import text_label
from ..widgets.layout import primary
from . import jobs

ANOTHER_DEVICE = ("A phone on another device cannot reach this computer: for it, the answer needs an HTTPS "
                  "address you run (see docs/protocols.md), or paste the answer its wallet shows.")


class _Relay(QObject):
    """Carries the receiver's "answer in" from its thread to the GUI thread (queued)."""
    answered = Signal()


class OpenId4vpDialog(QDialog):
    def __init__(self, credentials, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.credentials, self.tasks = credentials, tasks
        self.session = None
        self.relay = _Relay(self)
        self.relay.answered.connect(self._on_answer_in)
        self.receiver: LoopbackReceiver | None = None   # one per request: it takes one answer
        self.verdict = None
        self.setWindowTitle("Ask with OpenID4VP")
        self.setObjectName("openid4vpDialog")
        self.resize(520, 700)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(page_subtitle("Ask a wallet for a credential: it scans the code (or opens the link) and "
                                       "answers; the answer is verified here."))
        form = QFormLayout()
        self.format = QComboBox()
        self.format.addItems(list(jobs.FORMATS))
        self.kind = QLineEdit("https://credentials.example/employee")
        self.kind.setObjectName("openid4vpType")
        self.claims = QLineEdit("given_name, employee_id")
        self.claims.setObjectName("openid4vpClaims")
        self.name = QLineEdit()
        self.name.setPlaceholderText("Your name, as the wallet will show it")
        form.addRow("Format", self.format)
        form.addRow("Type", self.kind)
        form.addRow("Claims", self.claims)
        form.addRow("Your name", self.name)
        layout.addLayout(form)
        self.make_button = QPushButton("Make the request")
        layout.addLayout(button_row(self.make_button))
        self.qr = QrView(minimum=220)
        layout.addWidget(self.qr, 1)
        self.link = text_label("", name="openid4vpLink", selectable=True)
        layout.addWidget(self.link)
        self.copy_button = QPushButton("Copy link")
        self.copy_button.setEnabled(False)
        layout.addLayout(button_row(self.copy_button))
        layout.addWidget(text_label(ANOTHER_DEVICE, name="hintLabel"))
        self.pasted = QPlainTextEdit()
        self.pasted.setObjectName("openid4vpAnswer")
        self.pasted.setPlaceholderText("Or paste the wallet's answer here (vp_token=…&state=… or its JSON)")
        self.pasted.setMaximumHeight(70)
        layout.addWidget(self.pasted)
        self.verify_button = QPushButton("Verify a pasted answer")
        self.verify_button.setEnabled(False)
        layout.addLayout(button_row(self.verify_button))
        self.result = text_label("", name="openid4vpResult", selectable=True)
        layout.addWidget(self.result)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.close_button = primary(QPushButton("Close"))
        layout.addLayout(button_row(self.close_button))

        self.make_button.clicked.connect(self.make_request)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.session.link()))
        self.verify_button.clicked.connect(lambda: self._verify(self.pasted.toPlainText()))
        self.close_button.clicked.connect(self.accept)
        self.finished.connect(lambda _: self._stop_receiver())

    def _stop_receiver(self) -> None:
        if self.receiver is not None:
            self.receiver.stop()
            self.receiver = None

    def make_request(self) -> None:
        self.result.setText("")
        self._stop_receiver()
        self.receiver = LoopbackReceiver(on_answer=self.relay.answered.emit)
        job = self.tasks.run(jobs.openid4vp_request, self.receiver.response_uri, self.format.currentText(),
                             self.kind.text(), self.claims.text(), self.name.text())
        job.finished.connect(self._on_request)
        job.failed.connect(self._on_failed)

    def _on_request(self, result) -> None:
        if not isValid(self):
            return
        self.session, image = result
        self.qr.set_frames([image])
        self.link.setText(self.session.link())
        self.copy_button.setEnabled(True)
        self.verify_button.setEnabled(True)
        self.message.hint("Waiting for a wallet on this computer to answer…")

    def _on_answer_in(self) -> None:
        if isValid(self) and self.session is not None and self.receiver is not None:
            self._verify(self.receiver.body or b"")

    def _verify(self, body) -> None:
        if self.session is None:
            return
        job = self.tasks.run(jobs.check_openid4vp_answer, self.credentials, self.session, body)
        job.finished.connect(self._on_verdict)
        job.failed.connect(self._on_failed)

    def _on_verdict(self, verdict) -> None:
        if not isValid(self):
            return
        self.verdict = verdict
        lines = [("VALID: " if verdict.valid else "INVALID: ") + verdict.message]
        for query, results in verdict.answers.items():
            for result in results:
                for c in result.credentials:
                    shown = ", ".join(f"{k} = {v}" for k, v in (c.disclosed or {}).items()
                                      if not isinstance(v, (dict, list)) and k not in ("iss", "vct", "iat", "cnf"))
                    lines.append(f"{c.title} ({query}): {shown}")
        self.result.setText("\n".join(lines))
        (self.message.success if verdict.valid else self.message.error)(
            "The answer verifies." if verdict.valid else "The answer does not verify.")

    def _on_failed(self, exc: BaseException) -> None:
        if isValid(self):
            self.message.error(describe(exc))

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.pasted.hasFocus():
            return      # a newline in the pasted answer, never Close
        super().keyPressEvent(event)
