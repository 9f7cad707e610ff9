"""CrossChainVotes: BTK holders on another chain vote on this chain's proposals with a
Merkle proof of their balance there and an EIP-712 signature, relayed by anyone.

The tree and the ballots are made by the app's own code (vault/chain/dao/merkle.py and
remote_files.py); tests/contracts/test_contract_crosschain_merkle.py checks that tree against
@openzeppelin/merkle-tree."""

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak

from tests.contracts.harness import BTK, reverts
from vault.chain.dao.merkle import BalanceTree
from vault.chain.dao.remote_files import typed_ballot, package_for, sign_remote_ballot

REMOTE_CHAIN = 8453
REMOTE_BLOCK = 1_234
HOLDERS = {name: Account.from_key(keccak(text=f"remote holder {name}")) for name in ("ann", "ben", "cid")}
BALANCES = {"ann": 300 * BTK, "ben": 200 * BTK, "cid": 50 * BTK}
TREE = BalanceTree({HOLDERS[n].address: v for n, v in BALANCES.items()})
PENDING, ACTIVE = 0, 1


@pytest.fixture
def votes(suite):
    return suite.deploy("CrossChainVotes", suite.governor.address, suite.timelock.address)


def _propose(suite, description="Fund the hackathon"):
    pid, _ = suite.propose([(suite.token, "transfer", [suite.a["bob"], 1])], description)
    assert suite.governor.functions.state(pid).call() == PENDING
    return pid


def _record(suite, votes, pid, sender=None):
    return suite.send(votes.functions.setRemoteRoot(pid, REMOTE_CHAIN, REMOTE_BLOCK, TREE.root, TREE.total),
                      sender or suite.a["alice"])


def _activate(suite, pid):
    snapshot = suite.governor.functions.proposalSnapshot(pid).call()
    suite.mine(max(0, snapshot + 1 - suite.block))
    assert suite.governor.functions.state(pid).call() == ACTIVE


def _ballot(suite, votes, pid, name, support=1, **changes):
    header = {"chain_id": suite.w3.eth.chain_id, "contract": votes.address, "proposal_id": str(pid),
              "remote_chain_id": REMOTE_CHAIN, "remote_block": REMOTE_BLOCK, "root": TREE.root}
    package = package_for(header, TREE, HOLDERS[name].address) | changes
    return sign_remote_ballot(HOLDERS[name].key, package, support)


def _cast(suite, votes, b, sender=None, **override):
    args = {"pid": int(b["proposal_id"]), "voter": b["voter"], "support": b["support"], "weight": int(b["weight"]),
            "proof": [bytes.fromhex(p[2:]) for p in b["proof"]], "sig": bytes.fromhex(b["signature"][2:])} | override
    return suite.send(votes.functions.castRemoteVote(*args.values()), sender or suite.a["mallory"])


@pytest.fixture
def active(suite, votes):
    pid = _propose(suite)
    _record(suite, votes, pid)
    _activate(suite, pid)
    return pid


def test_the_proposer_records_the_root_once_while_pending(suite, a, votes):
    pid = _propose(suite)
    receipt = _record(suite, votes, pid)
    (event,) = suite.events(votes, "RemoteRootSet", receipt)
    assert (event.args.remoteChainId, event.args.remoteBlock, event.args.total, event.args.setBy) == \
        (REMOTE_CHAIN, REMOTE_BLOCK, 550 * BTK, a["alice"])
    assert "0x" + event.args.root.hex() == TREE.root
    assert tuple(votes.functions.remoteRoot(pid).call())[1:] == (REMOTE_CHAIN, REMOTE_BLOCK, 550 * BTK)
    # Attack: the proposer swaps in a friendlier root later.
    with reverts("RemoteRootAlreadySet", pid):
        suite.send(votes.functions.setRemoteRoot(pid, REMOTE_CHAIN, REMOTE_BLOCK, b"\1" * 32, 1), a["alice"])
    assert "0x" + votes.functions.remoteRoot(pid).call()[0].hex() == TREE.root


def test_only_the_proposer_records_the_root_and_only_before_voting(suite, a, votes):
    pid = _propose(suite)
    # Attack: someone else records a root of their own making for alice's proposal.
    with reverts("NotProposalAuthor", a["mallory"], pid):
        _record(suite, votes, pid, a["mallory"])
    with reverts("EmptyRemoteRoot"):
        suite.send(votes.functions.setRemoteRoot(pid, REMOTE_CHAIN, REMOTE_BLOCK, b"\0" * 32, 0), a["alice"])
    with reverts("GovernorNonexistentProposal"):
        _record(suite, votes, pid + 1)
    # Attack: the proposer waits to see the votes, then picks the root.
    _activate(suite, pid)
    with reverts("RemoteRootTooLate", pid, ACTIVE):
        _record(suite, votes, pid)


