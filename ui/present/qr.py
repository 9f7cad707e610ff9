"""A QR code on screen: one code, or the parts of a sequence shown one after the other.

The symbol comes from vault.qr.render (zxing-cpp, level M, the 4-module quiet zone) as a
QImage of one pixel per module, made on a worker thread (QImage, unlike QPixmap, may be);
the view scales it by a whole number of pixels per module, never smoothed, so every module
is a crisp square a camera (or zxing-cpp reading a screenshot) resolves.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from vault.qr import render

FRAME_MS = render.FRAME_MS          # how long each part of a sequence stays on screen


def qr_image(text: str) -> QImage:
    """The code for ``text`` with its quiet zone, one pixel per module (8-bit grey)."""
    symbol = render.make(text)
    side = symbol.side()
    return QImage(render.grey(symbol), side, side, side, QImage.Format_Grayscale8).copy()  # own its pixels


class QrView(QWidget):
    """Shows ``frames`` (QImages from ``qr_image``; None while a part is still being drawn).

    A sequence plays on its own (``FRAME_MS`` per part) until paused; ``step`` moves by one
    part. ``frame_changed(index)`` after every change of part, ``painted()`` after a paint
    that drew a code.
    """

    frame_changed = Signal(int)
    painted = Signal()

    def __init__(self, parent: QWidget | None = None, *, minimum: int = 220):
        super().__init__(parent)
        self.setObjectName("qrView")
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(minimum, minimum)
        self._frames: list[QImage | None] = []
        self._index = 0
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._advance)
        self._want_playing = True
        self.setAccessibleName("QR code")

    # ---- content ---------------------------------------------------------------------------

    def set_frames(self, frames: list[QImage | None]) -> None:
        self._frames = list(frames)
        self._index = 0
        self._want_playing = True
        self._update_timer()
        self.update()
        self.frame_changed.emit(0)

    def set_frame(self, index: int, image: QImage) -> None:
        """A part drawn later (the first part is shown while the others are drawn)."""
        if 0 <= index < len(self._frames):
            self._frames[index] = image
            self._update_timer()
            if index == self._index:
                self.update()

    def clear(self) -> None:
        self._frames = []
        self._index = 0
        self._timer.stop()
        self.update()

    @property
    def count(self) -> int:
        return len(self._frames)

    @property
    def index(self) -> int:
        return self._index

    @property
    def complete(self) -> bool:
        return bool(self._frames) and all(f is not None for f in self._frames)

    def current_image(self) -> QImage | None:
        return self._frames[self._index] if self._frames else None

    # ---- playing -----------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        """Parts are changing on screen now."""
        return self._timer.isActive()

    @property
    def auto_play(self) -> bool:
        """Parts play whenever there are several, all drawn, on screen (until ``pause``)."""
        return self._want_playing

    def play(self) -> None:
        self._want_playing = True
        self._update_timer()

    def pause(self) -> None:
        self._want_playing = False
        self._update_timer()

    def step(self, delta: int) -> None:
        if self.count > 1:
            self.show_index((self._index + delta) % self.count)

    def show_index(self, index: int) -> None:
        if 0 <= index < self.count and index != self._index:
            self._index = index
            self.update()
            self.frame_changed.emit(index)

    def _advance(self) -> None:
        self.step(1)

    def _update_timer(self) -> None:
        run = self._want_playing and self.count > 1 and self.complete and self.isVisible()
        if run and not self._timer.isActive():
            self._timer.start()
        elif not run:
            self._timer.stop()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._update_timer()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._timer.stop()       # nobody sees it: no work, and it starts again when shown

    # ---- painting ------------------------------------------------------------------------------

    def code_rect(self) -> QRect:
        """Where the current code is drawn (whole pixels per module, centred)."""
        image = self.current_image()
        if image is None:
            return QRect()
        side = image.width()
        scale = max(1, min(self.width(), self.height()) // side)
        rect = QRect(0, 0, side * scale, side * scale)
        rect.moveCenter(self.rect().center())
        return rect

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        image = self.current_image()
        if image is None:
            if self._frames:   # a part still being drawn
                painter.setPen(QColor("#57606a"))
                painter.drawText(self.rect(), Qt.AlignCenter, "Drawing the code…")
            return
        painter.setRenderHint(QPainter.SmoothPixmapTransform, False)
        painter.drawImage(self.code_rect(), image)
        painter.end()
        self.painted.emit()

    def sizeHint(self) -> QSize:
        return QSize(460, 460)
