"""Drops of files, text and images onto a page, taken in one place for every page."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget


class FileDrop(QObject):
    """Lets ``page`` take drops: local files (``paths`` gets their paths, folders included),
    else an image when ``image`` is given (it gets the QImage), else text (``text`` gets it).
    A drag of anything else (web links, say) is refused and goes on to the page's parents.

    ``highlight(True)`` is called when an acceptable drag comes in, ``highlight(False)``
    when it leaves or is dropped, for the page to show its own look. ``enabled()`` false
    refuses new drags (a locked page). It watches the page's events by itself."""

    def __init__(self, page: QWidget, *, paths: Callable[[list[str]], None], text: Callable[[str], None],
                 image: Callable[[QImage], None] | None = None,
                 highlight: Callable[[bool], None] = lambda on: None,
                 enabled: Callable[[], bool] = lambda: True):
        super().__init__(page)
        self.paths, self.text, self.image = paths, text, image
        self.highlight, self.enabled = highlight, enabled
        page.setAcceptDrops(True)
        page.installEventFilter(self)

    def accepts(self, mime) -> bool:
        if mime is None:
            return False
        if mime.hasUrls():
            return any(u.isLocalFile() for u in mime.urls())
        return (self.image is not None and mime.hasImage()) or mime.hasText()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.DragEnter:
            if self.enabled() and self.accepts(event.mimeData()):
                event.acceptProposedAction()
                self.highlight(True)
            else:
                event.ignore()
        elif kind == QEvent.DragMove:
            if self.accepts(event.mimeData()):
                event.acceptProposedAction()
        elif kind == QEvent.DragLeave:
            self.highlight(False)
        elif kind == QEvent.Drop:
            self._drop(event)
        else:
            return False
        return True

    def _drop(self, event) -> None:
        self.highlight(False)
        mime = event.mimeData()
        if not self.accepts(mime):
            event.ignore()
            return
        event.acceptProposedAction()
        if mime.hasUrls():
            self.paths([u.toLocalFile() for u in mime.urls() if u.isLocalFile()])
        elif self.image is not None and mime.hasImage():
            self.image(QImage(mime.imageData()))
        else:
            self.text(mime.text())
