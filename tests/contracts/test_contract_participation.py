"""ParticipationRewards: voters on proposals that reached quorum share their epoch's
budget by the votes they cast; the proposer of an executed proposal gets a bounty; each
claimable once, never from a proposal short of quorum, never by someone else."""

import pytest

from tests.contracts.harness import BTK, reverts

EPOCH = 200


@pytest.fixture
def rewards(suite, a):
    contract = suite.deploy("ParticipationRewards", suite.token.address, suite.governor.address,
                            suite.timelock.address, EPOCH, 1_000 * BTK, 50 * BTK)
    suite.send(suite.token.functions.approve(contract.address, 10_000 * BTK), a["deployer"])
    suite.send(contract.functions.fund(10_000 * BTK), a["deployer"])
    return contract


def _voted_proposal(suite, a, voters, description):
    """A proposal (a no-op bounty change) voted For by ``voters``, deadline passed."""
    pid, proposal = suite.propose([(suite.token, "transfer", [a["bob"], 0])], description)
    g = suite.governor.functions
    suite.mine(max(0, g.proposalSnapshot(pid).call() + 1 - suite.block))
    for voter in voters:
        suite.send(g.castVote(pid, 1), voter)
    suite.mine(max(0, g.proposalDeadline(pid).call() + 1 - suite.block))
    return pid, proposal


def _to_epoch(suite, rewards, epoch):
    suite.mine(max(0, epoch * EPOCH - suite.block))


def test_voters_share_the_epoch_budget_by_votes_and_claim_once(suite, a, rewards):
    f, t = rewards.functions, suite.token.functions
    suite.delegate_self(a["carol"])   # 100,000 BTK beside alice's 5,000,000
    suite.mine()
    pid, _ = _voted_proposal(suite, a, [a["alice"], a["carol"]], "Both vote")
    epoch = f.epochOf(suite.governor.functions.proposalDeadline(pid).call()).call()
    suite.send(f.register(pid), a["mallory"])   # anyone registers
    with reverts("AlreadyRegistered", pid):   # Attack: registering twice to count votes twice
        suite.send(f.register(pid), a["mallory"])
    assert f.epochPool(epoch).call() == 1_000 * BTK
    # Attack: claiming before the epoch's proposals are final.
    with reverts("EpochNotClosed", epoch, (epoch + 2) * EPOCH):
        suite.send(f.claim(epoch), a["carol"])
    _to_epoch(suite, rewards, epoch + 2)
    total = 5_100_000
    expected = 1_000 * BTK * 100_000 // total
    assert f.rewardOf(epoch, a["carol"]).call() == [100_000 * BTK, expected]
    before = t.balanceOf(a["carol"]).call()
    suite.send(f.claim(epoch), a["carol"])
    assert t.balanceOf(a["carol"]).call() - before == expected
    with reverts("AlreadyClaimed", epoch, a["carol"]):   # Attack: claiming twice
        suite.send(f.claim(epoch), a["carol"])
    with reverts("NothingToClaim"):        # Attack: a non-voter claims
        suite.send(f.claim(epoch), a["mallory"])
    suite.send(f.claim(epoch), a["alice"])
    assert f.epochPaid(epoch).call() <= 1_000 * BTK


def test_a_proposal_short_of_quorum_or_still_open_earns_nothing(suite, a, rewards):
    f = rewards.functions
    suite.delegate_self(a["mallory"])
    suite.mine()
    pid, _ = suite.propose([(suite.token, "transfer", [a["bob"], 0])], "Open", proposer=a["alice"])
    with reverts("VotingNotOver", pid):
        suite.send(f.register(pid), a["mallory"])
    # Attack: mallory (10,000 BTK, far below the 4 % quorum) votes alone and registers.
    pid, _ = _voted_proposal(suite, a, [a["mallory"]], "Only mallory")
    with reverts("QuorumNotReached", pid):
        suite.send(f.register(pid), a["mallory"])


def test_registration_closes_after_the_next_epoch(suite, a, rewards):
    f = rewards.functions
    pid, _ = _voted_proposal(suite, a, [a["alice"]], "Late")
    epoch = f.epochOf(suite.governor.functions.proposalDeadline(pid).call()).call()
    _to_epoch(suite, rewards, epoch + 2)
    with reverts("RegistrationClosed", pid, epoch):
        suite.send(f.register(pid), a["mallory"])


def test_the_proposer_of_an_executed_proposal_claims_the_bounty_once(suite, a, rewards):
    f, t = rewards.functions, suite.token.functions
    pid, proposal = _voted_proposal(suite, a, [a["alice"]], "Executed")
    with reverts("NotExecuted", pid):   # Attack: the bounty before execution
        suite.send(f.claimBounty(pid), a["alice"])
    suite.send(suite.governor.functions.queue(*proposal), a["alice"])
    suite.advance_time(120)
    suite.execute(proposal)
    with reverts("NotProposer", a["mallory"], pid):   # Attack: the executor claims the proposer's bounty
        suite.send(f.claimBounty(pid), a["mallory"])
    before = t.balanceOf(a["alice"]).call()
    suite.send(f.claimBounty(pid), a["alice"])
    assert t.balanceOf(a["alice"]).call() - before == 50 * BTK
    with reverts("BountyAlreadyClaimed", pid):
        suite.send(f.claimBounty(pid), a["alice"])


def test_only_governance_sets_the_budget_and_bounty(suite, a, rewards):
    f = rewards.functions
    with reverts("OwnableUnauthorizedAccount", a["alice"]):
        suite.send(f.setParameters(10**30, 10**30), a["alice"])
    suite.govern([(rewards, "setParameters", [2_000 * BTK, 0])], "Double the rewards, no bounty")
    assert (f.epochBudget().call(), f.bounty().call()) == (2_000 * BTK, 0)
