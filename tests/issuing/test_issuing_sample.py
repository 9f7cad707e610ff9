"""The demo issuer's sample credential: it verifies and imports like any Open Badge, is
marked as a sample wherever it is shown (also in someone else's vault), and is never
trusted. Attacks: a tampered copy, a forged "Harvard" badge signed with the published
key (also as did:jwk), a trust-list row for it planted in the vault."""

import json
from datetime import datetime, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.presentations.vp_fixtures import CHALLENGE, DOMAIN, STRANGER, badge, di_credential
from vault.credentials import data_integrity
from vault.credentials.issuer_name import shown_issuer
from vault.credentials.service import CredentialService
from vault.credentials.trust import TrustList
from vault.credentials.verdict import Reason, WarningCode
from vault.credentials.verify import VerificationContext, check
from vault.did import did_jwk, did_key
from vault.errors import InvalidCredential, NotFound, NotTrustable
from vault.issuing import badge as ob, sample
from vault.presentations.build import PresentationError
from vault.presentations.service import PresentationService
from vault.presentations.verify import verify_presentation

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def services(identity):
    credentials = CredentialService(identity.store)
    return credentials, PresentationService(identity, credentials)


def codes(warnings) -> list[str]:
    return [w.code.value for w in warnings]


def forged(issuer_did: str, name: str = "Harvard University") -> dict:
    """A credential signed with the demo issuer's published key, claiming to be someone else."""
    credential = badge(STRANGER, "MBA")
    credential["issuer"] = {"id": issuer_did, "type": ["Profile"], "name": name}
    return ob.sign(credential, sample.key())


def test_the_published_seed_is_the_sample_issuer_in_both_self_certifying_forms():
    public = sample.key().public_key().public_bytes_raw()
    assert did_key.from_ed25519(public) == sample.DID
    as_jwk = did_jwk.from_jwk(did_jwk.ed25519_jwk(public))
    assert sample.is_sample_issuer(sample.DID) and sample.is_sample_issuer(as_jwk)
    assert sample.is_sample_issuer(f"{sample.DID}#{sample.DID.split(':')[-1]}")
    # Another key, a broken did:jwk, not a string: not the sample issuer.
    other = did_key.from_ed25519(Ed25519PrivateKey.generate().public_key().public_bytes_raw())
    for value in (other, STRANGER, "did:jwk:!!", "did:jwk:e30", None, 42, ""):
        assert not sample.is_sample_issuer(value)


def test_a_sample_verifies_as_an_open_badge_with_the_sample_warning_not_unknown_issuer():
    data = sample.issue_sample(STRANGER, now=NOW)
    checked = check(data, VerificationContext(now=NOW))
    assert checked.verdict.valid and checked.verdict.reason is Reason.VALID, checked.verdict
    assert codes(checked.verdict.warnings) == [WarningCode.SAMPLE_ISSUER.value]
    assert checked.issuer == sample.DID and checked.subject == STRANGER
    assert checked.display.is_open_badge and checked.display.title.startswith("Sample:")
    assert checked.valid_from == datetime(2026, 3, 1, tzinfo=timezone.utc)   # the day: no clock-skew refusal
    assert checked.valid_until is None
    assert "sample" in json.loads(data)["credentialSubject"]["achievement"]["tag"]


def test_a_tampered_copy_fails_and_is_not_imported(services):
    credentials, _ = services
    document = json.loads(sample.issue_sample(STRANGER))
    document["credentialSubject"]["achievement"]["name"] = "Senior Cryptographer"
    tampered = json.dumps(document).encode()
    assert check(tampered).verdict.reason is Reason.BAD_SIGNATURE
    with pytest.raises(InvalidCredential):
        credentials.import_bytes(tampered)
    assert credentials.repository.count() == 0


