"""BlocktrackWeightedGovernor: power at a proposal's snapshot from delegated BTK, vote-escrow
locks (decaying) and governance-set credential bonuses; quadratic proposals counted per
member (the split-balance attack gains nothing); a remote votes source added to
token-weighted proposals; settings changed only by governance.

Each test runs on its own weighted governor and timelock beside the suite (the harness's
core stays as it is): a SoulboundCredential and a RewardsPool administered by an EOA standing
in for governance (``gov``), so that issuer roles can be taken away in one call."""

from dataclasses import dataclass

import pytest
from eth_utils import keccak

from tests.contracts.harness import ANYONE, BTK, GAS, PARAMS, ZERO, reverts

MEMBERSHIP = keccak(text="BlocktrackMembership")
MENTOR = keccak(text="MentorCredential")
MARKER = "\n\n#counting=quadratic"
MAX_LOCK = PARAMS["escrow"]["maxLockBlocks"]
FOR, AGAINST = 1, 0


@dataclass
class Weighted:
    governor: object
    timelock: object
    escrow: object
    sbt: object
    pool: object


@pytest.fixture
def w(suite, a) -> Weighted:
    g = PARAMS["governor"]
    timelock = suite.deploy("BlocktrackTimelock", PARAMS["timelock"]["minDelaySeconds"], [], [ANYONE], a["deployer"])
    governor = suite.deploy("BlocktrackWeightedGovernor", suite.token.address, timelock.address,
                            g["votingDelayBlocks"], g["votingPeriodBlocks"], g["proposalThreshold"] * BTK,
                            g["quorumPercent"], a["deployer"])
    for role in ("PROPOSER_ROLE", "CANCELLER_ROLE"):
        suite.send(timelock.functions.grantRole(getattr(timelock.functions, role)().call(), governor.address),
                   a["deployer"])
    suite.send(timelock.functions.renounceRole(timelock.functions.DEFAULT_ADMIN_ROLE().call(), a["deployer"]),
               a["deployer"])
    escrow = suite.deploy("VoteEscrow", suite.token.address, a["gov"], MAX_LOCK, PARAMS["escrow"]["minLockBlocks"])
    sbt = suite.deploy("SoulboundCredential", suite.token.address, a["gov"], 0, [a["issuer"]])
    pool = suite.deploy("RewardsPool", suite.token.address, sbt.address, a["gov"], [])
    suite.send(governor.functions.configure(escrow.address, sbt.address, pool.address), a["deployer"])
    return Weighted(governor, timelock, escrow, sbt, pool)


def credential(suite, w, holder, text, kind=MEMBERSHIP, issuer=None):
    issuer = issuer or suite.a["issuer"]
    receipt = suite.send(w.sbt.functions.issue(holder, keccak(text=text), f"ipfs://{text}"), issuer)
    (event,) = suite.events(w.sbt, "CredentialIssued", receipt)
    if kind is not None:
        suite.send(w.pool.functions.declareType(keccak(text=text), kind), issuer)
    return event.args.tokenId


def propose(suite, w, description, calls=None, proposer=None):
    calls = calls or [(suite.token, "transfer", [suite.a["bob"], 1 * BTK])]
    targets = [c.address for c, _, _ in calls]
    values = [0] * len(calls)
    calldatas = [c.encode_abi(fn, args=list(args)) for c, fn, args in calls]
    suite.advance_time(2)  # credentials issued before count: strictly earlier timestamps
    receipt = suite.send(w.governor.functions.propose(targets, values, calldatas, description),
                         proposer or suite.a["alice"])
    (event,) = suite.events(w.governor, "ProposalCreated", receipt)
    pid = event.args.proposalId
    suite.mine(max(0, w.governor.functions.proposalSnapshot(pid).call() + 1 - suite.block))
    return pid, (targets, values, calldatas, keccak(text=description))


