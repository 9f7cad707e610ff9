"""Re-tune the key derivation to this computer: measure, then re-encrypt the vault under
the same passphrase with the new Argon2id cost. Off the GUI thread, like every KDF call."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QPushButton, QVBoxLayout, QWidget

from vault.errors import WrongPassphrase
from vault.store import VaultStore
from vault.store.kdf import DEFAULT_TARGET_SECONDS

from ..errors import describe
from ..widgets import (BusyIndicator, InlineMessage, PassphraseField, button_row, make_safe_default, on_enter,
                       page_subtitle, page_title)
from ..widgets.layout import primary
from ..workers import TaskRunner

TARGETS = (  # seconds one unlock should take here, label
    (0.5, "Quicker: about 0.5 s to unlock"),
    (DEFAULT_TARGET_SECONDS, f"Standard: about {DEFAULT_TARGET_SECONDS:g} s to unlock"),
    (1.5, "Stronger: about 1.5 s to unlock"),
    (3.0, "Strongest: about 3 s to unlock"),
)


def retune(store: VaultStore, passphrase: str, target: float):
    """Worker: re-encrypt under the same passphrase with KDF parameters tuned to ``target``."""
    store.change_passphrase(passphrase, passphrase, kdf_target=target)
    return store.header.kdf


class RetuneKdfDialog(QDialog):
    retuned = Signal(object)   # the new KdfParams

    def __init__(self, store: VaultStore, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.setWindowTitle("Key derivation strength")
        self.setMinimumWidth(540)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(page_title("Key derivation strength"))
        layout.addWidget(page_subtitle(
            "Argon2id makes every guess at your passphrase cost memory and time. Re-tuning "
            "measures this computer, then re-encrypts the vault so that unlocking takes about "
            "the time you choose. Your passphrase stays the same; backups made before keep "
            "their own settings."))
        self.target = QComboBox()
        self.target.setObjectName("kdfTarget")
        for seconds, label in TARGETS:
            self.target.addItem(label, seconds)
        self.target.setCurrentIndex(1)
        self.passphrase = PassphraseField("The one you unlock with")
        self.passphrase.setObjectName("kdfPassphrase")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        form.addRow("Strength", self.target)
        form.addRow("Passphrase", self.passphrase)
        layout.addLayout(form)
        self.error = InlineMessage()
        self.busy = BusyIndicator()
        self.cancel_button = QPushButton("Cancel")
        self.retune_button = primary(QPushButton("Re-tune and re-encrypt"))
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addLayout(button_row(self.cancel_button, self.retune_button))
        self.passphrase.textChanged.connect(self._update_button)
        # Enter on the dialog cancels; in the passphrase field (typed just now) it re-tunes.
        make_safe_default(self, self.cancel_button, self.retune_button, focus=self.passphrase)
        on_enter(self.passphrase, self.submit)
        self.retune_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self._update_button()

    def _update_button(self) -> None:
        self.retune_button.setEnabled(bool(self.passphrase.text()) and not self.busy.running)

    def submit(self) -> None:
        if self.busy.running or not self.retune_button.isEnabled():
            return
        self.error.clear()
        self._set_busy(True)
        job = self.tasks.run(retune, self.store, self.passphrase.text(), self.target.currentData())
        job.finished.connect(self._on_retuned)
        job.failed.connect(self._on_failed)

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.busy.start("Measuring this computer and re-encrypting the vault…")
        else:
            self.busy.stop()
        self.passphrase.setReadOnly(busy)
        self.target.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        self._update_button()

    def _on_retuned(self, params) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.retuned.emit(params)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, WrongPassphrase):
            self.error.error("Wrong passphrase; nothing was changed.")
            self.passphrase.setFocus()
            self.passphrase.selectAll()
        else:
            self.error.error(describe(exc))

    def reject(self) -> None:
        if not self.busy.running:  # no closing half-way through a re-encryption
            super().reject()
