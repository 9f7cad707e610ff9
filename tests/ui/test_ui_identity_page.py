"""The Identity page on an unlocked vault: list, create, rename, default, document, copy,
recovery phrase."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from ui.identity.dialogs import DidDocumentDialog, NewDidDialog, RecoveryPhraseDialog
from ui.identity.models import DidTableModel


@pytest.fixture
def page(qtbot, existing_vault, make_window, config, ui_helpers):
    window = make_window(config)
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    workspace.show_page("Identity")
    page = workspace.identity_page
    assert workspace.pages.currentWidget() is page
    page.window_ = window
    return page


def test_lists_default_did_and_account(page):
    records = page.did_model.records
    assert [r.method for r in records] == ["key", "pkh"]
    assert records[0].is_default
    assert page.did_model.index(0, DidTableModel.DEFAULT).data() == "★"
    assert page.selected_did() == records[0].did
    address = page.account_model.accounts[0].address
    assert records[1].did == f"did:pkh:eip155:1:{address}"
    assert page.account_model.index(0, 1).data() == address
    assert not page.default_button.isEnabled()  # already the default


def test_create_did_jwk_is_listed_and_fits(qtbot, page, ui_helpers):
    window = page.window_
    width = window.width()
    ui_helpers.click(qtbot, page.new_did_button)
    dialog = page.dialog
    assert isinstance(dialog, NewDidDialog) and dialog.isVisible()
    ui_helpers.click(qtbot, dialog.method_buttons["jwk"])
    qtbot.keyClicks(dialog.name, "Job applications")
    ui_helpers.click(qtbot, dialog.create_button)
    qtbot.waitUntil(lambda: page.dialog is None)

    jwk = [r for r in page.did_model.records if r.method == "jwk"]
    assert len(jwk) == 1 and jwk[0].did.startswith("did:jwk:") and len(jwk[0].did) > 100
    assert jwk[0].name == "Job applications"
    assert page.selected_did() == jwk[0].did
    assert jwk[0].did in [r.did for r in page.identity.dids()]
    # ~150 characters without a space: elided in its column, the window does not grow.
    assert window.width() == width
    assert page.did_table.horizontalScrollBar().maximum() == 0
    assert page.did_model.index(page.did_model.row_of(jwk[0].did), DidTableModel.DID).data(
        Qt.ToolTipRole) == jwk[0].did


def test_create_did_pkh_adds_an_account(qtbot, page, ui_helpers):
    ui_helpers.click(qtbot, page.new_did_button)
    ui_helpers.click(qtbot, page.dialog.method_buttons["pkh"])
    ui_helpers.click(qtbot, page.dialog.create_button)
    assert len(page.account_model.accounts) == 2
    assert page.account_model.accounts[1].key_path.endswith("/1")


def test_rename_in_place_and_make_default(qtbot, page, ui_helpers):
    pkh = page.did_model.records[1].did
    page.select_did(pkh)
    assert page.default_button.isEnabled()
    ui_helpers.click(qtbot, page.rename_button)
    editor = page.did_table.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, "Soulbound holder")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: page.identity.get_did(pkh).name == "Soulbound holder")
    # A did:pkh names its account too.
    assert page.account_model.accounts[0].name == "Soulbound holder"

    ui_helpers.click(qtbot, page.default_button)
    assert page.identity.default_did().did == pkh
    assert page.selected_did() == pkh
    assert page.did_model.index(1, DidTableModel.DEFAULT).data() == "★"
    assert page.did_model.index(0, DidTableModel.DEFAULT).data() == ""
    assert not page.default_button.isEnabled()


def test_show_document(qtbot, page, ui_helpers):
    did = page.selected_did()
    ui_helpers.click(qtbot, page.document_button)
    dialog = page.dialog
    assert isinstance(dialog, DidDocumentDialog)
    document = json.loads(dialog.json_view.toPlainText())
    assert document["id"] == did
    assert document == page.identity.resolve(did)
    ui_helpers.click(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: page.dialog is None)


def test_copy_did_and_address(qtbot, page, ui_helpers):
    clipboard = QGuiApplication.clipboard()
    ui_helpers.click(qtbot, page.copy_did_button)
    assert clipboard.text() == page.selected_did()
    ui_helpers.click(qtbot, page.copy_address_button)
    assert clipboard.text() == page.account_model.accounts[0].address
    assert "copied" in page.window_.statusBar().currentMessage()


def test_recovery_phrase_needs_the_passphrase(qtbot, page, existing_vault, ui_helpers):
    ui_helpers.click(qtbot, page.phrase_button)
    dialog = page.dialog
    assert isinstance(dialog, RecoveryPhraseDialog) and not dialog.revealed

    ui_helpers.type_text(qtbot, dialog.passphrase, "guess guess guess")
    qtbot.keyClick(dialog.passphrase, Qt.Key_Return)
    assert dialog.busy.running
    qtbot.waitUntil(lambda: not dialog.busy.running)
    assert not dialog.revealed
    assert dialog.error.kind == "error" and "Wrong passphrase" in dialog.error.text()
    assert dialog.passphrase.selectedText() == "guess guess guess"

    ui_helpers.type_text(qtbot, dialog.passphrase, ui_helpers.PASSPHRASE)
    ui_helpers.click(qtbot, dialog.show_button)
    qtbot.waitUntil(lambda: dialog.revealed)
    assert [label.text() for label in dialog.grid.word_labels] == existing_vault.split()
    assert dialog.passphrase.text() == ""
    ui_helpers.click(qtbot, dialog.done_button)
    qtbot.waitUntil(lambda: page.dialog is None)


def test_core_errors_are_shown_not_raised(qtbot, page, ui_helpers):
    # The store is locked behind the page's back (as an idle lock or a bug might).
    page.identity.store.lock()
    ui_helpers.click(qtbot, page.new_did_button)
    ui_helpers.click(qtbot, page.dialog.create_button)
    assert page.error.kind == "error" and "locked" in page.error.text()
    page.select_did(page.did_model.records[1].did)
    ui_helpers.click(qtbot, page.default_button)
    assert page.error.kind == "error" and "locked" in page.error.text()