def test_governance_may_record_a_root_while_the_vote_runs(suite, a):
    """On a copy owned by an account standing in for the timelock."""
    votes = suite.deploy("CrossChainVotes", suite.governor.address, a["gov"])
    pid = _propose(suite)
    _activate(suite, pid)
    receipt = _record(suite, votes, pid, a["gov"])
    assert suite.events(votes, "RemoteRootSet", receipt)[0].args.setBy == a["gov"]


def test_a_relayed_vote_counts_the_holders_remote_balance(suite, a, votes, active):
    assert votes.functions.remoteVotes(active).call() == [0, 0, 0]
    before = suite.token.functions.balanceOf(a["mallory"]).call()
    receipt = _cast(suite, votes, _ballot(suite, votes, active, "ann", support=1))
    (event,) = suite.events(votes, "RemoteVoteCast", receipt)
    assert (event.args.voter, event.args.support, event.args.weight, event.args.relayer) == \
        (HOLDERS["ann"].address, 1, 300 * BTK, a["mallory"])
    _cast(suite, votes, _ballot(suite, votes, active, "ben", support=0), a["carol"])
    _cast(suite, votes, _ballot(suite, votes, active, "cid", support=2))
    assert votes.functions.remoteVotes(active).call() == [200 * BTK, 300 * BTK, 50 * BTK]
    assert votes.functions.hasVotedRemotely(active, HOLDERS["ann"].address).call()
    # The holders hold nothing here and the relayer is paid nothing.
    assert suite.w3.eth.get_balance(HOLDERS["ann"].address) == 0
    assert suite.token.functions.balanceOf(a["mallory"]).call() == before


def test_the_app_signs_the_digest_the_contract_checks(suite, votes, active):
    b = _ballot(suite, votes, active, "ann")
    digest = votes.functions.ballotDigest(active, 1, REMOTE_CHAIN, 300 * BTK).call()
    assert Account._recover_hash(digest, signature=bytes.fromhex(b["signature"][2:])) == HOLDERS["ann"].address


def test_a_vote_is_counted_once(suite, votes, active):
    b = _ballot(suite, votes, active, "ann")
    _cast(suite, votes, b)
    # Attack: the same signed ballot relayed again, and a second ballot of the same holder.
    with reverts("RemoteAlreadyVoted", active, b["voter"]):
        _cast(suite, votes, b)
    with reverts("RemoteAlreadyVoted", active, b["voter"]):
        _cast(suite, votes, _ballot(suite, votes, active, "ann", support=0))
    assert votes.functions.remoteVotes(active).call() == [0, 300 * BTK, 0]


def test_a_bad_proof_or_a_wrong_weight_is_refused(suite, a, votes, active):
    ann = _ballot(suite, votes, active, "ann")
    ben = _ballot(suite, votes, active, "ben")
    # Attack: ann's ballot with ben's proof (a valid proof, of another leaf).
    with reverts("InvalidRemoteProof", ann["voter"], 300 * BTK):
        _cast(suite, votes, ann, proof=[bytes.fromhex(p[2:]) for p in ben["proof"]])
    with reverts("InvalidRemoteProof", ann["voter"], 300 * BTK):
        _cast(suite, votes, ann, proof=[])
    # Attack: ann signs for ten times her balance; the signature is hers, the leaf is not in the tree.
    typed = typed_ballot(suite.w3.eth.chain_id, votes.address, active, 1, REMOTE_CHAIN, 3000 * BTK)
    sig = Account.sign_message(encode_typed_data(domain_data=typed["domain"], message_types=typed["types"],
                                                 message_data=typed["message"]), HOLDERS["ann"].key).signature
    with reverts("InvalidRemoteProof", ann["voter"], 3000 * BTK):
        _cast(suite, votes, ann, weight=3000 * BTK, sig=bytes(sig))
    # Attack: the relayer raises the weight of a genuine ballot: the signature no longer matches.
    with reverts("InvalidRemoteSignature", ann["voter"]):
        _cast(suite, votes, ann, weight=3000 * BTK)
    assert votes.functions.remoteVotes(active).call() == [0, 0, 0]


