"""Learn-to-earn and standing through the real widgets on the embedded chain: the vault's
account, made an issuer by governance with a reward schedule for its badges, anchors a
credential (declaring its type in the same plan); the detail says "earns 50 BTK" and
claims it; the Reputation page bonds BTK and shows the score part by part; the holder
presents with standing to an employer, whose Verify page shows the bond and the score,
judges an access policy, and says "not checked" when no chain is connected."""

import json

from tests.chain.conftest import USER_ADDRESS
from tests.ui.conftest import govern
from tests.ui.test_ui_soulbound import confirm, holders_badge
from ui.present import jobs as present_jobs
from vault.presentations.request import PresentationRequest
from vault.qr import render
from vault.qr.parts import encode_parts

BTK = 10**18


def issuer_with_schedule(service, account):  # chain thread
    """Governance makes ``account`` an issuer and pays 50 BTK per OpenBadgeCredential it anchors."""
    from vault.chain import templates
    from vault.chain.governance import Governance
    gov = Governance(service.chain)
    calls = [templates.make_call(gov, "issuer-grant", {"account": account}),
             templates.make_call(gov, "reward-schedule", {
                 "issuer": account, "credential_type": "OpenBadgeCredential", "amount": "50", "budget": "500",
                 "end_block": str(service.chain.block_number + 10_000), "title": "Data Analysis badge"})]
    govern(service, calls, "Riverside badges earn 50 BTK", USER_ADDRESS)


def run_on_chain(qtbot, session, fn, *args):
    job = session.run_service(fn, *args)
    failures = []
    job.failed.connect(failures.append)
    with qtbot.waitSignal(job.done, timeout=90_000):
        pass
    assert failures == []


def present_with_standing(workspace, qtbot, cid, folder, verify):
    present = workspace.present_page
    request = PresentationRequest(verify.challenge.text(), verify.domain.text())
    standing = present_jobs.standing_link(present.service, USER_ADDRESS, request.challenge, request.domain)
    presentation = present.service.present([cid], {}, request.challenge, request.domain, standing=standing)
    paths = []
    for n, text in enumerate(encode_parts(presentation.data, kind=presentation.kind)):
        paths.append(folder / f"part-{n}.png")
        paths[-1].write_bytes(render.png(text))
    before = verify.verdict
    verify.verify_paths([str(p) for p in paths])
    qtbot.waitUntil(lambda: verify.verdict is not before and not verify.working, timeout=30_000)
    return verify.outcome


