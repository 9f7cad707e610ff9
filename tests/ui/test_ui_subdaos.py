"""The DAOs dialog of the Governance page through its real widgets on the embedded chain:
the main DAO appoints a council and funds a sub-DAO by proposals from the templates; the
switcher shows each DAO; the council's grant beyond the budget is refused in the dialog
(nothing signed), a grant within it is confirmed, paid and listed."""

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from tests.chain.conftest import USER_ADDRESS, USER_PHRASE, copy_embedded
from tests.ui.conftest import govern
from tests.ui.test_ui_dao import ALICE, activate_votes, confirm, open_page, pass_selected, refreshed
from tests.ui.test_ui_rewards import run_on_chain
from vault.chain.contracts import BTK


def propose_template(page, qtbot, ui_helpers, key, values, title):
    ui_helpers.click(qtbot, page.new_button)
    dialog = page.dialog
    ui_helpers.click(qtbot, dialog.template_buttons["more"])
    more = dialog.more
    more.chooser.setCurrentIndex(more.chooser.findData(key))
    for name, text in values.items():
        ui_helpers.type_text(qtbot, more.edits[key][name], text)
    ui_helpers.type_text(qtbot, dialog.title, title)
    before = page.write_flow
    ui_helpers.click(qtbot, dialog.continue_button)
    qtbot.waitUntil(lambda: page.write_flow is not before, timeout=20_000)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: page.panel.isVisible() and page.panel.view.title == title)
    pass_selected(page, qtbot, ui_helpers)


def test_switch_to_a_sub_dao_and_grant_from_its_budget(chain_window, qtbot, ui_helpers):
    session = chain_window.chain_session
    page = open_page(chain_window, qtbot)
    activate_votes(page, qtbot, ui_helpers)
    me = page.account
    propose_template(page, qtbot, ui_helpers, "subdao-council", {"dao": "3", "members": me, "approvals": "1"},
                     "An education council")
    propose_template(page, qtbot, ui_helpers, "fund-subdao", {"dao": "3", "amount": "500"},
                     "Fund Education Innovation")
    assert page.panel.actions.text() == ("• Allocate 500 BTK to the budget of the Education Innovation sub-DAO "
                                          "(number 3)")

    ui_helpers.click(qtbot, page.daos_button)
    daos = page.dialog
    qtbot.waitUntil(lambda: daos.reads == 1, timeout=20_000)
    assert daos.switcher.count() == 5 and daos.switcher.currentIndex() == 0
    assert "Sub-DAO reserve not yet allocated: 199,500 BTK" in daos.summary.text()
    assert not daos.grant_button.isVisible()
    daos.switcher.setCurrentIndex(1)   # Ecosystem Growth: someone else's council, read only
    assert "You are not on this council" in daos.rule.text() and not daos.grant_button.isVisible()
    daos.switcher.setCurrentIndex(3)
    assert daos.switcher.currentText() == "Education Innovation — your council"
    assert daos.summary.text().startswith("Education Innovation: 500 BTK budget left, 0 BTK granted")
    assert daos.rule.text() == "A grant is paid when 1 of its 1 council member approve it, out of the budget left then."

    # Beyond the budget: refused in the dialog, no write started.
    ui_helpers.type_text(qtbot, daos.to, ALICE)
    ui_helpers.type_text(qtbot, daos.amount, "501")
    ui_helpers.type_text(qtbot, daos.memo, "Tutors")
    before = page.write_flow
    ui_helpers.click(qtbot, daos.grant_button)
    assert daos.error.kind == "error" and "500 BTK of budget left" in daos.error.text()
    assert page.write_flow is before

    ui_helpers.type_text(qtbot, daos.amount, "200")
    with qtbot.waitSignal(daos.loaded, timeout=40_000):
        ui_helpers.click(qtbot, daos.grant_button)
        confirm(page, qtbot, ui_helpers)
    assert session.chain.btk_balance(ALICE) == 200 * 10**18
    assert daos.switcher.currentIndex() == 3
    assert daos.summary.text().startswith("Education Innovation: 300 BTK budget left, 200 BTK granted")
    line = "#0 paid (1 of 1 approvals, yours): 200 BTK for “Tutors” to "
    assert daos.list.item(0).text() == f"{line}{ALICE[:8]}…{ALICE[-6:]}"   # both ends; whole in the tooltip
    assert daos.list.item(0).toolTip() == line + ALICE
    assert not daos.approve_button.isEnabled()


