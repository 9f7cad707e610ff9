"""The Staking page through real widgets on the embedded chain: stake → advance → claim
(the rewards arrive in the wallet), unstake → withdraw refused with a countdown →
advance past the cooldown → withdraw, and the inputs it refuses (nothing is sent)."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt

from tests.chain.conftest import USER_ADDRESS
from tests.ui.conftest import govern
from vault.chain.units import glance_units
from ui.chain.staking.delegates import BadgeDelegate
from ui.chain.staking.models import ValidatorModel, cooldown_words
from ui.format import duration_words, local_moment
from vault.chain import staking
from vault.chain.governance import Governance

BTK = 10**18


# ---- helpers -----------------------------------------------------------------------------

def open_page(workspace, qtbot):
    workspace.show_page("Staking")
    page = workspace.staking_page
    qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)
    return page


def on_chain(qtbot, session, fn):
    """Set up chain state through the core, on the session's chain thread."""
    out = {}
    job = session.run_service(fn)
    job.finished.connect(lambda result: out.setdefault("result", result))
    job.failed.connect(lambda exc: out.setdefault("error", exc))
    qtbot.waitUntil(lambda: bool(out), timeout=60_000)
    assert "error" not in out, out
    session.changed.emit()   # as after a write of the app: the pages re-read
    return out["result"]


def select_row(qtbot, page, row):
    rect = page.table.visualRect(page.model.index(row, ValidatorModel.NAME))
    qtbot.mouseClick(page.table.viewport(), Qt.LeftButton, pos=rect.center())


def confirm(qtbot, ui_helpers, page):
    """Confirm the dialog the page opened; returns the mined records and closes it."""
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage == "confirm", timeout=20_000)
    with qtbot.waitSignal(flow.succeeded, timeout=30_000) as done:
        ui_helpers.click(qtbot, flow.dialog.confirm_button)
    ui_helpers.click(qtbot, flow.dialog.close_button)
    return done.args[0]


def mine(qtbot, ui_helpers, page, blocks):
    block = page.status.block
    page.advance.blocks.setValue(blocks)
    ui_helpers.click(qtbot, page.advance.mine_button)
    qtbot.waitUntil(lambda: page.status.block == block + blocks, timeout=20_000)


def slash(service, validator_id):  # chain thread: a governance cycle that slashes a validator by 10 %
    gov = Governance(service.chain)
    govern(service, [gov.call_slash(validator_id, 1_000)], f"Slash validator {validator_id} by 10 %", USER_ADDRESS)


# ---- the scenarios of the issue ------------------------------------------------------------

def test_stake_then_advance_then_claim_rewards_into_the_wallet(chain_window, qtbot, ui_helpers):
    page = open_page(chain_window, qtbot)
    assert page.staked_tile.value.text() == "Nothing"
    assert not page.claim_button.isEnabled() and not page.withdraw_button.isEnabled()
    assert page.advance.isVisible()   # the embedded chain: blocks can be made to pass
    held = page.status.available
    assert page.available_tile.value.text() == "5,000,000 BTK"

    ui_helpers.type_text(qtbot, page.stake_amount, "2500")
    assert not page.stake_button.isEnabled()
    assert page.stake_message.kind == "hint" and "Select a validator" in page.stake_message.text()
    select_row(qtbot, page, 0)
    assert page.chosen.name == "Blocktrack Foundation"
    assert page.stake_button.isEnabled() and page.stake_button.text() == "Stake with Blocktrack Foundation"
    assert not page.stake_message.isVisible()

    ui_helpers.click(qtbot, page.stake_button)
    dialog = page.write_flow.dialog
    qtbot.waitUntil(lambda: dialog.stage == "confirm", timeout=20_000)
    texts = " | ".join(w.text() for w in dialog.confirm_page.findChildren(type(dialog.heading)))
    assert "Blocktrack Foundation" in texts and "2,500 BTK" in texts and "cooldown of 20 blocks" in texts
    assert "allow the staking pool to take this amount" in texts
    assert dialog.confirm_button.text() == "Confirm and send 2 transactions"   # approve, then stake
    records = confirm(qtbot, ui_helpers, page)
    assert [r.kind for r in records] == ["btk-approve", "stake"] and all(r.status == "success" for r in records)

    qtbot.waitUntil(lambda: page.status.to_json()["staked"] == "2500", timeout=20_000)
    assert page.staked_tile.value.text() == "2,500 BTK"
    assert page.staked_tile.note.text() == "with Blocktrack Foundation"
    assert page.stake_amount.text() == ""                       # the form is ready for the next
    assert page.model.index(0, ValidatorModel.STATUS).data() == "Yours"
    assert page.model.index(0, ValidatorModel.DELEGATED).data() == "2,500 BTK"
    assert page.status.available == held - 2500 * BTK
    assert not page.claim_button.isEnabled()                    # nothing earned in the block of the stake

    mine(qtbot, ui_helpers, page, 5)
    rewards = page.status.pending_rewards
    assert rewards > 0 and page.claim_button.isEnabled()
    assert page.rewards_tile.value.text().endswith(" BTK") and page.rewards_tile.value.text() != "None yet"
    before = page.status.available

    ui_helpers.click(qtbot, page.claim_button)
    record, = confirm(qtbot, ui_helpers, page)
    assert record.kind == "claim-rewards"
    assert any(e["event"] == "RewardsClaimed" for e in record.events)
    qtbot.waitUntil(lambda: page.status.available > before, timeout=20_000)
    assert page.status.available >= before + rewards    # the rewards are in the wallet
    assert page.status.to_json()["staked"] == "2500"    # the stake stays staked
    assert page.action_message.kind == "success"


