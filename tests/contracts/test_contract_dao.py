"""The DAO's growth contracts: Constitution (hash + version, amended only by governance)
and PollRegistry (poll definitions for gas-free, signed polls)."""

import pytest
from eth_utils import keccak

from tests.contracts.harness import BTK, ZERO, reverts

V1 = keccak(text="# Constitution\n\n## Article 1. Purpose\nServe the members.\n")
V2 = keccak(text="# Constitution\n\n## Article 1. Purpose\nServe the members well.\n")
V3 = keccak(text="# Constitution\n\n## Article 1. Purpose\nServe everyone.\n")


@pytest.fixture
def constitution(suite):
    return suite.deploy("Constitution", suite.timelock.address, V1)


@pytest.fixture
def polls(suite):
    return suite.deploy("PollRegistry", suite.token.address, suite.timelock.address, 1_000 * BTK)


def test_constitution_starts_at_version_one_with_the_shipped_hash(suite, constitution):
    assert constitution.functions.current().call() == [1, V1]
    assert constitution.functions.owner().call() == suite.timelock.address
    with reverts("EmptyConstitution"):
        suite.deploy("Constitution", suite.timelock.address, b"\0" * 32)


def test_only_a_passed_proposal_amends_the_constitution(suite, a, constitution):
    c = constitution.functions
    # Attack: a holder (even the largest) calls amend directly instead of proposing.
    with reverts("OwnableUnauthorizedAccount", a["alice"]):
        suite.send(c.amend(V1, V2, "direct"), a["alice"])
    receipt = suite.govern([(constitution, "amend", [V1, V2, "Clarify article 1"])], "Amend the constitution")
    (event,) = suite.events(constitution, "ConstitutionAdopted", receipt)
    assert (event.args.version, event.args.textHash, event.args.previousHash) == (2, V2, V1)
    assert event.args.summary == "Clarify article 1"
    assert c.current().call() == [2, V2]


def test_a_second_amendment_drafted_against_the_old_text_cannot_overwrite_the_first(suite, a, constitution):
    # Two proposals both drafted against V1 pass; the later one must not silently win.
    first = suite.propose([(constitution, "amend", [V1, V2, "first"])], "Amendment A")
    second = suite.propose([(constitution, "amend", [V1, V3, "second"])], "Amendment B")
    g = suite.governor.functions
    suite.mine(max(0, g.proposalSnapshot(second[0]).call() + 1 - suite.block))
    for pid, _ in (first, second):
        suite.send(g.castVote(pid, 1), a["alice"])
    suite.mine(max(0, g.proposalDeadline(second[0]).call() + 1 - suite.block))
    for _, proposal in (first, second):
        suite.send(g.queue(*proposal), a["alice"])
    suite.advance_time(120)
    suite.execute(first[1])
    with reverts("StaleAmendment", V1, V2):  # the timelock passes its call's revert on
        suite.execute(second[1])
    assert constitution.functions.current().call() == [2, V2]


def test_amend_names_what_it_replaces(suite, a):
    """On a copy owned by an account standing in for the timelock."""
    c = suite.deploy("Constitution", a["gov"], V1).functions
    suite.send(c.amend(V1, V2, "second"), a["gov"])
    with reverts("StaleAmendment", V1, V2):
        suite.send(c.amend(V1, V3, "drafted against version 1"), a["gov"])
    with reverts("UnchangedConstitution"):
        suite.send(c.amend(V2, V2, "same text"), a["gov"])
    with reverts("EmptyConstitution"):
        suite.send(c.amend(V2, b"\0" * 32, "no text"), a["gov"])
    assert c.current().call() == [2, V2]


def test_a_poll_is_registered_once_with_its_definition_in_the_event(suite, a, polls):
    p = polls.functions
    suite.mine()
    snapshot = suite.block - 1
    definition = '{"question":"Fund a hackathon?","options":["yes","no"]}'
    receipt = suite.send(p.create(definition, snapshot, suite.block + 20), a["alice"])
    (event,) = suite.events(polls, "PollCreated", receipt)
    assert event.args.id == keccak(text=definition)
    assert event.args.definition == definition
    assert p.pollOf(event.args.id).call() == (a["alice"], snapshot, event.args.closesBlock)
    with reverts("PollExists", keccak(text=definition)):
        suite.send(p.create(definition, snapshot, suite.block + 20), a["alice"])


