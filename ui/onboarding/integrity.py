"""The vault's full-file check, run once the unlocked list is on screen.

The unlock page opens the vault with ``VaultStore.unlock(check_integrity=False)``: the
HMAC check of every page (~15 ms per 1,000 credentials) would otherwise sit between the
passphrase and the first screen. SQLCipher authenticates each page it reads anyway, so
what the list shows is genuine; the whole-file check then runs on a worker thread right
after the list has been painted (or after ``FALLBACK_MS`` if nothing paints, e.g. a
minimised window). The store writes nothing before that check has passed (a write runs
it first), and a damaged file locks the store: ``damaged(message)`` tells the window to
lock and to show the message on the unlock screen.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

from shiboken6 import isValid

from vault.errors import CorruptVault
from vault.store import VaultStore

from ..workers import TaskRunner

FALLBACK_MS = 3000


class PostponedIntegrityCheck(QObject):
    damaged = Signal(str)    # CorruptVault's message; the store is locked already
    passed = Signal()

    def __init__(self, store: VaultStore, tasks: TaskRunner, shown: SignalInstance | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.started = False
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.setInterval(FALLBACK_MS)
        self._fallback.timeout.connect(self.start)
        if shown is not None:
            shown.connect(self.start)
        self._fallback.start()

    def start(self) -> None:
        """Run the check now (once), if the store still waits for it."""
        if self.started:
            return
        self.started = True
        self._fallback.stop()
        if not self.store.integrity_pending:
            return
        job = self.tasks.run(self.store.check_integrity)
        job.finished.connect(self._on_passed)
        job.failed.connect(self._on_failed)

    def _on_passed(self, _result) -> None:
        if isValid(self):
            self.passed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        # VaultLocked: the vault was locked before the check ran; the next unlock checks.
        if isValid(self) and isinstance(exc, CorruptVault):
            self.damaged.emit(str(exc))
