"""An issuer declares, from the credential's soulbound panel, the type of a token it
anchored on the talent market, through the real widgets on the embedded chain: the row
says the type is not declared, the dialog offers the credential's own type, the core's
plan is confirmed and mined, and a bid gated on that type from this issuer is then met.
A second declaration forced on a token that has its type is refused before signing."""

from tests.chain.conftest import USER_ADDRESS
from tests.ui.conftest import govern
from tests.ui.test_ui_rewards import run_on_chain
from tests.ui.test_ui_soulbound import confirm, holders_badge

BADGE = "OpenBadgeCredential"


def make_issuer(service, account):  # chain thread
    from vault.chain import templates
    from vault.chain.governance import Governance

    gov = Governance(service.chain)
    govern(service, [templates.make_call(gov, "issuer-grant", {"account": account})], "Riverside anchors", account)


def test_issuer_declares_the_anchored_credentials_type_for_the_talent_market(chain_window, qtbot, ui_helpers):
    from vault.chain.talent import TalentMarket, credential_type_hash, gates

    workspace = chain_window
    session, page = workspace.chain_session, workspace.credentials_page
    cid = holders_badge(workspace)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    run_on_chain(qtbot, session, make_issuer, USER_ADDRESS)
    session.changed.emit()
    tracker = page.soulbound
    qtbot.waitUntil(lambda: tracker.issuers == [USER_ADDRESS], timeout=20_000)

    # Anchored to the vault's own account (no learn-to-earn declaration: another contract).
    page.open_credential(cid)
    panel = page.soulbound_panel
    row = panel.talent_type
    qtbot.waitUntil(lambda: panel.cid == cid and cid in tracker.checked and panel.anchor_button.isVisible(),
                    timeout=20_000)
    assert not row.isVisible()          # nothing anchored yet: nothing to declare
    ui_helpers.click(qtbot, panel.anchor_button)
    panel.dialog.reward.setChecked(False)
    ui_helpers.type_text(qtbot, panel.dialog.holder_field, USER_ADDRESS)
    ui_helpers.click(qtbot, panel.dialog.ok_button)
    confirm(qtbot, ui_helpers, panel.write_flow)

    # The row says its type is not declared; the dialog offers the credential's own type.
    qtbot.waitUntil(lambda: row.isVisible() and row.declare_button.isVisible(), timeout=20_000)
    assert "not declared yet" in row.label.text()
    token_id = tracker.states[cid].token_id
    ui_helpers.click(qtbot, row.declare_button)
    dialog = row.dialog
    assert dialog.type_box.currentText() == BADGE and dialog.type_name() == BADGE
    ui_helpers.click(qtbot, dialog.ok_button)
    flow = row.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage in ("confirm", "result"), timeout=20_000)
    assert flow.dialog.stage == "confirm", flow.dialog.result.text()
    assert [r.kind for r in flow.requests] == ["talent-declare-type"]
    assert flow.requests[0].sender == USER_ADDRESS
    confirm(qtbot, ui_helpers, flow)
    qtbot.waitUntil(lambda: row.info is not None and bool(row.info["declared"]), timeout=20_000)
    assert row.label.text().startswith(f"Talent market: declared as {BADGE};")
    assert not row.declare_button.isVisible()

    def on_chain(s):   # what a bid on an offer gated on this type from this issuer finds
        tm = TalentMarket(s.chain)
        gate = {"issuer": USER_ADDRESS, "credential_type": "0x" + credential_type_hash(BADGE).hex()}
        return tm.declared_type(token_id), gates.qualifying_token(s.chain, tm.m, gate, USER_ADDRESS)
    job = session.run_service(on_chain)
    with qtbot.waitSignal(job.finished, timeout=30_000) as done:
        pass
    declared, (qualifying, _undeclared) = done.args[0]
    assert declared == "0x" + credential_type_hash(BADGE).hex() and qualifying == token_id

    # Forced: a second declaration (the button is hidden) is refused before anything is signed.
    row.declare("BachelorDegree")
    forced = row.write_flow
    qtbot.waitUntil(lambda: forced.dialog.stage == "result", timeout=20_000)
    assert "already has its type" in forced.dialog.result.text()
    assert "Nothing was signed or sent." in forced.dialog.result_details.text()
    forced.dialog.accept()
