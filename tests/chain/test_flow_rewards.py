"""Learn-to-earn and reputation bonds end to end, on the embedded chain and anvil: an issuer
anchors a course credential and declares its type in one plan, the learner claims its
reward once, a revoked credential earns nothing, a bounty is granted by governance and
claimed; the learner bonds, unbonds through the delay, is slashed by a proposal with a
reason, and the trust score shows each part. Every refusal names its cause before anything
is signed."""

from __future__ import annotations

import pytest

from tests.chain.conftest import ANVIL_KEY_0, USER_ADDRESS
from vault.anchoring.writes import issue_requests, revoke_request
from vault.chain import reputation, rewards, templates, trustscore
from vault.chain.contracts import BTK
from vault.chain.governance import Governance, with_gas_margin
from vault.chain.plan import as_plan
from vault.chain.transactions import TxService
from vault.errors import ChainError

COURSE = "CourseCompletionCredential"


def run(service, requests):
    return service.run(as_plan(requests), confirm=lambda ask: ask.rose is None)


def issuer_key(chain) -> bytes:
    from vault.chain.embedded import dev_key
    return dev_key("issuer") if chain.embedded is not None else ANVIL_KEY_0


@pytest.fixture
def learn(chain):
    """The chain, with the two extensions deploy_suite adds."""
    return chain


@pytest.fixture
def issuer(learn, user):
    """A TxService signing as the chain's credential issuer (a dev account, not the user's)."""
    key = issuer_key(learn)
    return TxService(learn, user.store, lambda address: key)


def anchor(issuer, holder, text: str, reward_type=COURSE) -> bytes:
    from eth_account import Account
    sender = Account.from_key(issuer_key(issuer.chain)).address
    original = f'{{"type": ["VerifiableCredential", "{COURSE}"], "name": "{text}"}}'.encode()
    records = run(issuer, issue_requests(issuer, sender, holder, original, reward_type=reward_type))
    assert [r.status for r in records][-1] == "success"
    return original


def token_of(chain, original) -> int:
    from vault.anchoring.hashing import credential_hash
    from vault.chain.soulbound import token_of_credential
    return token_of_credential(chain, credential_hash(original))[0]


def govern(chain, service, calls, description):
    """A whole proposal cycle by the user (5 % of the supply: past quorum alone)."""
    gov = Governance(chain)
    send = lambda request: service.send(service.preview(with_gas_margin(chain, request)))  # noqa: E731
    if gov.power(USER_ADDRESS)["votes"] == "0":
        send(gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))
        chain.advance(1)
    record = send(gov.propose_request(service, USER_ADDRESS, calls, description))
    pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
    chain.advance(2)
    send(gov.vote_request(service, USER_ADDRESS, pid, "for"))
    chain.advance(gov.proposal(pid)["deadline"] - chain.block_number + 1)
    send(gov.queue_request(service, USER_ADDRESS, pid))
    chain.advance(1, 61)
    send(gov.execute_request(service, USER_ADDRESS, pid))


def test_learner_claims_the_reward_of_an_anchored_course_once(learn, service, issuer):
    chain = learn
    original = anchor(issuer, USER_ADDRESS, "Solidity 101")
    tid = token_of(chain, original)
    (entry,) = [c for c in rewards.standing(chain, USER_ADDRESS) if c["token_id"] == tid]
    assert entry["status"] == "claimable" and entry["amount"] == "50" and entry["title"] == "Complete a course"
    from vault.anchoring.hashing import credential_hash
    assert rewards.reward_of(chain, credential_hash(original))["status"] == "claimable"

    before = chain.btk_balance(USER_ADDRESS)
    request = rewards.claim_request(service, USER_ADDRESS, tid)
    assert "Claim 50 BTK for credential token" in request.description
    run(service, [request])
    assert chain.btk_balance(USER_ADDRESS) == before + 50 * BTK
    assert rewards.standing(chain, USER_ADDRESS)[-1]["status"] == "claimed"
    (claimed,) = rewards.history(chain, USER_ADDRESS)
    assert (claimed["kind"], claimed["token_id"], claimed["amount"]) == ("reward", tid, "50")
    with pytest.raises(ChainError) as info:  # the double claim, refused before signing
        rewards.claim_request(service, USER_ADDRESS, tid)
    assert info.value.reason == "already-claimed"
    assert chain.btk_balance(USER_ADDRESS) == before + 50 * BTK


def test_a_revoked_or_undeclared_credential_earns_nothing(learn, service, issuer):
    chain = learn
    revoked = anchor(issuer, USER_ADDRESS, "Revoked course")
    from eth_account import Account
    run(issuer, [revoke_request(issuer, Account.from_key(issuer_key(chain)).address, original=revoked)])
    with pytest.raises(ChainError) as info:
        rewards.claim_request(service, USER_ADDRESS, token_of(chain, revoked))
    assert info.value.reason == "revoked" and "revoked" in str(info.value)
    plain = anchor(issuer, USER_ADDRESS, "No type declared", reward_type=None)
    with pytest.raises(ChainError) as info:
        rewards.claim_request(service, USER_ADDRESS, token_of(chain, plain))
    assert info.value.reason == "no-reward" and "not declared" in str(info.value)
    with pytest.raises(ChainError) as info:  # someone else's credential
        rewards.claim_request(service, USER_ADDRESS, token_of(chain, anchor(issuer, issuer_address(chain), "x")))
    assert info.value.reason == "not-holder"


def issuer_address(chain):
    from eth_account import Account
    return Account.from_key(issuer_key(chain)).address


