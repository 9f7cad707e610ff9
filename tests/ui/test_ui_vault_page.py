"""The Vault page: encrypted backup to a file, passphrase change."""

import pytest
from PySide6.QtWidgets import QFileDialog

from ui.onboarding import UnlockPage
from ui.vault_page.change_passphrase import ChangePassphraseDialog
from vault.store import VaultStore


@pytest.fixture
def vault_page(qtbot, existing_vault, make_window, config, ui_helpers):
    window = make_window(config)
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    workspace.show_page("Vault")
    page = workspace.vault_page
    assert workspace.pages.currentWidget() is page
    page.window_ = window
    return page


def test_shows_folder_and_encryption(vault_page, config):
    assert "Argon2id: 64 MiB of memory, 3 passes, 4 lanes" in vault_page.encryption.text()


def test_backup_to_file(qtbot, vault_page, tmp_path, monkeypatch, ui_helpers):
    target = tmp_path / "out" / "my.btvbackup"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    ui_helpers.click(qtbot, vault_page.backup_button)
    assert vault_page.backup_busy.running
    qtbot.waitUntil(lambda: not vault_page.backup_busy.running)
    assert target.exists()
    assert "Backup written" in vault_page.window_.statusBar().currentMessage()
    # It restores, with the same passphrase.
    restored = VaultStore.restore_backup(target, tmp_path / "restored", ui_helpers.PASSPHRASE)
    restored.lock()


def test_backup_failure_is_shown(qtbot, vault_page, tmp_path):
    vault_page.backup_to(tmp_path / "no" / "such" / "folder" / "x.btvbackup")
    qtbot.waitUntil(lambda: not vault_page.backup_busy.running)
    assert vault_page.error.kind == "error"


def test_change_passphrase(qtbot, vault_page, ui_helpers):
    h = ui_helpers
    window = vault_page.window_
    h.click(qtbot, vault_page.change_button)
    dialog = vault_page.dialog
    assert isinstance(dialog, ChangePassphraseDialog)
    new = "a brand new passphrase for the vault"
    h.type_text(qtbot, dialog.current, "not the current one")
    h.type_text(qtbot, dialog.form.passphrase, new)
    h.type_text(qtbot, dialog.form.confirm, new)
    h.click(qtbot, dialog.change_button)
    qtbot.waitUntil(lambda: not dialog.busy.running)
    assert "current passphrase is wrong" in dialog.error.text()
    assert dialog.isVisible()

    h.type_text(qtbot, dialog.current, h.PASSPHRASE)
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        h.click(qtbot, dialog.change_button)
    qtbot.waitUntil(lambda: vault_page.dialog is None)
    assert "Passphrase changed" in window.statusBar().currentMessage()

    window.lock()
    assert isinstance(window.page, UnlockPage)
    h.unlock_through_ui(qtbot, window, new)
