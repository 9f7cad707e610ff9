"""Paints one credential as a card: badge, title, issuer and DID, dates, verdict chips and
the reason. Every card has the same height, so the view never measures 100,000 rows."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPainterPath,
                           QPalette, QPen)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from . import images
from .model import CredentialCardProxy
from .presentation import Look

# The light theme's colours (also used by other pages' painters).
TEXT, MUTED, FAINT = QColor("#1f2328"), QColor("#57606a"), QColor("#8c959f")
BORDER, HOVER, SELECTED = QColor("#dde1e6"), QColor("#9aa5b1"), QColor("#2f5bd3")
IMAGE = 56
MARGIN_X, MARGIN_Y, PAD = 10, 5, 12


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.Base).lightness() < 128


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` of the way to ``b``."""
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t, a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t)


@dataclass(frozen=True)
class CardColors:
    """What a card is painted with, from the palette of the theme in use."""
    dark: bool
    background: QColor
    selected_background: QColor
    text: QColor
    muted: QColor
    border: QColor
    hover: QColor
    selected: QColor
    skeleton: QColor

    @classmethod
    def of(cls, palette: QPalette) -> "CardColors":
        if not is_dark(palette):   # the light look, as designed (app.qss's colours)
            return cls(False, QColor("#ffffff"), QColor("#f5f8ff"), TEXT, MUTED, BORDER, HOVER, SELECTED,
                       QColor("#eef0f3"))
        # The list's own colours are the page's (its stylesheet) and its selection is
        # transparent (the cards paint their own): a card takes the application's.
        app = QGuiApplication.palette()
        base, text, accent = app.color(QPalette.Base), app.color(QPalette.Text), app.color(QPalette.Highlight)
        return cls(True, base, _mix(base, accent, 0.16), text, _mix(text, base, 0.35), _mix(base, text, 0.14),
                   _mix(base, text, 0.38), _mix(accent, text, 0.2), _mix(base, text, 0.1))


def placeholder_color(title: str, dark: bool = False) -> QColor:
    hue = zlib.crc32(title.encode("utf-8")) % 360
    return QColor.fromHsl(hue, 70, 72) if dark else QColor.fromHsl(hue, 90, 225)


