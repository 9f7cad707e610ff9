"""Scanning a presentation live with a camera, where Qt Multimedia and a camera exist.

PySide6-Essentials has no QtMultimedia: then ``availability()`` says why, and the Verify
page shows no camera button at all (never one that does nothing). With it, a QCamera
feeds a QVideoSink; each frame is shown and handed to a FrameScanner, which decodes it
off the GUI thread and joins the parts of a multi-part code in any order.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from ..widgets import InlineMessage, button_row, page_subtitle
from .scanner import FrameScanner

log = logging.getLogger(__name__)

try:
    from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QMediaDevices, QVideoSink
    HAVE_MULTIMEDIA = True
except ImportError:
    HAVE_MULTIMEDIA = False

NO_MULTIMEDIA = ("Live camera scanning is not available: this installation of PySide6 has no Qt Multimedia "
                 "(PySide6-Essentials). Open a photo or a screenshot of the code instead, or install the full "
                 "PySide6 package.")
NO_CAMERA = "No camera was found. Open a photo or a screenshot of the code instead."


def availability() -> tuple[bool, str]:
    """(a camera can be used, why not / what the button does)."""
    if not HAVE_MULTIMEDIA:
        return False, NO_MULTIMEDIA
    try:
        if not QMediaDevices.videoInputs():
            return False, NO_CAMERA
    except Exception:  # a broken multimedia backend is "no camera", not a crash
        log.debug("the multimedia backend failed to list cameras", exc_info=True)
        return False, NO_CAMERA
    return True, "Hold the code in front of your camera; parts of a sequence are joined in any order"


class CameraDialog(QDialog):
    """The camera's picture, and what has been read so far. ``decoded(Decoded)`` once a
    whole presentation code is in; the dialog then closes."""

    decoded = Signal(object)

    def __init__(self, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        if not HAVE_MULTIMEDIA:
            raise RuntimeError(NO_MULTIMEDIA)
        self.setWindowTitle("Scan with the camera")
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        layout.addWidget(page_subtitle("Hold the presentation code in front of the camera. A code of several "
                                       "parts is read as they play, in any order."))
        self.picture = QLabel()
        self.picture.setObjectName("cameraPicture")
        self.picture.setAlignment(Qt.AlignCenter)
        self.picture.setMinimumSize(480, 360)
        layout.addWidget(self.picture, 1)
        self.status = QLabel("Looking for a code…")
        self.status.setObjectName("hintLabel")
        layout.addWidget(self.status)
        self.error = InlineMessage()
        layout.addWidget(self.error)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        layout.addLayout(button_row(self.cancel_button))

        self.scanner = FrameScanner(tasks, self)
        self.scanner.progress.connect(self.status.setText)
        self.scanner.problem.connect(self.error.warning)
        self.scanner.decoded.connect(self._on_decoded)
        self.session = QMediaCaptureSession(self)
        self.camera = QCamera(QMediaDevices.defaultVideoInput(), self)
        self.session.setCamera(self.camera)
        self.sink = QVideoSink(self)
        self.session.setVideoSink(self.sink)
        self.sink.videoFrameChanged.connect(self._on_frame)
        self.camera.errorOccurred.connect(lambda _error, text: self.error.error(f"The camera failed: {text}"))
        self.camera.start()

    def _on_frame(self, frame) -> None:
        image = frame.toImage()
        if image.isNull():
            return
        self.picture.setPixmap(QPixmap.fromImage(image).scaled(self.picture.size(), Qt.KeepAspectRatio,
                                                              Qt.SmoothTransformation))
        self.scanner.feed(image)

    def _on_decoded(self, decoded) -> None:
        self.camera.stop()
        self.decoded.emit(decoded)
        self.accept()

    def done(self, result: int) -> None:
        self.camera.stop()
        super().done(result)
