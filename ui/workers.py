"""Run a callable off the GUI thread and get its result back as a Qt signal.

    job = tasks.run(store.unlock, passphrase)
    job.finished.connect(self._on_unlocked)   # finished(result), in the GUI thread
    job.failed.connect(self._on_failed)       # failed(exception), in the GUI thread

Used for everything that runs Argon2id (create, restore, unlock, passphrase checks) or
writes a whole database (backup, passphrase change), so the window never freezes.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class Job(QObject):
    """One call of ``fn(*args, **kwargs)`` on a pool thread. Lives in the GUI thread."""

    finished = Signal(object)  # the return value
    failed = Signal(object)    # the exception
    done = Signal()            # after either

    _report = Signal(bool, object)  # from the pool thread; queued to the GUI thread

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict):
        super().__init__()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._report.connect(self._deliver)

    def _run(self) -> None:  # pool thread
        try:
            result = self._fn(*self._args, **self._kwargs)
        except Exception as exc:  # every failure goes back to the GUI, none is lost
            self._report.emit(False, exc)
        else:
            self._report.emit(True, result)

    @Slot(bool, object)
    def _deliver(self, ok: bool, value: object) -> None:  # GUI thread
        (self.finished if ok else self.failed).emit(value)
        self.done.emit()


class _Runnable(QRunnable):
    def __init__(self, job: Job):
        super().__init__()
        self._job = job

    def run(self) -> None:
        self._job._run()


class TaskRunner(QObject):
    """A thread pool plus the jobs in flight (kept alive until their result is delivered)."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._jobs: set[Job] = set()

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Job:
        job = Job(fn, args, kwargs)
        self._jobs.add(job)
        job.done.connect(self._on_job_done)
        self._pool.start(_Runnable(job))
        return job

    @Slot()
    def _on_job_done(self) -> None:
        self._jobs.discard(self.sender())

    @property
    def active(self) -> int:
        """Jobs started whose result has not been delivered yet."""
        return len(self._jobs)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool threads are idle (results may still be queued)."""
        return self._pool.waitForDone(msecs)
