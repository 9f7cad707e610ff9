"""The Governance page's DAO parts through their real widgets on the embedded chain: the
constitution (read, amend by proposal, the new version and what changed in its history);
a poll (created, a ballot signed and saved, tallied, promoted to a quadratic proposal), its
proposal voted by a member (√ of the power) and then queued and executed by the opt-in
keeper; a grant with two milestones released one by one."""

import json

from PySide6.QtWidgets import QFileDialog, QLabel

from tests.ui.test_ui_governance import confirm, open_page, refreshed
from vault.chain.dao.constitution import TEXTS_DIR


def pass_selected(page, qtbot, ui_helpers):
    """Vote For on the selected proposal, queue it, skip the timelock, execute it."""
    panel = page.panel
    ui_helpers.click(qtbot, page.advance.mine_button)
    refreshed(page, qtbot, lambda: panel.for_button.isEnabled())
    ui_helpers.click(qtbot, panel.for_button)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: panel.view.voted)
    ui_helpers.click(qtbot, page.advance.mine_button)
    refreshed(page, qtbot, lambda: panel.queue_button.isEnabled())
    ui_helpers.click(qtbot, panel.queue_button)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: panel.view.state == "queued")
    ui_helpers.click(qtbot, page.advance.day_button)
    refreshed(page, qtbot, lambda: panel.execute_button.isEnabled())
    ui_helpers.click(qtbot, panel.execute_button)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: panel.view.state == "executed")


def activate_votes(page, qtbot, ui_helpers):
    ui_helpers.click(qtbot, page.delegate_button)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: not page.delegate_banner.isVisible())


def open_constitution(page, qtbot, ui_helpers):
    ui_helpers.click(qtbot, page.constitution_button)
    dialog = page.dialog
    qtbot.waitUntil(lambda: dialog.shown is not None, timeout=20_000)
    return dialog


def test_the_constitution_is_read_amended_by_proposal_and_its_history_says_what_changed(chain_window, qtbot,
                                                                                         ui_helpers):
    page = open_page(chain_window, qtbot)
    activate_votes(page, qtbot, ui_helpers)
    dialog = open_constitution(page, qtbot, ui_helpers)
    v1 = (TEXTS_DIR / "v1.md").read_text(encoding="utf-8")
    assert dialog.version_label.text().startswith("Version 1 in force · keccak-256 0x")
    assert dialog.text.toPlainText() == v1 and dialog.text.isReadOnly()
    assert dialog.history.count() == 1 and "with the deployment" in dialog.history.item(0).text()
    assert "deployed with" in dialog.changes.toPlainText()

    # Draft an amendment on the current text: Article 5 changes.
    ui_helpers.click(qtbot, dialog.amend_button)
    assert dialog.new_text.toPlainText() == v1
    ui_helpers.click(qtbot, dialog.continue_button)   # no title: refused in the dialog
    qtbot.waitUntil(lambda: dialog.error.kind == "error")
    assert "title" in dialog.error.text()
    ui_helpers.type_text(qtbot, dialog.title, "Every grant by milestones")
    ui_helpers.type_text(qtbot, dialog.why, "Article 5 should not allow a lump sum.")
    dialog.new_text.setPlainText(v1.replace("Grants above a small amount are\npaid", "Every grant is\npaid"))
    before = page.write_flow
    ui_helpers.click(qtbot, dialog.continue_button)
    qtbot.waitUntil(lambda: page.write_flow is not before, timeout=20_000)
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage == "confirm", timeout=20_000)
    words = " ".join(label.text() for label in flow.dialog.findChildren(QLabel))
    assert "Amend the constitution to version 2" in words
    confirm(page, qtbot, ui_helpers, flow)
    refreshed(page, qtbot, lambda: page.model.rowCount() == 1 and page.panel.isVisible())
    assert page.panel.title.text() == "Every grant by milestones"
    pass_selected(page, qtbot, ui_helpers)

    dialog = open_constitution(page, qtbot, ui_helpers)
    assert dialog.version_label.text().startswith("Version 2 in force")
    assert "Every grant is\npaid in tranches" in dialog.text.toPlainText()
    assert dialog.history.count() == 2 and "by proposal" in dialog.history.item(1).text()
    changes = dialog.changes.toPlainText()
    assert "Article 5 (Treasury and grants): changed" in changes and "+" in changes
    assert "Article 5 (Treasury and grants): Every grant by milestones" in dialog.citations.text()


ALICE = "0x00000000000000000000000000000000000A11cE"


def give_membership(workspace, qtbot, holder):
    """The embedded chain's demo issuer anchors a BlocktrackMembership credential to
    ``holder`` and declares its type (what an accredited issuer does for a member)."""
    from eth_utils import keccak

    from vault.chain.dao.power import MEMBERSHIP
    from vault.chain.embedded import dev_key

    def issue(chain):
        key, sbt, token = dev_key("issuer"), chain.contracts.soulbound, chain.contracts.token
        pool, credential = chain.contracts.extension("rewards"), keccak(text=f"membership of {holder}")
        chain.transact(key, {"to": token.address, "data": token.encode_abi("approve", [sbt.address, 10**18])})
        chain.transact(key, {"to": sbt.address, "data": sbt.encode_abi("issue", [holder, credential, ""])})
        chain.transact(key, {"to": pool.address, "data": pool.encode_abi("declareType", [credential, MEMBERSHIP])})
        chain.advance(1, 2)

    job = workspace.chain_session.run(issue)
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass


