"""The Settings page: auto-lock time, passphrase change, key derivation re-tune, backup,
trust list, network and theme."""

import json
import os
import threading

import pytest
from PySide6.QtCore import QItemSelectionModel, QThread, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from ui.onboarding import UnlockPage
from ui.settings import SettingsPage
from ui.settings.change_passphrase import ChangePassphraseDialog
from ui.settings.kdf_dialog import RetuneKdfDialog
from ui.settings.trust import AddIssuerDialog
from ui.shell import theme
from vault import settings as vault_settings
from vault.credentials.trust import TrustList
from vault.store import VaultStore
from vault.store.kdf import KdfParams

SCHOOL = "did:web:school.example"


@pytest.fixture
def window(qtbot, existing_vault, make_window, config, ui_helpers):
    window = make_window(config)
    ui_helpers.unlock_through_ui(qtbot, window)
    return window


def open_settings(qtbot, window) -> SettingsPage:
    window.workspace.show_page("Settings")
    page = window.workspace.settings_page
    assert window.workspace.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    return page


@pytest.fixture
def page(qtbot, window) -> SettingsPage:
    return open_settings(qtbot, window)


@pytest.fixture
def light_again():
    """Theme tests switch the whole application: put it back for the tests after."""
    yield
    theme.theme_controller().set_choice(vault_settings.THEME_LIGHT)


# ---- locking -------------------------------------------------------------------------------

def test_auto_lock_minutes_persist_across_lock_and_unlock(qtbot, window, page, ui_helpers):
    assert page.auto_lock_minutes == 5 and page.auto_lock.isEnabled()
    assert window.idle.timeout == 300
    with qtbot.waitSignal(page.auto_lock_changed, timeout=10_000) as changed:
        page.auto_lock.setCurrentIndex(page.auto_lock.findData(15))
    assert changed.args == [15]
    assert window.idle.timeout == 15 * 60
    assert "15 minutes" in window.statusBar().currentMessage()
    assert "15 minutes without use" in window.state_label.toolTip()

    window.lock()
    assert isinstance(window.page, UnlockPage) and not window.idle.active
    ui_helpers.unlock_through_ui(qtbot, window)
    assert window.idle.timeout == 15 * 60
    page = open_settings(qtbot, window)
    assert page.auto_lock_minutes == 15

    with qtbot.waitSignal(page.auto_lock_changed, timeout=10_000):
        page.auto_lock.setCurrentIndex(page.auto_lock.findData(vault_settings.NEVER))
    assert not window.idle.active
    assert page.auto_lock.currentText() == "Never"


def test_screen_lock_note_says_what_this_system_does(page, window):
    note = page.screen_lock_note.text()
    if window.screen_lock.available:
        assert "locks when the screen locks" in note
    else:
        assert "does not tell the app when the screen locks" in note


# ---- passphrase and key derivation --------------------------------------------------------

def test_shows_encryption(page):
    assert "Argon2id: 64 MiB of memory, 3 passes, 4 lanes" in page.encryption.text()


def test_change_passphrase(qtbot, window, page, ui_helpers):
    h = ui_helpers
    h.click(qtbot, page.change_button)
    dialog = page.dialog
    assert isinstance(dialog, ChangePassphraseDialog)
    new = "a brand new passphrase for the vault"
    h.type_text(qtbot, dialog.current, "not the current one")
    h.type_text(qtbot, dialog.form.passphrase, new)
    h.type_text(qtbot, dialog.form.confirm, new)
    h.click(qtbot, dialog.change_button)
    qtbot.waitUntil(lambda: not dialog.busy.running, timeout=10_000)
    assert "current passphrase is wrong" in dialog.error.text()
    assert dialog.isVisible()

    h.type_text(qtbot, dialog.current, h.PASSPHRASE)
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        h.click(qtbot, dialog.change_button)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert "Passphrase changed" in window.statusBar().currentMessage()

    window.lock()
    assert not window.store.check_passphrase(h.PASSPHRASE)
    h.unlock_through_ui(qtbot, window, new)


