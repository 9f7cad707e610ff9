"""Verify a presentation: the verifier's side (an employer scanning the holder's QR).

Needs no vault and no passphrase: everything is checked from the presentation itself,
did:key / did:jwk resolution and the bundled JSON-LD contexts; a ``VerificationContext``
may add cached DID documents, a trust list and status lists.

Three inputs are recognised:

* a VC 2.0 ``VerifiablePresentation`` with Data Integrity proof(s) (JSON): every proof
  must verify for ``proofPurpose: authentication`` with this verifier's ``challenge``
  and ``domain``, not be past its ``expires``, and be by a key of the ``holder``;
* a presentation JWT (``vp`` claim, or ``typ: vp+jwt``; also as an
  ``EnvelopedVerifiablePresentation``): signed by the holder (``iss``), ``nonce`` =
  challenge, ``aud`` includes domain, ``exp`` / ``nbf``;
* a bare SD-JWT VC with a key-binding JWT (``nonce`` = challenge, ``aud`` = domain, ``iat``
  no older than DEFAULT_EXPIRES_IN, nor ahead beyond clock skew; inside a presentation,
  no older than that presentation lives); an SD-JWT without one proves nothing about who
  presents it, or to whom: NO_PROOF.

A JSON presentation with no proof at all (the Learner Credential Wallet shares unsigned
ones as QR codes) is reported as an unsigned presentation, NO_PROOF, and its credentials
are still verified one by one, bound to no holder.

Then every embedded credential is verified as ``vault.credentials.verify.check`` verifies
a credential on its own (signature, status, validity window, trust), and must be bound
to the holder: its subject id equals the holder (else NOT_HOLDERS, "issued to X, presented
by Y", citing the verifier policy POLICY_PRESENTER_IS_SUBJECT; where a verifier waives it,
a ``presented-by-other`` warning instead); without a subject id, an SD-JWT's ``cnf`` key must be the holder's; a credential
with neither is accepted with a ``not-holder-bound`` warning. An SD-JWT inside a
presentation must carry a key-binding JWT for the same challenge and domain when it has
``cnf``. The first failure, in that order (presentation, then credentials in order), is
the presentation's reason; every credential is still listed.

A replayed presentation carries the challenge it was made for, not this verifier's new
one: WRONG_CHALLENGE.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from .. import safejson
from ..credentials import data_integrity, jose, jwt_vc, vcdm
from ..credentials.keys import cached_document, did_of, public_key_from_method
from ..credentials.verdict import CredentialFailure, Reason, StatusLine, Warning_, WarningCode
from ..credentials.verify import (FORMAT_SD_JWT, MAX_INPUT_BYTES, CheckedCredential,
                                  VerificationContext, check, status_urls)
from ..did import did_jwk, resolver
from .build import DEFAULT_EXPIRES_IN

log = logging.getLogger(__name__)

__all__ = ["CredentialResult", "PresentationVerdict", "verify_presentation",
           "FORMAT_DI_VP", "FORMAT_JWT_VP", "FORMAT_SD_JWT_KB"]

FORMAT_DI_VP = "di-vp"
FORMAT_JWT_VP = "jwt-vp"
FORMAT_SD_JWT_KB = "sd-jwt-vc"
NBF_LEEWAY = timedelta(seconds=60)         # a verifier's clock a little behind the holder's
KB_MAX_AGE = DEFAULT_EXPIRES_IN            # a bare SD-JWT+KB states no expiry: ours live this long
# A verifier policy, not a data-model rule: VCDM 2.0 lets anyone present a credential
# (§5.8 "holder is not the subject"), but an employer checking a diploma must see who it
# was issued to. On by default; a verdict refused by it names it.
POLICY_PRESENTER_IS_SUBJECT = "presenter-is-subject"
_POLICY_WORDS = "verifier policy: the presenter must be the subject"
# Credential verdicts whose signature did verify: their claims may be shown, marked.
_SIGNED_BUT = {Reason.VALID, Reason.EXPIRED, Reason.NOT_YET_VALID, Reason.REVOKED, Reason.SUSPENDED}
_SD_JWT_METADATA = frozenset({"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "cnf", "vct", "vct#integrity",
                              "status", "_sd", "_sd_alg", "issuer_name"})


@dataclass
class CredentialResult:
    index: int                       # 1-based position in the presentation
    format: str                      # di-vc / jwt-vc / sd-jwt-vc ("" if unreadable)
    issuer: str
    issuer_name: str
    title: str
    subject: str | None
    valid: bool
    reason: Reason
    message: str
    warnings: list = field(default_factory=list)    # Warning_
    disclosed: Any = field(default_factory=dict)    # the subject's claims shown (dict, or list of dicts)
    revealed: list[str] = field(default_factory=list)  # SD-JWT: the selectively disclosed claims
    key_bound: bool = False          # SD-JWT: a key-binding JWT for this verifier came with it
    anchor: str | None = None        # soulbound anchor on chain, when the chain was asked
    status: StatusLine | None = None  # revocation checked / revoked / not checked (why)

    def to_json(self) -> dict:
        return {"format": self.format, "issuer": self.issuer, "issuer_name": self.issuer_name,
                "title": self.title, "subject": self.subject, "valid": self.valid,
                "reason": self.reason.value, "message": self.message,
                "warnings": [w.to_json() for w in self.warnings], "disclosed": self.disclosed,
                "revealed": list(self.revealed), "key_bound": self.key_bound,
                **({"anchor": self.anchor} if self.anchor is not None else {}),
                **({"status": self.status.to_json()} if self.status is not None else {})}


@dataclass
class PresentationVerdict:
    valid: bool
    reason: Reason
    message: str
    holder: str | None = None        # the holder DID; when invalid, whom it claims to be from (if known)
    credentials: list[CredentialResult] = field(default_factory=list)
    warnings: list = field(default_factory=list)    # presentation-level Warning_
    format: str = ""                                # di-vp / jwt-vp / sd-jwt-vc ("" if unreadable)
    expires: datetime | None = None

    def to_json(self) -> dict:
        return {"valid": self.valid, "reason": self.reason.value, "message": self.message,
                "holder": self.holder, "credentials": [c.to_json() for c in self.credentials],
                "warnings": [w.to_json() for w in self.warnings]}


# ------------------------------------------------------------------------------ helpers

def _types(value: Any) -> list:
    types = value.get("type") if isinstance(value, dict) else None
    return [types] if isinstance(types, str) else types if isinstance(types, list) else []


def _id_of(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("id")
    if not isinstance(value, str) or not value:
        raise CredentialFailure(Reason.MALFORMED, f"The presentation's {what} is not a DID.")
    return value


def _dotted(path) -> str:
    text = ""
    for segment in path:
        text += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if text else str(segment))
    return text


def _xsd(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


class _State:
    def __init__(self):
        self.format = ""
        self.holder: str | None = None
        self.expires: datetime | None = None
        self.created: datetime | None = None  # when the holder signed it (DI proof created, JWT iat)
        self.credentials: list[CredentialResult] = []
        self.warnings: list = []

    def kb_max_age(self) -> timedelta:
        """How old a key-binding JWT inside this presentation may be: as long as the
        presentation itself lives (created to expires), at least KB_MAX_AGE."""
        if self.created is not None and self.expires is not None:
            return max(KB_MAX_AGE, self.expires - self.created)
        return KB_MAX_AGE

    def verdict(self, valid: bool, reason: Reason, message: str) -> PresentationVerdict:
        return PresentationVerdict(valid, reason, message, self.holder, self.credentials, self.warnings,
                                   self.format, self.expires)


# ------------------------------------------------------------------------------ credentials

def _disclosed(checked: CheckedCredential) -> Any:
    credential = checked.credential if isinstance(checked.credential, dict) else {}
    if checked.format == FORMAT_SD_JWT:
        return {k: v for k, v in credential.items() if k not in _SD_JWT_METADATA}
    subject = credential.get("credentialSubject")
    return subject if isinstance(subject, (dict, list)) else {}


def _result(index: int, checked: CheckedCredential) -> CredentialResult:
    verdict = checked.verdict
    display = checked.display
    shown = verdict.reason in _SIGNED_BUT
    revealed = [_dotted(d.path) for d in checked.sd_jwt.disclosures] if shown and checked.sd_jwt else []
    return CredentialResult(
        index=index, format=checked.format, issuer=checked.issuer or verdict.issuer,
        issuer_name=(display.issuer_name or "") if display else "",
        title=(display.title if display else "") or "Credential", subject=checked.subject,
        valid=verdict.valid, reason=verdict.reason, message=verdict.message, warnings=list(verdict.warnings),
        disclosed=_disclosed(checked) if shown else {}, revealed=revealed, anchor=checked.anchor,
        status=verdict.status)


def _entry_bytes(entry: Any, index: int) -> bytes:
    if isinstance(entry, dict):   # an envelope too: check() reads it (vcdm.read_envelope)
        return json.dumps(entry, ensure_ascii=False).encode("utf-8")
    if isinstance(entry, str):          # a VC-JWT as did-jwt-vc embeds it
        return entry.encode("utf-8")
    raise CredentialFailure(Reason.MALFORMED, f"Credential {index} of the presentation is neither a JSON "
                            "object nor a token.")


def _check_kb(kb, challenge: str, domain: str, title: str) -> None:
    if kb.nonce != challenge:
        raise CredentialFailure(Reason.WRONG_CHALLENGE, f"The key-binding JWT of {title!r} answers the "
                                f"challenge {kb.nonce[:80]!r}, not this verifier's ({challenge[:80]!r}): "
                                "it may be a replay of an older presentation.")
    audiences = (kb.audience,) if isinstance(kb.audience, str) else tuple(kb.audience)
    if domain not in audiences:
        raise CredentialFailure(Reason.WRONG_DOMAIN, f"The key-binding JWT of {title!r} was made for "
                                f"{', '.join(audiences)[:120]!r}, not for {domain[:80]!r}.")


def _check_kb_time(result: CredentialResult, checked: CheckedCredential | None, now: datetime,
                   max_age: timedelta) -> None:
    """RFC 9901 §7.3: the KB-JWT's iat must be recent, as other presentations' expiry is
    checked: not in the future beyond clock skew, not older than the presentation may live."""
    kb = checked.sd_jwt.key_binding if checked is not None and checked.sd_jwt is not None else None
    if not result.valid or kb is None:
        return
    made = _xsd(kb.issued_at)
    if kb.issued_at > now + NBF_LEEWAY:
        result.valid, result.reason, result.message = False, Reason.NOT_YET_VALID, (
            f"The key-binding JWT of {result.title!r} says it was made at {made}, which is in the future "
            f"by this verifier's clock ({_xsd(now)}). Check the clocks, or ask the holder for a new presentation.")
    elif kb.issued_at < now - max_age:
        result.valid, result.reason, result.message = False, Reason.EXPIRED, (
            f"The key-binding JWT of {result.title!r} was made at {made}, more than "
            f"{int(max_age.total_seconds() // 60)} minutes ago: the presentation has timed out (or is "
            "a replay). Ask the holder for a new one.")


def _holder_keys(holder: str, documents) -> list[dict]:
    """Public JWKs of the holder DID's verification methods (empty if unresolvable); a
    cached document only when it is consistent, and never for a self-certifying DID."""
    try:
        document = cached_document(holder, documents) or resolver.resolve(holder)
    except Exception:
        log.debug("the holder's DID could not be resolved", exc_info=True)
        return []
    out = []
    methods = [m for m in document.get("verificationMethod", []) if isinstance(m, dict)]
    methods += [m for m in document.get("authentication", []) if isinstance(m, dict)]
    for method in methods:
        try:
            out.append(jose.public_jwk(public_key_from_method(method)))
        except Exception:
            log.debug("a verification method of the holder is not a usable key", exc_info=True)
            continue
    return out


def _cnf_is_holders(cnf: dict, holder: str, documents) -> bool:
    kid = cnf.get("kid")
    if isinstance(kid, str):
        return kid.split("#", 1)[0] == holder
    jwk = cnf.get("jwk")
    if not isinstance(jwk, dict):
        return False
    wanted = {k: jwk.get(k) for k in ("kty", "crv", "x", "y") if k in jwk}
    return wanted in _holder_keys(holder, documents)


def _bind(checked: CheckedCredential, result: CredentialResult, holder: str | None, challenge: str,
          domain: str, context: VerificationContext) -> None:
    """The credential is the holder's, and its key binding (SD-JWT) is for this verifier."""
    title = result.title
    if checked.format == FORMAT_SD_JWT and checked.sd_jwt is not None:
        sd = checked.sd_jwt
        if sd.key_binding is not None:
            _check_kb(sd.key_binding, challenge, domain, title)
            result.key_bound = True
        elif holder is None:
            raise CredentialFailure(Reason.NO_PROOF, "The SD-JWT carries no key-binding JWT, so nothing "
                                    "shows that its holder presented it to this verifier (challenge "
                                    f"{challenge[:80]!r}); ask for a presentation with key binding.")
        elif sd.cnf is not None:
            raise CredentialFailure(Reason.NO_PROOF, f"{title!r} is bound to its holder's key (cnf) but "
                                    "comes without a key-binding JWT: nothing shows the holder presented it.")
    if holder is None:
        return
    if checked.subject is not None:
        if checked.subject != holder:
            said = f"{title!r} was issued to {checked.subject[:120]}, but presented by {holder[:120]}"
            if POLICY_PRESENTER_IS_SUBJECT in context.waived_policies:
                result.warnings.append(Warning_(WarningCode.PRESENTED_BY_OTHER, f"{said} (accepted: the "
                                                f"{_POLICY_WORDS!r} policy is off for this verifier)."))
                return
            raise CredentialFailure(Reason.NOT_HOLDERS, f"{said}: it is not the holder's credential "
                                    f"({_POLICY_WORDS}).")
    elif checked.format == FORMAT_SD_JWT and checked.sd_jwt is not None and checked.sd_jwt.cnf is not None:
        if not _cnf_is_holders(checked.sd_jwt.cnf, holder, context.documents):
            raise CredentialFailure(Reason.NOT_HOLDERS, f"{title!r} is bound to another key (cnf) than the "
                                    f"key of {holder[:120]}, who presents it.")
    else:
        result.warnings.append(Warning_(WarningCode.NOT_HOLDER_BOUND, f"{title!r} names no subject and no "
                                                   "holder key: it is not bound to the holder, anyone who "
                                                   "has a copy could present it."))