def test_poll_creation_refuses_spam_and_snapshots_that_are_not_final(suite, a, polls):
    p = polls.functions
    suite.mine()
    # Attack: a holder without votes registers polls for free to flood the list.
    with reverts("BelowCreationThreshold", 0, 1_000 * BTK):
        suite.send(p.create("{}", suite.block - 1, suite.block + 10), a["mallory"])
    # A snapshot in the future would let balances move after the poll is known.
    with reverts("SnapshotNotPast"):
        suite.send(p.create("{}", suite.block + 5, suite.block + 10), a["alice"])
    with reverts("ClosesTooSoon"):
        suite.send(p.create("{}", suite.block - 1, suite.block), a["alice"])
    with reverts("EmptyDefinition"):
        suite.send(p.create("", suite.block - 1, suite.block + 10), a["alice"])
    with reverts("OwnableUnauthorizedAccount", a["alice"]):
        suite.send(p.setCreationThreshold(0), a["alice"])
    suite.govern([(polls, "setCreationThreshold", [0])], "Anyone may create polls")
    assert p.creationThreshold().call() == 0
    suite.send(p.create("{}", suite.block - 1, suite.block + 10), a["mallory"])


@pytest.fixture
def grants(suite, a):
    """An escrow owned by the timelock, with a 1,000 BTK budget funded by the treasury."""
    escrow = suite.deploy("GrantEscrow", suite.token.address, suite.timelock.address)
    suite.govern([(suite.token, "transfer", [escrow.address, 1_000 * BTK])], "Fund the grants budget")
    return escrow


def test_a_grant_pays_its_milestones_in_order_as_they_are_approved(suite, a, grants):
    g, token = grants.functions, suite.token.functions
    receipt = suite.govern([(grants, "createGrant", [a["bob"], a["carol"], [100 * BTK, 200 * BTK], "Course"])],
                           "Grant to Bob in two milestones")
    (event,) = suite.events(grants, "GrantCreated", receipt)
    assert (event.args.grantId, event.args.total, event.args.milestones) == (0, 300 * BTK, 2)
    assert g.committed().call() == 300 * BTK and g.available().call() == 700 * BTK
    before = token.balanceOf(a["bob"]).call()
    # Attack: the grantee approves their own milestone; then the approver skips ahead.
    with reverts("NotGrantApprover", a["bob"], 0):
        suite.send(g.approveMilestone(0, 0), a["bob"])
    with reverts("MilestoneOutOfOrder", 0, 1):
        suite.send(g.approveMilestone(0, 1), a["carol"])
    suite.send(g.approveMilestone(0, 0), a["carol"])
    assert token.balanceOf(a["bob"]).call() == before + 100 * BTK
    with reverts("MilestoneOutOfOrder", 1, 0):   # the same tranche twice
        suite.send(g.approveMilestone(0, 0), a["carol"])
    receipt = suite.send(g.approveMilestone(0, 1), a["carol"])
    (event,) = suite.events(grants, "MilestoneApproved", receipt)
    assert (event.args.milestone, event.args.amount, event.args.by) == (1, 200 * BTK, a["carol"])
    assert token.balanceOf(a["bob"]).call() == before + 300 * BTK
    with reverts("GrantClosed", 0):
        suite.send(g.approveMilestone(0, 2), a["carol"])
    grant = g.grantAt(0).call()
    assert grant[0] == a["bob"] and grant[3] == 2 and grant[5] == [100 * BTK, 200 * BTK]
    assert g.committed().call() == 0 and g.available().call() == 700 * BTK


def test_grants_never_commit_more_than_the_budget_and_cancelling_frees_the_rest(suite, a, grants):
    g = grants.functions
    with reverts("OwnableUnauthorizedAccount", a["alice"]):   # only governance creates grants
        suite.send(g.createGrant(a["alice"], a["alice"], [1 * BTK], "self-dealing"), a["alice"])
    own = suite.deploy("GrantEscrow", suite.token.address, a["gov"])   # an EOA stands in for the timelock
    o = own.functions
    suite.send(suite.token.functions.approve(own.address, 500 * BTK), a["gov"])
    suite.send(o.fund(500 * BTK), a["gov"])
    suite.send(o.createGrant(a["bob"], a["carol"], [300 * BTK, 100 * BTK], "first"), a["gov"])
    with reverts("ExceedsBudget", 100 * BTK, 200 * BTK):   # 400 of 500 committed
        suite.send(o.createGrant(a["bob"], a["carol"], [200 * BTK], "second"), a["gov"])
    with reverts("ExceedsBudget", 100 * BTK, 101 * BTK):   # committed budget cannot be withdrawn
        suite.send(o.withdrawBudget(101 * BTK), a["gov"])
    suite.send(o.approveMilestone(0, 0), a["gov"])   # governance may approve too
    receipt = suite.send(o.cancelGrant(0), a["gov"])
    (event,) = suite.events(own, "GrantCancelled", receipt)
    assert event.args.freed == 100 * BTK and o.available().call() == 200 * BTK
    with reverts("GrantClosed", 0):   # a cancelled grant pays nothing more
        suite.send(o.approveMilestone(0, 1), a["carol"])
    with reverts("GrantClosed", 0):
        suite.send(o.cancelGrant(0), a["gov"])
    for args, error in (((a["bob"], a["carol"], [], "x"), "NoMilestones"),
                        ((a["bob"], a["carol"], [1] * 13, "x"), "TooManyMilestones"),
                        ((a["bob"], a["carol"], [1, 0], "x"), "ZeroMilestone"),
                        ((ZERO, a["carol"], [1], "x"), "InvalidGrantee")):
        with reverts(error):
            suite.send(o.createGrant(*args), a["gov"])
    with reverts("UnknownGrant", 9):
        o.grantAt(9).call()
    with reverts("ZeroAmount"):
        suite.send(o.fund(0), a["gov"])
    suite.send(o.withdrawBudget(200 * BTK), a["gov"])
    assert o.available().call() == 0


