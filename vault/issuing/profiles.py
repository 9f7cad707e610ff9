"""Issuer profiles and their achievements, kept in the vault (schema 8).

A profile signs with an Ed25519 key derived from the vault's seed on the issuer branch
(``m/1031'/2'/i'``, vault.keys.derivation), as a did:key, or as a did:web whose DID
document the app writes for the issuer to host (its copy is also kept in the vault's
DID-document cache, so the vault verifies what it issued offline). The built-in demo
profile signs with the sample issuer's public key and is marked ``is_sample``.

Names, URLs and texts are the issuer's own words: they are checked for length and, for
URLs, for being https; they are shown through safe_text like any outside text.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..credentials.cache import VerificationCache
from ..did import did_key
from ..did.did_web import document_url
from ..did.documents import document as did_document
from ..errors import IssuingError, NotFound
from ..identity import Identity
from ..keys import derivation, recovery_phrase
from . import sample

MAX_NAME = 200
MAX_TEXT = 5000
SIGNING_METHODS = ("key", "web")
WEB_KEY_FRAGMENT = "#key-1"
STATUS_PURPOSES = ("revocation", "suspension")
_ALIGNMENT_FIELDS = ("targetName", "targetUrl", "targetDescription", "targetFramework", "targetCode",
                     "targetType")


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def check_text(value: str, what: str, limit: int = MAX_TEXT, *, required: bool = False) -> str:
    """The issuer's own words, published in every credential: no control, bidi or
    invisible formatting characters (they would make a verifier's screen show something
    else), and no line break in a name."""
    value = (value or "").strip()
    if required and not value:
        raise IssuingError(f"The {what} is empty: give one.")
    if len(value) > limit:
        raise IssuingError(f"The {what} is {len(value)} characters long; at most {limit} are kept.")
    allowed = "\t\n" if limit > MAX_NAME else ""
    for char in value:
        if (unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") and char not in allowed
                and char not in "\u200c\u200d"):
            raise IssuingError(f"The {what} holds the invisible or control character U+{ord(char):04X}: "
                               "remove it.")
    return value


def check_https(value: str, what: str) -> str:
    """'' or an https URL without spaces or credentials (it is published in every credential)."""
    value = check_text(value, what, 2000)
    if value and not re.fullmatch(r"https://[^\s/@?#]+(/[^\s]*)?", value):
        raise IssuingError(f"The {what} {value[:100]!r} is not an https address (https://…).")
    return value


def check_image(value: str, what: str = "image") -> str:
    """An https URL or a data: URI of a PNG/SVG/JPEG image (OB 3.0 Image.id)."""
    value = check_text(value, what, 200_000)
    if value.startswith("data:"):
        if not re.fullmatch(r"data:image/(png|svg\+xml|jpeg);base64,[A-Za-z0-9+/=]+", value):
            raise IssuingError(f"The {what} is a data: URI that is not a base64 PNG, SVG or JPEG image.")
        return value
    return check_https(value, what)


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    did: str
    did_method: str              # key | web | sample
    url: str = ""
    image: str = ""
    description: str = ""
    email: str = ""
    anchor_account: str = ""     # the Ethereum account that anchors (soulbound), '' if none
    status_base_url: str = ""    # where its status lists are hosted; '' = it issues without status
    is_sample: bool = False
    created_at: str = ""

    @property
    def verification_method(self) -> str:
        if self.did_method == "web":
            return self.did + WEB_KEY_FRAGMENT
        return f"{self.did}#{did_key.fingerprint(self.did)}"

    def status_list_url(self, purpose: str) -> str:
        """The exact URL its ``purpose`` status list is to be hosted at ('' if none)."""
        return f"{self.status_base_url}/{purpose}.json" if self.status_base_url else ""

    def did_document_url(self) -> str:
        """Where a did:web profile's DID document must be hosted ('' for did:key)."""
        return document_url(self.did) if self.did_method == "web" else ""

    def to_issuer_json(self) -> dict:
        """The OB 3.0 ``Profile`` in each credential it issues."""
        profile = {"id": self.did, "type": ["Profile"], "name": self.name}
        for name, value in (("url", self.url), ("description", self.description), ("email", self.email)):
            if value:
                profile[name] = value
        if self.image:
            profile["image"] = {"id": self.image, "type": "Image"}
        return profile

    def to_json(self) -> dict:
        data = asdict(self)
        data["verification_method"] = self.verification_method
        data["status_lists"] = {p: self.status_list_url(p) for p in STATUS_PURPOSES} if self.status_base_url else {}
        data["did_document_url"] = self.did_document_url()
        return data


