"""TalentMarket: bids with stakes, gated offers (soulbound credential, staked BTK), the
client paying the fee, connectors for life (EIP-712 registration), the fee's burn share,
bond forfeiture, governance caps, and re-entrancy attempts on every payout."""

import pytest
from eth_account import Account
from eth_utils import keccak

from tests.contracts.harness import BTK, ZERO, decode_error, reverts

OPEN, ACCEPTED, FUNDED, RELEASED, REFUNDED, CANCELLED = range(6)
WEEK = 7 * 24 * 3600
BUDGET = 1_000 * BTK
TERMS = (250, 100, 0, 10_000)  # fee, connector share, burn share, bond forfeit (bps)
NO_GATE = (ZERO, b"\0" * 32, 0)
DEGREE = keccak(text="BachelorDegree")


def deploy_market(suite, owner, token=None, terms=TERMS):
    return suite.deploy("TalentMarket", (token or suite.token).address, suite.soulbound.address,
                        suite.staking.address, owner, terms)


@pytest.fixture
def tm(suite):
    """The market as deployed: governed by the timelock."""
    return deploy_market(suite, suite.timelock.address)


@pytest.fixture
def gov_tm(suite, a):
    """A market owned by an EOA standing in for the timelock."""
    return deploy_market(suite, a["gov"])


def offer(tm, offer_id):
    (client, status, window, refundable_at, talent, accepted_bid, terms, budget, price, bond, gate,
     details) = tm.functions.offers(offer_id).call()
    return dict(client=client, status=status, talent=talent, accepted_bid=accepted_bid, terms=terms,
                price=price, bond=bond, gate=gate, refundable_at=refundable_at, details=details)


def post(suite, tm, client, budget=BUDGET, gate=NO_GATE, window=WEEK, details="Logo"):
    receipt = suite.send(tm.functions.post(budget, window, gate, details), client)
    (event,) = suite.events(tm, "OfferPosted", receipt)
    return event.args.offerId


def bid(suite, tm, who, offer_id, price, stake=0, token_id=0, message="I can do it"):
    if stake:
        suite.send(suite.token.functions.approve(tm.address, stake), who)
    receipt = suite.send(tm.functions.bid(offer_id, price, stake, token_id, message), who)
    (event,) = suite.events(tm, "BidPlaced", receipt)
    return event.args.bidId


def bal(suite, *who):
    return [suite.token.functions.balanceOf(x).call() for x in who]


def fund(suite, tm, client, offer_id):
    o = offer(tm, offer_id)
    total = o["price"] + o["price"] * o["terms"][0] // 10_000
    suite.send(suite.token.functions.approve(tm.address, total), client)
    return suite.send(tm.functions.fund(offer_id), client)


def sign_referral(suite, tm, role, referrer, deadline):
    typed = {
        "types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                                   {"name": "chainId", "type": "uint256"},
                                   {"name": "verifyingContract", "type": "address"}],
                  "Referral": [{"name": "account", "type": "address"}, {"name": "referrer", "type": "address"},
                               {"name": "deadline", "type": "uint256"}]},
        "primaryType": "Referral",
        "domain": {"name": "Blocktrack TalentMarket", "version": "1", "chainId": suite.w3.eth.chain_id,
                   "verifyingContract": tm.address},
        "message": {"account": suite.a[role], "referrer": referrer, "deadline": deadline},
    }
    return Account.sign_typed_data(suite.keys[role], full_message=typed).signature