MAX_LOCK = 1_000   # blocks, for the tests
MIN_LOCK = 10


@pytest.fixture
def escrow(suite, a):
    ve = suite.deploy("VoteEscrow", suite.token.address, suite.timelock.address, MAX_LOCK, MIN_LOCK)
    suite.send(suite.token.functions.approve(ve.address, 10_000 * BTK), a["bob"])
    return ve


def test_locked_power_grows_with_the_lock_and_decays_linearly_to_the_unlock(suite, a, escrow):
    v = escrow.functions
    receipt = suite.send(v.lock(1_000 * BTK, suite.block + 1 + MAX_LOCK), a["bob"])   # the longest lock
    locked_at = receipt.blockNumber
    assert v.getVotes(a["bob"]).call() == 1_000 * BTK
    suite.mine(100)
    assert v.getVotes(a["bob"]).call() == 1_000 * BTK * (MAX_LOCK - 100) // MAX_LOCK
    assert v.getPastVotes(a["bob"], locked_at).call() == 1_000 * BTK   # the checkpoint at the lock
    assert v.getPastVotes(a["bob"], locked_at - 1).call() == 0
    # a lock half as long counts half as much
    suite.send(suite.token.functions.approve(escrow.address, 1_000 * BTK), a["carol"])
    suite.send(v.lock(1_000 * BTK, suite.block + 1 + MAX_LOCK // 2), a["carol"])
    assert v.getVotes(a["carol"]).call() == 500 * BTK
    # topping up and extending add power; the past stays as it was
    before = suite.block
    suite.send(v.lock(1_000 * BTK, suite.block + 1 + MAX_LOCK), a["bob"])
    assert v.getVotes(a["bob"]).call() == 2_000 * BTK
    assert v.getPastVotes(a["bob"], before).call() == 1_000 * BTK * (MAX_LOCK - (before - locked_at)) // MAX_LOCK
    with reverts("FutureLookup"):
        v.getPastVotes(a["bob"], suite.block + 5).call()


def test_locks_cannot_be_shortened_or_left_early(suite, a, escrow):
    v = escrow.functions
    unlock = suite.block + 1 + 100
    suite.send(v.lock(100 * BTK, unlock), a["bob"])
    # Attack: shorten the lock after voting with its power, to leave early.
    with reverts("LockShortened", unlock - 50, unlock):
        suite.send(v.lock(0, unlock - 50), a["bob"])
    with reverts("StillLocked", unlock):
        suite.send(v.withdraw(), a["bob"])
    with reverts("LockTooLong"):
        suite.send(v.lock(0, suite.block + 2 + MAX_LOCK), a["bob"])
    with reverts("LockTooShort"):
        suite.send(v.lock(1, suite.block + 2), a["carol"])
    with reverts("ZeroAmount"):
        suite.send(v.lock(0, suite.block + 50), a["carol"])
    with reverts("NoLock", a["carol"]):
        suite.send(v.withdraw(), a["carol"])
    suite.mine(max(0, unlock - suite.block))
    assert v.getVotes(a["bob"]).call() == 0   # no power left at the unlock block
    with reverts("LockExpired", unlock):   # an expired lock is withdrawn, not silently renewed
        suite.send(v.lock(1 * BTK, suite.block + 50), a["bob"])
    balance = suite.token.functions.balanceOf(a["bob"]).call()
    suite.send(v.withdraw(), a["bob"])
    assert suite.token.functions.balanceOf(a["bob"]).call() == balance + 100 * BTK
    assert v.lockOf(a["bob"]).call() == [0, 0] or tuple(v.lockOf(a["bob"]).call()) == (0, 0)
    with reverts("OwnableUnauthorizedAccount", a["bob"]):
        suite.send(v.setMinLockBlocks(0), a["bob"])
