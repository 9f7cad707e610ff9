"""Make and sign an Open Badges 3.0 ``OpenBadgeCredential``.

An issuer profile and an achievement, awarded to a recipient DID, as a VC 2.0 credential
with the OB 3.0 context, signed with a ``DataIntegrityProof`` (``eddsa-rdfc-2022``) by the
issuer's Ed25519 key. The demo issuer (``vault.issuing.sample``) uses it; a full issuer
mode can too.

    credential = issue(profile, key, achievement, "did:key:z6Mk…")   # a signed dict

Every term used is defined by the two contexts, so the whole credential is signed (the
vault refuses members outside the signed data). The signed credential is verified before
it is returned: nothing that would not verify leaves here.

Spec: https://www.imsglobal.org/spec/ob/v3p0/ (OpenBadgeCredential, Profile, Achievement).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..credentials import data_integrity
from ..did import method_of, resolve

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
TYPES = ["VerifiableCredential", "OpenBadgeCredential"]


@dataclass(frozen=True)
class IssuerProfile:
    """Who issues: a DID (its key signs) and how it names itself."""
    did: str
    name: str
    description: str = ""
    url: str = ""

    def to_json(self) -> dict:
        profile = {"id": self.did, "type": ["Profile"], "name": self.name}
        if self.description:
            profile["description"] = self.description
        if self.url:
            profile["url"] = self.url
        return profile


@dataclass(frozen=True)
class Achievement:
    """What is awarded. ``criteria``: the narrative of what earns it."""
    id: str
    name: str
    description: str
    criteria: str
    achievement_type: str = "Badge"
    tags: tuple[str, ...] = ()

    def to_json(self) -> dict:
        achievement = {"id": self.id, "type": ["Achievement"], "name": self.name,
                       "description": self.description, "criteria": {"narrative": self.criteria}}
        if self.achievement_type:
            achievement["achievementType"] = self.achievement_type
        if self.tags:
            achievement["tag"] = list(self.tags)
        return achievement


def _xsd(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def build(profile: IssuerProfile, achievement: Achievement, recipient: str, *, valid_from: datetime,
          valid_until: datetime | None = None, credential_id: str | None = None,
          description: str = "") -> dict:
    """The unsigned credential. ``recipient`` must be a DID (InvalidDid otherwise)."""
    method_of(recipient)
    credential = {
        "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
        "id": credential_id or f"urn:uuid:{uuid.uuid4()}",
        "type": list(TYPES),
        "issuer": profile.to_json(),
        "validFrom": _xsd(valid_from),
        "name": achievement.name,
        "credentialSubject": {"id": recipient, "type": ["AchievementSubject"],
                              "achievement": achievement.to_json()},
    }
    if description:
        credential["description"] = description
    if valid_until is not None:
        credential["validUntil"] = _xsd(valid_until)
    return credential


def verification_method(did: str) -> str:
    """The DID URL of the issuer's first key (did:key, did:jwk: resolved offline)."""
    method = resolve(did)["verificationMethod"][0]["id"]
    return did + method if method.startswith("#") else method


def sign(credential: dict, key: Ed25519PrivateKey, *, created: datetime | None = None) -> dict:
    """``credential`` signed by its issuer's ``key`` (eddsa-rdfc-2022), checked to verify:
    a key that is not the issuer's raises CredentialFailure here, not at the recipient."""
    issuer = credential["issuer"]["id"] if isinstance(credential.get("issuer"), dict) else credential["issuer"]
    signed = data_integrity.sign(credential, key, verification_method(issuer),
                                 created=_xsd(created) if created else None)
    data_integrity.verify_proof(signed)
    return signed


def issue(profile: IssuerProfile, key: Ed25519PrivateKey, achievement: Achievement, recipient: str, *,
          now: datetime | None = None, valid_from: datetime | None = None,
          valid_until: datetime | None = None, description: str = "") -> dict:
    """An OpenBadgeCredential for ``recipient``, signed now (or at ``now``)."""
    now = now or datetime.now(timezone.utc)
    credential = build(profile, achievement, recipient, valid_from=valid_from or now, valid_until=valid_until,
                       description=description)
    return sign(credential, key, created=now)
