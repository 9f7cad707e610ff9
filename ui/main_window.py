"""The one top-level window: onboarding or unlock while locked, the workspace when open.

Locking (button or Ctrl+L) closes the database, drops every page that showed vault data,
and returns to the unlock screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QMainWindow, QPushButton, QStackedWidget, QVBoxLayout, QWidget)

from vault.store import VaultStore

from .config import AppConfig
from .errors import describe
from .identity import IdentityPage
from .onboarding import jobs as onboarding_jobs
from .onboarding import (CreateVaultFlow, RestoreBackupPage, RestorePhrasePage, StartPage,
                         UnlockPage)
from .vault_page import VaultPage
from .widgets import ElidedLabel
from .workers import TaskRunner

APP_NAME = "Blocktrack Vault"


def _warm_up_imports() -> None:
    """One after the other, on one thread: two threads importing shared modules can meet
    a half-initialised module."""
    onboarding_jobs.warm_up()
    import vault.credentials.service  # noqa: F401  (the Credentials page's core)


class Workspace(QWidget):
    """Sidebar of the pages that work today, and the page shown."""

    lock_requested = Signal()
    message = Signal(str)

    def __init__(self, identity, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.identity = identity
        sidebar = QFrame()
        sidebar.setObjectName("sidebar")
        sidebar.setFixedWidth(192)
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(12, 18, 12, 14)
        side.setSpacing(8)
        brand = QLabel(APP_NAME)
        brand.setObjectName("brand")
        brand.setWordWrap(True)  # never clipped, whatever the platform's font
        side.addWidget(brand)
        side.addSpacing(6)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFrameShape(QFrame.NoFrame)
        side.addWidget(self.nav, 1)
        self.lock_button = QPushButton("Lock")
        self.lock_button.setObjectName("lockButton")
        self.lock_button.setToolTip("Lock the vault (Ctrl+L)")
        side.addWidget(self.lock_button)

        self.pages = QStackedWidget()
        from vault.credentials.service import CredentialService

        from .credentials import CredentialsPage  # imported once unlocked: not on the cold start
        self.credentials_page = CredentialsPage(CredentialService(identity.store), tasks)
        self.identity_page = IdentityPage(identity, tasks)
        self.vault_page = VaultPage(identity.store, tasks)
        for title, page in (("Identity", self.identity_page), ("Credentials", self.credentials_page),
                            ("Vault", self.vault_page)):
            self.pages.addWidget(page)
            QListWidgetItem(title, self.nav)
            page.message.connect(self.message)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(sidebar)
        layout.addWidget(self.pages, 1)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self.lock_button.clicked.connect(self.lock_requested)

    def drop_vault_data(self) -> None:
        """Before the store closes: pages forget what they decrypted."""
        self.credentials_page.drop_vault_data()

    def show_page(self, title: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).text() == title:
                self.nav.setCurrentRow(row)
                return
        raise KeyError(title)


class MainWindow(QMainWindow):
    locked = Signal()
    unlocked = Signal()

    def __init__(self, config: AppConfig, tasks: TaskRunner | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.config = config
        self.tasks = tasks or TaskRunner(self)
        self.store = VaultStore(config.data_dir)
        self.identity = None
        self.workspace: Workspace | None = None
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(860, 580)
        self.resize(1000, 680)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.folder_label = ElidedLabel(f"Data folder: {config.data_dir}")
        self.folder_label.setObjectName("statusFolder")
        self.state_label = QLabel()
        self.state_label.setObjectName("statusState")
        self.statusBar().addWidget(self.folder_label, 1)
        self.statusBar().addPermanentWidget(self.state_label)

        self.lock_action = QAction("Lock", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.WindowShortcut)
        self.lock_action.triggered.connect(self.lock)
        self.addAction(self.lock_action)

        if VaultStore.exists_in(config.data_dir):
            self.show_unlock()
        else:
            self.show_start()
        # After the first paint: load eth-account & co. (~0.6 s) before they are needed.
        QTimer.singleShot(300, self._warm_up)

    def _warm_up(self) -> None:
        self.tasks.run(_warm_up_imports)

    # ---- pages ------------------------------------------------------------------------

    @property
    def page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _set_page(self, page: QWidget) -> None:
        old = self.stack.currentWidget()
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        page.setFocus()

    def _set_state(self, unlocked: bool, text: str | None = None) -> None:
        self.state_label.setText(text or ("Unlocked" if unlocked else "Locked"))
        self.state_label.setProperty("unlocked", unlocked)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
        self.lock_action.setEnabled(unlocked)

    def show_start(self) -> None:
        page = StartPage(self.config.data_dir)
        page.create_requested.connect(self.show_create)
        page.restore_phrase_requested.connect(self.show_restore_phrase)
        page.restore_backup_requested.connect(self.show_restore_backup)
        self._set_state(False, "No vault yet")
        self._set_page(page)

    def show_create(self) -> None:
        flow = CreateVaultFlow(self.config, self.tasks)
        flow.vault_created.connect(self._on_vault_created)
        flow.completed.connect(self.open_workspace)
        flow.cancelled.connect(self.show_start)
        self._set_page(flow)
        flow.passphrase_step.form.passphrase.setFocus()

    def _on_vault_created(self, identity) -> None:
        # Open while the phrase is shown and confirmed: closing the window must lock it.
        self.store = identity.store
        self._set_state(False, "Vault created: confirm your recovery phrase")

    def show_restore_phrase(self) -> None:
        page = RestorePhrasePage(self.config, self.tasks)
        page.completed.connect(self.open_workspace)
        page.back_requested.connect(self.show_start)
        self._set_page(page)
        page.phrase.setFocus()

    def show_restore_backup(self) -> None:
        page = RestoreBackupPage(self.config, self.tasks)
        page.completed.connect(self.open_workspace)
        page.back_requested.connect(self.show_start)
        self._set_page(page)

    def show_unlock(self) -> None:
        page = UnlockPage(self.store, self.tasks)
        page.unlocked.connect(self.open_workspace)
        self._set_state(False)
        self._set_page(page)
        page.passphrase.setFocus()

    def open_workspace(self, identity) -> None:
        # Create and restore open a store of their own: from now on it is the window's.
        self.identity, self.store = identity, identity.store
        try:
            self.workspace = Workspace(identity, self.tasks)
        except Exception as exc:  # a vault that opens but cannot be read: say so, stay locked
            self.lock()
            if isinstance(self.page, UnlockPage):
                self.page.error.error(describe(exc))
            return
        self.workspace.lock_requested.connect(self.lock)
        self.workspace.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self._set_state(True)
        self._set_page(self.workspace)
        self.unlocked.emit()

    # ---- lock -------------------------------------------------------------------------

    def lock(self) -> None:
        """Close the database and forget every page that showed vault data."""
        was_open = self.identity is not None
        if self.workspace is not None:
            self.workspace.drop_vault_data()
        self.store.lock()
        self.identity = None
        self.workspace = None
        self.statusBar().clearMessage()
        self.show_unlock()
        if was_open:
            self.locked.emit()

    def closeEvent(self, event) -> None:
        # A running job (an unlock, a backup) finishes before the store is closed under it.
        self.tasks.wait()
        self.store.lock()
        super().closeEvent(event)
