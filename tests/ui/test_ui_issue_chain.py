"""The Issue page on the embedded chain: an educator whose account cannot anchor asks for
the issuer role from the page (delegate, then the proposal from the template: no raw
call), the DAO passes it, and the page then issues a credential anchored right away to
the learner's account, the fee in the confirm step (cancelled: issued, delivered, not
anchored; the log's Anchor… tries again); revoking it in the log revokes the
token on chain too. Nothing is issued when anchoring could not follow."""

from __future__ import annotations

from tests.chain.conftest import USER_ADDRESS
from tests.ui.test_ui_soulbound import confirm
from ui.issue import IssuePage
from ui.issue.deliver import DeliverDialog
from vault.anchoring import hashing
from vault.chain import soulbound
from vault.did import did_pkh

LEARNER = "0x00000000000000000000000000000000000A11cE"


def pass_pending_proposal(service):  # chain thread: the DAO (the user's 5M BTK) votes it through
    from vault.chain.governance import Governance, with_gas_margin

    chain, gov = service.chain, Governance(service.chain)

    def send(request):
        return service.send(service.preview(with_gas_margin(chain, request)))

    pid = int(gov.proposals(USER_ADDRESS)[-1]["proposal_id"])
    chain.advance(2)
    send(gov.vote_request(service, USER_ADDRESS, pid, "for"))
    chain.advance(51)
    send(gov.queue_request(service, USER_ADDRESS, pid))
    chain.advance(1, 61)
    send(gov.execute_request(service, USER_ADDRESS, pid))
    return gov.state(pid)


def token_state(service, content: bytes):  # chain thread
    return soulbound.hash_status(service.chain, hashing.credential_hash(content))


def run(qtbot, session, fn, *args):
    job = session.run_service(fn, *args)
    done = []
    job.finished.connect(done.append)
    job.failed.connect(lambda exc: done.append(exc))
    qtbot.waitUntil(lambda: bool(done), timeout=60_000)
    if isinstance(done[0], BaseException):
        raise done[0]
    return done[0]


def test_request_the_role_then_issue_anchored_and_revoke_on_chain(chain_window, qtbot, ui_helpers):
    workspace = chain_window
    session = workspace.chain_session
    workspace.show_page("Issue")
    page = workspace.pages.currentWidget()
    assert isinstance(page, IssuePage)
    profile = page.profiles.create("Riverside Mentors", url="https://riverside.example",
                                   anchor_account=USER_ADDRESS)
    page.profiles.add_achievement(profile.id, "Mentored project")
    page.reload_profiles()

    # Anchoring asked for while the account lacks the role: refused before signing or issuing.
    page.show_tab(page.profiles_tab)
    qtbot.waitUntil(lambda: page.role.status is not None, timeout=20_000)
    assert "does not hold the issuer role" in page.role.state.text()
    page.show_tab(page.form)
    page.form.recipient.edit.setText(LEARNER)
    ui_helpers.click(qtbot, page.form.anchor)
    assert not page.form.holder.isVisible()          # the recipient is an account: the token's holder
    ui_helpers.click(qtbot, page.form.issue_button)
    qtbot.waitUntil(lambda: page.form.issue_button.isEnabled(), timeout=20_000)
    assert "does not hold the issuer role" in page.form.error.text() and "nothing was issued" in page.form.error.text()
    assert page.issuer.log() == [] and page.write_flow is None   # nothing issued, nothing to sign

    # The request from the page: delegate first (no voting power yet), then the proposal.
    page.show_tab(page.profiles_tab)
    qtbot.waitUntil(page.role.request_button.isVisible, timeout=20_000)
    ui_helpers.click(qtbot, page.role.request_button)
    delegate = page.role.flow
    confirm(qtbot, ui_helpers, delegate)
    qtbot.waitUntil(lambda: page.role.flow is not delegate, timeout=20_000)
    propose = page.role.flow
    qtbot.waitUntil(lambda: propose.dialog.stage == "confirm", timeout=20_000)
    assert "Grant the credential issuer role to " + USER_ADDRESS in propose.requests[0].description
    confirm(qtbot, ui_helpers, propose)
    assert run(qtbot, session, pass_pending_proposal) == "executed"
    page.show_tab(page.form)             # back to the Profiles tab: asked again
    page.show_tab(page.profiles_tab)
    qtbot.waitUntil(lambda: bool((page.role.status or {}).get("issuer")), timeout=20_000)
    assert "holds the issuer role" in page.role.state.text(), (page.role.status, page.role._asked)

    # Issue, anchored at once: the fee is in the confirm step.
    page.show_tab(page.form)
    ui_helpers.click(qtbot, page.form.issue_button)
    qtbot.waitUntil(lambda: page.last_record is not None and page.write_flow is not None
                    and page.write_flow.dialog.stage == "confirm", timeout=30_000)
    flow, record = page.write_flow, page.last_record
    intro = flow.dialog.confirm_page.findChildren(type(flow.dialog.result_details))
    assert any("Issuance fee: 1 BTK" in label.text() for label in intro)
    assert flow.requests[-1].btk_amount == 10**18 and flow.requests[-1].params["holder"] == LEARNER
    flow.dialog.reject()                               # Cancel: nothing signed, the credential still issued
    qtbot.waitUntil(lambda: "Issued, not anchored" in page.form.error.text(), timeout=20_000)
    assert isinstance(page.dialog, DeliverDialog) and page.dialog.record.id == record.id
    page.dialog.close()
    assert not page.issuer.get(record.id).anchored
    assert run(qtbot, session, token_state, record.content) == soulbound.NOT_ANCHORED

    # The log's Anchor… tries again.
    page.show_tab(page.log)
    page.log.select(record.id)
    ui_helpers.click(qtbot, page.log.anchor_button)
    flow = page.write_flow
    confirm(qtbot, ui_helpers, flow)
    qtbot.waitUntil(lambda: page.issuer.get(record.id).anchored, timeout=20_000)
    anchored = page.issuer.get(record.id)
    assert anchored.anchor_token_id == 1 and anchored.recipient == did_pkh.from_address(LEARNER)
    assert page.log.selected().id == record.id and page.log.model.data(page.log.model.index(0, 6)) == "token 1"
    assert run(qtbot, session, token_state, record.content) == soulbound.ANCHORED

    # Revoked in the log: the status list, then the token (its own confirm step).
    page.show_tab(page.log)
    ui_helpers.click(qtbot, page.log.revoke_button)
    ui_helpers.click(qtbot, page.dialog.revoke_button)
    assert page.issuer.get(record.id).status == "revoked"
    revoke = page.write_flow
    assert revoke is not flow and revoke.title == "Revoke the token on chain"
    confirm(qtbot, ui_helpers, revoke)
    assert run(qtbot, session, token_state, record.content) == soulbound.REVOKED
