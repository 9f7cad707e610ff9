"""Open Badges 2.0 assertions: signed badges (a compact JWS, RS256) and hosted badges.

Spec: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html
("Verification"). Many diplomas and course badges are still issued this way.

Signed badge. The JWS payload is the Assertion JSON with ``verification: {type:
"SignedBadge", creator: <CryptographicKey URL>}``; the signature is RS256 over the
compact JWS's signing input. The public key is the ``publicKeyPem`` of that
CryptographicKey, whose ``owner`` is the issuer's Profile URL. Offline, the key is read
only from the vault's cache (``vault key cache FILE``; stored beside cached DID
documents, keyed by its https id, and looked up through the same ``documents`` lookup).
A cached key counts only whole and consistent (``check_key``): its id is the
``creator``, its owner is the badge's issuer (when the assertion names one), and the
issuer Profile, when embedded, lists it among its ``publicKey``s. Without the key the
verdict is "issuer key not available offline" (UNKNOWN_KEY): undecided, never valid.

Hosted badge. ``verification.type`` "HostedBadge": the issuer vouches for the assertion
by serving it at its ``id``. That needs the network; offline the verdict is "hosted
badge, not checked" (UNKNOWN_KEY: undecided, kept and marked unverified).

Revocation of both kinds lives in the issuer's revocation list (online): offline it is
a STATUS_UNCHECKED warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import jose
from .openbadges import Alignment, CredentialDisplay, Evidence, flatten_claims
from .status import parse_datetime
from .verdict import CredentialFailure, Reason, Warning_, WarningCode

FORMAT_SIGNED = "ob2-signed"
FORMAT_HOSTED = "ob2-hosted"
SIGNED_NAME = "Open Badges 2.0 signed badge"
HOSTED_NAME = "Open Badges 2.0 hosted badge"
MIN_RSA_BITS = 2048
_SIGNED_TYPES = {"SignedBadge", "signed"}
_HOSTED_TYPES = {"HostedBadge", "hosted"}
_MAX_TEXT = 100_000
_URL = re.compile(r"https?://[^\s]+")

# What the verifier may look up: a key (or DID document) by its id (VerificationContext.documents).
Lookup = Callable[[str], "dict | None"]


@dataclass
class Reading:
    """What an Open Badges 2.0 or Blockcerts credential says, before and after its proof."""
    credential: dict
    display: CredentialDisplay
    issuer: str = ""
    subject: str | None = None
    types: tuple[str, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    warnings: list[Warning_] = field(default_factory=list)
    anchored: str | None = None     # where the issuer published it, once checked online (Blockcerts)
    status_checked: str | None = None   # how revocation was checked online (a hosted badge still hosted)


# --------------------------------------------------------------------------- recognising

def _types(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [t for t in items if isinstance(t, str)]


def verification_types(assertion: Any) -> list[str]:
    """The ``verification`` (OB 2.0) or ``verify`` (OB 1.1) types of an assertion."""
    if not isinstance(assertion, dict):
        return []
    verification = assertion.get("verification", assertion.get("verify"))
    return _types(verification.get("type")) if isinstance(verification, dict) else []


def detect(document: dict) -> str | None:
    """FORMAT_SIGNED / FORMAT_HOSTED for an Open Badges 2.0 Assertion JSON, else None."""
    types = set(verification_types(document))
    if not types or "Assertion" not in _types(document.get("type")) and "badge" not in document:
        return None
    if types & _SIGNED_TYPES:
        return FORMAT_SIGNED       # the JSON of a signed badge without its signature: said so
    if types & _HOSTED_TYPES:
        return FORMAT_HOSTED
    return None


def is_signed_badge(token: str) -> bool:
    """Is this compact JWS an Open Badges 2.0 signed badge (not a VC-JWT)?"""
    try:
        jws = jose.parse(token, SIGNED_NAME)
    except CredentialFailure:
        return False
    return bool(set(verification_types(jws.payload)) & _SIGNED_TYPES) or (
        jws.alg == "RS256" and "badge" in jws.payload and "recipient" in jws.payload)


# --------------------------------------------------------------------------- display

def text_of(value: Any) -> str | None:
    """A non-empty string, trimmed (and cut at _MAX_TEXT), or None."""
    if isinstance(value, str) and value.strip():
        return value.strip()[:_MAX_TEXT]
    return None


def _id(value: Any) -> str | None:
    """A node's id: the string itself (an IRI), or the object's ``id``."""
    return text_of(value) if isinstance(value, str) else text_of(value.get("id")) if isinstance(value, dict) else None


def _image(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, dict):
        return text_of(value.get("id")), text_of(value.get("caption"))
    return text_of(value), None


def _dicts(value: Any) -> list[dict]:
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)]


def _when(value: Any) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):   # OB 1.x: Unix seconds
        try:
            return datetime.fromtimestamp(value, timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_datetime(value)


def issuer_of(assertion: dict) -> dict | str | None:
    """The issuer Profile the assertion's (embedded) BadgeClass names: a dict, a URL or None."""
    badge = assertion.get("badge")
    return badge.get("issuer") if isinstance(badge, dict) else None


