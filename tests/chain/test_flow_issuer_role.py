"""Becoming an issuer through governance, on the embedded chain and anvil: an account that
cannot anchor asks for the issuer role (one template call, no raw calldata), the DAO
passes it, and the same account then anchors a credential it issued and revokes it. A
request that would change nothing, or that the proposer cannot make, is refused before
anything is signed."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import carry, send
from vault.anchoring import hashing, writes
from vault.chain import issuer_role, soulbound
from vault.chain.embedded import dev_address
from vault.chain.governance import Governance
from vault.errors import ChainError

HOLDER = "0x00000000000000000000000000000000000A11cE"
CREDENTIAL = b'{"id": "urn:uuid:issued-by-a-new-issuer", "name": "Mentored project"}'


def pass_proposal(chain, service, gov, request) -> int:
    """Propose (already built), vote for, queue and execute with the user's 5M BTK."""
    record = send(service, request)
    pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
    carry(chain, service, pid)
    return pid


def test_a_new_account_requests_the_issuer_role_then_anchors_and_revokes(chain, service):
    gov = Governance(chain)
    status = issuer_role.role_status(chain, USER_ADDRESS)
    assert status["issuer"] is False and status["votes"] == 0 and status["threshold"] > 0
    with pytest.raises(ChainError) as err:   # anchoring before the role: the cause, nothing signed
        writes.issue_requests(service, USER_ADDRESS, HOLDER, CREDENTIAL)
    assert err.value.reason == "not-issuer"
    with pytest.raises(ChainError) as err:   # no votes delegated yet: proposing is refused up front
        issuer_role.request_issuer_role(service, gov, USER_ADDRESS, name="Riverside Mentors")
    assert err.value.reason == "below-threshold"

    send(service, gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))
    chain.advance(1)
    request = issuer_role.request_issuer_role(service, gov, USER_ADDRESS, name="Riverside Mentors")
    assert request.params["calls"] == [f"Grant the credential issuer role to {USER_ADDRESS}"]   # the template's words
    assert "Riverside Mentors" in request.params["description"] and "self-declared" in request.params["description"]
    pid = pass_proposal(chain, service, gov, request)
    assert gov.state(pid) == "executed"
    assert issuer_role.role_status(chain, USER_ADDRESS)["issuer"] is True

    records = [send(service, r) for r in writes.issue_requests(service, USER_ADDRESS, HOLDER, CREDENTIAL)]
    assert records[-1].status == "success"
    assert soulbound.hash_status(chain, hashing.credential_hash(CREDENTIAL)) == soulbound.ANCHORED
    send(service, writes.revoke_request(service, USER_ADDRESS, original=CREDENTIAL))
    assert soulbound.hash_status(chain, hashing.credential_hash(CREDENTIAL)) == soulbound.REVOKED


def test_asking_for_a_role_already_held_is_refused_before_signing(backend, chain, service):
    """The crafted request: a proposal granting the role to an account that has it would
    pass and change nothing; it is refused with the reason, and no proposal exists."""
    gov = Governance(chain)
    holder_of_role = dev_address("issuer") if backend == "embedded" else next(
        a for a in (chain.w3.eth.accounts or []) if soulbound.is_issuer(chain, a))
    before = len(gov.proposals(USER_ADDRESS))
    with pytest.raises(ChainError) as err:
        issuer_role.grant_issuer_call(gov, holder_of_role)
    assert err.value.reason == "already-issuer" and "no proposal is needed" in str(err.value)
    with pytest.raises(ChainError) as err:   # not an address at all
        issuer_role.grant_issuer_call(gov, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
    assert err.value.reason == "invalid-recipient"
    assert len(gov.proposals(USER_ADDRESS)) == before
