"""What a credential looks like to a person: the display model.

Open Badges 3.0 credentials (``OpenBadgeCredential`` / ``AchievementCredential``) render as
badges: the achievement's name, image, description and criteria, the issuer with its
logo, alignments and results. A Comprehensive Learner Record 2.0 (``ClrCredential``) is a
transcript: its own name, and the achievements (credentials) it holds. Any other VC falls
back to the generic fields (name, description, image, issuer, validity) and its claims;
SD-JWT VC claim sets (flat claims such as ``given_name``, ``issuer_name``, ``vct``) and
VC-JWT payloads (``vc`` claim) map onto the same model.

The title is the credential's own ``name`` (OB 3.0: "the name of the credential for
display purposes in wallets"), else its achievement's name, else its type in words. In an
SD-JWT VC ``name`` is the registered JWT claim "full name" of the subject, never the title.

``display_for`` never raises on parseable input: a field of the wrong shape is skipped,
not trusted. It does no verification; it only shows what the credential says.

Spec: https://www.imsglobal.org/spec/ob/v3p0/ (OB 3.0 data model),
https://www.imsglobal.org/spec/clr/v2p0/ (CLR 2.0: ClrCredential, ClrSubject).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, NamedTuple

from .status import parse_datetime

__all__ = ["Alignment", "ResultDescription", "ResultLine", "Evidence", "CredentialDisplay",
           "display_for", "flatten_claims", "transcript_achievements", "transcript_line"]

_OB_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
CLR_TITLE = "Comprehensive Learner Record"     # a ClrCredential without a name (CLR 2.0 requires one)
_MAX_DEPTH = 24          # flattening stops below this depth...
_MAX_CLAIMS = 5_000      # ...and after this many (path, value) pairs
_MAX_TEXT = 100_000      # a single text field longer than this is cut
# Registered JWT / SD-JWT claims: metadata, not claims about the subject.
_JWT_REGISTERED = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "cnf", "vct", "vct#integrity",
                   "status", "_sd", "_sd_alg", "...", "vc", "vp", "nonce", "issuer_name"}


class Alignment(NamedTuple):
    target_name: str | None
    target_url: str | None
    target_framework: str | None
    target_code: str | None


class ResultDescription(NamedTuple):
    id: str | None
    name: str | None
    result_type: str | None
    allowed_values: tuple[str, ...]
    required_value: str | None


class ResultLine(NamedTuple):
    """One result the learner obtained, in words: ("Final Project Grade", "A")."""
    name: str | None
    value: str | None


class Evidence(NamedTuple):
    name: str | None
    url: str | None
    description: str | None
    narrative: str | None


@dataclass(frozen=True)
class CredentialDisplay:
    kind: str                              # "open-badge", "clr", "sd-jwt-vc" or "vc"
    title: str
    description: str | None = None
    criteria_narrative: str | None = None
    criteria_url: str | None = None
    image: str | None = None               # URL or data: URI
    image_caption: str | None = None
    issuer_name: str | None = None
    issuer_id: str | None = None
    issuer_logo: str | None = None         # URL or data: URI
    issuer_url: str | None = None
    subject_id: str | None = None
    subject_name: str | None = None
    achievement_type: str | None = None
    alignments: tuple[Alignment, ...] = ()
    result_descriptions: tuple[ResultDescription, ...] = ()
    results: tuple[ResultLine, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    awarded: datetime | None = None
    types: tuple[str, ...] = ()
    id: str | None = None
    claims: tuple[tuple[str, Any], ...] = ()
    achievements: tuple[str, ...] = ()     # a CLR: the title of each credential it holds

    @property
    def is_open_badge(self) -> bool:
        return self.kind == "open-badge"

    @property
    def is_transcript(self) -> bool:
        return self.kind == "clr"

    @property
    def kind_line(self) -> str | None:
        """"Transcript · 12 achievements" for a CLR; None otherwise."""
        return transcript_line(len(self.achievements)) if self.is_transcript else None

    def expired(self, now: datetime | None = None) -> bool:
        now = now or datetime.now(timezone.utc)
        return self.valid_until is not None and now > self.valid_until

    def search_text(self) -> str:
        """Lower-cased text of everything a person might search for (one string)."""
        parts = [self.title, self.description, self.issuer_name, self.issuer_id,
                 self.subject_name, self.subject_id, self.achievement_type,
                 self.criteria_narrative, " ".join(self.types), *self.achievements]
        parts += [a.target_name for a in self.alignments]
        # Images as data: URIs and other long blobs would bloat the index and match nothing.
        parts += [str(v)[:300] for _, v in self.claims if isinstance(v, (str, int, float))
                  and not isinstance(v, bool) and not str(v).startswith("data:")]
        # Title, description and criteria also appear among the claims: index each word once.
        words = " ".join(p for p in parts if p).casefold().split()
        return " ".join(dict.fromkeys(words))


# ------------------------------------------------------------------------ small readers

def _text(value, *, language: str = "en", _depth: int = 0) -> str | None:
    """A plain string from a string, a JSON-LD value object or a list of language values."""
    if isinstance(value, str):
        text = value.strip()
        return text[:_MAX_TEXT] if text else None
    if _depth > 2:
        return None
    if isinstance(value, dict) and "@value" in value:
        return _text(value.get("@value"), _depth=_depth + 1)
    if isinstance(value, list):
        candidates = [v for v in value[:100] if isinstance(v, (str, dict))]
        preferred = [v for v in candidates if isinstance(v, dict)
                     and isinstance(v.get("@language"), str)
                     and v["@language"].lower().startswith(language)]
        for candidate in preferred + candidates:
            text = _text(candidate, language=language, _depth=_depth + 1)
            if text:
                return text
    return None


def _dict(value) -> dict:
    if isinstance(value, dict):
        return value
    if isinstance(value, list):       # credentialSubject may be an array: show the first
        for item in value:
            if isinstance(item, dict):
                return item
    return {}


def _dicts(value) -> list[dict]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def _types(value) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(t for t in items if isinstance(t, str) and t)


def _image(value) -> tuple[str | None, str | None]:
    """OB 3.0 Image: a URL / data: URI string, or an object with id (and caption)."""
    for item in (value if isinstance(value, list) else [value])[:100]:
        if isinstance(item, str) and _text(item):
            return _text(item), None
        if isinstance(item, dict):
            url = _text(item.get("id")) or _text(item.get("url"))
            if url:
                return url, _text(item.get("caption"))
    return None, None


def _when(value) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):   # JWT NumericDate
        try:
            return datetime.fromtimestamp(value, timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_datetime(value)


_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def _words(name: str) -> str:
    """'EmployeeIdCredential' -> 'Employee Id'; 'identity_credential' -> 'Identity Credential'."""
    if ":" in name and not re.search(r"[A-Za-z]{3,}", name.rsplit(":", 1)[-1]):
        return name
    tail = re.split(r"[/#:]", name.rstrip("/#"))[-1] or name
    words = _CAMEL.findall(tail.replace("_", " ").replace("-", " "))
    if len(words) > 1 and words[-1].lower() == "credential":
        words = words[:-1]
    if not words:
        return name
    return " ".join(w if w.isupper() else w[0].upper() + w[1:] for w in words)


def _vct_words(vct: str) -> str:
    """An SD-JWT VC type in words: its last segment with a word in it ('urn:eudi:pid:de:1'
    -> 'PID', 'https://example.com/identity_credential' -> 'Identity'); short ones are
    acronyms."""
    segments = [s for s in re.split(r"[/#:]", vct) if re.search(r"[A-Za-z]{3,}", s)
                and "." not in s and s.lower() not in ("urn", "http", "https", "did")]   # not a scheme or host
    if not segments:
        return vct
    tail = segments[-1]
    return tail.upper() if len(tail) <= 4 and tail.isalpha() and tail.islower() else _words(tail)


def _is_transcript(types: tuple[str, ...], subject: dict) -> bool:
    return "ClrCredential" in types or "ClrSubject" in _types(subject.get("type"))


def _title_of(credential: dict, types: tuple[str, ...], subject: dict) -> str:
    """A VC's title: its own name, its achievement's, an endorsement's target, its type."""
    achievement = _dict(subject.get("achievement"))
    title = _text(credential.get("name")) or _text(achievement.get("name"))
    if title:
        return title
    if "EndorsementCredential" in types:
        target = _text(subject.get("name")) or _text(subject.get("id"))
        return f"Endorsement of {target}" if target else "Endorsement"
    specific = [t for t in types if t != "VerifiableCredential"]
    return (_words(specific[-1]) if specific else None) or "Credential"


