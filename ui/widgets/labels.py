"""Labels made the same way on every page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


def text_label(text: str = "", *, name: str | None = None, wrap: bool = True, selectable: bool = False,
               plain: bool = True) -> QLabel:
    """A label styled by its object name ``name``. Plain text unless ``plain=False``:
    much of what the chain pages show comes from someone else (a proposal's title, an
    offer, a validator's name) and must never be read as rich text (a fake link, a
    hidden line in a confirm dialog). ``selectable`` by the mouse, to copy a figure or
    an address."""
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    if plain:
        label.setTextFormat(Qt.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


def title_and_badge(title: QLabel, badge: QLabel) -> QHBoxLayout:
    """A detail panel's head: the (wrapping) title, and its status badge at the top right."""
    head = QHBoxLayout()
    head.addWidget(title, 1)
    head.addWidget(badge, 0, Qt.AlignTop)
    return head


def repolish(*widgets: QWidget) -> None:
    """Apply the stylesheet again after a property it selects on (state, tier…) changed."""
    for widget in widgets:
        widget.style().unpolish(widget)
        widget.style().polish(widget)