def _check_entry(entry: Any, index: int, holder: str | None, challenge: str, domain: str,
                 context: VerificationContext) -> tuple[CredentialResult, CheckedCredential | None]:
    try:
        data = _entry_bytes(entry, index)
    except CredentialFailure as failure:
        return CredentialResult(index, "", "", "", "Credential", None, False, failure.reason,
                                failure.message), None
    checked = check(data, context)
    result = _result(index, checked)
    if result.valid:
        try:
            _bind(checked, result, holder, challenge, domain, context)
        except CredentialFailure as failure:
            result.valid, result.reason, result.message = False, failure.reason, failure.message
    return result, checked


def _check_entries(entries: Any, state: _State, challenge: str, domain: str,
                   context: VerificationContext, bound: bool = True) -> None:
    if entries is None:
        entries = []
    entries = entries if isinstance(entries, list) else [entries]
    if context.prefetch_status_lists:   # online: every credential's status lists at once, in parallel
        context.prefetch_status_lists(url for index, entry in enumerate(entries, 1)
                                      for url in _status_urls(entry, index))
    for index, entry in enumerate(entries, 1):
        result, checked = _check_entry(entry, index, state.holder if bound else None, challenge, domain, context)
        _check_kb_time(result, checked, context.now, state.kb_max_age())
        state.credentials.append(result)


