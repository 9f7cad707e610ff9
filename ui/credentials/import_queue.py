"""The Credentials page's long jobs: imports of files, drops and pastes, one after the
other, and the re-verification of the whole list, in the same slot (one progress row, one
Cancel). Files that arrive while one runs wait in the queue; a cancel empties it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ..workers import TaskRunner
from . import jobs, presentation

MAX_REASONS = 6


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


class ProgressRow(QWidget):
    """What the long job is at, its bar, and Cancel; hidden between jobs."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("progressRow")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("hintLabel")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(220)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        row.addWidget(self.label, 1)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self.hide()


class ImportQueue(QObject):
    """``imported(ImportReport)`` / ``reverified(ReverifyReport)`` when a job ends (the next
    queued import starts right after); ``failed(exception)`` when one fails; ``waiting``
    when files are queued behind the current job; ``running(bool)`` as a job starts, ends."""

    imported = Signal(object)
    reverified = Signal(object)
    failed = Signal(object)
    waiting = Signal()
    running = Signal(bool)

    def __init__(self, service, tasks: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self.service, self.tasks = service, tasks
        self.queue: list[tuple[list, list]] = []    # (paths, texts) of the imports to come
        self.kind = ""                              # "import" / "reverify" while one runs
        self.progress: jobs.Progress | None = None
        self.closed = False
        self.row = ProgressRow()
        self.row.cancel_button.clicked.connect(self.cancel)

    @property
    def working(self) -> bool:
        return bool(self.kind)

    def add(self, paths: list, texts: list) -> None:
        if self.closed:
            return
        self.queue.append((paths, texts))
        if not self.kind:
            self._start_import()
        else:
            self.waiting.emit()

    def reverify(self, query: jobs.Query, matches: int | None) -> None:
        """Check again every credential that matches ``query`` (not only the rows read so far)."""
        if self.kind or self.closed:
            return
        self._begin("reverify", f"Verifying {matches:,} credentials…" if matches is not None
                    else "Verifying the credentials of the list…")
        job = self.tasks.run(jobs.reverify_query, self.service, query, self.progress)
        job.finished.connect(lambda report: self._done(self.reverified, report))
        job.failed.connect(self._on_failed)

    def cancel(self) -> None:
        if self.progress is not None:
            self.progress.cancel()
            self.row.cancel_button.setEnabled(False)
            self.row.label.setText("Cancelling…")
        self.queue.clear()

    def drop(self) -> None:
        """The vault is being locked: stop the job, forget the queue, ignore what comes back."""
        self.closed = True
        if self.progress is not None:
            self.progress.cancel()
        self.queue.clear()

    # ---- the slot ------------------------------------------------------------------------

    def _start_import(self) -> None:
        paths, texts = self.queue.pop(0)
        self._begin("import", "Importing…")
        job = self.tasks.run(jobs.run_import, self.service, paths, texts, self.progress)
        job.finished.connect(lambda report: self._done(self.imported, report))
        job.failed.connect(self._on_failed)

    def _begin(self, kind: str, text: str) -> None:
        self.kind = kind
        self.progress = jobs.Progress(self)
        self.progress.changed.connect(self._on_progress)
        self.row.label.setText(text)
        self.row.bar.setRange(0, 0)
        self.row.cancel_button.setEnabled(True)
        self.row.show()
        self.running.emit(True)

    def _on_progress(self, done: int, total: int, what: str) -> None:
        if self.closed or not self.kind:
            return
        self.row.bar.setRange(0, max(total, 1))
        self.row.bar.setValue(done)
        verb = "Importing" if self.kind == "import" else "Verifying"
        self.row.label.setText(f"{verb} {min(done + 1, total):,} of {total:,}…" if done < total
                               else f"{verb}: finishing…")

    def _end(self) -> None:
        self.kind = ""
        self.progress = None
        self.row.hide()
        self.running.emit(False)

    def _done(self, signal, report) -> None:
        if self.closed:
            return
        self._end()
        signal.emit(report)
        self._next()

    def _on_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        self._end()
        self.failed.emit(exc)
        self._next()

    def _next(self) -> None:
        if self.queue and not self.kind and not self.closed:
            self._start_import()


def describe_import(report: jobs.ImportReport) -> tuple[str, str]:
    """(kind of message, text) of what an import did: counts, then why files were refused."""
    imported, present, refused = len(report.imported), len(report.present), len(report.refused)
    if report.total == 0:
        return "hint", "No credential files were found there."
    parts = []
    if imported:
        parts.append(f"Imported {plural(imported, 'credential')}")
    if present:
        parts.append(f"{present:,} already in the vault")
    if refused:
        parts.append(f"{refused:,} refused")
    head = "; ".join(parts) + "."
    head = head[0].upper() + head[1:]
    if report.cancelled:
        head = f"Import cancelled after {report.done:,} of {report.total:,}. " + head
    lines = [head]
    for label, reason in report.refused[:MAX_REASONS]:
        lines.append(f"• {label}: {reason}")
    if refused > MAX_REASONS:
        lines.append(f"… and {refused - MAX_REASONS:,} more refused.")
    if refused and not (imported or present):
        kind = "error"
    elif refused or report.cancelled:
        kind = "warning"
    else:
        kind = "success"
    return kind, "\n".join(lines)


def describe_reverify(report: jobs.ReverifyReport) -> tuple[str, list[str]]:
    """(kind of message, lines) of what a re-verification of the list found."""
    head = f"Checked {plural(report.checked, 'credential')}"
    if report.cancelled:
        head = f"Re-verification cancelled after {report.checked:,} of {report.total:,}. " + head
    head += "; " + (", ".join(presentation.reverify_changes(report.changed, report.flagged))
                    or "none changed")
    lines = [head + "."] + [f"• {title}: {reason}" for title, reason in report.failed[:MAX_REASONS]]
    return ("warning" if report.failed or report.cancelled else "success"), lines
