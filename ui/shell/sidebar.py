"""The workspace's sidebar: the app's name, one entry per page, and the Lock button.

Clicking the entry of the page already shown says so (``reselected``): the page goes
back to where it starts (Credentials: from a credential's detail to the list), as a
person expects of the entry that names it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout

WIDTH = 192


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
        side.addSpacing(6)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setAccessibleName("Pages")
        self.nav.setFrameShape(QFrame.NoFrame)
        self.nav.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        for title in titles:
            QListWidgetItem(title, self.nav)
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
