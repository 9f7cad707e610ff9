"""Marketplace: offers, acceptance, escrow funded by approval or permit, release with the
fee and referral cut, refunds, cancellation, and re-entrancy attempts on the escrow."""

import pytest

from tests.contracts.harness import BTK, ZERO, decode_error, reverts

GIG, MENTORING = 0, 1
OPEN, ACCEPTED, FUNDED, RELEASED, REFUNDED, CANCELLED = range(6)
WEEK = 7 * 24 * 3600
PRICE = 1_000 * BTK


def post(suite, market, client, price=PRICE, kind=GIG, connector=ZERO, referral_bps=0, window=WEEK, details="Logo"):
    receipt = suite.send(market.functions.post(kind, price, connector, referral_bps, window, details), client)
    (event,) = suite.events(market, "GigPosted", receipt)
    return event.args.gigId, receipt


def funded_gig(suite, market, a, **kw):
    gig_id, _ = post(suite, market, a["carol"], **kw)
    suite.send(market.functions.accept(gig_id), a["bob"])
    price = market.functions.gigs(gig_id).call()[9]
    suite.send(suite.token.functions.approve(market.address, price), a["carol"])
    suite.send(market.functions.fund(gig_id), a["carol"])
    return gig_id


def balances(suite, *addresses, token=None):
    token = token or suite.token
    return [token.functions.balanceOf(x).call() for x in addresses]


@pytest.fixture
def gov_market(suite, a):
    """A marketplace owned by an EOA standing in for the timelock."""
    return suite.deploy("Marketplace", suite.token.address, a["gov"], 250)


def test_gig_from_post_to_release_pays_fee_and_referral(suite, a):
    m = suite.marketplace
    f = m.functions
    gig_id, receipt = post(
        suite, m, a["carol"], connector=a["connector"], referral_bps=500, details="Build a landing page"
    )
    assert gig_id == 0 and f.gigCount().call() == 1
    gig = f.gigs(gig_id).call()
    assert gig == (a["carol"], GIG, OPEN, 0, 500, ZERO, WEEK, a["connector"], 0, PRICE, "Build a landing page")

    receipt = suite.send(f.accept(gig_id), a["bob"])
    (accepted,) = suite.events(m, "GigAccepted", receipt)
    assert (accepted.args.talent, accepted.args.feeBps) == (a["bob"], 250)

    suite.send(suite.token.functions.approve(m.address, PRICE), a["carol"])
    receipt = suite.send(f.fund(gig_id), a["carol"])
    (funded,) = suite.events(m, "GigFunded", receipt)
    block_time = suite.w3.eth.get_block(receipt.blockNumber)["timestamp"]
    assert funded.args.refundableAt == block_time + WEEK
    assert f.gigs(gig_id).call()[2] == FUNDED
    assert balances(suite, m.address) == [PRICE]

    who = [suite.timelock.address, a["connector"], a["bob"], m.address]
    before = balances(suite, *who)
    receipt = suite.send(f.release(gig_id), a["carol"])
    after = balances(suite, *who)
    fee, referral = PRICE * 250 // 10_000, PRICE * 500 // 10_000
    assert [x - y for x, y in zip(after, before)] == [fee, referral, PRICE - fee - referral, -PRICE]
    (released,) = suite.events(m, "GigReleased", receipt)
    assert released.args.talentAmount == PRICE - fee - referral
    assert (released.args.fee, released.args.referralAmount) == (fee, referral)
    assert f.gigs(gig_id).call()[2] == RELEASED

    with reverts("GigNotFunded", gig_id):  # double release
        suite.send(f.release(gig_id), a["carol"])
    with reverts("GigNotFunded", gig_id):
        suite.send(f.refund(gig_id), a["bob"])
    with reverts("GigNotCancellable", gig_id):
        suite.send(f.cancel(gig_id), a["carol"])