def test_kdf_retune_runs_off_the_gui_thread_and_updates_the_parameters(qtbot, window, page, ui_helpers,
                                                                       monkeypatch):
    import vault.store.vault_store as vault_store_module
    gui_thread = QThread.currentThread()
    seen = {}
    release = threading.Event()

    def fake_tune(target):
        # The real tune() measures this machine for ~2 s; this one records where it ran.
        seen["thread"], seen["target"] = QThread.currentThread(), target
        release.wait(10)
        return KdfParams(iterations=5, salt=os.urandom(16))
    monkeypatch.setattr(vault_store_module, "tune", fake_tune)

    ui_helpers.click(qtbot, page.retune_button)
    dialog = page.dialog
    assert isinstance(dialog, RetuneKdfDialog)
    assert not dialog.retune_button.isEnabled()
    dialog.target.setCurrentIndex(2)   # "about 1.5 s"
    ui_helpers.type_text(qtbot, dialog.passphrase, ui_helpers.PASSPHRASE)
    ui_helpers.click(qtbot, dialog.retune_button)
    assert dialog.busy.running
    qtbot.waitUntil(lambda: "thread" in seen, timeout=10_000)
    # The window keeps running while the KDF work goes on.
    ticks = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: bool(ticks), timeout=2_000)
    assert dialog.busy.running
    release.set()
    with qtbot.waitSignal(dialog.retuned, timeout=10_000) as retuned:
        pass
    assert seen["thread"] is not gui_thread and seen["target"] == 1.5
    assert retuned.args[0].iterations == 5
    qtbot.waitUntil(lambda: page.dialog is None)
    assert "Argon2id: 64 MiB of memory, 5 passes, 4 lanes" in page.encryption.text()
    assert window.store.header.kdf.iterations == 5
    assert "re-tuned" in window.statusBar().currentMessage()
    # Same passphrase as before.
    window.lock()
    ui_helpers.unlock_through_ui(qtbot, window)


def test_kdf_retune_refuses_a_wrong_passphrase(qtbot, window, page, ui_helpers):
    before = window.store.header
    ui_helpers.click(qtbot, page.retune_button)
    dialog = page.dialog
    ui_helpers.type_text(qtbot, dialog.passphrase, "not my passphrase")
    ui_helpers.click(qtbot, dialog.retune_button)
    qtbot.waitUntil(lambda: not dialog.busy.running, timeout=10_000)
    assert dialog.error.kind == "error" and "Wrong passphrase" in dialog.error.text()
    assert dialog.isVisible() and window.store.header == before
    ui_helpers.click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: page.dialog is None)


# ---- backup -----------------------------------------------------------------------------------

def test_backup_now_writes_a_file_that_restores(qtbot, window, page, tmp_path, monkeypatch, ui_helpers):
    target = tmp_path / "out" / "my.btvbackup"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    ui_helpers.click(qtbot, page.backup_button)
    assert page.backup_busy.running
    qtbot.waitUntil(lambda: not page.backup_busy.running, timeout=10_000)
    assert target.exists()
    assert "Backup written" in window.statusBar().currentMessage()
    restored = VaultStore.restore_backup(target, tmp_path / "restored", ui_helpers.PASSPHRASE)
    restored.lock()


def test_backup_failure_is_shown(qtbot, page, tmp_path):
    page.backup_to(tmp_path / "no" / "such" / "folder" / "x.btvbackup")
    qtbot.waitUntil(lambda: not page.backup_busy.running, timeout=10_000)
    assert page.error.kind == "error"
    assert page.backup_button.isEnabled()


# ---- trust list ---------------------------------------------------------------------------------

