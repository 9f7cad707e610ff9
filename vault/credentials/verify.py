"""Verify any credential we accept, from its bytes, into one Verdict.

Order of checks, each a reason of its own: the input is a credential of a format we
know (malformed / unsupported-format) → its proof verifies with the issuer's key
(no-proof, unsupported-cryptosuite, unknown-context, unknown-key, wrong-key,
bad-signature, tampered-content) → its status (revoked / suspended, status-invalid) →
its validity window (not-yet-valid / expired). Revocation is reported before expiry: it
is the stronger statement. An issuer missing from the trust list, or a status that
could not be checked offline, is a warning on a valid verdict, never a failure; but a
verdict whose status was not checked says so (``Verdict.status``, status_line) and never
reads "genuine and current".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

from . import (baked, blockcerts, data_integrity, jose, jwt_vc, mdoc, openbadges2, openbadges2_hosted, sd_jwt_vc,
               status, status_line, vcdm)
from .hosted_copies import HostedCopies
from .keys import DocumentLookup
from .openbadges import CredentialDisplay, DisplayFacts, display_for, facts_for
from .verdict import (CredentialFailure, Reason, StatusLine, StatusState, Verdict, Warning_, WarningCode,
                      unknown_issuer_warning)
from .. import safejson
from . import sample_issuer as sample

log = logging.getLogger(__name__)

FORMAT_DI = "di-vc"
FORMAT_JWT = "jwt-vc"
FORMAT_SD_JWT = "sd-jwt-vc"
FORMAT_OB2_SIGNED, FORMAT_OB2_HOSTED = openbadges2.FORMAT_SIGNED, openbadges2.FORMAT_HOSTED
FORMAT_BLOCKCERTS = blockcerts.FORMAT
# Formats with their own reading, proof and display (one module each).
_LEGACY = {FORMAT_OB2_SIGNED: openbadges2, FORMAT_OB2_HOSTED: openbadges2, FORMAT_BLOCKCERTS: blockcerts}
MAX_INPUT_BYTES = 8 * 1024 * 1024

_MESSAGES_OK = "The credential is genuine and current."
_MESSAGE_UNCHECKED = ("The credential is genuine and within its dates, but whether it was revoked was "
                      "not checked.")


@dataclass
class VerificationContext:
    """What verification may consult. Every part is optional: with none, verification
    still works fully offline for did:key / did:jwk issuers."""
    documents: DocumentLookup | None = None            # cached DID documents
    is_trusted: Callable[[str], bool] | None = None    # the trust list (None: no vault, no list)
    fetch_status_list: Callable[[str], bytes | None] | None = None
    status_list_verified: Callable[[bytes], None] | None = None  # a fetched list verified: cache it
    prefetch_status_lists: Callable[[Iterable[str]], None] | None = None  # online: fetch these together
    status_list_saved: Callable[[str], str | None] | None = None  # url -> "from the copy saved on ..."
    status_list_saved_on: Callable[[str], str | None] | None = None  # url -> the day of the saved copy used
    # Sentences about issuer keys read from the vault's saved copies since the last call
    # ("Issuer key as fetched on ..."), taken after each proof (webkeys.lookup.KeyDocuments).
    key_notes: Callable[[], list[str]] | None = None
    trust_anchors: Callable[[], Iterable[Any]] | None = None   # CAs for x5c chains (cryptography x509)
    # Soulbound anchor on chain: bytes -> (status or None when the chain could not be asked,
    # sentence); statuses 'anchored', 'revoked', 'not-anchored' (vault.anchoring.verify).
    anchor_status: Callable[[bytes], tuple[str | None, str]] | None = None
    # Blockcerts anchors and issuer profiles: fetched when online, else saved copies
    # (blockcerts_anchor.Anchors); None: never asked.
    blockchain_anchors: Any = None
    # Open Badges 2.0 hosted: url -> body, fetched (online) or saved (hosted_copies.HostedCopies).
    hosted_badges: Callable[[str], bytes] | None = None
    now: datetime | None = None
    # Verifier policies switched off by name (presentations.verify.POLICY_PRESENTER_IS_SUBJECT).
    waived_policies: frozenset[str] = frozenset()

    def moment(self) -> datetime:
        return self.now or datetime.now(timezone.utc)


@dataclass
class CheckedCredential:
    """A credential read from its bytes, with what verification found."""
    original: bytes
    format: str = ""
    credential: dict = field(default_factory=dict)   # the data model (JWT decoded, SD-JWT claims)
    issuer: str = ""
    subject: str | None = None
    types: tuple[str, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    status: status.StatusResult | None = None
    sd_jwt: sd_jwt_vc.SdJwtCredential | None = None
    anchor: str | None = None          # the soulbound anchor sentence, when the chain was asked
    proof_warnings: list[Warning_] = field(default_factory=list)  # unverified proofs, legacy suites
    status_line: StatusLine | None = None   # revocation checked / revoked / not checked, once known
    status_checked: str | None = None   # how a legacy format's revocation was checked online
    verdict: Verdict | None = None
    facts: DisplayFacts | None = None   # a DI credential's issuer, subject, types and dates
    # The display model is built when first read (``display``) from ``_shown``, the parsed
    # credential: a check whose result nobody shows (a verifier service's) never pays for it.
    _display: CredentialDisplay | None = field(default=None, repr=False)
    _shown: dict | None = field(default=None, repr=False, compare=False)

    @property
    def display(self) -> CredentialDisplay | None:
        if self._display is None and self._shown is not None:
            self._display, self._shown = display_for(self._shown), None
        return self._display

    @display.setter
    def display(self, value: CredentialDisplay | None) -> None:
        self._display, self._shown = value, None

    def display_later(self, credential: dict) -> None:
        """``display`` will be ``display_for(credential)``, built on first read."""
        self._display, self._shown = None, credential

    @property
    def issuer_name(self) -> str | None:
        """The name the credential gives its issuer (unverified), without building the display."""
        if self.facts is not None:
            return self.facts.issuer_name
        return self.display.issuer_name if self.display else None


# ------------------------------------------------------------------------------ parsing

def unwrap(data: bytes) -> bytes:
    """The credential's own bytes: a baked PNG/SVG badge gives up the credential inside."""
    if len(data) > MAX_INPUT_BYTES:
        raise CredentialFailure(Reason.MALFORMED, "The file is too large to be a credential.")
    if baked.is_baked_image(data):
        return baked.extract(data)
    return data