def advance(workspace, qtbot, blocks):
    job = workspace.chain_session.run(lambda chain: chain.advance(blocks))
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass


def test_poll_to_proposal_to_vote_to_timelock_to_automatic_execution(chain_window, qtbot, ui_helpers, tmp_path,
                                                                     monkeypatch):
    session = chain_window.chain_session
    page = open_page(chain_window, qtbot)
    activate_votes(page, qtbot, ui_helpers)
    assert "Quadratic proposals: You hold no membership credential" in page.power_detail.text()
    give_membership(chain_window, qtbot, page.account)
    advance(chain_window, qtbot, 1)   # the votes count from the next block: the poll's snapshot

    ui_helpers.click(qtbot, page.polls_button)
    dialog = page.polls_dialog
    qtbot.waitUntil(lambda: dialog.reads == 1, timeout=20_000)
    assert dialog.polls == [] and dialog.empty.isVisible()
    ui_helpers.click(qtbot, dialog.new_button)
    ui_helpers.type_text(qtbot, dialog.question, "Fund Alice's course?")
    dialog.closes_in.setValue(3)
    ui_helpers.type_text(qtbot, dialog.grant_to, ALICE)
    ui_helpers.click(qtbot, dialog.create_button)   # a grant without an amount: refused in the dialog
    qtbot.waitUntil(lambda: dialog.error.kind == "error")
    assert "both who receives it and how much" in dialog.error.text()
    ui_helpers.type_text(qtbot, dialog.grant_amount, "250")
    with qtbot.waitSignal(dialog.loaded, timeout=40_000):
        ui_helpers.click(qtbot, dialog.create_button)
        confirm(page, qtbot, ui_helpers)
    assert dialog.list.count() == 1 and "Fund Alice's course?" in dialog.list.item(0).text()
    dialog_poll_id = dialog.polls[0]["poll_id"]
    assert f"If it passes: Grant 250 BTK from the treasury to {ALICE}" in dialog.details.text()
    assert not dialog.promote_button.isEnabled()

    ui_helpers.click(qtbot, dialog.sign_button)   # "Yes", no fee, nothing sent
    qtbot.waitUntil(lambda: "1 ballot gathered" in dialog.ballot_count.text(), timeout=20_000)
    saved = tmp_path / "ballot.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    ui_helpers.click(qtbot, dialog.save_button)
    assert json.loads(saved.read_text())["option"] == 0
    with qtbot.waitSignal(dialog.tallied, timeout=20_000):
        ui_helpers.click(qtbot, dialog.tally_button)
    assert "Passed so far (still open)" in dialog.result_text.toPlainText()
    assert "Yes: 5,000,000 votes" in dialog.result_text.toPlainText()
    assert not dialog.promote_button.isEnabled()   # still open

    advance(chain_window, qtbot, 4)
    with qtbot.waitSignal(dialog.loaded, timeout=20_000):
        dialog.load()
    # Someone else's copy of the ballot (the saved file) counts once, not twice.
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(saved)], ""))
    ui_helpers.click(qtbot, dialog.add_button)
    qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=20_000)
    with qtbot.waitSignal(dialog.tallied, timeout=20_000):
        ui_helpers.click(qtbot, dialog.tally_button)
    assert dialog.result["passed"] and not dialog.result["open"] and len(dialog.result["counted"]) == 1
    assert dialog.promote_button.isEnabled()
    ui_helpers.click(qtbot, dialog.quadratic)   # one member, one square root
    ui_helpers.click(qtbot, dialog.promote_button)
    confirm(page, qtbot, ui_helpers)
    qtbot.waitUntil(lambda: "proposal" in dialog.list.item(0).text(), timeout=20_000)
    dialog.reject()

    refreshed(page, qtbot, lambda: page.model.rowCount() == 1 and page.panel.isVisible())
    panel = page.panel
    assert panel.title.text() == "Fund Alice's course?"
    assert panel.actions.text() == f"• Grant 250 BTK from the treasury to {ALICE}"
    assert "Poll: " + dialog_poll_id[:10] in panel.view.data["description"]
    assert panel.view.data["quadratic"] and panel.counting.isVisible()
    assert "one person one square root" in panel.counting.text() and "#counting" not in panel.description.text()
    assert ("Where your power comes from: 5,000,000 BTK delegated + 0 votes from locked BTK + 0 votes credential "
            "bonus = 5,000,000 votes on proposals") in page.power_detail.text()
    assert "your vote counts in quadratic proposals" in page.power_detail.text()

    # Vote on chain; the keeper (opted in) queues it after the vote and executes it after the timelock.
    ui_helpers.click(qtbot, page.advance.mine_button)
    refreshed(page, qtbot, lambda: panel.for_button.isEnabled())
    assert "counts 2236.067977499 √BTK: the square root of the 5,000,000 votes" in panel.my_vote.text()
    ui_helpers.click(qtbot, panel.for_button)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: panel.view.voted)
    assert "You voted For with 2236.067977499 √BTK" in panel.my_vote.text()
    assert panel.tallies["for"].amount.text() == "2236.067977499 √BTK (100 %)"
    keeper = page.keeper
    keeper.timer.setInterval(50)
    assert not keeper.box.isChecked() and not keeper.enabled   # off until the person opts in
    ui_helpers.click(qtbot, keeper.box)
    qtbot.waitUntil(lambda: keeper.enabled, timeout=20_000)
    assert "your account pays the fees" in keeper.status.text()
    ui_helpers.click(qtbot, page.advance.mine_button)   # the voting period ends
    refreshed(page, qtbot, lambda: panel.view.state == "queued", timeout=30_000)
    assert "Keeper: Queue" in keeper.status.text()
    ui_helpers.click(qtbot, page.advance.day_button)
    refreshed(page, qtbot, lambda: panel.view.state == "executed", timeout=30_000)
    assert session.chain.btk_balance(ALICE) == 250 * 10**18
    assert "Keeper: Execute" in keeper.status.text()
    assert f"executed by {page.account} in block" in panel.meta.text()