def test_trust_list_add_and_remove(qtbot, window, page, ui_helpers):
    h = ui_helpers
    assert page.trust_model.rowCount() == 0 and page.trust_empty.isVisible()
    assert not page.remove_issuer_button.isEnabled()
    h.click(qtbot, page.add_issuer_button)
    dialog = page.dialog
    assert isinstance(dialog, AddIssuerDialog)
    assert not dialog.add_button.isEnabled()
    h.type_text(qtbot, dialog.did, "did:web")   # not a DID: the core says why
    h.click(qtbot, dialog.add_button)
    qtbot.waitUntil(lambda: dialog.error.kind == "error", timeout=10_000)
    assert "is not a DID" in dialog.error.text()
    h.type_text(qtbot, dialog.did, SCHOOL)
    h.type_text(qtbot, dialog.name, "Riverside Community College")
    h.click(qtbot, dialog.add_button)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=10_000)
    assert [e["did"] for e in page.trust_model.entries] == [SCHOOL]
    assert page.trust_model.index(0, 0).data() == "Riverside Community College"
    assert TrustList(window.store).contains(SCHOOL)
    assert page.selected_issuer() == SCHOOL and not page.trust_empty.isVisible()

    h.click(qtbot, page.remove_issuer_button)
    qtbot.waitUntil(lambda: page.trust_model.rowCount() == 0, timeout=10_000)
    assert not TrustList(window.store).contains(SCHOOL)
    assert "removed" in window.statusBar().currentMessage()


def test_trust_list_shows_what_the_credentials_page_added(qtbot, window, ui_helpers):
    TrustList(window.store).add(SCHOOL, "Known school")
    window.lock()
    ui_helpers.unlock_through_ui(qtbot, window)
    page = open_settings(qtbot, window)
    assert page.trust_model.entries[0]["name"] == "Known school"
    page.trust_table.selectionModel().select(page.trust_model.index(0, 0),
                                             QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
    assert page.remove_issuer_button.isEnabled()


# ---- network -------------------------------------------------------------------------------------

def _manifest(tmp_path):
    from vault.chain.contracts import SUITE
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({
        "format": "blocktrack-manifest/1", "name": "local", "chain_id": 31337, "deployment_block": 1,
        "contracts": {name: "0x" + f"{i + 1:040x}" for i, name in enumerate(SUITE)}}))
    return path


def test_network_choice_is_kept_and_shown(qtbot, window, page, config, tmp_path, ui_helpers, monkeypatch):
    pytest.importorskip("vault.chain.networks")
    h = ui_helpers
    assert page.embedded_radio.isChecked() and not page.rpc_form.isEnabled()
    assert not page.save_network_button.isEnabled()   # nothing changed yet
    h.click(qtbot, page.rpc_radio)
    assert page.rpc_form.isEnabled() and not page.save_network_button.isEnabled()
    h.type_text(qtbot, page.rpc_url, "localhost:8545")
    manifest = _manifest(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(manifest), ""))
    h.click(qtbot, page.manifest_button)
    assert page.manifest_path.text() == str(manifest)
    h.click(qtbot, page.save_network_button)
    qtbot.waitUntil(lambda: page.network_message.kind == "error", timeout=10_000)
    assert "http" in page.network_message.text()
    assert vault_settings.network_choice(config.data_dir).kind == "embedded"

    h.type_text(qtbot, page.rpc_url, "http://127.0.0.1:8545")
    with qtbot.waitSignal(page.network_changed, timeout=10_000):
        h.click(qtbot, page.save_network_button)
    assert page.network_message.kind == "success"
    profile = vault_settings.network_choice(config.data_dir)
    assert (profile.kind, profile.url, profile.manifest) == ("rpc", "http://127.0.0.1:8545", str(manifest))
    qtbot.waitUntil(lambda: window.network_label.text() == "Network: RPC 127.0.0.1:8545",
                    timeout=5_000)
    assert "test" not in window.network_label.toolTip()     # no local-chain words on a shared network
    assert window.block_label.text() == "Block: – (not connected)"
    assert not page.save_network_button.isEnabled()

    # Shown again after a lock, and back to embedded.
    window.lock()
    h.unlock_through_ui(qtbot, window)
    page = open_settings(qtbot, window)
    assert page.rpc_radio.isChecked() and page.rpc_url.text() == "http://127.0.0.1:8545"
    h.click(qtbot, page.embedded_radio)
    with qtbot.waitSignal(page.network_changed, timeout=10_000):
        h.click(qtbot, page.save_network_button)
    assert vault_settings.network_choice(config.data_dir).kind == "embedded"
    qtbot.waitUntil(lambda: window.network_label.text() == "Local test chain: these BTK exist only on this "
                                                           "computer", timeout=5_000)


