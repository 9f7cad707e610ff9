"""Change the passphrase: current one, new one twice; the re-encryption runs off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

from vault.errors import WrongPassphrase
from vault.store import VaultStore

from ..errors import describe
from ..widgets import (BusyIndicator, InlineMessage, NewPassphraseForm, PassphraseField, button_row,
                       make_safe_default, on_enter, page_subtitle, page_title)
from ..widgets.layout import primary
from ..workers import TaskRunner


class ChangePassphraseDialog(QDialog):
    """Current passphrase + new one twice; the re-encryption runs off the GUI thread."""

    changed = Signal()

    def __init__(self, store: VaultStore, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.setWindowTitle("Change passphrase")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(page_title("Change passphrase"))
        layout.addWidget(page_subtitle(
            "The vault is re-encrypted under the new passphrase. Backups made before now keep "
            "opening with the old one; the recovery phrase does not change."))
        self.current = PassphraseField("The one you unlock with now")
        self.current.setObjectName("currentPassphrase")
        self.form = NewPassphraseForm(label="New")
        self.form.passphrase.setPlaceholderText("New passphrase, at least 8 characters")
        self.form.insert_row("Current", self.current)
        layout.addWidget(self.form)
        self.error = InlineMessage()
        self.busy = BusyIndicator()
        self.cancel_button = QPushButton("Cancel")
        self.change_button = primary(QPushButton("Change passphrase"))
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addLayout(button_row(self.cancel_button, self.change_button))
        # Enter on the dialog cancels; in the fields it goes on to the next one, and in the
        # last (the new passphrase typed twice: the consent) it changes the passphrase.
        make_safe_default(self, self.cancel_button, self.change_button, focus=self.current)
        on_enter(self.current, self.form.passphrase.setFocus)
        self.current.textChanged.connect(self._update_button)
        self.form.changed.connect(self._update_button)
        self.form.submitted.connect(self.submit)
        self.change_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self._update_button()

    def _update_button(self) -> None:
        ready = bool(self.current.text()) and self.form.is_valid()
        self.change_button.setEnabled(ready and not self.busy.running)

    def submit(self) -> None:
        if self.busy.running or not self.change_button.isEnabled():
            return
        self.error.clear()
        self._set_busy(True)
        job = self.tasks.run(self.store.change_passphrase, self.current.text(), self.form.value())
        job.finished.connect(self._on_changed)
        job.failed.connect(self._on_failed)

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.busy.start("Re-encrypting the vault…")
        else:
            self.busy.stop()
        self.current.setReadOnly(busy)
        self.form.set_enabled(not busy)
        self.cancel_button.setEnabled(not busy)
        self._update_button()

    def _on_changed(self, _result) -> None:
        self._set_busy(False)
        self.current.clear()
        self.form.clear()
        self.changed.emit()
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error.error(describe(exc))
        if isinstance(exc, WrongPassphrase):
            self.current.setFocus()
            self.current.selectAll()

    def reject(self) -> None:
        if not self.busy.running:  # no closing half-way through a re-encryption
            super().reject()
