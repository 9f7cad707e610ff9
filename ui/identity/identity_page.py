from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableView, QWidget)

from ..errors import describe
from ..widgets import InlineMessage, button_row, open_dialog, scrolling_page, section_title
from ..widgets.tables import configure_list_table, rows_height
from ..workers import TaskRunner
from .dialogs import DidDocumentDialog, NewDidDialog, QrTextDialog, RecoveryPhraseDialog
from .models import AccountTableModel, DidTableModel

if TYPE_CHECKING:
    from vault.identity import Identity


def _table(model) -> QTableView:
    table = QTableView()
    table.setModel(model)
    configure_list_table(table)
    table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)   # renaming
    table.setTextElideMode(Qt.ElideMiddle)
    return table


class IdentityPage(QWidget):
    """DIDs and accounts of the open vault, and the recovery phrase behind them."""

    message = Signal(str)  # a passing note for the status bar

    def __init__(self, identity: "Identity", tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.identity, self.tasks = identity, tasks
        self.dialog = None  # the open dialog, if any

        layout = scrolling_page(self, "Identity", "Your DIDs and Ethereum accounts. All are derived from "
                                "your recovery phrase, so restoring the phrase restores them.",
                                spacing=10, margins=(28, 24, 28, 20))
        self.error = InlineMessage(transient=True)
        layout.addWidget(self.error)

        self._build_dids(layout)
        self._build_accounts(layout)
        self._build_phrase(layout)

        self.new_did_button.clicked.connect(self.new_did)
        self.rename_button.clicked.connect(self.rename_selected)
        self.default_button.clicked.connect(self.make_selected_default)
        self.document_button.clicked.connect(self.show_document)
        self.copy_did_button.clicked.connect(self.copy_did)
        self.copy_address_button.clicked.connect(self.copy_address)
        self.did_qr_button.clicked.connect(self.show_did_qr)
        self.address_qr_button.clicked.connect(self.show_address_qr)
        self.phrase_button.clicked.connect(self.show_recovery_phrase)
        self.did_table.doubleClicked.connect(self._on_double_click)
        copy = QShortcut(QKeySequence.Copy, self.did_table, context=Qt.WidgetShortcut)
        copy.activated.connect(self.copy_did)
        copy = QShortcut(QKeySequence.Copy, self.account_table, context=Qt.WidgetShortcut)
        copy.activated.connect(self.copy_address)

        self.did_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.account_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()
        default = next((r.did for r in self.did_model.records if r.is_default), None)
        if default:
            self.select_did(default)

    def _build_dids(self, layout) -> None:
        layout.addWidget(section_title("DIDs"))
        self.did_model = DidTableModel(self._rename)
        self.did_model.rename_failed.connect(self.error.error)
        self.did_table = _table(self.did_model)
        self.did_table.setObjectName("didTable")
        self.did_table.setAccessibleName("DIDs")
        header = self.did_table.horizontalHeader()
        header.setSectionResizeMode(DidTableModel.DEFAULT, QHeaderView.Fixed)
        header.resizeSection(DidTableModel.DEFAULT, 32)
        header.setSectionResizeMode(DidTableModel.NAME, QHeaderView.Interactive)
        header.resizeSection(DidTableModel.NAME, 180)
        header.setSectionResizeMode(DidTableModel.METHOD, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(DidTableModel.DID, QHeaderView.Stretch)
        self.did_table.setMinimumHeight(rows_height(self.did_table, 4) + 4)
        layout.addWidget(self.did_table, 1)

        self.new_did_button = QPushButton("New DID…")
        self.rename_button = QPushButton("Rename")
        self.default_button = QPushButton("Make default")
        self.document_button = QPushButton("Show document")
        self.copy_did_button = QPushButton("Copy DID")
        self.did_qr_button = QPushButton("Show QR")
        self.did_qr_button.setObjectName("didQrButton")
        self.did_qr_button.setAccessibleName("Show QR code of the DID")
        self.did_qr_button.setToolTip("Show the selected DID as a QR code, to scan with a phone")
        layout.addLayout(button_row(self.rename_button, self.default_button, self.document_button,
                                    self.did_qr_button, self.copy_did_button,
                                    leading=[self.new_did_button]))

    def _build_accounts(self, layout) -> None:
        layout.addSpacing(8)
        self.copy_address_button = QPushButton("Copy address")
        self.address_qr_button = QPushButton("Show QR")
        self.address_qr_button.setObjectName("addressQrButton")
        self.address_qr_button.setAccessibleName("Show QR code of the address")
        self.address_qr_button.setToolTip("Show the selected account's address as a QR code, "
                                          "to scan with a wallet")
        accounts_title = button_row(self.address_qr_button, self.copy_address_button)
        accounts_title.insertWidget(0, section_title("Ethereum accounts"))
        layout.addLayout(accounts_title)
        self.account_model = AccountTableModel()
        self.account_table = _table(self.account_model)
        self.account_table.setObjectName("accountTable")
        self.account_table.setAccessibleName("Ethereum accounts")
        self.account_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        header = self.account_table.horizontalHeader()
        header.setSectionResizeMode(AccountTableModel.NAME, QHeaderView.Interactive)
        header.resizeSection(AccountTableModel.NAME, 212)
        header.setSectionResizeMode(AccountTableModel.ADDRESS, QHeaderView.Stretch)
        header.setSectionResizeMode(AccountTableModel.PATH, QHeaderView.ResizeToContents)
        layout.addWidget(self.account_table)

    def _build_phrase(self, layout) -> None:
        layout.addSpacing(8)
        layout.addWidget(section_title("Recovery phrase"))
        if self.identity.phrase_confirmed:
            note = QLabel("The words that restore everything above. Shown only after you enter "
                          "your passphrase again.")
            note.setObjectName("hintLabel")
        else:
            note = QLabel("You have not confirmed that your recovery phrase is written down. "
                          "Without it, a lost passphrase or computer means lost keys: show it "
                          "and write it down now.")
            note.setObjectName("warningLabel")
        note.setWordWrap(True)
        self.phrase_button = QPushButton("Show recovery phrase…")
        phrase_row = QHBoxLayout()
        phrase_row.addWidget(note, 1)
        phrase_row.addSpacing(12)
        phrase_row.addWidget(self.phrase_button)
        layout.addLayout(phrase_row)

    # ---- data ------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected_did()
        try:
            self.did_model.set_records(self.identity.dids())
            self.account_model.set_accounts(self.identity.accounts())
        except Exception as exc:
            self.error.error(describe(exc))
        if selected:
            self.select_did(selected)
        self._fit_account_table()
        if self.account_model.rowCount() and not self.account_table.selectionModel().hasSelection():
            self.account_table.selectRow(0)
        self._update_buttons()

    def _fit_account_table(self) -> None:
        rows = max(1, min(self.account_model.rowCount(), 4))
        height = rows_height(self.account_table, rows) + 2 * self.account_table.frameWidth() + 2
        self.account_table.setMinimumHeight(height)
        self.account_table.setMaximumHeight(height if self.account_model.rowCount() <= 4 else 16777215)

    def selected_did(self) -> str | None:
        rows = self.did_table.selectionModel().selectedRows()
        return self.did_model.records[rows[0].row()].did if rows else None

    def selected_record(self):
        did = self.selected_did()
        return self.did_model.records[self.did_model.row_of(did)] if did else None

    def selected_account(self):
        rows = self.account_table.selectionModel().selectedRows()
        return self.account_model.accounts[rows[0].row()] if rows else None

    def select_did(self, did: str) -> None:
        row = self.did_model.row_of(did)
        if row >= 0:
            self.did_table.selectionModel().select(
                self.did_model.index(row, 0),
                QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
            self.did_table.setCurrentIndex(self.did_model.index(row, DidTableModel.NAME))
            self.did_table.scrollTo(self.did_model.index(row, 0))

    def _update_buttons(self) -> None:
        record = self.selected_record()
        for button in (self.rename_button, self.document_button, self.copy_did_button,
                       self.did_qr_button):
            button.setEnabled(record is not None)
        self.default_button.setEnabled(record is not None and not record.is_default)
        has_account = self.selected_account() is not None
        self.copy_address_button.setEnabled(has_account)
        self.address_qr_button.setEnabled(has_account)

    # ---- actions ---------------------------------------------------------------------

    def _rename(self, did: str, name: str):
        record = self.identity.rename_did(did, name)
        self.account_model.set_accounts(self.identity.accounts())  # a did:pkh names its account
        self.message.emit(f"Renamed to “{record.name}”." if record.name else "Name removed.")
        return record

    def _run(self, action, *args):
        """Call the core; an error becomes the page's error line, never a crash."""
        self.error.clear()
        try:
            return action(*args)
        except Exception as exc:
            self.error.error(describe(exc))
            return None

    def new_did(self) -> None:
        dialog = NewDidDialog(self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._create_did(dialog.method(), dialog.did_name()))
        open_dialog(self, dialog)

    def _create_did(self, method: str, name: str) -> None:
        record = self._run(self.identity.create_did, method, name)
        if record is not None:
            self.refresh()
            self.select_did(record.did)
            self.message.emit(f"Created a new did:{record.method}.")

    def rename_selected(self) -> None:
        if self.selected_did():
            index = self.did_model.index(self.did_model.row_of(self.selected_did()), DidTableModel.NAME)
            self.did_table.setCurrentIndex(index)
            self.did_table.edit(index)

    def _on_double_click(self, index) -> None:
        if index.column() != DidTableModel.NAME:
            self.show_document()

    def make_selected_default(self) -> None:
        did = self.selected_did()
        if did and self._run(self.identity.set_default, did) is not None:
            self.refresh()
            self.message.emit("Default DID changed.")

    def show_document(self) -> None:
        did = self.selected_did()
        if not did:
            return
        document = self._run(self.identity.resolve, did)
        if document is None:
            return
        dialog = DidDocumentDialog(did, document, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.copied.connect(self.message)
        open_dialog(self, dialog)

    def copy_did(self) -> None:
        did = self.selected_did()
        if did:
            QGuiApplication.clipboard().setText(did)
            self.message.emit("DID copied to the clipboard.")

    def copy_address(self) -> None:
        account = self.selected_account()
        if account:
            QGuiApplication.clipboard().setText(account.address)
            self.message.emit("Address copied to the clipboard.")

    def show_did_qr(self) -> None:
        did = self.selected_did()
        if did:
            self._show_qr("DID", did, "DID")

    def show_address_qr(self) -> None:
        account = self.selected_account()
        if account:
            self._show_qr("Account address", account.address, "Address")

    def _show_qr(self, title: str, text: str, what: str) -> None:
        try:
            dialog = QrTextDialog(title, text, what, self)
        except Exception as exc:    # e.g. a text too long for any QR version
            self.error.error(describe(exc))
            return
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.copied.connect(self.message)
        open_dialog(self, dialog)

    def show_recovery_phrase(self) -> None:
        dialog = RecoveryPhraseDialog(self.identity.store, self.identity.recovery_phrase,
                                      self.tasks, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        open_dialog(self, dialog)


    def drop_vault_data(self) -> None:
        """The vault is being locked: empty the tables and close any dialog (a recovery
        phrase on screen included)."""
        self.did_model.set_records([])
        self.account_model.set_accounts([])
        if self.dialog is not None:
            self.dialog.close()