def recipient_of(assertion: dict) -> str | None:
    """The recipient identity, when it is not hashed (a hash says nothing readable)."""
    recipient = assertion.get("recipient")
    if not isinstance(recipient, dict) or recipient.get("hashed") is True:
        return None
    return text_of(recipient.get("identity"))


def display_for(assertion: dict, *, types: tuple[str, ...] = ("Assertion",),
                fallback_title: str = "Open Badge") -> CredentialDisplay:
    """The display model of an Open Badges 2.0 Assertion (an embedded BadgeClass and
    issuer Profile are shown; URLs alone are shown as such). Never raises."""
    badge = assertion.get("badge") if isinstance(assertion.get("badge"), dict) else {}
    issuer = issuer_of(assertion)
    issuer = issuer if isinstance(issuer, dict) else {"id": issuer} if isinstance(issuer, str) else {}
    image, caption = _image(assertion.get("image"))
    if not image:
        image, caption = _image(badge.get("image"))
    criteria = badge.get("criteria")
    profile = assertion.get("recipientProfile")
    if not isinstance(profile, dict):
        recipient = assertion.get("recipient")
        profile = recipient.get("recipientProfile") if isinstance(recipient, dict) else None
    alignments = tuple(Alignment(text_of(a.get("targetName")), text_of(a.get("targetUrl")),
                                 text_of(a.get("targetFramework")), text_of(a.get("targetCode")))
                       for a in _dicts(badge.get("alignment")))
    evidence = tuple(Evidence(text_of(e.get("name")), text_of(e.get("id")), text_of(e.get("description")),
                              text_of(e.get("narrative"))) for e in _dicts(assertion.get("evidence")))
    shown = {k: assertion[k] for k in ("recipient", "recipientProfile", "badge", "evidence", "narrative")
             if k in assertion}
    return CredentialDisplay(
        kind="open-badge",
        title=text_of(badge.get("name")) or fallback_title,
        description=text_of(badge.get("description")),
        criteria_narrative=text_of(criteria.get("narrative")) if isinstance(criteria, dict) else None,
        criteria_url=_id(criteria),
        image=image, image_caption=caption,
        issuer_name=text_of(issuer.get("name")), issuer_id=_id(issuer),
        issuer_logo=_image(issuer.get("image"))[0], issuer_url=text_of(issuer.get("url")),
        subject_id=recipient_of(assertion),
        subject_name=text_of(profile.get("name")) if isinstance(profile, dict) else None,
        alignments=alignments, evidence=evidence,
        valid_until=_when(assertion.get("expires")),
        awarded=_when(assertion.get("issuedOn")),
        types=types, id=_id(assertion),
        claims=flatten_claims(shown))