# ---- theme ---------------------------------------------------------------------------------------

def test_theme_switch_applies_a_different_stylesheet_and_persists(qtbot, window, page, config, ui_helpers,
                                                                   make_window, light_again):
    app = QApplication.instance()
    assert page.theme_buttons["system"].isChecked()   # the default
    light = app.styleSheet()
    light_window = app.palette().window().color().name()
    with qtbot.waitSignal(page.theme_changed, timeout=10_000):
        ui_helpers.click(qtbot, page.theme_buttons["dark"])
    dark = app.styleSheet()
    assert dark != light and dark == theme.stylesheet("dark") and "#14181f" in dark
    assert app.palette().window().color().name() != light_window
    assert vault_settings.load_preferences(config.data_dir).theme == "dark"

    # Persisted beside the vault: a new window shows it before anything is unlocked.
    theme.theme_controller().set_choice("light")
    assert app.styleSheet() == light
    window.close()
    again = make_window(config)
    assert isinstance(again.page, UnlockPage)
    assert app.styleSheet() == dark
    ui_helpers.unlock_through_ui(qtbot, again)
    page = open_settings(qtbot, again)
    assert page.theme_buttons["dark"].isChecked()
    with qtbot.waitSignal(page.theme_changed, timeout=10_000):
        ui_helpers.click(qtbot, page.theme_buttons["light"])
    assert app.styleSheet() == light


def test_follow_system_tracks_the_system_scheme(monkeypatch, light_again):
    controller = theme.theme_controller()
    controller.set_choice("system")
    monkeypatch.setattr(theme, "system_scheme", lambda: "dark")
    controller._on_system_changed(None)
    assert controller.scheme == "dark" and QApplication.instance().styleSheet() == theme.stylesheet("dark")
    controller.set_choice("light")
    controller._on_system_changed(None)   # an explicit choice ignores the system
    assert controller.scheme == "light"


def test_explorers_are_typed_checked_and_kept(qtbot, window, page, config, ui_helpers):
    """A bad explorer URL is refused in words with the typed text kept; a good one is kept
    beside the vault (the CLI and every verification read it) and shown after a reopen."""
    section = page.explorers
    bitcoin = section.fields["Bitcoin"]
    assert bitcoin.text() == "" and bitcoin.placeholderText().startswith("https://blockstream.info")
    qtbot.keyClicks(bitcoin, "ftp://esplora.example/api")
    ui_helpers.click(qtbot, section.save_button)
    qtbot.waitUntil(lambda: section.save_button.isEnabled(), timeout=10_000)
    assert "https:// URL" in section.message.text() and bitcoin.text() == "ftp://esplora.example/api"
    assert "Bitcoin" not in dict(vault_settings.load_preferences(config.data_dir).explorers)
    bitcoin.clear()
    qtbot.keyClicks(bitcoin, "https://esplora.example/api")
    with qtbot.waitSignal(section.changed, timeout=10_000):
        ui_helpers.click(qtbot, section.save_button)
    assert vault_settings.status_explorers(config.data_dir)["Bitcoin"] == "https://esplora.example/api"
    bitcoin.clear()
    section.show_saved()
    assert bitcoin.text() == "https://esplora.example/api"
