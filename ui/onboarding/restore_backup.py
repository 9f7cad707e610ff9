from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QFileDialog, QFormLayout, QHBoxLayout, QLineEdit, QPushButton,
                               QWidget)

from ..config import AppConfig
from ..errors import describe
from ..widgets import (BusyIndicator, CenteredPage, InlineMessage, PassphraseField, button_row,
                       page_subtitle, page_title)
from ..widgets.layout import primary
from ..workers import TaskRunner
from . import jobs


class RestoreBackupPage(CenteredPage):
    """Restore an encrypted backup file into the (empty) data folder."""

    completed = Signal(object)  # identity
    back_requested = Signal()

    def __init__(self, config: AppConfig, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent, max_width=600)
        self.config, self.tasks = config, tasks
        self.body.addWidget(page_title("Restore from a backup file"))
        self.body.addWidget(page_subtitle(
            "Choose a backup made by Blocktrack Vault. It opens with the passphrase the vault "
            "had when the backup was made."))
        self.path = QLineEdit()
        self.path.setObjectName("backupPath")
        self.path.setPlaceholderText("Backup file")
        self.browse_button = QPushButton("Choose…")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse_button)
        self.passphrase = PassphraseField()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.addRow("Backup file", path_row)
        form.addRow("Passphrase", self.passphrase)
        self.body.addLayout(form)
        self.error = InlineMessage()
        self.busy = BusyIndicator()
        self.back_button = QPushButton("Back")
        self.restore_button = primary(QPushButton("Restore backup"))
        self.body.addWidget(self.error)
        self.body.addWidget(self.busy)
        self.body.addLayout(button_row(self.restore_button, leading=[self.back_button]))

        self.browse_button.clicked.connect(self.browse)
        self.path.textChanged.connect(self._update_button)
        self.passphrase.textChanged.connect(self._update_button)
        self.passphrase.returnPressed.connect(self.submit)
        self.restore_button.clicked.connect(self.submit)
        self.back_button.clicked.connect(self.back_requested)
        self._update_button()

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a backup file", str(Path.home()),
                                              "All files (*)")
        if path:
            self.path.setText(path)
            self.passphrase.setFocus()

    def _update_button(self) -> None:
        ready = bool(self.path.text().strip()) and bool(self.passphrase.text())
        self.restore_button.setEnabled(ready and not self.busy.running)

    def submit(self) -> None:
        if self.busy.running or not self.restore_button.isEnabled():
            return
        self.error.clear()
        self._set_busy(True)
        job = self.tasks.run(jobs.restore_from_backup, Path(self.path.text().strip()).expanduser(),
                             self.config.data_dir, self.passphrase.text())
        job.finished.connect(self._on_restored)
        job.failed.connect(self._on_failed)

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.busy.start("Checking the passphrase and restoring the backup…")
        else:
            self.busy.stop()
        self.path.setReadOnly(busy)
        self.passphrase.setReadOnly(busy)
        for widget in (self.browse_button, self.back_button):
            widget.setEnabled(not busy)
        self._update_button()

    def _on_restored(self, identity) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.completed.emit(identity)

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error.error(describe(exc))
        self.passphrase.selectAll()
        self.passphrase.setFocus()
