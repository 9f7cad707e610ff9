from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from vault.store import VaultStore

from ..errors import describe
from ..widgets import (BusyIndicator, ElidedLabel, InlineMessage, button_row, page_subtitle,
                       page_title, section_title)
from ..workers import TaskRunner
from .change_passphrase import ChangePassphraseDialog

BACKUP_SUFFIX = ".btvbackup"


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hintLabel")
    label.setWordWrap(True)
    return label


class VaultPage(QWidget):
    message = Signal(str)

    def __init__(self, store: VaultStore, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.dialog = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(10)
        layout.addWidget(page_title("Vault"))
        layout.addWidget(page_subtitle("Where your vault lives, how it is protected, and its backups."))
        self.error = InlineMessage()
        layout.addWidget(self.error)

        layout.addWidget(section_title("Data folder"))
        folder = ElidedLabel(str(store.data_dir))
        folder.setObjectName("folderLabel")
        layout.addWidget(folder)
        layout.addSpacing(6)

        layout.addWidget(section_title("Encryption"))
        self.encryption = _hint("")
        layout.addWidget(self.encryption)
        self._describe_encryption()
        layout.addSpacing(6)

        layout.addWidget(section_title("Backup"))
        layout.addWidget(_hint(
            "One encrypted file with everything in the vault. It opens with the passphrase the "
            "vault has when you make it. Keep it on another disk; restore it from the start "
            "screen of a new installation."))
        self.backup_button = QPushButton("Back up to a file…")
        self.backup_busy = BusyIndicator()
        layout.addLayout(button_row(leading=[self.backup_button]))
        layout.addWidget(self.backup_busy)
        layout.addSpacing(6)

        layout.addWidget(section_title("Passphrase"))
        layout.addWidget(_hint("Change the passphrase that unlocks this vault on this computer."))
        self.change_button = QPushButton("Change passphrase…")
        layout.addLayout(button_row(leading=[self.change_button]))
        layout.addStretch(1)

        self.backup_button.clicked.connect(self.choose_backup_file)
        self.change_button.clicked.connect(self.change_passphrase)

    def _describe_encryption(self) -> None:
        try:
            header = self.store.header
        except Exception as exc:
            self.encryption.setText(describe(exc))
            return
        kdf = header.kdf
        self.encryption.setText(
            f"SQLCipher 4 database (AES-256), key derived from your passphrase with Argon2id: "
            f"{kdf.memory_kib // 1024} MiB of memory, {kdf.iterations} passes, {kdf.lanes} lanes. "
            f"Created {header.created[:10]}.")

    def choose_backup_file(self) -> None:
        suggested = Path.home() / f"blocktrack-vault-{date.today().isoformat()}{BACKUP_SUFFIX}"
        path, _ = QFileDialog.getSaveFileName(self, "Back up the vault", str(suggested),
                                              f"Blocktrack Vault backup (*{BACKUP_SUFFIX});;All files (*)")
        if path:
            self.backup_to(Path(path))

    def backup_to(self, path: Path) -> None:
        if self.backup_busy.running:
            return
        self.error.clear()
        self.backup_busy.start("Writing the encrypted backup…")
        self.backup_button.setEnabled(False)
        job = self.tasks.run(self.store.backup, path)
        job.finished.connect(self._on_backed_up)
        job.failed.connect(self._on_backup_failed)

    def _on_backed_up(self, path) -> None:
        self.backup_busy.stop()
        self.backup_button.setEnabled(True)
        self.message.emit(f"Backup written to {path}.")

    def _on_backup_failed(self, exc: BaseException) -> None:
        self.backup_busy.stop()
        self.backup_button.setEnabled(True)
        self.error.error(describe(exc))

    def change_passphrase(self) -> None:
        dialog = ChangePassphraseDialog(self.store, self.tasks, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.changed.connect(self._on_passphrase_changed)
        dialog.finished.connect(lambda _: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def _on_passphrase_changed(self) -> None:
        self._describe_encryption()
        self.message.emit("Passphrase changed. Backups made before now still open with the old one.")
