"""TxService.run: every write of the app and the CLI is a plan that is previewed, asked
about, then sent; each later step is estimated with its own margin; a fee that rises
between the steps is asked about again, and nothing more is signed without a yes."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS
from tests.chain.test_chain_fees import node, service as hostile_service  # noqa: F401 - the hostile node
from tests.chain.test_flow_soulbound import CREDENTIAL, issuer  # noqa: F401 - the issuer fixture
from vault.anchoring import writes as soulbound   # anchor from the credential bytes
from vault.chain import staking
from vault.chain.plan import Confirmation, as_plan
from vault.chain.transactions import CHECKPOINT_GAS
from vault.errors import FeeRoseError

BTK = 10**18


def _estimates(monkeypatch, chain) -> list:
    """Every (tx, Estimate) the node gives from now on."""
    seen = []
    real = chain.estimate

    def spy(tx):
        estimate = real(tx)
        seen.append((tx, estimate))
        return estimate
    monkeypatch.setattr(chain, "estimate", spy)
    return seen


def _last_estimate_for(seen, request):
    return [e for tx, e in seen if tx["to"] == request.to and tx["data"] == request.data][-1]


def test_each_later_step_is_estimated_with_its_own_margin(chain, service, issuer, monkeypatch):  # noqa: F811
    """The CLI gave every later step the staking pool's margin (a soulbound anchor too),
    the app the vote checkpoint's: now the request carries it, wherever it is sent."""
    seen = _estimates(monkeypatch, chain)
    address, issuer_service = issuer
    anchor = soulbound.issue_requests(issuer_service, address, USER_ADDRESS, CREDENTIAL.read_bytes())
    assert [r.kind for r in anchor] == ["btk-approve", "soulbound-issue"] and anchor[1].margin == CHECKPOINT_GAS
    records = issuer_service.run(as_plan(anchor), confirm=lambda ask: True)
    assert records[1].gas_limit == _last_estimate_for(seen, anchor[1]).gas_limit + CHECKPOINT_GAS

    stake = staking.stake_requests(service, USER_ADDRESS, 0, 10 * BTK)
    assert stake[1].margin == staking.POOL_UPDATE_GAS
    records = service.run(as_plan(stake), confirm=lambda ask: True)
    assert records[1].gas_limit == _last_estimate_for(seen, stake[1]).gas_limit + staking.POOL_UPDATE_GAS
    assert [r.status for r in records] == ["success", "success"]


def test_a_plan_not_confirmed_signs_nothing(chain, service):
    asked: list[Confirmation] = []
    block = chain.block_number
    plan = as_plan(staking.stake_requests(service, USER_ADDRESS, 0, 10 * BTK), "Stake 10 BTK")
    assert service.run(plan, confirm=lambda ask: asked.append(ask) or False) is None
    ask, = asked
    assert ask.plan is plan and ask.rose is None and ask.requests == plan.requests
    assert ask.previews[1].gas_limit == staking.STAKE_GAS   # shown with its placeholder, estimated once mined
    assert service.history() == [] and chain.block_number == block


@pytest.mark.parametrize("again", [False, True])
def test_a_fee_that_rises_between_the_steps_is_asked_again(node, hostile_service, again):  # noqa: F811
    """A hostile node raises the fee once the approval is sent: the stake is not signed at
    the new fee unless the second question says yes; the approval's record is kept."""
    asked: list[Confirmation] = []

    def spike(method):
        if method == "eth_sendRawTransaction":
            node.on_answered = None
            node.base_fee_factor = 100

    def confirm(ask):
        asked.append(ask)
        if ask.rose is None:
            node.on_answered = spike
            return True
        return again

    plan = as_plan(staking.stake_requests(hostile_service, USER_ADDRESS, 0, 10 * BTK))
    if not again:
        with pytest.raises(FeeRoseError) as refused:
            hostile_service.run(plan, confirm=confirm)
        assert [r.kind for r in refused.value.records] == ["btk-approve"] and len(node.raw_sent) == 1
        assert [r.kind for r in hostile_service.history()] == ["btk-approve"]
    else:
        records = hostile_service.run(plan, confirm=confirm)
        assert [r.kind for r in records] == ["btk-approve", "stake"] and len(node.raw_sent) == 2
        assert records[1].max_fee <= asked[1].previews[0].max_fee   # within the fee confirmed the second time
    first, second = asked
    assert second.rose is not None and [r.kind for r in second.requests] == ["stake"]
    assert [r.kind for r in second.done] == ["btk-approve"]
    assert second.previews[0].max_fee > first.previews[1].max_fee   # the stake, shown first at its placeholder
