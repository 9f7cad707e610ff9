"""The W3C data model's MUSTs, checked on every credential and presentation we verify.

"Verifiable Credentials Data Model v2.0" (§4, §5.3, §5.5-5.6, §4.13) and, where the first
@context is the 1.1 one, "v1.1" (§4). A signature proves who said something; these checks
say whether what was said is a credential at all: an issuer that is no URL, a subject
without claims, a date without a time zone are refusals, each naming the property, never
guesses. They are plain JSON checks: JSON-LD meaning (terms mapping to URLs, protected
terms) is checked where documents are expanded (``jsonld``).

Enveloped credentials and presentations (§4.13.1-2): an object whose ``id`` is a ``data:``
URL carrying a secured credential (VC-JOSE-COSE). The envelope is ``@context``, ``type`` and
``id`` only: nothing outside the signed payload may ride along; its media type says which
format the payload must be.

    check_credential(credential)      -> None, or CredentialFailure(MALFORMED, "... names the property")
    check_presentation(presentation)  -> the same for a presentation (the envelope of its credentials)
    read_envelope(document, kind)     -> (payload kind "jwt" | "sd-jwt" | "json", payload text)
    data_url(value, what)             -> (media type, content)
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
from typing import Any

from .verdict import CredentialFailure, Reason

__all__ = ["V1", "V2", "ENVELOPED_VC", "ENVELOPED_VP", "check_credential", "check_presentation",
           "data_url", "is_url", "model_of", "read_envelope", "types_of"]

V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"

# Media types of enveloped credentials and presentations, and what their payload must be.
# ("vc-ld+jwt" is an earlier draft's name the W3C test suite still uses; "jwt" is RFC 7519's.)
ENVELOPED_VC = {"application/vc+jwt": "jwt", "application/vc+ld+jwt": "jwt", "application/vc-ld+jwt": "jwt",
                "application/jwt": "jwt", "application/vc+sd-jwt": "sd-jwt", "application/dc+sd-jwt": "sd-jwt",
                "application/vc+ld+sd-jwt": "sd-jwt", "application/vc": "json", "application/vc+ld+json": "json"}
ENVELOPED_VP = {"application/vp+jwt": "jwt", "application/vp+ld+jwt": "jwt", "application/vp-ld+jwt": "jwt",
                "application/jwt": "jwt"}
_ENVELOPE_TYPES = {"credential": "EnvelopedVerifiableCredential", "presentation": "EnvelopedVerifiablePresentation"}
_ENVELOPE_KEYS = {"@context", "id", "type"}

# A URL (WHATWG / RFC 3986): a scheme, a colon, no white space. DIDs and urn:uuid are URLs.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f]+")
# XML Schema 1.1 dateTimeStamp (a time zone is required) and dateTime (it is optional, 1.1).
_DATE = r"-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = r"T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_ZONE = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
_DATE_TIME_STAMP = re.compile(_DATE + _TIME + _ZONE)
_DATE_TIME = re.compile(_DATE + _TIME + _ZONE + "?")
_LANGUAGE_KEYS = {"@value", "@language", "@direction"}
_MAX_ITEMS = 1_000   # a property with more values than this is not one a person wrote


def is_url(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 8_192 and _URL.fullmatch(value) is not None


def _fail(message: str) -> CredentialFailure:
    return CredentialFailure(Reason.MALFORMED, message)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _values(value: Any) -> list:
    """A property's values: JSON-LD lets one value stand for a set of one."""
    values = value if isinstance(value, list) else [value]
    if len(values) > _MAX_ITEMS:
        raise _fail(f"A property has {len(values)} values; at most {_MAX_ITEMS} are read.")
    return values


def _contexts(document: dict) -> list:
    return _values(document.get("@context")) if "@context" in document else []


def types_of(document: Any) -> list:
    types = document.get("type") if isinstance(document, dict) else None
    return [types] if isinstance(types, str) else types if isinstance(types, list) else []


def model_of(document: Any) -> str | None:
    """'2.0', '1.1' or None: which data model the document's first @context names."""
    if not isinstance(document, dict):
        return None
    contexts = _contexts(document)
    first = contexts[0] if contexts else None
    return "2.0" if first == V2 else "1.1" if first == V1 else None


# ----------------------------------------------------------------------------- pieces

def _check_context(document: dict, noun: str, *, allow_v1: bool = True) -> str:
    """§4.3: @context is present, an ordered set whose first item is the base context,
    then URLs and/or context objects. Returns the data model it names."""
    if "@context" not in document:
        raise _fail(f"The {noun}'s @context is missing.")
    contexts = _contexts(document)
    if not contexts:
        raise _fail(f"The {noun}'s @context is empty; it must start with {V2}.")
    model = model_of(document)
    if model is None or (model == "1.1" and not allow_v1):
        bases = f"{V2} (or {V1})" if allow_v1 else V2
        raise _fail(f"The {noun}'s @context must start with {bases}; its first item is "
                    f"{_short(contexts[0])}.")
    for item in contexts[1:]:
        if isinstance(item, str):
            if not is_url(item):
                raise _fail(f"The {noun}'s @context names {_short(item)}, which is not a URL.")
        elif not isinstance(item, dict):
            raise _fail(f"The {noun}'s @context holds {_short(item)}; each item must be a URL or a "
                        "context object.")
    return model


