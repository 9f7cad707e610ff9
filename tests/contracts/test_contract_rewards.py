"""RewardsPool: learn-to-earn schedules claimed once per anchored credential (checked on
SoulboundCredential at claim time), contribution bounties, reserved budgets, and a
re-entrant token that tries to claim twice from inside the payout."""

import pytest
from eth_utils import keccak

from tests.contracts.harness import BTK, ZERO, reverts

FEE = 1 * BTK
COURSE = keccak(text="CourseCompletionCredential")
DEGREE = keccak(text="UniversityDegreeCredential")


def anchor(suite, holder, text, issuer=None, soulbound=None):
    issuer = issuer or suite.a["issuer"]
    sb = soulbound or suite.soulbound
    if sb.functions.issuanceFee().call():
        suite.send(suite.token.functions.approve(sb.address, FEE), issuer)
    receipt = suite.send(sb.functions.issue(holder, keccak(text=text), f"ipfs://{text}"), issuer)
    (event,) = suite.events(sb, "CredentialIssued", receipt)
    return event.args.tokenId


@pytest.fixture
def pool(suite, a):
    """A pool governed by an EOA standing in for the timelock, funded with 10,000 BTK."""
    pool = suite.deploy("RewardsPool", suite.token.address, suite.soulbound.address, a["gov"], [])
    suite.send(suite.token.functions.approve(pool.address, 10_000 * BTK), a["gov"])
    suite.send(pool.functions.fund(10_000 * BTK), a["gov"])
    return pool


def schedule(suite, pool, amount=50, budget=100, end_in=100, ctype=COURSE, issuer=None):
    receipt = suite.send(pool.functions.setSchedule(issuer or suite.a["issuer"], ctype, amount * BTK, budget * BTK,
                                                    suite.block + end_in, "Finish a course"), suite.a["gov"])
    (event,) = suite.events(pool, "ScheduleSet", receipt)
    return event.args.scheduleId


def anchored_course(suite, pool, holder, text, ctype=COURSE):
    token_id = anchor(suite, holder, text)
    suite.send(pool.functions.declareType(keccak(text=text), ctype), suite.a["issuer"])
    return token_id


def balance(suite, who):
    return suite.token.functions.balanceOf(who).call()


def test_a_holder_claims_once_and_the_budget_shrinks(suite, a, pool):
    sid = schedule(suite, pool)
    assert pool.functions.reserved().call() == 100 * BTK
    assert pool.functions.unreserved().call() == 9_900 * BTK
    tid = anchored_course(suite, pool, a["bob"], "solidity-101")
    before = balance(suite, a["bob"])
    receipt = suite.send(pool.functions.claim(sid, tid), a["bob"])
    (event,) = suite.events(pool, "RewardClaimed", receipt)
    assert (event.args.scheduleId, event.args.tokenId, event.args.holder, event.args.amount) == (
        sid, tid, a["bob"], 50 * BTK)
    assert balance(suite, a["bob"]) == before + 50 * BTK
    s = pool.functions.schedule(sid).call()
    assert (s[3], s[6]) == (50 * BTK, 1)  # budget left, claims
    assert pool.functions.claimedFrom(tid).call() == sid + 1
    # The double claim: same schedule, and a second schedule for the same credential.
    with reverts("RewardAlreadyClaimed", tid, sid):
        suite.send(pool.functions.claim(sid, tid), a["bob"])
    other = schedule(suite, pool)
    with reverts("RewardAlreadyClaimed", tid, sid):
        suite.send(pool.functions.claim(other, tid), a["bob"])
    assert balance(suite, a["bob"]) == before + 50 * BTK


def test_a_revoked_credential_earns_nothing(suite, a, pool):
    sid = schedule(suite, pool)
    tid = anchored_course(suite, pool, a["bob"], "revoked-course")
    suite.send(suite.soulbound.functions.revoke(tid), a["issuer"])
    with reverts("CredentialWasRevoked", tid):
        suite.send(pool.functions.claim(sid, tid), a["bob"])
    assert pool.functions.reserved().call() == 100 * BTK