def paint_badge(painter: QPainter, rect: QRect, image, state: str, title: str, initials: str,
                font: QFont, dark: bool = False) -> None:
    """The badge image, or a placeholder (initials) when there is none, it is on the web,
    or it is still being decoded. ``dark``: the colours of the dark theme."""
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing)
    path = QPainterPath()
    path.addRoundedRect(QRectF(rect), 10, 10)
    if image is not None and not image.isNull():
        painter.setClipPath(path)
        painter.fillRect(rect, QColor("#ffffff"))
        size = image.size().scaled(rect.size(), Qt.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(rect.center())
        painter.setRenderHint(QPainter.SmoothPixmapTransform)
        painter.drawImage(target, image)
        painter.setClipping(False)
        painter.setPen(QPen(QColor("#3a4350") if dark else BORDER, 1))
        painter.setBrush(Qt.NoBrush)
        painter.drawPath(path)
    else:
        base = placeholder_color(title, dark)
        painter.fillPath(path, base)
        if state == images.REMOTE:   # an image exists, on the web: not fetched
            pen = QPen(base.lighter(170) if dark else base.darker(150), 1.2, Qt.DashLine)
            painter.setPen(pen)
            painter.drawPath(path)
        big = QFont(font)
        big.setBold(True)
        big.setPixelSize(max(12, rect.height() * 3 // 8))
        painter.setFont(big)
        painter.setPen(base.lighter(260) if dark else base.darker(260))
        painter.drawText(rect, Qt.AlignCenter, initials)
    painter.restore()


def chip_width(look: Look, metrics: QFontMetrics) -> int:
    return metrics.horizontalAdvance(look.text) + 18


def paint_chip(painter: QPainter, rect: QRect, look: Look, font: QFont, dark: bool = False) -> None:
    background, text, border = look.colors_for(dark)
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setPen(QPen(QColor(border), 1))
    painter.setBrush(QColor(background))
    painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), rect.height() / 2, rect.height() / 2)
    painter.setFont(font)
    painter.setPen(QColor(text))
    painter.drawText(rect, Qt.AlignCenter, look.text)
    painter.restore()


class CredentialCardDelegate(QStyledItemDelegate):
    # index -> the soulbound chip ("On chain" / "Revoked on chain") or None; set by the
    # page once the chain is attached (ui.credentials.soulbound).
    anchor_for = None

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)
        title = QFont(base)
        title.setBold(True)
        title.setPointSizeF(base.pointSizeF() + 1)
        small = QFont(base)
        small.setPointSizeF(max(8.0, base.pointSizeF() - 0.5))
        chip = QFont(small)
        chip.setBold(True)
        return title, small, chip

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        title, small, _ = self._fonts(option)
        height = QFontMetrics(title).height() + 3 * QFontMetrics(small).height() + 3 * 3 + 2 * PAD
        return QSize(320, max(height, IMAGE + 2 * PAD) + 2 * MARGIN_Y)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        frame = option.rect.adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y)
        selected = bool(option.state & QStyle.State_Selected)
        hovered = bool(option.state & QStyle.State_MouseOver)
        colors = CardColors.of(option.palette)
        painter.setPen(QPen(colors.selected if selected else colors.hover if hovered else colors.border,
                            2 if selected else 1))
        painter.setBrush(colors.selected_background if selected else colors.background)
        painter.drawRoundedRect(QRectF(frame).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)

        title_font, small, chip_font = self._fonts(option)
        image_rect = QRect(frame.left() + PAD, frame.top() + PAD, IMAGE, IMAGE)
        text_left = image_rect.right() + 1 + PAD
        text_width = frame.right() - PAD - text_left

        model = index.model()
        card = model.card(index) if isinstance(model, CredentialCardProxy) else None
        if card is None:
            self._paint_loading(painter, image_rect, text_left, text_width, frame, colors.skeleton)
            painter.restore()
            return

        paint_badge(painter, image_rect, card.image, card.image_state, card.title, card.initials, option.font,
                    colors.dark)

        # Chips, right-aligned on the title line.
        chip_metrics = QFontMetrics(chip_font)
        chip_height = chip_metrics.height() + 6
        title_metrics = QFontMetrics(title_font)
        y = frame.top() + PAD
        chips_left = frame.right() - PAD
        anchor = self.anchor_for(index) if self.anchor_for is not None else None
        for look in (card.chip, card.status, card.warning, anchor):
            if look is None:
                continue
            width = chip_width(look, chip_metrics)
            rect = QRect(chips_left - width, y + (title_metrics.height() - chip_height) // 2, width, chip_height)
            paint_chip(painter, rect, look, chip_font, colors.dark)
            chips_left = rect.left() - 6

        painter.setFont(title_font)
        painter.setPen(colors.text)
        title_rect = QRect(text_left, y, max(10, chips_left - text_left - 8), title_metrics.height())
        painter.drawText(title_rect, Qt.AlignLeft | Qt.AlignVCenter,
                         title_metrics.elidedText(card.title, Qt.ElideRight, title_rect.width()))
        y += title_metrics.height() + 3

        small_metrics = QFontMetrics(small)
        line = small_metrics.height()
        painter.setFont(small)
        painter.setPen(colors.muted)
        painter.drawText(QRect(text_left, y, text_width, line), Qt.AlignLeft | Qt.AlignVCenter,
                         small_metrics.elidedText(card.issuer, Qt.ElideMiddle, text_width))
        y += line + 3
        dates = card.dates + (f"   {card.tags}" if card.tags else "")
        painter.drawText(QRect(text_left, y, text_width, line), Qt.AlignLeft | Qt.AlignVCenter,
                         small_metrics.elidedText(dates, Qt.ElideRight, text_width))
        y += line + 3
        painter.setPen(QColor((card.warning or card.chip).colors_for(colors.dark)[1]))
        painter.drawText(QRect(text_left, y, text_width, line), Qt.AlignLeft | Qt.AlignVCenter,
                         small_metrics.elidedText(card.reason, Qt.ElideRight, text_width))
        painter.restore()

    @staticmethod
    def _paint_loading(painter: QPainter, image_rect: QRect, left: int, width: int, frame: QRect,
                       color: QColor) -> None:
        painter.setPen(Qt.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(QRectF(image_rect), 10, 10)
        y = frame.top() + PAD + 2
        for fraction, height in ((0.45, 12), (0.7, 9), (0.35, 9)):
            painter.drawRoundedRect(QRectF(QPointF(left, y), QPointF(left + width * fraction, y + height)), 4, 4)
            y += height + 12
