"""Labels made the same way on every page."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from vault.safe_text import safe_text


class PlainLabel(QLabel):
    """A label for text from outside (a credential, a presentation, the chain): plain
    text, never rich, and no bidi control or invisible character obeyed (they show as
    ⟨U+202E⟩…). Line breaks are kept: each label is one thing, and wraps."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextFormat(Qt.PlainText)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(safe_text(text, multiline=True))


def outside_html(text, *, multiline: bool = False) -> str:
    """Outside text inside our own rich text (QTextBrowser views): escaped, made safe."""
    return escape(safe_text(text, multiline=multiline))


def plain_tip(text) -> str:
    """A tooltip that shows outside ``text`` as written. Qt renders a tooltip as rich text
    whenever it looks like HTML ("<b>", "<img src=…>" on its first line), so the text
    is escaped inside markup of ours: always rich, never the sender's."""
    text = safe_text(text, multiline=True)
    return f"<p style='white-space:pre-wrap'>{escape(text)}</p>" if text else ""


def text_label(text: str = "", *, name: str | None = None, wrap: bool = True, selectable: bool = False,
               plain: bool = True) -> QLabel:
    """A label styled by its object name ``name``. Plain text unless ``plain=False``:
    much of what the chain pages show comes from someone else (a proposal's title, an
    offer, a validator's name) and must never be read as rich text (a fake link, a
    hidden line in a confirm dialog), nor reordered by bidi controls (PlainLabel).
    ``selectable`` by the mouse, to copy a figure or an address."""
    label = PlainLabel(text) if plain else QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
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