def detect(data: bytes) -> tuple[str, Any]:
    """(format, parsed form): a JSON credential dict, or the token text."""
    if mdoc.looks_like_mdoc(data):
        raise CredentialFailure(Reason.UNSUPPORTED_FORMAT, mdoc.REFUSAL)
    try:
        text = data.decode("utf-8").strip().lstrip("\ufeff")
    except UnicodeDecodeError:
        raise CredentialFailure(Reason.MALFORMED, "The file is neither text nor a badge image "
                                "(PNG/SVG), so it holds no credential.") from None
    if not text:
        raise CredentialFailure(Reason.MALFORMED, "The file is empty.")
    if text.startswith("{"):
        try:
            document = safejson.loads(text)
        except (ValueError, RecursionError) as exc:
            raise CredentialFailure(Reason.MALFORMED, f"The file is not valid JSON ({exc}).".replace(
                "maximum recursion depth exceeded", "nested too deeply")) from None
        return _json_format(document)
    if "~" in text:
        return FORMAT_SD_JWT, text
    if text.count(".") == 2 and " " not in text:
        return (FORMAT_OB2_SIGNED if openbadges2.is_signed_badge(text) else FORMAT_JWT), text
    raise CredentialFailure(Reason.MALFORMED, "This is not a credential: expected JSON, a JWT or an SD-JWT.")


