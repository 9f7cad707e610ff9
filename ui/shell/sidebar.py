"""The workspace's sidebar: the app's name, one entry per page, and the Lock button.

Clicking the entry of the page already shown says so (``reselected``): the page goes
back to where it starts (Credentials: from a credential's detail to the list), as a
person expects of the entry that names it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QFrame, QLabel, QListWidget, QListWidgetItem, QPushButton, QStyledItemDelegate,
                               QVBoxLayout)

WIDTH = 192
# Section headers above the first entry of each group (by title): thirteen entries read as
# three things a person does, not one long list.
GROUPS = {"Credentials": "Credentials", "Wallet": "BTK economy", "Identity": "You"}


class _GroupHeaders(QStyledItemDelegate):
    """Paints a group's header in a band above its first entry. The headers are not rows:
    row n stays page n (the workspace relies on it) and the keyboard never lands on one."""

    def _header(self, index) -> str:
        return GROUPS.get(index.data(), "")

    def _band(self, option) -> int:
        return option.fontMetrics.height() + 2   # the header's font is smaller: tight, so 680 px fits all

    def sizeHint(self, option, index):
        size = super().sizeHint(option, index)
        if self._header(index):
            size.setHeight(size.height() + self._band(option))
        return size

    def paint(self, painter, option, index) -> None:
        header = self._header(index)
        if not header:
            return super().paint(painter, option, index)
        band = self._band(option)
        painter.save()
        font = QFont(option.font)
        font.setPointSizeF(font.pointSizeF() * 0.8)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(option.palette.placeholderText().color())
        top = option.rect.adjusted(10, 2, 0, 0)
        top.setHeight(band - 2)
        painter.drawText(top, Qt.AlignLeft | Qt.AlignVCenter, header.upper())
        painter.restore()
        entry = type(option)(option)
        entry.rect = option.rect.adjusted(0, band, 0, 0)
        super().paint(painter, entry, index)


class Sidebar(QFrame):
    reselected = Signal(int)   # the row of the current page, clicked again

    def __init__(self, brand: str, titles, parent=None):
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setFixedWidth(WIDTH)
        side = QVBoxLayout(self)
        side.setContentsMargins(12, 18, 12, 14)
        side.setSpacing(8)
        label = QLabel(brand)
        label.setObjectName("brand")
        label.setWordWrap(True)  # never clipped, whatever the platform's font
        side.addWidget(label)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setAccessibleName("Pages")
        self.nav.setFrameShape(QFrame.NoFrame)
        self.nav.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        for title in titles:
            item = QListWidgetItem(title, self.nav)
            if title in GROUPS:   # what a screen reader says of the header it does not see
                item.setData(Qt.AccessibleDescriptionRole, GROUPS[title])
        self.nav.setItemDelegate(_GroupHeaders(self.nav))
        side.addWidget(self.nav, 1)
        self.lock_button = QPushButton("Lock")
        self.lock_button.setObjectName("lockButton")
        self.lock_button.setToolTip("Lock the vault (Ctrl+L)")
        side.addWidget(self.lock_button)
        self._row_at_press = -1
        self.nav.viewport().installEventFilter(self)
        self.nav.itemClicked.connect(self._on_clicked)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.MouseButtonPress:
            self._row_at_press = self.nav.currentRow()   # before the press makes another current
        return False

    def _on_clicked(self, item: QListWidgetItem) -> None:
        row = self.nav.row(item)
        if row == self._row_at_press:
            self.reselected.emit(row)
