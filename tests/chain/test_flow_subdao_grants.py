"""Milestone grants out of a sub-DAO's budget on the embedded chain and anvil: the council
proposes, funds it with its own spend (the same plan activates it), the approver releases
two milestones in order; nobody else releases, proposes or reuses the funding."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import send
from tests.chain.test_flow_subdaos import GRANTEE, appoint_and_fund
from vault.chain.contracts import BTK
from vault.chain.dao.subdao_grants import SubDaoGrants
from vault.chain.dao.subdaos import SubDaos
from vault.chain.plan import as_plan
from vault.errors import ChainError


def run(service, plan):
    return service.run(as_plan(plan), confirm=lambda ask: True)


def test_a_sub_dao_grant_pays_two_milestones_to_its_grantee(chain, service, user):
    appoint_and_fund(chain, service)   # SkillFi Economy (2): the user's council, 1,000 BTK
    g, s = SubDaoGrants(chain), SubDaos(chain)
    approver = user.add_account("approver").address
    send(service, service.eth_transfer(USER_ADDRESS, approver, 1 * BTK))   # gas for the approver
    # Attack: someone outside the council proposes a grant of the sub-DAO's money.
    with pytest.raises(ChainError) as err:
        g.propose_request(service, approver, 2, GRANTEE, approver, [BTK], "mine")
    assert err.value.reason == "not-council"
    with pytest.raises(ChainError) as err:
        g.propose_request(service, USER_ADDRESS, 2, GRANTEE, approver, [600 * BTK, 401 * BTK], "too much")
    assert err.value.reason == "insufficient-budget"
    send(service, g.propose_request(service, USER_ADDRESS, 2, GRANTEE, approver, [100 * BTK, 250 * BTK],
                                    "Course platform"))
    (grant,) = g.list(USER_ADDRESS, 2)
    assert (grant["state"], grant["total"], grant["pending"]) == ("proposed", "350", "350")
    assert g.list(number=1) == []
    # Attack: the approver releases before any BTK funded it.
    with pytest.raises(ChainError) as err:
        g.approve_request(service, approver, 0)
    assert err.value.reason == "grant-closed"

    plan = g.fund_requests(service, USER_ADDRESS, 0)
    assert [r.kind for r in plan.requests] == ["gov-subdao-grant", "gov-subdao-milestone-activate"]
    run(service, plan)
    d = s.get(2, USER_ADDRESS)
    assert (d["budget"], d["spent"]) == ("650", "350")
    assert d["grants"][0]["memo"] == "Milestone grant #0: Course platform"
    grant = g.get(0, approver)
    assert (grant["state"], grant["next_milestone"], grant["you_approve"]) == ("active", 1, True)
    with pytest.raises(ChainError) as err:   # funded once only
        g.fund_requests(service, USER_ADDRESS, 0)
    assert err.value.reason == "grant-closed"

    # Attack: the council (not the approver) releases to the grantee early.
    with pytest.raises(ChainError) as err:
        g.approve_request(service, USER_ADDRESS, 0)
    assert err.value.reason == "not-approver"
    # Forced past the check, the contract refuses in words.
    with pytest.raises(ChainError) as err:
        g.contract.functions.releaseMilestone(0, 0).call({"from": USER_ADDRESS})
    assert "is not the approver of sub-DAO milestone grant 0" in str(err.value)

    before = chain.btk_balance(GRANTEE)
    run(service, g.approve_request(service, approver, 0))
    assert chain.btk_balance(GRANTEE) - before == 100 * BTK
    grant = g.get(0)
    assert [m["status"] for m in grant["milestones"]] == ["released", "pending"]
    assert grant["milestones"][0]["approved_by"] == approver
    run(service, g.approve_request(service, approver, 0))
    assert chain.btk_balance(GRANTEE) - before == 350 * BTK
    grant = g.get(0)
    assert (grant["state"], grant["released"], grant["pending"]) == ("completed", "350", "0")
    assert chain.btk_balance(g.contract.address) == 0


def test_a_cancel_returns_the_rest_to_the_reserve_and_stops_releases(chain, service, user):
    appoint_and_fund(chain, service)
    g, s = SubDaoGrants(chain), SubDaos(chain)
    send(service, g.propose_request(service, USER_ADDRESS, 2, GRANTEE, USER_ADDRESS, [40 * BTK, 60 * BTK], "Pilot"))
    run(service, g.fund_requests(service, USER_ADDRESS, 0))
    run(service, g.approve_request(service, USER_ADDRESS, 0))
    reserve = int(s.reserve()["reserve_wei"])
    # Attack: a non-member cancels to strand the grant.
    with pytest.raises(ChainError) as err:
        g.cancel_request(service, user.add_account("other").address, 0)
    assert err.value.reason == "not-council"
    request = g.cancel_request(service, USER_ADDRESS, 0)
    assert request.description == (f"Cancel “Pilot”: 60 BTK not yet released goes back to the sub-DAO reserve (the "
                                   "main DAO allocates it again, not to this sub-DAO's budget); 40 BTK already "
                                   f"released stays with {GRANTEE}.")
    run(service, request)
    assert int(s.reserve()["reserve_wei"]) - reserve == 60 * BTK
    grant = g.get(0, USER_ADDRESS)
    assert [m["status"] for m in grant["milestones"]] == ["released", "cancelled"]
    assert (grant["state"], grant["returned"], grant["released"], grant["pending"]) == ("cancelled", "60", "40", "0")
    # A grant never activated: its cancel says no BTK moves, and none does.
    send(service, g.propose_request(service, USER_ADDRESS, 2, GRANTEE, USER_ADDRESS, [10 * BTK], "Unfunded"))
    request = g.cancel_request(service, USER_ADDRESS, 1)
    assert request.description == "Cancel “Unfunded”: it was never activated, so no BTK moves."
    run(service, request)
    assert int(s.reserve()["reserve_wei"]) - reserve == 60 * BTK and g.get(1)["returned"] == "0"
    # Attack: the approver releases after the cancel: refused before signing, and by the contract.
    with pytest.raises(ChainError) as err:
        g.approve_request(service, USER_ADDRESS, 0)
    assert err.value.reason == "grant-closed"
    with pytest.raises(ChainError) as err:
        g.contract.functions.releaseMilestone(0, 1).call({"from": USER_ADDRESS})
    assert "nothing to release" in str(err.value)
    with pytest.raises(ChainError) as err:
        g.get(7)
    assert err.value.reason == "unknown-grant"


def test_a_grant_paid_for_but_not_activated_returns_its_funding_when_cancelled(chain, service, user):
    """The council's spend reached the contract but nobody activated the grant (a council
    needing two approvals funds first, activates after): cancelGrant alone would return
    nothing, so the cancel activates it first and all of it goes back to the reserve."""
    appoint_and_fund(chain, service)
    g, s = SubDaoGrants(chain), SubDaos(chain)
    send(service, g.propose_request(service, USER_ADDRESS, 2, GRANTEE, USER_ADDRESS, [30 * BTK, 45 * BTK], "Paid"))
    run(service, s.grant_request(service, USER_ADDRESS, 2, g.contract.address, 75 * BTK, "Milestone grant #0: Paid"))
    assert g.get(0)["state"] == "proposed" and chain.btk_balance(g.contract.address) == 75 * BTK
    reserve = int(s.reserve()["reserve_wei"])
    plan = g.cancel_request(service, USER_ADDRESS, 0)
    assert [r.kind for r in plan.requests] == ["gov-subdao-milestone-activate", "gov-subdao-milestone-cancel"]
    assert plan.requests[1].description == (
        "Cancel “Paid”: the 75 BTK already paid to fund it goes back to the sub-DAO reserve (the main DAO allocates "
        "it again, not to this sub-DAO's budget); nothing was released.")
    run(service, plan)
    assert int(s.reserve()["reserve_wei"]) - reserve == 75 * BTK
    assert chain.btk_balance(g.contract.address) == 0 and chain.btk_balance(GRANTEE) == 0
    grant = g.get(0)
    assert (grant["state"], grant["returned"], grant["released"]) == ("cancelled", "75", "0")
    # Attack: the spend that funded it cannot fund another grant of the same total afterwards.
    send(service, g.propose_request(service, USER_ADDRESS, 2, GRANTEE, USER_ADDRESS, [75 * BTK], "Again"))
    with pytest.raises(ChainError) as err:
        g.activate_request(service, USER_ADDRESS, 1)
    assert err.value.reason == "not-funded"