def _status_urls(entry: Any, index: int) -> list[str]:
    try:
        return status_urls(_entry_bytes(entry, index))
    except CredentialFailure:
        return []


def _conclude(state: _State, domain: str) -> PresentationVerdict:
    for result in state.credentials:
        if not result.valid:
            return state.verdict(False, result.reason, f"Credential {result.index} ({result.title}): "
                                 f"{result.message}")
    count = len(state.credentials)
    what = f"{count} credential{'s' if count != 1 else ''}" if count else "no credentials (only control of the DID)"
    unchecked = sum(1 for r in state.credentials if r.status is not None and r.status.unchecked)
    note = (f" Whether {'it' if count == 1 else f'{unchecked} of them'} {'was' if unchecked == 1 else 'were'} "
            "revoked was not checked." if unchecked else "")
    return state.verdict(True, Reason.VALID, f"The presentation is genuine: {state.holder} presented {what} "
                         f"to {domain}, in answer to this verifier's challenge.{note}")


# ------------------------------------------------------------------------------ formats

def _proof_expiry(document: dict, now: datetime) -> str:
    for proof in data_integrity.proofs_of(document):
        value = proof.get("expires")
        if isinstance(value, str):
            try:
                moment = jwt_vc.parse_datetime(value, "expires")
            except CredentialFailure:
                continue
            if moment is not None and moment < now:
                return _xsd(moment)
    return "its expiry"


