"""Start screen, create (passphrase, phrase, confirmation) and restore, through real widgets."""

import zipfile

from PySide6.QtCore import Qt

from ui.main_window import Workspace
from ui.onboarding import (CreateVaultFlow, RestoreBackupPage, RestorePhrasePage, StartPage,
                           UnlockPage)
from vault.identity import Identity
from vault.store import VaultStore


def test_empty_folder_shows_start_screen(window, config):
    assert isinstance(window.page, StartPage)
    assert not VaultStore.exists_in(config.data_dir)
    assert window.state_label.text() == "No vault yet"
    assert not window.lock_action.isEnabled()


def test_create_vault_end_to_end(qtbot, window, config, ui_helpers):
    h = ui_helpers
    h.click(qtbot, window.page.create_button)
    flow = window.page
    assert isinstance(flow, CreateVaultFlow)
    step = flow.passphrase_step
    form = step.form

    # Too short: a hint, and no way to create yet.
    h.type_text(qtbot, form.passphrase, "abc")
    assert form.message.kind == "hint" and "5 more" in form.message.text()
    assert form.meter.label.text() == "Strength: Very weak"
    assert not step.create_button.isEnabled()

    # The meter follows the typing.
    h.type_text(qtbot, form.passphrase, h.PASSPHRASE)
    assert form.meter.label.text() in ("Strength: Strong", "Strength: Very strong")
    assert form.meter.bar.value() >= 4

    # A different repeat is shown inline; a prefix still being typed is not.
    h.type_text(qtbot, form.confirm, "correct")
    assert not form.message.isVisible()
    h.type_text(qtbot, form.confirm, "correct horse battery stable")
    assert form.message.kind == "error" and "do not match" in form.message.text()
    assert not step.create_button.isEnabled()
    h.type_text(qtbot, form.confirm, h.PASSPHRASE)
    assert form.message.kind == "success"
    assert step.words() == 12

    # Argon2id runs off the GUI thread, with a busy indicator.
    h.click(qtbot, step.create_button)
    assert step.busy.running and form.passphrase.isReadOnly()
    qtbot.waitUntil(lambda: flow.phrase_step is not None, timeout=10_000)

    phrase_step = flow.phrase_step
    assert flow.currentWidget() is phrase_step
    assert window.store is flow.identity.store and window.store.is_unlocked
    assert "confirm your recovery phrase" in window.state_label.text()
    words = [label.text() for label in phrase_step.grid.word_labels]
    assert len(words) == 12
    assert " ".join(words) == flow.identity.recovery_phrase()
    assert not phrase_step.continue_button.isEnabled()
    h.click(qtbot, phrase_step.written)
    h.click(qtbot, phrase_step.continue_button)

    confirm = flow.confirm_step
    assert flow.currentWidget() is confirm
    assert not confirm.done_button.isEnabled()
    # A wrong pick is refused and says so.
    wrong = next(b for b in confirm.word_buttons if b.text() != words[0])
    h.click(qtbot, wrong)
    assert confirm.picked == 0 and wrong.isEnabled()
    assert confirm.message.kind == "error" and "is not word 1" in confirm.message.text()
    # Going back to the phrase and returning starts the picking over.
    h.confirm_phrase(qtbot, confirm, words[:3])
    assert confirm.picked == 3
    h.click(qtbot, confirm.back_button)
    assert flow.currentWidget() is phrase_step
    h.click(qtbot, phrase_step.continue_button)
    assert confirm.picked == 0
    h.confirm_phrase(qtbot, confirm, words[:-1])
    assert not confirm.done_button.isEnabled()
    h.confirm_phrase(qtbot, confirm, words[-1:])
    assert confirm.complete and confirm.done_button.isEnabled()
    assert not flow.identity.phrase_confirmed
    h.click(qtbot, confirm.done_button)
    assert flow.identity.phrase_confirmed

    assert isinstance(window.page, Workspace)
    page = window.page.identity_page
    dids = page.did_model.records
    assert len([r for r in dids if r.method == "key"]) == 1
    assert dids[0].did.startswith("did:key:z6Mk") and dids[0].is_default
    assert len(page.account_model.accounts) == 1
    assert page.account_model.accounts[0].address.startswith("0x")
    assert window.state_label.text() == "Unlocked"
    assert str(config.data_dir) in window.folder_label.text()
    assert VaultStore.exists_in(config.data_dir)


def test_create_with_24_words(qtbot, window, ui_helpers):
    words = ui_helpers.create_through_ui(qtbot, window, words=24)
    assert len(words) == 24
    assert window.identity.recovery_phrase() == " ".join(words)


def test_back_from_create_returns_to_start(qtbot, window, ui_helpers):
    ui_helpers.click(qtbot, window.page.create_button)
    ui_helpers.click(qtbot, window.page.passphrase_step.back_button)
    assert isinstance(window.page, StartPage)


def test_create_failure_is_shown_not_raised(qtbot, window, config, ui_helpers):
    h = ui_helpers
    h.click(qtbot, window.page.create_button)
    step = window.page.passphrase_step
    h.type_text(qtbot, step.form.passphrase, h.PASSPHRASE)
    h.type_text(qtbot, step.form.confirm, h.PASSPHRASE)
    # Another process made a vault here in the meantime.
    Identity.create(config.data_dir, "another passphrase", kdf_target=0)[0].store.lock()
    h.click(qtbot, step.create_button)
    qtbot.waitUntil(lambda: not step.busy.running, timeout=10_000)
    assert step.error.kind == "error" and "already exists" in step.error.text()
    assert not step.form.passphrase.isReadOnly()


