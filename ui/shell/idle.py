"""Lock after a time without keyboard, mouse or touch input.

    watcher = IdleWatcher(parent)          # watches the whole application's input
    watcher.idle.connect(window.lock)
    watcher.start(5 * 60)                  # seconds; 0 or None = never
    watcher.stop()

Time comes from ``clock`` (seconds, any origin), so tests drive it without sleeping:
set the clock forward and call ``tick()``. The default clock keeps counting while the
computer sleeps (CLOCK_BOOTTIME on Linux), so a laptop that slept past the timeout locks
the moment it wakes rather than a full timeout later.
"""

from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT_EVENTS = frozenset({
    QEvent.KeyPress, QEvent.KeyRelease, QEvent.MouseButtonPress, QEvent.MouseButtonRelease,
    QEvent.MouseButtonDblClick, QEvent.MouseMove, QEvent.Wheel, QEvent.TouchBegin,
    QEvent.TouchUpdate, QEvent.TabletPress, QEvent.TabletMove,
})
_MAX_TIMER_MS = 60_000  # re-check at least once a minute: timers do not run in sleep


def default_clock() -> float:
    if hasattr(time, "CLOCK_BOOTTIME"):
        try:
            return time.clock_gettime(time.CLOCK_BOOTTIME)
        except OSError:
            pass
    return time.monotonic()


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, parent: QObject | None = None, *, clock: Callable[[], float] = default_clock,
                 app: QApplication | None = None):
        super().__init__(parent)
        self.clock = clock
        self.timeout: float | None = None   # seconds; None = not watching
        self.last_activity = clock()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.VeryCoarseTimer)
        self._timer.timeout.connect(self.tick)
        self._app = app or QApplication.instance()
        self._app.installEventFilter(self)
        # Coming back to the app (after a sleep, say) checks at once, before anything shows.
        self._app.applicationStateChanged.connect(self._on_state_changed)

    @property
    def active(self) -> bool:
        return self.timeout is not None

    def start(self, seconds: float | None) -> None:
        """Watch for ``seconds`` without input (counted from now); 0 or None stops."""
        self.last_activity = self.clock()
        if not seconds or seconds <= 0:
            self.stop()
            return
        self.timeout = float(seconds)
        self._arm()

    def stop(self) -> None:
        self.timeout = None
        self._timer.stop()

    def remaining(self, now: float | None = None) -> float | None:
        if self.timeout is None:
            return None
        now = self.clock() if now is None else now
        return max(0.0, self.last_activity + self.timeout - now)

    def tick(self, now: float | None = None) -> bool:
        """Check now; emits ``idle`` (once) and stops if the time is up. True if it was."""
        remaining = self.remaining(now)
        if remaining is None:
            return False
        if remaining <= 0:
            self.stop()
            self.idle.emit()
            return True
        self._arm(remaining)
        return False

    def _arm(self, remaining: float | None = None) -> None:
        if remaining is None:
            remaining = self.timeout
        # +50 ms: never wake a hair early and re-arm for nothing.
        self._timer.start(min(_MAX_TIMER_MS, int(remaining * 1000) + 50))

    def eventFilter(self, watched, event) -> bool:
        # Runs for every event of the application: keep it to one set lookup.
        if event.type() in _INPUT_EVENTS:
            self.last_activity = self.clock()
        return False

    def _on_state_changed(self, state) -> None:
        if state == Qt.ApplicationActive:
            self.tick()