def test_anchor_claim_bond_present_with_standing(chain_window, qtbot, ui_helpers, tmp_path):
    workspace = chain_window
    session = workspace.chain_session
    page = workspace.credentials_page
    cid = holders_badge(workspace)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    run_on_chain(qtbot, session, issuer_with_schedule, USER_ADDRESS)
    session.changed.emit()
    tracker = page.soulbound
    qtbot.waitUntil(lambda: tracker.issuers == [USER_ADDRESS], timeout=20_000)

    # The issuer anchors it to the holder; the dialog declares its type for rewards too.
    page.open_credential(cid)
    panel = page.soulbound_panel
    qtbot.waitUntil(lambda: panel.cid == cid and cid in tracker.checked and panel.anchor_button.isVisible(),
                    timeout=20_000)
    ui_helpers.click(qtbot, panel.anchor_button)
    dialog = panel.dialog
    assert dialog.reward.isChecked()
    ui_helpers.type_text(qtbot, dialog.holder_field, USER_ADDRESS)
    ui_helpers.click(qtbot, dialog.ok_button)
    flow = panel.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage in ("confirm", "result"), timeout=20_000)
    assert flow.dialog.stage == "confirm", flow.dialog.result.text()
    assert [r.kind for r in flow.requests] == ["btk-approve", "soulbound-issue", "rewards-declare-type"]
    confirm(qtbot, ui_helpers, flow)

    # The detail says what it earns; the holder claims it.
    qtbot.waitUntil(lambda: panel.claim_button.isVisible(), timeout=20_000)
    assert panel.reward_label.text() == "Earns 50 BTK (Data Analysis badge): claim it to your wallet."
    before = session.chain.btk_balance(USER_ADDRESS)
    ui_helpers.click(qtbot, panel.claim_button)
    confirm(qtbot, ui_helpers, panel.write_flow)
    qtbot.waitUntil(lambda: panel.reward_label.text() == "Its reward of 50 BTK was claimed.", timeout=20_000)
    assert session.chain.btk_balance(USER_ADDRESS) == before + 50 * BTK
    assert not panel.claim_button.isVisible()

    # The Rewards page lists it as claimed.
    workspace.show_page("Rewards")
    rewards_page = workspace.page_for("Rewards")
    qtbot.waitUntil(lambda: rewards_page.data is not None and bool(rewards_page.data["history"]), timeout=20_000)
    assert rewards_page.credentials_model.rows[0]["status"] == "claimed"
    assert "Reward for credential #" in rewards_page.history.text()

    # The learner bonds 500 BTK on the Reputation page.
    workspace.show_page("Reputation")
    bond_page = workspace.page_for("Reputation")
    qtbot.waitUntil(lambda: bond_page.data is not None, timeout=20_000)
    ui_helpers.type_text(qtbot, bond_page.bond_amount, "500")
    ui_helpers.click(qtbot, bond_page.bond_button)
    confirm(qtbot, ui_helpers, bond_page.write_flow)
    qtbot.waitUntil(lambda: bond_page.data is not None and bond_page.data["bond"].to_json()["bonded"] == "500", timeout=20_000)
    assert bond_page.score_tile.value.text() == "30 / 100"   # 500 BTK: 20; one valid credential: 10
    assert [r["points"] for r in bond_page.parts_model.rows] == [20, 10, 0, 0]

    # An employer verifies a presentation with standing and an access policy.
    verify = workspace.verify_page
    verify.domain.setText("hr.acme.example")
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"name": "Junior analyst", "min_bond": "100", "min_trust_score": 25,
                                  "required_credential_types": ["OpenBadgeCredential"]}))
    verify.load_policy(policy)
    assert verify.policy_label.text().startswith("Policy: Junior analyst.")
    outcome = present_with_standing(workspace, qtbot, cid, tmp_path, verify)
    assert outcome.verdict.valid, outcome.verdict.message
    view = verify.standing_view
    assert not view.isHidden()
    assert view.headline.text().startswith("Trust score 30 / 100: bonded 500 BTK since ")
    assert "1 anchored credentials; 0 gigs completed" in view.headline.text()
    assert "Bond: +20 (500 BTK bonded" in view.detail.text()
    assert view.policy_headline.text() == "Policy Junior analyst: the presentation meets its requirements"
    assert "[met] bond of at least 100 BTK: 500 BTK bonded" in view.policy_detail.text()

    # Offline (no chain connected): the standing is proven but not checked.
    verify.chain_session = None
    verify.challenge.setText("offline-challenge")
    outcome = present_with_standing(workspace, qtbot, cid, tmp_path, verify)
    assert outcome.verdict.valid
    assert view.headline.text() == "Standing not checked"
    assert "Not checked: offline" in view.detail.text()
    assert view.policy_headline.text() == "Policy Junior analyst: its requirements could not all be checked"


def assert_fits(table, stretch: int) -> None:
    """At the window's default size: no column past the table's edge, and no column but
    the long text one (``stretch``) narrower than its title or its cells."""
    assert table.horizontalScrollBar().maximum() == 0
    header = table.horizontalHeader()
    for column in range(table.model().columnCount()):
        if column != stretch:
            need = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
            assert table.columnWidth(column) >= need, table.model().headerData(column, 1)


def test_rewards_reputation_and_review_tables_fit_the_default_window(chain_window, qtbot):
    workspace = chain_window
    assert (workspace.window().width(), workspace.window().height()) == (1000, 680)
    run_on_chain(qtbot, workspace.chain_session, issuer_with_schedule, USER_ADDRESS)
    workspace.show_page("Rewards")
    page = workspace.page_for("Rewards")
    page.refresh_now()
    qtbot.waitUntil(lambda: page.schedule_model.rowCount() == 2, timeout=20_000)   # the chain's and ours
    assert_fits(page.schedule_table, 1)   # five columns: once the last one hid past the edge
    assert_fits(page.credentials_table, 2)
    assert_fits(page.bounty_table, 3)
    workspace.show_page("Reputation")
    bond = workspace.page_for("Reputation")
    qtbot.waitUntil(lambda: bond.data is not None and bond.parts_model.rowCount() == 4, timeout=20_000)
    assert_fits(bond.parts_table, 3)
    workspace.show_page("Peer review")
    review = workspace.page_for("Peer review")
    qtbot.waitUntil(lambda: review.data is not None, timeout=20_000)
    assert_fits(review.table, 6)
