"""The employer's request as a QR code: the job seeker scans it (or a screenshot of it)
and their presentation answers exactly this challenge, for this domain."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from vault.presentations.request import PresentationRequest
from vault.qr import render
from vault.store.atomic import write_atomic

from ..errors import describe
from ..present.qr import QrView
from ..widgets import InlineMessage, button_row, page_subtitle
from . import jobs


def _save(texts: list[str], path: Path) -> Path:
    data = render.svg(texts[0]).encode() if path.suffix.lower() == ".svg" else render.png(texts[0])
    write_atomic(path, data)
    return path


class RequestDialog(QDialog):
    def __init__(self, request: PresentationRequest, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.request, self.tasks = request, tasks
        self.texts: list[str] = []
        self.file_dialog = None
        self.setWindowTitle("Your request")
        self.setObjectName("requestDialog")
        self.resize(440, 560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(page_subtitle("Let the job seeker scan this code (or send them a screenshot): their "
                                       "presentation will answer this challenge, for this domain, and no other."))
        self.qr = QrView(minimum=260)
        layout.addWidget(self.qr, 1)
        form = QFormLayout()
        form.setVerticalSpacing(4)
        for label, value in (("Domain", request.domain), ("Challenge", request.challenge)):
            field = QLabel(value)
            field.setObjectName("folderLabel")
            field.setTextFormat(Qt.PlainText)
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextSelectableByMouse)
            form.addRow(label, field)
        layout.addLayout(form)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.save_button = QPushButton("Save PNG…")
        self.save_button.setEnabled(False)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.accept)
        self.save_button.clicked.connect(self.choose_save)
        layout.addLayout(button_row(self.close_button, leading=[self.save_button]))
        job = tasks.run(jobs.request_code, request)
        job.finished.connect(self._on_code)
        job.failed.connect(self._on_failed)

    @property
    def ready(self) -> bool:
        return bool(self.texts)

    def _on_code(self, result) -> None:
        if not isValid(self):
            return
        self.texts, frames = result
        self.qr.set_frames(frames)
        self.save_button.setEnabled(True)

    def _on_failed(self, exc: BaseException) -> None:
        if isValid(self):
            self.message.error(describe(exc))

    def choose_save(self) -> None:
        dialog = QFileDialog(self, "Save the request code", str(Path.home() / "presentation-request.png"))
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setNameFilters(["PNG image (*.png)", "SVG image (*.svg)"])
        dialog.setDefaultSuffix("png")
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.save_to)
        self.file_dialog = dialog
        dialog.open()

    def save_to(self, path) -> None:
        if not self.texts or not path:
            return
        job = self.tasks.run(_save, list(self.texts), Path(path))
        job.finished.connect(self._on_saved)
        job.failed.connect(self._on_failed)

    def _on_saved(self, path: Path) -> None:
        if isValid(self):
            self.message.success(f"Saved to {path}.")