def _verify_di(document: dict, challenge: str, domain: str, context: VerificationContext, now: datetime,
               state: _State) -> PresentationVerdict:
    state.format = FORMAT_DI_VP
    if "VerifiablePresentation" not in _types(document):
        raise CredentialFailure(Reason.MALFORMED, "The JSON is not a VerifiablePresentation.")
    state.holder = _id_of(document.get("holder"), "holder")
    try:
        proofs = data_integrity.verify_proofs(document, expected_purpose="authentication", challenge=challenge,
                                              domain=domain, documents=context.documents, bind_issuer=False,
                                              now=now)
    except CredentialFailure as failure:
        if failure.reason is Reason.EXPIRED:
            raise CredentialFailure(Reason.EXPIRED, f"The presentation expired at {_proof_expiry(document, now)}: "
                                    "it answered a request that has timed out. Ask the holder for a new "
                                    "one.") from None
        raise
    # Every proof we can check verified; each speaks for its verification method's DID,
    # nothing else. A proof in a suite we do not verify speaks for no one.
    signers = {did_of(key.method_id) for key in proofs.keys}
    if state.holder is None:
        state.holder = did_of(proofs.key.method_id)
    elif state.holder not in signers:
        raise CredentialFailure(Reason.WRONG_KEY, f"The presentation says it is from {state.holder[:120]}, "
                                f"but it is signed with a key of {', '.join(sorted(signers))[:200]}.")
    vcdm.check_presentation(document)
    expiries = []
    for proof in data_integrity.proofs_of(document):
        if isinstance(proof.get("expires"), str):
            expiries.append(jwt_vc.parse_datetime(proof["expires"], "expires"))
    state.expires = min(expiries) if expiries else None
    created = data_integrity.proofs_of(document)[0].get("created")
    state.created = jwt_vc.parse_datetime(created, "created") if isinstance(created, str) else None
    valid_from = jwt_vc.parse_datetime(document.get("validFrom"), "validFrom")
    valid_until = jwt_vc.parse_datetime(document.get("validUntil"), "validUntil")
    if valid_until is not None and now > valid_until:
        raise CredentialFailure(Reason.EXPIRED, f"The presentation expired at {_xsd(valid_until)}. Ask the "
                                "holder for a new one.")
    if valid_from is not None and now + NBF_LEEWAY < valid_from:
        raise CredentialFailure(Reason.NOT_YET_VALID, f"The presentation is not valid before {_xsd(valid_from)}.")
    _check_entries(document.get("verifiableCredential"), state, challenge, domain, context)
    return _conclude(state, domain)