def _json_format(document: Any) -> tuple[str, Any]:
    if not isinstance(document, dict):
        raise CredentialFailure(Reason.MALFORMED, "The JSON is not an object, so it is not a credential.")
    legacy = blockcerts.detect(document) or openbadges2.detect(document)
    if legacy:
        return legacy, document
    types = document.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if "VerifiablePresentation" in types:
        raise CredentialFailure(Reason.UNSUPPORTED_FORMAT, "This is a presentation, not a credential: "
                                "check it with `vault verify`.")
    # A data: URL id and no proof of its own: an envelope, whatever its type says.
    data_id = str(document.get("id")).startswith("data:")
    if "EnvelopedVerifiableCredential" in types or (data_id and ("proof" not in document
                                                         or "VerifiableCredential" not in types)):
        return _enveloped(document)
    if "VerifiableCredential" not in types:
        if "@context" not in document and "type" not in document:
            raise CredentialFailure(Reason.MALFORMED, "The JSON has no @context or type: it is not a "
                                    "verifiable credential.")
        raise CredentialFailure(Reason.UNSUPPORTED_FORMAT, "The JSON is not a VerifiableCredential "
                                f"(its type is {', '.join(map(str, types)) or 'missing'}).")
    return FORMAT_DI, document


def _enveloped(document: dict) -> tuple[str, Any]:
    """VCDM 2.0 §4.13.1: the envelope is checked, then its payload is the credential."""
    shape, payload = vcdm.read_envelope(document, "credential")
    if shape != "json":
        return (FORMAT_SD_JWT if shape == "sd-jwt" else FORMAT_JWT), payload
    try:
        inner = safejson.loads(payload)
    except (ValueError, RecursionError):
        raise CredentialFailure(Reason.MALFORMED, "The enveloped credential's payload is not valid JSON.") from None
    if not isinstance(inner, dict) or "VerifiableCredential" not in vcdm.types_of(inner):
        raise CredentialFailure(Reason.MALFORMED, "The enveloped credential's payload is not a credential.")
    return FORMAT_DI, inner


# ---------------------------------------------------------------------------- verifying

def check(data: bytes, context: VerificationContext | None = None) -> CheckedCredential:
    """Read and verify. Never raises for a bad credential: the verdict says what is wrong."""
    context = context or VerificationContext()
    checked = CheckedCredential(original=bytes(data))
    try:
        _check(checked, context)
    except CredentialFailure as failure:
        log.debug("credential not verified: %s", failure.reason, exc_info=True)
        checked.verdict = Verdict(False, failure.reason, failure.message, checked.format, checked.issuer,
                                  anchor=checked.anchor, status=checked.status_line)
    return checked


def _check(checked: CheckedCredential, context: VerificationContext) -> None:
    now = context.moment()
    checked.original = unwrap(checked.original)
    checked.format, parsed = detect(checked.original)
    if checked.format == FORMAT_DI:  # readable before its proof is checked: show even the undecided
        checked.credential, checked.facts = parsed, facts_for(parsed)
        checked.display_later(parsed)
        checked.issuer = checked.facts.issuer_id or ""
    elif checked.format == FORMAT_JWT:   # so is a VC-JWT's payload (its key may be unknown here)
        checked.display = _unverified_display(parsed)
        checked.issuer = (checked.display.issuer_id or "") if checked.display else ""
    warnings: list[Warning_] = []
    if context.key_notes:
        context.key_notes()      # what an earlier verification read is not this credential's
    if checked.format in _LEGACY:
        warnings += _verify_legacy(checked, parsed, context, now)
    else:
        _verify_proof(checked, parsed, context, now)
        if checked.format != FORMAT_SD_JWT:   # SD-JWT VC is another data model
            vcdm.check_credential(checked.credential)
        if checked.format != FORMAT_DI:   # a DI credential's was read above, from the same object
            checked.display = display_for(checked.credential)
        warnings += checked.proof_warnings
    if context.key_notes:
        warnings += [Warning_(WarningCode.KEY_SAVED, note) for note in context.key_notes()]

    warnings += _check_status(checked, context, now)
    legacy_unchecked = [w.message for w in warnings if w.code is WarningCode.STATUS_UNCHECKED]
    if checked.format in _LEGACY and legacy_unchecked and checked.status_line == status_line.NO_STATUS:
        # An issuer revocation list (OB 2.0, Blockcerts) is not a status list, but unread it
        # must not read as "no way to revoke".
        checked.status_line = status_line.not_checked(*legacy_unchecked)
    elif checked.status_checked and checked.status_line == status_line.NO_STATUS:
        checked.status_line = StatusLine(StatusState.CHECKED, f"Status checked: {checked.status_checked}.")

    if context.anchor_status is not None and not (checked.format == FORMAT_BLOCKCERTS and checked.anchor):
        state, checked.anchor = context.anchor_status(checked.original)
        if state == "revoked":
            checked.status_line = status_line.revoked_on_chain()
            raise CredentialFailure(Reason.REVOKED, "The issuer has revoked this credential on chain "
                                    "(its soulbound token is marked revoked).")
        if state is None:
            warnings.append(Warning_(WarningCode.ANCHOR_UNCHECKED,
                                     checked.anchor[:1].upper() + checked.anchor[1:] + "."))

    if checked.valid_from and now < checked.valid_from:
        raise CredentialFailure(Reason.NOT_YET_VALID,
                                f"The credential is not valid before {_day(checked.valid_from)}.")
    if checked.valid_until and now > checked.valid_until:
        raise CredentialFailure(Reason.EXPIRED, f"The credential expired on {_day(checked.valid_until)}.")

    if sample.is_sample_issuer(checked.issuer):   # its key is public: never trusted, whatever the list says
        warnings.append(Warning_(WarningCode.SAMPLE_ISSUER, sample.WARNING))
    elif context.is_trusted is None or not context.is_trusted(checked.issuer):
        warnings.append(unknown_issuer_warning(checked.issuer, checked.issuer_name))
    unchecked = checked.status_line is not None and checked.status_line.unchecked
    checked.verdict = Verdict(True, Reason.VALID, _MESSAGE_UNCHECKED if unchecked else _MESSAGES_OK,
                              checked.format, checked.issuer, warnings, anchor=checked.anchor,
                              status=checked.status_line)