def test_a_forged_or_altered_signature_is_refused(suite, a, votes, active):
    ann = _ballot(suite, votes, active, "ann", support=1)
    # Attack: ben signs a ballot in ann's name with his own key.
    forged = sign_remote_ballot(HOLDERS["ben"].key, _ballot(suite, votes, active, "ben"), "for")
    with reverts("InvalidRemoteSignature", ann["voter"]):
        _cast(suite, votes, ann, sig=bytes.fromhex(forged["signature"][2:]))
    # Attack: the relayer flips FOR to AGAINST.
    with reverts("InvalidRemoteSignature", ann["voter"]):
        _cast(suite, votes, ann, support=0)
    # Attack: garbage and the high-s twin of a valid signature (malleability).
    with reverts("InvalidRemoteSignature", ann["voter"]):
        _cast(suite, votes, ann, sig=b"\1" * 65)
    sig = bytes.fromhex(ann["signature"][2:])
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    high_s = sig[:32] + (n - int.from_bytes(sig[32:64], "big")).to_bytes(32, "big") + bytes([55 - sig[64]])  # v 27 <-> 28
    with reverts("InvalidRemoteSignature", ann["voter"]):
        _cast(suite, votes, ann, sig=high_s)
    with reverts("InvalidRemoteSupport", 3):
        _cast(suite, votes, ann, support=3)
    _cast(suite, votes, ann)
    assert votes.functions.remoteVotes(active).call() == [0, 300 * BTK, 0]


def test_a_ballot_is_not_replayed_on_another_proposal_or_contract(suite, a, votes, active):
    other = _propose(suite, "Another proposal")
    _record(suite, votes, other)
    _activate(suite, other)
    ann = _ballot(suite, votes, active, "ann")
    # Attack: ann's ballot on the first proposal relayed on the second (same root, same proof).
    with reverts("InvalidRemoteSignature", ann["voter"]):
        _cast(suite, votes, ann, pid=other)
    # Attack: the same ballot relayed to a second CrossChainVotes contract holding the same root.
    twin = suite.deploy("CrossChainVotes", suite.governor.address, a["gov"])
    suite.send(twin.functions.setRemoteRoot(active, REMOTE_CHAIN, REMOTE_BLOCK, TREE.root, TREE.total), a["gov"])
    with reverts("InvalidRemoteSignature", ann["voter"]):
        _cast(suite, twin, ann)
    _cast(suite, votes, ann)
    assert votes.functions.remoteVotes(other).call() == [0, 0, 0]
    assert twin.functions.remoteVotes(active).call() == [0, 0, 0]


def test_votes_count_only_while_the_proposal_is_active(suite, a):
    # A governor whose proposals stay Pending for 10 blocks (the suite's for 1): time to try.
    governor = suite.deploy("BlocktrackGovernor", suite.token.address, suite.timelock.address, 10, 50, 1_000 * BTK, 4)
    votes = suite.deploy("CrossChainVotes", governor.address, suite.timelock.address)
    receipt = suite.send(governor.functions.propose([suite.token.address], [0], [b""], "Early"), a["alice"])
    pid = suite.events(governor, "ProposalCreated", receipt)[0].args.proposalId
    _record(suite, votes, pid)
    ann = _ballot(suite, votes, pid, "ann")
    # Attack: a vote relayed before voting opens (when no Governor vote could be cast).
    with reverts("RemoteVotingNotActive", pid, PENDING):
        _cast(suite, votes, ann)
    suite.mine(governor.functions.proposalSnapshot(pid).call() + 1 - suite.block)
    _cast(suite, votes, _ballot(suite, votes, pid, "ben"))
    suite.mine(governor.functions.proposalDeadline(pid).call() + 1 - suite.block)
    state = governor.functions.state(pid).call()
    assert state not in (PENDING, ACTIVE)
    # Attack: a late ballot relayed after the vote closed.
    with reverts("RemoteVotingNotActive", pid, state):
        _cast(suite, votes, ann)
    assert votes.functions.remoteVotes(pid).call() == [0, 200 * BTK, 0]


def test_a_proposal_without_a_root_takes_no_remote_votes(suite, votes):
    pid = _propose(suite)
    _activate(suite, pid)
    with reverts("NoRemoteRoot", pid):
        _cast(suite, votes, _ballot(suite, votes, pid, "ann"))
