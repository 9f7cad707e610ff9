"""ReputationRegistry: bond BTK against an identity, unbond through a delay, withdraw;
governance slashes with a reason on chain, also what is on its way out."""

import pytest

from tests.contracts.harness import BTK, PARAMS, ZERO, reverts

DELAY = 20


@pytest.fixture
def reg(suite, a):
    """A registry governed by an EOA standing in for the timelock."""
    return suite.deploy("ReputationRegistry", suite.token.address, a["gov"], DELAY)


def bond(suite, reg, who, amount):
    suite.send(suite.token.functions.approve(reg.address, amount), who)
    return suite.send(reg.functions.bond(amount), who)


def state(reg, who):
    bonded, unbonding, ready, since, count, slashed = reg.functions.bondOf(who).call()
    return {"bonded": bonded, "unbonding": unbonding, "ready": ready, "since": since, "count": count,
            "slashed": slashed}


def test_bond_records_amount_and_since(suite, a, reg):
    receipt = bond(suite, reg, a["bob"], 500 * BTK)
    (event,) = suite.events(reg, "Bonded", receipt)
    assert (event.args.account, event.args.amount, event.args.bonded) == (a["bob"], 500 * BTK, 500 * BTK)
    first = state(reg, a["bob"])
    assert first["bonded"] == 500 * BTK and first["since"] == suite.now
    suite.advance_time(3600)
    bond(suite, reg, a["bob"], 100 * BTK)
    assert state(reg, a["bob"])["since"] == first["since"]  # topping up keeps the date
    assert reg.functions.totalBonded().call() == 600 * BTK


def test_unbonding_waits_for_the_delay(suite, a, reg):
    bond(suite, reg, a["bob"], 500 * BTK)
    with reverts("InsufficientBond", 501 * BTK, 500 * BTK):
        suite.send(reg.functions.requestUnbond(501 * BTK), a["bob"])
    receipt = suite.send(reg.functions.requestUnbond(200 * BTK), a["bob"])
    (event,) = suite.events(reg, "UnbondRequested", receipt)
    ready = event.args.readyAtBlock
    assert ready == receipt.blockNumber + DELAY
    s = state(reg, a["bob"])
    assert (s["bonded"], s["unbonding"]) == (300 * BTK, 200 * BTK)  # it stops counting at once
    suite.mine(ready - 2 - suite.block)  # the next transaction lands in block ready - 1
    with reverts("UnbondingNotOver", ready):
        suite.send(reg.functions.withdraw(), a["bob"])
    suite.mine()
    before = suite.token.functions.balanceOf(a["bob"]).call()
    assert suite.send(reg.functions.withdraw(), a["bob"]).blockNumber == ready
    assert suite.token.functions.balanceOf(a["bob"]).call() == before + 200 * BTK
    with reverts("NothingUnbonding"):
        suite.send(reg.functions.withdraw(), a["bob"])


def test_slash_takes_the_bond_then_the_unbonding_with_a_reason(suite, a, reg):
    bond(suite, reg, a["mallory"], 1_000 * BTK)
    suite.send(reg.functions.requestUnbond(900 * BTK), a["mallory"])  # trying to leave first
    treasury = suite.token.functions.balanceOf(a["gov"]).call()
    receipt = suite.send(reg.functions.slash(a["mallory"], 600 * BTK, "fake endorsements, proposal 12"), a["gov"])
    (event,) = suite.events(reg, "Slashed", receipt)
    assert (event.args.account, event.args.amount, event.args.reason) == (
        a["mallory"], 600 * BTK, "fake endorsements, proposal 12")
    s = state(reg, a["mallory"])
    assert (s["bonded"], s["unbonding"], s["count"], s["slashed"]) == (0, 400 * BTK, 1, 600 * BTK)
    assert suite.token.functions.balanceOf(a["gov"]).call() == treasury + 600 * BTK
    # More than there is: it takes what is left.
    suite.send(reg.functions.slash(a["mallory"], 10_000 * BTK, "again"), a["gov"])
    assert state(reg, a["mallory"])["unbonding"] == 0
    suite.mine(DELAY)
    with reverts("NothingUnbonding"):
        suite.send(reg.functions.withdraw(), a["mallory"])
    with reverts("NothingToSlash", a["mallory"]):
        suite.send(reg.functions.slash(a["mallory"], BTK, "nothing left"), a["gov"])