def test_an_exhausted_budget_refuses_the_next_claim(suite, a, pool):
    sid = schedule(suite, pool, amount=50, budget=120)  # room for two claims, 20 left over
    first = anchored_course(suite, pool, a["bob"], "c1")
    second = anchored_course(suite, pool, a["carol"], "c2")
    third = anchored_course(suite, pool, a["connector"], "c3")
    suite.send(pool.functions.claim(sid, first), a["bob"])
    suite.send(pool.functions.claim(sid, second), a["carol"])
    with reverts("BudgetExhausted", sid, 20 * BTK):
        suite.send(pool.functions.claim(sid, third), a["connector"])


def test_claims_check_holder_issuer_type_and_end_block(suite, a, pool):
    sid = schedule(suite, pool, end_in=30)
    tid = anchored_course(suite, pool, a["bob"], "checked")
    with reverts("NotCredentialHolder", tid, a["mallory"]):
        suite.send(pool.functions.claim(sid, tid), a["mallory"])
    with reverts("UnknownCredential", 999):
        suite.send(pool.functions.claim(sid, 999), a["bob"])
    with reverts("UnknownSchedule", 7):
        suite.send(pool.functions.claim(7, tid), a["bob"])
    degree = schedule(suite, pool, ctype=DEGREE)
    with reverts("WrongCredentialType", tid, COURSE, DEGREE):
        suite.send(pool.functions.claim(degree, tid), a["bob"])
    undeclared = anchor(suite, a["bob"], "undeclared")
    with reverts("WrongCredentialType", undeclared, b"\0" * 32, COURSE):
        suite.send(pool.functions.claim(sid, undeclared), a["bob"])
    elsewhere = schedule(suite, pool, issuer=a["mallory"])
    with reverts("WrongIssuer", tid, a["issuer"], a["mallory"]):
        suite.send(pool.functions.claim(elsewhere, tid), a["bob"])
    suite.mine(31)
    with reverts("ScheduleNotOpen", sid):
        suite.send(pool.functions.claim(sid, tid), a["bob"])


def test_only_the_credentials_issuer_declares_its_type_once(suite, a, pool):
    tid = anchor(suite, a["mallory"], "self-made")
    made = keccak(text="self-made")
    # Mallory holds the credential and would like it to count as a degree.
    with reverts("NotCredentialIssuer", tid, a["mallory"]):
        suite.send(pool.functions.declareType(made, DEGREE), a["mallory"])
    receipt = suite.send(pool.functions.declareType(made, COURSE), a["issuer"])
    (event,) = suite.events(pool, "CredentialTypeDeclared", receipt)
    assert (event.args.tokenId, event.args.credentialType) == (tid, COURSE)
    with reverts("TypeAlreadyDeclared", tid, COURSE):
        suite.send(pool.functions.declareType(made, DEGREE), a["issuer"])
    with reverts("NotAnchored", keccak(text="never")):
        suite.send(pool.functions.declareType(keccak(text="never"), COURSE), a["issuer"])


def test_an_issuer_that_lost_its_role_no_longer_earns_its_holders_rewards(suite, a):
    sb = suite.deploy("SoulboundCredential", suite.token.address, a["gov"], 0, [a["issuer"]])
    pool = suite.deploy("RewardsPool", suite.token.address, sb.address, a["gov"], [])
    suite.send(suite.token.functions.transfer(pool.address, 500 * BTK), a["gov"])
    sid = schedule(suite, pool)
    tid = anchor(suite, a["bob"], "before-removal", soulbound=sb)
    later = anchor(suite, a["bob"], "declared-too-late", soulbound=sb)
    suite.send(pool.functions.declareType(keccak(text="before-removal"), COURSE), a["issuer"])
    suite.send(sb.functions.revokeRole(sb.functions.ISSUER_ROLE().call(), a["issuer"]), a["gov"])
    with reverts("IssuerRoleMissing", a["issuer"]):
        suite.send(pool.functions.claim(sid, tid), a["bob"])
    with reverts("IssuerRoleMissing", a["issuer"]):
        suite.send(pool.functions.declareType(keccak(text="declared-too-late"), COURSE), a["issuer"])
    assert pool.functions.credentialTypeOf(later).call() == b"\0" * 32