def test_a_sub_dao_grant_with_two_milestones(chain_window, qtbot, ui_helpers):
    """The council proposes a milestone grant, its own spend funds and activates it, the
    approver releases milestone 1 then 2: the grantee holds both tranches."""
    session = chain_window.chain_session
    page = open_page(chain_window, qtbot)
    activate_votes(page, qtbot, ui_helpers)
    me = page.account
    propose_template(page, qtbot, ui_helpers, "subdao-council", {"dao": "4", "members": me, "approvals": "1"},
                     "A builders council")
    propose_template(page, qtbot, ui_helpers, "fund-subdao", {"dao": "4", "amount": "500"}, "Fund Builders")

    ui_helpers.click(qtbot, page.daos_button)
    daos = page.dialog
    qtbot.waitUntil(lambda: daos.reads == 1, timeout=20_000)
    panel = daos.milestones
    assert not panel.isVisible()   # the main DAO: no sub-DAO's grants
    daos.switcher.setCurrentIndex(4)
    assert daos.switcher.currentText() == "Builders — your council"
    assert daos.tabs.isTabVisible(1) and not panel.isVisible()   # its own tab, beside the plain grants
    daos.tabs.setCurrentWidget(panel)
    assert panel.isVisible() and panel.empty.isVisible() and panel.propose_button.isVisible()

    # Beyond the budget: refused in the dialog, nothing signed.
    ui_helpers.type_text(qtbot, panel.grantee, ALICE)
    ui_helpers.type_text(qtbot, panel.approver, me)
    ui_helpers.type_text(qtbot, panel.amounts, "300, 201")
    ui_helpers.type_text(qtbot, panel.title, "Builder tooling")
    before = page.write_flow
    ui_helpers.click(qtbot, panel.propose_button)
    assert daos.error.kind == "error" and "500 BTK of budget left" in daos.error.text()
    assert page.write_flow is before

    ui_helpers.type_text(qtbot, panel.amounts, "120, 180")
    with qtbot.waitSignal(daos.loaded, timeout=40_000):
        ui_helpers.click(qtbot, panel.propose_button)
        confirm(page, qtbot, ui_helpers)
    assert panel.list.item(0).text() == "#0 Builder tooling: 0 BTK released, 300 BTK pending (proposed)"
    assert not panel.release_button.isEnabled() and panel.fund_button.isEnabled()

    with qtbot.waitSignal(daos.loaded, timeout=40_000):   # the spend and the activation, one confirmation
        ui_helpers.click(qtbot, panel.fund_button)
        records = confirm(page, qtbot, ui_helpers)
    assert [r.kind for r in records] == ["gov-subdao-grant", "gov-subdao-milestone-activate"]
    assert daos.summary.text().startswith("Builders: 200 BTK budget left, 300 BTK granted")
    assert daos.list.item(0).text().startswith("#0 paid (1 of 1 approvals, yours): 300 BTK for “Milestone grant #0")
    assert panel.list.item(0).text() == ("#0 Builder tooling: 0 BTK released, 300 BTK pending (active) — "
                                         "you approve")
    assert not panel.fund_button.isEnabled()

    for released, pending, state in (("120", "180", "active"), ("300", "0", "completed")):
        assert panel.release_button.isEnabled()
        with qtbot.waitSignal(daos.loaded, timeout=40_000):
            ui_helpers.click(qtbot, panel.release_button)
            confirm(page, qtbot, ui_helpers)
        assert session.chain.btk_balance(ALICE) == int(released) * 10**18
        assert panel.list.item(0).text().startswith(f"#0 Builder tooling: {released} BTK released, {pending} BTK "
                                                    f"pending ({state})")
    assert "Milestone 2: 180 BTK — released at block" in panel.details.text()
    assert not panel.release_button.isEnabled()