def _unsigned(document: dict) -> bool:
    return document.get("proof") in (None, [], {})


def _verify_unsigned(document: dict, challenge: str, domain: str, context: VerificationContext,
                     state: _State) -> PresentationVerdict:
    """No proof: nothing shows who presents it, nor that it answers this verifier. Each
    credential still gets its own verdict; none is bound to the holder it names, and the
    verdict names no holder (it would read as "presented by")."""
    state.format = FORMAT_DI_VP
    claimed = _id_of(document.get("holder"), "holder")
    _check_entries(document.get("verifiableCredential"), state, challenge, domain, context, bound=False)
    count = len(state.credentials)
    named = f" It names {claimed[:120]} as its holder, but nothing proves it." if claimed else ""
    checked = (" Its credential was checked on its own." if count == 1 else
               f" Its {count} credentials were checked one by one." if count else " It holds no credentials.")
    return state.verdict(False, Reason.NO_PROOF, "This is an unsigned presentation: nothing shows who presents "
                         f"it, nor that it was made for this verifier (challenge {challenge[:80]!r}).{named}"
                         f"{checked} Ask the holder for a signed presentation.")


def _verify_jwt(token: str, challenge: str, domain: str, context: VerificationContext, now: datetime,
                state: _State) -> PresentationVerdict:
    state.format = FORMAT_JWT_VP
    jws = jose.parse(token, "presentation JWT")
    jose.check_algorithm(jws, "presentation JWT")
    payload = jws.payload
    if isinstance(payload.get("vp"), dict):
        presentation = payload["vp"]
    elif jws.typ in jwt_vc.JOSE_VP_TYPES:
        presentation = payload
    elif "vc" in payload or jws.typ in jwt_vc.JOSE_VC_TYPES or "credentialSubject" in payload:
        raise CredentialFailure(Reason.UNSUPPORTED_FORMAT, "This is a credential (VC-JWT), not a "
                                "presentation: the holder must present it, signed for this verifier.")
    else:
        raise CredentialFailure(Reason.MALFORMED, "This JWT holds no presentation ('vp' claim).")
    if "VerifiablePresentation" not in _types(presentation):
        raise CredentialFailure(Reason.MALFORMED, "The presentation's type does not include VerifiablePresentation.")
    stated = _id_of(presentation.get("holder"), "holder")
    holder = payload.get("iss", stated)
    if not isinstance(holder, str) or not holder:
        raise CredentialFailure(Reason.MALFORMED, "The presentation JWT names no holder ('iss').")
    state.holder = holder
    if stated is not None and stated != holder:
        raise CredentialFailure(Reason.WRONG_KEY, f"The presentation names {stated[:120]} as holder but was "
                                f"signed for {holder[:120]}.")
    key = jwt_vc.resolve_jwt_key(jws.kid, holder, documents=context.documents, relationship="authentication",
                                 what="presentation")
    jose.verify_signature(jws, key.public_key, "presentation JWT")
    vcdm.check_presentation(presentation)
    nonce = payload.get("nonce")
    if nonce != challenge:
        raise CredentialFailure(Reason.WRONG_CHALLENGE, (
            f"The presentation answers the challenge {str(nonce)[:80]!r}, not this verifier's "
            f"({challenge[:80]!r}): it may be a replay of an older presentation.") if nonce is not None else
            f"The presentation carries no challenge (nonce), but this verifier asked for {challenge[:80]!r}.")
    aud = payload.get("aud")
    audiences = (aud,) if isinstance(aud, str) else tuple(a for a in aud if isinstance(a, str)) \
        if isinstance(aud, list) else ()
    if domain not in audiences:
        raise CredentialFailure(Reason.WRONG_DOMAIN, f"The presentation was made for "
                                f"{', '.join(audiences)[:120] or 'no audience'}, not for {domain[:80]}.")
    exp, nbf, iat = (jose.numeric_date(payload, c, "presentation JWT") for c in ("exp", "nbf", "iat"))
    state.expires, state.created = exp, iat or nbf
    if exp is not None and now > exp:
        raise CredentialFailure(Reason.EXPIRED, f"The presentation expired at {_xsd(exp)}: it answered a "
                                "request that has timed out. Ask the holder for a new one.")
    if nbf is not None and now + NBF_LEEWAY < nbf:
        raise CredentialFailure(Reason.NOT_YET_VALID, f"The presentation is not valid before {_xsd(nbf)}.")
    _check_entries(presentation.get("verifiableCredential"), state, challenge, domain, context)
    return _conclude(state, domain)


