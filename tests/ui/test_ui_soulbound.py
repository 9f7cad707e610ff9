"""Soulbound credentials through the real widgets on the embedded chain: an issuer account
anchors a credential from its detail view, the card and an employer's verification say
"anchored on chain", the issuer revokes it, and both say revoked."""

import json

from tests.chain.conftest import USER_ADDRESS
from tests.ui.conftest import govern
from tests.ui.test_ui_enter_is_safe import enter_at_confirm_sends_nothing
from tools.screenshots.samples import SampleIssuer as _SampleIssuer
from ui.credentials.soulbound import ANCHORED_LOOK, REVOKED_LOOK
from vault.anchoring import verify as anchoring
from vault.presentations.request import PresentationRequest
from vault.qr import render
from vault.qr.parts import encode_parts


def grant_issuer_role(service, account):  # chain thread
    from vault.chain.governance import Governance
    sbt = service.chain.contracts.soulbound
    calldata = sbt.encode_abi("grantRole", [sbt.functions.ISSUER_ROLE().call(), account])
    call = Governance(service.chain).call_raw(sbt.address, bytes.fromhex(calldata[2:]))
    govern(service, [call], "Make the vault's account a credential issuer", USER_ADDRESS)


def holders_badge(workspace) -> str:
    """A credential of the vault's own DID, stored in it; returns its id."""
    issuer = _SampleIssuer(21, "Riverside Community College")
    document = json.loads(issuer.badge("Data Analysis with Python", "Pandas and plots.",
                                       valid_from="2025-09-20T00:00:00Z"))
    document.pop("proof")
    document["credentialSubject"]["id"] = workspace.identity.default_did().did
    service = workspace.credentials_page.service
    service.trust.add(issuer.did, issuer.name)
    return service.import_bytes(issuer.sign(document)).summary.id


def verify_as_employer(workspace, qtbot, cid, folder):
    """Present ``cid`` as QR images and verify them on the Verify page; returns the verdict."""
    verify = workspace.verify_page
    present = workspace.present_page
    verify.domain.setText("hr.acme.example")
    request = PresentationRequest(verify.challenge.text(), verify.domain.text())
    presentation = present.service.present([cid], {}, request.challenge, request.domain)
    paths = []
    for n, text in enumerate(encode_parts(presentation.data, kind=presentation.kind)):
        paths.append(folder / f"part-{n}.png")
        paths[-1].write_bytes(render.png(text))
    before = verify.verdict
    verify.verify_paths([str(p) for p in paths])
    qtbot.waitUntil(lambda: verify.verdict is not before and not verify.working, timeout=20_000)
    return verify.verdict


def confirm(qtbot, ui_helpers, flow):
    qtbot.waitUntil(lambda: flow.dialog.stage == "confirm", timeout=20_000)
    with qtbot.waitSignal(flow.succeeded, timeout=20_000):
        ui_helpers.click(qtbot, flow.dialog.confirm_button)
    flow.dialog.accept()


