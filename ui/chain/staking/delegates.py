"""The Staking page's validators table and its Status column, drawn as a pill."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QRectF, QSize
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (QApplication, QHeaderView, QStyle, QStyledItemDelegate, QStyleOptionViewItem,
                               QTableView)

from ...widgets.pill import is_dark, paint_pill
from ...widgets.tables import configure_list_table
from .models import ValidatorModel


class BadgeDelegate(QStyledItemDelegate):
    """The Status column as a coloured pill, readable on the light and the dark theme."""

    # kind: (light background, text, border), (dark background, text, border)
    COLORS = {
        "slashed": (("#fdecea", "#a11c12", "#f5b5ae"), ("#3d1a1a", "#ffb4ab", "#7d2f2a")),
        "yours": (("#eef3fe", "#1b3d99", "#b6c9f5"), ("#18243d", "#9dbaf7", "#2f4878")),
        "active": (("#eef8f0", "#1a7f37", "#b7dfc0"), ("#15301e", "#8fd9a4", "#2c6a3f")),
    }
    PAD = 10

    def _font(self, option: QStyleOptionViewItem) -> QFont:
        font = QFont(option.font)
        font.setBold(True)
        return font

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(ValidatorModel.BadgeRole):
            metrics = QFontMetrics(self._font(option))
            size.setWidth(max(size.width(), metrics.horizontalAdvance(index.data()) + 2 * self.PAD + 16))
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        kind = index.data(ValidatorModel.BadgeRole)
        if not kind:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, opt.widget)   # row background, selection
        background, foreground, border = self.COLORS[kind][1 if is_dark(option.palette) else 0]
        font = self._font(option)
        metrics = QFontMetrics(font, painter.device())
        height = metrics.height() + 6
        width = metrics.horizontalAdvance(text) + 2 * self.PAD
        rect = QRect(option.rect.left() + 6, option.rect.center().y() - height // 2 + 1, width, height)
        paint_pill(painter, QRectF(rect), text, font, background=background, border=border, foreground=foreground)


def validator_table(model: ValidatorModel) -> QTableView:
    table = QTableView()
    table.setObjectName("validatorTable")
    table.setAccessibleName("Validators")
    table.setModel(model)
    table.setItemDelegateForColumn(ValidatorModel.STATUS, BadgeDelegate(table))
    configure_list_table(table, row_padding=16)   # room for the status pill
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeToContents)
    header.setSectionResizeMode(ValidatorModel.STATUS, QHeaderView.Stretch)
    header.setMinimumSectionSize(60)
    return table
