"""What verification says: valid or not, a machine-readable reason, and a sentence.

Every verifier in this package returns (or raises into) these types, so the CLI, the
GUI and presentations report the same reasons in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Reason(str, Enum):
    VALID = "valid"
    MALFORMED = "malformed"                    # not parseable as the format it claims
    UNSUPPORTED_FORMAT = "unsupported-format"  # parseable, but not a format we verify
    UNSUPPORTED_CRYPTOSUITE = "unsupported-cryptosuite"  # proof type / cryptosuite / alg
    UNKNOWN_CONTEXT = "unknown-context"        # a JSON-LD context we have no local copy of
    NO_PROOF = "no-proof"                      # nothing signs it
    UNKNOWN_KEY = "unknown-key"                # the verification method cannot be resolved
    WRONG_KEY = "wrong-key"                    # the key is not the issuer's (or not for this purpose)
    BAD_SIGNATURE = "bad-signature"            # signature does not verify over the content
    TAMPERED = "tampered-content"              # content provably changed (e.g. SD-JWT digest mismatch)
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    STATUS_INVALID = "status-invalid"          # the status list itself is bad (signature, expired, type)
    WRONG_CHALLENGE = "wrong-challenge"        # a presentation made for another verifier's challenge
    WRONG_DOMAIN = "wrong-domain"              # a presentation made for another verifier (domain / aud)
    NOT_HOLDERS = "not-holders-credential"     # a credential issued to someone else than the presenter


class WarningCode(str, Enum):
    UNKNOWN_ISSUER = "unknown-issuer"          # valid, but the issuer is not in the trust list
    STATUS_UNCHECKED = "status-unchecked"      # has a status entry we could not check (offline, no cache)
    STATUS_SAVED = "status-saved"              # checked against the list saved in the vault (its date said)
    KEY_SAVED = "key-saved"                    # the issuer's key came from the copy saved in the vault (its date said)
    OUTDATED_CONTEXT = "outdated-context"
    LEGACY_CRYPTOSUITE = "legacy-cryptosuite"
    UNVERIFIED_PROOF = "unverified-proof"      # one of several proofs is in a suite we do not verify
    NOT_HOLDER_BOUND = "not-holder-bound"      # names no subject or holder key: any copy could be shown
    ANCHOR_UNCHECKED = "anchor-unchecked"      # the chain that anchors soulbound credentials could not be asked
    SAMPLE_ISSUER = "sample-issuer"            # from the app's demo issuer (a published key): proves nothing
    PRESENTED_BY_OTHER = "presented-by-other"  # issued to someone else; accepted where that policy is off


@dataclass(frozen=True)
class Warning_:
    code: WarningCode
    message: str

    def to_json(self) -> dict:
        return {"code": self.code.value, "message": self.message}


class StatusState(str, Enum):
    """The status line: one of three verdicts on revocation, or nothing to check."""
    CHECKED = "checked"        # every status entry read from a list whose proof verified: none set
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    UNCHECKED = "unchecked"    # offline, unreachable, the list's proof not verifiable, a method we cannot read
    NONE = "none"              # the credential names no status list: there is nothing to check


@dataclass(frozen=True)
class StatusLine:
    """Whether revocation was checked, said the same way in the CLI, JSON, cards and pages.

    ``message`` is the whole line ("Status not checked: offline ..."); ``reason`` says why
    it was not checked; ``checked_on`` is the day of the saved copy a check used (None:
    fetched now, or no date known).
    """
    state: StatusState
    message: str
    reason: str | None = None
    checked_on: str | None = None

    @property
    def unchecked(self) -> bool:
        return self.state is StatusState.UNCHECKED

    def to_json(self) -> dict:
        data = {"state": self.state.value, "message": self.message}
        if self.reason is not None:
            data["reason"] = self.reason
        if self.checked_on is not None:
            data["checked_on"] = self.checked_on
        return data


# The soulbound anchor sentences a verdict carries (vault.anchoring.verify.anchor_sentence),
# here so that readers of a verdict need not import the chain.
ANCHOR_SENTENCES = {"anchored": "anchored on chain, not revoked", "revoked": "revoked on chain",
                    "not-anchored": "not anchored on chain"}
ANCHORED = ANCHOR_SENTENCES["anchored"]
# Anchored by the DAO's timelock (an executed proposal: the contributor badge), not an issuer.
ANCHORED_BY_DAO = "anchored on chain by the DAO (an executed proposal), not revoked"


@dataclass
class Verdict:
    valid: bool
    reason: Reason
    message: str
    format: str = ""
    issuer: str = ""
    warnings: list[Warning_] = field(default_factory=list)
    anchor: str | None = None   # on-chain soulbound anchor: a sentence, when the chain was asked
    status: StatusLine | None = None   # revocation: None when verification stopped before it

    def to_json(self) -> dict:
        data = {"valid": self.valid, "reason": self.reason.value, "message": self.message,
                "warnings": [w.to_json() for w in self.warnings], "format": self.format,
                "issuer": self.issuer}
        if self.anchor is not None:
            data["anchor"] = self.anchor
        if self.status is not None:
            data["status"] = self.status.to_json()
        return data


def unknown_issuer_warning(issuer: str, declared_name: str | None) -> Warning_:
    """The warning a valid credential carries while its issuer is not on the trust list."""
    who = f"{declared_name} ({issuer})" if declared_name else issuer
    return Warning_(WarningCode.UNKNOWN_ISSUER, f"The issuer {who} is not in your trust list. The "
                    "signature is theirs; decide whether you know them.")


def with_trust(verdict: dict, issuer: str, declared_name: str | None, trusted: bool) -> dict:
    """A stored verdict (``Verdict.to_json()``) as it reads with the issuer ``trusted`` or
    not: a valid one carries the unknown-issuer warning exactly while the issuer is not on
    the trust list. Nothing else changes, so no signature needs checking again."""
    if not isinstance(verdict, dict) or verdict.get("valid") is not True:
        return verdict      # only a valid verdict speaks of trust
    warnings = [w for w in verdict.get("warnings") or [] if isinstance(w, dict)]
    unknown = WarningCode.UNKNOWN_ISSUER.value
    has = any(w.get("code") == unknown for w in warnings)
    if has != trusted:
        return verdict
    if trusted:
        return verdict | {"warnings": [w for w in warnings if w.get("code") != unknown]}
    return verdict | {"warnings": warnings + [unknown_issuer_warning(issuer, declared_name).to_json()]}


class CredentialFailure(Exception):
    """Raised inside verifiers; the top-level ``verify`` turns it into a Verdict."""

    def __init__(self, reason: Reason, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message
