"""Credential status: W3C Bitstring Status List v1.0, and the older StatusList2021 and
RevocationList2020 it grew out of.

A credential names a bit in a status list credential published by its issuer; a set bit
means the status (revoked, suspended, ...) applies. To check it we

1. read the credential's ``credentialStatus`` (one entry or a list),
2. get the list credential's bytes from ``fetch`` (the caller's cache or the network),
3. have ``verify_list`` check the list credential's proof (injected: the Data Integrity
   and JOSE verifiers live elsewhere),
4. check the list credential itself: its type, its ``statusPurpose``, its validity window
   and its issuer,
5. decode ``encodedList`` (multibase base64url of a GZIP stream) and read the bit
   (vault.credentials.bitstring).

A bad list (wrong type, expired, undecodable, bad signature) fails closed with
``Reason.STATUS_INVALID``: a list we cannot read must never read as "not revoked".
A list we cannot *get* (offline, nothing cached), or whose proof cannot be checked here
(its key or JSON-LD context is not available offline), is not a failure: the result says
``checked=False`` with a ``STATUS_UNCHECKED`` warning, so the user sees "not checked"
instead of a red X for something that is only unreachable.

Spec: https://www.w3.org/TR/vc-bitstring-status-list/ (W3C Recommendation, May 2025);
StatusList2021: https://www.w3.org/TR/2023/WD-vc-status-list-20230427/;
RevocationList2020: https://w3c-ccg.github.io/vc-status-rl-2020/ (revocation only: its
entries and lists name no purpose, and its fields are revocationListIndex/-Credential).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import Callable

from .bitstring import (MAX_LIST_BYTES, MIN_LIST_BITS, b64decode, decode_status_list,  # noqa: F401
                        encode_status_list, read_status)
from .verdict import CredentialFailure, Reason, Warning_, WarningCode
from ..errors import VaultError
from .. import safejson

log = logging.getLogger(__name__)

__all__ = [
    "MIN_LIST_BITS", "MAX_LIST_BYTES", "StatusWarning", "StatusEntry", "EntryResult",
    "StatusResult", "status_entries", "check_status", "decode_status_list",
    "encode_status_list", "read_status", "status_list_credential", "parse_datetime",
]

# A larger statusSize than this is not a status, it is a payload; the spec's examples use
# 1 and 2 bits. Capping it bounds the work of reading one entry.
_MAX_STATUS_SIZE = 64

Fetch = Callable[[str], "bytes | None"]
VerifyList = Callable[[bytes], None]

# The entry, list credential and list (subject) types we read. We
# accept any family's list for any family's entry: the bits mean the same thing,
# and the list's signature and issuer are checked whatever its name.
_RL2020_ENTRY = "RevocationList2020Status"
_ENTRY_TYPES = {"BitstringStatusListEntry", "StatusList2021Entry", _RL2020_ENTRY}
_LIST_CREDENTIAL_TYPES = {"BitstringStatusListCredential", "StatusList2021Credential",
                          "RevocationList2020Credential"}
_LIST_SUBJECT_TYPES = {"BitstringStatusList", "StatusList2021", "RevocationList2020"}
# Purposes whose set bit is a verdict; any other purpose (message, refresh, ...) is
# reported to the user, never a failure.
_VERDICT_PURPOSES = {"revocation", "suspension"}


class StatusWarning(str, Enum):
    """Status findings that are worth telling the user but do not fail the credential.

    ``verdict.WarningCode`` has no member for these yet; these are str enums with the same
    ``.value`` contract, so ``Warning_(StatusWarning.X, ...).to_json()`` works as-is. They
    can move into ``WarningCode`` unchanged.
    """
    ISSUER_MISMATCH = "status-issuer-mismatch"      # list issuer != credential issuer
    SHORT_LIST = "status-list-short"                # fewer than 131,072 entries
    STATUS_MESSAGE = "status-message"               # a 'message' (or other) purpose entry is set


@dataclass(frozen=True)
class StatusEntry:
    """One ``credentialStatus`` entry of a supported type, parsed and validated."""
    type: str
    purpose: str
    index: int
    list_url: str
    size: int = 1                         # statusSize: bits per entry
    messages: tuple[tuple[int, str], ...] = ()   # statusMessage: (status value, message)
    id: str | None = None


@dataclass(frozen=True)
class EntryResult:
    entry: StatusEntry
    checked: bool
    value: int | None = None              # the entry's bits read as an unsigned integer
    message: str | None = None            # statusMessage text for `value`, if the list has one
    list_id: str | None = None
    list_issuer: str | None = None
    list_valid_until: datetime | None = None
    ttl_ms: int | None = None             # the list's `ttl` hint (milliseconds) for caches
    reason: str | None = None             # why it was not checked (offline, list proof unverifiable...)

    @property
    def set(self) -> bool | None:
        return None if self.value is None else self.value != 0

    def to_json(self) -> dict:
        return {"type": self.entry.type, "purpose": self.entry.purpose,
                "index": self.entry.index, "statusListCredential": self.entry.list_url,
                "checked": self.checked, "value": self.value, "message": self.message,
                **({"reason": self.reason} if self.reason else {})}


@dataclass
class StatusResult:
    revoked: bool = False
    suspended: bool = False
    checked: bool = True        # every status entry was checked (True when there is none)
    entries: list[EntryResult] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)   # why not, one phrase per list or method

    @property
    def messages(self) -> list[str]:
        """Human-readable status messages from set non-verdict entries (purpose message...)."""
        return [r.message or f"{r.entry.purpose} status {r.value:#x}"
                for r in self.entries
                if r.set and r.entry.purpose not in _VERDICT_PURPOSES]

    def to_json(self) -> dict:
        return {"revoked": self.revoked, "suspended": self.suspended, "checked": self.checked,
                "unchecked": list(self.unchecked), "entries": [e.to_json() for e in self.entries],
                "warnings": [w.to_json() for w in self.warnings]}


# ---------------------------------------------------------------------------- entries

def _invalid(message: str) -> CredentialFailure:
    return CredentialFailure(Reason.STATUS_INVALID, message)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(value) -> list[str]:
    return [t for t in _as_list(value) if isinstance(t, str)]


def _non_negative_int(value, what: str) -> int:
    # The spec wants a string ("94567"); integers are common in the wild (the 1EdTech
    # validator's own fixture uses 23). Booleans and floats are not indexes.
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{1,20}", value.strip()):
        number = int(value.strip())
    else:
        raise _invalid(f"The credential's status entry has an invalid {what}: {value!r}.")
    if number < 0:
        raise _invalid(f"The credential's status entry has a negative {what}: {number}.")
    return number


def _parse_messages(value) -> tuple[tuple[int, str], ...]:
    out = []
    for item in _as_list(value):
        if not isinstance(item, dict):
            continue
        status, message = item.get("status"), item.get("message")
        if not isinstance(message, str):
            continue
        try:
            number = int(status, 16) if isinstance(status, str) else int(status)
        except (TypeError, ValueError):
            continue
        out.append((number, message))
    return tuple(out)


def _parse_entry(raw: dict) -> StatusEntry:
    entry_type = next(t for t in _types(raw.get("type")) if t in _ENTRY_TYPES)
    # RevocationList2020 only revokes, and names its fields after that.
    legacy = entry_type == _RL2020_ENTRY
    list_key, index_key = (("revocationListCredential", "revocationListIndex") if legacy
                           else ("statusListCredential", "statusListIndex"))
    purpose = "revocation" if legacy else raw.get("statusPurpose")
    if not isinstance(purpose, str) or not purpose:
        raise _invalid("The credential's status entry has no statusPurpose.")
    url = raw.get(list_key)
    if not isinstance(url, str) or not url.strip():
        raise _invalid("The credential's status entry does not say where its status list "
                       f"is (no {list_key}).")
    if index_key not in raw:
        raise _invalid(f"The credential's status entry has no {index_key}.")
    index = _non_negative_int(raw.get(index_key), index_key)
    size = 1
    if raw.get("statusSize") is not None:
        size = _non_negative_int(raw.get("statusSize"), "statusSize")
        if not 1 <= size <= _MAX_STATUS_SIZE:
            raise _invalid(f"The credential's status entry has an unusable statusSize {size}.")
    entry_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    return StatusEntry(type=entry_type, purpose=purpose, index=index, list_url=url.strip(),
                       size=size, messages=_parse_messages(raw.get("statusMessage")),
                       id=entry_id)


def _split_entries(credential: dict) -> tuple[list[StatusEntry], list[dict]]:
    supported, unsupported = [], []
    for raw in _as_list(credential.get("credentialStatus") if isinstance(credential, dict)
                        else None):
        if not isinstance(raw, dict):
            raise _invalid("The credential's credentialStatus is not an object.")
        if any(t in _ENTRY_TYPES for t in _types(raw.get("type"))):
            supported.append(_parse_entry(raw))
        else:
            unsupported.append(raw)
    return supported, unsupported


def status_entries(credential: dict) -> list[StatusEntry]:
    """The supported status entries of ``credential`` (e.g. to know which lists to cache).

    Raises CredentialFailure(STATUS_INVALID) for an entry of a supported type that is
    malformed (no list URL, a negative or non-numeric index...).
    """
    return _split_entries(credential)[0]


def status_list_credential(*, id: str, issuer: "str | dict", encoded_list: str,
                           purpose: str = "revocation", valid_from: "datetime | str | None" = None,
                           valid_until: "datetime | str | None" = None,
                           ttl_ms: int | None = None, legacy: bool = False) -> dict:
    """An unsigned BitstringStatusListCredential (VC 2.0), ready for a proof.

    ``legacy=True`` builds a StatusList2021Credential (VC 1.1 names) instead.
    """
    def stamp(value):
        if isinstance(value, datetime):
            value = value.astimezone(timezone.utc) if value.tzinfo else value
            return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
        return value

    subject = {"id": f"{id}#list",
               "type": "StatusList2021" if legacy else "BitstringStatusList",
               "statusPurpose": purpose, "encodedList": encoded_list}
    if ttl_ms is not None:
        subject["ttl"] = ttl_ms
    if legacy:
        credential = {
            "@context": ["https://www.w3.org/2018/credentials/v1",
                         "https://w3id.org/vc/status-list/2021/v1"],
            "id": id, "type": ["VerifiableCredential", "StatusList2021Credential"],
            "issuer": issuer,
            "issuanceDate": stamp(valid_from or datetime.now(timezone.utc)),
        }
        if valid_until is not None:
            credential["expirationDate"] = stamp(valid_until)
    else:
        credential = {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": id, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer,
        }
        if valid_from is not None:
            credential["validFrom"] = stamp(valid_from)
        if valid_until is not None:
            credential["validUntil"] = stamp(valid_until)
    credential["credentialSubject"] = subject
    return credential


# ------------------------------------------------------------------ the list credential

def parse_datetime(value) -> datetime | None:
    """An XSD dateTime (VC validFrom etc.) -> an aware datetime; None if it is not one.

    A value without a zone is read as UTC (VC 1.1 examples often omit it).
    """
    if not isinstance(value, str) or not 8 <= len(value.strip()) <= 64:
        return None
    text = value.strip()
    if text[-1] in "zZ":
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _issuer_id(issuer) -> str | None:
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, dict) and isinstance(issuer.get("id"), str):
        return issuer["id"]
    return None


def _jwt_payload(text: str) -> dict | None:
    """The payload of a compact JWS (the list credential secured as VC-JWT / VC-JOSE).

    The signature was checked by ``verify_list``; here we only need the content. A VC 1.1
    JWT carries the credential in ``vc`` with iss/nbf/exp standing for its properties.
    """
    parts = text.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = safejson.loads(b64decode(parts[1]))
    except (ValueError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    if isinstance(payload.get("vc"), dict):
        credential = dict(payload["vc"])
        if "issuer" not in credential and isinstance(payload.get("iss"), str):
            credential["issuer"] = payload["iss"]
        if "id" not in credential and isinstance(payload.get("jti"), str):
            credential["id"] = payload["jti"]
        for claim, key in (("nbf", "issuanceDate"), ("exp", "expirationDate")):
            if key not in credential and isinstance(payload.get(claim), (int, float)):
                try:
                    moment = datetime.fromtimestamp(payload[claim], timezone.utc)
                except (OverflowError, OSError, ValueError):
                    continue
                credential[key] = moment.isoformat()
        return credential
    return payload


def _load_list(raw: bytes, url: str) -> dict:
    try:
        text = raw.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise _invalid(f"The status list at {url} is not text.") from None
    if text.startswith("{"):
        try:
            document = safejson.loads(text)
        except (ValueError, RecursionError):    # RecursionError: absurdly deep nesting
            document = None
    else:
        document = _jwt_payload(text)
    if not isinstance(document, dict):
        raise _invalid(f"The status list at {url} is not a credential (neither JSON nor a JWT).")
    return document


@dataclass
class _List:
    id: str | None
    issuer: str | None
    purposes: list[str]
    bitstring: bytes
    valid_until: datetime | None
    ttl_ms: int | None


def _check_list(document: dict, url: str, now: datetime) -> _List:
    types = _types(document.get("type"))
    if not _LIST_CREDENTIAL_TYPES.intersection(types):
        raise _invalid(f"The status list at {url} is not a status list credential "
                       f"(its type is {', '.join(types) or 'missing'}).")

    # Validity window: VC 2.0 validFrom/validUntil, VC 1.1 issuanceDate/expirationDate.
    window = {}
    for key in ("validFrom", "validUntil", "issuanceDate", "expirationDate"):
        if document.get(key) is None:
            continue
        moment = parse_datetime(document[key])
        if moment is None:
            raise _invalid(f"The status list at {url} has an unreadable {key}: "
                           f"{document[key]!r}.")
        window[key] = moment
    starts = [window[k] for k in ("validFrom", "issuanceDate") if k in window]
    ends = [window[k] for k in ("validUntil", "expirationDate") if k in window]
    if starts and now < max(starts):
        raise _invalid(f"The status list at {url} is not valid until "
                       f"{max(starts).isoformat()}.")
    if ends and now > min(ends):
        raise _invalid(f"The status list at {url} expired on {min(ends).isoformat()}.")

    subjects = [s for s in _as_list(document.get("credentialSubject")) if isinstance(s, dict)]
    subjects = [s for s in subjects if "encodedList" in s] or subjects
    if len(subjects) != 1:
        raise _invalid(f"The status list at {url} has no single list in its credentialSubject.")
    subject = subjects[0]
    subject_types = _types(subject.get("type"))
    if subject_types and not _LIST_SUBJECT_TYPES.intersection(subject_types):
        raise _invalid(f"The status list at {url} holds a {', '.join(subject_types)}, "
                       "not a BitstringStatusList.")
    purposes = _types(subject.get("statusPurpose"))
    if not purposes and ("RevocationList2020" in subject_types
                         or "RevocationList2020Credential" in types):
        purposes = ["revocation"]          # a RevocationList2020 names no purpose: it revokes
    if not purposes:
        raise _invalid(f"The status list at {url} does not say what it is for "
                       "(no statusPurpose).")
    try:
        bitstring = decode_status_list(subject.get("encodedList"))
    except ValueError as exc:
        raise _invalid(f"The status list at {url} cannot be decoded: {exc}.") from None
    ttl = subject.get("ttl")
    ttl = ttl if isinstance(ttl, int) and not isinstance(ttl, bool) and ttl >= 0 else None
    list_id = document.get("id") if isinstance(document.get("id"), str) else None
    return _List(id=list_id, issuer=_issuer_id(document.get("issuer")), purposes=purposes,
                 bitstring=bitstring, valid_until=min(ends) if ends else None, ttl_ms=ttl)


# ----------------------------------------------------------------------------- check

# verify_list failures that mean "cannot be checked here" rather than "this list is bad":
# its key or context is not available offline, or it is secured in a way we do not verify.
# The list is then not used at all, so this never reads as "not revoked"; the credential
# gets the same STATUS_UNCHECKED warning as when the list is offline. A bad signature, a
# wrong key, tampering or no proof at all make the list invalid.
_UNCHECKABLE = {Reason.UNKNOWN_KEY: "its signer's key is not known here",
                Reason.UNKNOWN_CONTEXT: "it uses a JSON-LD context this vault does not hold",
                Reason.UNSUPPORTED_CRYPTOSUITE: "unsupported suite",
                Reason.UNSUPPORTED_FORMAT: "unsupported format"}


def _get_list(url: str, fetch: Fetch, verify_list: VerifyList, now: datetime) -> _List | str:
    try:
        raw = fetch(url)
    except VaultError as exc:      # the fetcher says why: offline, refused, too many lists
        return str(exc)
    except OSError:
        log.debug("a status list could not be fetched", exc_info=True)
        raw = None
    if raw is None:
        return f"the status list at {url} is not cached and could not be fetched (offline?)."
    raw = bytes(raw)
    try:
        verify_list(raw)
    except CredentialFailure as exc:
        if exc.reason in _UNCHECKABLE:
            return (f"the status list's own proof could not be verified ({_UNCHECKABLE[exc.reason]}): "
                    f"{url}: {exc.message}")
        raise _invalid(f"The status list at {url} failed verification: {exc.message}") from None
    return _check_list(_load_list(raw, url), url, now)


def _warn_about_list(status_list: "_List", url: str, credential_issuer: str | None, warn) -> int:
    """Say what is odd about a list that does not change what its bits mean; its size in bits."""
    if (credential_issuer is not None and status_list.issuer is not None
            and status_list.issuer != credential_issuer):
        # The spec says the issuers SHOULD match, not MUST: a separate status service
        # is legitimate, so this is reported, not failed. The list's own proof was
        # checked by verify_list.
        warn(StatusWarning.ISSUER_MISMATCH, url,
             f"The status list at {url} was issued by {status_list.issuer}, not by the "
             f"credential's issuer {credential_issuer}.")
    bits = len(status_list.bitstring) * 8
    if bits < MIN_LIST_BITS:
        # The 131,072-entry minimum is a herd-privacy requirement on issuers; it does
        # not change what a bit means. Deployed lists smaller than that exist (the
        # Digital Credentials Consortium's test lists have 100,000 entries), and
        # rejecting them would mark genuine, unrevoked credentials invalid — the "red X
        # for nothing" we avoid. So we read the bit and say the list is weak.
        warn(StatusWarning.SHORT_LIST, url,
             f"The status list at {url} has only {bits:,} entries (the minimum is "
             f"{MIN_LIST_BITS:,}), so it protects its holders' privacy less than it should.")
    return bits


def check_status(credential: dict, *, fetch: Fetch, verify_list: VerifyList,
                 now: datetime) -> StatusResult:
    """Check every status entry of ``credential``.

    ``fetch(url)`` returns the list credential's bytes (from the vault's cache, or the
    network when online), or None / an OSError / a VaultError saying why when it cannot
    be had. ``verify_list(raw_bytes)`` checks the list credential's proof and raises
    CredentialFailure when it does not verify: UNKNOWN_KEY / UNKNOWN_CONTEXT /
    UNSUPPORTED_* leave the entry unchecked (with a warning), any other reason makes
    the list invalid. ``now`` is an aware datetime.

    Returns a StatusResult (revoked / suspended flags, one EntryResult per supported
    entry, warnings). Raises CredentialFailure(STATUS_INVALID) when a status entry or a
    list is bad. Revocation is reported, not raised: the caller turns it into a verdict.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    result = StatusResult()
    entries, unsupported = _split_entries(credential)
    credential_issuer = _issuer_id(credential.get("issuer"))

    for raw in unsupported:
        kind = ", ".join(_types(raw.get("type"))) or "untyped"
        result.checked = False
        result.unchecked.append(f"it uses a status method the vault cannot check ({kind}).")
        result.warnings.append(Warning_(
            WarningCode.STATUS_UNCHECKED,
            f"This credential uses a status method the vault cannot check ({kind}), so "
            "whether it was revoked is unknown."))

    # url -> the checked list, or the sentence saying why it could not be checked.
    lists: dict[str, _List | str] = {}
    warned: set[tuple[str, str]] = set()

    def warn(code, url: str, message: str) -> None:
        if (code.value, url) not in warned:
            warned.add((code.value, url))
            result.warnings.append(Warning_(code, message))

    for entry in entries:
        url = entry.list_url
        if url not in lists:
            lists[url] = _get_list(url, fetch, verify_list, now)
        status_list = lists[url]

        if isinstance(status_list, str):
            result.checked = False
            result.entries.append(EntryResult(entry=entry, checked=False, reason=status_list))
            if status_list not in result.unchecked:
                result.unchecked.append(status_list)
            warn(WarningCode.STATUS_UNCHECKED, url,
                 f"Could not check the {entry.purpose} status: {status_list}")
            continue

        if entry.purpose not in status_list.purposes:
            raise _invalid(f"The status list at {url} is a {'/'.join(status_list.purposes)} "
                           f"list, but the credential uses it for {entry.purpose}.")
        bits = _warn_about_list(status_list, url, credential_issuer, warn)
        try:
            value = read_status(status_list.bitstring, entry.index, entry.size)
        except IndexError:
            raise _invalid(f"The credential's status index {entry.index} is outside the "
                           f"{bits:,}-bit status list at {url}.") from None
        message = dict(entry.messages).get(value)
        result.entries.append(EntryResult(
            entry=entry, checked=True, value=value, message=message, list_id=status_list.id,
            list_issuer=status_list.issuer, list_valid_until=status_list.valid_until,
            ttl_ms=status_list.ttl_ms))
        if value and entry.purpose == "revocation":
            result.revoked = True
        elif value and entry.purpose == "suspension":
            result.suspended = True
        elif value:
            warn(StatusWarning.STATUS_MESSAGE, f"{url}#{entry.index}",
                 f"Status ({entry.purpose}): {message or f'value {value:#x}'}.")
    return result
