"""Sub-DAOs on the embedded chain and anvil: the main DAO appoints a council, funds a
sub-DAO's budget and claws it back by proposals from the templates; the council grants
out of that budget and never beyond it; nobody else spends it."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import govern, send
from vault.chain import templates
from vault.chain.contracts import BTK
from vault.chain.dao.subdaos import SubDaos
from vault.chain.governance import Governance
from vault.errors import ChainError

GRANTEE = "0x00000000000000000000000000000000000A11cE"


def appoint_and_fund(chain, service, dao=2, amount="1000"):
    gov = Governance(chain)
    council = templates.make_call(gov, "subdao-council", {"dao": str(dao), "members": USER_ADDRESS, "approvals": "1"})
    fund = templates.make_call(gov, "fund-subdao", {"dao": str(dao), "amount": amount})
    name = SubDaos(chain).list()[dao - 1]["name"]
    assert fund.summary == f"Allocate {int(amount):,} BTK to the budget of the {name} sub-DAO (number {dao})"
    return govern(chain, service, [council, fund], "Give SkillFi Economy a council and a budget")


def test_four_sub_daos_are_deployed_with_a_reserve(chain):
    s = SubDaos(chain)
    assert [d["name"] for d in s.list()] == ["Ecosystem Growth", "SkillFi Economy", "Education Innovation", "Builders"]
    assert int(s.reserve()["reserve_wei"]) == 200_000 * BTK   # deploy-parameters: subdaos.initialReserve
    assert all(d["budget"] == "0" for d in s.list())


def test_council_grants_within_the_budget_and_the_main_dao_claws_back(chain, service, user):
    s = SubDaos(chain)
    appoint_and_fund(chain, service)
    d = s.get(2, USER_ADDRESS)
    assert d["you_are_council"] and (d["budget"], d["allocated"]) == ("1000", "1000")
    assert d["rule"] == "A grant is paid when 1 of its 1 council member approve it, out of the budget left then."

    # Attack: an account outside the council grants itself the budget.
    other = user.add_account("other").address
    with pytest.raises(ChainError) as err:
        s.grant_request(service, other, 2, other, 10 * BTK, "me")
    assert err.value.reason == "not-council"
    # Attack: the council grants more than its budget (the reserve holds far more).
    with pytest.raises(ChainError) as err:
        s.grant_request(service, USER_ADDRESS, 2, GRANTEE, 1_001 * BTK, "too much")
    assert err.value.reason == "insufficient-budget" and "1,000 BTK" in str(err.value)
    # Forced past the check, the contract refuses in words too.
    with pytest.raises(ChainError) as err:
        chain.contracts.extension("subdaos").functions.proposeSpend(1, GRANTEE, 1_001 * BTK, "x").call(
            {"from": USER_ADDRESS})
    assert "budget has 1,000 BTK left" in str(err.value)

    send(service, s.grant_request(service, USER_ADDRESS, 2, GRANTEE, 400 * BTK, "Course bounties"))
    assert chain.btk_balance(GRANTEE) == 400 * BTK
    d = s.get(2, USER_ADDRESS)
    assert (d["budget"], d["spent"]) == ("600", "400")
    (g,) = d["grants"]
    assert (g["state"], g["memo"], g["approved_by"]) == ("paid", "Course bounties", [USER_ADDRESS])

    treasury = chain.btk_balance(chain.contracts.timelock.address)
    with pytest.raises(ChainError) as err:   # more than is left: refused before signing
        templates.make_call(Governance(chain), "clawback-subdao", {"dao": "2", "amount": "601"})
    assert err.value.reason == "insufficient-budget"
    claw = templates.make_call(Governance(chain), "clawback-subdao", {"dao": "2", "amount": "600"})
    assert claw.summary == "Claw back 600 BTK of the budget of the SkillFi Economy sub-DAO (number 2) to the treasury"
    govern(chain, service, [claw], "Claw back SkillFi Economy")
    assert chain.btk_balance(chain.contracts.timelock.address) - treasury == 600 * BTK
    d = s.get(2, USER_ADDRESS)
    assert (d["budget"], d["clawed_back"]) == ("0", "600")
    with pytest.raises(ChainError) as err:
        s.grant_request(service, USER_ADDRESS, 2, GRANTEE, 1 * BTK, "after the clawback")
    assert err.value.reason == "insufficient-budget"
    assert s.get(1)["budget"] == "0"   # other sub-DAOs untouched


def test_only_governance_funds_and_unknown_sub_daos_are_named(chain, service):
    contract = chain.contracts.extension("subdaos")
    with pytest.raises(ChainError) as err:   # Attack: a holder allocates budget directly.
        contract.functions.allocate(0, BTK).call({"from": USER_ADDRESS})
    assert "Only governance may do this" in str(err.value)
    with pytest.raises(ChainError) as err:
        templates.make_call(Governance(chain), "fund-subdao", {"dao": "9", "amount": "1"})
    assert "There is no sub-DAO 9; there are 4" in str(err.value)
    # A raw proposal naming a sub-DAO that does not exist: its words say the number, without a name.
    data = contract.encode_abi("allocate", [8, BTK])
    assert (Governance(chain).describe_call(contract.address, 0, bytes.fromhex(data[2:]))
            == "Allocate 1 BTK to the budget of sub-DAO 9")
    with pytest.raises(ChainError) as err:
        templates.make_call(Governance(chain), "fund-subdao", {"dao": "1", "amount": "200001"})
    assert err.value.reason == "insufficient-budget"
    with pytest.raises(ChainError) as err:
        SubDaos(chain).get(0)
    assert err.value.reason == "unknown-subdao"
