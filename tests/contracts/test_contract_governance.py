"""A full DAO cycle: delegate, propose, vote, queue in the timelock, wait, execute; and the
ways a proposal fails."""

from eth_utils import keccak

from tests.contracts.harness import BTK, PARAMS, reverts

PENDING, ACTIVE, CANCELED, DEFEATED, SUCCEEDED, QUEUED, EXPIRED, EXECUTED = range(8)


def test_full_cycle_changes_the_marketplace_fee(suite, a):
    g = suite.governor.functions
    # A new voter delegates to herself first: holding alone gives no votes.
    suite.send(suite.token.functions.transfer(a["carol"], 10_000 * BTK), a["alice"])
    suite.delegate_self(a["carol"])
    suite.mine()

    description = "Marketplace fee 2.5% -> 4%"
    proposal_id, proposal = suite.propose([(suite.marketplace, "setFeeBps", [400])], description)
    assert proposal_id == g.hashProposal(*proposal).call()
    assert g.state(proposal_id).call() == PENDING
    assert g.proposalNeedsQueuing(proposal_id).call()
    with reverts("GovernorUnexpectedProposalState"):  # voting has not opened yet
        suite.send(g.castVote(proposal_id, 1), a["alice"])

    suite.mine(PARAMS["governor"]["votingDelayBlocks"] + 1)
    assert g.state(proposal_id).call() == ACTIVE
    receipt = suite.send(g.castVoteWithReason(proposal_id, 1, "fund the treasury"), a["alice"])
    (vote,) = suite.events(suite.governor, "VoteCast", receipt)
    assert vote.args.weight == 4_990_000 * BTK
    suite.send(g.castVote(proposal_id, 0), a["carol"])
    with reverts("GovernorAlreadyCastVote", a["alice"]):
        suite.send(g.castVote(proposal_id, 1), a["alice"])
    with reverts("GovernorInvalidVoteType"):
        suite.send(g.castVote(proposal_id, 3), a["bob"])
    assert g.proposalVotes(proposal_id).call() == [110_000 * BTK, 4_990_000 * BTK, 0]
    assert g.hasVoted(proposal_id, a["carol"]).call()

    suite.mine(g.proposalDeadline(proposal_id).call() + 1 - suite.block)
    assert g.state(proposal_id).call() == SUCCEEDED
    with reverts("GovernorUnexpectedProposalState"):  # succeeded proposals must be queued first
        suite.execute(proposal)
    receipt = suite.send(g.queue(*proposal), a["mallory"])  # anyone may queue
    assert g.state(proposal_id).call() == QUEUED
    eta = g.proposalEta(proposal_id).call()
    assert eta == suite.now + PARAMS["timelock"]["minDelaySeconds"]

    with reverts("TimelockUnexpectedOperationState"):  # the delay has not passed
        suite.execute(proposal)
    suite.advance_time(PARAMS["timelock"]["minDelaySeconds"] + 1)
    receipt = suite.execute(proposal)  # anyone may execute
    assert g.state(proposal_id).call() == EXECUTED
    assert suite.marketplace.functions.feeBps().call() == 400
    (changed,) = suite.events(suite.marketplace, "FeeBpsChanged", receipt)
    assert (changed.args.oldBps, changed.args.newBps) == (250, 400)


def test_treasury_spends_only_through_governance(suite, a):
    t = suite.token.functions
    before = t.balanceOf(a["bob"]).call()
    suite.govern([(suite.token, "transfer", [a["bob"], 1_234 * BTK])], "Grant 1234 BTK to bob")
    assert t.balanceOf(a["bob"]).call() == before + 1_234 * BTK
    assert t.balanceOf(suite.timelock.address).call() == 50_000_000 * BTK - 1_234 * BTK


def test_one_proposal_updates_several_contracts(suite, a):
    suite.govern(
        [
            (suite.marketplace, "setFeeBps", [100]),
            (suite.staking, "setRewardRate", [2 * BTK]),
            (suite.staking, "setCooldownBlocks", [5]),
            (suite.soulbound, "setIssuanceFee", [0]),
            (suite.soulbound, "grantRole", [keccak(text="ISSUER_ROLE"), a["carol"]]),
            (suite.governor, "setVotingPeriod", [60]),
        ],
        "Demo tuning",
    )
    assert suite.marketplace.functions.feeBps().call() == 100
    assert suite.staking.functions.rewardRate().call() == 2 * BTK
    assert suite.staking.functions.cooldownBlocks().call() == 5
    assert suite.soulbound.functions.issuanceFee().call() == 0
    assert suite.soulbound.functions.hasRole(keccak(text="ISSUER_ROLE"), a["carol"]).call()
    assert suite.governor.functions.votingPeriod().call() == 60


