"""Delete and Undo on the Credentials page.

A deleted credential waits in the vault's trash (vault.credentials.trash) under the app
run's token, so Undo can put it back until the app closes. The ids of the deletions are
kept by the window (ids only: no decrypted content), so Undo survives a lock.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton

from vault.credentials.trash import Trash
from vault.errors import NotFound

from ..errors import describe
from ..workers import TaskRunner


class UndoDelete(QObject):
    """``deleted(cid, title, key, row)`` once a credential is in the trash; ``restored(summary)``
    once Undo put one back; ``failed(message)`` for a delete, ``restore_failed(message)`` for
    an Undo that did not happen (the deletion stays undoable unless the credential is gone)."""

    deleted = Signal(str, str, object, int)
    restored = Signal(object)
    failed = Signal(str)
    restore_failed = Signal(str)

    def __init__(self, service, tasks: TaskRunner, session: str, undo_stack: list[str] | None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.trash = Trash(service, session or uuid.uuid4().hex)
        self.stack: list[str] = undo_stack if undo_stack is not None else []
        self.closed = False
        self.button = QPushButton("Undo")
        self.button.setToolTip("Put the deleted credential back (Ctrl+Z)")
        self.button.setAutoDefault(False)
        self.button.setVisible(bool(self.stack))   # deletions before a lock can be undone
        self.button.clicked.connect(self.undo)

    def delete(self, cid: str, key: int | None, row: int) -> None:
        """Move ``cid`` to the trash; ``key`` and ``row``: where it was in the list."""
        job = self.tasks.run(self.trash.move, cid)
        job.finished.connect(lambda title: self._on_deleted(cid, title, key, row))
        job.failed.connect(self._on_delete_failed)

    def _on_deleted(self, cid: str, title: str, key: int | None, row: int) -> None:
        if self.closed:
            return
        self.stack.append(cid)
        self.button.show()
        self.deleted.emit(cid, title, key, row)

    def _on_delete_failed(self, exc: BaseException) -> None:
        if not self.closed:
            self.failed.emit(describe(exc))

    def undo(self) -> None:
        if not self.stack or self.closed:
            return
        cid = self.stack.pop()
        self.button.setVisible(bool(self.stack))
        job = self.tasks.run(self.trash.put_back, cid)
        job.finished.connect(self._on_restored)
        job.failed.connect(lambda exc: self._on_restore_failed(cid, exc))

    def _on_restored(self, summary) -> None:
        if not self.closed:
            self.restored.emit(summary)

    def _on_restore_failed(self, cid: str, exc: BaseException) -> None:
        if self.closed:
            return
        if not isinstance(exc, NotFound):
            self.stack.append(cid)     # still undoable: nothing was lost
        self.button.setVisible(bool(self.stack))
        self.restore_failed.emit(f"The deleted credential could not be put back: {describe(exc)}")

    def drop(self) -> None:
        """The vault is being locked: the ids stay with the window (Undo works after the
        next unlock); results on their way are ignored."""
        self.closed = True
        self.button.hide()
