"""The DAOs dialog of the Governance page through its real widgets on the embedded chain:
the main DAO appoints a council and funds a sub-DAO by proposals from the templates; the
switcher shows each DAO; the council's grant beyond the budget is refused in the dialog
(nothing signed), a grant within it is confirmed, paid and listed."""

from tests.ui.test_ui_dao import ALICE, activate_votes, confirm, open_page, pass_selected, refreshed


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
    assert daos.list.item(0).text() == f"#0 paid (1 of 1 approvals, yours): 200 BTK for “Tutors” to {ALICE}"
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
