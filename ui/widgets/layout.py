"""Page scaffolding: titles, a centred card that scrolls rather than clips, button rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea,
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


def dialog_layout(dialog: QDialog, title: str, subtitle: str = "") -> QVBoxLayout:
    """A dialog's layout with its title and, when given, the sentence under it."""
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(10)
    layout.addWidget(page_title(title))
    if subtitle:
        layout.addWidget(page_subtitle(subtitle))
    return layout


def scrolling_page(page: QWidget, title: str, subtitle: str, *, spacing: int = 12,
                   margins: tuple[int, int, int, int] = (28, 24, 28, 24)) -> QVBoxLayout:
    """Give ``page`` a title, a subtitle and a body that scrolls vertically rather than
    squeezing its content on a short window; returns the body's layout to fill."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    content = QWidget()
    content.setObjectName("pageBackground")
    scroll.setWidget(content)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    layout = QVBoxLayout(content)
    layout.setContentsMargins(*margins)
    layout.setSpacing(spacing)
    layout.addWidget(page_title(title))
    layout.addWidget(page_subtitle(subtitle))
    return layout


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


def open_dialog(host: QWidget, dialog, *, delete_on_close: bool = False) -> None:
    """Open ``dialog`` (window-modal, not blocking) and keep it in ``host.dialog`` while it
    is open, so that locking can close it and tests can reach it."""
    if delete_on_close:
        dialog.setAttribute(Qt.WA_DeleteOnClose)
    host.dialog = dialog

    def closed(*_):
        if getattr(host, "dialog", None) is dialog:  # a newer dialog may have replaced it
            host.dialog = None

    dialog.finished.connect(closed)
    dialog.open()
