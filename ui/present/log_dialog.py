"""The presentation log: every presentation this vault made, newest first: when, to
which verifier, which credentials, which claims were revealed and which withheld."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)
from shiboken6 import isValid

from ..errors import describe
from vault.safe_text import safe_text

from ..widgets import BusyIndicator, InlineMessage, button_row, page_subtitle, section_title
from ..widgets.labels import plain_tip
from . import jobs

COLUMNS = ("When", "Shown to", "Credentials", "Claims revealed")


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone().strftime("%d %b %Y %H:%M")
    except ValueError:
        return iso


def _revealed(credentials: list[dict]) -> str:
    parts = []
    for c in credentials:
        if c.get("withheld") or c.get("revealed"):
            shown = ", ".join(c.get("revealed") or []) or "none of the optional claims"
            parts.append(f"{c.get('title', '?')}: {shown}; withheld {', '.join(c.get('withheld') or []) or 'nothing'}")
        else:
            parts.append(f"{c.get('title', '?')}: every claim")
    return " | ".join(parts)


class PresentationLogDialog(QDialog):
    def __init__(self, service, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Presentation log")
        self.setObjectName("presentationLog")
        self.resize(820, 460)
        self.entries: list = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.addWidget(section_title("Presentations you made"))
        layout.addWidget(page_subtitle("What you showed, to whom and when. Only what was shown is kept, never "
                                       "the signed presentation itself, so nobody can replay one from here."))
        self.busy = BusyIndicator()
        layout.addWidget(self.busy)
        self.error = InlineMessage()
        layout.addWidget(self.error)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("logTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideRight)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Interactive)
        header.resizeSection(1, 170)
        header.setSectionResizeMode(2, QHeaderView.Interactive)
        header.resizeSection(2, 220)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.empty = QLabel("No presentations made yet.")
        self.empty.setObjectName("hintLabel")
        self.empty.hide()
        layout.addWidget(self.empty)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.accept)
        layout.addLayout(button_row(self.close_button))

        self.busy.start("Reading the log…")
        job = tasks.run(jobs.history, service)
        job.finished.connect(self._on_entries)
        job.failed.connect(self._on_failed)

    @property
    def loaded(self) -> bool:
        return not self.busy.running

    def _on_entries(self, entries: list) -> None:
        if not isValid(self):
            return
        self.busy.stop()
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            titles = "; ".join(c.get("title", "?") for c in entry.credentials)
            revealed = _revealed(entry.credentials)
            values = (_when(entry.created_at), entry.domain, titles, revealed)
            for column, text in enumerate(values):
                item = QTableWidgetItem(safe_text(text))     # titles and the domain are outside text
                item.setToolTip(plain_tip(text if column != 1 else f"{entry.domain}\nchallenge {entry.challenge}\n"
                                          f"signed by {entry.holder}"))
                self.table.setItem(row, column, item)
        self.empty.setVisible(not entries)

    def _on_failed(self, exc: BaseException) -> None:
        if isValid(self):
            self.busy.stop()
            self.error.error(describe(exc))

    def row_texts(self) -> list[tuple[str, ...]]:
        return [tuple(self.table.item(r, c).text() for c in range(len(COLUMNS))) for r in range(self.table.rowCount())]