def _sd_holder(checked: CheckedCredential) -> str | None:
    sd = checked.sd_jwt
    if sd is None:
        return checked.subject
    if sd.subject:
        return sd.subject
    cnf = sd.cnf or {}
    if isinstance(cnf.get("kid"), str) and cnf["kid"].startswith("did:"):
        return cnf["kid"].split("#", 1)[0]
    if isinstance(cnf.get("jwk"), dict):
        try:
            return did_jwk.from_jwk({k: v for k, v in cnf["jwk"].items() if k in ("kty", "crv", "x", "y")})
        except Exception:
            log.debug("the SD-JWT's cnf key is not a usable JWK", exc_info=True)
            return None
    return None


def _verify_sd_jwt(token: str, challenge: str, domain: str, context: VerificationContext,
                   state: _State) -> PresentationVerdict:
    state.format = FORMAT_SD_JWT_KB
    result, checked = _check_entry(token, 1, None, challenge, domain, context)
    _check_kb_time(result, checked, context.now, KB_MAX_AGE)
    state.credentials.append(result)
    if checked is not None and checked.sd_jwt is not None:
        state.holder = _sd_holder(checked)
    return _conclude(state, domain)


def _text(data: Any) -> str:
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > MAX_INPUT_BYTES:
            raise CredentialFailure(Reason.MALFORMED, "The input is too large to be a presentation.")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise CredentialFailure(Reason.MALFORMED, "The input is not text, so it is not a presentation.") from None
    if not isinstance(data, str):
        raise CredentialFailure(Reason.MALFORMED, "The input is not text, so it is not a presentation.")
    if len(data) > MAX_INPUT_BYTES:
        raise CredentialFailure(Reason.MALFORMED, "The input is too large to be a presentation.")
    text = data.strip().lstrip("\ufeff").strip()
    if not text:
        raise CredentialFailure(Reason.MALFORMED, "The input is empty.")
    return text


