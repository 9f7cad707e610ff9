"""The demo issuer: sample credentials, so that a newcomer has something to present.

A newcomer's vault holds no credential issued to their own DID, so Present and Verify
cannot be tried. This built-in issuer awards one, on the spot, to a DID of theirs.

Its Ed25519 key comes from ``SEED`` below, which is PUBLIC AND WORTHLESS: it is in the
source of every copy of this app, so anyone can sign as this issuer and what it signs
proves nothing about anyone. The app says so wherever it shows one, and the mark comes
from the issuer the signature proves (``is_sample_issuer`` of the verified issuer DID),
never from what a credential says of itself: a copy shown to another vault (an
employer's Verify page) is marked as well. The trust list refuses it
(vault.credentials.trust), verification warns ``sample-issuer`` instead of
``unknown-issuer`` (vault.credentials.verify), and its name is always shown with
``NOTE`` (vault.credentials.issuer_name); who it is lives in
vault.credentials.sample_issuer, below this package.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# Who it is (DID, name, warning) is the verifier's knowledge: vault.credentials holds it.
from ..credentials.sample_issuer import DID, JWK_X, LABEL, NAME, NOTE, WARNING, is_sample_issuer
from .badge import Achievement, IssuerProfile, issue

__all__ = ["ACHIEVEMENT", "DID", "JWK_X", "LABEL", "MEMBERSHIP", "NAME", "NOTE", "PROFILE", "SEED", "WARNING",
           "is_sample_issuer", "issue_membership", "issue_sample", "key"]

# sha256("Blocktrack Vault sample issuer: a published key, worthless by design").
# PUBLIC: never sign anything real with it.
SEED = bytes.fromhex("713a605ffd3dec6e08f4138d962924f4acf85f98c2000a8712a5debe8bf4d0bb")
PROFILE = IssuerProfile(DID, NAME, description="The demo issuer built into Blocktrack Vault. Its signing key "
                        "is published with the app, so anyone can sign as it: what it issues are samples, "
                        "not credentials.")
ACHIEVEMENT = Achievement(
    id="urn:uuid:5b0c2f4e-6a7d-4b8e-9c1f-2d3e4f5a6b7c",
    name="Sample: Verifiable Credentials Basics",
    description="A sample badge to try presenting: pick it on the Present page, show the QR code, and "
                "check it on a Verify page. It proves nothing; the issuer is the app's demo issuer.",
    criteria="Nothing: the app issues it to anyone who asks for a sample.",
    tags=("sample",))
# The embedded chain's demo membership (vault.anchoring.demo_membership anchors it as a
# BlocktrackMembership): "Membership" is one of OB 3.0's achievement types; the vault's
# JSON-LD safe mode refuses a credential type no context defines, so the DAO's type name
# is declared on chain, not in "type".
MEMBERSHIP = Achievement(
    id="urn:uuid:0f6b1c7e-3d2a-4e5f-8a9b-1c2d3e4f5a6b",
    name="Sample: Blocktrack DAO membership (built-in test chain)",
    description="A demo membership of the DAO on the app's built-in test chain, so that quadratic polls and "
                "proposals can be tried there: with it anchored, your vote counts one member, one square root. "
                "It proves nothing; the issuer is the app's demo issuer.",
    criteria="Nothing: the app gives one to any account of the built-in test chain that asks.",
    achievement_type="Membership",
    tags=("sample", "BlocktrackMembership"))


def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(SEED)


def issue_sample(recipient: str, *, now: datetime | None = None) -> bytes:
    """A sample OpenBadgeCredential for ``recipient`` (a DID), signed now, as JSON bytes.
    Valid from the start of the day (UTC), so a verifier whose clock is a little behind
    does not find it "not yet valid"; no expiry."""
    return _issue(ACHIEVEMENT, recipient, now, "A sample credential from the app's demo issuer, to try presenting.")


def issue_membership(recipient: str, *, now: datetime | None = None) -> bytes:
    """A sample membership credential (``MEMBERSHIP``) for ``recipient`` (a DID), as
    ``issue_sample`` signs one."""
    return _issue(MEMBERSHIP, recipient, now, "A demo membership from the app's demo issuer, for the built-in "
                                              "test chain's DAO.")


def _issue(achievement: Achievement, recipient: str, now: datetime | None, description: str) -> bytes:
    now = now or datetime.now(timezone.utc)
    day = now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    credential = issue(PROFILE, key(), achievement, recipient, now=now, valid_from=day, description=description)
    return json.dumps(credential, indent=2).encode("utf-8")
