"""What verification says: valid or not, a machine-readable reason, and a sentence.

Every verifier in this package returns (or raises into) these types, so the CLI, the
GUI and presentations report the same reasons in the same words.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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


# The soulbound anchor sentences a verdict carries (vault.chain.soulbound.anchor_sentence),
# here so that readers of a verdict need not import the chain.
ANCHOR_SENTENCES = {"anchored": "anchored on chain, not revoked", "revoked": "revoked on chain",
                    "not-anchored": "not anchored on chain"}
ANCHORED = ANCHOR_SENTENCES["anchored"]


@dataclass
class Verdict:
    valid: bool
    reason: Reason
    message: str
    format: str = ""
    issuer: str = ""
    warnings: list[Warning_] = field(default_factory=list)
    anchor: str | None = None   # on-chain soulbound anchor: a sentence, when the chain was asked

    def to_json(self) -> dict:
        data = {"valid": self.valid, "reason": self.reason.value, "message": self.message,
                "warnings": [w.to_json() for w in self.warnings], "format": self.format,
                "issuer": self.issuer}
        if self.anchor is not None:
            data["anchor"] = self.anchor
        return data


class CredentialFailure(Exception):
    """Raised inside verifiers; the top-level ``verify`` turns it into a Verdict."""

    def __init__(self, reason: Reason, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message
