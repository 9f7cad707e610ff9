"""BTKToken: ERC-20, EIP-2612 permits, ERC-5805 votes on the block-number clock."""

from tests.contracts.harness import BTK, ZERO, reverts


def test_transfer_and_insufficient_balance(suite, a):
    t = suite.token.functions
    suite.send(t.transfer(a["carol"], 5 * BTK), a["bob"])
    assert t.balanceOf(a["carol"]).call() == 100_005 * BTK
    with reverts("ERC20InsufficientBalance", a["bob"], 9_995 * BTK, 10_000 * BTK):
        suite.send(t.transfer(a["carol"], 10_000 * BTK), a["bob"])
    with reverts("ERC20InvalidReceiver", ZERO):
        suite.send(t.transfer(ZERO, 1), a["bob"])


def test_permit_sets_an_allowance_once(suite, a):
    t = suite.token.functions
    deadline = suite.now + 3600
    v, r, s = suite.sign_permit(suite.token, a["bob"], a["carol"], 7 * BTK, deadline)
    suite.send(t.permit(a["bob"], a["carol"], 7 * BTK, deadline, v, r, s), a["mallory"])  # anyone relays
    assert t.allowance(a["bob"], a["carol"]).call() == 7 * BTK
    assert t.nonces(a["bob"]).call() == 1
    with reverts("ERC2612InvalidSigner"):  # replay: the nonce moved on
        suite.send(t.permit(a["bob"], a["carol"], 7 * BTK, deadline, v, r, s), a["mallory"])


def test_permit_errors(suite, a):
    t = suite.token.functions
    expired = suite.now - 1
    v, r, s = suite.sign_permit(suite.token, a["bob"], a["carol"], BTK, expired)
    with reverts("ERC2612ExpiredSignature", expired):
        suite.send(t.permit(a["bob"], a["carol"], BTK, expired, v, r, s), a["bob"])
    deadline = suite.now + 3600
    v, r, s = suite.sign_permit(suite.token, a["mallory"], a["carol"], BTK, deadline)
    with reverts("ERC2612InvalidSigner"):  # mallory signed, but claims to be bob
        suite.send(t.permit(a["bob"], a["carol"], BTK, deadline, v, r, s), a["mallory"])


def test_voting_power_needs_delegation_and_follows_blocks(suite, a):
    t = suite.token.functions
    assert t.getVotes(a["bob"]).call() == 0  # holding is not voting
    assert t.delegates(a["bob"]).call() == ZERO
    receipt = suite.send(t.delegate(a["bob"]), a["bob"])
    delegated_at = receipt.blockNumber
    assert t.getVotes(a["bob"]).call() == 10_000 * BTK
    suite.send(t.transfer(a["carol"], 4_000 * BTK), a["bob"])
    suite.mine()
    assert t.getVotes(a["bob"]).call() == 6_000 * BTK
    assert t.getPastVotes(a["bob"], delegated_at).call() == 10_000 * BTK
    assert t.getPastVotes(a["bob"], delegated_at - 1).call() == 0
    # Delegating to someone else moves the votes over.
    suite.send(t.delegate(a["alice"]), a["bob"])
    assert t.getVotes(a["bob"]).call() == 0
    assert t.getVotes(a["alice"]).call() == 5_006_000 * BTK
    with reverts("ERC5805FutureLookup"):
        t.getPastVotes(a["bob"], suite.block + 10).call()


def test_constructor_checks_the_genesis_allocation(suite, a):
    with reverts("AllocationLengthMismatch", 2, 1):
        suite.deploy("BTKToken", [a["bob"], a["carol"]], [BTK])
    with reverts("EmptyAllocation"):
        suite.deploy("BTKToken", [], [])
    with reverts("EmptyAllocation"):
        suite.deploy("BTKToken", [a["bob"]], [0])
    with reverts("ERC20InvalidReceiver", ZERO):
        suite.deploy("BTKToken", [ZERO], [BTK])
