"""Presentations without a proof (as the Learner Credential Wallet shares them): never
valid, said to be unsigned, nobody shown as presenter; every credential still judged."""

import json
from datetime import timedelta

import pytest

from vault.credentials.verdict import Reason
from vault.presentations import verify_presentation
from vp_fixtures import CHALLENGE, DOMAIN, NOW, STRANGER

LATER = NOW + timedelta(minutes=1)


def _stripped(wallet, ids, proof=None) -> dict:
    """The holder's own signed presentation with its proof taken off (or replaced)."""
    document = json.loads(wallet.presentations.present(ids, challenge=CHALLENGE, domain=DOMAIN, now=NOW).payload)
    document.pop("proof")
    if proof is not None:
        document["proof"] = proof
    return document


def _verify(document: dict, challenge: str = CHALLENGE):
    return verify_presentation(json.dumps(document), challenge=challenge, domain=DOMAIN, now=LATER)


@pytest.mark.parametrize("proof", [None, [], {}])
def test_stripped_presentation_is_unsigned_and_each_credential_judged(wallet, stored, proof):
    verdict = _verify(_stripped(wallet, [stored["di"], stored["jwt"]], proof))
    assert (verdict.valid, verdict.reason) == (False, Reason.NO_PROOF)
    assert verdict.message.startswith("This is an unsigned presentation")
    assert f"It names {wallet.holder} as its holder, but nothing proves it." in verdict.message
    assert verdict.holder is None
    assert [(c.valid, c.reason) for c in verdict.credentials] == [(True, Reason.VALID)] * 2


def test_credentials_replayed_without_the_holders_signature_are_not_a_valid_presentation(wallet, stored):
    """Someone who copied the holder's credentials names himself holder and presents them
    unsigned, for the employer's new challenge: not valid, and not shown as his."""
    document = _stripped(wallet, [stored["di"]])
    document["holder"] = STRANGER
    verdict = _verify(document, challenge="the-employers-next-challenge")
    assert (verdict.valid, verdict.reason, verdict.holder) == (False, Reason.NO_PROOF, None)
    assert verdict.credentials[0].subject == wallet.holder       # the credential still says whose it is


def test_a_broken_proof_is_not_taken_for_no_proof(wallet, stored):
    verdict = _verify(_stripped(wallet, [stored["di"]], proof="none"))
    assert (verdict.valid, verdict.reason) == (False, Reason.MALFORMED)
    assert verdict.credentials == []


def test_an_altered_credential_in_an_unsigned_presentation_is_named(wallet, stored):
    document = _stripped(wallet, [stored["di"], stored["di-jcs"]])
    document["verifiableCredential"][1]["name"] = "Advanced Databases"
    verdict = _verify(document)
    assert verdict.reason is Reason.NO_PROOF
    assert [c.reason for c in verdict.credentials] == [Reason.VALID, Reason.BAD_SIGNATURE]