def test_governance_cannot_promise_more_than_the_pool_holds(suite, a, pool):
    with reverts("InsufficientUnreserved", 10_001 * BTK, 10_000 * BTK):
        schedule(suite, pool, amount=1, budget=10_001)
    schedule(suite, pool, amount=1, budget=9_000)
    with reverts("InsufficientUnreserved", 1_001 * BTK, 1_000 * BTK):
        suite.send(pool.functions.grantBounty(a["bob"], 1_001 * BTK, "docs"), a["gov"])
    with reverts("InsufficientUnreserved", 1_001 * BTK, 1_000 * BTK):
        suite.send(pool.functions.returnUnreserved(a["gov"], 1_001 * BTK), a["gov"])
    with reverts("BudgetBelowAmount", 1 * BTK, 2 * BTK):
        schedule(suite, pool, amount=2, budget=1)
    with reverts("EndBlockPassed"):
        schedule(suite, pool, end_in=0)
    with reverts("ZeroAmount"):
        schedule(suite, pool, amount=0)


def test_only_governance_sets_schedules_and_bounties(suite, a, pool):
    f = pool.functions
    with reverts("OwnableUnauthorizedAccount", a["mallory"]):
        suite.send(f.setSchedule(a["issuer"], COURSE, BTK, BTK, suite.block + 10, "x"), a["mallory"])
    with reverts("OwnableUnauthorizedAccount", a["mallory"]):
        suite.send(f.grantBounty(a["mallory"], BTK, "me"), a["mallory"])
    with reverts("OwnableUnauthorizedAccount", a["mallory"]):
        suite.send(f.returnUnreserved(a["mallory"], BTK), a["mallory"])
    with reverts("OwnershipCannotBeRenounced"):
        suite.send(f.renounceOwnership(), a["gov"])


def test_closing_a_schedule_releases_its_budget(suite, a, pool):
    sid = schedule(suite, pool, end_in=10)
    with reverts("ScheduleStillOpen", sid, suite.block + 9):
        suite.send(pool.functions.closeSchedule(sid), a["mallory"])
    suite.mine(10)
    receipt = suite.send(pool.functions.closeSchedule(sid), a["mallory"])  # ended: anyone may
    (event,) = suite.events(pool, "ScheduleClosed", receipt)
    assert event.args.returned == 100 * BTK
    assert pool.functions.reserved().call() == 0
    with reverts("ScheduleNotOpen", sid):
        suite.send(pool.functions.closeSchedule(sid), a["gov"])


def test_bounties_are_claimed_once_by_their_account(suite, a, pool):
    receipt = suite.send(pool.functions.grantBounty(a["bob"], 200 * BTK, "Course content: Solidity 101"), a["gov"])
    (event,) = suite.events(pool, "BountyGranted", receipt)
    bid = event.args.bountyId
    with reverts("NotBountyAccount", bid, a["mallory"]):
        suite.send(pool.functions.claimBounty(bid), a["mallory"])
    before = balance(suite, a["bob"])
    suite.send(pool.functions.claimBounty(bid), a["bob"])
    assert balance(suite, a["bob"]) == before + 200 * BTK
    with reverts("BountyNotOpen", bid):
        suite.send(pool.functions.claimBounty(bid), a["bob"])
    receipt = suite.send(pool.functions.grantBounty(a["carol"], 5 * BTK, "bug bounty"), a["gov"])
    (event,) = suite.events(pool, "BountyGranted", receipt)
    suite.send(pool.functions.cancelBounty(event.args.bountyId), a["gov"])
    with reverts("BountyNotOpen", event.args.bountyId):
        suite.send(pool.functions.claimBounty(event.args.bountyId), a["carol"])
    with reverts("UnknownBounty", 9):
        suite.send(pool.functions.claimBounty(9), a["bob"])
    assert pool.functions.reserved().call() == 0


