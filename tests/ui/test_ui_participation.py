"""The rewards dialog of the Governance page through its real widgets on the embedded
chain: after a proposal the user made and voted on is executed, Claim… registers it and
pays the bounty; the voter's share waits for its epoch to close and is then claimed once."""

from tests.ui.test_ui_dao import ALICE, activate_votes, advance, confirm, open_page, refreshed
from tests.ui.test_ui_subdaos import propose_template


def test_claim_the_bounty_then_the_epoch_share_once(chain_window, qtbot, ui_helpers):
    session = chain_window.chain_session
    page = open_page(chain_window, qtbot)
    activate_votes(page, qtbot, ui_helpers)
    propose_template(page, qtbot, ui_helpers, "fund-subdao", {"dao": "1", "amount": "10"}, "Fund Ecosystem Growth")
    refreshed(page, qtbot, lambda: page.panel.view.state == "executed")

    ui_helpers.click(qtbot, page.rewards_button)
    dialog = page.dialog
    qtbot.waitUntil(lambda: dialog.reads == 1, timeout=20_000)
    assert "share 1,000 BTK by the votes they cast" in dialog.rules.text()
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert texts == ["Bounty 100 BTK for proposing “Fund Ecosystem Growth” — claimable now",
                     "Not yet counted: “Fund Ecosystem Growth” (epoch "
                     f"{dialog.overview['to_register'][0]['epoch']}) — Claim registers it for all its voters"]
    me = page.account
    before = session.chain.btk_balance(me)
    with qtbot.waitSignal(dialog.loaded, timeout=40_000):
        ui_helpers.click(qtbot, dialog.claim_button)
        confirm(page, qtbot, ui_helpers)
    assert session.chain.btk_balance(me) - before == 100 * 10**18
    (epoch,) = dialog.overview["epochs"]
    assert dialog.list.item(0).text() == (f"Epoch {epoch['epoch']}: 1,000 BTK of 1,000 BTK for your 5,000,000 votes — "
                                          f"claimable from block {epoch['claimable_from_block']:,}")
    assert not dialog.claim_button.isEnabled()   # nothing due: the bounty is paid, the epoch open

    advance(chain_window, qtbot, epoch["claimable_from_block"] - session.chain.block_number)
    with qtbot.waitSignal(dialog.loaded, timeout=20_000):
        dialog.load()
    assert dialog.claim_button.isEnabled()
    before = session.chain.btk_balance(me)
    with qtbot.waitSignal(dialog.loaded, timeout=40_000):
        ui_helpers.click(qtbot, dialog.claim_button)
        confirm(page, qtbot, ui_helpers)
    assert session.chain.btk_balance(me) - before == 1_000 * 10**18
    assert dialog.list.item(0).text().endswith("— claimed") and not dialog.claim_button.isEnabled()
    assert session.chain.btk_balance(ALICE) == 0
