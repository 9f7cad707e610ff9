"""The Settings page's "Trusted issuers" card: the trust list, and adding or removing an
issuer. Reads and writes run on the TaskRunner (a write waits for the store's lock)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QPushButton, QTableView, QWidget

from vault.store import VaultStore

from ..errors import describe
from ..widgets import InlineMessage, button_row, open_dialog
from ..workers import TaskRunner
from . import trust
from .section import Section, hint


class TrustSection(Section):
    """``changed(did)`` once an issuer was added or removed here; ``message(text)`` a note
    for the status bar. ``error``: the page's message line; ``host``: the page (dialogs)."""

    changed = Signal(str)
    message = Signal(str)

    def __init__(self, store: VaultStore, tasks: TaskRunner, error: InlineMessage, host: QWidget):
        super().__init__("Trusted issuers", "Credentials from these issuers verify without the "
                                            "“unknown issuer” warning. Changes show the next time a "
                                            "credential is verified.")
        self.store, self.tasks, self.error, self.host = store, tasks, error, host
        self.closed = False
        self.trust_model = trust.TrustListModel(self)
        self.trust_table = QTableView()
        self.trust_table.setObjectName("trustTable")
        self.trust_table.setAccessibleName("Trusted issuers")
        self.trust_table.setTabKeyNavigation(False)   # Tab leaves the table; arrows move in it
        self.trust_table.setModel(self.trust_model)
        self.trust_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.trust_table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.trust_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.trust_table.setTextElideMode(Qt.ElideMiddle)
        self.trust_table.setWordWrap(False)
        self.trust_table.setShowGrid(False)
        self.trust_table.setAlternatingRowColors(True)
        self.trust_table.verticalHeader().hide()
        self.trust_table.verticalHeader().setDefaultSectionSize(self.trust_table.fontMetrics().height() + 14)
        header = self.trust_table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        header.setHighlightSections(False)
        header.setSectionResizeMode(trust.TrustListModel.NAME, QHeaderView.Interactive)
        header.resizeSection(trust.TrustListModel.NAME, 220)
        header.setSectionResizeMode(trust.TrustListModel.DID, QHeaderView.Stretch)
        header.setSectionResizeMode(trust.TrustListModel.ADDED, QHeaderView.ResizeToContents)
        rows = 4
        self.trust_table.setFixedHeight(header.sizeHint().height()
                                        + rows * self.trust_table.verticalHeader().defaultSectionSize() + 4)
        self.body.addWidget(self.trust_table)
        self.trust_empty = hint("No issuer yet. Add one here, or with “Trust this issuer” on a "
                                "credential.")
        self.body.addWidget(self.trust_empty)
        self.add_issuer_button = QPushButton("Add issuer…")
        self.remove_issuer_button = QPushButton("Remove")
        self.remove_issuer_button.setObjectName("dangerButton")
        self.body.addLayout(button_row(self.remove_issuer_button, leading=[self.add_issuer_button]))
        self.add_issuer_button.clicked.connect(self.add_issuer)
        self.remove_issuer_button.clicked.connect(self.remove_selected_issuer)
        self.trust_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def set_entries(self, entries: list[dict], select: str | None = None) -> None:
        self.trust_model.set_entries(entries)
        self.trust_empty.setVisible(not entries)
        row = self.trust_model.row_of(select) if select else -1
        if row >= 0:
            self.trust_table.selectionModel().select(
                self.trust_model.index(row, 0), QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
            self.trust_table.scrollTo(self.trust_model.index(row, 0))
        self._update_buttons()

    def selected_issuer(self) -> str | None:
        rows = self.trust_table.selectionModel().selectedRows()
        return self.trust_model.entries[rows[0].row()]["did"] if rows else None

    def _update_buttons(self) -> None:
        self.remove_issuer_button.setEnabled(self.selected_issuer() is not None)

    def add_issuer(self) -> None:
        dialog = trust.AddIssuerDialog(self.host)
        dialog.submitted.connect(lambda did, name: self._add_issuer(dialog, did, name))
        open_dialog(self.host, dialog, delete_on_close=True)

    def _add_issuer(self, dialog, did: str, name: str) -> None:
        job = self.tasks.run(trust.add_issuer, self.store, did, name)
        job.finished.connect(lambda entries: self._on_issuer_added(dialog, did, entries))
        job.failed.connect(lambda exc: self._on_add_failed(dialog, exc))

    def _on_issuer_added(self, dialog, did: str, entries: list[dict]) -> None:
        if self.closed:
            return
        self.set_entries(entries, select=did)
        dialog.accept()
        self.message.emit("Issuer added to your trust list.")
        self.changed.emit(did)

    def _on_add_failed(self, dialog, exc: BaseException) -> None:
        if not self.closed:
            dialog.failed(describe(exc))

    def remove_selected_issuer(self) -> None:
        did = self.selected_issuer()
        if not did:
            return
        self.error.clear()
        self.remove_issuer_button.setEnabled(False)
        job = self.tasks.run(trust.remove_issuer, self.store, did)
        job.finished.connect(lambda entries: self._on_issuer_removed(entries, did))
        job.failed.connect(self._on_failed)

    def _on_issuer_removed(self, entries: list[dict], did: str) -> None:
        if self.closed:
            return
        self.set_entries(entries)
        self.message.emit("Issuer removed from your trust list.")
        self.changed.emit(did)

    def reload(self) -> None:
        """The trust list changed elsewhere: show it as it is now."""
        if self.closed:
            return
        job = self.tasks.run(trust.load_entries, self.store)
        job.finished.connect(lambda entries: None if self.closed else self.set_entries(entries))

    def _on_failed(self, exc: BaseException) -> None:
        if not self.closed:
            self.error.error(describe(exc))
            self._update_buttons()

    def drop(self) -> None:
        """The vault is being locked: forget the list; results on their way are ignored."""
        self.closed = True
        self.trust_model.set_entries([])
