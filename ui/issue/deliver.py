"""Delivering a credential just issued (or again, from the log): as a file, as a QR code
the learner's vault reads by camera or from an image (the BTV1 ``VC-JSON`` / ``SD-JWT``
kinds, a sequence of parts when one code cannot hold it, played on its own), or straight
into this vault when it was issued to one of this vault's own DIDs (the sample)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from vault.issuing import deliver
from vault.qr import encode_parts, render
from vault.store.atomic import write_atomic

from ..errors import describe
from ..present.qr import QrView, qr_image
from ..widgets import InlineMessage, button_row, page_subtitle, page_title
from ..widgets.labels import text_label
from ..widgets.layout import primary


def qr_frames(record) -> tuple[list[str], list]:
    """The code's texts (its BTV1 kind from vault.issuing.deliver) and their images (worker
    thread: QImage may be made there)."""
    texts = encode_parts(record.content, kind=deliver.qr_kind(record))
    return texts, [qr_image(t) for t in texts]


FILE_FILTER = ("The credential (*.json *.sd-jwt);;Baked into a badge image (*.png *.svg);;All files (*)")


def file_name(record) -> str:
    return "credential.sd-jwt" if record.is_sd_jwt else "credential.json"


class DeliverDialog(QDialog):
    """``added(result)`` after "Add to this vault" imported it."""

    added = Signal(object)

    def __init__(self, record, tasks, *, own: bool, import_bytes=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.record, self.tasks, self.import_bytes = record, tasks, import_bytes
        self.texts: list[str] = []
        self.setWindowTitle("Deliver the credential")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(page_title("Deliver the credential"))
        layout.addWidget(page_subtitle("Send the file, or let the learner's vault scan the code (Credentials → "
                                       "Import, with a photo or screenshot of it)."))
        self.what = text_label(f"{record.title}\nfor {record.recipient}", name="deliverWhat", selectable=True)
        layout.addWidget(self.what)
        self.qr = QrView(minimum=260)
        layout.addWidget(self.qr, 1)
        self.parts = text_label(name="hintLabel")
        layout.addWidget(self.parts)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.save_button = QPushButton("Save file…")
        self.save_qr_button = QPushButton("Save QR image…")
        self.save_qr_button.setToolTip("One PNG with the code (all its parts on one sheet), to print or send")
        self.save_qr_button.setEnabled(False)
        self.add_button = QPushButton("Add to this vault")
        self.add_button.setToolTip("It was issued to one of this vault's DIDs: keep it here")
        self.add_button.setVisible(own and import_bytes is not None)
        self.close_button = primary(QPushButton("Close"))
        layout.addLayout(button_row(self.close_button, leading=[self.save_button, self.save_qr_button,
                                                                        self.add_button]))
        layout.addLayout(row)
        self.save_button.clicked.connect(lambda: self.save())
        self.save_qr_button.clicked.connect(lambda: self.save_qr())
        self.add_button.clicked.connect(self.add_here)
        self.close_button.clicked.connect(self.accept)
        job = tasks.run(qr_frames, record)
        job.finished.connect(self._on_frames)
        job.failed.connect(lambda exc: self.message.error(f"No QR code: {describe(exc)} Save the file instead."))

    def _on_frames(self, result) -> None:
        self.texts, images = result
        self.qr.set_frames(images)
        self.save_qr_button.setEnabled(True)
        self.parts.setText("" if len(images) == 1 else
                           f"{len(images)} parts, shown one after the other: the learner's camera reads them "
                           "in any order.")

    def save(self, path: str | None = None) -> Path | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save the credential", file_name(self.record),
                                                  FILE_FILTER)
        if not path:
            return None

        try:
            deliver.write_file(self.record, Path(path))   # .png / .svg: baked into a badge image
        except Exception as exc:   # a folder that cannot be written, a refused image: said, nothing lost
            self.message.error(describe(exc))
            return None
        self.message.success(f"Saved to {path}.")
        return Path(path)

    def save_qr(self, path: str | None = None) -> Path | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save the QR code", "credential-qr.png", "PNG (*.png)")
        if not path:
            return None

        data = render.png(self.texts[0]) if len(self.texts) == 1 else render.sheet(self.texts)
        try:
            write_atomic(Path(path), data)
        except OSError as exc:
            self.message.error(describe(exc))
            return None
        self.message.success(f"Saved to {path}: the learner imports it on their Credentials page.")
        return Path(path)

    def add_here(self) -> None:
        self.add_button.setEnabled(False)
        job = self.tasks.run(self.import_bytes, self.record.content)
        job.finished.connect(self._on_added)
        job.failed.connect(lambda exc: (self.message.error(describe(exc)), self.add_button.setEnabled(True)))

    def _on_added(self, result) -> None:
        self.message.success("Added to this vault's credentials." if result.created else
                             "This vault holds it already.")
        self.added.emit(result)