def test_only_governance_slashes_and_sets_the_delay(suite, a, reg):
    bond(suite, reg, a["bob"], 100 * BTK)
    with reverts("OwnableUnauthorizedAccount", a["mallory"]):
        suite.send(reg.functions.slash(a["bob"], BTK, "I say so"), a["mallory"])
    with reverts("OwnableUnauthorizedAccount", a["mallory"]):
        suite.send(reg.functions.setUnbondingBlocks(0), a["mallory"])
    with reverts("EmptyReason"):
        suite.send(reg.functions.slash(a["bob"], BTK, ""), a["gov"])
    with reverts("ZeroAmount"):
        suite.send(reg.functions.slash(a["bob"], 0, "zero"), a["gov"])
    with reverts("UnbondingTooLong", 201_601, 201_600):
        suite.send(reg.functions.setUnbondingBlocks(201_601), a["gov"])
    with reverts("OwnershipCannotBeRenounced"):
        suite.send(reg.functions.renounceOwnership(), a["gov"])
    with reverts("ZeroAmount"):
        suite.send(reg.functions.bond(0), a["bob"])
    with reverts("ZeroAmount"):
        suite.send(reg.functions.requestUnbond(0), a["bob"])


def test_a_slash_through_the_timelock_pays_the_treasury(suite, a):
    reg = suite.deploy("ReputationRegistry", suite.token.address, suite.timelock.address, DELAY)
    bond(suite, reg, a["mallory"], 1_000 * BTK)
    treasury = suite.token.functions.balanceOf(suite.timelock.address).call()
    suite.govern([(reg, "slash", (a["mallory"], 250 * BTK, "review fraud"))], "Slash mallory's bond")
    assert suite.token.functions.balanceOf(suite.timelock.address).call() == treasury + 250 * BTK


def test_constructor_checks(suite, a):
    with reverts("ZeroAddress"):
        suite.deploy("ReputationRegistry", ZERO, a["gov"], DELAY)
    with reverts("UnbondingTooLong", 300_000, 201_600):
        suite.deploy("ReputationRegistry", suite.token.address, a["gov"], 300_000)


def test_a_reentrant_token_cannot_withdraw_twice_from_inside_the_payout(suite, a):
    """The withdrawal hands control to the account (an attacker contract) through a hooking
    token; its re-entrant withdraw must fail, and it gets its unbonded amount once."""
    trt = suite.deploy("TestReentrantToken")
    reg = suite.deploy("ReputationRegistry", trt.address, a["gov"], 0)
    attacker = suite.deploy("TestEscrowAttacker", reg.address)
    suite.send(trt.functions.mint(attacker.address, 100 * BTK), a["gov"])
    suite.send(trt.functions.mint(reg.address, 1_000 * BTK), a["gov"])  # others' bonds, the prize
    suite.send(attacker.functions.approve(trt.address, reg.address, 100 * BTK), a["mallory"])
    suite.send(attacker.functions.act(reg.encode_abi("bond", [100 * BTK])), a["mallory"])
    suite.send(attacker.functions.act(reg.encode_abi("requestUnbond", [100 * BTK])), a["mallory"])
    suite.send(trt.functions.setHook(attacker.address, True), a["gov"])
    again = reg.encode_abi("withdraw", [])
    suite.send(attacker.functions.arm(again, False), a["mallory"])
    suite.send(attacker.functions.act(again), a["mallory"])
    assert attacker.functions.reentryAttempts().call() == 1
    assert attacker.functions.lastReentrySucceeded().call() is False
    from tests.contracts.harness import decode_error
    assert decode_error(attacker.functions.lastReentryError().call())[0] == "ReentrancyGuardReentrantCall"
    assert trt.functions.balanceOf(attacker.address).call() == 100 * BTK
    assert trt.functions.balanceOf(reg.address).call() == 1_000 * BTK