def read_assertion(assertion: dict, types: tuple[str, ...], *, what: str,
                   fallback_title: str = "Open Badge") -> Reading:
    """The Reading of an assertion (shown before, and whatever, its proof says)."""
    if not isinstance(assertion.get("recipient"), dict) or not assertion.get("badge"):
        raise CredentialFailure(Reason.MALFORMED, f"The {what} has no recipient or no badge, so it "
                                "is not an Open Badges 2.0 assertion.")
    display = display_for(assertion, types=types, fallback_title=fallback_title)
    issuer = display.issuer_id or ""
    return Reading(assertion, display, issuer, display.subject_id, types,
                   valid_from=display.awarded, valid_until=display.valid_until)


# --------------------------------------------------------------------------- keys

def public_key_of(key: dict) -> rsa.RSAPublicKey:
    """The RSA key of a CryptographicKey's ``publicKeyPem`` (ValueError saying why not)."""
    pem = key.get("publicKeyPem")
    if not isinstance(pem, str) or "PUBLIC KEY" not in pem:
        raise ValueError("it holds no publicKeyPem")
    try:
        public = serialization.load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError, UnsupportedAlgorithm):
        raise ValueError("its publicKeyPem is not a readable public key") from None
    if not isinstance(public, rsa.RSAPublicKey):
        raise ValueError("its publicKeyPem is not an RSA key (signed badges are RS256)")
    if public.key_size < MIN_RSA_BITS:
        raise ValueError(f"its RSA key has {public.key_size} bits; at least {MIN_RSA_BITS} are required")
    return public


def check_key(key: object, key_id: str | None = None) -> str:
    """The id of a consistent Open Badges 2.0 CryptographicKey, or ValueError saying why not.

    It is a JSON object of type CryptographicKey whose id is an https URL (and, when
    given, ``key_id``), whose ``owner`` is an http(s) URL (the issuer Profile) and whose
    ``publicKeyPem`` is an RSA key of at least 2048 bits.
    """
    if not isinstance(key, dict):
        raise ValueError("a CryptographicKey must be a JSON object")
    kid = key.get("id")
    if not isinstance(kid, str) or not kid.startswith("https://") or not _URL.fullmatch(kid):
        raise ValueError("the key's id must be the https URL it is published at")
    if key_id is not None and kid != key_id:
        raise ValueError(f"it is the key {kid[:120]}, not {key_id[:120]}")
    if "CryptographicKey" not in _types(key.get("type")):
        raise ValueError("its type is not CryptographicKey")
    owner = key.get("owner")
    if not isinstance(owner, str) or not _URL.fullmatch(owner):
        raise ValueError("it names no owner (the issuer Profile URL)")
    public_key_of(key)
    return kid


def _key_for(creator: str, documents: Lookup | None) -> dict:
    key = documents(creator) if documents is not None else None
    if key is None:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"Issuer key not available offline: the badge is signed "
                                f"with the key {creator[:120]}, which is not in this vault. Get that "
                                "CryptographicKey (JSON) from the issuer and add it with `vault key cache "
                                "FILE`: badges in the vault are then checked with it (import or reverify).")
    try:
        check_key(key, creator)
    except ValueError as exc:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The key stored for {creator[:120]} is not used: "
                                f"{exc}. Cache a consistent copy of it again.") from None
    return key


# --------------------------------------------------------------------------- verifying

def read(parsed: Any) -> Reading:
    """An Open Badges 2.0 badge (the JWS text of a signed one, the JSON of a hosted one)."""
    if isinstance(parsed, str):
        jws = jose.parse(parsed, SIGNED_NAME)
        return read_assertion(jws.payload, ("Assertion", "SignedBadge"), what=SIGNED_NAME)
    if detect(parsed) == FORMAT_SIGNED:
        return read_assertion(parsed, ("Assertion", "SignedBadge"), what=SIGNED_NAME)
    return read_assertion(parsed, ("Assertion", "HostedBadge"), what=HOSTED_NAME)