def test_bids_with_and_without_stake_then_acceptance_releases_the_losers(suite, a, tm):
    f = tm.functions
    oid = post(suite, tm, a["carol"])
    bob_before, mallory_before, connector_before = bal(suite, a["bob"], a["mallory"], a["connector"])
    b_staked = bid(suite, tm, a["bob"], oid, 900 * BTK, stake=100 * BTK, message="Staked: I deliver in 3 days")
    b_plain = bid(suite, tm, a["mallory"], oid, 800 * BTK)
    b_loser = bid(suite, tm, a["connector"], oid, 950 * BTK, stake=50 * BTK)
    assert f.bidCount(oid).call() == 3
    assert f.bids(oid, b_staked).call() == (a["bob"], True, 900 * BTK, 100 * BTK)
    assert bal(suite, tm.address) == [150 * BTK]
    receipt = suite.send(f.acceptBid(oid, b_staked), a["carol"])
    (accepted,) = suite.events(tm, "BidAccepted", receipt)
    assert (accepted.args.talent, accepted.args.price, accepted.args.bond) == (a["bob"], 900 * BTK, 100 * BTK)
    released = suite.events(tm, "StakeReleased", receipt)
    assert [(e.args.bidId, e.args.stake) for e in released] == [(b_plain, 0), (b_loser, 50 * BTK)]
    # Losing stakes are back at once; only the winner's bond stays.
    assert bal(suite, a["connector"], a["mallory"], tm.address) == [connector_before, mallory_before, 100 * BTK]
    assert bal(suite, a["bob"]) == [bob_before - 100 * BTK]
    assert f.bids(oid, b_plain).call()[1] is False
    o = offer(tm, oid)
    assert (o["status"], o["talent"], o["price"], o["bond"], o["terms"]) == (ACCEPTED, a["bob"], 900 * BTK,
                                                                              100 * BTK, TERMS)
    with reverts("OfferNotOpen", oid):
        bid(suite, tm, a["alice"], oid, 10 * BTK)
    with reverts("BidNotActive", oid, b_loser):
        suite.send(f.withdrawBid(oid, b_loser), a["connector"])


def test_bid_rules(suite, a, tm):
    f = tm.functions
    oid = post(suite, tm, a["carol"])
    with reverts("BidAboveBudget", BUDGET + 1, BUDGET):
        bid(suite, tm, a["bob"], oid, BUDGET + 1)
    with reverts("ClientCannotBid", oid):
        bid(suite, tm, a["carol"], oid, BTK)
    with reverts("ZeroAmount"):
        bid(suite, tm, a["bob"], oid, 0)
    with reverts("MessageTooLong", 1001, 1000):
        bid(suite, tm, a["bob"], oid, BTK, message="x" * 1001)
    with reverts("OfferNotAccepted", oid):  # nothing to fund before a bid is accepted
        suite.send(f.fund(oid), a["carol"])
    first = bid(suite, tm, a["bob"], oid, BTK, stake=5 * BTK)
    with reverts("AlreadyBidding", oid, first):
        bid(suite, tm, a["bob"], oid, 2 * BTK)
    with reverts("NotBidder", oid, first):
        suite.send(f.withdrawBid(oid, first), a["mallory"])
    with reverts("NotOfferClient", oid):
        suite.send(f.acceptBid(oid, first), a["mallory"])
    with reverts("BidNotFound", oid, 7):
        suite.send(f.acceptBid(oid, 7), a["carol"])
    with reverts("OfferNotFound", 9):
        bid(suite, tm, a["bob"], 9, BTK)


def test_withdrawing_a_bid_returns_its_stake_and_allows_a_new_bid(suite, a, tm):
    f = tm.functions
    oid = post(suite, tm, a["carol"])
    before = bal(suite, a["bob"])[0]
    first = bid(suite, tm, a["bob"], oid, 500 * BTK, stake=40 * BTK)
    receipt = suite.send(f.withdrawBid(oid, first), a["bob"])
    (w,) = suite.events(tm, "BidWithdrawn", receipt)
    assert w.args.stake == 40 * BTK and bal(suite, a["bob"], tm.address) == [before, 0]
    with reverts("BidNotActive", oid, first):  # twice
        suite.send(f.withdrawBid(oid, first), a["bob"])
    second = bid(suite, tm, a["bob"], oid, 450 * BTK)
    assert second == 1
    with reverts("BidNotActive", oid, first):  # a withdrawn bid cannot be accepted
        suite.send(f.acceptBid(oid, first), a["carol"])