def vote(suite, w, pid, voter, support=FOR) -> int:
    receipt = suite.send(w.governor.functions.castVote(pid, support), voter)
    (event,) = suite.events(w.governor, "VoteCast", receipt)
    return event.args.weight


def govern(suite, w, calls, description="settings"):
    pid, proposal = propose(suite, w, description, calls)
    vote(suite, w, pid, suite.a["alice"])
    suite.mine(w.governor.functions.proposalDeadline(pid).call() + 1 - suite.block)
    suite.send(w.governor.functions.queue(*proposal), suite.a["alice"])
    suite.advance_time(PARAMS["timelock"]["minDelaySeconds"] + 1)
    return suite.send(w.governor.functions.execute(*proposal), suite.a["mallory"])


def set_bonus(suite, w, kind, amount):
    govern(suite, w, [(w.governor, "setCredentialBonus", [kind, amount])], f"bonus {kind.hex()} {amount}")


def lock(suite, w, who, amount, blocks):
    suite.send(suite.token.functions.approve(w.escrow.address, amount), who)
    suite.send(w.escrow.functions.lock(amount, suite.block + 1 + blocks), who)
    return suite.block + blocks  # the unlock block (the lock was mined in suite.block)


# ---------------------------------------------------------------- plain behaviour


def test_without_locks_bonus_or_remote_it_counts_like_the_token_governor(suite, a, w):
    assert w.governor.functions.COUNTING_MODE().call() == suite.governor.functions.COUNTING_MODE().call()
    assert w.governor.functions.name().call() == suite.governor.functions.name().call()
    suite.delegate_self(a["bob"])
    pid, _ = propose(suite, w, "plain")
    snapshot = w.governor.functions.proposalSnapshot(pid).call()
    assert vote(suite, w, pid, a["alice"]) == suite.token.functions.getPastVotes(a["alice"], snapshot).call()
    assert vote(suite, w, pid, a["bob"], AGAINST) == 10_000 * BTK
    assert w.governor.functions.proposalVotes(pid).call() == [10_000 * BTK, 5_000_000 * BTK, 0]
    with reverts("GovernorAlreadyCastVote", a["bob"]):
        suite.send(w.governor.functions.castVote(pid, FOR), a["bob"])


# ---------------------------------------------------------------- vote-escrow power