def _check_status(checked: CheckedCredential, context: VerificationContext, now) -> list[Warning_]:
    """The status entries: ``checked.status`` and its line; raises when revoked or suspended."""
    warnings: list[Warning_] = []
    if checked.format != FORMAT_SD_JWT:
        if context.prefetch_status_lists:    # all of this credential's lists at once
            context.prefetch_status_lists(_list_urls(checked.credential))
        try:
            checked.status = status.check_status(
                checked.credential, fetch=context.fetch_status_list or (lambda url: None),
                verify_list=lambda raw: _verify_status_list(raw, context, now), now=now)
        except CredentialFailure as failure:   # a bad list or entry: it says nothing about revocation
            checked.status_line = status_line.not_checked(failure.message)
            raise
        warnings += checked.status.warnings
        days = []
        for url in dict.fromkeys(r.entry.list_url for r in checked.status.entries if r.checked):
            note = context.status_list_saved(url) if context.status_list_saved else None
            if note:
                warnings.append(Warning_(WarningCode.STATUS_SAVED, note))
            day = context.status_list_saved_on(url) if context.status_list_saved_on else None
            if day:
                days.append(day)
        checked.status_line = status_line.describe(checked.status, min(days) if days else None)
        if checked.status.revoked:
            raise CredentialFailure(Reason.REVOKED, "The issuer has revoked this credential.")
        if checked.status.suspended:
            raise CredentialFailure(Reason.SUSPENDED, "The issuer has suspended this credential for now.")
    elif "status" in checked.credential:
        warnings.append(Warning_(WarningCode.STATUS_UNCHECKED, "This SD-JWT credential has a token "
                                 "status list entry, which the vault cannot check yet."))
        checked.status_line = status_line.not_checked("it uses a token status list, which the vault "
                                                      "cannot check yet.")
    else:
        checked.status_line = status_line.NO_STATUS
    return warnings