@pytest.fixture
def two_accounts(make_window, config, embedded_template, qtbot, ui_helpers):
    """The chain tests' user (who sits on the Builders council below) and an outsider, in
    one vault, connected. Returns (workspace, outsider)."""
    from vault.identity import Identity

    identity = Identity.restore(config.data_dir, ui_helpers.PASSPHRASE, USER_PHRASE, kdf_target=0)
    outsider = identity.add_account("Outsider").address
    identity.store.lock()
    copy_embedded(embedded_template, config.data_dir)
    workspace = ui_helpers.unlock_through_ui(qtbot, make_window(config))
    workspace.start_chain()
    qtbot.waitUntil(lambda: workspace.chain_session.state == "connected", timeout=30_000)
    return workspace, outsider


def builders_council(service):   # chain thread
    """Builders (4): the user's council (one approval), 500 BTK of budget, by proposals the
    user passes; returns the milestone grants' handle."""
    from vault.chain import templates
    from vault.chain.dao.subdao_grants import SubDaoGrants
    from vault.chain.governance import Governance

    gov = Governance(service.chain)
    govern(service, [templates.make_call(gov, "subdao-council", {"dao": "4", "members": USER_ADDRESS,
                                                                 "approvals": "1"}),
                     templates.make_call(gov, "fund-subdao", {"dao": "4", "amount": "500"})],
           "A builders council and budget", USER_ADDRESS)
    return SubDaoGrants(service.chain)


def builders_grant_after_one_milestone(service):   # chain thread
    """Builders (4): the user's council, 500 BTK; “Builder tooling”, 120 + 180 BTK to Alice,
    funded and milestone 1 released (the user approves)."""
    from vault.chain.governance import with_gas_margin
    from vault.chain.plan import as_plan

    g = builders_council(service)
    service.send(service.preview(with_gas_margin(service.chain, g.propose_request(
        service, USER_ADDRESS, 4, ALICE, USER_ADDRESS, [120 * BTK, 180 * BTK], "Builder tooling"))))
    service.run(as_plan(g.fund_requests(service, USER_ADDRESS, 0)), confirm=lambda ask: True)
    service.run(as_plan(g.approve_request(service, USER_ADDRESS, 0)), confirm=lambda ask: True)


def open_builders(page, qtbot, ui_helpers):
    ui_helpers.click(qtbot, page.daos_button)
    daos = page.dialog
    qtbot.waitUntil(lambda: daos.reads == 1, timeout=20_000)
    daos.switcher.setCurrentIndex(4)
    daos.tabs.setCurrentWidget(daos.milestones)
    return daos, daos.milestones


def assert_not_clipped(dialog):
    """Every shown line has the height its wrapped text needs, every shown widget its minimum
    (a short list: its few rows, it scrolls)."""
    for w in dialog.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, QLabel) and w.wordWrap():
            assert w.height() >= w.heightForWidth(w.width()), w.text()
        assert w.height() >= min(w.minimumSizeHint().height(), w.maximumHeight()), w


def reserve(session) -> int:
    from vault.chain.dao.subdaos import SubDaos
    return int(SubDaos(session.chain).reserve()["reserve_wei"])