def test_fund_with_permit_needs_no_prior_approval(suite, a):
    m = suite.marketplace
    gig_id, _ = post(suite, m, a["carol"], kind=MENTORING, price=80 * BTK, details="Mentoring: Solidity, 1h")
    suite.send(m.functions.accept(gig_id), a["bob"])
    deadline = suite.now + 600
    v, r, s = suite.sign_permit(suite.token, a["carol"], m.address, 80 * BTK, deadline)
    suite.send(m.functions.fundWithPermit(gig_id, deadline, v, r, s), a["carol"])
    assert m.functions.gigs(gig_id).call()[2] == FUNDED
    assert suite.token.functions.allowance(a["carol"], m.address).call() == 0
    assert suite.token.functions.nonces(a["carol"]).call() == 1


def test_a_front_run_permit_does_not_block_funding(suite, a):
    m = suite.marketplace
    gig_id, _ = post(suite, m, a["carol"])
    suite.send(m.functions.accept(gig_id), a["bob"])
    deadline = suite.now + 600
    v, r, s = suite.sign_permit(suite.token, a["carol"], m.address, PRICE, deadline)
    # Someone sees the permit in the mempool and submits it first: the allowance is set anyway.
    suite.send(suite.token.functions.permit(a["carol"], m.address, PRICE, deadline, v, r, s), a["mallory"])
    suite.send(m.functions.fundWithPermit(gig_id, deadline, v, r, s), a["carol"])
    assert m.functions.gigs(gig_id).call()[2] == FUNDED


def test_a_bad_permit_without_allowance_fails_on_the_transfer(suite, a):
    m = suite.marketplace
    gig_id, _ = post(suite, m, a["carol"])
    suite.send(m.functions.accept(gig_id), a["bob"])
    deadline = suite.now + 600
    v, r, s = suite.sign_permit(suite.token, a["carol"], m.address, PRICE - 1, deadline)  # wrong amount
    with reverts("ERC20InsufficientAllowance", m.address, 0, PRICE):
        suite.send(m.functions.fundWithPermit(gig_id, deadline, v, r, s), a["carol"])


def test_talent_refunds_at_any_time(suite, a):
    m = suite.marketplace
    gig_id = funded_gig(suite, m, a)
    before = balances(suite, a["carol"])[0]
    receipt = suite.send(m.functions.refund(gig_id), a["bob"])
    assert balances(suite, a["carol"])[0] == before + PRICE
    (event,) = suite.events(m, "GigRefunded", receipt)
    assert (event.args.client, event.args.amount, event.args.by) == (a["carol"], PRICE, a["bob"])
    assert m.functions.gigs(gig_id).call()[2] == REFUNDED
    with reverts("GigNotFunded", gig_id):
        suite.send(m.functions.refund(gig_id), a["bob"])
    with reverts("GigNotFunded", gig_id):
        suite.send(m.functions.release(gig_id), a["carol"])


def test_client_refunds_only_after_the_delivery_window(suite, a):
    m = suite.marketplace
    gig_id = funded_gig(suite, m, a)
    refundable_at = m.functions.gigs(gig_id).call()[8]
    with reverts("RefundNotYetAllowed", gig_id, refundable_at):
        suite.send(m.functions.refund(gig_id), a["carol"])
    with reverts("NotGigParty", gig_id):
        suite.send(m.functions.refund(gig_id), a["mallory"])
    suite.advance_time(WEEK)
    before = balances(suite, a["carol"])[0]
    suite.send(m.functions.refund(gig_id), a["carol"])
    assert balances(suite, a["carol"])[0] == before + PRICE


def test_cancel_before_funding(suite, a):
    m = suite.marketplace
    f = m.functions
    open_id, _ = post(suite, m, a["carol"])
    accepted_id, _ = post(suite, m, a["carol"])
    suite.send(f.accept(accepted_id), a["bob"])
    with reverts("NotClient", open_id):
        suite.send(f.cancel(open_id), a["mallory"])
    for gig_id in (open_id, accepted_id):
        receipt = suite.send(f.cancel(gig_id), a["carol"])
        assert suite.events(m, "GigCancelled", receipt)[0].args.gigId == gig_id
        assert f.gigs(gig_id).call()[2] == CANCELLED
    with reverts("GigNotOpen", open_id):
        suite.send(f.accept(open_id), a["bob"])
    with reverts("GigNotAccepted", accepted_id):
        suite.send(f.fund(accepted_id), a["carol"])
    funded_id = funded_gig(suite, m, a)
    with reverts("GigNotCancellable", funded_id):
        suite.send(f.cancel(funded_id), a["carol"])