@dataclass(frozen=True)
class AchievementRecord:
    id: int
    profile_id: int
    uri: str
    name: str
    description: str = ""
    criteria: str = ""
    image: str = ""
    achievement_type: str = "Badge"
    alignment: tuple = ()            # of dicts: OB 3.0 Alignment (targetName, targetUrl, ...)
    tags: tuple = ()
    created_at: str = ""

    def to_ob_json(self) -> dict:
        """The OB 3.0 ``Achievement`` in the credential."""
        data = {"id": self.uri, "type": ["Achievement"], "name": self.name,
                "description": self.description or self.name,
                "criteria": {"narrative": self.criteria or self.description or self.name}}
        if self.achievement_type:
            data["achievementType"] = self.achievement_type
        if self.image:
            data["image"] = {"id": self.image, "type": "Image"}
        if self.alignment:
            data["alignment"] = [{"type": ["Alignment"], **a} for a in self.alignment]
        if self.tags:
            data["tag"] = list(self.tags)
        return data

    def to_json(self) -> dict:
        data = asdict(self)
        data["alignment"], data["tags"] = list(self.alignment), list(self.tags)
        return data


def check_alignment(items) -> tuple:
    """OB 3.0 alignments: each needs targetName and an https targetUrl."""
    out = []
    for n, item in enumerate(items or (), 1):
        if not isinstance(item, dict) or set(item) - set(_ALIGNMENT_FIELDS):
            raise IssuingError(f"Alignment {n} may hold only {', '.join(_ALIGNMENT_FIELDS)}.")
        name = check_text(item.get("targetName", ""), f"alignment {n} name", MAX_NAME, required=True)
        url = check_https(item.get("targetUrl", ""), f"alignment {n} URL")
        if not url:
            raise IssuingError(f"Alignment {n} needs a targetUrl (https://…) naming the skill or standard.")
        entry = {**{k: check_text(str(v), f"alignment {n} {k}", MAX_TEXT) for k, v in item.items()},
                 "targetName": name, "targetUrl": url}
        out.append(entry)
    return tuple(out)


_PROFILE_COLUMNS = ("id, name, did, did_method, url, image, description, email, anchor_account, "
                    "status_base_url, is_sample, created_at")
_ACHIEVEMENT_COLUMNS = ("id, profile_id, uri, name, description, criteria, image, achievement_type, "
                        "alignment_json, tags_json, created_at")


def _profile(row) -> Profile:
    return Profile(*row[:10], bool(row[10]), row[11])


def _achievement(row) -> AchievementRecord:
    return AchievementRecord(*row[:8], tuple(json.loads(row[8])), tuple(json.loads(row[9])), row[10])


def web_did(value: str) -> str:
    """``did:web:…`` from a did:web or a bare ``host[:path]``; InvalidDid if not one."""
    value = (value or "").strip()
    did = value if value.startswith("did:web:") else "did:web:" + value
    document_url(did)
    return did