def test_the_message_is_in_the_event_with_its_hash(suite, a, tm):
    oid = post(suite, tm, a["carol"])
    text = "Portfolio: https://example.org/bob — 5 years of logos"
    receipt = suite.send(tm.functions.bid(oid, BTK, 0, 0, text), a["bob"])
    (e,) = suite.events(tm, "BidPlaced", receipt)
    assert e.args.message == text and e.args.messageHash == keccak(text=text)


def _issue(suite, a, holder, credential=b"degree of bob"):
    suite.send(suite.token.functions.approve(suite.soulbound.address, 10 * BTK), a["issuer"])
    receipt = suite.send(suite.soulbound.functions.issue(holder, keccak(credential), ""), a["issuer"])
    (e,) = suite.events(suite.soulbound, "CredentialIssued", receipt)
    return e.args.tokenId


def test_credential_gate_refuses_then_accepts(suite, a, tm):
    f = tm.functions
    oid = post(suite, tm, a["carol"], gate=(a["issuer"], DEGREE, 0))
    with reverts("CredentialRequired", a["issuer"], DEGREE):  # holds nothing
        bid(suite, tm, a["bob"], oid, BTK)
    token_id = _issue(suite, a, a["bob"])
    with reverts("CredentialRequired"):  # anchored, but its type is not declared yet
        bid(suite, tm, a["bob"], oid, BTK, token_id=token_id)
    with reverts("NotTokenIssuer", token_id, a["mallory"]):  # only its issuer says what it is
        suite.send(f.setCredentialType(token_id, DEGREE), a["mallory"])
    suite.send(f.setCredentialType(token_id, DEGREE), a["issuer"])
    with reverts("CredentialTypeAlreadySet", token_id, DEGREE):
        suite.send(f.setCredentialType(token_id, keccak(text="Other")), a["issuer"])
    with reverts("CredentialRequired"):  # someone else's token does not count
        bid(suite, tm, a["mallory"], oid, BTK, token_id=token_id)
    assert f.gateStatus(oid, a["bob"], token_id).call()[0] is True
    bid(suite, tm, a["bob"], oid, BTK, token_id=token_id)
    # A revoked credential no longer opens the gate.
    other = post(suite, tm, a["carol"], gate=(a["issuer"], b"\0" * 32, 0))
    suite.send(suite.soulbound.functions.revoke(token_id), a["issuer"])
    with reverts("CredentialRequired"):
        bid(suite, tm, a["bob"], other, BTK, token_id=token_id)
    with reverts("ZeroAddress"):  # a type without its issuer means nothing
        post(suite, tm, a["carol"], gate=(ZERO, DEGREE, 0))


def test_a_credential_from_another_issuer_does_not_open_the_gate(suite, a, tm):
    token_id = _issue(suite, a, a["bob"])
    oid = post(suite, tm, a["carol"], gate=(a["alice"], b"\0" * 32, 0))
    with reverts("CredentialRequired", a["alice"], b"\0" * 32):
        bid(suite, tm, a["bob"], oid, BTK, token_id=token_id)


def test_stake_gate_refuses_too_little_then_accepts(suite, a, tm):
    oid = post(suite, tm, a["carol"], gate=(ZERO, b"\0" * 32, 100 * BTK))
    staking = suite.staking
    suite.send(suite.token.functions.approve(staking.address, 60 * BTK), a["bob"])
    suite.send(staking.functions.stake(0, 60 * BTK), a["bob"])
    with reverts("StakeTooLow", 60 * BTK, 100 * BTK):
        bid(suite, tm, a["bob"], oid, BTK)
    assert tm.functions.gateStatus(oid, a["bob"], 0).call() == [True, False, 60 * BTK]
    suite.send(suite.token.functions.approve(staking.address, 40 * BTK), a["bob"])
    suite.send(staking.functions.stake(0, 40 * BTK), a["bob"])
    bid(suite, tm, a["bob"], oid, BTK)