def _nested_titles(subject: dict) -> tuple[str, ...]:
    """The titles of the credentials a CLR subject holds, in order, each titled like any VC
    (as many as jsonld.check_bounds lets a credential hold: all of them, so the count is true)."""
    titles = []
    for nested in _dicts(subject.get("verifiableCredential")):
        titles.append(_title_of(nested, _types(nested.get("type")), _dict(nested.get("credentialSubject"))))
    return tuple(titles)


def transcript_achievements(subject) -> tuple[str, ...] | None:
    """The titles of the achievements (nested credentials) of a CLR's ``ClrSubject``;
    None when ``subject`` is not one."""
    subject = _dict(subject)
    return _nested_titles(subject) if "ClrSubject" in _types(subject.get("type")) else None


def transcript_line(count: int) -> str:
    return f"Transcript · {count:,} achievement{'' if count == 1 else 's'}"


def flatten_claims(value, prefix: str = "") -> tuple[tuple[str, Any], ...]:
    """Nested claims -> (("achievement.name", "Teamwork"), ("result[0].value", "A"), ...).

    Leaves are kept as they are (str, int, float, bool, None); empty objects and lists
    are left out. Bounded in depth and count, so hostile input cannot make it loop long.
    """
    out: list[tuple[str, Any]] = []
    stack: list[tuple[str, Any, int]] = [(prefix, value, 0)]
    while stack and len(out) < _MAX_CLAIMS:
        path, node, depth = stack.pop()
        if isinstance(node, dict):
            if depth >= _MAX_DEPTH:
                continue
            for key in reversed(list(node)):
                if key == "@context":
                    continue
                stack.append((f"{path}.{key}" if path else str(key), node[key], depth + 1))
        elif isinstance(node, list):
            if depth >= _MAX_DEPTH:
                continue
            for i in reversed(range(len(node))):
                stack.append((f"{path}[{i}]", node[i], depth + 1))
        elif node is None or isinstance(node, (str, int, float, bool)):
            out.append((path, node[:_MAX_TEXT] if isinstance(node, str) else node))
    return tuple(out)


