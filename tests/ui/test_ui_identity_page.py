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


def _grabbed_png(widget) -> bytes:
    from PySide6.QtCore import QBuffer, QIODevice
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    assert widget.grab().save(buffer, "PNG")
    return bytes(buffer.data())


def _shown_qr_dialog(qtbot, page, button):
    from ui.identity.dialogs import QrTextDialog
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, QrTextDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_did_qr_dialog_decodes_to_the_did_and_copies(qtbot, page):
    from vault.qr.scan import read_image
    did = page.selected_did()
    dialog = _shown_qr_dialog(qtbot, page, page.did_qr_button)
    assert dialog.text_label.text() == did
    # What is on screen, the whole dialog as a camera would see it: exactly the plain DID.
    assert read_image(_grabbed_png(dialog)) == [did]
    assert read_image(_grabbed_png(dialog.qr_label)) == [did]
    with qtbot.waitSignal(page.message) as sent:
        qtbot.mouseClick(dialog.copy_button, Qt.LeftButton)
    assert QGuiApplication.clipboard().text() == did
    assert sent.args == ["DID copied to the clipboard."]
    qtbot.keyClick(dialog, Qt.Key_Return)   # Enter: Close, the default button
    qtbot.waitUntil(lambda: page.dialog is None)


def test_address_qr_dialog_decodes_to_the_address(qtbot, page, ui_helpers):
    from vault.qr.scan import read_image
    address = page.selected_account().address
    assert address == ui_helpers.TEST_ACCOUNT or address.startswith("0x")
    dialog = _shown_qr_dialog(qtbot, page, page.address_qr_button)
    assert dialog.text_label.text() == address
    assert read_image(_grabbed_png(dialog)) == [address]   # plain, checksummed: what wallets scan
    qtbot.mouseClick(dialog.copy_button, Qt.LeftButton)
    assert QGuiApplication.clipboard().text() == address
    dialog.close()
    qtbot.waitUntil(lambda: page.dialog is None)


def test_qr_buttons_follow_the_selection(qtbot, page):
    page.did_table.clearSelection()
    page.account_table.clearSelection()
    assert not page.did_qr_button.isEnabled()
    assert not page.address_qr_button.isEnabled()
    page.show_did_qr()
    page.show_address_qr()
    assert page.dialog is None
