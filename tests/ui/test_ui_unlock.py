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


def test_damaged_page_unlocks_then_the_postponed_check_locks_with_the_reason(
        qtbot, existing_vault, make_window, config, ui_helpers):
    """The unlock shows the list before the full-file check (SQLCipher authenticates each
    page it reads); the check runs once the list is painted, finds the damaged page, and
    the window locks itself and says so, with nothing written to the file meanwhile."""
    from vault.store import VaultStore

    store = VaultStore(config.data_dir)
    store.unlock(ui_helpers.PASSPHRASE)
    with store.transaction() as conn:       # pages at the end of the file that nothing reads
        conn.execute("CREATE TABLE filler (x BLOB)")
        conn.executemany("INSERT INTO filler VALUES (?)", [(b"f" * 3000,) for _ in range(20)])
    store.lock()
    database = next(config.data_dir.glob("vault-*.db"))
    damaged = bytearray(database.read_bytes())
    damaged[len(damaged) - 4096 + 500] ^= 0x10       # one bit of the last page's content
    database.write_bytes(bytes(damaged))

    window = make_window(config)
    shown = []

    def opened():
        shown.append(window.page)
        window.page.credentials_page.list_shown.connect(lambda: shown.append("list painted"))

    window.unlocked.connect(opened)
    with qtbot.waitSignal(window.locked, timeout=10_000):
        ui_helpers.unlock_through_ui(qtbot, window)
    assert isinstance(shown[0], Workspace) and shown[1:] == ["list painted"]   # it opened, showed the list
    page = window.page
    assert isinstance(page, UnlockPage)
    assert not window.store.is_unlocked
    assert page.error.kind == "error"
    assert "damaged" in page.error.text() and "Restore it from a backup" in page.error.text()
    assert window.state_label.text() == "Locked"
    assert database.read_bytes() == bytes(damaged)
    assert sorted(p.name for p in config.data_dir.iterdir() if p.name.startswith("vault-")) == [database.name]


def test_intact_vault_is_checked_after_the_list_is_painted(qtbot, existing_vault, make_window, config,
                                                          ui_helpers, monkeypatch):
    from ui.onboarding import integrity
    from vault.store import database
    monkeypatch.setattr(integrity, "FALLBACK_MS", 600_000)   # only the paint starts it here
    events = []
    real = database.integrity_errors

    def integrity_errors(*args, **kwargs):
        events.append("check")
        return real(*args, **kwargs)

    monkeypatch.setattr(database, "integrity_errors", integrity_errors)
    window = make_window(config)
    window.unlocked.connect(
        lambda: window.workspace.credentials_page.list_shown.connect(lambda: events.append("shown")))
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    qtbot.waitUntil(lambda: not window.store.integrity_pending, timeout=10_000)
    assert events == ["shown", "check"]          # not in the unlock: after the first paint
    assert window.store.is_unlocked and window.workspace is workspace


def _fingerprint(folder):
    import hashlib
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_forgot_passphrase_restores_from_the_phrase_and_keeps_the_old_vault(qtbot, existing_vault, make_window,
                                                                            config, ui_helpers):
    """Unlock → "Forgot your passphrase?" → the restore flow, which says what comes back
    and asks first. Cancelling moves nothing; confirming sets the old vault aside, byte
    for byte (it still opens with the forgotten passphrase), and opens the new one."""
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from ui.onboarding import RestorePhrasePage
    from vault.store import VaultStore
    h = ui_helpers
    before = _fingerprint(config.data_dir)
    window = make_window(config)
    h.click(qtbot, window.page.forgot_button)
    page = window.page
    assert isinstance(page, RestorePhrasePage) and page.replacing
    warning = page.replace_warning.text()
    assert page.replace_warning.isVisible() and page.replace_warning.kind == "warning"
    assert "DIDs and accounts come back" in warning and "only from a backup file" in warning
    assert "not deleted" in warning
    h.click(qtbot, page.back_button)                  # back where it came from
    assert isinstance(window.page, UnlockPage)
    h.click(qtbot, window.page.forgot_button)
    page = window.page

    qtbot.keyClicks(page.phrase, existing_vault)
    h.type_text(qtbot, page.form.passphrase, "a brand new passphrase")
    h.type_text(qtbot, page.form.confirm, "a brand new passphrase")
    h.click(qtbot, page.restore_button)
    box = page.dialog
    assert isinstance(box, QMessageBox) and str(config.data_dir) in box.informativeText()
    h.click(qtbot, box.button(QMessageBox.Cancel))
    qtbot.waitUntil(lambda: page.dialog is None)
    assert _fingerprint(config.data_dir) == before and not page.busy.running

    h.click(qtbot, page.restore_button)
    h.click(qtbot, page.dialog.findChild(QPushButton, "replaceVaultButton"))
    qtbot.waitUntil(lambda: isinstance(window.page, Workspace), timeout=20_000)
    aside = next(config.data_dir.glob("replaced-vault-*"))
    assert _fingerprint(aside) == before
    notice = window.workspace.credentials_page.notice
    assert notice.kind == "warning" and str(aside) in notice.text()
    old = VaultStore(aside)
    old.unlock(h.PASSPHRASE)        # the forgotten one: the old vault is whole
    old.lock()
    window.lock()
    h.unlock_through_ui(qtbot, window, "a brand new passphrase")
