"""Trusting or untrusting an issuer updates every stored verdict of theirs at once (the
unknown-issuer warning), without checking a signature again, and nothing else."""

import json
import zlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vault.credentials import data_integrity
from vault.credentials.service import CredentialService
from vault.did import did_key


class Issuer:
    def __init__(self, seed: int, name: str, did: str | None = None):
        self.key = Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)
        self.did = did or did_key.from_ed25519(self.key.public_key().public_bytes_raw())
        self.method = f"{self.did}#{self.did.split(':')[-1]}" if did is None else f"{self.did}#key-1"
        self.name = name

    def badge(self, title: str, **extra) -> bytes:
        credential = {
            "@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": f"urn:uuid:{zlib.crc32(title.encode()):08x}", "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": self.did, "type": ["Profile"], "name": self.name},
            "validFrom": "2025-03-14T00:00:00Z", "name": title,
            "credentialSubject": {"type": ["AchievementSubject"], "id": "did:example:jordan",
                                  "achievement": {"id": "urn:uuid:a", "type": ["Achievement"], "name": title,
                                                  "criteria": {"narrative": "Passed."}}}} | extra
        return json.dumps(data_integrity.sign(credential, self.key, self.method,
                                              cryptosuite="eddsa-jcs-2022")).encode()


SCHOOL = Issuer(7, "Riverside Community College")
OTHER = Issuer(9, "Northside Trade School")
# A did:web issuer whose document the vault has never seen: its credentials stay undecided.
UNRESOLVED = Issuer(11, "Harvard University", did="did:web:harvard.example")


@pytest.fixture
def service(identity):
    return CredentialService(identity.store)


def codes(service, cid):
    return [w["code"] for w in service.repository.verdict(cid)["warnings"]]


def test_trust_and_untrust_update_every_verdict_of_that_issuer(service):
    first = service.import_bytes(SCHOOL.badge("Python")).summary
    second = service.import_bytes(SCHOOL.badge("Leadership")).summary
    expired = service.import_bytes(SCHOOL.badge("Welding", validUntil="2024-06-30T00:00:00Z")).summary
    other = service.import_bytes(OTHER.badge("Forklift")).summary
    checked_at = {c: service.repository.get(c).checked_at for c in (first.id, second.id)}
    assert codes(service, first.id) == codes(service, other.id) == ["unknown-issuer"]

    changed = service.trust.add(SCHOOL.did, "Riverside")
    assert sorted(changed) == sorted([first.id, second.id])     # the expired one has no trust warning
    assert codes(service, first.id) == codes(service, second.id) == []
    assert codes(service, other.id) == ["unknown-issuer"]       # another issuer: untouched
    assert service.repository.get(expired.id).status == "expired"
    # Nothing was verified again: the check dates are those of the import.
    assert {c: service.repository.get(c).checked_at for c in checked_at} == checked_at
    # What a re-verification says, the stored verdict already said.
    assert service.reverify(first.id)[1].to_json() == service.repository.verdict(first.id)

    assert service.trust.add(SCHOOL.did, "Riverside Community College") == []   # a new name only
    changed = service.trust.remove(SCHOOL.did)
    assert sorted(changed) == sorted([first.id, second.id])
    assert codes(service, first.id) == ["unknown-issuer"]
    warning = service.repository.verdict(first.id)["warnings"][0]["message"]
    assert warning == service.reverify(first.id)[1].warnings[0].message


def test_trusting_a_did_never_makes_an_undecided_credential_valid(service):
    """A credential that names a did:web issuer with a famous name, which the vault could
    not check (no DID document): trusting that DID changes neither its status nor its
    verdict."""
    undecided = service.import_bytes(UNRESOLVED.badge("Law degree")).summary
    before = service.repository.verdict(undecided.id)
    assert undecided.status == "unverified" and before["valid"] is False
    assert service.trust.add(UNRESOLVED.did, "Harvard") == []
    assert service.repository.verdict(undecided.id) == before
    assert service.repository.get(undecided.id).status == "unverified"