# ------------------------------------------------------------------------ the model

def _alignments(*sources) -> tuple[Alignment, ...]:
    seen, out = set(), []
    for source in sources:
        for item in _dicts(source):
            alignment = Alignment(_text(item.get("targetName")), _text(item.get("targetUrl")),
                                  _text(item.get("targetFramework")),
                                  _text(item.get("targetCode")))
            if any(alignment) and alignment not in seen:
                seen.add(alignment)
                out.append(alignment)
    return tuple(out)


def _result_descriptions(achievement: dict) -> tuple[ResultDescription, ...]:
    out = []
    for item in _dicts(achievement.get("resultDescription")):
        allowed_raw = item.get("allowedValue")
        allowed = tuple(v for v in allowed_raw if isinstance(v, str)) \
            if isinstance(allowed_raw, list) else ()
        out.append(ResultDescription(_text(item.get("id")), _text(item.get("name")),
                                     _text(item.get("resultType")), allowed,
                                     _text(item.get("requiredValue"))))
    return tuple(out)


def _results(subject: dict, achievement: dict) -> tuple[ResultLine, ...]:
    descriptions = {}
    levels = {}
    for item in _dicts(achievement.get("resultDescription")):
        if isinstance(item.get("id"), str):
            descriptions[item["id"]] = item
        for level in _dicts(item.get("rubricCriterionLevel")):
            if isinstance(level.get("id"), str):
                levels[level["id"]] = level
    out = []
    for result in _dicts(subject.get("result")):
        description = descriptions.get(result.get("resultDescription")
                                       if isinstance(result.get("resultDescription"), str)
                                       else None, {})
        name = _text(description.get("name"))
        value = _text(result.get("value"))
        if value is None and isinstance(result.get("achievedLevel"), str):
            level = levels.get(result["achievedLevel"], {})
            value = _text(level.get("name")) or _text(level.get("level")) or result["achievedLevel"]
        if value is None:
            value = _text(result.get("status"))
        if name or value:
            out.append(ResultLine(name, value))
    return tuple(out)