def _verify(data: Any, challenge: str, domain: str, context: VerificationContext, now: datetime,
            state: _State) -> PresentationVerdict:
    text = _text(data)
    if text.startswith("{"):
        try:
            document = safejson.loads(text)
        except (ValueError, RecursionError):
            raise CredentialFailure(Reason.MALFORMED, "The presentation is not valid JSON.") from None
        if not isinstance(document, dict):
            raise CredentialFailure(Reason.MALFORMED, "The JSON is not an object, so it is not a presentation.")
        types = _types(document)
        # A data: URL id and no proof of its own: an envelope, whatever its type says.
        data_id = str(document.get("id")).startswith("data:")
        if "EnvelopedVerifiablePresentation" in types or (data_id and ("proof" not in document
                                                             or "VerifiablePresentation" not in types)):
            _, token = vcdm.read_envelope(document, "presentation")   # VCDM 2.0 §4.13.2
            return _verify_jwt(token, challenge, domain, context, now, state)
        if "VerifiablePresentation" not in types:
            if "VerifiableCredential" in types or "EnvelopedVerifiableCredential" in types:
                raise CredentialFailure(Reason.UNSUPPORTED_FORMAT, "This is a credential, not a presentation: "
                                        "the holder must present it, signed for this verifier.")
            raise CredentialFailure(Reason.MALFORMED, "The JSON is not a VerifiablePresentation.")
        if _unsigned(document):
            return _verify_unsigned(document, challenge, domain, context, state)
        return _verify_di(document, challenge, domain, context, now, state)
    if "~" in text:
        return _verify_sd_jwt(text, challenge, domain, context, state)
    if text.count(".") == 2 and not any(c.isspace() for c in text):
        return _verify_jwt(text, challenge, domain, context, now, state)
    raise CredentialFailure(Reason.MALFORMED, "This is not a presentation: expected a JSON presentation, a "
                            "presentation JWT or an SD-JWT with key binding.")


def verify_presentation(data: bytes | str, *, challenge: str, domain: str,
                        context: VerificationContext | None = None,
                        now: datetime | None = None) -> PresentationVerdict:
    """Verify ``data`` as a presentation made for this verifier's ``challenge`` and ``domain``.

    ``now`` (default: ``context.now``, else the current time) judges the presentation's and
    the credentials' validity. Never raises for bad input: the verdict says what is wrong.
    """
    if not isinstance(challenge, str) or not isinstance(domain, str):
        raise TypeError("challenge and domain are strings")
    context = context or VerificationContext()
    moment = now or context.now or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    context = dataclasses.replace(context, now=moment)
    state = _State()
    # Without them nothing ties a presentation to this verifier: say what is missing
    # rather than "made for hr.example, not ''".
    if not domain.strip():
        return state.verdict(False, Reason.WRONG_DOMAIN, "No domain was given: enter the domain you asked "
                             "the presentation for (it must have been made for it).")
    if not challenge.strip():
        return state.verdict(False, Reason.WRONG_CHALLENGE, "No challenge was given: enter the challenge of "
                             "your request (the presentation must answer it).")
    try:
        return _verify(data, challenge, domain, context, moment, state)
    except CredentialFailure as failure:
        log.debug("presentation not verified: %s", failure.reason, exc_info=True)
        return state.verdict(False, failure.reason, failure.message)
    except RecursionError:
        return state.verdict(False, Reason.MALFORMED, "The presentation is nested too deeply to verify.")
    except Exception as exc:  # hostile input must end in a verdict, never a crash
        log.warning("verifying a presentation failed unexpectedly", exc_info=True)
        return state.verdict(False, Reason.MALFORMED, f"The presentation could not be verified (internal "
                             f"error: {type(exc).__name__}).")
