"""Vote-escrow on the embedded chain and anvil: BTK locked for the longest lock count in
full, decaying a little every block; the breakdown says where power comes from; polls
count the lock at their snapshot; a lock cannot be left early or shortened."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import delegate_self, send
from vault.chain.contracts import BTK
from vault.chain.dao.escrow import Escrow
from vault.chain.dao.polls import Polls
from vault.errors import ChainError


def run(service, plan):
    return service.run(plan, confirm=lambda _confirmation: True)


def test_lock_power_breakdown_and_polls_count_it(chain, service, user):
    ve = Escrow(chain)
    delegate_self(chain, service)
    before = ve.breakdown(USER_ADDRESS)
    assert before["lock_power"] == "0" and before["decay"] == "No BTK locked."
    longest = ve.limits()["max_lock_blocks"]
    run(service, ve.lock_requests(service, USER_ADDRESS, 1_000_000 * BTK, longest))
    b = ve.breakdown(USER_ADDRESS)
    # the longest lock counts in full, from the block it lands in (after its approval)
    assert b["locked"] == "1000000" and b["blocks_left"] == longest and b["lock_power"] == "1000000"
    assert int(b["lock_power_wei"]) == 1_000_000 * BTK * b["blocks_left"] // longest
    assert b["delegated_votes"] == "4000000"   # locked BTK left the balance
    assert int(b["poll_power_wei"]) == 4_000_000 * BTK + int(b["lock_power_wei"])
    # the weighted governor counts the lock on proposals too (dao/power.py)
    assert int(b["governor_power_wei"]) == 4_000_000 * BTK + int(b["lock_power_wei"])
    chain.advance(10)
    decayed = int(ve.breakdown(USER_ADDRESS)["lock_power_wei"])
    assert decayed == 1_000_000 * BTK * (b["blocks_left"] - 10) // longest
    assert "falling by" in ve.breakdown(USER_ADDRESS)["decay"]

    # A poll after the lock counts it at the snapshot.
    request = Polls(chain).create_request(service, USER_ADDRESS, "Lock-weighted?", ["Yes", "No"], closes_in=5)
    send(service, request)
    pid = request.params["poll_id"]
    polls = Polls(chain)
    ballot = polls.sign_ballot(user.eth_private_key(USER_ADDRESS), pid, "Yes")
    (counted,) = polls.tally(pid, [ballot])["counted"]
    snapshot = polls.get(pid)["snapshot_block"]
    assert int(counted["lock_power_wei"]) == ve.power_at(USER_ADDRESS, snapshot) > 0
    assert int(counted["weight_wei"]) == int(counted["delegated_wei"]) + int(counted["lock_power_wei"])

    # Attack: leave early, or shorten the lock after the snapshot to get the BTK back.
    with pytest.raises(ChainError) as err:
        ve.unlock_request(service, USER_ADDRESS)
    assert err.value.reason == "still-locked"
    with pytest.raises(ChainError) as err:
        ve.lock_requests(service, USER_ADDRESS, 0, 200)
    assert err.value.reason == "invalid-argument" and "never shortened" in str(err.value)
    with pytest.raises(ChainError) as err:
        ve.lock_requests(service, USER_ADDRESS, 1, longest + 1)
    assert "blocks;" in str(err.value)


def test_a_short_lock_is_withdrawn_when_it_ends(chain, service):
    ve = Escrow(chain)
    shortest = ve.limits()["min_lock_blocks"]
    run(service, ve.lock_requests(service, USER_ADDRESS, 100 * BTK, shortest))
    b = ve.breakdown(USER_ADDRESS)
    assert int(b["lock_power_wei"]) == 100 * BTK * shortest // ve.limits()["max_lock_blocks"]
    chain.advance(b["blocks_left"])
    assert ve.breakdown(USER_ADDRESS)["lock_power"] == "0"
    balance = chain.btk_balance(USER_ADDRESS)
    send(service, ve.unlock_request(service, USER_ADDRESS))
    assert chain.btk_balance(USER_ADDRESS) == balance + 100 * BTK
    with pytest.raises(ChainError) as err:
        ve.unlock_request(service, USER_ADDRESS)
    assert err.value.reason == "no-lock"