@pytest.mark.parametrize("form", ["key", "jwk"])
def test_a_badge_forged_with_the_published_key_is_shown_as_the_sample_issuer(form):
    public = sample.key().public_key().public_bytes_raw()
    issuer = sample.DID if form == "key" else did_jwk.from_jwk(did_jwk.ed25519_jwk(public))
    checked = check(json.dumps(forged(issuer)).encode())
    assert checked.verdict.valid and codes(checked.verdict.warnings) == ["sample-issuer"]
    shown = shown_issuer(checked.issuer, checked.display.issuer_name, {issuer: "Harvard University"})
    assert shown.sample and not shown.trusted and not shown.verified
    assert shown.label == "Blocktrack Sample Issuer (sample issuer, not a real institution)"
    assert "Harvard" not in shown.line and shown.to_json()["sample"] is True


def test_the_sample_issuer_cannot_be_trusted(services):
    credentials, presentations = services
    with pytest.raises(NotTrustable, match="sample issuer, not a real institution"):
        credentials.trust.add(sample.DID, "My college")
    assert credentials.trust.entries() == []
    # A row planted in the vault by other means (SQL, an old version) changes nothing.
    with credentials.store.transaction() as conn:
        conn.execute("INSERT INTO trusted_issuers(did, name, added_at) VALUES (?, ?, ?)",
                     (sample.DID, "Harvard University", "2026-01-01T00:00:00+00:00"))
    trust = TrustList(credentials.store)
    assert not trust.contains(sample.DID) and sample.DID not in trust.names()
    result = presentations.add_sample()
    assert codes(result.verdict.warnings) == ["sample-issuer"]
    assert not credentials.issuer(result.summary.issuer, result.summary.issuer_name).trusted


def test_add_sample_issues_to_the_default_did_imports_it_and_makes_it_presentable(services, identity):
    credentials, presentations = services
    assert presentations.presentable_count() == 0
    credentials.import_bytes(di_credential(STRANGER))     # someone else's: not presentable here
    assert presentations.presentable_count() == 0
    result = presentations.add_sample()
    assert result.created and result.summary.status == "valid"
    assert result.summary.subject == identity.default_did().did and result.summary.issuer == sample.DID
    assert presentations.presentable_count() == 1
    again = presentations.add_sample()                    # one per DID: the stored one, checked again
    assert not again.created and again.summary.id == result.summary.id
    assert credentials.repository.count() == 2


def test_add_sample_refuses_a_did_that_is_not_this_vaults_or_cannot_present(services, identity):
    credentials, presentations = services
    with pytest.raises(NotFound):
        presentations.add_sample(STRANGER)
    pkh = identity.create_did("pkh")
    with pytest.raises(PresentationError, match="cannot sign presentations"):
        presentations.add_sample(pkh.did)
    identity.set_default(pkh.did)                         # a did:pkh default: the first did:key gets it
    assert presentations.sample_holder() == identity.dids()[0].did
    assert credentials.repository.count() == 0


def test_a_presentation_of_the_sample_verifies_and_the_verifier_sees_the_sample_marker(services):
    _, presentations = services
    cid = presentations.add_sample().summary.id
    made = presentations.present([cid], challenge=CHALLENGE, domain=DOMAIN)
    # The employer: no vault, no trust list; the mark comes from the proven issuer DID.
    verdict = verify_presentation(made.data, challenge=CHALLENGE, domain=DOMAIN)
    assert verdict.valid, verdict.message
    (result,) = verdict.credentials
    assert result.valid and codes(result.warnings) == ["sample-issuer"]
    assert shown_issuer(result.issuer, result.issuer_name).sample
    assert result.disclosed["achievement"]["name"] == sample.ACHIEVEMENT.name


def test_signing_with_a_key_that_is_not_the_issuers_raises_before_anything_leaves():
    credential = ob.build(sample.PROFILE, sample.ACHIEVEMENT, STRANGER, valid_from=NOW)
    with pytest.raises(data_integrity.CredentialFailure):
        ob.sign(credential, Ed25519PrivateKey.generate())
