"""The contributor badge from the Governance page's Rewards dialog, through real widgets on
the embedded chain: the top contributors are listed, "Award a contributor badge…" issues
the badge with the vault's issuer profile and proposes that the DAO anchor it, the proposal
passes and is executed, the badge is saved for the contributor and is anchored by the DAO."""

from PySide6.QtWidgets import QFileDialog

from tests.chain.conftest import USER_ADDRESS
from tests.ui.conftest import govern
from tests.ui.test_ui_dao import pass_selected
from tests.ui.test_ui_governance import confirm, open_page, refreshed
from tests.ui.test_ui_rewards import run_on_chain
from ui.chain.governance.rewards import RewardsDialog

ALICE = "0x00000000000000000000000000000000000A11cE"


def first_grant(service):   # chain thread: the user's proposal, executed: a contributor
    from vault.chain.governance import Governance
    govern(service, [Governance(service.chain).call_grant(ALICE, 10**18)], "A first grant", USER_ADDRESS)


def open_rewards(page, qtbot, ui_helpers) -> RewardsDialog:
    ui_helpers.click(qtbot, page.rewards_button)
    qtbot.waitUntil(lambda: page.findChild(RewardsDialog) is not None, timeout=20_000)
    dialog = page.findChild(RewardsDialog)
    qtbot.waitUntil(lambda: dialog.reads >= 1, timeout=20_000)
    return dialog


def test_a_top_contributor_is_awarded_a_badge_the_dao_anchors(chain_window, qtbot, ui_helpers, tmp_path,
                                                              monkeypatch):
    page = open_page(chain_window, qtbot)
    run_on_chain(qtbot, chain_window.chain_session, first_grant)
    dialog = open_rewards(page, qtbot, ui_helpers)
    assert dialog.contributors.count() == 1
    assert dialog.contributors.item(0).text() == (f"1. {USER_ADDRESS} — voted on 0 counted proposal(s), "
                                                  "1 executed proposal(s)")
    assert not dialog.badge_button.isEnabled()   # nobody chosen yet
    dialog.contributors.setCurrentRow(0)
    assert dialog.badge_button.isEnabled()

    # No issuer profile of one's own: said in the write flow, nothing issued or sent.
    ui_helpers.click(qtbot, dialog.badge_button)
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage == "result", timeout=20_000)
    assert flow.dialog.result.kind == "error" and "create one on the Issue page" in flow.dialog.result.text()
    assert "Nothing was signed or sent." in flow.dialog.result_details.text()
    flow.dialog.reject()
    from vault.issuing.issuer import Issuer
    issuer = Issuer(chain_window.chain_session.identity)
    assert issuer.log() == []
    issuer.profiles.create("DAO Stewards", url="https://stewards.example")

    ui_helpers.click(qtbot, dialog.badge_button)
    confirm(page, qtbot, ui_helpers)
    qtbot.waitUntil(lambda: dialog.save_badge_button.isVisible(), timeout=20_000)
    (record,) = issuer.log()
    saved = tmp_path / "badge.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    ui_helpers.click(qtbot, dialog.save_badge_button)
    original = saved.read_bytes()
    assert record.id in original.decode()
    dialog.reject()

    refreshed(page, qtbot, lambda: page.panel.isVisible() and page.panel.title.text().startswith("Award the"))
    assert "Grant the credential issuer role to" in page.panel.actions.text()
    pass_selected(page, qtbot, ui_helpers)

    from vault.anchoring.dao_badge import dao_anchor
    anchored = []
    job = chain_window.chain_session.run(lambda chain: dao_anchor(chain, original))
    job.finished.connect(anchored.append)
    qtbot.waitUntil(lambda: bool(anchored), timeout=20_000)
    assert anchored[0]["by_dao"] and anchored[0]["holder"] == USER_ADDRESS
    token_id = anchored[0]["token_id"]

    # The issuer's log (the Issue page, built after the execution) says the DAO anchored it.
    issue = chain_window.page_for("Issue")
    cell = lambda: issue.log.model.data(issue.log.model.index(0, 6))   # noqa: E731 - "On chain"
    qtbot.waitUntil(lambda: cell() == f"anchored by the DAO (token {token_id})", timeout=20_000)
    issue.log.table.selectRow(0)
    assert not issue.log.anchor_button.isEnabled()   # anchored already: nothing to anchor again

    # The contributor's copy in their vault: its detail page says the DAO anchored it.
    credentials = chain_window.credentials_page
    cid = credentials.service.import_bytes(original).summary.id
    credentials.refresh()
    credentials.open_credential(cid)
    panel = credentials.soulbound_panel
    qtbot.waitUntil(lambda: panel.cid == cid and cid in credentials.soulbound.states
                    and credentials.soulbound.dao is not None, timeout=20_000)
    assert panel.state_label.text().startswith(
        f"Anchored on chain by the DAO (an executed proposal), not revoked: token #{token_id} ties it to "
        f"{USER_ADDRESS[:8]}…{USER_ADDRESS[-6:]}, issued on ")
    assert not panel.revoke_button.isVisible()   # the DAO's token: revoked by a proposal only
