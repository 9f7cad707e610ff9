from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

from vault.errors import InvalidRecoveryPhrase
from vault.keys import recovery_phrase

from ..config import AppConfig
from ..errors import describe
from ..shell.clipboard import SecretPlainTextEdit
from ..widgets import (BusyIndicator, CenteredPage, InlineMessage, NewPassphraseForm, button_row,
                       make_safe_default, open_dialog, page_subtitle, page_title, section_title)
from ..widgets.layout import primary
from ..workers import TaskRunner
from . import jobs


class SetAsideDialog(QMessageBox):
    """Asks before a forgotten vault is set aside for one restored from its phrase: Enter
    (and Escape) keep the vault as it is."""

    def __init__(self, data_dir, parent: QWidget | None = None):
        super().__init__(QMessageBox.Warning, "Set the old vault aside?",
                         "Restore from your recovery phrase and set the vault in this folder aside?",
                         QMessageBox.Cancel, parent)
        self.setInformativeText(f"It is moved, untouched, into a new folder inside {data_dir}. "
                                "Imported credentials do not come back unless you restore a backup.")
        self.accept_button = self.addButton("Set aside and restore", QMessageBox.AcceptRole)
        self.accept_button.setObjectName("replaceVaultButton")
        self.cancel_button = self.button(QMessageBox.Cancel)
        self.setEscapeButton(self.cancel_button)
        make_safe_default(self, self.cancel_button, self.accept_button)


class RestorePhrasePage(CenteredPage):
    """Recreate a vault from its 12 or 24 words under a new passphrase.

    ``replacing`` (the passphrase of the vault in this folder is forgotten): it says what
    comes back and what does not, asks before it acts, and the vault there is moved
    aside, untouched, not deleted (Identity.restore_replacing); ``replaced(folder)``
    says where it is kept."""

    completed = Signal(object)  # identity
    back_requested = Signal()
    replaced = Signal(str)      # the folder that keeps the vault set aside

    def __init__(self, config: AppConfig, tasks: TaskRunner, parent: QWidget | None = None, *,
                 replacing: bool = False):
        super().__init__(parent, max_width=600)
        self.config, self.tasks, self.replacing = config, tasks, replacing
        self.dialog = None
        self.body.addWidget(page_title("Restore from recovery phrase"))
        self.body.addWidget(page_subtitle(
            "Type your 12 or 24 words in order, separated by spaces. Your first DID and "
            "account come back at once; DIDs you made later come back, identical, when you "
            "create them again."))
        self.replace_warning = InlineMessage()
        if replacing:
            self.replace_warning.warning(
                "This makes the vault anew from your phrase, under a new passphrase. Your DIDs and "
                "accounts come back. Credentials you imported, your trust list, tags, notes and "
                "presentation history are not in the phrase: they come back only from a backup file, "
                "which opens with the passphrase the vault had when it was made. The vault now in "
                "this folder is not deleted: it is moved, as it is, to a “replaced-vault-…” folder "
                "inside it, for the day you remember its passphrase.")
        self.body.addWidget(self.replace_warning)
        self.phrase = SecretPlainTextEdit()   # a copy of the words is a secret
        self.phrase.setObjectName("phraseInput")
        self.phrase.setPlaceholderText("word1 word2 word3 …")
        self.phrase.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.phrase.setTabChangesFocus(True)
        self.phrase.setFixedHeight(96)
        self.word_count = QLabel()
        self.word_count.setObjectName("hintLabel")
        self.phrase_error = InlineMessage(reserve=True)
        self.body.addWidget(self.phrase)
        self.body.addWidget(self.word_count)
        self.body.addWidget(self.phrase_error)

        self.body.addSpacing(6)
        self.body.addWidget(section_title("A passphrase for this computer"))
        self.form = NewPassphraseForm()
        self.body.addWidget(self.form)
        self.error = InlineMessage()
        self.busy = BusyIndicator()
        self.back_button = QPushButton("Back")
        self.restore_button = primary(QPushButton("Restore and set the old vault aside…" if replacing
                                                  else "Restore vault"))
        self.body.addWidget(self.error)
        self.body.addWidget(self.busy)
        self.body.addLayout(button_row(self.restore_button, leading=[self.back_button]))

        self.phrase.textChanged.connect(self._on_phrase_changed)
        self.form.changed.connect(self._update_button)
        self.form.submitted.connect(self.submit)
        self.restore_button.clicked.connect(self.submit)
        self.back_button.clicked.connect(self.back_requested)
        self._on_phrase_changed()

    def _on_phrase_changed(self) -> None:
        count = len(self.phrase.toPlainText().split())
        self.word_count.setText(f"{count} word{'s' if count != 1 else ''}")
        self.phrase_error.clear()
        self._update_button()

    def _update_button(self) -> None:
        ready = bool(self.phrase.toPlainText().strip()) and self.form.is_valid()
        self.restore_button.setEnabled(ready and not self.busy.running)

    def submit(self) -> None:
        if self.busy.running:
            return
        try:
            phrase = recovery_phrase.validate(self.phrase.toPlainText())
        except InvalidRecoveryPhrase as exc:
            self.phrase_error.error(str(exc))
            self.phrase.setFocus()
            return
        if not self.form.is_valid():
            self.form.message.error(self.form.problem())
            return
        self.error.clear()
        if self.replacing:
            self._confirm_replacing(phrase)
        else:
            self._restore(phrase)

    def _confirm_replacing(self, phrase: str) -> None:
        box = SetAsideDialog(self.config.data_dir, self)
        box.accept_button.clicked.connect(lambda: self._restore(phrase))
        open_dialog(self, box, delete_on_close=True)

    def _restore(self, phrase: str) -> None:
        self._set_busy(True)
        job = self.tasks.run(jobs.restore_from_phrase, self.config.data_dir, self.form.value(),
                             phrase, self.config.kdf_target, self.replacing)
        job.finished.connect(self._on_restored)
        job.failed.connect(self._on_failed)

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.busy.start("Restoring your vault and tuning its encryption to this computer…")
        else:
            self.busy.stop()
        self.phrase.setReadOnly(busy)
        self.form.set_enabled(not busy)
        self.back_button.setEnabled(not busy)
        self._update_button()

    def _on_restored(self, result) -> None:
        identity, aside = result
        self._set_busy(False)
        self.phrase.clear()
        self.form.clear()
        self.completed.emit(identity)
        if aside is not None:
            self.replaced.emit(str(aside))

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, InvalidRecoveryPhrase):
            self.phrase_error.error(str(exc))
        else:
            self.error.error(describe(exc))
