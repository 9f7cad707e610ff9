"""The embedded chain's demo membership (vault/anchoring/demo_membership.py): the demo issuer
signs, anchors and declares a BlocktrackMembership credential for a vault account, after
which quadratic polls and the power breakdown count it. Attacks: asking twice (one per
address), asking on another network (anvil: the dev issuer's key is public there too),
for an address not of this vault, and a plan that would have the user's account sign."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import send
from vault.anchoring import demo_membership
from vault.anchoring.demo_membership import get_demo_membership, membership_status
from vault.anchoring.verify import anchor_check_on
from vault.chain.dao import power
from vault.chain.dao.polls import QUADRATIC, Polls
from vault.chain.governance import Governance
from vault.chain.records import history
from vault.credentials.service import CredentialService
from vault.credentials.verdict import ANCHORED, WarningCode
from vault.credentials.verify import VerificationContext, check
from vault.errors import ChainError
from vault.issuing import sample

STRANGER = "0x00000000000000000000000000000000000A11cE"


ON_EMBEDDED = pytest.mark.parametrize("backend", ["embedded"])  # the demo membership exists there only


@pytest.fixture
def embedded(chain):
    return chain


def written(chain, user) -> tuple:
    """What a refused request must leave as it was: the block, the user's tokens, the
    vault's credentials and its transaction history."""
    sbt = chain.contracts.soulbound.functions
    return (chain.block_number, sbt.tokensOf(USER_ADDRESS).call(), sbt.tokensOf(STRANGER).call(),
            [s.id for s in CredentialService(user.store).repository.search("")], len(history(user.store)))


@ON_EMBEDDED
def test_a_demo_membership_makes_the_user_count_in_quadratic_polls_and_proposals(embedded, user, service):
    chain = embedded
    assert membership_status(chain, USER_ADDRESS)["member"] is False
    gov = Governance(chain)
    assert not power.breakdown(gov, USER_ADDRESS)["member"]
    send(service, gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))

    got = get_demo_membership(chain, user, USER_ADDRESS)

    status = membership_status(chain, USER_ADDRESS)
    assert status["member"] and status["token_id"] == got["token_id"] and status["reason"] is None
    b = power.breakdown(gov, USER_ADDRESS)   # at once: a proposal made now counts it
    assert b["member"] and b["quadratic_vote"] and b["quadratic_reason"].startswith("You hold a valid membership")

    # The stored credential is a genuine OB 3.0 credential for the user's DID, marked a
    # sample (its key is public), and anchored on chain.
    repo = CredentialService(user.store).repository
    stored = repo.get(got["credential_id"])
    assert stored.subject == user.default_did().did == got["holder_did"]
    assert "OpenBadgeCredential" in stored.types
    checked = check(repo.original(stored.id), VerificationContext(anchor_status=anchor_check_on(chain)))
    assert checked.verdict.valid, checked.verdict.message
    assert WarningCode.SAMPLE_ISSUER in [w.code for w in checked.verdict.warnings]
    assert checked.verdict.anchor == ANCHORED
    token = chain.contracts.soulbound.functions.credential(got["token_id"]).call()
    assert token[0] == USER_ADDRESS and "0x" + bytes(token[1][0]).hex() == got["credential_hash"]
    assert token[1][1] == demo_membership.dev_address("issuer")

    # A quadratic poll made right after counts the user's ballot.
    request = Polls(chain).create_request(service, USER_ADDRESS, "Try quadratic?", ["Yes", "No"], closes_in=5,
                                          quadratic=True)
    send(service, request)
    pid = request.params["poll_id"]
    polls = Polls(chain)
    ballot = polls.sign_ballot(user.eth_private_key(USER_ADDRESS), pid, "Yes")
    result = polls.tally(pid, [ballot])
    assert result["counting"] == QUADRATIC and result["rejected"] == []
    assert [(c["voter"], c["membership_token"]) for c in result["counted"]] == [(USER_ADDRESS, got["token_id"])]


@ON_EMBEDDED
def test_asking_twice_gives_one_membership_and_changes_nothing(embedded, user):
    chain = embedded
    first = get_demo_membership(chain, user, USER_ADDRESS)
    before = written(chain, user)
    with pytest.raises(ChainError) as caught:
        get_demo_membership(chain, user, USER_ADDRESS)
    assert caught.value.reason == "already-member"
    assert f"already a member (membership credential token {first['token_id']})" in str(caught.value)
    assert "Nothing was changed" in str(caught.value)
    assert written(chain, user) == before
    assert len(before[1]) == 1


@pytest.mark.parametrize("backend", ["anvil"])  # the refusal is for networks other than the embedded chain
def test_refused_on_another_network_with_nothing_written(chain, user):
    before = written(chain, user)
    status = membership_status(chain, USER_ADDRESS)
    assert not status["demo_available"] and "ask an accredited issuer of your DAO" in status["words"]
    with pytest.raises(ChainError) as caught:
        get_demo_membership(chain, user, USER_ADDRESS)
    assert caught.value.reason == "not-embedded"
    assert str(caught.value) == ("Only the built-in test chain has a demo issuer; ask an accredited issuer of your "
                                 "DAO for a membership credential.")
    assert written(chain, user) == before


@ON_EMBEDDED
def test_only_an_account_of_this_vault_gets_one(embedded, user):
    before = written(embedded, user)
    with pytest.raises(ChainError) as caught:
        get_demo_membership(embedded, user, STRANGER)
    assert caught.value.reason == "not-an-account"
    assert written(embedded, user) == before


@ON_EMBEDDED
def test_a_plan_with_a_step_from_the_users_account_is_never_signed(embedded, user, monkeypatch):
    """Attack: the anchoring plan is made to hold a step sent from the user's account (as a
    bug or a swapped builder would): it is not confirmed, nothing is signed or stored."""
    chain = embedded
    real = demo_membership.issue_requests

    def with_a_user_step(service, issuer, holder, original, **kwargs):
        requests = real(service, issuer, holder, original, **kwargs)
        return requests + [service.eth_transfer(USER_ADDRESS, STRANGER, 10**18)]

    monkeypatch.setattr(demo_membership, "issue_requests", with_a_user_step)
    before = written(chain, user)
    eth = chain.eth_balance(USER_ADDRESS)
    with pytest.raises(ChainError) as caught:
        get_demo_membership(chain, user, USER_ADDRESS)
    assert caught.value.reason == "not-confirmed" and "Nothing was signed or stored" in str(caught.value)
    assert written(chain, user) == before and chain.eth_balance(USER_ADDRESS) == eth


@ON_EMBEDDED
def test_the_sample_credential_is_still_given_beside_a_demo_membership(embedded, user):
    """The demo membership is signed by the same demo issuer as the sample credential: a
    vault holding it still gets its sample to present (one each)."""
    from vault.presentations.service import PresentationService

    get_demo_membership(embedded, user, USER_ADDRESS)
    credentials = CredentialService(user.store)
    result = PresentationService(user, credentials).add_sample()
    assert result.created and result.summary.title == sample.ACHIEVEMENT.name
    again = PresentationService(user, credentials).add_sample()
    assert not again.created and again.summary.id == result.summary.id
