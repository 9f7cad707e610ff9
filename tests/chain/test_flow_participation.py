"""Rewards for taking part on the embedded chain and anvil: a proposal that reached quorum
is registered, its voter claims the epoch's budget once the epoch closes, its proposer
claims the bounty once it is executed; nothing is claimed twice, nothing by a non-voter."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import govern, send
from vault.chain.contracts import BTK
from vault.chain.dao.rewards import Rewards, badge_achievement
from vault.chain.governance import Governance
from vault.errors import ChainError


def test_voter_and_proposer_claim_once(chain, service, user):
    r = Rewards(chain)
    rules = r.rules()
    assert (rules["epoch_blocks"], rules["epoch_budget"], rules["bounty"]) == (200, "1000", "100")
    with pytest.raises(ChainError) as err:
        r.claim_requests(service, USER_ADDRESS)
    assert err.value.reason == "nothing-to-claim"

    gov = Governance(chain)
    pid = govern(chain, service, [gov.call_grant(USER_ADDRESS, 1 * BTK)], "Pay one BTK back")
    o = r.overview(USER_ADDRESS)
    assert [p["proposal_id"] for p in o["to_register"]] == [str(pid)]
    assert o["bounties"] == [{"proposal_id": str(pid), "title": "Pay one BTK back", "claimed": False,
                              "claimable": True}]
    before = chain.btk_balance(USER_ADDRESS)
    plan = r.claim_requests(service, USER_ADDRESS)   # register + bounty (the epoch is still open)
    assert [q.kind for q in plan.requests] == ["gov-rewards-register", "gov-rewards-bounty"]
    for request in plan.requests:
        send(service, request)
    assert chain.btk_balance(USER_ADDRESS) - before == 100 * BTK

    o = r.overview(USER_ADDRESS)
    (epoch,) = o["epochs"]
    assert epoch["your_reward"] == "1000" and not epoch["claimable"] and not o["to_register"]
    with pytest.raises(ChainError) as err:   # the epoch is open: nothing yet, and when
        r.claim_requests(service, USER_ADDRESS)
    assert err.value.reason == "nothing-to-claim" and f"block {epoch['claimable_from_block']:,}" in str(err.value)

    chain.advance(epoch["claimable_from_block"] - chain.block_number)
    before = chain.btk_balance(USER_ADDRESS)
    plan = r.claim_requests(service, USER_ADDRESS)
    assert [q.kind for q in plan.requests] == ["gov-rewards-claim"]
    send(service, plan.requests[0])
    assert chain.btk_balance(USER_ADDRESS) - before == 1_000 * BTK   # the only voter: the whole pool
    assert r.overview(USER_ADDRESS)["epochs"][0]["claimed"]
    # Attack: claiming again, and a vault account that never voted claiming the same epoch.
    with pytest.raises(ChainError) as err:
        r.claim_requests(service, USER_ADDRESS)
    assert err.value.reason == "nothing-to-claim"
    other = user.add_account("other").address
    with pytest.raises(ChainError) as err:
        r.claim_requests(service, other)
    assert err.value.reason == "nothing-to-claim"
    contract = chain.contracts.extension("participation")
    with pytest.raises(ChainError) as err:   # forced past the checks, the contract refuses in words
        contract.functions.claim(epoch["epoch"]).call({"from": USER_ADDRESS})
    assert "already claimed the rewards of epoch" in str(err.value)
    with pytest.raises(ChainError) as err:
        contract.functions.claimBounty(pid).call({"from": other})
    assert "only its proposer claims the bounty" in str(err.value)


def test_top_contributors_count_taking_part_not_balance(chain, service):
    r = Rewards(chain)
    gov = Governance(chain)
    govern(chain, service, [gov.call_grant(USER_ADDRESS, 1 * BTK)], "Counted")
    assert r.top_contributors()[0]["votes_on_counted_proposals"] == 0   # not registered yet: not counted
    send(service, r.claim_requests(service, USER_ADDRESS).requests[0])   # the registration
    (top,) = r.top_contributors(5)
    assert top == {"rank": 1, "account": USER_ADDRESS, "votes_on_counted_proposals": 1, "executed_proposals": 1}
    badge = badge_achievement(top)
    assert badge["name"] == "Blocktrack DAO contributor" and "voted on 1 proposal(s)" in badge["description"]