def test_unstake_waits_out_the_cooldown_then_withdraws(chain_window, qtbot, ui_helpers):
    session = chain_window.chain_session
    on_chain(qtbot, session, lambda s: staking.send_all(s, staking.stake_requests(s, USER_ADDRESS, 1, 1000 * BTK)))
    page = open_page(chain_window, qtbot)
    qtbot.waitUntil(lambda: page.status.to_json()["staked"] == "1000", timeout=20_000)
    assert page.chosen.id == 1   # the validator one stakes with is the one chosen
    assert page.withdraw_reason.text() == "Unstaking takes a cooldown of 20 blocks."

    ui_helpers.type_text(qtbot, page.unstake_amount, "1500")
    assert page.unstake_message.kind == "error" and "up to 1,000 BTK" in page.unstake_message.text()
    assert not page.unstake_button.isEnabled()
    ui_helpers.type_text(qtbot, page.unstake_amount, "400")
    assert page.unstake_button.isEnabled()
    ui_helpers.click(qtbot, page.unstake_button)
    record, = confirm(qtbot, ui_helpers, page)
    assert record.kind == "unstake"

    qtbot.waitUntil(lambda: page.status.cooldown is not None, timeout=20_000)
    cooldown = page.status.to_json()["cooldown"]
    # Ready from block unstake + 20 on: a withdrawal sent after 19 more blocks lands in it.
    assert cooldown["blocks_left"] == 19 and cooldown["ready_at_block"] == record.block + 20
    assert page.unstaking_tile.value.text() == "400 BTK" and page.status.to_json()["staked"] == "600"
    # Withdraw is refused, and the countdown says why: blocks, time, and the local date.
    assert not page.withdraw_button.isEnabled()
    assert page.withdraw_reason.text() == "Withdraw in 19 blocks."
    headline = page.cooldown_label.text()
    assert headline.startswith("400 BTK unstaking: ready in 19 blocks, about 4 min at 12 s a block (")
    assert local_moment(page.read_at + timedelta(seconds=228)) in headline
    assert f"block {cooldown['ready_at_block']:,}" in page.cooldown_detail.text()
    assert "Mine below" in page.cooldown_detail.text()
    assert "restarts the cooldown" in page.unstake_note.text()

    mine(qtbot, ui_helpers, page, 18)
    assert page.withdraw_reason.text() == "Withdraw in 1 block."
    assert not page.withdraw_button.isEnabled()
    mine(qtbot, ui_helpers, page, 1)
    assert page.withdraw_button.isEnabled()
    assert "the cooldown is over" in page.cooldown_label.text()

    before = page.status.available
    ui_helpers.click(qtbot, page.withdraw_button)
    record, = confirm(qtbot, ui_helpers, page)
    assert record.kind == "withdraw"
    qtbot.waitUntil(lambda: page.status.cooldown is None, timeout=20_000)
    assert page.status.available == before + 400 * BTK
    assert page.unstaking_tile.value.text() == "Nothing" and not page.withdraw_button.isEnabled()
    assert not page.cooldown_box.isVisible()


