"""The one top-level window: onboarding or unlock while locked, the workspace when open.

Locking closes the database, drops the key and every page that showed vault data, clears
a secret we put on the clipboard, and returns to the unlock screen. It happens on the
Lock button or Ctrl+L, after the auto-lock time without input (Settings, default 5
minutes), and when the platform reports that the screen locked or the computer sleeps.
Ctrl+Q quits (closing the window, with the same clean-up as its close button).

The status bar shows the data folder, the network and its latest block, and whether the
vault is locked.
"""

from __future__ import annotations

import threading
import uuid

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from vault.safe_text import safe_text
from vault.settings import DEFAULT_AUTO_LOCK_MINUTES, VaultSettings, load_preferences
from vault.store import VaultStore

from .config import AppConfig
from .errors import describe
from .onboarding import jobs as onboarding_jobs
from .onboarding import (CreateVaultFlow, PostponedIntegrityCheck, RestoreBackupPage, RestorePhrasePage,
                         StartPage, UnlockPage)
from .shell.clipboard import secret_clipboard
from .shell.idle import IdleWatcher
from .shell.links import open_link
from .shell.network_status import NetworkSource, NetworkStatus, chosen_network
from .shell.screen_lock import ScreenLockMonitor
from .shell.theme import theme_controller
from .widgets import ElidedLabel
from .workers import TaskRunner
from .workspace import APP_NAME, CHAIN_PAGES, Workspace  # noqa: F401 - CHAIN_PAGES: where tests look

CHAIN_CONNECT_DELAY_MS = 1500   # after unlock: the credential list paints first



_WARMED_UP = threading.Event()


def _warm_up_imports() -> None:
    """One after the other, on one thread: two threads importing shared modules can meet
    a half-initialised module. So the GUI thread builds no page while this runs
    (open_workspace waits for ``_WARMED_UP``: rarely, as the unlock's KDF takes longer)."""
    onboarding_jobs.IMPORTING.acquire()   # not beside a create or restore job's imports
    try:
        onboarding_jobs.warm_up()
        # start-up: the whole point: these load off the GUI thread while the person types
        import vault.credentials.service  # noqa: F401  (the Credentials page's core)
        import vault.presentations.service  # noqa: F401  (Present and Verify: signing, QR, scanning)
        import vault.qr.render  # noqa: F401
        import vault.qr.scan  # noqa: F401
        from . import credentials, present, verify  # noqa: F401  (~0.2 s: not on the GUI thread at unlock)
        from .credentials import soulbound  # noqa: F401  (eth-utils, ~0.3 s: the page's chips at unlock)
    finally:
        onboarding_jobs.IMPORTING.release()
        _WARMED_UP.set()





