"""Who the credential is for: the learner's DID (or account address), typed, pasted,
read from a file, or scanned from the QR code their Identity page shows (an image, or
the camera's picture).

What a code or a file holds is the learner's choice of characters: only a DID or an
Ethereum address is taken, checked (an address becomes did:pkh, its checksum checked),
never shown raw. Reading images runs on the TaskRunner.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from vault.errors import InvalidDid, VaultError
from vault.issuing.recipients import recipient_did
from vault.qr import scan

from ..errors import describe
from ..present.jobs import pil_image
from ..verify import camera
from ..widgets import InlineMessage, open_dialog

MAX_FILE = 64 * 1024      # a text file holding a DID; images are read by zxing-cpp, bounded there
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff"}
IMAGE_FILTER = "QR code images (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.tif *.tiff);;Text files (*.txt);;All files (*)"


def recipient_from_text(text: str) -> str:
    """The recipient DID in ``text``: a DID, or a 0x address (as did:pkh); the core's check
    (vault.issuing.recipients), which says what was wrong."""

    return recipient_did(text if isinstance(text, str) else "")


def recipient_from_texts(texts: list[str]) -> str:
    """The one recipient among the codes read from an image."""
    found, problems = [], []
    for text in dict.fromkeys(texts):
        try:
            did = recipient_from_text(text)
        except VaultError as exc:
            problems.append(str(exc))
        else:
            if did not in found:
                found.append(did)
    if len(found) > 1:
        raise InvalidDid(f"This image holds {len(found)} different DID or address codes; scan one at a time.")
    if found:
        return found[0]
    if problems:
        raise InvalidDid("The QR code in this image is not a DID or an address: it may be a presentation or "
                         "another code. Ask the learner for the code on their Identity page.")
    raise InvalidDid("No QR code was found in this image. Use a sharper picture of the learner's Identity "
                     "page code, or type or paste their DID.")


def recipient_from_image(source) -> str:
    """``source``: a QImage, image bytes or a path."""

    if isinstance(source, QImage):
        source = pil_image(source)
    return recipient_from_texts(scan.read_image(source))


def recipient_from_file(path) -> str:
    path = Path(path)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return recipient_from_image(path)
    if path.stat().st_size > MAX_FILE:
        raise InvalidDid(f"{path.name} is too large to hold a DID ({path.stat().st_size:,} bytes).")
    data = path.read_bytes()
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff":
        return recipient_from_image(data)
    try:
        return recipient_from_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidDid(f"{path.name} is neither a text file with a DID nor an image of a QR code.") from None


class RecipientField(QWidget):
    """The recipient line and the ways to fill it. ``recipient()`` raises InvalidDid."""

    changed = Signal()

    def __init__(self, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.dialog = None
        self.reading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.edit = QLineEdit()
        self.edit.setObjectName("issueRecipient")
        self.edit.setAccessibleName("Recipient DID or address")
        self.edit.setPlaceholderText("did:key:z6Mk…  or  0x… (the learner's Identity page shows both as QR codes)")
        layout.addWidget(self.edit)
        row = QHBoxLayout()
        self.image_button = QPushButton("Scan a QR image…")
        self.image_button.setToolTip("A screenshot or photo of the code on the learner's Identity page")
        self.paste_button = QPushButton("Paste")
        self.paste_button.setToolTip("Paste a DID, an address, or a copied image of the QR code")
        self.camera_button = QPushButton("Camera…")
        self.camera_ok, why = camera.availability()
        self.camera_button.setToolTip(why)
        self.camera_button.setVisible(self.camera_ok)
        for b in (self.image_button, self.paste_button, self.camera_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.edit.textChanged.connect(self._on_edited)
        self.image_button.clicked.connect(self.choose_file)
        self.paste_button.clicked.connect(self.paste)
        self.camera_button.clicked.connect(self.scan_with_camera)

    def _on_edited(self, _text: str) -> None:
        self.message.clear()
        self.changed.emit()

    def recipient(self) -> str:
        return recipient_from_text(self.edit.text())

    def set_recipient(self, did: str) -> None:
        self.edit.setText(did)
        self.message.success("Read from the code: check it is the learner's.")

    # ---- the ways in ---------------------------------------------------------------

    def read(self, fn, source) -> None:
        """``fn(source)`` off the GUI thread; the DID it finds fills the field."""
        self.reading = True
        self.message.hint("Reading the code…")
        job = self.tasks.run(fn, source)
        job.finished.connect(self._on_read)
        job.failed.connect(self._on_failed)

    def _on_read(self, did: str) -> None:
        self.reading = False
        self.set_recipient(did)

    def _on_failed(self, exc: BaseException) -> None:
        self.reading = False
        self.message.error(describe(exc))

    def read_image(self, image: QImage) -> None:
        self.read(recipient_from_image, image.copy())

    def read_path(self, path) -> None:
        self.read(recipient_from_file, str(path))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Recipient's QR code or DID", "", IMAGE_FILTER)
        if path:
            self.read_path(path)

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and mime.hasImage():
            self.read_image(QImage(mime.imageData()))
        elif mime is not None and mime.hasText():
            try:
                self.edit.setText(recipient_from_text(mime.text()))
            except VaultError as exc:
                self.message.error(str(exc))

    def scan_with_camera(self) -> None:
        dialog = RecipientCamera(self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.found.connect(self._on_read)
        open_dialog(self, dialog)


def _camera_dialog_class():
    """Made on first use: CameraDialog exists only with Qt Multimedia."""
    class Camera(camera.CameraDialog):
        """The Verify page's camera, looking for a DID or address code instead."""
        found = Signal(str)

        def __init__(self, field: RecipientField):
            super().__init__(field.tasks, field)
            self.setWindowTitle("Scan the learner's code")
            self.field, self.busy = field, False

        def _on_frame(self, frame) -> None:
            image = frame.toImage()
            if image.isNull():
                return
            self.picture.setPixmap(QPixmap.fromImage(image).scaled(self.picture.size(), Qt.KeepAspectRatio))
            if not self.busy:
                self.busy = True
                job = self.field.tasks.run(recipient_from_image, image.copy())
                job.finished.connect(self._found)
                job.failed.connect(lambda _exc: setattr(self, "busy", False))

        def _found(self, did: str) -> None:
            self.camera.stop()
            self.found.emit(did)
            self.accept()

    return Camera


def RecipientCamera(field: RecipientField):  # noqa: N802 - a class made on first use (Qt Multimedia)
    return _camera_dialog_class()(field)
