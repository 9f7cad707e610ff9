"""A template registered in the core (vault/chain/templates) is a choice of the "New
proposal" dialog with a form of its fields, checked by the core, confirmed in words."""

from tests.ui.test_ui_governance import confirm, dialog_texts, open_page, refreshed

ALICE = "0x00000000000000000000000000000000000A11cE"


def test_issuer_role_from_the_registered_template(chain_window, qtbot, ui_helpers):
    page = open_page(chain_window, qtbot)
    ui_helpers.click(qtbot, page.delegate_button)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: not page.delegate_banner.isVisible())

    ui_helpers.click(qtbot, page.new_button)
    dialog = page.dialog
    ui_helpers.click(qtbot, dialog.template_buttons["more"])
    more = dialog.more
    assert more.isVisible() and more.key == "issuer-grant"
    assert "anchor soulbound credentials" in more.words.text()
    account = more.edits["issuer-grant"]["account"]
    ui_helpers.type_text(qtbot, dialog.title, "Make Alice an issuer")
    ui_helpers.type_text(qtbot, account, "0x1234")
    ui_helpers.click(qtbot, dialog.continue_button)
    qtbot.waitUntil(lambda: dialog.error.kind == "error", timeout=20_000)
    assert "40 hexadecimal" in dialog.error.text() and dialog.isVisible()

    ui_helpers.type_text(qtbot, account, ALICE)
    before = page.write_flow
    ui_helpers.click(qtbot, dialog.continue_button)
    qtbot.waitUntil(lambda: page.write_flow is not before, timeout=20_000)
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage == "confirm", timeout=20_000)
    assert f"Grant the credential issuer role to {ALICE}" in dialog_texts(flow.dialog)
    confirm(page, qtbot, ui_helpers, flow)
    refreshed(page, qtbot, lambda: page.model.rowCount() == 1 and page.panel.isVisible())
    assert page.panel.actions.text() == f"• Grant the credential issuer role to {ALICE}"
