"""Answer a verifier's request (OpenID4VP): paste its link (or a picture of its QR code) or
open a QR image; the vault reads the request, says who asks and whether that is
authenticated, lists for each credential asked for the ones of the vault that answer it
(pick another in the list), and shows exactly what would be disclosed. Only "Send" signs
and sends; the presentation is logged like any other.

Everything the verifier says (its name, its address) is shown as plain text."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QPushButton, QVBoxLayout, QWidget)
from shiboken6 import isValid

from ..errors import describe
from ..widgets import InlineMessage, button_row, make_safe_default, page_subtitle
from ..widgets.labels import text_label
from ..widgets.layout import primary
from ..widgets.link_input import LinkInput
from . import jobs

class AnswerRequestDialog(QDialog):
    sent = Signal(object)        # the verifier's reply (a dict)

    def __init__(self, service, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.service, self.tasks = service, tasks
        self.request = self.found = self.prepared = None
        self.dialog = None
        self.busy = False
        self.pickers: dict[str, QComboBox] = {}
        self.setWindowTitle("Answer a request")
        self.setObjectName("answerRequestDialog")
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(page_subtitle("Paste a verifier's request (openid4vp://…), paste or open a picture of its "
                                       "QR code. Nothing is signed or sent until you press Send."))
        self.input = LinkInput("requestLink", "openid4vp://?client_id=…", 70, "Read the request", "request")
        layout.addWidget(self.input)
        self.link, self.paste_button = self.input.link, self.input.paste_button
        self.open_button, self.read_button = self.input.open_button, self.input.read_button
        self.who = text_label("", name="requestVerifier", selectable=True)
        self.who.hide()
        layout.addWidget(self.who)
        self.picks = QFormLayout()
        layout.addLayout(self.picks)
        self.disclosed = text_label("", name="requestDisclosure", selectable=True)
        self.disclosed.hide()
        layout.addWidget(self.disclosed)
        layout.addStretch(1)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.cancel_button = QPushButton("Cancel")
        self.send_button = primary(QPushButton("Send"))
        self.send_button.setEnabled(False)
        layout.addLayout(button_row(self.cancel_button, self.send_button))

        self.input.chosen.connect(self.read)
        self.input.nothing_pasted.connect(lambda: self.message.hint("The clipboard holds no request link and no "
                                                                    "picture."))
        self.cancel_button.clicked.connect(self.reject)
        self.send_button.clicked.connect(self.send)
        # Send signs a presentation and sends it to the verifier: Enter never presses it.
        make_safe_default(self, self.cancel_button, self.send_button, focus=self.link)

    # ---- reading -------------------------------------------------------------------------------

    def read(self, source) -> None:
        if isinstance(source, str) and not source.strip():
            self.message.hint("Paste a request link first.")
            return
        self._busy(True, "Reading the request…")
        job = self.tasks.run(jobs.read_vp_request, source, self.service)
        job.finished.connect(self._on_read)
        job.failed.connect(self._on_failed)

    def _on_read(self, result) -> None:
        if not isValid(self):
            return
        self._busy(False)
        self.request, self.found, prepared = result
        self.who.setText(self.request.verifier.sentence())
        self.who.show()
        while self.picks.rowCount():
            self.picks.removeRow(0)
        self.pickers = {}
        for query in self.found.queries:
            candidates = self.found.candidates.get(query.id) or []
            if not candidates:
                continue
            picker = QComboBox()
            picker.setObjectName(f"pick-{query.id}")
            for c in candidates:
                picker.addItem(f"{c.title} ({c.status}, {c.id[:12]})", c.id)
            picker.currentIndexChanged.connect(self._repick)
            self.pickers[query.id] = picker
            self.picks.addRow(f"Asked: {query.id}", picker)
        self._show(prepared)

    def _repick(self) -> None:
        picks = {q: p.currentData() for q, p in self.pickers.items()}
        self._busy(True, "Working out what this discloses…")
        job = self.tasks.run(jobs.prepare_answer, self.service, self.request, self.found, picks)
        job.finished.connect(lambda prepared: isValid(self) and (self._busy(False), self._show(prepared)))
        job.failed.connect(self._on_failed)

    def _show(self, prepared) -> None:
        self.prepared = prepared
        self.disclosed.setText("\n".join(prepared.lines()[1:]))
        self.disclosed.show()
        self.send_button.setEnabled(True)
        self.message.hint("Check what each credential discloses; Send signs it for this verifier and sends it.")

    # ---- sending -------------------------------------------------------------------------------

    def send(self) -> None:
        if self.prepared is None or self.busy:
            return
        self._busy(True, "Signing and sending…")
        job = self.tasks.run(jobs.send_answer, self.service, self.prepared)
        job.finished.connect(self._on_sent)
        job.failed.connect(self._on_failed)

    def _on_sent(self, reply) -> None:
        if not isValid(self):
            return
        self._busy(False)
        self.sent.emit(reply)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        if isValid(self):
            self._busy(False)
            self.send_button.setEnabled(self.prepared is not None)
            self.message.error(describe(exc))

    def _busy(self, on: bool, text: str = "") -> None:
        self.busy = on
        for button in (self.paste_button, self.open_button, self.read_button, self.send_button):
            button.setEnabled(not on)
        if on:
            self.message.hint(text)
