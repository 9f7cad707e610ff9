"""SubDaoTreasury: sub-DAO councils spend only what the main DAO allocated to them; the
main DAO allocates out of the reserve, claws unspent budget back, appoints councils."""

import pytest

from tests.contracts.harness import BTK, ZERO, reverts

NAMES = ["Ecosystem Growth", "SkillFi Economy", "Education Innovation", "Builders"]


@pytest.fixture
def subdaos(suite, a):
    councils = [[a["bob"], a["carol"]], [a["carol"]], [a["issuer"]], [a["connector"]]]
    contract = suite.deploy("SubDaoTreasury", suite.token.address, suite.timelock.address, NAMES, councils,
                            [2, 1, 1, 1])
    # The reserve: 50,000 BTK sent by the deployer (in the app, a treasury grant).
    suite.send(suite.token.functions.approve(contract.address, 50_000 * BTK), a["deployer"])
    suite.send(contract.functions.fund(50_000 * BTK), a["deployer"])
    return contract


def test_four_sub_daos_with_their_councils_governed_by_the_timelock(suite, a, subdaos):
    f = subdaos.functions
    assert f.owner().call() == suite.timelock.address
    assert f.subDaoCount().call() == 4
    name, council, threshold, _, budget, spent = f.subDaoAt(0).call()
    assert (name, council, threshold, budget, spent) == ("Ecosystem Growth", [a["bob"], a["carol"]], 2, 0, 0)
    assert f.reserve().call() == 50_000 * BTK
    with reverts("InvalidCouncil"):  # a threshold above the council's size
        suite.deploy("SubDaoTreasury", suite.token.address, suite.timelock.address, ["X"], [[a["bob"]]], [2])
    with reverts("InvalidCouncil"):  # the same member twice would count twice
        suite.deploy("SubDaoTreasury", suite.token.address, suite.timelock.address, ["X"], [[a["bob"], a["bob"]]],
                     [2])


def test_only_the_main_dao_allocates_and_claws_back(suite, a, subdaos):
    f = subdaos.functions
    # Attack: a council member allocates budget to their own sub-DAO, or claws back another's.
    with reverts("OwnableUnauthorizedAccount", a["carol"]):
        suite.send(f.allocate(1, 1_000 * BTK), a["carol"])
    with reverts("OwnableUnauthorizedAccount", a["mallory"]):
        suite.send(f.clawBack(1, 1), a["mallory"])
    with reverts("OwnableUnauthorizedAccount", a["mallory"]):
        suite.send(f.setCouncil(1, [a["mallory"]], 1), a["mallory"])
    suite.govern([(subdaos, "allocate", [1, 10_000 * BTK])], "Fund SkillFi Economy")
    assert f.subDaoAt(1).call()[4] == 10_000 * BTK
    assert f.reserve().call() == 40_000 * BTK
    with reverts("ExceedsReserve", 40_000 * BTK, 40_001 * BTK):
        suite.govern([(subdaos, "allocate", [2, 40_001 * BTK])], "Too much")


def test_a_grant_is_bounded_by_the_sub_dao_budget(suite, a, subdaos):
    f, t = subdaos.functions, suite.token.functions
    suite.govern([(subdaos, "allocate", [1, 1_000 * BTK])], "Fund SkillFi Economy")
    # Attack: someone outside the council pays themselves out of the budget.
    with reverts("NotCouncilMember", a["mallory"], 1):
        suite.send(f.proposeSpend(1, a["mallory"], 1 * BTK, "me"), a["mallory"])
    # Attack: the council spends more than its budget (the reserve holds much more).
    with reverts("ExceedsSubDaoBudget", 1_000 * BTK, 1_001 * BTK):
        suite.send(f.proposeSpend(1, a["bob"], 1_001 * BTK, "too much"), a["carol"])
    # Attack: a council spends another sub-DAO's budget.
    with reverts("NotCouncilMember", a["carol"], 2):
        suite.send(f.proposeSpend(2, a["carol"], 1 * BTK, "not mine"), a["carol"])
    before = t.balanceOf(a["bob"]).call()
    receipt = suite.send(f.proposeSpend(1, a["bob"], 600 * BTK, "Course bounty"), a["carol"])
    (paid,) = suite.events(subdaos, "SpendPaid", receipt)   # a council of one: paid at once
    assert (paid.args.spendId, paid.args.amount) == (0, 600 * BTK)
    assert t.balanceOf(a["bob"]).call() - before == 600 * BTK
    _, _, _, _, budget, spent = f.subDaoAt(1).call()
    assert (budget, spent) == (400 * BTK, 600 * BTK)
    with reverts("ExceedsSubDaoBudget", 400 * BTK, 401 * BTK):
        suite.send(f.proposeSpend(1, a["bob"], 401 * BTK, "the rest and more"), a["carol"])
    assert f.reserve().call() == 49_000 * BTK   # other budgets and the reserve untouched