def test_release_pays_the_full_price_and_connectors_on_both_sides(suite, a, tm):
    f = tm.functions
    suite.send(f.registerReferrer(a["connector"]), a["carol"])  # the client's connector
    suite.send(f.registerReferrer(a["alice"]), a["bob"])  # the talent's connector
    oid = post(suite, tm, a["carol"])
    bid_id = bid(suite, tm, a["bob"], oid, BUDGET, stake=100 * BTK)
    suite.send(f.acceptBid(oid, bid_id), a["carol"])
    carol_before = bal(suite, a["carol"])[0]
    receipt = fund(suite, tm, a["carol"], oid)
    (funded,) = suite.events(tm, "OfferFunded", receipt)
    fee = BUDGET * 250 // 10_000
    assert (funded.args.price, funded.args.fee) == (BUDGET, fee)
    assert bal(suite, a["carol"]) == [carol_before - BUDGET - fee]  # the client pays the fee
    who = [a["bob"], suite.timelock.address, tm.address]
    before = bal(suite, *who)
    supply = suite.token.functions.totalSupply().call()
    receipt = suite.send(f.release(oid), a["carol"])
    cut = BUDGET // 100
    after = bal(suite, *who)
    assert after[0] - before[0] == BUDGET + 100 * BTK  # the whole price and the bond back
    assert after[1] - before[1] == fee - 2 * cut  # 25 - 10 - 10 = 5 to the treasury
    assert after[2] == 2 * cut  # the connectors' earnings wait in the contract
    assert suite.token.functions.totalSupply().call() == supply  # burn share 0
    paid = {(e.args.connector, e.args.referred, e.args.amount) for e in suite.events(tm, "ConnectorPaid", receipt)}
    assert paid == {(a["connector"], a["carol"], cut), (a["alice"], a["bob"], cut)}
    assert f.earnings(a["connector"]).call() == cut and f.earnings(a["alice"]).call() == cut
    before = bal(suite, a["connector"])[0]
    suite.send(f.withdrawEarnings(), a["connector"])
    assert bal(suite, a["connector"])[0] == before + cut and f.earnings(a["connector"]).call() == 0
    with reverts("NothingToWithdraw"):
        suite.send(f.withdrawEarnings(), a["connector"])
    with reverts("OfferNotFunded", oid):  # double release
        suite.send(f.release(oid), a["carol"])


def test_referrer_is_named_once_by_signature_relayed_by_anyone(suite, a, tm):
    f = tm.functions
    deadline = suite.now + 3600
    sig = sign_referral(suite, tm, "bob", a["connector"], deadline)
    # A relayer cannot change what was signed: another referrer or another account fails.
    with reverts("InvalidSignature", a["bob"]):
        suite.send(f.registerReferrerFor(a["bob"], a["mallory"], deadline, sig), a["mallory"])
    with reverts("InvalidSignature", a["carol"]):
        suite.send(f.registerReferrerFor(a["carol"], a["connector"], deadline, sig), a["mallory"])
    receipt = suite.send(f.registerReferrerFor(a["bob"], a["connector"], deadline, sig), a["connector"])
    (e,) = suite.events(tm, "ReferrerRegistered", receipt)
    assert (e.args.account, e.args.referrer) == (a["bob"], a["connector"])
    assert f.referrerOf(a["bob"]).call() == a["connector"]
    with reverts("ReferrerAlreadySet", a["bob"], a["connector"]):  # replayed: never changed
        suite.send(f.registerReferrerFor(a["bob"], a["connector"], deadline, sig), a["mallory"])
    with reverts("ReferrerAlreadySet", a["bob"], a["connector"]):
        suite.send(f.registerReferrer(a["mallory"]), a["bob"])
    with reverts("InvalidReferrer", a["carol"]):
        suite.send(f.registerReferrer(a["carol"]), a["carol"])
    late = sign_referral(suite, tm, "carol", a["connector"], suite.now - 1)
    with reverts("SignatureExpired"):
        suite.send(f.registerReferrerFor(a["carol"], a["connector"], suite.now - 1, late), a["carol"])


