"""SubDaoGrants: milestone grants paid out of a sub-DAO's budget. A grant is funded only by
a paid council spend of its own sub-DAO, to this contract, for exactly its total, used once;
only the approver releases, in order; a council cancel returns the rest to the reserve."""

import pytest

from tests.contracts.harness import BTK, reverts
from tests.contracts.test_contract_subdaos import NAMES


@pytest.fixture
def setup(suite, a):
    # Ecosystem Growth (0): bob + carol, 1 approval; SkillFi Economy (1): carol alone.
    treasury = suite.deploy("SubDaoTreasury", suite.token.address, suite.timelock.address, NAMES,
                            [[a["bob"], a["carol"]], [a["carol"]], [a["issuer"]], [a["connector"]]], [1, 1, 1, 1])
    suite.send(suite.token.functions.approve(treasury.address, 50_000 * BTK), a["deployer"])
    suite.send(treasury.functions.fund(50_000 * BTK), a["deployer"])
    grants = suite.deploy("SubDaoGrants", suite.token.address, treasury.address, suite.timelock.address)
    suite.govern([(treasury, "allocate", [0, 1_000 * BTK]), (treasury, "allocate", [1, 1_000 * BTK])],
                 "Fund two sub-DAOs")
    return treasury, grants


def spend(suite, treasury, dao, to, amount, member):
    receipt = suite.send(treasury.functions.proposeSpend(dao, to, amount, "milestone grant"), member)
    return suite.events(treasury, "SpendPaid", receipt)[0].args.spendId


def test_a_grant_funded_by_its_council_pays_two_milestones_in_order(suite, a, setup):
    treasury, grants = setup
    f, t = grants.functions, suite.token.functions
    assert f.owner().call() == suite.timelock.address
    # Attack: someone outside the council proposes a grant in the sub-DAO's name.
    with reverts("NotSubDaoCouncil", a["mallory"], 0):
        suite.send(f.proposeGrant(0, a["mallory"], a["mallory"], [BTK], "me"), a["mallory"])
    with reverts("TooManyMilestones", 13, 12):
        suite.send(f.proposeGrant(0, a["mallory"], a["bob"], [BTK] * 13, "x"), a["bob"])
    with reverts("ZeroMilestone", 1):
        suite.send(f.proposeGrant(0, a["mallory"], a["bob"], [BTK, 0], "x"), a["bob"])
    with reverts("NoMilestones"):
        suite.send(f.proposeGrant(0, a["mallory"], a["bob"], [], "x"), a["bob"])
    with reverts("InvalidGrantee"):
        suite.send(f.proposeGrant(0, "0x" + "00" * 20, a["bob"], [BTK], "x"), a["bob"])
    receipt = suite.send(f.proposeGrant(0, a["mallory"], a["carol"], [100 * BTK, 200 * BTK], "Docs site"), a["bob"])
    assert suite.events(grants, "GrantProposed", receipt)[0].args.total == 300 * BTK
    # Not funded yet: nothing to release.
    with reverts("GrantNotActive", 0):
        suite.send(f.releaseMilestone(0, 0), a["carol"])
    spend_id = spend(suite, treasury, 0, grants.address, 300 * BTK, a["bob"])
    suite.send(f.activate(0, spend_id), a["mallory"])   # anyone: every condition is on chain
    assert treasury.functions.subDaoAt(0).call()[4] == 700 * BTK
    # Attack: the grantee (not the approver) releases to themselves.
    with reverts("NotSubDaoGrantApprover", a["mallory"], 0):
        suite.send(f.releaseMilestone(0, 0), a["mallory"])
    # Attack: the approver skips milestone 1.
    with reverts("MilestoneOutOfOrder", 0, 1):
        suite.send(f.releaseMilestone(0, 1), a["carol"])
    before = t.balanceOf(a["mallory"]).call()
    suite.send(f.releaseMilestone(0, 0), a["carol"])
    assert t.balanceOf(a["mallory"]).call() - before == 100 * BTK
    suite.send(f.releaseMilestone(0, 1), a["carol"])
    assert t.balanceOf(a["mallory"]).call() - before == 300 * BTK
    with reverts("GrantNotActive", 0):   # nothing is paid twice
        suite.send(f.releaseMilestone(0, 2), a["carol"])
    assert t.balanceOf(grants.address).call() == 0
    with reverts("UnknownSubDaoGrant", 5):
        suite.send(f.releaseMilestone(5, 0), a["carol"])