def _check_types(document: dict, noun: str, required: str) -> None:
    """§4.5: type is present, terms and/or URLs, one of them ``required``."""
    if "type" not in document:
        raise _fail(f"The {noun}'s type is missing; it must include {required}.")
    types = _values(document["type"])
    if not types or not all(isinstance(t, str) and t for t in types):
        raise _fail(f"The {noun}'s type must be one or more names (strings); it is {_short(document['type'])}.")
    if required not in types:
        raise _fail(f"The {noun}'s type does not include {required} (it is {', '.join(types)[:120]}).")


def _check_id(value: Any, what: str) -> None:
    """§4.4: an id, when present, is a single URL."""
    if isinstance(value, list):
        raise _fail(f"The {what} id has {len(value)} values; it must be a single URL.")
    if not is_url(value):
        raise _fail(f"The {what} id {_short(value)} is not a URL.")


def _check_optional_id(document: dict, what: str) -> None:
    if "id" in document:
        _check_id(document["id"], what)


def _check_party(value: Any, what: str) -> None:
    """issuer / holder: a URL, or an object whose id is a URL."""
    if isinstance(value, dict):
        if "id" not in value:
            raise _fail(f"The {what} is an object without an id; its id must be a URL.")
        _check_id(value["id"], what)
        _check_texts(value, what)
    elif isinstance(value, str):
        if not is_url(value):
            raise _fail(f"The {what} {_short(value)} is not a URL.")
    else:
        raise _fail(f"The {what} must be a URL or an object with a URL id; it is {_short(value)}.")


def _check_texts(document: dict, noun: str) -> None:
    """§4.6: name and description are strings or language value objects."""
    for name in ("name", "description"):
        if name not in document:
            continue
        for value in _values(document[name]):
            if isinstance(value, str):
                continue
            if (not isinstance(value, dict) or not isinstance(value.get("@value"), str)
                    or not set(value) <= _LANGUAGE_KEYS
                    or not all(isinstance(value[k], str) for k in value)):
                raise _fail(f"The {noun}'s {name} must be text, or a value object with @value and "
                            f"optional @language and @direction; it holds {_short(value)}.")


def _check_objects(document: dict, name: str, noun: str, *, need_type: bool = True,
                   need_id: bool = False) -> list[dict]:
    """A property whose values are objects, each with a type (and an id, if asked)."""
    if name not in document:
        return []
    values = _values(document[name])
    if not values:
        raise _fail(f"The {noun}'s {name} is empty.")
    for value in values:
        if not isinstance(value, dict):
            raise _fail(f"The {noun}'s {name} must hold objects; it holds {_short(value)}.")
        if need_id and "id" not in value:
            raise _fail(f"The {noun}'s {name} has no id.")
        if "id" in value:
            _check_id(value["id"], f"{noun}'s {name}")
        if need_type:
            types = _values(value.get("type")) if "type" in value else []
            if not types or not all(isinstance(t, str) and t for t in types):
                raise _fail(f"The {noun}'s {name} has no type; each of its objects must say its type.")
    return values


def _check_date(document: dict, name: str, noun: str, *, stamp: bool) -> None:
    if name not in document:
        return
    value = document[name]
    pattern = _DATE_TIME_STAMP if stamp else _DATE_TIME
    if not isinstance(value, str) or not pattern.fullmatch(value):
        kind = "an XML Schema dateTimeStamp (e.g. 2025-01-01T00:00:00Z, with a time zone)" if stamp \
            else "an XML Schema dateTime (e.g. 2025-01-01T00:00:00Z)"
        raise _fail(f"The {noun}'s {name} {_short(value)} is not {kind}.")


def _check_subjects(credential: dict) -> None:
    """§4.8: credentialSubject is present: one or more objects, each with claims."""
    if "credentialSubject" not in credential:
        raise _fail("The credential's credentialSubject is missing.")
    subjects = _values(credential["credentialSubject"])
    if not subjects:
        raise _fail("The credential's credentialSubject is empty.")
    for subject in subjects:
        if not isinstance(subject, dict):
            raise _fail(f"The credential's credentialSubject must be an object; it holds {_short(subject)}.")
        if not subject:
            raise _fail("The credential's credentialSubject holds an empty object: a subject makes "
                        "one or more claims.")
        if "id" in subject:
            _check_id(subject["id"], "credentialSubject's")


def _check_related(credential: dict) -> None:
    """§5.3: relatedResource: objects with a unique URL id and a digest."""
    resources = _check_objects(credential, "relatedResource", "credential", need_type=False, need_id=True)
    seen: set[str] = set()
    for resource in resources:
        if resource["id"] in seen:
            raise _fail(f"The credential's relatedResource names {_short(resource['id'])} twice.")
        seen.add(resource["id"])
        if not any(isinstance(resource.get(k), str) for k in ("digestSRI", "digestMultibase")):
            raise _fail(f"The credential's relatedResource {_short(resource['id'])} has no digestSRI or "
                        "digestMultibase.")