def test_two_of_two_council_pays_on_the_second_approval_once(suite, a, subdaos):
    f, t = subdaos.functions, suite.token.functions
    suite.govern([(subdaos, "allocate", [0, 1_000 * BTK])], "Fund Ecosystem Growth")
    suite.send(f.proposeSpend(0, a["mallory"], 300 * BTK, "Hackathon prizes"), a["bob"])
    assert tuple(f.spendAt(0).call()[4:7]) == (1, False, False)
    # Attack: the proposer approves again to reach the threshold alone.
    with reverts("AlreadyApproved", a["bob"], 0):
        suite.send(f.approveSpend(0), a["bob"])
    with reverts("NotCouncilMember", a["mallory"], 0):
        suite.send(f.approveSpend(0), a["mallory"])
    before = t.balanceOf(a["mallory"]).call()
    suite.send(f.approveSpend(0), a["carol"])
    assert t.balanceOf(a["mallory"]).call() - before == 300 * BTK
    with reverts("SpendClosed", 0):
        suite.send(f.cancelSpend(0), a["bob"])


def test_clawback_returns_unspent_budget_and_a_pending_spend_cannot_outrun_it(suite, a, subdaos):
    f, t = subdaos.functions, suite.token.functions
    suite.govern([(subdaos, "allocate", [0, 1_000 * BTK])], "Fund Ecosystem Growth")
    suite.send(f.proposeSpend(0, a["bob"], 800 * BTK, "Pending"), a["bob"])
    treasury = t.balanceOf(suite.timelock.address).call()
    with reverts("ExceedsSubDaoBudget", 1_000 * BTK, 1_001 * BTK):
        suite.govern([(subdaos, "clawBack", [0, 1_001 * BTK])], "More than the budget")
    receipt = suite.govern([(subdaos, "clawBack", [0, 700 * BTK])], "Claw back Ecosystem Growth")
    assert suite.events(subdaos, "BudgetClawedBack", receipt)[0].args.amount == 700 * BTK
    assert t.balanceOf(suite.timelock.address).call() - treasury == 700 * BTK
    # The 800 BTK spend approved before the clawback cannot be paid from the 300 left.
    with reverts("ExceedsSubDaoBudget", 300 * BTK, 800 * BTK):
        suite.send(f.approveSpend(0), a["carol"])
    assert f.subDaoAt(0).call()[4] == 300 * BTK


def test_a_new_council_voids_the_old_councils_pending_spends(suite, a, subdaos):
    f = subdaos.functions
    suite.govern([(subdaos, "allocate", [0, 1_000 * BTK])], "Fund Ecosystem Growth")
    suite.send(f.proposeSpend(0, a["bob"], 100 * BTK, "Old council"), a["bob"])
    suite.govern([(subdaos, "setCouncil", [0, [a["carol"], a["issuer"]], 2])], "New council")
    assert not f.isCouncilMember(0, a["bob"]).call()
    # Attack: a removed member's half-approved spend finished by a new member.
    with reverts("CouncilReplaced", 0):
        suite.send(f.approveSpend(0), a["carol"])
    with reverts("UnknownSubDao", 9):
        suite.send(f.proposeSpend(9, a["bob"], 1, "x"), a["bob"])
    assert ZERO not in f.subDaoAt(0).call()[1]
