"""Helpers of the presentation tests: a test issuer, credentials issued to a holder DID
(Data Integrity, VC-JWT, SD-JWT VC, ecdsa-sd-2023), and the holder's wallet."""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vault.credentials import data_integrity, jwt_vc, sd_jwt_vc
from vault.credentials.service import CredentialService
from vault.did import did_key, multikey
from vault.presentations.service import PresentationService

UTC = timezone.utc
ISSUER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
ISSUER = did_key.from_ed25519(ISSUER_KEY.public_key().public_bytes_raw())
ISSUER_METHOD = f"{ISSUER}#{ISSUER.split(':')[-1]}"
STRANGER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(100, 132)))
STRANGER = did_key.from_ed25519(STRANGER_KEY.public_key().public_bytes_raw())
CHALLENGE = "3f1c2a90-employer-challenge"
DOMAIN = "hr.employer.example"
NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)       # the verifier's clock in these tests
ISSUED = datetime(2025, 1, 1, tzinfo=UTC)
SD_DISCLOSABLE = ("given_name", "family_name", "email", "achievement.description")
# An ecdsa-sd-2023 issuer (P-256), and the claim its credentials keep for the holder to withhold.
SD_ISSUER_KEY = ec.derive_private_key(0x5D2023B, ec.SECP256R1())
SD_ISSUER = "did:key:" + multikey.encode("p256-pub", SD_ISSUER_KEY.public_key().public_bytes(
    serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint))
SD_SECRET = "Statistics in Python, graded A+"


def badge(subject: str, name: str = "Data Analysis", **extra) -> dict:
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, subject + name)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Test College"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": name,
        "credentialSubject": {"type": ["AchievementSubject"], "id": subject,
                              "achievement": {"id": "urn:uuid:a1", "type": ["Achievement"], "name": name,
                                              "criteria": {"narrative": "Pass the exam."}}},
    }
    credential.update(extra)
    return credential


def di_credential(subject: str, suite: str = "eddsa-rdfc-2022", **extra) -> bytes:
    signed = data_integrity.sign(badge(subject, **extra), ISSUER_KEY, ISSUER_METHOD, cryptosuite=suite,
                                 created="2025-01-01T00:00:00Z")
    return json.dumps(signed, indent=2).encode()


def ecdsa_sd_credential(subject: str) -> bytes:
    """A badge with an ecdsa-sd-2023 base proof (the issuer mandatory), its achievement
    described as ``SD_SECRET``."""
    credential = badge(subject)
    credential["issuer"]["id"] = SD_ISSUER
    credential["credentialSubject"]["achievement"]["description"] = SD_SECRET
    signed = data_integrity.sign(credential, SD_ISSUER_KEY, f"{SD_ISSUER}#{SD_ISSUER.split(':')[-1]}",
                                 cryptosuite="ecdsa-sd-2023", created="2025-01-01T00:00:00Z")
    return json.dumps(signed).encode()


def jwt_credential(subject: str, name: str = "Statistics") -> bytes:
    credential = badge(subject, name)
    credential["@context"] = ["https://www.w3.org/2018/credentials/v1",
                              "https://purl.imsglobal.org/spec/ob/v3p0/context.json"]
    credential.pop("validFrom")
    credential["issuanceDate"] = "2025-01-01T00:00:00Z"
    return jwt_vc.sign_jwt_vc(credential, ISSUER_KEY, kid=ISSUER_METHOD, issued_at=ISSUED).encode()


def sd_jwt_credential(subject: str | None, holder_public_key=None) -> bytes:
    claims = {"vct": "urn:example:vct:open-badge-achievement:1", "issuer_name": "Test College",
              "given_name": "Jordan", "family_name": "Rivera", "email": "jordan@example.edu",
              "achievement": {"name": "Introduction to Programming", "description": "Python basics."}}
    if subject is not None:
        claims["sub"] = subject
    return sd_jwt_vc.issue_sd_jwt_vc(claims, ISSUER_KEY, kid=ISSUER_METHOD, disclosable=SD_DISCLOSABLE,
                                     holder_public_key=holder_public_key, issued_at=ISSUED).encode()


@dataclass
class Wallet:
    identity: object
    credentials: CredentialService
    presentations: PresentationService
    holder: str

    def store(self, data: bytes) -> str:
        return self.credentials.import_bytes(data).summary.id

    @property
    def holder_key(self):
        return self.identity.signing_key(self.holder)