def test_post_accept_fund_release_errors(suite, a):
    f = suite.marketplace.functions
    c = a["carol"]
    with reverts("ZeroPrice"):
        suite.send(f.post(GIG, 0, ZERO, 0, WEEK, ""), c)
    with reverts("ReferralTooHigh", 2_501, 2_500):
        suite.send(f.post(GIG, PRICE, a["connector"], 2_501, WEEK, ""), c)
    with reverts("ReferralWithoutConnector"):
        suite.send(f.post(GIG, PRICE, ZERO, 100, WEEK, ""), c)
    with reverts("ConnectorIsClient"):
        suite.send(f.post(GIG, PRICE, c, 100, WEEK, ""), c)
    with reverts("DeliveryWindowTooLong", 366 * 24 * 3600, 365 * 24 * 3600):
        suite.send(f.post(GIG, PRICE, ZERO, 0, 366 * 24 * 3600, ""), c)
    with reverts("GigNotFound", 99):
        suite.send(f.accept(99), a["bob"])
    with reverts("GigNotFound", 99):
        f.gigs(99).call()
    gig_id, _ = post(suite, suite.marketplace, c)
    with reverts("ClientCannotAccept", gig_id):
        suite.send(f.accept(gig_id), c)
    with reverts("GigNotAccepted", gig_id):
        suite.send(f.fund(gig_id), c)
    suite.send(f.accept(gig_id), a["bob"])
    with reverts("GigNotOpen", gig_id):
        suite.send(f.accept(gig_id), a["mallory"])
    with reverts("NotClient", gig_id):
        suite.send(f.fund(gig_id), a["bob"])
    with reverts("GigNotFunded", gig_id):
        suite.send(f.release(gig_id), c)
    suite.send(suite.token.functions.approve(suite.marketplace.address, 2 * PRICE), c)
    suite.send(f.fund(gig_id), c)
    with reverts("GigNotAccepted", gig_id):  # funding twice
        suite.send(f.fund(gig_id), c)
    with reverts("NotClient", gig_id):
        suite.send(f.release(gig_id), a["bob"])