class MainWindow(QMainWindow):
    locked = Signal()
    unlocked = Signal()

    def __init__(self, config: AppConfig, tasks: TaskRunner | None = None,
                 parent: QWidget | None = None, *, clock=None):
        """``clock`` (seconds, monotonic) drives the idle lock; tests pass a fake one."""
        super().__init__(parent)
        self.config = config
        self._open_files = config.open_files
        self.tasks = tasks or TaskRunner(self)
        self.store = VaultStore(config.data_dir)
        self.identity = None
        self.workspace: Workspace | None = None
        self.auto_lock_minutes = DEFAULT_AUTO_LOCK_MINUTES
        self._warming_up = False
        # This run of the app: credentials deleted in it wait in the vault's trash for
        # Undo (their ids here, across locks) until the window closes.
        self.session_id = uuid.uuid4().hex
        self.deleted_ids: list[str] = []
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(860, 580)
        self.resize(1000, 680)

        self.theme = theme_controller()
        self.theme.set_choice(load_preferences(config.data_dir).theme)
        self.idle = IdleWatcher(self, **({"clock": clock} if clock is not None else {}))
        self.idle.idle.connect(self._on_idle)
        self.screen_lock = ScreenLockMonitor(self)
        self.screen_lock.screen_locked.connect(self._on_screen_locked)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.folder_label = ElidedLabel(f"Data folder: {config.data_dir}")
        self.folder_label.setObjectName("statusFolder")
        self.network_label = QLabel()
        self.network_label.setObjectName("statusNetwork")
        self.block_label = QLabel()
        self.block_label.setObjectName("statusBlock")
        self.state_label = QLabel()
        self.state_label.setObjectName("statusState")
        self.pending_label = QLabel()
        self.pending_label.setObjectName("statusPending")
        self.pending_label.hide()
        self.statusBar().addWidget(self.folder_label, 1)
        self.statusBar().addPermanentWidget(self.pending_label)
        self.statusBar().addPermanentWidget(self.network_label)
        self.statusBar().addPermanentWidget(self.block_label)
        self.statusBar().addPermanentWidget(self.state_label)
        self.network_status = NetworkStatus(self.tasks, chosen_network(config.data_dir), self)
        self.network_status.changed.connect(self._show_network)

        self.lock_action = QAction("Lock", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.WindowShortcut)
        self.lock_action.triggered.connect(lambda: self.lock())
        self.addAction(self.lock_action)
        # Quit (Ctrl+Q, and the platform's own Quit key) closes the window as its close button does.
        self.quit_action = QAction("Quit", self)
        quit_keys = QKeySequence.keyBindings(QKeySequence.Quit)
        if QKeySequence("Ctrl+Q") not in quit_keys:   # Windows has no Quit key of its own
            quit_keys.append(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcuts(quit_keys)
        self.quit_action.triggered.connect(self.close)
        self.addAction(self.quit_action)

        if VaultStore.exists_in(config.data_dir):
            self.show_unlock()
        else:
            self.show_start()
        # After the first paint: load eth-account & co. (~0.6 s) before they are needed.
        QTimer.singleShot(300, self._warm_up)

    def _warm_up(self) -> None:
        self._warming_up = not _WARMED_UP.is_set()
        if self._warming_up:
            self.tasks.run(_warm_up_imports)
        self.network_status.start()

    @property
    def clipboard(self):
        """The application's secret clipboard (cleared of our secret on lock)."""
        return secret_clipboard()

    # ---- status bar ---------------------------------------------------------------------

    def set_network_source(self, source: NetworkSource) -> None:
        """Where the status bar gets (network name, block number or None): see
        ui.shell.network_status. The chain layer calls this once it can connect."""
        self.network_status.set_source(source)

    def _show_network(self, network: str, block: str, tip: str) -> None:
        self.network_label.setText(network)
        self.block_label.setText(block)
        self.network_label.setToolTip(tip or "The network is chosen in Settings.")

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
        self._describe_lock()

    def _describe_lock(self) -> None:
        if not self.lock_action.isEnabled():
            self.state_label.setToolTip("")
            return
        when = (f"after {self.auto_lock_minutes} minute{'s' if self.auto_lock_minutes != 1 else ''} "
                "without use" if self.auto_lock_minutes else "only when you lock it")
        screen = ", and when the screen locks" if self.screen_lock.available else ""
        self.state_label.setToolTip(f"Locks {when}{screen}. Ctrl+L locks now.")

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
        # Open while the phrase is shown and confirmed: closing the window must lock it,
        # and so must walking away from it.
        self.store = identity.store
        self._start_lock_watch(DEFAULT_AUTO_LOCK_MINUTES)
        self._set_state(False, "Vault created: confirm your recovery phrase")

    def show_restore_phrase(self, replacing: bool = False) -> None:
        """``replacing``: from the unlock screen, the passphrase forgotten (the vault there is set aside)."""
        page = RestorePhrasePage(self.config, self.tasks, replacing=replacing)
        page.completed.connect(self.open_workspace)
        page.back_requested.connect(self.show_unlock if replacing else self.show_start)
        page.replaced.connect(lambda folder: self.workspace and self.workspace.credentials_page.notice.warning(
            f"Restored from your recovery phrase. The vault you could not open is kept, untouched, in {folder}."))
        self._set_page(page)
        page.phrase.setFocus()

    def show_restore_backup(self) -> None:
        page = RestoreBackupPage(self.config, self.tasks)
        page.completed.connect(self.open_workspace)
        page.back_requested.connect(self.show_start)
        self._set_page(page)

    def show_unlock(self, reason: str | None = None) -> None:
        page = UnlockPage(self.store, self.tasks)
        page.unlocked.connect(self.open_workspace)
        page.forgot_requested.connect(lambda: self.show_restore_phrase(replacing=True))
        self._set_state(False)
        self._set_page(page)
        if reason:
            page.error.hint(f"Locked because {reason}.")
        page.passphrase.setFocus()

    def open_workspace(self, identity) -> None:
        # Create and restore open a store of their own: from now on it is the window's.
        self.identity, self.store = identity, identity.store
        if self._warming_up:
            _WARMED_UP.wait(10)   # the pages' modules are being imported on the pool
        try:
            minutes = VaultSettings(self.store).auto_lock_minutes
            self.workspace = Workspace(identity, self.tasks, session=self.session_id,
                                       deleted_ids=self.deleted_ids)
        except Exception as exc:  # a vault that opens but cannot be read: say so, stay locked
            self.lock()
            if isinstance(self.page, UnlockPage):
                self.page.error.error(describe(exc))
            return
        self.workspace.lock_requested.connect(lambda: self.lock())
        # Notes quote titles and domains from outside: no bidi control obeyed.
        self.workspace.message.connect(lambda text: self.statusBar().showMessage(safe_text(text), 5000))
        self.workspace.page_built.connect(self._on_page_built)   # Settings: on its first visit
        session = self.workspace.chain_session
        session.pending_changed.connect(self._show_pending)
        session.refresh_pending()   # from the history, before the network answers (a restart)
        session.changed.connect(lambda: self.network_status.refresh(force=True))   # a new block: show it now
        session.connected.connect(lambda: self.set_network_source(session.network_source))
        session.connection_failed.connect(lambda _exc: self.set_network_source(session.network_source))
        if self.config.connect_chain:
            QTimer.singleShot(CHAIN_CONNECT_DELAY_MS, self.workspace.start_chain)
        self._start_lock_watch(minutes)
        self._set_state(True)
        self._set_page(self.workspace)
        self.unlocked.emit()
        if self.config.link and not getattr(self, "_link_opened", False):   # once, after the first unlock
            self._link_opened = open_link(self.workspace, self.config.link) or True
        self._check_integrity_once_shown()
        if self._open_files:   # the files the app was started with, imported once
            self.workspace.credentials_page.import_paths(self._open_files)
            self._open_files = ()
        # What a run that did not close cleanly left in the trash: final now, after the list.
        trash = self.workspace.credentials_page.trash
        self.workspace.credentials_page.list_shown.connect(lambda: self.tasks.run(trash.empty_left_over))

    def _check_integrity_once_shown(self) -> None:
        """An unlock leaves the vault's full-file check until the list is painted (see
        ui.onboarding.integrity); if it finds damage, lock and say so on the unlock screen."""
        if not self.store.is_unlocked or not self.store.integrity_pending:
            return
        workspace = self.workspace
        check = PostponedIntegrityCheck(self.store, self.tasks, workspace.credentials_page.list_shown, workspace)

        def damaged(message: str) -> None:
            if self.workspace is workspace:
                self.lock()
            if isinstance(self.page, UnlockPage):
                self.page.error.error(message)

        check.damaged.connect(damaged)

    def _on_page_built(self, title: str, page: QWidget) -> None:
        if title != "Settings":
            return
        page.auto_lock_changed.connect(self._start_lock_watch)
        page.theme_changed.connect(self.theme.set_choice)
        page.network_changed.connect(self._on_network_changed)
        page.set_screen_lock_note(
            "It also locks when the screen locks or the computer goes to sleep."
            if self.screen_lock.available else
            "This system does not tell the app when the screen locks, so the vault does not lock "
            "with it: lock it yourself (Ctrl+L) before you step away.")

    def _on_network_changed(self) -> None:
        """Settings chose another network: the chain pages reconnect to it."""
        if self.workspace is not None and self.workspace.chain_session.state != "idle":
            self.workspace.chain_session.reconnect()
        self.network_status.refresh(force=True)

    def _show_pending(self, count: int) -> None:
        self.pending_label.setText(f"{count} transaction{'s' if count != 1 else ''} pending")
        self.pending_label.setToolTip("Sent and not mined yet; checked again until they are (also after "
                                      "a restart). Wallet → History shows them.")
        self.pending_label.setVisible(count > 0)

    # ---- lock -------------------------------------------------------------------------

    def _start_lock_watch(self, minutes: int) -> None:
        """Idle lock after ``minutes`` (0 = never) and the screen-lock listener (D-Bus)."""
        self.auto_lock_minutes = minutes
        self.idle.start(minutes * 60)
        self.screen_lock.start()
        self._describe_lock()

    @property
    def is_open(self) -> bool:
        return self.store.is_unlocked

    def _on_idle(self) -> None:
        if self.is_open:
            minutes = self.auto_lock_minutes
            self.lock(reason=f"it was not used for {minutes} minute{'s' if minutes != 1 else ''}")

    def _on_screen_locked(self, reason: str) -> None:
        if self.is_open:
            self.lock(reason=reason)

    def lock(self, *, reason: str | None = None) -> None:
        """Close the database and forget every page that showed vault data."""
        was_open = self.identity is not None or self.store.is_unlocked
        self.idle.stop()
        self.clipboard.clear_if_ours()
        if self.workspace is not None:
            self.workspace.drop_vault_data()
        self.store.lock()
        self.identity = None
        self.workspace = None
        self.pending_label.hide()
        self.set_network_source(chosen_network(self.config.data_dir))
        self.statusBar().clearMessage()
        if self.store.exists:
            self.show_unlock(reason)
        else:
            self.show_start()
        if was_open:
            self.locked.emit()

    def closeEvent(self, event) -> None:
        # A running job (an unlock, a backup) finishes before the store is closed under it.
        self.idle.stop()
        self.clipboard.clear_if_ours()
        self.tasks.wait()
        if self.workspace is not None:
            self.workspace.chain_session.close()
            self._empty_trash()
        self.store.lock()
        super().closeEvent(event)

    def _empty_trash(self) -> None:
        """Closing makes this run's deletions final (a locked vault's wait for the next
        unlock, which empties what a run left behind)."""
        try:
            self.workspace.credentials_page.trash.empty()
        except Exception as exc:   # never keep the window from closing; said in the log
            describe(exc)
        self.deleted_ids.clear()
