from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from .labels import PlainLabel


class InlineMessage(PlainLabel):
    """A message under the thing it is about: error, warning, hint or success.

    Hidden while empty, so it takes no room until there is something to say. Plain (an
    error may quote a credential's title).
    """

    KINDS = ("error", "warning", "hint", "success")

    def __init__(self, parent: QWidget | None = None):
        super().__init__("", parent)
        self.setObjectName("inlineMessage")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def show_message(self, kind: str, text: str) -> None:
        assert kind in self.KINDS, kind
        self.kind = kind
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.setVisible(bool(text))

    def error(self, text: str) -> None:
        self.show_message("error", text)

    def warning(self, text: str) -> None:
        self.show_message("warning", text)

    def hint(self, text: str) -> None:
        self.show_message("hint", text)

    def success(self, text: str) -> None:
        self.show_message("success", text)

    def clear(self) -> None:
        self.kind = ""
        self.setText("")
        self.hide()