def test_locked_btk_counts_at_the_snapshot_and_decays(suite, a, w):
    amount = 8_000 * BTK
    unlock = lock(suite, w, a["bob"], amount, MAX_LOCK // 2)
    pid, _ = propose(suite, w, "escrow counts")
    snapshot = w.governor.functions.proposalSnapshot(pid).call()
    expected = amount * (unlock - snapshot) // MAX_LOCK
    assert 0 < expected < amount // 2
    power = w.governor.functions.proposalPower(pid, a["bob"]).call()
    assert power[:4] == (0, expected, 0, expected)  # bob's 2,000 free BTK are not delegated
    assert vote(suite, w, pid, a["bob"]) == expected
    # later snapshot, less power: linear decay towards the unlock block
    suite.mine(1000)
    later, _ = propose(suite, w, "escrow decays")
    later_snapshot = w.governor.functions.proposalSnapshot(later).call()
    assert vote(suite, w, later, a["bob"]) == amount * (unlock - later_snapshot) // MAX_LOCK < expected
    # BTK locked after the snapshot count nothing on that proposal
    third, _ = propose(suite, w, "late lock")
    lock(suite, w, a["carol"], 50_000 * BTK, MAX_LOCK // 2)
    assert vote(suite, w, third, a["carol"]) == 0


def test_the_proposal_threshold_counts_locked_btk(suite, a, w):
    lock(suite, w, a["carol"], 2_000 * BTK, MAX_LOCK)
    suite.mine()
    pid, _ = propose(suite, w, "carol proposes with locked BTK", proposer=a["carol"])
    assert w.governor.functions.proposalProposer(pid).call() == a["carol"]
    with reverts("GovernorInsufficientProposerVotes"):
        propose(suite, w, "mallory has nothing delegated or locked", proposer=a["mallory"])


# ---------------------------------------------------------------- credential bonus


def test_a_valid_membership_adds_the_bonus_once(suite, a, w):
    set_bonus(suite, w, MEMBERSHIP, 100 * BTK)
    credential(suite, w, a["bob"], "bob-member")
    credential(suite, w, a["bob"], "bob-member-again")  # a second one of the same type adds nothing
    pid, _ = propose(suite, w, "bonus")
    assert w.governor.functions.proposalPower(pid, a["bob"]).call() == (0, 0, 100 * BTK, 100 * BTK, True)
    assert vote(suite, w, pid, a["bob"]) == 100 * BTK


def test_the_bonus_is_refused_for_revoked_undeclared_unaccredited_or_late_credentials(suite, a, w):
    set_bonus(suite, w, MEMBERSHIP, 100 * BTK)
    revoked = credential(suite, w, a["bob"], "bob-revoked")
    credential(suite, w, a["carol"], "carol-undeclared", kind=None)
    suite.send(w.sbt.functions.grantRole(w.sbt.functions.ISSUER_ROLE().call(), a["connector"]), a["gov"])
    credential(suite, w, a["connector"], "connector-self-issued", issuer=a["connector"])
    pid, _ = propose(suite, w, "who counts")
    credential(suite, w, a["mallory"], "mallory-after-creation")
    suite.send(w.sbt.functions.revoke(revoked), a["issuer"])
    suite.send(w.sbt.functions.revokeRole(w.sbt.functions.ISSUER_ROLE().call(), a["connector"]), a["gov"])
    for who in ("bob", "carol", "connector", "mallory"):
        assert w.governor.functions.proposalPower(pid, a[who]).call()[2:] == (0, 0, False), who
        assert vote(suite, w, pid, a[who]) == 0, who


def test_bonus_types_are_capped_and_removable(suite, a, w):
    kinds = [keccak(text=f"Type{i}") for i in range(5)]
    calls = [(w.governor, "setCredentialBonus", [k, BTK]) for k in kinds[:4]]
    govern(suite, w, calls, "four types")
    assert w.governor.functions.bonusTypes().call() == kinds[:4]
    pid, proposal = propose(suite, w, "a fifth", [(w.governor, "setCredentialBonus", [kinds[4], BTK])])
    vote(suite, w, pid, a["alice"])
    suite.mine(w.governor.functions.proposalDeadline(pid).call() + 1 - suite.block)
    suite.send(w.governor.functions.queue(*proposal), a["alice"])
    suite.advance_time(PARAMS["timelock"]["minDelaySeconds"] + 1)
    with reverts("TooManyBonusTypes", 4):
        suite.send(w.governor.functions.execute(*proposal), a["mallory"])
    govern(suite, w, [(w.governor, "setCredentialBonus", [kinds[1], 0])], "remove one")
    assert sorted(w.governor.functions.bonusTypes().call()) == sorted([kinds[0], kinds[3], kinds[2]])


# ---------------------------------------------------------------- quadratic proposals


def test_quadratic_counts_square_roots_and_refuses_non_members(suite, a, w):
    credential(suite, w, a["alice"], "alice-member")
    credential(suite, w, a["carol"], "carol-member")
    suite.delegate_self(a["carol"])
    pid, proposal = propose(suite, w, "Quadratic" + MARKER)
    assert w.governor.functions.proposalCounting(pid).call()[:2] == [True, ZERO]
    with reverts("QuadraticNeedsMembership", a["mallory"]):
        suite.send(w.governor.functions.castVote(pid, FOR), a["mallory"])
    alice_power = 5_000_000 * BTK
    carol_power = 100_000 * BTK
    assert vote(suite, w, pid, a["alice"], AGAINST) == 2_236_067_977_499  # isqrt(5e24)
    assert vote(suite, w, pid, a["carol"], FOR) == 316_227_766_016  # isqrt(1e23)
    assert w.governor.functions.proposalVotes(pid).call() == [2_236_067_977_499, 316_227_766_016, 0]
    assert w.governor.functions.proposalRawVotes(pid).call() == [alice_power, carol_power, 0]
    suite.mine(w.governor.functions.proposalDeadline(pid).call() + 1 - suite.block)
    assert w.governor.functions.state(pid).call() == 3  # Defeated: 4 % quorum not met by raw for+abstain


def test_quadratic_quorum_counts_raw_power_and_the_outcome_the_roots(suite, a, w):
    for who in ("alice", "bob", "carol", "connector"):
        credential(suite, w, a[who], f"{who}-member")
    for who in ("bob", "carol", "connector"):
        suite.delegate_self(a[who])
    pid, _ = propose(suite, w, "Many small beat one large" + MARKER)
    vote(suite, w, pid, a["alice"], 2)  # abstain: raw power toward the quorum only
    vote(suite, w, pid, a["carol"], AGAINST)   # sqrt(100,000 BTK)
    for who in ("bob", "connector"):
        vote(suite, w, pid, a[who], FOR)       # sqrt(10,000) + sqrt(1,000) BTK < sqrt(100,000)
    suite.mine(w.governor.functions.proposalDeadline(pid).call() + 1 - suite.block)
    assert w.governor.functions.state(pid).call() == 3  # quorum met, 131.6 < 316.2 √BTK
    a_, f, _ = w.governor.functions.proposalVotes(pid).call()
    assert (a_, f) == (316_227_766_016, 100_000_000_000 + 31_622_776_601)


def test_splitting_tokens_across_addresses_gains_nothing(suite, a, w):
    """Alice, a member, moves 4 x 1M BTK to four fresh addresses of her own: as one voter
    she counts √5M; her split addresses are refused (no membership), so the √ of the
    parts (√1M x 5 > √5M) is never reached."""
    credential(suite, w, a["alice"], "alice-member")
    sybils = []
    for i in range(4):
        acct = suite.w3.eth.account.create()
        sybils.append(acct)
        suite.send(suite.token.functions.transfer(acct.address, 1_000_000 * BTK), a["alice"])
        suite.w3.eth.send_transaction({"from": a["deployer"], "to": acct.address, "value": 10**18})
        tx = suite.token.functions.delegate(acct.address).build_transaction(
            {"from": acct.address, "nonce": 0, "gas": 200_000, "gasPrice": suite.w3.eth.gas_price})
        suite.w3.eth.send_raw_transaction(acct.sign_transaction(tx).raw_transaction)
    pid, _ = propose(suite, w, "Split" + MARKER)
    assert vote(suite, w, pid, a["alice"]) == 1_000_000_000_000  # isqrt(1M BTK in wei)
    for acct in sybils:
        fn = w.governor.functions.castVote(pid, FOR)
        with reverts("QuadraticNeedsMembership", acct.address):
            fn.call({"from": acct.address})
    assert w.governor.functions.proposalVotes(pid).call()[1] == 1_000_000_000_000


# ---------------------------------------------------------------- remote votes


def test_remote_votes_add_to_token_weighted_proposals_only(suite, a, w):
    remote = suite.deploy("TestRemoteVotes")
    govern(suite, w, [(w.governor, "setRemoteVotes", [remote.address])], "remote source")
    credential(suite, w, a["carol"], "carol-member")
    suite.delegate_self(a["carol"])
    token_pid, _ = propose(suite, w, "token weighted", proposer=a["carol"])
    quad_pid, _ = propose(suite, w, "quadratic" + MARKER, proposer=a["carol"])
    for pid in (token_pid, quad_pid):
        suite.send(remote.functions.set(pid, 7 * BTK, 4_000_000 * BTK, 1 * BTK), a["mallory"])
    assert w.governor.functions.proposalCounting(token_pid).call()[1] == remote.address
    assert w.governor.functions.proposalCounting(quad_pid).call()[1] == ZERO
    vote(suite, w, token_pid, a["carol"])
    vote(suite, w, quad_pid, a["carol"])
    assert w.governor.functions.proposalVotes(token_pid).call() == [7 * BTK, 4_100_000 * BTK, 1 * BTK]
    assert w.governor.functions.proposalVotes(quad_pid).call() == [0, 316_227_766_016, 0]
    suite.mine(w.governor.functions.proposalDeadline(quad_pid).call() + 1 - suite.block)
    assert w.governor.functions.state(token_pid).call() == 4  # Succeeded: remote votes made the quorum
    assert w.governor.functions.state(quad_pid).call() == 3   # Defeated: remote votes not counted


def test_a_failing_remote_source_counts_nothing_and_blocks_nothing(suite, a, w):
    remote = suite.deploy("TestRemoteVotes")
    govern(suite, w, [(w.governor, "setRemoteVotes", [remote.address])], "remote source")
    pid, _ = propose(suite, w, "while the source breaks")
    suite.send(remote.functions.set(pid, 9_000_000 * BTK, 0, 0), a["mallory"])
    vote(suite, w, pid, a["alice"])
    assert w.governor.functions.proposalVotes(pid).call() == [9_000_000 * BTK, 5_000_000 * BTK, 0]
    suite.send(remote.functions.breakIt(), a["mallory"])
    assert w.governor.functions.proposalVotes(pid).call() == [0, 5_000_000 * BTK, 0]
    suite.mine(w.governor.functions.proposalDeadline(pid).call() + 1 - suite.block)
    assert w.governor.functions.state(pid).call() == 4


# ---------------------------------------------------------------- settings


def test_only_governance_changes_the_settings(suite, a, w):
    g = w.governor.functions
    for fn in (g.setCredentialBonus(MEMBERSHIP, 10**30), g.setRemoteVotes(a["mallory"]),
               g.setPowerSources(a["mallory"], a["mallory"], a["mallory"])):
        for who in ("mallory", "deployer"):
            with reverts("GovernorOnlyExecutor", a[who]):
                suite.send(fn, a[who])
    # the deployer's one wiring is spent; nobody configures again
    assert g.configurator().call() == ZERO
    for who in ("deployer", "mallory"):
        with reverts("NotConfigurator", a[who]):
            suite.send(g.configure(a["mallory"], a["mallory"], a["mallory"]), a[who])
    receipt = govern(suite, w, [(w.governor, "setPowerSources", [ZERO, ZERO, ZERO])], "unwire")
    assert receipt.status == 1 and g.escrow().call() == ZERO
    # the old governor's timelock cannot reach this governor's settings either
    with reverts("GovernorOnlyExecutor", suite.timelock.address):
        suite.govern([(w.governor, "setRemoteVotes", [a["mallory"]])], "old timelock tries")


def test_a_vote_scans_a_bounded_number_of_credentials(suite, a, w):
    """An issuer floods a member with credentials: the vote's gas stays bounded (only the
    newest MAX_CREDENTIALS_SCANNED are read), and a membership among them still counts."""
    cap = w.governor.functions.MAX_CREDENTIALS_SCANNED().call()
    set_bonus(suite, w, MEMBERSHIP, 100 * BTK)
    for i in range(cap + 8):
        credential(suite, w, a["bob"], f"course-{i}", kind=keccak(text="CourseCompletionCredential"))
    credential(suite, w, a["bob"], "bob-member")
    pid, _ = propose(suite, w, "flooded")
    receipt = suite.send(w.governor.functions.castVote(pid, FOR), a["bob"])
    (event,) = suite.events(w.governor, "VoteCast", receipt)
    assert event.args.weight == 100 * BTK
    assert receipt.gasUsed < 1_000_000, receipt.gasUsed
    GAS["weighted vote, full credential scan"] = receipt.gasUsed
