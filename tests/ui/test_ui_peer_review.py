"""Peer review through the real widgets on the embedded chain: the learner submits work
with a fee; three bonded reviewers of the same vault (chosen in the account box) approve,
approve, reject; the window closes; one finalizes; the majority withdraws its payout; the
approved work is drafted as a PeerReviewedCredential and anchored by the chain's issuer."""

import json

from tests.chain.conftest import PASSPHRASE, USER_ADDRESS, USER_PHRASE, copy_embedded
from tests.ui.test_ui_soulbound import confirm

BTK = 10**18


def fund_and_bond(service, reviewers):  # chain thread
    from vault.chain import reputation
    from vault.chain.plan import as_plan
    go = lambda requests: service.run(as_plan(requests), confirm=lambda ask: ask.rose is None)  # noqa: E731
    for r in reviewers:
        go([service.btk_transfer(USER_ADDRESS, r, 500 * BTK), service.eth_transfer(USER_ADDRESS, r, BTK)])
        go(reputation.bond_requests(service, r, 100 * BTK))


def test_submit_review_finalize_withdraw_and_anchor(make_window, config, embedded_template, qtbot, ui_helpers,
                                                    tmp_path):
    from tests.ui.conftest import unlock_through_ui
    from vault.identity import Identity

    identity = Identity.restore(config.data_dir, PASSPHRASE, USER_PHRASE, kdf_target=0)
    reviewers = [identity.add_account(n).address for n in ("r1", "r2", "r3")]
    identity.store.lock()
    copy_embedded(embedded_template, config.data_dir)
    workspace = unlock_through_ui(qtbot, make_window(config))
    workspace.start_chain()
    session = workspace.chain_session
    qtbot.waitUntil(lambda: session.state == "connected", timeout=30_000)
    job = session.run_service(fund_and_bond, reviewers)
    with qtbot.waitSignal(job.done, timeout=90_000):
        pass

    workspace.show_page("Peer review")
    page = workspace.page_for("Peer review")
    qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)
    work = tmp_path / "essay.md"
    work.write_text("# Zero-knowledge proofs, explained\n")
    page.set_work(work)
    ui_helpers.type_text(qtbot, page.uri, "ipfs://essay")
    ui_helpers.type_text(qtbot, page.fee, "30")
    ui_helpers.click(qtbot, page.submit_button)
    confirm(qtbot, ui_helpers, page.write_flow)
    qtbot.waitUntil(lambda: len(page.model.rows) == 1, timeout=20_000)

    for reviewer, button in zip(reviewers, ("approve_button", "approve_button", "reject_button")):
        page.account_box.setCurrentIndex(page.account_box.findData(reviewer))
        qtbot.waitUntil(lambda: page.data is not None and bool(page.model.rows)
                        and page.model.rows[0]["my_review"] is None, timeout=20_000)
        page.table.selectRow(0)
        assert getattr(page, button).isEnabled()
        ui_helpers.click(qtbot, getattr(page, button))
        confirm(qtbot, ui_helpers, page.write_flow)
        qtbot.waitUntil(lambda: page.model.rows[0]["my_review"] is not None, timeout=20_000)

    window = page.data["settings"]["window_blocks"]
    job = session.run(lambda chain: chain.advance(window + 1))
    with qtbot.waitSignal(job.done, timeout=20_000):
        pass
    session.changed.emit()
    qtbot.waitUntil(lambda: bool(page.model.rows) and page.model.rows[0]["finalizable"], timeout=20_000)
    page.table.selectRow(0)
    ui_helpers.click(qtbot, page.finalize_button)
    confirm(qtbot, ui_helpers, page.write_flow)
    qtbot.waitUntil(lambda: page.model.rows[0]["status"] == "approved", timeout=20_000)
    assert page.model.rows[0]["approvals"] == 2 and page.model.rows[0]["rejections"] == 1
    assert not page.withdraw_button.isEnabled()   # r3 was in the minority: its stake is gone
    page.account_box.setCurrentIndex(page.account_box.findData(reviewers[0]))
    qtbot.waitUntil(lambda: page.withdraw_button.isEnabled(), timeout=20_000)
    before = session.chain.btk_balance(page.account)
    ui_helpers.click(qtbot, page.withdraw_button)
    confirm(qtbot, ui_helpers, page.write_flow)
    assert session.chain.btk_balance(page.account) > before

    # The approved work becomes a credential the chain's issuer anchors to the learner.
    from vault.anchoring.hashing import credential_hash
    from vault.chain import peer_review, soulbound
    from vault.chain.embedded import dev_key
    draft = json.dumps(peer_review.credential_draft(session.chain, 0, "ZK essay")).encode()
    c = session.chain.contracts
    for contract, fn, args in ((c.token, "approve", [c.soulbound.address, BTK]),
                               (c.soulbound, "issue", [USER_ADDRESS, credential_hash(draft), ""])):
        session.chain.transact(dev_key("issuer"), {"to": contract.address, "data": contract.encode_abi(fn, args)})
    assert soulbound.hash_status(session.chain, credential_hash(draft)) == "anchored"
