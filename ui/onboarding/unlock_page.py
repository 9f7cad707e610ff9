from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from vault.errors import CorruptVault, WrongPassphrase
from vault.store import VaultStore

from ..errors import describe
from ..widgets import (BusyIndicator, CenteredPage, ElidedLabel, InlineMessage, PassphraseField,
                       button_row, page_subtitle, page_title)
from ..widgets.layout import primary
from ..workers import TaskRunner
from . import jobs


class UnlockPage(CenteredPage):
    unlocked = Signal(object)  # identity
    forgot_requested = Signal()  # restore from the recovery phrase instead

    def __init__(self, store: VaultStore, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent, max_width=480)
        self.store, self.tasks = store, tasks
        self.body.addWidget(page_title("Unlock your vault"))
        self.body.addWidget(page_subtitle("Enter your passphrase to open the vault in:"))
        folder = ElidedLabel(str(store.data_dir))
        folder.setObjectName("folderLabel")
        self.body.addWidget(folder)
        self.passphrase = PassphraseField()
        self.passphrase.setObjectName("unlockPassphrase")
        self.body.addWidget(self.passphrase)
        self.error = InlineMessage(reserve=True)
        self.busy = BusyIndicator()
        self.unlock_button = primary(QPushButton("Unlock"))
        self.body.addWidget(self.error)
        self.body.addWidget(self.busy)
        self.forgot_button = QPushButton("Forgot your passphrase? Restore from your recovery phrase…")
        self.forgot_button.setObjectName("linkButton")
        self.forgot_button.setToolTip("Make this vault anew from its 12 or 24 words: DIDs and accounts come back; "
                                      "the vault here is set aside, not deleted")
        self.forgot_button.setAutoDefault(False)
        self.body.addLayout(button_row(self.unlock_button))
        self.body.addWidget(self.forgot_button, 0, Qt.AlignLeft)
        self.forgot_button.clicked.connect(self.forgot_requested)
        self.passphrase.returnPressed.connect(self.submit)
        self.unlock_button.clicked.connect(self.submit)
        self.passphrase.textEdited.connect(lambda _: self.error.clear())
        self.setFocusProxy(self.passphrase)

    def submit(self) -> None:
        if self.busy.running:
            return
        if not self.passphrase.text():
            self.error.hint("Enter your passphrase.")
            self.passphrase.setFocus()
            return
        self.error.clear()
        self._set_busy(True)
        job = self.tasks.run(jobs.open_vault, self.store, self.passphrase.text())
        job.finished.connect(self._on_unlocked)
        job.failed.connect(self._on_failed)

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.busy.start("Unlocking…")
        else:
            self.busy.stop()
        self.passphrase.setReadOnly(busy)
        self.unlock_button.setEnabled(not busy)

    def _on_unlocked(self, identity) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.unlocked.emit(identity)

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, WrongPassphrase):
            self.error.error("Wrong passphrase. Check Caps Lock and the keyboard layout, "
                             "and try again.")
        elif isinstance(exc, CorruptVault):
            self.error.error(str(exc))
        else:
            self.error.error(describe(exc))
        # Keep what was typed, selected, so a retype replaces it and a typo can be fixed.
        self.passphrase.setFocus()
        self.passphrase.selectAll()