def test_fee_is_fixed_when_talent_accepts(suite, a, gov_market):
    f = gov_market.functions
    gig_id, _ = post(suite, gov_market, a["carol"])
    suite.send(f.accept(gig_id), a["bob"])  # at 2.5%
    receipt = suite.send(f.setFeeBps(1_000), a["gov"])
    assert suite.events(gov_market, "FeeBpsChanged", receipt)[0].args.newBps == 1_000
    suite.send(suite.token.functions.approve(gov_market.address, PRICE), a["carol"])
    suite.send(f.fund(gig_id), a["carol"])
    before = balances(suite, a["gov"], a["bob"])
    suite.send(f.release(gig_id), a["carol"])
    after = balances(suite, a["gov"], a["bob"])
    assert [x - y for x, y in zip(after, before)] == [PRICE // 40, PRICE - PRICE // 40]
    suite.send(f.setFeeBps(0), a["gov"])  # no fee: everything goes to the talent
    gig_id, _ = post(suite, gov_market, a["carol"])
    suite.send(f.accept(gig_id), a["bob"])
    suite.send(suite.token.functions.approve(gov_market.address, PRICE), a["carol"])
    suite.send(f.fund(gig_id), a["carol"])
    before = balances(suite, a["bob"])[0]
    suite.send(f.release(gig_id), a["carol"])
    assert balances(suite, a["bob"])[0] == before + PRICE


def test_governed_setters_and_constructor(suite, a, gov_market):
    f = gov_market.functions
    with reverts("FeeTooHigh", 1_001, 1_000):
        suite.send(f.setFeeBps(1_001), a["gov"])
    with reverts("OwnableUnauthorizedAccount", a["mallory"]):
        suite.send(f.setFeeBps(1), a["mallory"])
    with reverts("OwnershipCannotBeRenounced"):
        suite.send(f.renounceOwnership(), a["gov"])
    with reverts("FeeTooHigh", 2_000, 1_000):
        suite.deploy("Marketplace", suite.token.address, a["gov"], 2_000)
    with reverts("ZeroAddress"):
        suite.deploy("Marketplace", ZERO, a["gov"], 0)


# --------------------------------------------------------------------- re-entrancy


@pytest.fixture
def attack(suite, a):
    """A marketplace on a token that calls back into its recipients, and a contract account
    that re-enters the marketplace from that callback."""
    token = suite.deploy("TestReentrantToken")
    market = suite.deploy("Marketplace", token.address, a["gov"], 250)
    attacker = suite.deploy("TestEscrowAttacker", market.address)
    suite.send(token.functions.setHook(attacker.address, True), a["deployer"])
    for holder in (a["carol"], attacker.address):
        suite.send(token.functions.mint(holder, 10 * PRICE), a["deployer"])
    return token, market, attacker


def _gig_with_attacker_as_talent(suite, a, token, market, attacker):
    gig_id, _ = post(suite, market, a["carol"])
    suite.send(attacker.functions.act(market.encode_abi("accept", args=[gig_id])), a["mallory"])
    suite.send(token.functions.approve(market.address, PRICE), a["carol"])
    suite.send(market.functions.fund(gig_id), a["carol"])
    return gig_id


def test_talent_reentering_refund_during_release_is_stopped(suite, a, attack):
    token, market, attacker = attack
    gig_id = _gig_with_attacker_as_talent(suite, a, token, market, attacker)
    # Paid as talent, the attacker tries to refund the same escrow to the client within the payout.
    suite.send(attacker.functions.arm(market.encode_abi("refund", args=[gig_id]), False), a["mallory"])
    carol_before = token.functions.balanceOf(a["carol"]).call()
    suite.send(market.functions.release(gig_id), a["carol"])
    assert attacker.functions.reentryAttempts().call() == 1
    assert attacker.functions.lastReentrySucceeded().call() is False
    assert decode_error(attacker.functions.lastReentryError().call())[0] == "ReentrancyGuardReentrantCall"
    fee = PRICE * 250 // 10_000
    assert token.functions.balanceOf(attacker.address).call() == 10 * PRICE + PRICE - fee
    assert token.functions.balanceOf(market.address).call() == 0
    assert token.functions.balanceOf(a["carol"]).call() == carol_before
    assert market.functions.gigs(gig_id).call()[2] == RELEASED


def test_a_reentrant_failure_that_bubbles_reverts_the_whole_release(suite, a, attack):
    token, market, attacker = attack
    gig_id = _gig_with_attacker_as_talent(suite, a, token, market, attacker)
    suite.send(attacker.functions.arm(market.encode_abi("release", args=[gig_id]), True), a["mallory"])
    with reverts("ReentrancyGuardReentrantCall"):
        suite.send(market.functions.release(gig_id), a["carol"])
    assert market.functions.gigs(gig_id).call()[2] == FUNDED
    assert token.functions.balanceOf(market.address).call() == PRICE


def test_client_reentering_release_during_refund_is_stopped(suite, a, attack):
    token, market, attacker = attack
    act = attacker.functions.act
    suite.send(act(market.encode_abi("post", args=[GIG, PRICE, ZERO, 0, WEEK, "Bait"])), a["mallory"])
    gig_id = market.functions.gigCount().call() - 1
    suite.send(market.functions.accept(gig_id), a["bob"])
    suite.send(attacker.functions.approve(token.address, market.address, PRICE), a["mallory"])
    suite.send(act(market.encode_abi("fund", args=[gig_id])), a["mallory"])
    # Refunded as client, the attacker (the gig's own client, so authorised to release)
    # tries to release the same escrow to the talent within the refund.
    suite.send(attacker.functions.arm(market.encode_abi("release", args=[gig_id]), False), a["mallory"])
    suite.send(market.functions.refund(gig_id), a["bob"])  # the talent gives the money back
    assert attacker.functions.lastReentrySucceeded().call() is False
    assert decode_error(attacker.functions.lastReentryError().call())[0] == "ReentrancyGuardReentrantCall"
    assert market.functions.gigs(gig_id).call()[2] == REFUNDED
    assert token.functions.balanceOf(market.address).call() == 0
    assert token.functions.balanceOf(a["bob"]).call() == 0