def test_client_refund_after_the_window_forfeits_the_bond(suite, a, gov_tm):
    tm, f = gov_tm, gov_tm.functions
    suite.send(f.setTerms((250, 100, 0, 6_000)), a["gov"])  # 60 % of the bond to the client
    oid = post(suite, tm, a["carol"])
    bid_id = bid(suite, tm, a["bob"], oid, 800 * BTK, stake=100 * BTK)
    suite.send(f.acceptBid(oid, bid_id), a["carol"])
    fund(suite, tm, a["carol"], oid)
    with reverts("OfferRefundNotYetAllowed"):
        suite.send(f.refund(oid), a["carol"])
    with reverts("NotOfferParty", oid):
        suite.send(f.refund(oid), a["mallory"])
    suite.advance_time(WEEK + 1)
    carol, bob = bal(suite, a["carol"], a["bob"])
    receipt = suite.send(f.refund(oid), a["carol"])
    (e,) = suite.events(tm, "OfferRefunded", receipt)
    fee = 800 * BTK * 250 // 10_000
    assert (e.args.bondToClient, e.args.bondToTalent) == (60 * BTK, 40 * BTK)
    assert bal(suite, a["carol"], a["bob"], tm.address) == [carol + 800 * BTK + fee + 60 * BTK, bob + 40 * BTK, 0]
    assert offer(tm, oid)["status"] == REFUNDED


def test_talent_refund_within_the_window_keeps_the_bond(suite, a, tm):
    f = tm.functions
    oid = post(suite, tm, a["carol"])
    bid_id = bid(suite, tm, a["bob"], oid, 800 * BTK, stake=100 * BTK)
    suite.send(f.acceptBid(oid, bid_id), a["carol"])
    fund(suite, tm, a["carol"], oid)
    carol, bob = bal(suite, a["carol"], a["bob"])
    suite.send(f.refund(oid), a["bob"])
    assert bal(suite, a["carol"], a["bob"], tm.address) == [carol + 820 * BTK, bob + 100 * BTK, 0]


def test_cancel_returns_every_stake(suite, a, tm):
    f = tm.functions
    oid = post(suite, tm, a["carol"])
    bob, mallory = bal(suite, a["bob"], a["mallory"])
    bid(suite, tm, a["bob"], oid, 800 * BTK, stake=30 * BTK)
    bid(suite, tm, a["mallory"], oid, 700 * BTK, stake=20 * BTK)
    with reverts("NotOfferClient", oid):
        suite.send(f.cancel(oid), a["bob"])
    suite.send(f.cancel(oid), a["carol"])
    assert bal(suite, a["bob"], a["mallory"], tm.address) == [bob, mallory, 0]
    with reverts("OfferNotCancellable", oid):
        suite.send(f.cancel(oid), a["carol"])
    # Accepted but not funded: the winner's bond goes back.
    oid = post(suite, tm, a["carol"])
    suite.send(f.acceptBid(oid, bid(suite, tm, a["bob"], oid, 800 * BTK, stake=30 * BTK)), a["carol"])
    suite.send(f.cancel(oid), a["carol"])
    assert bal(suite, a["bob"], tm.address) == [bob, 0]