def _evidence(credential: dict) -> tuple[Evidence, ...]:
    out = []
    for item in _dicts(credential.get("evidence")):
        entry = Evidence(_text(item.get("name")), _text(item.get("id")),
                         _text(item.get("description")), _text(item.get("narrative")))
        if any(entry):
            out.append(entry)
    return tuple(out)


def _person_name(subject: dict) -> str | None:
    name = _text(subject.get("name"))
    if name:
        return name
    for given_key, family_key in (("given_name", "family_name"), ("givenName", "familyName")):
        parts = [_text(subject.get(given_key)), _text(subject.get(family_key))]
        if any(parts):
            return " ".join(p for p in parts if p)
    return None


def _unwrap_jwt_payload(credential: dict) -> dict:
    """A VC-JWT payload (VC 1.1 ``vc`` claim) -> the credential with iss/sub/nbf/exp mapped."""
    vc = credential.get("vc")
    if not isinstance(vc, dict) or "credentialSubject" in credential:
        return credential
    merged = dict(vc)
    if "issuer" not in merged and credential.get("iss") is not None:
        merged["issuer"] = credential["iss"]
    if "id" not in merged and credential.get("jti") is not None:
        merged["id"] = credential["jti"]
    subject = merged.get("credentialSubject")
    if isinstance(subject, dict) and "id" not in subject and isinstance(credential.get("sub"), str):
        merged["credentialSubject"] = {**subject, "id": credential["sub"]}
    for claim, key in (("nbf", "issuanceDate"), ("exp", "expirationDate")):
        if key not in merged and credential.get(claim) is not None:
            merged[key] = credential[claim]
    return merged


def _issuer_parts(issuer: Any) -> tuple:
    """(id, name, logo, url) of an issuer given as a URL/DID or as a profile object."""
    if isinstance(issuer, str):
        return _text(issuer), None, None, None
    if isinstance(issuer, dict):
        logo = _image(issuer.get("image"))[0] or _image(issuer.get("logo"))[0]
        return _text(issuer.get("id")), _text(issuer.get("name")), logo, _text(issuer.get("url"))
    return None, None, None, None