def _verify_proof(checked: CheckedCredential, parsed: Any, context: VerificationContext, now) -> None:
    if checked.format == FORMAT_DI:
        proofs = data_integrity.verify_proofs(parsed, documents=context.documents, now=now)
        key, checked.proof_warnings = proofs.key, proofs.warnings
        checked.credential = parsed
        checked.issuer = key.controller
        facts = checked.facts or facts_for(parsed)   # read once; the display only when shown
        checked.subject, checked.types = facts.subject_id, facts.types
        checked.valid_from, checked.valid_until = facts.valid_from, facts.valid_until
    elif checked.format == FORMAT_JWT:
        jwt = jwt_vc.verify_jwt_vc(parsed, documents=context.documents)
        checked.credential, checked.issuer, checked.subject = jwt.credential, jwt.issuer, jwt.subject
        checked.types, checked.valid_from, checked.valid_until = jwt.types, jwt.valid_from, jwt.valid_until
    else:
        sd = sd_jwt_vc.verify_sd_jwt_vc(parsed, documents=context.documents, anchors=context.trust_anchors,
                                        now=now)
        checked.sd_jwt, checked.credential, checked.issuer = sd, sd.claims, sd.issuer
        checked.subject, checked.types = sd.subject, (("SdJwtVc", sd.vct) if sd.vct else ("SdJwtVc",))
        checked.valid_from, checked.valid_until = sd.valid_from, sd.valid_until


def _unverified_display(token: str) -> CredentialDisplay | None:
    try:
        payload = jose.parse(token).payload
    except (CredentialFailure, ValueError):
        return None
    return display_for(payload) if isinstance(payload, dict) else None


def _list_urls(credential: Any) -> list[str]:
    try:
        return [entry.list_url for entry in status.status_entries(credential)]
    except CredentialFailure:
        return []


def status_urls(data: bytes) -> list[str]:
    """The status lists a credential names, read without verifying it (nothing is trusted
    from it): a presentation's lists are fetched together, before its credentials are
    verified one by one."""
    try:
        fmt, parsed = detect(unwrap(data))
        if fmt == FORMAT_JWT:
            payload = jose.parse(parsed).payload
            parsed = payload["vc"] if isinstance(payload.get("vc"), dict) else payload
        return _list_urls(parsed) if fmt != FORMAT_SD_JWT else []
    except (CredentialFailure, ValueError):
        return []


def _verify_legacy(checked: CheckedCredential, parsed: Any, context: VerificationContext, now) -> list[Warning_]:
    """Open Badges 2.0 and Blockcerts: read (and shown) before their proof is checked."""
    module = _LEGACY[checked.format]
    reading = module.read(parsed)
    checked.credential, checked.display, checked.issuer = reading.credential, reading.display, reading.issuer
    checked.subject, checked.types = reading.subject, reading.types
    checked.valid_from, checked.valid_until = reading.valid_from, reading.valid_until
    try:
        hosted = context.hosted_badges
        if checked.format == FORMAT_OB2_HOSTED and hosted is not None and _hosted_usable(hosted, parsed):
            openbadges2_hosted.verify(parsed, reading, hosted)
            checked.display = reading.display       # the BadgeClass and Profile its issuer hosts
            if isinstance(hosted, HostedCopies) and hosted.saved_days:   # offline: the copies saved when online
                reading.status_checked += f", as of {hosted.saved_days[0]} (saved copy; offline)"
        else:
            online = {"anchors_online": context.blockchain_anchors} if module is blockcerts else {}
            module.verify(parsed, reading, documents=context.documents, now=now, **online)
    except CredentialFailure as failure:
        if failure.reason is Reason.REVOKED:
            checked.status_line = StatusLine(StatusState.REVOKED, f"Revoked: {failure.message}")
        raise
    checked.issuer, checked.status_checked = reading.issuer, reading.status_checked
    checked.anchor = reading.anchored or checked.anchor
    return reading.warnings


def _hosted_usable(hosted, assertion) -> bool:
    """A plain fetch function is online; HostedCopies may also have saved copies offline."""
    return not isinstance(hosted, HostedCopies) or hosted.usable(
        assertion.get("id") if isinstance(assertion, dict) else None)


def _verify_status_list(raw: bytes, context: VerificationContext, now: datetime) -> None:
    """A status list credential must itself verify (its status and trust do not matter):
    by the very verifier a credential goes through, so every suite and format a
    credential may be signed with is one its list may be signed with too."""
    fmt, parsed = detect(raw)
    if fmt == FORMAT_SD_JWT:
        raise CredentialFailure(Reason.UNSUPPORTED_FORMAT, "Status lists as SD-JWT are not supported.")
    _verify_proof(CheckedCredential(original=raw, format=fmt), parsed, context, now)
    if context.status_list_verified:
        context.status_list_verified(raw)


def _day(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