class Profiles:
    """Issuer profiles and achievements of one unlocked vault."""

    def __init__(self, identity: Identity):
        self.identity = identity
        self.store = identity.store

    # ---- profiles ----------------------------------------------------------------------

    def list(self) -> list[Profile]:
        return [_profile(r) for r in self.store.query(f"SELECT {_PROFILE_COLUMNS} FROM issuer_profiles ORDER BY id")]

    def get(self, ref) -> Profile:
        """By id (an int or its digits) or by name (case-insensitive)."""
        text = str(ref).strip()
        row = self.store.query_one(f"SELECT {_PROFILE_COLUMNS} FROM issuer_profiles WHERE "
                                   + ("id = ?" if text.isdigit() else "name = ?"), (text,))
        if row is None:
            raise NotFound(f"There is no issuer profile {text[:100]!r}; `vault issuer profile list` shows them.")
        return _profile(row)

    def create(self, name: str, *, method: str = "key", web: str = "", url: str = "", image: str = "",
               description: str = "", email: str = "", anchor_account: str = "",
               status_base_url: str = "") -> Profile:
        """A new profile with a fresh key of the issuer branch. ``web``: the did:web (or its
        ``host[:path]``) for ``method="web"``. Its status lists are hosted under
        ``status_base_url`` (default: ``<url>/status``, or the did:web's folder)."""
        name = check_text(name, "profile name", MAX_NAME, required=True)
        if method not in SIGNING_METHODS:
            raise IssuingError(f"A profile signs as did:key or did:web, not did:{method[:20]}.")
        url = check_https(url, "profile URL")
        image = check_image(image, "profile image")
        description = check_text(description, "description")
        email = check_text(email, "email", MAX_NAME)
        if email and not re.fullmatch(r"[^\s@]+@[^\s@]+\.[^\s@]+", email):
            raise IssuingError(f"{email[:100]!r} is not an email address.")
        anchor_account = self._check_account(anchor_account)
        did_web = web_did(web) if method == "web" else ""
        if method == "key" and web:
            raise IssuingError("--web is for did:web profiles (--method web).")
        status_base_url = check_https(status_base_url, "status list address").rstrip("/")
        if re.search(r"[?#]", status_base_url):
            raise IssuingError("The status list address is a folder: no '?' or '#' in it.")
        if not status_base_url:
            if url:
                status_base_url = url.split("?", 1)[0].split("#", 1)[0].rstrip("/") + "/status"
            elif did_web:
                folder = document_url(did_web).rsplit("/", 1)[0]
                status_base_url = folder.removesuffix("/.well-known") + "/status"
        if self.store.query_one("SELECT 1 FROM issuer_profiles WHERE name = ?", (name,)):
            raise IssuingError(f"There is already an issuer profile named {name!r}: choose another name.")
        seed = recovery_phrase.to_seed(self.identity.recovery_phrase())
        with self.store.transaction() as conn:
            index = conn.execute("SELECT COALESCE(MAX(key_index) + 1, 0) FROM issuer_profiles").fetchone()[0]
            path = derivation.issuer_key_path(index)
            public = derivation.ed25519_private_key(seed, path).public_key().public_bytes_raw()
            did = did_web or did_key.from_ed25519(public)
            cursor = conn.execute(
                "INSERT INTO issuer_profiles(name, url, image, description, email, did, did_method, key_path, "
                "key_index, anchor_account, status_base_url, is_sample, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                (name, url, image, description, email, did, method, path, index, anchor_account,
                 status_base_url, _now()))
            profile_id = cursor.lastrowid
        profile = self.get(profile_id)
        if method == "web":   # the vault verifies what it issues as did:web offline
            VerificationCache(self.store).put_did_document(did, self.did_document(profile))
        return profile

    def sample(self) -> Profile:
        """The built-in demo profile (created on first use): the sample issuer, whose key
        is public. Marked ``is_sample``; it has no status lists."""
        row = self.store.query_one(f"SELECT {_PROFILE_COLUMNS} FROM issuer_profiles WHERE is_sample = 1")
        if row:
            return _profile(row)
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO issuer_profiles(name, description, did, did_method, key_path, is_sample, "
                         "created_at) VALUES (?, ?, ?, 'sample', 'sample', 1, ?)",
                         (sample.LABEL, sample.PROFILE.description, sample.DID, _now()))
        profile = self.sample()
        self.add_achievement(profile.id, sample.ACHIEVEMENT.name, description=sample.ACHIEVEMENT.description,
                             criteria=sample.ACHIEVEMENT.criteria, tags=("sample",))
        return profile

    def update(self, ref, *, anchor_account: str | None = None) -> Profile:
        profile = self.get(ref)
        if anchor_account is not None:
            with self.store.transaction() as conn:
                conn.execute("UPDATE issuer_profiles SET anchor_account = ? WHERE id = ?",
                             (self._check_account(anchor_account), profile.id))
        return self.get(profile.id)

    def _check_account(self, address: str) -> str:
        address = (address or "").strip()
        if not address:
            return ""
        for account in self.identity.accounts():
            if account.address.lower() == address.lower():
                return account.address
        raise IssuingError(f"{address[:60]} is not an account of this vault: the anchoring account must "
                           "be one (`vault did list` shows them, as did:pkh:eip155:1:ADDRESS).")

    def signing_key(self, profile: Profile) -> Ed25519PrivateKey:
        if profile.is_sample:
            return sample.key()
        path = self.store.query_one("SELECT key_path FROM issuer_profiles WHERE id = ?", (profile.id,))[0]
        seed = recovery_phrase.to_seed(self.identity.recovery_phrase())
        return derivation.ed25519_private_key(seed, path)

    def did_document(self, profile: Profile) -> dict:
        """The DID document to host for a did:web profile (at ``profile.did_document_url()``),
        or the resolved one of a did:key profile."""
        if profile.did_method != "web":
            return did_key.resolve(profile.did)
        public = self.signing_key(profile).public_key().public_bytes_raw()
        multibase = did_key.fingerprint(did_key.from_ed25519(public))
        method = {"id": profile.did + WEB_KEY_FRAGMENT, "type": "Multikey", "controller": profile.did,
                  "publicKeyMultibase": multibase}
        return did_document(profile.did, [did_key.MULTIKEY_CONTEXT], method,
                            relationships=("authentication", "assertionMethod"))

    # ---- achievements ------------------------------------------------------------------

    def achievements(self, profile_ref=None) -> list[AchievementRecord]:
        if profile_ref is None:
            rows = self.store.query(f"SELECT {_ACHIEVEMENT_COLUMNS} FROM issuer_achievements ORDER BY id")
        else:
            rows = self.store.query(f"SELECT {_ACHIEVEMENT_COLUMNS} FROM issuer_achievements WHERE profile_id = ? "
                                    "ORDER BY id", (self.get(profile_ref).id,))
        return [_achievement(r) for r in rows]

    def achievement(self, profile_ref, ref) -> AchievementRecord:
        """One of ``profile_ref``'s achievements, by id or by name."""
        profile = self.get(profile_ref)
        text = str(ref).strip()
        row = self.store.query_one(f"SELECT {_ACHIEVEMENT_COLUMNS} FROM issuer_achievements WHERE profile_id = ? AND "
                                   + ("id = ?" if text.isdigit() else "name = ?"), (profile.id, text))
        if row is None:
            raise NotFound(f"The profile {profile.name!r} has no achievement {text[:100]!r}; "
                           "`vault issuer achievement list` shows them.")
        return _achievement(row)

    def add_achievement(self, profile_ref, name: str, *, description: str = "", criteria: str = "",
                        image: str = "", achievement_type: str = "Badge", alignment=(),
                        tags=()) -> AchievementRecord:
        profile = self.get(profile_ref)
        name = check_text(name, "achievement name", MAX_NAME, required=True)
        description = check_text(description, "achievement description")
        criteria = check_text(criteria, "criteria")
        image = check_image(image, "achievement image")
        achievement_type = check_text(achievement_type, "achievement type", 100)
        if achievement_type and not re.fullmatch(r"(ext:)?[A-Za-z][A-Za-z0-9]*", achievement_type):
            raise IssuingError(f"{achievement_type!r} is not an OB 3.0 achievement type (e.g. Badge, "
                               "Certificate, Course, or ext:YourType).")
        alignment = check_alignment(alignment)
        tags = tuple(check_text(t, "tag", 100) for t in tags if str(t).strip())
        if self.store.query_one("SELECT 1 FROM issuer_achievements WHERE profile_id = ? AND name = ?",
                                (profile.id, name)):
            raise IssuingError(f"The profile {profile.name!r} already has an achievement named {name!r}.")
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO issuer_achievements(profile_id, uri, name, description, criteria, image, "
                "achievement_type, alignment_json, tags_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (profile.id, f"urn:uuid:{uuid.uuid4()}", name, description, criteria, image, achievement_type,
                 json.dumps(list(alignment)), json.dumps(list(tags)), _now()))
            new_id = cursor.lastrowid
        return self.achievement(profile.id, new_id)


__all__ = ["AchievementRecord", "Profile", "Profiles", "STATUS_PURPOSES", "check_https", "check_image", "check_text",
           "web_did"]
