from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget

from .labels import PlainLabel


class InlineMessage(PlainLabel):
    """A message under the thing it is about: error, warning, hint or success.

    Hidden while empty, so it takes no room until there is something to say. Plain (an
    error may quote a credential's title).

    ``transient``: a notice about something just done (an import, a save); it is cleared
    when its page is left (hidden by a page switch, not by a minimised window), so it is
    not there on the way back. One set while its page was hidden stays until it was seen.
    ``reserve``: a hint under a field; its line is kept free while it is empty
    (``reserve_lines``), so that text appearing there moves nothing below it.
    """

    KINDS = ("error", "warning", "hint", "success")

    def __init__(self, parent: QWidget | None = None, *, transient: bool = False, reserve: bool = False):
        super().__init__("", parent)
        self.setObjectName("inlineMessage")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.kind = ""
        self.transient = transient
        if reserve:
            reserve_lines(self)
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

    def hideEvent(self, event) -> None:
        # Not hidden itself (isHidden) but by its page going away, and not by the window
        # being minimised (spontaneous): the page was left.
        if self.transient and not event.spontaneous() and not self.isHidden():
            self.clear()
        super().hideEvent(event)


class _LineReserve(QObject):
    """Keeps a label at least ``lines`` lines of its text tall, padding included, shown or
    hidden; measured with its own font and style, again when either changes."""

    def __init__(self, label: QLabel, lines: int):
        super().__init__(label)
        self.lines = lines
        policy = label.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        label.setSizePolicy(policy)
        label.installEventFilter(self)
        self.apply(label)

    def eventFilter(self, label, event) -> bool:
        if event.type() in (QEvent.Polish, QEvent.FontChange, QEvent.StyleChange):
            self.apply(label)
        return False

    def apply(self, label: QLabel) -> None:
        text = label.text()
        QLabel.setText(label, "\n".join(["Xg"] * self.lines))   # a probe, as the label lays it out
        hint = label.sizeHint().height()
        if label.wordWrap():
            hint = max(hint, label.heightForWidth(10_000))
        QLabel.setText(label, text)
        label.setMinimumHeight(hint)


def reserve_lines(label: QLabel, lines: int = 1) -> QLabel:
    """Reserve ``lines`` lines for ``label`` (a hint or message under a field), even while
    it is empty or hidden: text appearing in it then moves nothing below it."""
    _LineReserve(label, lines)
    return label