def test_the_treasury_funds_a_schedule_through_a_proposal(suite, a):
    pool = suite.deploy("RewardsPool", suite.token.address, suite.soulbound.address, suite.timelock.address, [])
    suite.govern([(suite.token, "approve", (pool.address, 1_000 * BTK)),
                  (pool, "fund", (1_000 * BTK,)),
                  (pool, "setSchedule", (a["issuer"], COURSE, 50 * BTK, 500 * BTK, suite.block + 500, "Courses"))],
                 "Learn-to-earn: 50 BTK per completed course")
    assert pool.functions.reserved().call() == 500 * BTK
    tid = anchored_course(suite, pool, a["bob"], "governed")
    suite.send(pool.functions.claim(0, tid), a["bob"])
    assert pool.functions.schedule(0).call()[3] == 450 * BTK


def test_a_reentrant_token_cannot_claim_twice_from_inside_the_payout(suite, a):
    """The payout hands control to the holder (an attacker contract) through a hooking
    token; its re-entrant claim of the same reward must fail and pay nothing more."""
    trt = suite.deploy("TestReentrantToken")
    sb = suite.deploy("SoulboundCredential", trt.address, a["gov"], 0, [a["issuer"]])
    pool = suite.deploy("RewardsPool", trt.address, sb.address, a["gov"], [])
    suite.send(trt.functions.mint(pool.address, 1_000 * BTK), a["gov"])
    attacker = suite.deploy("TestEscrowAttacker", pool.address)
    suite.send(trt.functions.setHook(attacker.address, True), a["gov"])
    sid = schedule(suite, pool, amount=50, budget=500)
    tid = anchor(suite, attacker.address, "attacker-course", soulbound=sb)
    suite.send(pool.functions.declareType(keccak(text="attacker-course"), COURSE), a["issuer"])
    again = pool.encode_abi("claim", [sid, tid])
    suite.send(attacker.functions.arm(again, False), a["mallory"])
    suite.send(attacker.functions.act(again), a["mallory"])
    assert attacker.functions.reentryAttempts().call() == 1
    assert attacker.functions.lastReentrySucceeded().call() is False
    from tests.contracts.harness import decode_error
    assert decode_error(attacker.functions.lastReentryError().call())[0] == "ReentrancyGuardReentrantCall"
    assert trt.functions.balanceOf(attacker.address).call() == 50 * BTK
    assert pool.functions.reserved().call() == 450 * BTK


def test_constructor_rejects_zero_addresses(suite, a):
    with reverts("ZeroAddress"):
        suite.deploy("RewardsPool", ZERO, suite.soulbound.address, a["gov"], [])


def test_initial_schedules_are_reserved_and_pay_once_funded(suite, a):
    """The deployment's schedules (as deploy_suite sets them): reserved at once, paid from
    the funding that follows; an unfunded pool pays nothing and promises nothing more."""
    end = suite.block + 100
    pool = suite.deploy("RewardsPool", suite.token.address, suite.soulbound.address, a["gov"],
                        [(a["issuer"], COURSE, 50 * BTK, 100 * BTK, end, "Complete a course")])
    s = pool.functions.schedule(0).call()
    assert (s[0], bytes(s[1]), s[2], s[3], s[4], s[7]) == (a["issuer"], COURSE, 50 * BTK, 100 * BTK, end,
                                                           "Complete a course")
    assert pool.functions.reserved().call() == 100 * BTK and pool.functions.unreserved().call() == 0
    tid = anchored_course(suite, pool, a["bob"], "early")
    with reverts("ERC20InsufficientBalance"):
        suite.send(pool.functions.claim(0, tid), a["bob"])
    suite.send(suite.token.functions.transfer(pool.address, 100 * BTK), a["gov"])
    suite.send(pool.functions.claim(0, tid), a["bob"])
    with reverts("BudgetBelowAmount", 1 * BTK, 2 * BTK):
        suite.deploy("RewardsPool", suite.token.address, suite.soulbound.address, a["gov"],
                     [(a["issuer"], COURSE, 2 * BTK, 1 * BTK, end, "x")])