@dataclass(frozen=True)
class DisplayFacts:
    """The part of the display model that verification reads (issuer, subject, types,
    dates), the same values as ``display_for``'s: a check builds the whole model only
    when something shows it (it was ~12 % of an eddsa-jcs-2022 check)."""
    issuer_id: str | None = None
    issuer_name: str | None = None
    subject_id: str | None = None
    types: tuple[str, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None


def facts_for(credential: dict) -> DisplayFacts:
    """``display_for(credential)``'s issuer_id, issuer_name, subject_id, types, valid_from
    and valid_until, without the rest of the model."""
    if not isinstance(credential, dict):
        return DisplayFacts()
    credential, types, _, _, _, issuer, subject_id, valid_from, valid_until = _basics(credential)
    if isinstance(issuer, str):
        issuer_id, issuer_name = _text(issuer), None
    elif isinstance(issuer, dict):
        issuer_id, issuer_name = _text(issuer.get("id")), _text(issuer.get("name"))
    else:
        issuer_id = issuer_name = None
    if issuer_name is None:
        issuer_name = _text(credential.get("issuer_name"))
    return DisplayFacts(issuer_id, issuer_name, subject_id, types, valid_from, valid_until)


def _basics(credential: dict) -> tuple:
    """(credential, types, vct, sd_jwt, subject, issuer, subject_id, valid_from, valid_until):
    what both ``display_for`` and ``facts_for`` read first, read one way for both."""
    credential = _unwrap_jwt_payload(credential)
    types = _types(credential.get("type"))
    vct = _text(credential.get("vct"))
    sd_jwt = vct is not None or ("credentialSubject" not in credential and "iss" in credential)

    if sd_jwt:
        # SD-JWT VC: the claims about the subject sit at the top level, beside the JWT ones.
        subject = {k: v for k, v in credential.items() if k not in _JWT_REGISTERED}
        issuer: Any = credential.get("issuer") if isinstance(credential.get("issuer"), dict) \
            else {"id": credential.get("iss"), "name": credential.get("issuer_name")}
        subject_id = _text(credential.get("sub"))
        valid_from = _when(credential.get("nbf")) or _when(credential.get("iat"))
        valid_until = _when(credential.get("exp"))
        if vct and not types:
            types = (vct,)
    else:
        subject = _dict(credential.get("credentialSubject"))
        issuer = credential.get("issuer")
        subject_id = _text(subject.get("id"))
        valid_from = _when(credential.get("validFrom")) or _when(credential.get("issuanceDate"))
        valid_until = (_when(credential.get("validUntil"))
                       or _when(credential.get("expirationDate")))
    return credential, types, vct, sd_jwt, subject, issuer, subject_id, valid_from, valid_until


def display_for(credential: dict) -> CredentialDisplay:
    """The display model of ``credential`` (a VC, a VC-JWT payload or an SD-JWT VC claim set)."""
    if not isinstance(credential, dict):
        return CredentialDisplay(kind="vc", title="Credential")
    credential, types, vct, sd_jwt, subject, issuer, subject_id, valid_from, valid_until = _basics(credential)

    transcript = not sd_jwt and _is_transcript(types, subject)
    # A CLR subject's `achievement` list is what the transcript is about, not its badge.
    achievement = {} if transcript else _dict(subject.get("achievement"))
    is_badge = bool(_OB_TYPES.intersection(types)) or bool(achievement)
    kind = "clr" if transcript else "open-badge" if is_badge else ("sd-jwt-vc" if sd_jwt else "vc")

    if transcript:
        title = _text(credential.get("name")) or CLR_TITLE
    elif sd_jwt:
        title = _text(achievement.get("name")) or (_vct_words(vct) if vct else None) or "Credential"
    else:
        title = _title_of(credential, types, subject)

    image, caption = next((found for found in (_image(achievement.get("image")), _image(credential.get("image")),
                                               _image(subject.get("image"))) if found[0]), (None, None))

    criteria = achievement.get("criteria")
    criteria_narrative = _text(criteria.get("narrative")) if isinstance(criteria, dict) else None
    criteria_url = (_text(criteria.get("id")) if isinstance(criteria, dict)
                    else _text(criteria) if isinstance(criteria, str) else None)

    issuer_id, issuer_name, issuer_logo, issuer_url = _issuer_parts(issuer)
    if issuer_name is None:
        issuer_name = _text(credential.get("issuer_name"))

    return CredentialDisplay(
        kind=kind,
        title=title,
        description=(_text(achievement.get("description")) or _text(credential.get("description"))
                     or _text(subject.get("endorsementComment"))),
        criteria_narrative=criteria_narrative,
        criteria_url=criteria_url,
        image=image,
        image_caption=caption,
        issuer_name=issuer_name,
        issuer_id=issuer_id,
        issuer_logo=issuer_logo,
        issuer_url=issuer_url,
        subject_id=subject_id,
        subject_name=_person_name(subject),
        achievement_type=_text(achievement.get("achievementType")),
        alignments=_alignments(achievement.get("alignment"), credential.get("alignment")),
        result_descriptions=_result_descriptions(achievement),
        results=_results(subject, achievement),
        evidence=_evidence(credential),
        valid_from=valid_from,
        valid_until=valid_until,
        awarded=_when(credential.get("awardedDate")),
        types=types,
        id=_text(credential.get("id")) or _text(credential.get("jti")),
        claims=flatten_claims(subject),
        achievements=_nested_titles(subject) if transcript else (),
    )
