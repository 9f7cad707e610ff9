import subprocess
import sys

from ui.app import STYLESHEET, load_stylesheet, parse_args
from vault.store.kdf import DEFAULT_TARGET_SECONDS


def test_data_dir_option_env_and_qt_arguments(tmp_path, monkeypatch):
    monkeypatch.setenv("BLOCKTRACK_VAULT_HOME", str(tmp_path / "env"))
    config, rest = parse_args([])
    assert config.data_dir == tmp_path / "env"
    assert config.kdf_target == DEFAULT_TARGET_SECONDS
    config, rest = parse_args(["--data-dir", str(tmp_path / "opt"), "-platform", "offscreen"])
    assert config.data_dir == tmp_path / "opt"
    assert rest == ["-platform", "offscreen"]


def test_stylesheet_is_there():
    assert STYLESHEET.is_file()
    assert "#pageTitle" in load_stylesheet()
    assert load_stylesheet(STYLESHEET.with_name("missing.qss")) == ""


def test_version_without_starting_qt():
    out = subprocess.run([sys.executable, "-m", "ui", "--version"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and "blocktrack-vault" in out.stdout


def test_vault_core_never_imports_qt():
    code = ("import sys, vault, vault.identity, vault.cli; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; "
            "sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_unlock_window_comes_up_without_the_heavy_imports(tmp_path):
    """Cold start budget: eth-account (~0.6 s) is loaded only after the first paint."""
    code = f"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from vault.store import VaultStore
from ui.app import create_application, parse_args
config, rest = parse_args(["--data-dir", {str(tmp_path / 'v')!r}])
app = create_application(rest)
from ui.main_window import MainWindow
window = MainWindow(config)
window.show()
app.processEvents()
sys.exit(1 if "eth_account" in sys.modules else 0)
"""
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_errors_read_as_sentences():
    from ui.errors import describe
    from vault.errors import WrongPassphrase
    assert describe(WrongPassphrase()).startswith("Wrong passphrase")
    message = describe(PermissionError(13, "Permission denied", "/x/vault.header"))
    assert "Permission denied" in message and "/x/vault.header" in message
    assert "ValueError" in describe(ValueError("secret stuff"))
    assert "secret stuff" not in describe(ValueError("secret stuff"))


def test_ctrl_q_quits_like_the_close_button(qtbot, existing_vault, make_window, config, ui_helpers):
    """Ctrl+Q closes the window through its closeEvent: the open vault is locked on the way
    out. (tests/ui/test_ui_xcb.py types it on a real X server.)"""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    window = make_window(config)
    assert QKeySequence("Ctrl+Q") in window.quit_action.shortcuts()
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(workspace.credentials_page.search, Qt.Key_Q, Qt.ControlModifier)   # typing in a field
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not window.store.is_unlocked


def test_files_the_app_is_opened_with_are_imported_after_unlock(qtbot, existing_vault, make_window, tmp_path,
                                                                 ui_helpers):
    """A file manager's "Open with Blocktrack Vault" (the desktop entry's %F): the files
    are told from Qt's arguments, kept through the unlock screen, imported once unlocked."""
    from dataclasses import replace

    from tests.ui.test_ui_credentials_page import VALID, titles

    config, rest = parse_args(["--data-dir", str(tmp_path / "vault"), "-platform", "offscreen", str(VALID[0]),
                               str(tmp_path / "no-such-file.json")])
    assert config.open_files == (str(VALID[0].resolve()),)
    assert rest == ["-platform", "offscreen", str(tmp_path / "no-such-file.json")]   # Qt's, or not a file

    window = make_window(replace(config, kdf_target=0, connect_chain=False))
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    page = workspace.credentials_page
    qtbot.waitUntil(lambda: len(titles(qtbot, page)) == 1, timeout=20_000)
    window.lock()
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    assert len(titles(qtbot, workspace.credentials_page)) == 1