def test_burn_share_reduces_total_supply(suite, a, gov_tm):
    tm, f = gov_tm, gov_tm.functions
    assert f.canBurn().call() is True
    suite.send(f.setTerms((300, 100, 5_000, 10_000)), a["gov"])  # half the fee's rest burned
    oid = post(suite, tm, a["carol"])
    suite.send(f.acceptBid(oid, bid(suite, tm, a["bob"], oid, BUDGET)), a["carol"])
    fund(suite, tm, a["carol"], oid)
    supply = suite.token.functions.totalSupply().call()
    gov_before = bal(suite, a["gov"])[0]
    receipt = suite.send(f.release(oid), a["carol"])
    fee = BUDGET * 300 // 10_000  # 30 BTK; nobody has a connector here
    (e,) = suite.events(tm, "OfferReleased", receipt)
    assert (e.args.burned, e.args.treasury) == (fee // 2, fee - fee // 2)
    assert suite.token.functions.totalSupply().call() == supply - fee // 2
    assert bal(suite, a["gov"])[0] == gov_before + fee - fee // 2


def test_a_token_that_cannot_burn_refuses_a_burn_share(suite, a):
    old = suite.deploy("TestReentrantToken")  # an ERC-20 without burn, like BTK before it
    tm = deploy_market(suite, a["gov"], token=old)
    assert tm.functions.canBurn().call() is False
    with reverts("BurnNotSupported"):
        suite.send(tm.functions.setTerms((250, 100, 1, 10_000)), a["gov"])
    with reverts("BurnNotSupported"):
        deploy_market(suite, a["gov"], token=old, terms=(250, 100, 100, 10_000))


def test_parameter_caps_and_governance_only(suite, a, gov_tm, tm):
    f = gov_tm.functions
    with reverts("OwnableUnauthorizedAccount", a["mallory"]):
        suite.send(f.setTerms(TERMS), a["mallory"])
    with reverts("OwnableUnauthorizedAccount", a["gov"]):  # the real one answers to the timelock only
        suite.send(tm.functions.setTerms(TERMS), a["gov"])
    with reverts("FeeTooHigh", 1_001, 1_000):
        suite.send(f.setTerms((1_001, 100, 0, 0)), a["gov"])
    with reverts("ConnectorShareTooHigh", 251, 250):
        suite.send(f.setTerms((1_000, 251, 0, 0)), a["gov"])
    with reverts("FeeBelowConnectors", 150, 100):  # two connectors at 1 % need a 2 % fee
        suite.send(f.setTerms((150, 100, 0, 0)), a["gov"])
    with reverts("BurnShareTooHigh", 5_001, 5_000):
        suite.send(f.setTerms((250, 100, 5_001, 0)), a["gov"])
    with reverts("ForfeitShareTooHigh", 10_001, 10_000):
        suite.send(f.setTerms((250, 100, 0, 10_001)), a["gov"])
    with reverts("DeliveryWindowTooLong"):
        post(suite, gov_tm, a["carol"], window=366 * 24 * 3600)
    with reverts("OwnershipCannotBeRenounced"):
        suite.send(f.renounceOwnership(), a["gov"])
    receipt = suite.send(f.setTerms((400, 150, 1_000, 5_000)), a["gov"])
    (e,) = suite.events(gov_tm, "TermsChanged", receipt)
    assert tuple(e.args.newTerms.values()) == (400, 150, 1_000, 5_000)


def test_terms_are_fixed_when_a_bid_is_accepted(suite, a, gov_tm):
    tm, f = gov_tm, gov_tm.functions
    oid = post(suite, tm, a["carol"])
    suite.send(f.acceptBid(oid, bid(suite, tm, a["bob"], oid, BUDGET)), a["carol"])
    suite.send(f.setTerms((1_000, 100, 0, 0)), a["gov"])
    receipt = fund(suite, tm, a["carol"], oid)
    assert suite.events(tm, "OfferFunded", receipt)[0].args.fee == BUDGET * 250 // 10_000


def test_governance_changes_terms_through_the_timelock(suite, a, tm):
    suite.govern([(tm, "setTerms", [(500, 200, 0, 5_000)])], "TalentMarket: fee 5 %, connectors 2 %")
    assert tm.functions.terms().call() == [500, 200, 0, 5_000]


# ---- re-entrancy ----------------------------------------------------------------------

@pytest.fixture
def attack(suite, a):
    """A market on a token that calls back into recipients, and a contract account that
    re-enters the market from that callback."""
    token = suite.deploy("TestReentrantToken")
    tm = deploy_market(suite, a["gov"], token=token)
    attacker = suite.deploy("TestEscrowAttacker", tm.address)
    suite.send(token.functions.setHook(attacker.address, True), a["deployer"])
    for holder in (a["carol"], attacker.address):
        suite.send(token.functions.mint(holder, 10 * BUDGET), a["deployer"])
    suite.send(attacker.functions.approve(token.address, tm.address, 10 * BUDGET), a["mallory"])
    return token, tm, attacker


def _attacker_bids(suite, a, token, tm, attacker, stake=100 * BTK):
    oid = post(suite, tm, a["carol"])
    suite.send(attacker.functions.act(tm.encode_abi("bid", args=[oid, BUDGET, stake, 0, "hi"])), a["mallory"])
    return oid


def test_reentering_withdraw_bid_during_its_payout_is_stopped(suite, a, attack):
    token, tm, attacker = attack
    oid = _attacker_bids(suite, a, token, tm, attacker)
    suite.send(attacker.functions.arm(tm.encode_abi("withdrawBid", args=[oid, 0]), False), a["mallory"])
    suite.send(attacker.functions.act(tm.encode_abi("withdrawBid", args=[oid, 0])), a["mallory"])
    assert attacker.functions.reentryAttempts().call() == 1
    assert decode_error(attacker.functions.lastReentryError().call())[0] == "ReentrancyGuardReentrantCall"
    assert token.functions.balanceOf(attacker.address).call() == 10 * BUDGET  # the stake once, not twice
    assert token.functions.balanceOf(tm.address).call() == 0


def test_talent_reentering_refund_during_release_is_stopped(suite, a, attack):
    token, tm, attacker = attack
    oid = _attacker_bids(suite, a, token, tm, attacker)
    suite.send(tm.functions.acceptBid(oid, 0), a["carol"])
    suite.send(token.functions.approve(tm.address, 2 * BUDGET), a["carol"])
    suite.send(tm.functions.fund(oid), a["carol"])
    suite.send(attacker.functions.arm(tm.encode_abi("refund", args=[oid]), False), a["mallory"])
    carol = token.functions.balanceOf(a["carol"]).call()
    suite.send(tm.functions.release(oid), a["carol"])
    assert decode_error(attacker.functions.lastReentryError().call())[0] == "ReentrancyGuardReentrantCall"
    assert token.functions.balanceOf(attacker.address).call() == 10 * BUDGET + BUDGET
    assert token.functions.balanceOf(a["carol"]).call() == carol  # nothing refunded on top
    assert offer(tm, oid)["status"] == RELEASED


def test_a_loser_reentering_during_acceptance_reverts_it_when_bubbled(suite, a, attack):
    token, tm, attacker = attack
    oid = _attacker_bids(suite, a, token, tm, attacker)
    suite.send(token.functions.approve(tm.address, BTK), a["carol"])
    bid_bob = tm.functions.bid(oid, BTK, 0, 0, "")
    suite.send(bid_bob, a["bob"])
    # Paid its losing stake, the attacker tries to bid again inside the acceptance.
    suite.send(attacker.functions.arm(tm.encode_abi("bid", args=[oid, BUDGET, 0, 0, "again"]), True), a["mallory"])
    with reverts("ReentrancyGuardReentrantCall"):
        suite.send(tm.functions.acceptBid(oid, 1), a["carol"])
    assert offer(tm, oid)["status"] == OPEN
    assert token.functions.balanceOf(tm.address).call() == 100 * BTK


def test_bids_per_offer_are_bounded(suite, a, tm):
    """The loop that returns losing stakes stays bounded: the 51st bid is refused."""
    oid = post(suite, tm, a["carol"])
    max_bids = tm.functions.MAX_BIDS().call()
    for n in range(max_bids):
        key = keccak(text=f"talent market bidder {n}")
        address = Account.from_key(key).address
        if address not in suite.w3.eth.accounts:
            suite.tester.add_account("0x" + key.hex())
        suite.w3.eth.send_transaction({"from": a["deployer"], "to": address, "value": 10**17})
        suite.send(tm.functions.bid(oid, BTK, 0, 0, ""), address)
    with reverts("TooManyBids", oid, max_bids):
        bid(suite, tm, a["bob"], oid, BTK)
    receipt = suite.send(tm.functions.acceptBid(oid, 0), a["carol"])
    assert len(suite.events(tm, "StakeReleased", receipt)) == max_bids - 1
    assert receipt.gasUsed < 2_000_000
