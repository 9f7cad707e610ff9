"""Staked peer review end to end on the embedded chain and anvil: a learner submits work,
three bonded reviewers (two approve, one rejects) stake on it, the window closes, anyone
finalizes, the majority withdraws the fee and the minority's stake; an unbonded reviewer,
a second review, a review after the window and a review of one's own work are refused
before anything is signed; too few reviews refund everyone; the approved work becomes a
peer-reviewed credential draft."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS
from vault.chain import peer_review, reputation
from vault.chain.contracts import BTK
from vault.chain.plan import as_plan
from vault.chain.units import format_amount
from vault.errors import ChainError

WORK = peer_review.content_hash(b"My essay on zero-knowledge proofs")


def run(service, requests):
    return service.run(as_plan(requests), confirm=lambda ask: ask.rose is None)


@pytest.fixture
def people(chain, service, user):
    """The learner (the user) and three reviewers of the same vault, each funded and bonded
    100 BTK, plus an unbonded fourth."""
    names = ["r1", "r2", "r3", "unbonded"]
    accounts = [user.add_account(n).address for n in names]
    for a in accounts:
        run(service, [service.btk_transfer(USER_ADDRESS, a, 500 * BTK), service.eth_transfer(USER_ADDRESS, a, BTK)])
    for a in accounts[:3]:
        run(service, reputation.bond_requests(service, a, 100 * BTK))
    return accounts


def test_majority_takes_fee_and_minority_stake(chain, service, people):
    r1, r2, r3, unbonded = people
    s = peer_review.settings(chain)
    run(service, peer_review.submit_requests(service, USER_ADDRESS, WORK, "ipfs://essay", 30 * BTK))
    (sub,) = peer_review.submissions(chain)
    assert sub["status"] == "open" and sub["fee"] == "30" and sub["reviewable"]
    with pytest.raises(ChainError) as info:
        peer_review.review_requests(service, unbonded, 0, True)
    assert info.value.reason == "bond-too-small" and "vault bond add" in str(info.value)
    with pytest.raises(ChainError) as info:
        peer_review.review_requests(service, USER_ADDRESS, 0, True)
    assert info.value.reason == "own-submission"
    for who, approve in ((r1, True), (r2, True), (r3, False)):
        run(service, peer_review.review_requests(service, who, 0, approve))
    with pytest.raises(ChainError) as info:
        peer_review.review_requests(service, r1, 0, False)
    assert info.value.reason == "already-reviewed"
    with pytest.raises(ChainError) as info:
        peer_review.finalize_request(service, r1, 0)
    assert info.value.reason == "window-open"

    chain.advance(s["window_blocks"] + 1)
    with pytest.raises(ChainError) as info:
        peer_review.review_requests(service, unbonded, 0, True)
    assert info.value.reason == "window-closed"
    run(service, [peer_review.finalize_request(service, unbonded, 0)])   # anyone finalizes
    sub = peer_review.submission(chain, 0, r3)
    assert (sub["status"], sub["approvals"], sub["rejections"], sub["my_review"]) == ("approved", 2, 1, "reject")
    stake = int(s["review_stake_wei"])
    share = (30 * BTK + stake) // 2
    assert format_amount(peer_review.withdrawable(chain, r1)) == str((stake + share) // BTK)
    assert format_amount(peer_review.withdrawable(chain, r3)) == "0"
    before = chain.btk_balance(r1)
    run(service, [peer_review.withdraw_request(service, r1)])
    assert chain.btk_balance(r1) == before + stake + share
    with pytest.raises(ChainError) as info:
        peer_review.withdraw_request(service, r3)   # the minority lost its stake
    assert info.value.reason == "nothing-to-withdraw"

    draft = peer_review.credential_draft(chain, 0, "ZK essay")
    assert draft["type"] == ["VerifiableCredential", "PeerReviewedCredential"]
    assert draft["credentialSubject"]["id"].endswith(USER_ADDRESS)
    assert draft["credentialSubject"]["work"]["contentHash"] == "0x" + WORK.hex()


def test_too_few_reviews_refund_fee_and_stakes(chain, service, people):
    r1 = people[0]
    s = peer_review.settings(chain)
    run(service, peer_review.submit_requests(service, USER_ADDRESS, WORK, "ipfs://essay", 10 * BTK))
    run(service, peer_review.review_requests(service, r1, 0, True))
    chain.advance(s["window_blocks"] + 1)
    run(service, [peer_review.finalize_request(service, r1, 0)])
    assert peer_review.submission(chain, 0)["status"] == "refunded"
    assert format_amount(peer_review.withdrawable(chain, USER_ADDRESS)) == "10"
    assert format_amount(peer_review.withdrawable(chain, r1)) == s["review_stake"]
    with pytest.raises(ChainError) as info:
        peer_review.credential_draft(chain, 0)
    assert info.value.reason == "not-approved"
    with pytest.raises(ChainError) as info:
        peer_review.finalize_request(service, r1, 0)
    assert info.value.reason == "already-final"
