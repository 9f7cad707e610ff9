"""Page scaffolding: titles, a centred card that scrolls rather than clips, button rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    label.setWordWrap(True)
    return label


def page_subtitle(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageSubtitle")
    label.setWordWrap(True)
    return label


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def button_row(*buttons: QPushButton, leading: list[QPushButton] | None = None) -> QHBoxLayout:
    """``leading`` buttons on the left (Back), the rest on the right (the action)."""
    row = QHBoxLayout()
    row.setSpacing(8)
    for button in [*(leading or []), *buttons]:
        if not button.property("primary"):
            # In a dialog, Enter must never fall through to Cancel or Back.
            button.setAutoDefault(False)
    for button in leading or []:
        row.addWidget(button)
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def primary(button: QPushButton) -> QPushButton:
    button.setProperty("primary", True)
    button.setDefault(True)
    button.setAutoDefault(True)
    return button


class CenteredPage(QScrollArea):
    """A card of at most ``max_width`` pixels, centred, that scrolls on small windows.

    Subclasses add their widgets to ``self.body`` (a QVBoxLayout inside the card).
    """

    def __init__(self, parent: QWidget | None = None, *, max_width: int = 560):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        outer = QWidget()
        outer.setObjectName("pageBackground")
        self.card = QFrame()
        self.card.setObjectName("card")
        self.card.setMaximumWidth(max_width)
        self.body = QVBoxLayout(self.card)
        self.body.setContentsMargins(32, 28, 32, 28)
        self.body.setSpacing(12)
        rows = QVBoxLayout(outer)
        rows.setContentsMargins(24, 24, 24, 24)
        rows.addStretch(1)
        columns = QHBoxLayout()
        columns.addStretch(1)
        columns.addWidget(self.card, 100)
        columns.addStretch(1)
        rows.addLayout(columns)
        rows.addStretch(2)
        self.setWidget(outer)
