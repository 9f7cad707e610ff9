"""PeerReview: bonded reviewers stake on their judgement; the majority takes the fee and
the minority's stakes; too few reviews (or a tie) refunds everyone; only bonded accounts
review, once, in the window; a re-entrant token cannot withdraw twice."""

import pytest
from eth_utils import keccak

from tests.contracts.harness import BTK, reverts

FEE, STAKE, MIN_BOND, WINDOW, MIN_REVIEWS = 30 * BTK, 10 * BTK, 100 * BTK, 20, 3
WORK = keccak(text="essay on zero-knowledge proofs")


@pytest.fixture
def review(suite, a):
    """A registry and a PeerReview governed by an EOA standing in for the timelock; bob,
    carol, connector and mallory bonded 100 BTK each (operator_a holds no bond)."""
    reg = suite.deploy("ReputationRegistry", suite.token.address, a["gov"], 10)
    pr = suite.deploy("PeerReview", suite.token.address, reg.address, a["gov"],
                      (10 * BTK, MIN_BOND, STAKE, WINDOW, MIN_REVIEWS))
    suite.send(suite.token.functions.transfer(a["operator_a"], 100 * BTK), a["gov"])
    for who in ("bob", "carol", "connector", "mallory"):
        suite.send(suite.token.functions.approve(reg.address, MIN_BOND), a[who])
        suite.send(reg.functions.bond(MIN_BOND), a[who])
    for who in ("alice", "bob", "carol", "connector", "mallory", "operator_a"):
        suite.send(suite.token.functions.approve(pr.address, 1_000 * BTK), a[who])
    return pr


def submit(suite, pr, learner):
    receipt = suite.send(pr.functions.submit(WORK, "ipfs://essay", FEE), learner)
    (event,) = suite.events(pr, "Submitted", receipt)
    return event.args.id


def owed(pr, who):
    return pr.functions.withdrawable(who).call()


def test_the_majority_takes_the_fee_and_the_minoritys_stake(suite, a, review):
    sid = submit(suite, review, a["alice"])
    for who, approve in (("bob", True), ("carol", True), ("mallory", False)):
        suite.send(review.functions.review(sid, approve), a[who])
    with reverts("ReviewWindowOpen", sid, review.functions.submission(sid).call()[4]):
        suite.send(review.functions.finalize(sid), a["bob"])
    suite.mine(WINDOW)
    receipt = suite.send(review.functions.finalize(sid), a["operator_a"])  # anyone
    (event,) = suite.events(review, "Finalized", receipt)
    assert (event.args.status, event.args.approvals, event.args.rejections) == (1, 2, 1)  # Approved
    share = (FEE + STAKE) // 2
    assert owed(review, a["bob"]) == owed(review, a["carol"]) == STAKE + share
    assert owed(review, a["mallory"]) == 0 and owed(review, a["alice"]) == 0
    before = suite.token.functions.balanceOf(a["bob"]).call()
    suite.send(review.functions.withdraw(), a["bob"])
    assert suite.token.functions.balanceOf(a["bob"]).call() == before + STAKE + share
    with reverts("NothingToWithdraw"):
        suite.send(review.functions.withdraw(), a["bob"])
    with reverts("NotOpen", sid):
        suite.send(review.functions.finalize(sid), a["bob"])


