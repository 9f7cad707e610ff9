"""A timer for countdowns and periodic re-reads that runs only while its page is shown."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class VisibleTimer(QTimer):
    """Ticks every ``interval_ms`` while ``page`` is visible and ``wanted()`` is true: a
    hidden page has no countdown to move on and no reason to read the chain. It follows
    the page's showing and hiding by itself; call ``update_running()`` when what
    ``wanted()`` depends on has changed. ``ticks`` counts the ticks since it last started."""

    def __init__(self, page: QWidget, interval_ms: int, tick: Callable[[], None],
                 wanted: Callable[[], bool]):
        super().__init__(page)
        self.page, self.wanted = page, wanted
        self.ticks = 0
        self.setInterval(interval_ms)
        self.timeout.connect(self._count)
        self.timeout.connect(tick)
        page.installEventFilter(self)

    def _count(self) -> None:
        self.ticks += 1

    def update_running(self) -> None:
        if self.wanted() and self.page.isVisible():
            if not self.isActive():
                self.ticks = 0
                self.start()
        else:
            self.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.page:
            if event.type() == QEvent.Show:
                self.update_running()
            elif event.type() == QEvent.Hide:
                self.stop()
        return False