def test_anchor_verify_anchored_then_revoke(chain_window, qtbot, ui_helpers, tmp_path):
    workspace = chain_window
    session = workspace.chain_session
    page = workspace.credentials_page
    tracker = page.soulbound
    cid = holders_badge(workspace)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)

    # Not an issuer yet: the detail can only check.
    page.open_credential(cid)
    panel = page.soulbound_panel
    qtbot.waitUntil(lambda: cid in tracker.checked and panel.cid == cid, timeout=20_000)
    assert panel.state_label.text() == "Not anchored on this network."
    assert not panel.anchor_button.isVisible() and not panel.revoke_button.isVisible()

    job = session.run_service(grant_issuer_role, USER_ADDRESS)   # governance: the only way to the role
    failures = []
    job.failed.connect(failures.append)
    with qtbot.waitSignal(job.done, timeout=60_000):
        pass
    assert failures == []
    session.changed.emit()
    qtbot.waitUntil(lambda: tracker.issuers == [USER_ADDRESS], timeout=20_000)
    assert panel.anchor_button.isVisible()

    # Anchor to the holder (the vault's own account), through the dialog and the write flow.
    ui_helpers.click(qtbot, panel.anchor_button)
    dialog = panel.dialog
    ui_helpers.type_text(qtbot, dialog.holder_field, USER_ADDRESS.lower()[:-1] + "Z")
    ui_helpers.click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.error.kind == "error"        # not an address: said, kept open
    ui_helpers.type_text(qtbot, dialog.holder_field, f"did:pkh:eip155:{session.chain.chain_id}:{USER_ADDRESS}")
    ui_helpers.click(qtbot, dialog.ok_button)
    confirm(qtbot, ui_helpers, panel.write_flow)
    qtbot.waitUntil(lambda: tracker.states.get(cid) is not None, timeout=20_000)
    assert panel.state_label.text().startswith("Anchored on chain, not revoked: token #")
    # Anchored by the issuer's account, not the DAO: not called the DAO's, the chain known.
    assert tracker.dao == session.chain.contracts.timelock.address and "DAO" not in panel.state_label.text()
    assert panel.revoke_button.isVisible() and not panel.anchor_button.isVisible()
    original = page.service.repository.original(cid)
    assert anchoring.anchor_status(session.chain, original) == "anchored"
    index = page.proxy.index(0, 0)
    assert page.delegate.anchor_for(index) == ANCHORED_LOOK   # the card's chip

    # An employer verifying a presentation of it sees the anchor.
    verdict = verify_as_employer(workspace, qtbot, cid, tmp_path)
    assert verdict.valid and verdict.credentials[0].anchor == anchoring.anchor_sentence("anchored")
    assert "⛓ Soulbound: anchored on chain, not revoked." in workspace.verify_page.verdict_view.details.toPlainText()

    # The issuer revokes it: the detail, the card and the employer all say so.
    workspace.show_page("Credentials")
    ui_helpers.click(qtbot, panel.revoke_button)
    enter_at_confirm_sends_nothing(qtbot, session, panel.write_flow)   # Enter does not revoke it
    assert not tracker.states[cid].revoked
    ui_helpers.click(qtbot, panel.revoke_button)
    confirm(qtbot, ui_helpers, panel.write_flow)
    qtbot.waitUntil(lambda: tracker.states[cid].revoked, timeout=20_000)
    assert panel.state_label.text().startswith("Revoked on chain by its issuer")
    assert not panel.revoke_button.isVisible()
    assert page.delegate.anchor_for(page.proxy.index(0, 0)) == REVOKED_LOOK
    verdict = verify_as_employer(workspace, qtbot, cid, tmp_path)
    assert not verdict.valid
    assert "revoked this credential on chain" in verdict.credentials[0].message


def test_cards_show_what_the_chain_said_last_time_before_it_is_asked(chain_window, qtbot, ui_helpers):
    """After a lock, the next unlock shows the kept anchor states with no chain connected."""
    from vault.anchoring import store as anchors
    from vault.chain.embedded import EMBEDDED_CHAIN_ID
    cid = holders_badge(chain_window)
    store = chain_window.credentials_page.service.store
    chash = anchors.chain_hash(store, cid)
    anchors.record_tokens(store, EMBEDDED_CHAIN_ID, [
        {"credential_hash": chash, "token_id": 7, "holder": USER_ADDRESS, "issuer": USER_ADDRESS,
         "revoked": True, "issued_at": None, "revoked_at": "2026-11-20T10:00:00+00:00"}])
    window = chain_window.window()
    window.lock()
    workspace = ui_helpers.unlock_through_ui(qtbot, window)   # the chain is not started (tests)
    page = workspace.credentials_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and bool(page.soulbound.states), timeout=10_000)
    assert workspace.chain_session.state == "idle"
    assert page.delegate.anchor_for(page.proxy.index(0, 0)) == REVOKED_LOOK
    page.open_credential(cid)
    qtbot.waitUntil(lambda: page.soulbound_panel.cid == cid)
    assert page.soulbound_panel.state_label.text().startswith("Revoked on chain by its issuer")
    assert "20 Nov 2026" in page.soulbound_panel.state_label.text()
    assert anchors.states(store, 1) == {}   # another network knows nothing of it