def test_bad_amounts_and_a_slashed_validator_are_refused_and_nothing_is_sent(chain_window, qtbot, ui_helpers):
    session = chain_window.chain_session
    on_chain(qtbot, session, lambda s: slash(s, 1))
    page = open_page(chain_window, qtbot)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 and page.model.rows[1].slashed, timeout=20_000)
    status = page.model.index(1, ValidatorModel.STATUS)
    assert status.data() == "Slashed" and status.data(ValidatorModel.BadgeRole) == "slashed"
    assert isinstance(page.table.itemDelegateForColumn(ValidatorModel.STATUS), BadgeDelegate)

    # A slashed validator cannot be chosen, and the page says why.
    select_row(qtbot, page, 1)
    assert page.chosen is None and page.table.selectionModel().selectedRows() == []
    assert page.validator_message.kind == "warning" and "was slashed" in page.validator_message.text()
    assert "takes no new stake" in page.validator_message.text()
    select_row(qtbot, page, 0)
    assert page.chosen.id == 0 and not page.validator_message.isVisible()

    # Amounts: not a number, nothing, more than held.
    ui_helpers.type_text(qtbot, page.stake_amount, "12,5x")
    assert page.stake_message.kind == "error" and "not an amount" in page.stake_message.text()
    ui_helpers.type_text(qtbot, page.stake_amount, "0")
    assert page.stake_message.kind == "error" and "more than zero" in page.stake_message.text()
    ui_helpers.type_text(qtbot, page.stake_amount, "5000000.5")
    message = page.stake_message.text()
    assert page.stake_message.kind == "error" and "more than you hold" in message
    assert "5,000,000 BTK" in message and "5,000,000.5 BTK" in message
    assert not page.stake_button.isEnabled()
    qtbot.keyClick(page.stake_amount, Qt.Key_Return)   # Enter does not send it either
    assert page.write_flow is None and page.dialog is None
    assert page.stake_amount.text() == "5000000.5"       # what was typed stays, to correct
    ui_helpers.click(qtbot, page.stake_max)
    assert page.stake_amount.text() == "5000000" and page.stake_button.isEnabled()

    # Unstaking with nothing staked says so.
    assert page.unstake_message.kind == "hint" and "nothing staked" in page.unstake_message.text()
    assert not page.unstake_button.isEnabled() and not page.unstake_all.isEnabled()
    session.runner.wait()
    assert not [r for r in session.service.history() if r.kind in ("btk-approve", "stake", "unstake")]


def test_on_a_live_network_the_page_reads_again_by_itself(chain_window, qtbot, monkeypatch):
    """Where blocks come without the app (an RPC node), the countdown must move on its own:
    the page re-reads while it is shown, and stops when it is not."""
    from ui.chain.staking import page as staking_page
    from ui.chain.session import ChainSession
    monkeypatch.setattr(ChainSession, "is_embedded", property(lambda self: False))
    monkeypatch.setattr(staking_page, "REREAD_SECONDS", 1)
    session = chain_window.chain_session
    page = open_page(chain_window, qtbot)
    qtbot.waitUntil(page.ticker.isActive)
    block = page.status.block
    session.run(lambda chain: chain.advance(3))   # blocks the page is not told of
    qtbot.waitUntil(lambda: page.status.block == block + 3, timeout=10_000)
    chain_window.show_page("Identity")
    assert not page.ticker.isActive()


# ---- words (no chain) ----------------------------------------------------------------------

def test_the_cooldown_in_words_counts_down_to_a_local_date():
    read_at = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
    measured = staking.Cooldown(amount=500 * BTK, ready_at_block=1_234, blocks_left=38, ready=False,
                                eta=(read_at + timedelta(seconds=456)).isoformat(), seconds_estimate=456,
                                block_time_measured=True)
    end = local_moment(read_at + timedelta(seconds=456))
    headline, detail = cooldown_words(measured, read_at=read_at, now=read_at, embedded=False)
    assert headline == f"500 BTK unstaking: ready in 38 blocks, about 8 min ({end})."
    assert "block 1,234" in detail
    later, _ = cooldown_words(measured, read_at=read_at, now=read_at + timedelta(minutes=5), embedded=False)
    assert "about 3 min" in later   # the clock moves on between reads
    embedded = replace(measured, eta=None, block_time_measured=False)
    headline, detail = cooldown_words(embedded, read_at=read_at, now=read_at, embedded=True)
    assert headline == f"500 BTK unstaking: ready in 38 blocks, about 8 min at 12 s a block ({end})."
    assert "only when asked" in detail
    ready = replace(measured, blocks_left=0, ready=True, eta=None)
    assert "the cooldown is over" in cooldown_words(ready, read_at=read_at, now=read_at, embedded=True)[0]

    assert duration_words(20) == "less than a minute"
    assert duration_words(7_500) == "2 h 5 min" and duration_words(3 * 86_400 + 4 * 3_600) == "3 days 4 h"
    assert glance_units(2_500 * BTK) == "2,500 BTK"
    assert glance_units(12 * BTK + 345_678 * 10**12) == "≈ 12.3456 BTK"
    assert glance_units(10**12) == "less than 0.0001 BTK"
