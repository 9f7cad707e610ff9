"""Staking: a learner receives BTK, stakes with a validator, earns and claims rewards,
and unstakes through the cooldown; each error names its cause."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.chain.conftest import USER_ADDRESS
from vault.chain import staking, wallet
from vault.chain.contracts import BTK
from vault.errors import ChainError


def _send(service, request):
    return service.send(service.preview(request))


def test_validators(chain):
    rows = staking.validators(chain)
    assert len(rows) == 2
    first = rows[0]
    assert set(first) == {"id", "operator", "name", "commission_bps", "commission", "slashed", "total_delegated",
                          "total_unbonding"}
    assert first["id"] == 0 and first["commission_bps"] == 500 and first["commission"] == "5 %"
    assert first["slashed"] is False and first["total_delegated"] == "0"


def test_learner_stakes_earns_claims_and_unstakes(chain, service, user):
    learner = user.add_account("learner").address
    _send(service, wallet.send_request(service, USER_ADDRESS, learner, 2000 * BTK))
    _send(service, wallet.send_request(service, USER_ADDRESS, learner, BTK, "ETH"))
    assert wallet.holdings(chain, learner).to_json()["tier"] == "premium"

    with pytest.raises(ChainError) as info:
        staking.stake_requests(service, learner, 0, 3000 * BTK)
    assert info.value.reason == "insufficient-btk" and "holds 2,000 BTK" in str(info.value)
    with pytest.raises(ChainError) as info:
        staking.stake_requests(service, learner, 7, BTK)
    assert info.value.reason == "unknown-validator"

    requests = staking.stake_requests(service, learner, 0, 1500 * BTK)
    assert [r.kind for r in requests] == ["btk-approve", "stake"]
    records = staking.send_all(service, requests)
    assert [r.status for r in records] == ["success", "success"]
    state = staking.status(chain, learner).to_json()
    assert state["staked"] == "1500" and state["validator"] == 0 and state["cooldown"] is None
    assert state["available"] == "500"
    assert staking.validators(chain)[0]["total_delegated"] == "1500"
    bal = wallet.holdings(chain, learner).to_json()
    assert bal["BTK"] == "500" and bal["staked"] == "1500" and bal["tier"] == "premium"
    with pytest.raises(ChainError) as info:
        staking.stake_requests(service, learner, 1, BTK)
    assert info.value.reason == "already-delegated"

    chain.advance(blocks=5)
    pending = staking.status(chain, learner).pending_rewards
    assert pending > 0
    before = chain.btk_balance(learner)
    record = _send(service, staking.claim_request(service, learner))
    assert any(e["event"] == "RewardsClaimed" for e in record.events)
    assert chain.btk_balance(learner) >= before + pending
    with pytest.raises(ChainError) as info:
        staking.withdraw_request(service, learner)
    assert info.value.reason == "no-unstake-request"

    with pytest.raises(ChainError) as info:
        staking.unstake_request(service, learner, 2000 * BTK)
    assert info.value.reason == "insufficient-stake"
    record = _send(service, staking.unstake_request(service, learner, 1500 * BTK))
    typed = staking.status(chain, learner)
    state = typed.to_json()
    cooldown = state["cooldown"]
    assert state["staked"] == "0" and cooldown["amount"] == "1500" and not cooldown["ready"]
    assert cooldown["ready_at_block"] == record.block + state["cooldown_blocks"]
    # How long the cooldown takes: at the chain's measured pace, or else 12 s a block (the
    # embedded chain mines only on demand: no pace, no date).
    if chain.embedded is not None:
        assert cooldown["block_time_measured"] is False
    if not cooldown["block_time_measured"]:
        assert cooldown["eta"] is None
        assert cooldown["seconds_estimate"] == cooldown["blocks_left"] * staking.SECONDS_PER_BLOCK
    else:
        assert cooldown["eta"] is not None and cooldown["seconds_estimate"] >= cooldown["blocks_left"]
    assert wallet.holdings(chain, learner).to_json()["staked"] == "1500"  # still the learner's while cooling down
    lines = "\n".join(staking.status_lines(typed))
    assert f"ready at block {cooldown['ready_at_block']}" in lines

    with pytest.raises(ChainError) as info:
        staking.withdraw_request(service, learner)
    assert info.value.reason == "cooldown-not-over"
    assert f"from block {cooldown['ready_at_block']} on" in str(info.value)
    # The contract says the same when asked directly.
    pool = chain.contracts.staking
    with pytest.raises(ChainError, match="cooldown is not over"):
        service.preview(service.contract_call("withdraw", pool, "withdraw", [], learner))

    chain.advance(blocks=cooldown["blocks_left"])
    assert staking.status(chain, learner).cooldown.ready
    held = chain.btk_balance(learner)
    _send(service, staking.withdraw_request(service, learner))
    assert chain.btk_balance(learner) == held + 1500 * BTK
    assert staking.status(chain, learner).cooldown is None


class _PacedChain:
    """A node whose blocks come every ``pace`` seconds (what _block_eta measures)."""

    embedded = None

    def __init__(self, latest: int, pace: float, start: int = 1_700_000_000):
        self.block_number, self.pace, self.start = latest, pace, start
        outer = self

        class _Eth:
            @staticmethod
            def get_block(number):
                return {"timestamp": int(outer.start + number * outer.pace)}

        self.w3 = type("W3", (), {"eth": _Eth})()

    def latest_timestamp(self) -> int:
        return int(self.start + self.block_number * self.pace)


def test_steps_are_previewed_then_sent_in_order_with_progress(chain, service):
    """approve + stake: the stake is previewed on its placeholder gas, then estimated again
    once the approval is mined; each step reports signing, sent, mined."""
    requests = staking.stake_requests(service, USER_ADDRESS, 0, 1_000 * BTK)
    assert [r.kind for r in requests] == ["btk-approve", "stake"]
    previews = service.preview_steps(requests)
    assert previews[1].gas_limit == staking.STAKE_GAS          # the placeholder, not an estimate
    steps = []
    records = service.send_steps(requests, previews, margin=staking.with_margin,
                                 on_step=lambda i, stage, detail: steps.append((i, stage)))
    assert [r.status for r in records] == ["success", "success"]
    assert steps == [(0, "signing"), (0, "sent"), (0, "mined"), (1, "signing"), (1, "sent"), (1, "mined")]
    assert records[1].gas_limit != staking.STAKE_GAS            # estimated again before signing
    assert staking.status(chain, USER_ADDRESS).to_json()["staked"] == "1000"
    with pytest.raises(ChainError, match="nothing to send"):
        service.preview_steps([])


def test_the_cooldown_end_is_dated_at_the_chains_measured_pace():
    chain = _PacedChain(latest=1_000, pace=12)
    assert staking._measured_block_time(chain) == 12
    eta = staking._block_eta(chain, 10)
    assert eta == datetime.fromtimestamp(chain.latest_timestamp() + 120, timezone.utc).isoformat()
    assert staking._block_eta(chain, 0) is None
    # Many blocks in one second (a dev node mining on demand) tell nothing of the pace.
    assert staking._measured_block_time(_PacedChain(latest=1_000, pace=0.01)) is None
    assert staking._block_eta(_PacedChain(latest=0, pace=12), 5) is None


# ---- command line (embedded chain) ------------------------------------------------------

from tests.chain.test_chain_cli import run, vault  # noqa: E402,F401 - the CLI fixtures


def test_cli_stake_through_the_cooldown(vault, monkeypatch):
    code, rows, _ = vault("stake", "validators", passphrase=False)
    assert code == 0 and [v["id"] for v in rows] == [0, 1] and rows[1]["commission"] == "10 %"
    code, out, err = vault("stake", "stake", "--validator", "1", "--amount", "2500", "--yes")
    assert code == 0, err
    assert [t["kind"] for t in out["transactions"]] == ["btk-approve", "stake"]
    code, state, _ = vault("stake", "status")
    assert state["staked"] == "2500" and state["validator"] == 1
    code, bal, _ = vault("wallet", "balance")
    assert bal["staked"] == "2500" and bal["BTK"] == "4997500"
    vault("chain", "advance", "--blocks", "3")
    code, out, err = vault("stake", "claim", "--yes")
    assert code == 0, err
    # --validator is taken as `stake stake` takes it, and checked: one stakes with one validator
    code, out, err = vault("stake", "unstake", "--validator", "0", "--amount", "2500", "--yes")
    assert code == 1 and "stakes with validator 1, not with validator 0" in err
    code, out, err = vault("stake", "unstake", "--validator", "7", "--amount", "2500", "--yes")
    assert code == 1 and "no validator 7" in err
    code, out, err = vault("stake", "unstake", "--validator", "1", "--amount", "2500", "--yes")
    assert code == 0, err
    code, state, _ = vault("stake", "status")
    assert state["cooldown"]["amount"] == "2500" and state["cooldown"]["blocks_left"] > 0
    code, text, _ = vault("stake", "status", json_out=False)
    assert f"ready at block {state['cooldown']['ready_at_block']}" in text
    code, out, err = vault("stake", "withdraw", "--yes")
    assert code == 1 and "cooldown is not over" in err
    vault("chain", "advance", "--blocks", str(state["cooldown"]["blocks_left"]))
    code, out, err = vault("stake", "withdraw", "--yes")
    assert code == 0, err
    code, out, err = vault("stake", "stake", "--validator", "9", "--amount", "1", "--yes")
    assert code == 1 and "no validator 9" in err
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, out, err = vault("stake", "stake", "--validator", "0", "--amount", "1", json_out=False)
    assert code == 2 and "add --yes" in err and "Step 1 of 2" in err