# ----------------------------------------------------------------------------- public

def check_credential(credential: Any) -> None:
    """The data model's MUSTs for a (decoded) credential; MALFORMED naming the property."""
    if not isinstance(credential, dict):
        raise _fail("The credential is not a JSON object.")
    model = _check_context(credential, "credential")
    _check_types(credential, "credential", "VerifiableCredential")
    _check_optional_id(credential, "credential's")
    if "issuer" not in credential:
        raise _fail("The credential's issuer is missing.")
    _check_party(credential["issuer"], "credential's issuer")
    _check_subjects(credential)
    _check_texts(credential, "credential")
    if model == "2.0":
        _check_date(credential, "validFrom", "credential", stamp=True)
        _check_date(credential, "validUntil", "credential", stamp=True)
    else:
        if "issuanceDate" not in credential:
            raise _fail("The credential's issuanceDate is missing (a 1.1 credential must state it).")
        _check_date(credential, "issuanceDate", "credential", stamp=False)
        _check_date(credential, "expirationDate", "credential", stamp=False)
    _check_objects(credential, "credentialStatus", "credential", need_id=model == "1.1")
    _check_objects(credential, "credentialSchema", "credential", need_id=True)
    for name in ("termsOfUse", "evidence", "refreshService"):
        _check_objects(credential, name, "credential")
    if model == "2.0":
        _check_related(credential)


def check_presentation(presentation: Any) -> None:
    """The data model's MUSTs for a presentation (§4.13); its credentials are checked when
    each is verified."""
    if not isinstance(presentation, dict):
        raise _fail("The presentation is not a JSON object.")
    model = _check_context(presentation, "presentation")
    _check_types(presentation, "presentation", "VerifiablePresentation")
    _check_optional_id(presentation, "presentation's")
    if "holder" in presentation:
        _check_party(presentation["holder"], "presentation's holder")
    if "verifiableCredential" not in presentation:
        return
    for index, entry in enumerate(_values(presentation["verifiableCredential"]), 1):
        if isinstance(entry, dict):
            continue
        # 1.1 JWT presentations carry VC-JWTs as strings; 2.0 wraps them in envelopes.
        if model == "1.1" and isinstance(entry, str):
            continue
        raise _fail(f"The presentation's verifiableCredential {index} is {_short(entry)[:40]}; each must be "
                    "a credential object (an enveloped one for a JWT).")


def data_url(value: Any, what: str) -> tuple[str, str]:
    """(media type, content) of an RFC 2397 ``data:`` URL."""
    if not isinstance(value, str) or not value.startswith("data:") or "," not in value:
        raise _fail(f"The {what}'s id is not a data: URL (RFC 2397).")
    header, body = value[5:].split(",", 1)
    media, *params = header.split(";")
    if "base64" in (p.strip().lower() for p in params):
        try:
            body = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            raise _fail(f"The {what}'s data: URL is not valid base64.") from None
    elif "%" in body:
        body = urllib.parse.unquote(body)
    return media.strip().lower(), body.strip()


def read_envelope(document: dict, kind: str) -> tuple[str, str]:
    """An enveloped credential or presentation (``kind``): checks the envelope and returns
    (the payload's kind: "jwt", "sd-jwt" or "json"; the payload)."""
    noun = f"enveloped {kind}"
    wanted = _ENVELOPE_TYPES[kind]
    media_types = ENVELOPED_VC if kind == "credential" else ENVELOPED_VP
    if "@context" not in document or not _contexts(document):
        raise _fail(f"The {noun}'s @context is missing; it must name {V2}.")
    if model_of(document) != "2.0":
        raise _fail(f"The {noun}'s @context must start with {V2}, which defines {wanted}.")
    types = _values(document.get("type")) if "type" in document else []
    if types != [wanted]:
        raise _fail(f"The {noun}'s type must be {wanted}; it is {_short(document.get('type'))}.")
    extra = sorted(set(document) - _ENVELOPE_KEYS)
    if extra:
        raise _fail(f"The {noun} carries {', '.join(map(str, extra))[:120]} outside its signed payload; an "
                    "envelope is only @context, id and type.")
    media, payload = data_url(document.get("id"), noun)
    if media not in media_types:
        raise CredentialFailure(Reason.UNSUPPORTED_FORMAT, f"The {noun} is enveloped as {media[:60]!r}, "
                                "a media type this verifier does not read.")
    shape = media_types[media]
    if not payload:
        raise _fail(f"The {noun}'s data: URL is empty.")
    if shape == "json":
        if not payload.startswith("{"):
            raise _fail(f"The {noun} is said to be {media} but its payload is not JSON.")
    elif (shape == "sd-jwt") != ("~" in payload) or any(c.isspace() for c in payload) or \
            payload.split("~", 1)[0].count(".") != 2:
        what = "an SD-JWT" if shape == "sd-jwt" else "a JWT"
        raise _fail(f"The {noun} is said to be {media} but its payload is not {what}.")
    return shape, payload