def test_quorum_not_reached_is_defeated(suite, a):
    suite.delegate_self(a["bob"])  # 10,000 BTK: far below the 4,000,000 BTK quorum
    suite.mine()
    g = suite.governor.functions
    proposal_id, proposal = suite.propose([(suite.marketplace, "setFeeBps", [0])], "No fee", proposer=a["bob"])
    suite.mine(2)
    suite.send(g.castVote(proposal_id, 1), a["bob"])
    suite.mine(g.proposalDeadline(proposal_id).call() + 1 - suite.block)
    assert g.state(proposal_id).call() == DEFEATED
    with reverts("GovernorUnexpectedProposalState"):
        suite.send(g.queue(*proposal), a["bob"])


def test_majority_against_is_defeated(suite, a):
    g = suite.governor.functions
    proposal_id, _proposal = suite.propose([(suite.marketplace, "setFeeBps", [0])], "No fee")
    suite.mine(2)
    suite.send(g.castVote(proposal_id, 0), a["alice"])
    suite.mine(g.proposalDeadline(proposal_id).call() + 1 - suite.block)
    assert g.state(proposal_id).call() == DEFEATED


def test_proposal_threshold_and_duplicates(suite, a):
    g = suite.governor.functions
    threshold = PARAMS["governor"]["proposalThreshold"] * BTK
    calldata = suite.marketplace.encode_abi("setFeeBps", args=[0])
    with reverts("GovernorInsufficientProposerVotes", a["mallory"], 0, threshold):
        suite.send(g.propose([suite.marketplace.address], [0], [calldata], "Mallory's idea"), a["mallory"])
    suite.propose([(suite.marketplace, "setFeeBps", [0])], "Same")
    with reverts("GovernorUnexpectedProposalState"):
        suite.propose([(suite.marketplace, "setFeeBps", [0])], "Same")
    with reverts("GovernorInvalidProposalLength", 1, 0, 1):
        suite.send(g.propose([suite.marketplace.address], [0], [], "Broken"), a["alice"])


def test_proposer_cancels_while_pending(suite, a):
    g = suite.governor.functions
    proposal_id, proposal = suite.propose([(suite.marketplace, "setFeeBps", [0])], "Oops")
    with reverts("GovernorUnableToCancel", proposal_id, a["mallory"]):
        suite.send(g.cancel(*proposal), a["mallory"])
    suite.send(g.cancel(*proposal), a["alice"])
    assert g.state(proposal_id).call() == CANCELED


def test_governed_setters_refuse_everyone_but_the_timelock(suite, a):
    m = a["mallory"]
    with reverts("OwnableUnauthorizedAccount", m):
        suite.send(suite.marketplace.functions.setFeeBps(0), m)
    with reverts("OwnableUnauthorizedAccount", m):
        suite.send(suite.staking.functions.setRewardRate(0), m)
    with reverts("OwnableUnauthorizedAccount", m):
        suite.send(suite.staking.functions.slash(0, 100), m)
    with reverts("OwnableUnauthorizedAccount", m):
        suite.send(suite.staking.functions.registerValidator(m, "Mallory", 0), m)
    with reverts("AccessControlUnauthorizedAccount", m, b"\0" * 32):
        suite.send(suite.soulbound.functions.setIssuanceFee(0), m)
    with reverts("GovernorOnlyExecutor", m):
        suite.send(suite.governor.functions.setVotingPeriod(1), m)
    tl = suite.timelock.functions
    proposer = tl.PROPOSER_ROLE().call()
    with reverts("AccessControlUnauthorizedAccount", m, proposer):
        suite.send(tl.schedule(suite.marketplace.address, 0, b"", b"\0" * 32, b"\0" * 32, 60), m)
    with reverts("TimelockUnauthorizedCaller", m):
        suite.send(tl.updateDelay(1), m)


def test_a_reverting_call_fails_the_execution_with_its_error(suite, a):
    """The timelock bubbles the target's custom error up through the governor."""
    proposal_id, proposal = suite.propose([(suite.marketplace, "setFeeBps", [5_000])], "Greedy fee")
    suite.vote_and_queue(proposal_id, proposal)
    suite.advance_time(PARAMS["timelock"]["minDelaySeconds"] + 1)
    with reverts("FeeTooHigh", 5_000, 1_000):
        suite.execute(proposal)
    assert suite.governor.functions.state(proposal_id).call() == QUEUED
