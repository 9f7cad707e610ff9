"""The Settings page: auto-lock, passphrase and key derivation, backup, trusted issuers,
network, status checks, theme, and where the vault lives.

Every change is applied at once (no Save for the whole page) and persisted on the
TaskRunner: a write waits for the store's lock, which a backup or a re-encryption can
hold for seconds, and the window must not.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QRadioButton,
                               QWidget)

from vault import settings as vault_settings
from vault.settings import VaultSettings
from vault.store import VaultStore

from ..errors import describe
from ..shell.clipboard import CLEAR_AFTER_MS
from ..widgets import BusyIndicator, ElidedLabel, InlineMessage, button_row, open_dialog, scrolling_page
from ..workers import TaskRunner
from . import trust
from .change_passphrase import ChangePassphraseDialog
from .explorers import ExplorersSection
from .kdf_dialog import RetuneKdfDialog
from .network import NetworkSection
from .section import Section, hint
from .status_checks import StatusChecksSection
from .trust_section import TrustSection

BACKUP_SUFFIX = ".btvbackup"
AUTO_LOCK_CHOICES = (1, 2, 5, 10, 15, 30, 60, vault_settings.NEVER)
THEME_CHOICES = ((vault_settings.THEME_SYSTEM, "Follow the system"),
                 (vault_settings.THEME_LIGHT, "Light"),
                 (vault_settings.THEME_DARK, "Dark"))


def _minutes(minutes: int) -> str:
    if minutes == vault_settings.NEVER:
        return "Never"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def describe_kdf(header) -> str:
    kdf = header.kdf
    return (f"SQLCipher 4 database (AES-256), key derived from your passphrase with Argon2id: "
            f"{kdf.memory_kib // 1024} MiB of memory, {kdf.iterations} passes, {kdf.lanes} lanes. "
            f"Created {header.created[:10]}.")


def load_vault_settings(store: VaultStore) -> tuple[int, list[dict]]:
    """Worker: what the page shows from inside the vault."""
    return VaultSettings(store).auto_lock_minutes, trust.load_entries(store)


class SettingsPage(QWidget):
    message = Signal(str)              # a passing note for the status bar
    auto_lock_changed = Signal(int)    # minutes, 0 = never
    theme_changed = Signal(str)        # system / light / dark
    network_changed = Signal()
    trust_changed = Signal(str)        # an issuer's DID added to or removed from the trust list

    def __init__(self, store: VaultStore, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.data_dir = store.data_dir
        self.dialog = None
        self.loaded = False
        self._closed = False
        self._saved_auto_lock = vault_settings.DEFAULT_AUTO_LOCK_MINUTES
        self._saved_theme = vault_settings.THEME_SYSTEM

        layout = scrolling_page(self, "Settings", "How this vault locks, is protected and backed up, whom it "
                                "trusts, and how it looks. Changes apply at once.", spacing=14)
        self.error = InlineMessage(transient=True)
        layout.addWidget(self.error)

        layout.addWidget(self._security_section())
        layout.addWidget(self._encryption_section())
        layout.addWidget(self._backup_section())
        self.trust_section = TrustSection(store, tasks, self.error, self)
        layout.addWidget(self.trust_section)
        self.network_section = NetworkSection(self.data_dir, tasks)
        layout.addWidget(self.network_section)
        self.status_checks = StatusChecksSection(self.data_dir, tasks)
        layout.addWidget(self.status_checks)
        self.explorers = ExplorersSection(self.data_dir, tasks)
        layout.addWidget(self.explorers)
        layout.addWidget(self._appearance_section())
        layout.addWidget(self._folder_section())
        layout.addStretch(1)

        # The cards' parts that tests reach through the page.
        trusted, net = self.trust_section, self.network_section
        self.trust_model, self.trust_table = trusted.trust_model, trusted.trust_table
        self.trust_empty = trusted.trust_empty
        self.add_issuer_button, self.remove_issuer_button = trusted.add_issuer_button, trusted.remove_issuer_button
        self.embedded_radio, self.rpc_radio, self.rpc_form = net.embedded_radio, net.rpc_radio, net.rpc_form
        self.rpc_url, self.manifest_path, self.manifest_button = net.rpc_url, net.manifest_path, net.manifest_button
        self.network_message, self.save_network_button = net.network_message, net.save_network_button
        self.trust_section.message.connect(self.message)
        self.trust_section.changed.connect(self.trust_changed)
        self.network_section.changed.connect(self.network_changed)

        self._describe_encryption()
        self.network_section.show_saved()
        self._show_theme()
        self.reload()

    # ---- sections ------------------------------------------------------------------------

    def _security_section(self) -> Section:
        section = Section("Locking")
        row = QHBoxLayout()
        row.setSpacing(10)
        label = QLabel("Lock after")
        self.auto_lock = QComboBox()
        self.auto_lock.setObjectName("autoLockCombo")
        for minutes in AUTO_LOCK_CHOICES:
            self.auto_lock.addItem(_minutes(minutes) + ("" if minutes == vault_settings.NEVER
                                                        else " without use"), minutes)
        self.auto_lock.setEnabled(False)   # until the vault's value is read
        label.setBuddy(self.auto_lock)
        row.addWidget(label)
        row.addWidget(self.auto_lock)
        row.addStretch(1)
        section.body.addLayout(row)
        section.body.addWidget(hint(
            "Without keyboard or mouse input for this long, the vault locks: the database "
            "closes, its key and everything decrypted are dropped, and the unlock screen "
            "returns. Lock it yourself any time with the Lock button or Ctrl+L."))
        self.screen_lock_note = hint()
        section.body.addWidget(self.screen_lock_note)
        section.body.addWidget(hint(
            f"Secrets you copy (a credential's raw text, recovery phrase words) are marked as "
            f"secret for clipboard managers and removed from the clipboard after "
            f"{CLEAR_AFTER_MS // 1000} seconds, or when the vault locks."))
        self.auto_lock.currentIndexChanged.connect(self._on_auto_lock_chosen)
        return section

    def _encryption_section(self) -> Section:
        section = Section("Passphrase and encryption")
        self.encryption = hint()
        self.encryption.setObjectName("encryptionLabel")
        section.body.addWidget(self.encryption)
        self.change_button = QPushButton("Change passphrase…")
        self.retune_button = QPushButton("Re-tune key derivation…")
        self.retune_button.setToolTip("Measure this computer and set how long unlocking takes "
                                      "(and so how costly each guess at your passphrase is)")
        section.body.addLayout(button_row(leading=[self.change_button, self.retune_button]))
        self.change_button.clicked.connect(self.change_passphrase)
        self.retune_button.clicked.connect(self.retune_kdf)
        return section

    def _backup_section(self) -> Section:
        section = Section("Backup", "One encrypted file with everything in the vault. It opens with "
                                    "the passphrase the vault has when you make it. Keep it on another "
                                    "disk; restore it from the start screen of a new installation.")
        self.backup_button = QPushButton("Back up now…")
        self.backup_busy = BusyIndicator()
        section.body.addLayout(button_row(leading=[self.backup_button]))
        section.body.addWidget(self.backup_busy)
        self.backup_button.clicked.connect(self.choose_backup_file)
        return section

    def _appearance_section(self) -> Section:
        section = Section("Appearance")
        row = QHBoxLayout()
        row.setSpacing(18)
        row.addWidget(QLabel("Theme"))
        self.theme_group = QButtonGroup(self)
        self.theme_buttons: dict[str, QRadioButton] = {}
        for theme, label in THEME_CHOICES:
            button = QRadioButton(label)
            button.setObjectName(f"theme_{theme}")
            self.theme_group.addButton(button)
            self.theme_buttons[theme] = button
            row.addWidget(button)
        row.addStretch(1)
        section.body.addLayout(row)
        self.theme_group.buttonToggled.connect(self._on_theme_toggled)
        return section

    def _folder_section(self) -> Section:
        section = Section("Data folder", "Where this vault's files are. Start the app with "
                                         "--data-dir (or BLOCKTRACK_VAULT_HOME) to use another.")
        folder = ElidedLabel(str(self.data_dir))
        folder.setObjectName("folderLabel")
        section.body.addWidget(folder)
        return section

    # ---- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        job = self.tasks.run(load_vault_settings, self.store)
        job.finished.connect(self._on_loaded)
        job.failed.connect(self._on_load_failed)

    def _on_loaded(self, result) -> None:
        if self._closed:
            return
        minutes, entries = result
        self._select_auto_lock(minutes)
        self.auto_lock.setEnabled(True)
        self.trust_section.set_entries(entries)
        self.loaded = True

    def _on_load_failed(self, exc: BaseException) -> None:
        if not self._closed:
            self.error.error(describe(exc))

    def set_screen_lock_note(self, text: str) -> None:
        self.screen_lock_note.setText(text)
        self.screen_lock_note.setVisible(bool(text))

    # ---- auto-lock -------------------------------------------------------------------------

    @property
    def auto_lock_minutes(self) -> int:
        return self.auto_lock.currentData()

    def _select_auto_lock(self, minutes: int) -> None:
        index = self.auto_lock.findData(minutes)
        if index < 0:   # set elsewhere (the CLI, a future version) to a value not listed here
            self.auto_lock.addItem(_minutes(minutes) + " without use", minutes)
            index = self.auto_lock.count() - 1
        self.auto_lock.blockSignals(True)
        self.auto_lock.setCurrentIndex(index)
        self.auto_lock.blockSignals(False)
        self._saved_auto_lock = minutes

    def _on_auto_lock_chosen(self, _index: int) -> None:
        minutes = self.auto_lock.currentData()
        self.error.clear()
        job = self.tasks.run(lambda: VaultSettings(self.store).set_auto_lock_minutes(minutes))
        job.finished.connect(self._on_auto_lock_saved)
        job.failed.connect(self._on_auto_lock_failed)

    def _on_auto_lock_saved(self, minutes: int) -> None:
        if self._closed:
            return
        self._saved_auto_lock = minutes
        self.auto_lock_changed.emit(minutes)
        self.message.emit("The vault now locks after " + _minutes(minutes) + " without use."
                          if minutes else "The vault no longer locks by itself; lock it with Ctrl+L.")

    def _on_auto_lock_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self.error.error(describe(exc))
        self._select_auto_lock(self._saved_auto_lock)

    # ---- passphrase and key derivation --------------------------------------------------------

    def _describe_encryption(self) -> None:
        try:
            self.encryption.setText(describe_kdf(self.store.header))
        except Exception as exc:
            self.encryption.setText(describe(exc))

    def change_passphrase(self) -> None:
        dialog = ChangePassphraseDialog(self.store, self.tasks, self)
        dialog.changed.connect(self._on_passphrase_changed)
        open_dialog(self, dialog, delete_on_close=True)

    def _on_passphrase_changed(self) -> None:
        self._describe_encryption()
        self.message.emit("Passphrase changed. Backups made before now still open with the old one.")

    def retune_kdf(self) -> None:
        dialog = RetuneKdfDialog(self.store, self.tasks, self)
        dialog.retuned.connect(self._on_retuned)
        open_dialog(self, dialog, delete_on_close=True)

    def _on_retuned(self, params) -> None:
        self._describe_encryption()
        self.message.emit(f"Key derivation re-tuned: Argon2id with {params.memory_kib // 1024} MiB and "
                          f"{params.iterations} passes.")

    # ---- backup ------------------------------------------------------------------------------

    def choose_backup_file(self) -> None:
        suggested = Path.home() / f"blocktrack-vault-{date.today().isoformat()}{BACKUP_SUFFIX}"
        path, _ = QFileDialog.getSaveFileName(self, "Back up the vault", str(suggested),
                                              f"Blocktrack Vault backup (*{BACKUP_SUFFIX});;All files (*)")
        if path and not self._closed:   # the vault may have locked while the dialog was open
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
        if self._closed:
            return
        self.backup_busy.stop()
        self.backup_button.setEnabled(True)
        self.message.emit(f"Backup written to {path}.")

    def _on_backup_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self.backup_busy.stop()
        self.backup_button.setEnabled(True)
        self.error.error(describe(exc))

    # ---- trust list ----------------------------------------------------------------------------

    def selected_issuer(self) -> str | None:
        return self.trust_section.selected_issuer()

    def on_trust_changed(self, _did: str) -> None:
        """The trust list changed on another page: show it as it is now."""
        self.trust_section.reload()

    # ---- theme ---------------------------------------------------------------------------------

    def _show_theme(self) -> None:
        theme = vault_settings.load_preferences(self.data_dir).theme
        self.theme_group.blockSignals(True)
        self.theme_buttons[theme].setChecked(True)
        self.theme_group.blockSignals(False)
        self._saved_theme = theme

    @property
    def theme(self) -> str:
        return next(t for t, b in self.theme_buttons.items() if b.isChecked())

    def _on_theme_toggled(self, button, checked: bool) -> None:
        if not checked:
            return
        theme = self.theme
        job = self.tasks.run(vault_settings.set_theme, self.data_dir, theme)
        job.finished.connect(lambda prefs: self._on_theme_saved(prefs.theme))
        job.failed.connect(self._on_theme_failed)

    def _on_theme_saved(self, theme: str) -> None:
        if self._closed:
            return
        self._saved_theme = theme
        self.theme_changed.emit(theme)

    def _on_theme_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self.error.error(describe(exc))
        self._show_theme()

    # ---- dialogs and lock ----------------------------------------------------------------------

    def drop_vault_data(self) -> None:
        """The vault is being locked: forget the trust list and close any dialog."""
        self._closed = self.status_checks.closed = self.network_section.closed = self.explorers.closed = True
        self.trust_section.drop()
        if self.dialog is not None:
            self.dialog.close()
