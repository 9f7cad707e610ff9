"""The opt-in keeper on the embedded chain and anvil: it sends nothing before a proposal
passed, queues it once it has, executes it once the timelock delay is over, and the
proposal's history says who executed it; it never touches a defeated proposal."""

from __future__ import annotations

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import propose, send
from vault.chain.contracts import BTK
from vault.chain.dao.keeper import due, executions, keeper_enabled, keeper_step, set_keeper
from vault.chain.governance import Governance

ALICE = "0x00000000000000000000000000000000000A11cE"


def test_the_keeper_queues_and_executes_what_passed_and_nothing_else(chain, service, user):
    assert not keeper_enabled(user.store)   # off until the person turns it on
    assert set_keeper(user.store, True) and keeper_enabled(user.store)
    gov = Governance(chain)
    passed = propose(chain, service, [gov.call_grant(ALICE, 7 * BTK)], "Grant 7 BTK")
    defeated = propose(chain, service, [gov.call_grant(ALICE, 9 * BTK)], "Grant 9 BTK")
    assert due(chain) == [] and keeper_step(service, USER_ADDRESS) == []   # nothing passed yet
    p = gov.proposal(passed)
    chain.advance(p["snapshot"] + 2 - chain.block_number)
    send(service, gov.vote_request(service, USER_ADDRESS, passed, "for"))
    send(service, gov.vote_request(service, USER_ADDRESS, defeated, "against"))
    chain.advance(gov.proposal(defeated)["deadline"] + 1 - chain.block_number)

    (queued,) = keeper_step(service, USER_ADDRESS)
    assert queued.kind == "gov-keeper-queue" and queued.description.startswith("Keeper: Queue ")
    assert gov.state(passed) == "queued" and gov.state(defeated) == "defeated"
    assert keeper_step(service, USER_ADDRESS) == []   # the delay is not over
    chain.advance(1, 61)
    assert due(chain) == [("execute", passed)]
    (executed,) = keeper_step(service, USER_ADDRESS)
    assert executed.kind == "gov-keeper-execute" and gov.state(passed) == "executed"
    assert chain.btk_balance(ALICE) == 7 * BTK
    assert executions(chain)[str(passed)]["by"] == USER_ADDRESS
    assert [r.kind for r in service.history() if r.kind.startswith("gov-keeper")] == ["gov-keeper-execute",
                                                                                       "gov-keeper-queue"]
    assert keeper_step(service, USER_ADDRESS) == [] and due(chain) == []
    set_keeper(user.store, False)
    assert not keeper_enabled(user.store)