def verify(parsed: Any, reading: Reading, *, documents: Lookup | None = None, now=None) -> None:
    """Check the badge's proof; raise CredentialFailure, or add warnings to ``reading``."""
    if isinstance(parsed, str):
        _verify_signed(parsed, reading, documents)
    elif detect(parsed) == FORMAT_SIGNED:
        raise CredentialFailure(Reason.NO_PROOF, f"This is the JSON inside an {SIGNED_NAME}, without "
                                "its signature: nothing signs it. Import the signed badge itself (the "
                                "JWS text, or the baked image the issuer gave).")
    else:
        _hosted(parsed)


def _hosted(assertion: dict) -> None:
    url = assertion.get("id")
    if not isinstance(url, str) or not _URL.fullmatch(url):
        raise CredentialFailure(Reason.MALFORMED, f"The {HOSTED_NAME} has no http(s) URL as its id, so "
                                "there is nowhere it could be checked.")
    raise CredentialFailure(Reason.UNKNOWN_KEY, f"{HOSTED_NAME}, not checked: the issuer vouches for it "
                            f"by publishing it at {url[:200]}, and this vault does not fetch it while "
                            "offline. What it shows is what the file says, unconfirmed by the issuer.")


def _verify_signed(token: str, reading: Reading, documents: Lookup | None) -> None:
    jws = jose.parse(token, SIGNED_NAME)
    if jws.alg != "RS256":
        raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE, f"The {SIGNED_NAME} is signed with "
                                f"{jws.alg[:20]!r}; Open Badges 2.0 signed badges use RS256.")
    if "crit" in jws.header or jws.header.get("b64", True) is not True:
        raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE, f"The {SIGNED_NAME} uses JWS extensions "
                                "('crit' / 'b64') this wallet does not implement.")
    verification = jws.payload.get("verification", jws.payload.get("verify"))
    creator = verification.get("creator") if isinstance(verification, dict) else None
    if not set(verification_types(jws.payload)) & _SIGNED_TYPES:
        raise CredentialFailure(Reason.MALFORMED, f"The {SIGNED_NAME}'s assertion does not say it is "
                                "signed (its verification type is not SignedBadge).")
    if not isinstance(creator, str) or not _URL.fullmatch(creator):
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The {SIGNED_NAME} names no signing key "
                                "(verification.creator), so its issuer's key cannot be found offline.")
    key = _key_for(creator, documents)
    issuer = issuer_of(jws.payload)
    issuer_id = _id(issuer)
    if issuer_id is not None and key["owner"] != issuer_id:
        raise CredentialFailure(Reason.WRONG_KEY, f"The badge says it was issued by {issuer_id[:120]}, but "
                                f"it is signed with a key of {key['owner'][:120]}.")
    if isinstance(issuer, dict) and "publicKey" in issuer:
        listed = [_id(k) for k in (issuer["publicKey"] if isinstance(issuer["publicKey"], list)
                                   else [issuer["publicKey"]])]
        if creator not in listed:
            raise CredentialFailure(Reason.WRONG_KEY, f"The issuer's profile does not list the key "
                                    f"{creator[:120]} among its keys, so that key may not sign its badges.")
    public_key = public_key_of(key)
    if len(jws.signature) != (public_key.key_size + 7) // 8:
        raise jose.bad_signature(SIGNED_NAME)
    try:
        public_key.verify(jws.signature, jws.signing_input, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise jose.bad_signature(SIGNED_NAME) from None
    reading.issuer = key["owner"]
    reading.warnings.append(Warning_(WarningCode.STATUS_UNCHECKED, "Open Badges 2.0 badges are revoked "
                                     "through the issuer's revocation list, which is not checked offline."))