def test_an_exhausted_budget_and_a_bounty_through_governance(learn, service, issuer):
    chain = learn
    end = chain.block_number + 10_000
    gov = Governance(chain)
    pool = rewards.pool(chain).address
    free = rewards.pool(chain).functions.unreserved().call()
    with pytest.raises(ChainError) as info:  # a proposal the pool could not honour is refused before voting
        templates.make_call(gov, "reward-bounty", {"account": USER_ADDRESS, "amount": str(free // BTK + 1),
                                                   "description": "too much"})
    assert info.value.reason == "insufficient-pool" and pool in str(info.value)
    govern(chain, service, [
        gov.call_grant(pool, 20 * BTK),  # funding is a plain transfer from the treasury
        templates.make_call(gov, "reward-schedule", {"issuer": issuer_address(chain), "credential_type": "TinyCourse",
                                                     "amount": "5", "budget": "5", "end_block": str(end),
                                                     "title": "Tiny"}),
        templates.make_call(gov, "reward-bounty", {"account": USER_ADDRESS, "amount": "20",
                                                   "description": "Course content"})],
        "Tiny course reward and a content bounty")
    tiny = [s for s in rewards.schedules(chain, known_types=["TinyCourse"]) if s["type_name"] == "TinyCourse"]
    assert tiny and tiny[0]["budget_left"] == "5"
    first = token_of(chain, anchor(issuer, USER_ADDRESS, "tiny 1", reward_type="TinyCourse"))
    second = token_of(chain, anchor(issuer, USER_ADDRESS, "tiny 2", reward_type="TinyCourse"))
    run(service, [rewards.claim_request(service, USER_ADDRESS, first)])
    with pytest.raises(ChainError) as info:
        rewards.claim_request(service, USER_ADDRESS, second)
    assert info.value.reason == "budget-exhausted"

    (bounty,) = rewards.bounties(chain, USER_ADDRESS)
    assert (bounty["status"], bounty["amount"], bounty["description"]) == ("open", "20", "Course content")
    before = chain.btk_balance(USER_ADDRESS)
    run(service, [rewards.claim_bounty_request(service, USER_ADDRESS, bounty["id"])])
    assert chain.btk_balance(USER_ADDRESS) == before + 20 * BTK
    with pytest.raises(ChainError) as info:
        rewards.claim_bounty_request(service, USER_ADDRESS, bounty["id"])
    assert info.value.reason == "bounty-not-open"


def test_bond_unbond_delay_slash_and_the_trust_score(learn, service, issuer):
    chain = learn
    anchor(issuer, USER_ADDRESS, "Scored course")
    with pytest.raises(ChainError) as info:
        reputation.bond_requests(service, USER_ADDRESS, 10**9 * BTK)
    assert info.value.reason == "insufficient-btk"
    requests = reputation.bond_requests(service, USER_ADDRESS, 500 * BTK)
    assert [r.kind for r in requests] == ["btk-approve", "bond"]
    run(service, requests)
    state = reputation.status(chain, USER_ADDRESS).to_json()
    assert state["bonded"] == "500" and state["bonded_since"] and state["ready_at_block"] is None

    score = trustscore.trust_score(chain, USER_ADDRESS)
    parts = {p["part"]: p["points"] for p in score["parts"]}
    assert parts == {"bond": 20, "credentials": 10, "gigs": 0, "slashes": 0} and score["score"] == 30
    assert trustscore.summary(score).startswith("bonded 500 BTK since ")

    run(service, [reputation.unbond_request(service, USER_ADDRESS, 200 * BTK)])
    state = reputation.status(chain, USER_ADDRESS).to_json()
    assert state["bonded"] == "300" and state["unbonding"] == "200" and not state["ready"]
    with pytest.raises(ChainError) as info:  # the unbonding delay
        reputation.withdraw_request(service, USER_ADDRESS)
    assert info.value.reason == "unbonding-not-over"
    with pytest.raises(ChainError) as info:
        reputation.unbond_request(service, USER_ADDRESS, 301 * BTK)
    assert info.value.reason == "insufficient-bond"

    gov = Governance(chain)
    call = templates.make_call(gov, "bond-slash", {"account": USER_ADDRESS, "amount": "100",
                                                   "reason": "fake endorsements"})
    assert gov.describe_call(call.target, 0, call.calldata) == (
        f"Slash up to 100 BTK of {USER_ADDRESS}'s reputation bond: fake endorsements")
    govern(chain, service, [call], "Slash a bond for fake endorsements")
    state = reputation.status(chain, USER_ADDRESS).to_json()
    assert state["bonded"] == "200" and state["slash_count"] == 1
    assert [(s["amount"], s["reason"]) for s in state["slashes"]] == [("100", "fake endorsements")]
    score = trustscore.trust_score(chain, USER_ADDRESS)
    assert {p["part"]: p["points"] for p in score["parts"]}["slashes"] == -20
    assert score["score"] == 0  # 200 BTK: 8, one credential: 10, one slash: -20; never below 0

    chain.advance(max(0, state["ready_at_block"] - chain.block_number))
    before = chain.btk_balance(USER_ADDRESS)
    run(service, [reputation.withdraw_request(service, USER_ADDRESS)])
    assert chain.btk_balance(USER_ADDRESS) == before + 200 * BTK
    with pytest.raises(ChainError) as info:
        reputation.withdraw_request(service, USER_ADDRESS)
    assert info.value.reason == "nothing-unbonding"