def test_the_council_cancels_a_milestone_grant_and_the_rest_returns_to_the_reserve(two_accounts, qtbot, ui_helpers):
    """After milestone 1 of 2, a council member cancels from the DAOs dialog: the confirmation
    says what returns, the reserve grows by the unreleased 180 BTK, Alice keeps her 120. The
    dialog fits a 768-px screen. Attack: an outsider, who sees no cancel, sends the cancel
    signal anyway: refused in words, nothing signed."""
    workspace, outsider = two_accounts
    session = workspace.chain_session
    page = open_page(workspace, qtbot)
    run_on_chain(qtbot, session, builders_grant_after_one_milestone)
    before = reserve(session)

    page.account_box.setCurrentIndex(page.account_box.findData(outsider))
    qtbot.waitUntil(lambda: page.account == outsider, timeout=10_000)
    daos, panel = open_builders(page, qtbot, ui_helpers)
    assert daos.switcher.currentText() == "Builders" and panel.selected["state"] == "active"
    assert not panel.cancel_button.isVisible() and not panel.propose_button.isVisible()
    panel.cancel_requested.emit(0, "Cancel “Builder tooling”")   # crafted: past the hidden button
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage == "result", timeout=20_000)
    assert flow.dialog.result.kind == "error" and "Only the council of Builders" in flow.dialog.result.text()
    assert "Nothing was signed or sent." in flow.dialog.result_details.text()
    flow.dialog.reject()
    daos.reject()
    assert reserve(session) == before and session.chain.btk_balance(ALICE) == 120 * BTK

    page.account_box.setCurrentIndex(page.account_box.findData(USER_ADDRESS))
    qtbot.waitUntil(lambda: page.account == USER_ADDRESS, timeout=10_000)
    daos, panel = open_builders(page, qtbot, ui_helpers)
    # A sub-DAO with a grant of each kind: within a 768-px laptop screen, nothing clipped.
    for tab in (0, 1):
        daos.tabs.setCurrentIndex(tab)
        qtbot.waitUntil(lambda: daos.tabs.currentWidget().isVisible())
        assert daos.height() <= 700 and daos.width() <= 1000
        assert_not_clipped(daos)
    assert daos.tabs.tabText(0) == "Grants (1)" and daos.tabs.tabText(1) == "Milestone grants (1)"
    assert panel.cancel_button.isVisible() and panel.cancel_button.isEnabled()

    ui_helpers.click(qtbot, panel.cancel_button)
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage == "confirm", timeout=20_000)
    intro = " ".join(label.text() for label in flow.dialog.confirm_page.findChildren(QLabel, "txIntro"))
    assert ("180 BTK not yet released goes back to the sub-DAO reserve" in intro
            and f"120 BTK already released stays with {ALICE}" in intro)
    with qtbot.waitSignal(daos.loaded, timeout=40_000):
        confirm(page, qtbot, ui_helpers, flow)
    assert reserve(session) - before == 180 * BTK and session.chain.btk_balance(ALICE) == 120 * BTK
    assert panel.list.item(0).text() == "#0 Builder tooling: 120 BTK released, 0 BTK pending (cancelled)"
    assert panel.details.text().startswith("State: cancelled — 180 BTK returned to the sub-DAO reserve, "
                                           "120 BTK released to the grantee.\n")
    assert "Milestone 2: 180 BTK — cancelled" in panel.details.text()
    assert not panel.cancel_button.isEnabled()


def builders_grant_paid_not_active(service):   # chain thread
    """Builders (4): the user's council, 500 BTK; “Lab kits”, 75 BTK to Alice, whose funding
    spend is paid to the contract but which nobody activated."""
    from vault.chain.dao.subdaos import SubDaos
    from vault.chain.governance import with_gas_margin
    from vault.chain.plan import as_plan

    g = builders_council(service)
    service.send(service.preview(with_gas_margin(service.chain, g.propose_request(
        service, USER_ADDRESS, 4, ALICE, USER_ADDRESS, [75 * BTK], "Lab kits"))))
    service.run(as_plan(SubDaos(service.chain).grant_request(service, USER_ADDRESS, 4, g.contract.address, 75 * BTK,
                                                              "Milestone grant #0: Lab kits")),
                confirm=lambda ask: True)


def test_a_grant_paid_for_but_not_active_is_cancelled_with_its_funding_returned(two_accounts, qtbot, ui_helpers):
    """The panel knows the grant is paid for (its button activates, not funds again), and
    its cancel says, then does, return the whole 75 BTK to the reserve (activate, then
    cancel, in one confirmation): nothing waits in the contract."""
    workspace, _ = two_accounts
    session = workspace.chain_session
    page = open_page(workspace, qtbot)
    run_on_chain(qtbot, session, builders_grant_paid_not_active)
    before = reserve(session)
    daos, panel = open_builders(page, qtbot, ui_helpers)
    assert panel.selected["state"] == "proposed" and panel.selected["funded"]
    assert panel.fund_button.text() == "Activate the selected grant…"

    ui_helpers.click(qtbot, panel.cancel_button)
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage == "confirm", timeout=20_000)
    intro = " ".join(label.text() for label in flow.dialog.confirm_page.findChildren(QLabel, "txIntro"))
    assert "the 75 BTK already paid to fund it goes back to the sub-DAO reserve" in intro
    with qtbot.waitSignal(daos.loaded, timeout=40_000):
        confirm(page, qtbot, ui_helpers, flow)
    from vault.chain.dao.subdao_grants import SubDaoGrants
    assert reserve(session) - before == 75 * BTK and session.chain.btk_balance(ALICE) == 0
    assert session.chain.btk_balance(SubDaoGrants(session.chain).contract.address) == 0
    assert panel.details.text().startswith("State: cancelled — 75 BTK returned to the sub-DAO reserve")
