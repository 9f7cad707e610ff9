"""The rounded badge (a "pill") that list delegates paint for a state: Voting open,
Slashed, Yours… One painter, so every list's badges read alike in both themes."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen


def is_dark(palette: QPalette) -> bool:
    """The dark theme is in use where the list's base colour is dark."""
    return palette.color(QPalette.Base).lightness() < 128


def paint_pill(painter: QPainter, rect: QRectF, text: str, font: QFont, *, background: str | QColor,
               border: str | QColor, foreground: str | QColor, pad: float = 0, inset: bool = True) -> None:
    """A pill filling ``rect`` (its ends fully round) with a one-pixel ``border`` (half a
    pixel inside ``rect`` when ``inset``: crisp on whole-pixel rectangles), and ``text``
    centred in ``rect``, ``pad`` pixels from either end (cut with "…" when it does not
    fit). Leaves the painter as it found it."""
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setPen(QPen(QColor(border), 1))
    painter.setBrush(QColor(background))
    shape = rect.adjusted(0.5, 0.5, -0.5, -0.5) if inset else rect
    painter.drawRoundedRect(shape, rect.height() / 2, rect.height() / 2)
    painter.setPen(QColor(foreground))
    painter.setFont(font)
    shown = painter.fontMetrics().elidedText(text, Qt.ElideRight, int(rect.width() - 2 * pad))
    painter.drawText(rect.adjusted(pad, 0, -pad, 0), Qt.AlignCenter, shown)
    painter.restore()