def test_restore_from_known_phrase(qtbot, window, ui_helpers):
    h = ui_helpers
    h.click(qtbot, window.page.restore_phrase_button)
    page = window.page
    assert isinstance(page, RestorePhrasePage)
    assert not page.restore_button.isEnabled()
    qtbot.keyClicks(page.phrase, h.TEST_PHRASE.upper().replace(" ", "  "))
    assert page.word_count.text() == "12 words"
    h.type_text(qtbot, page.form.passphrase, h.PASSPHRASE)
    h.type_text(qtbot, page.form.confirm, h.PASSPHRASE)
    h.click(qtbot, page.restore_button)
    assert page.busy.running
    qtbot.waitUntil(lambda: isinstance(window.page, Workspace), timeout=10_000)
    accounts = window.page.identity_page.account_model.accounts
    assert [a.address for a in accounts] == [h.TEST_ACCOUNT]
    pkh = [r.did for r in window.page.identity_page.did_model.records if r.method == "pkh"]
    assert pkh == [f"did:pkh:eip155:1:{h.TEST_ACCOUNT}"]


def test_restore_rejects_bad_phrases_inline(qtbot, window, config, ui_helpers):
    h = ui_helpers
    h.click(qtbot, window.page.restore_phrase_button)
    page = window.page
    h.type_text(qtbot, page.form.passphrase, h.PASSPHRASE)
    h.type_text(qtbot, page.form.confirm, h.PASSPHRASE)
    cases = {
        "test test test": "has 3",
        "test test test test test test test test test test test jnuk": "Word 12 ('jnuk')",
        "test test test test test test test test test test test test": "checksum",
    }
    for phrase, expected in cases.items():
        page.phrase.setPlainText(phrase)
        h.click(qtbot, page.restore_button)
        assert page.phrase_error.kind == "error"
        assert expected in page.phrase_error.text()
        assert not page.busy.running
    # Editing the words clears the complaint.
    qtbot.keyClicks(page.phrase, " ")
    assert not page.phrase_error.isVisible()
    assert isinstance(window.page, RestorePhrasePage)
    assert not VaultStore.exists_in(config.data_dir)


def test_restore_from_backup_file(qtbot, make_window, tmp_path, ui_helpers):
    from ui.config import AppConfig
    h = ui_helpers
    identity, _ = Identity.create(tmp_path / "original", h.PASSPHRASE, kdf_target=0)
    did = identity.default_did().did
    backup = identity.store.backup(tmp_path / "vault.btvbackup")
    identity.store.lock()

    window = make_window(AppConfig(tmp_path / "restored", kdf_target=0, connect_chain=False))
    h.click(qtbot, window.page.restore_backup_button)
    page = window.page
    assert isinstance(page, RestoreBackupPage)

    # A file that is not a backup.
    junk = tmp_path / "junk.btvbackup"
    with zipfile.ZipFile(junk, "w") as zf:
        zf.writestr("x", "y")
    h.type_text(qtbot, page.path, str(junk))
    h.type_text(qtbot, page.passphrase, h.PASSPHRASE)
    h.click(qtbot, page.restore_button)
    qtbot.waitUntil(lambda: page.error.isVisible())
    assert "damaged or is not a Blocktrack Vault backup" in page.error.text()

    # The wrong passphrase: said so, and the field keeps its text.
    h.type_text(qtbot, page.path, str(backup))
    h.type_text(qtbot, page.passphrase, "not the passphrase")
    qtbot.keyClick(page.passphrase, Qt.Key_Return)
    qtbot.waitUntil(lambda: not page.busy.running and page.error.isVisible())
    assert "Wrong passphrase" in page.error.text()
    assert page.passphrase.text() == "not the passphrase"

    h.type_text(qtbot, page.passphrase, h.PASSPHRASE)
    h.click(qtbot, page.restore_button)
    qtbot.waitUntil(lambda: isinstance(window.page, Workspace), timeout=10_000)
    assert window.page.identity_page.did_model.records[0].did == did

    # And the restored vault unlocks next time.
    h.click(qtbot, window.page.lock_button)
    assert isinstance(window.page, UnlockPage)
    h.unlock_through_ui(qtbot, window)


def test_closing_before_confirming_locks_the_new_vault(qtbot, window, config, ui_helpers):
    h = ui_helpers
    h.click(qtbot, window.page.create_button)
    flow = window.page
    h.type_text(qtbot, flow.passphrase_step.form.passphrase, h.PASSPHRASE)
    h.type_text(qtbot, flow.passphrase_step.form.confirm, h.PASSPHRASE)
    h.click(qtbot, flow.passphrase_step.create_button)
    qtbot.waitUntil(lambda: flow.phrase_step is not None, timeout=10_000)
    store = flow.identity.store
    window.close()
    assert not store.is_unlocked
    # The vault is there; next time the app asks to unlock it.
    assert VaultStore.exists_in(config.data_dir)
