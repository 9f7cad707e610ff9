"""Unlock, wrong passphrase, corrupt vault, and locking with Ctrl+L."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from ui.main_window import Workspace
from ui.onboarding import UnlockPage


def test_existing_vault_opens_on_unlock(window, existing_vault, make_window, config):
    # `window` was made before the vault existed; a new one sees the vault.
    window = make_window(config)
    assert isinstance(window.page, UnlockPage)
    assert window.state_label.text() == "Locked"
    assert window.page.passphrase.hasFocus() or window.page.passphrase.isVisible()


def test_wrong_then_right_passphrase(qtbot, existing_vault, make_window, config, ui_helpers):
    h = ui_helpers
    window = make_window(config)
    page = window.page
    h.type_text(qtbot, page.passphrase, "correct horse battery stapler")
    qtbot.keyClick(page.passphrase, Qt.Key_Return)  # Enter submits
    assert page.busy.running and page.passphrase.isReadOnly()
    qtbot.waitUntil(lambda: not page.busy.running)
    assert page.error.kind == "error" and page.error.text().startswith("Wrong passphrase")
    # The typed passphrase is kept and selected, so a retype replaces it.
    assert page.passphrase.text() == "correct horse battery stapler"
    assert page.passphrase.selectedText() == page.passphrase.text()
    assert not window.store.is_unlocked
    # Fixing the typo: Backspace removes the selection, so first deselect with End.
    qtbot.keyClick(page.passphrase, Qt.Key_End)
    qtbot.keyClick(page.passphrase, Qt.Key_Backspace)
    assert not page.error.isVisible()
    qtbot.keyClick(page.passphrase, Qt.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.page, Workspace))
    assert window.store.is_unlocked
    assert window.state_label.text() == "Unlocked"


def test_empty_passphrase_asks_for_one(qtbot, existing_vault, make_window, config, ui_helpers):
    window = make_window(config)
    ui_helpers.click(qtbot, window.page.unlock_button)
    assert window.page.error.text() == "Enter your passphrase."
    assert not window.page.busy.running


def test_ctrl_l_locks_and_returns_to_unlock(qtbot, existing_vault, make_window, config, ui_helpers):
    window = make_window(config)
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.locked):
        QTest.keyClick(workspace.credentials_page.search, Qt.Key_L, Qt.ControlModifier)
    assert isinstance(window.page, UnlockPage)
    assert not window.store.is_unlocked
    assert window.identity is None and window.workspace is None
    assert window.state_label.text() == "Locked"
    assert window.page.passphrase.text() == ""
    # The pages that showed vault data are gone.
    qtbot.waitUntil(lambda: not window.findChildren(Workspace))
    # And it opens again.
    ui_helpers.unlock_through_ui(qtbot, window)


def test_lock_button(qtbot, existing_vault, make_window, config, ui_helpers):
    window = make_window(config)
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    ui_helpers.click(qtbot, workspace.lock_button)
    assert isinstance(window.page, UnlockPage)
    assert not window.store.is_unlocked


def test_corrupt_vault_says_restore_from_backup(qtbot, existing_vault, make_window, config, ui_helpers):
    database = next(config.data_dir.glob("vault-*.db"))
    database.write_bytes(b"\0" * database.stat().st_size)
    window = make_window(config)
    page = window.page
    ui_helpers.type_text(qtbot, page.passphrase, ui_helpers.PASSPHRASE)
    ui_helpers.click(qtbot, page.unlock_button)
    qtbot.waitUntil(lambda: not page.busy.running)
    assert page.error.kind == "error"
    assert "Restore it from a backup" in page.error.text()
    assert isinstance(window.page, UnlockPage)
