from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from vault.safe_text import safe_text

from .labels import plain_tip


class ElidedLabel(QWidget):
    """One line of text that shrinks with an ellipsis (in the middle by default) instead
    of pushing the layout wider. The full text is in the tooltip and ``text()``.

    For identifiers such as DIDs (a did:jwk is ~150 characters without a space) and paths.
    Often someone else's (an issuer's DID, a holder's): shown plain, bidi controls and
    line breaks as marks, the tooltip escaped.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 mode: Qt.TextElideMode = Qt.ElideMiddle):
        super().__init__(parent)
        self._text = ""
        self._mode = mode
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.setText(text)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        self._text = safe_text(text)
        self.setToolTip(plain_tip(self._text))
        self.updateGeometry()
        self.update()

    def displayed_text(self) -> str:
        return QFontMetrics(self.font()).elidedText(self._text, self._mode, self.width())

    def sizeHint(self) -> QSize:
        fm = QFontMetrics(self.font())
        return QSize(min(fm.horizontalAdvance(self._text), 400), fm.height())

    def minimumSizeHint(self) -> QSize:
        fm = QFontMetrics(self.font())
        return QSize(fm.horizontalAdvance("xxxx…xxxx"), fm.height())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.rect(), Qt.AlignVCenter | Qt.AlignLeft, self.displayed_text())