def test_a_grant_with_two_milestones_is_proposed_and_released_tranche_by_tranche(chain_window, qtbot, ui_helpers):
    session = chain_window.chain_session
    page = open_page(chain_window, qtbot)
    activate_votes(page, qtbot, ui_helpers)
    me = page.account

    ui_helpers.click(qtbot, page.new_button)
    dialog = page.dialog
    ui_helpers.click(qtbot, dialog.template_buttons["more"])
    more = dialog.more
    more.chooser.setCurrentIndex(more.chooser.findData("milestone-grant"))
    assert "in tranches" in more.words.text()
    fields = more.edits["milestone-grant"]
    for name, text in (("grantee", ALICE), ("approver", me), ("milestones", "150000, 1"), ("title", "Course")):
        ui_helpers.type_text(qtbot, fields[name], text)
    ui_helpers.type_text(qtbot, dialog.title, "Alice's course in two milestones")
    ui_helpers.click(qtbot, dialog.continue_button)   # more than the budget: refused in the dialog
    qtbot.waitUntil(lambda: dialog.error.kind == "error", timeout=20_000)
    assert "grants budget has 100,000 BTK" in dialog.error.text()
    ui_helpers.type_text(qtbot, fields["milestones"], "400, 600")
    before = page.write_flow
    ui_helpers.click(qtbot, dialog.continue_button)
    qtbot.waitUntil(lambda: page.write_flow is not before, timeout=20_000)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: page.model.rowCount() == 1 and page.panel.isVisible())
    assert page.panel.actions.text() == (f"• Grant 1,000 BTK to {ALICE} for “Course” in 2 milestones (400 BTK, "
                                         f"600 BTK), each paid when {me} approves it")
    pass_selected(page, qtbot, ui_helpers)

    ui_helpers.click(qtbot, page.grants_button)
    grants = page.dialog
    qtbot.waitUntil(lambda: grants.reads == 1, timeout=20_000)
    assert grants.list.count() == 1
    assert grants.list.item(0).text() == "#0 Course: 0 BTK released, 1,000 BTK pending (active) — you approve"
    assert "Milestone 1: 400 BTK — pending" in grants.details.text()
    for paid, released, pending in ((400, "400 BTK", "600 BTK"), (1000, "1,000 BTK", "0 BTK")):
        with qtbot.waitSignal(grants.loaded, timeout=40_000):
            ui_helpers.click(qtbot, grants.approve_button)
            confirm(page, qtbot, ui_helpers)
        assert session.chain.btk_balance(ALICE) == paid * 10**18
        assert f"{released} released, {pending} pending" in grants.list.item(0).text()
    assert "(completed)" in grants.list.item(0).text() and not grants.approve_button.isEnabled()
    assert "Milestone 2: 600 BTK — released at block" in grants.details.text()


def test_lock_btk_and_the_page_says_where_the_power_comes_from(chain_window, qtbot, ui_helpers):
    page = open_page(chain_window, qtbot)
    activate_votes(page, qtbot, ui_helpers)
    assert "Locked: nothing." in page.power_detail.text() and not page.unlock_button.isVisible()
    ui_helpers.click(qtbot, page.lock_button)
    dialog = page.dialog
    ui_helpers.type_text(qtbot, dialog.amount, "lots")
    ui_helpers.click(qtbot, dialog.lock_button)   # not an amount: refused in the dialog
    qtbot.waitUntil(lambda: dialog.error.kind == "error")
    ui_helpers.type_text(qtbot, dialog.amount, "1000")
    assert "About 1,000 votes in polls at first" in dialog.estimate.text()
    ui_helpers.click(qtbot, dialog.lock_button)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: "Locked: 1,000 BTK until block" in page.power_detail.text())
    assert "worth 1,000 votes now; a little less every block, nothing at the unlock." in page.power_detail.text()
    assert "4,999,000 BTK delegated + 1,000 votes from locked BTK" in page.power_detail.text()