def test_rejection_by_majority_and_rounding_goes_to_the_treasury(suite, a, review):
    sid = submit(suite, review, a["alice"])
    for who, approve in (("bob", False), ("carol", False), ("connector", False), ("mallory", True)):
        suite.send(review.functions.review(sid, approve), a[who])
    suite.mine(WINDOW)
    suite.send(review.functions.finalize(sid), a["bob"])
    assert review.functions.submission(sid).call()[7] == 2  # Rejected
    pot = FEE + STAKE
    assert owed(review, a["bob"]) == STAKE + pot // 3 and owed(review, a["mallory"]) == 0
    assert owed(review, a["gov"]) == pot - 3 * (pot // 3)   # what division leaves
    held = suite.token.functions.balanceOf(review.address).call()
    assert held == sum(owed(review, a[w]) for w in ("bob", "carol", "connector", "mallory", "gov"))


@pytest.mark.parametrize("votes", [(("bob", True), ("carol", False)), (("bob", True), ("carol", True),
                                   ("connector", False), ("mallory", False))])
def test_too_few_reviews_or_a_tie_refunds_fee_and_stakes(suite, a, review, votes):
    sid = submit(suite, review, a["alice"])
    for who, approve in votes:
        suite.send(review.functions.review(sid, approve), a[who])
    suite.mine(WINDOW)
    suite.send(review.functions.finalize(sid), a["bob"])
    assert review.functions.submission(sid).call()[7] == 3  # Refunded
    assert owed(review, a["alice"]) == FEE
    assert all(owed(review, a[who]) == STAKE for who, _ in votes)


def test_only_bonded_accounts_review_once_within_the_window(suite, a, review):
    sid = submit(suite, review, a["alice"])
    with reverts("BondTooSmall", a["operator_a"], 0, MIN_BOND):
        suite.send(review.functions.review(sid, True), a["operator_a"])
    with reverts("SubmitterCannotReview", sid):
        suite.send(review.functions.review(sid, True), a["alice"])
    suite.send(review.functions.review(sid, True), a["bob"])
    with reverts("AlreadyReviewed", sid, a["bob"]):
        suite.send(review.functions.review(sid, False), a["bob"])
    suite.mine(WINDOW)
    deadline = review.functions.submission(sid).call()[4]
    with reverts("ReviewWindowClosed", sid, deadline):
        suite.send(review.functions.review(sid, True), a["carol"])
    with reverts("UnknownSubmission", 9):
        suite.send(review.functions.review(9, True), a["carol"])


def test_submission_checks_and_governed_settings(suite, a, review):
    with reverts("FeeTooLow", 1 * BTK, 10 * BTK):
        suite.send(review.functions.submit(WORK, "x", 1 * BTK), a["alice"])
    with reverts("EmptyContentHash"):
        suite.send(review.functions.submit(b"\0" * 32, "x", FEE), a["alice"])
    with reverts("OwnableUnauthorizedAccount", a["mallory"]):
        suite.send(review.functions.setSettings((0, 0, 0, 5, 1)), a["mallory"])
    with reverts("InvalidSettings"):
        suite.send(review.functions.setSettings((0, 0, 0, 0, 1)), a["gov"])
    with reverts("InvalidSettings"):
        suite.send(review.functions.setSettings((0, 0, 0, 5, 26)), a["gov"])
    with reverts("OwnershipCannotBeRenounced"):
        suite.send(review.functions.renounceOwnership(), a["gov"])


def test_a_reentrant_token_cannot_withdraw_twice(suite, a):
    trt = suite.deploy("TestReentrantToken")
    reg = suite.deploy("ReputationRegistry", trt.address, a["gov"], 0)
    pr = suite.deploy("PeerReview", trt.address, reg.address, a["gov"], (0, 0, 0, 5, 1))
    attacker = suite.deploy("TestEscrowAttacker", pr.address)
    suite.send(trt.functions.mint(attacker.address, 50 * BTK), a["gov"])
    suite.send(trt.functions.mint(pr.address, 500 * BTK), a["gov"])   # others' fees and stakes
    suite.send(attacker.functions.approve(trt.address, pr.address, 50 * BTK), a["mallory"])
    suite.send(attacker.functions.act(pr.encode_abi("submit", [WORK, "x", 50 * BTK])), a["mallory"])
    suite.mine(6)
    suite.send(pr.functions.finalize(0), a["mallory"])   # no review: refunded
    suite.send(trt.functions.setHook(attacker.address, True), a["gov"])
    again = pr.encode_abi("withdraw", [])
    suite.send(attacker.functions.arm(again, False), a["mallory"])
    suite.send(attacker.functions.act(again), a["mallory"])
    assert attacker.functions.lastReentrySucceeded().call() is False
    from tests.contracts.harness import decode_error
    assert decode_error(attacker.functions.lastReentryError().call())[0] == "ReentrancyGuardReentrantCall"
    assert trt.functions.balanceOf(attacker.address).call() == 50 * BTK
    assert trt.functions.balanceOf(pr.address).call() == 500 * BTK


def test_a_submission_takes_at_most_max_reviews_so_finalize_stays_bounded(suite, a, review):
    """A crowd of bonded reviewers piling onto one submission: the 26th review is refused
    (TooManyReviews), so finalize's loop over the reviewers has a fixed gas ceiling, and
    the 25 that got in are settled as usual."""
    from eth_account import Account

    cap = review.functions.MAX_REVIEWS().call()
    window = 200   # one review per block here: the window must outlast the crowd
    suite.send(review.functions.setSettings((10 * BTK, MIN_BOND, STAKE, window, MIN_REVIEWS)), a["gov"])
    reg = suite.at("ReputationRegistry", review.functions.bonds().call())
    crowd = []
    for i in range(cap + 1):
        key = keccak(text=f"reviewer {i}")
        address = Account.from_key(key).address
        suite.tester.add_account("0x" + key.hex())
        suite.w3.eth.send_transaction({"from": a["deployer"], "to": address, "value": 10**18})
        suite.send(suite.token.functions.transfer(address, MIN_BOND + STAKE), a["gov"])
        suite.send(suite.token.functions.approve(reg.address, MIN_BOND), address)
        suite.send(reg.functions.bond(MIN_BOND), address)
        suite.send(suite.token.functions.approve(review.address, STAKE), address)
        crowd.append(address)
    sid = submit(suite, review, a["alice"])
    for address in crowd[:cap]:
        suite.send(review.functions.review(sid, True), address)
    with reverts("TooManyReviews", sid):
        suite.send(review.functions.review(sid, True), crowd[cap])
    assert suite.token.functions.balanceOf(crowd[cap]).call() == STAKE   # nothing taken from the refused one
    suite.mine(window)
    receipt = suite.send(review.functions.finalize(sid), a["operator_a"])
    (event,) = suite.events(review, "Finalized", receipt)
    assert (event.args.status, event.args.approvals, event.args.rejections) == (1, cap, 0)
    assert receipt.gasUsed < 2_000_000
