"""Milestone grants on the embedded chain and anvil: a proposal from the milestone-grant
template commits a grant out of the budget; its approver releases the tranches one by one;
the grantee sees released and pending; nobody else releases anything, nothing is paid twice
or beyond the budget."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import govern, send
from vault.chain import templates
from vault.chain.contracts import BTK
from vault.chain.dao.grants import Grants
from vault.chain.governance import Governance
from vault.errors import ChainError

GRANTEE = "0x00000000000000000000000000000000000A11cE"


def make_grant(chain, service, milestones="100, 250", approver=USER_ADDRESS):
    call = templates.make_call(Governance(chain), "milestone-grant",
                               {"grantee": GRANTEE, "approver": approver, "milestones": milestones,
                                "title": "Alice's course"})
    assert call.summary == (f"Grant 350 BTK to {GRANTEE} for “Alice's course” in 2 milestones (100 BTK, 250 BTK), "
                            f"each paid when {approver} approves it") or milestones != "100, 250"
    return govern(chain, service, [call], "Grant Alice's course in two milestones")


def test_tranches_are_released_as_milestones_are_approved(chain, service, user):
    grants = Grants(chain)
    budget = int(grants.budget()["available_wei"])
    assert budget == 100_000 * BTK   # deploy-parameters: grants.initialBudget
    make_grant(chain, service)
    (g,) = grants.list(GRANTEE)
    assert g["yours"] and not g["you_approve"] and g["state"] == "active"
    assert (g["released"], g["pending"], g["next_milestone"]) == ("0", "350", 1)
    assert [m["status"] for m in g["milestones"]] == ["pending", "pending"]
    assert grants.budget()["committed"] == "350"

    # Attack: the grantee's own vault account (not the approver) tries to release a tranche.
    other = user.add_account("other").address
    with pytest.raises(ChainError) as err:
        grants.approve_request(service, other, 0)
    assert err.value.reason == "not-approver" and USER_ADDRESS in str(err.value)

    send(service, grants.approve_request(service, USER_ADDRESS, 0))
    assert chain.btk_balance(GRANTEE) == 100 * BTK
    g = grants.get(0, GRANTEE)
    assert (g["released"], g["pending"], g["next_milestone"]) == ("100", "250", 2)
    assert g["milestones"][0]["status"] == "released" and g["milestones"][0]["approved_by"] == USER_ADDRESS
    send(service, grants.approve_request(service, USER_ADDRESS, 0))
    assert chain.btk_balance(GRANTEE) == 350 * BTK
    g = grants.get(0, GRANTEE)
    assert g["state"] == "completed" and g["pending"] == "0"
    with pytest.raises(ChainError) as err:   # nothing is paid twice
        grants.approve_request(service, USER_ADDRESS, 0)
    assert err.value.reason == "grant-closed"
    assert grants.budget()["committed"] == "0" and int(grants.budget()["available_wei"]) == budget - 350 * BTK


def test_a_grant_beyond_the_budget_is_refused_before_anything_is_signed(chain, service):
    gov = Governance(chain)
    with pytest.raises(ChainError) as err:
        templates.make_call(gov, "milestone-grant", {"grantee": GRANTEE, "approver": USER_ADDRESS,
                                                     "milestones": "60000, 50000", "title": "too much"})
    assert err.value.reason == "insufficient-budget" and "100,000 BTK" in str(err.value)
    with pytest.raises(ChainError) as err:
        templates.make_call(gov, "milestone-grant", {"grantee": GRANTEE, "approver": USER_ADDRESS,
                                                     "milestones": "", "title": "none"})
    assert err.value.reason == "invalid-argument"
    # Forced past the template's check, the contract refuses in words.
    escrow = chain.contracts.extension("grants")
    with pytest.raises(ChainError) as err:
        escrow.functions.createGrant(GRANTEE, USER_ADDRESS, [1], "x").call({"from": USER_ADDRESS})
    assert "Only governance may do this" in str(err.value)
    with pytest.raises(ChainError) as err:
        Grants(chain).get(5)
    assert err.value.reason == "unknown-grant"