def test_only_the_right_spend_funds_a_grant_and_only_once(suite, a, setup):
    treasury, grants = setup
    f = grants.functions
    suite.send(f.proposeGrant(0, a["mallory"], a["carol"], [100 * BTK, 200 * BTK], "Ecosystem grant"), a["bob"])
    # Attack: SkillFi Economy's money (a spend to this contract of the right amount) funds Ecosystem's grant.
    other_dao = spend(suite, treasury, 1, grants.address, 300 * BTK, a["carol"])
    with reverts("SpendOfAnotherSubDao", other_dao, 1):
        suite.send(f.activate(0, other_dao), a["bob"])
    # Attack: a spend of the wrong amount, and one paid to someone else.
    wrong_amount = spend(suite, treasury, 0, grants.address, 299 * BTK, a["bob"])
    with reverts("SpendAmountMismatch", wrong_amount, 299 * BTK, 300 * BTK):
        suite.send(f.activate(0, wrong_amount), a["bob"])
    elsewhere = spend(suite, treasury, 0, a["bob"], 300 * BTK, a["bob"])
    with reverts("SpendNotToGrants", elsewhere, a["bob"]):
        suite.send(f.activate(0, elsewhere), a["bob"])
    # Attack: a spend not paid (a 2-of-2 council's, approved once) or cancelled.
    suite.govern([(treasury, "setCouncil", [0, [a["bob"], a["carol"]], 2])], "Two approvals")
    suite.send(treasury.functions.proposeSpend(0, grants.address, 300 * BTK, "half approved"), a["bob"])
    pending = treasury.functions.spendCount().call() - 1
    with reverts("SpendNotPaid", pending):
        suite.send(f.activate(0, pending), a["bob"])
    suite.send(treasury.functions.cancelSpend(pending), a["bob"])
    with reverts("SpendNotPaid", pending):
        suite.send(f.activate(0, pending), a["bob"])
    # The right one, then a second grant trying to reuse it.
    suite.send(treasury.functions.proposeSpend(0, grants.address, 300 * BTK, "grant 0"), a["bob"])
    right = treasury.functions.spendCount().call() - 1
    suite.send(treasury.functions.approveSpend(right), a["carol"])
    suite.send(f.activate(0, right), a["bob"])
    with reverts("GrantNotProposed", 0):
        suite.send(f.activate(0, right), a["bob"])
    suite.send(f.proposeGrant(0, a["bob"], a["carol"], [300 * BTK], "Same money twice"), a["carol"])
    with reverts("SpendAlreadyUsed", right):
        suite.send(f.activate(1, right), a["carol"])


def test_a_council_cancel_returns_the_unreleased_rest_to_the_reserve(suite, a, setup):
    treasury, grants = setup
    f, t = grants.functions, suite.token.functions
    suite.send(f.proposeGrant(0, a["mallory"], a["carol"], [100 * BTK, 200 * BTK], "Half done"), a["bob"])
    suite.send(f.activate(0, spend(suite, treasury, 0, grants.address, 300 * BTK, a["bob"])), a["bob"])
    suite.send(f.releaseMilestone(0, 0), a["carol"])
    reserve = treasury.functions.reserve().call()
    # Attack: the grantee cancels; a council member of another sub-DAO cancels.
    with reverts("NotSubDaoCouncil", a["mallory"], 0):
        suite.send(f.cancelGrant(0), a["mallory"])
    with reverts("NotSubDaoCouncil", a["issuer"], 0):
        suite.send(f.cancelGrant(0), a["issuer"])
    receipt = suite.send(f.cancelGrant(0), a["bob"])
    assert suite.events(grants, "GrantCancelled", receipt)[0].args.returned == 200 * BTK
    assert treasury.functions.reserve().call() - reserve == 200 * BTK
    assert t.balanceOf(grants.address).call() == 0
    # Attack: the approver releases milestone 2 after the cancel.
    with reverts("GrantNotActive", 0):
        suite.send(f.releaseMilestone(0, 1), a["carol"])
    with reverts("GrantNotActive", 0):
        suite.send(f.cancelGrant(0), a["bob"])
    # A proposed grant never funded is cancelled with nothing to return, and cannot be activated after.
    suite.send(f.proposeGrant(0, a["mallory"], a["carol"], [5 * BTK], "Never funded"), a["bob"])
    suite.send(f.cancelGrant(1), a["carol"])
    with reverts("GrantNotProposed", 1):
        suite.send(f.activate(1, 0), a["bob"])
