"""A verifier's access policy ("credential-based access control") and its verdict.

A policy is a JSON file; every field is optional:

    {"name": "Senior developer screening",
     "min_bond": "100",                 BTK bonded in the ReputationRegistry (standing needed)
     "min_stake": "50",                 BTK staked with validators (standing needed)
     "min_trust_score": 30,             the trust score (docs/reputation.md)
     "required_credential_types": ["CourseCompletionCredential"],
     "trusted_issuers": ["did:key:z6Mk…"]}   issuers whose credentials count

``evaluate`` answers requirement by requirement: met (True), not met (False) or not
checked (None: offline, or the presentation did not prove an account), and an overall
"meets" / "does not meet" / "not checked".
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..errors import VaultError

FIELDS = ("name", "min_bond", "min_stake", "min_trust_score", "required_credential_types", "trusted_issuers")
MAX_POLICY_BYTES = 64 * 1024


class PolicyError(VaultError):
    """A policy file that cannot be used, with a sentence saying what to fix."""


@dataclass(frozen=True)
class Policy:
    name: str = ""
    min_bond: Decimal | None = None
    min_stake: Decimal | None = None
    min_trust_score: int | None = None
    required_credential_types: tuple[str, ...] = ()
    trusted_issuers: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"name": self.name, "min_bond": None if self.min_bond is None else str(self.min_bond),
                "min_stake": None if self.min_stake is None else str(self.min_stake),
                "min_trust_score": self.min_trust_score,
                "required_credential_types": list(self.required_credential_types),
                "trusted_issuers": list(self.trusted_issuers)}


def _amount(data: dict, key: str) -> Decimal | None:
    if data.get(key) is None:
        return None
    try:
        value = Decimal(str(data[key]).replace(",", ""))
    except InvalidOperation:
        raise PolicyError(f"The policy's {key} is {str(data[key])[:40]!r}: write an amount of BTK, "
                          "e.g. \"100\".") from None
    if not value.is_finite() or value < 0:
        raise PolicyError(f"The policy's {key} must be zero or more BTK.")
    return value


def _strings(data: dict, key: str) -> tuple[str, ...]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PolicyError(f"The policy's {key} must be a list of non-empty strings.")
    return tuple(v.strip() for v in value)


def parse(raw: bytes | str) -> Policy:
    """A Policy from a file's bytes; PolicyError names what is wrong."""
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError("The policy file is too large to be a policy (more than 64 KiB).")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise PolicyError("The policy file is not JSON (see docs/reputation.md for its format).") from None
    if not isinstance(data, dict):
        raise PolicyError("The policy file must hold one JSON object (see docs/reputation.md).")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:  # a misspelt requirement must not pass silently as "no requirement"
        raise PolicyError(f"The policy has fields this version does not know: {', '.join(unknown)[:120]}; "
                          f"it knows {', '.join(FIELDS)}.")
    score = data.get("min_trust_score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100):
        raise PolicyError("The policy's min_trust_score must be a whole number from 0 to 100.")
    name = data.get("name") or ""
    if not isinstance(name, str):
        raise PolicyError("The policy's name must be text.")
    return Policy(name=name[:200], min_bond=_amount(data, "min_bond"), min_stake=_amount(data, "min_stake"),
                  min_trust_score=score, required_credential_types=_strings(data, "required_credential_types"),
                  trusted_issuers=_strings(data, "trusted_issuers"))


# ---- what the presentation holds ---------------------------------------------------------

def _jwt_payload(token: str) -> dict:
    try:
        part = token.split("~", 1)[0].split(".")[1]
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (IndexError, ValueError):
        return {}


def _types_of(entry) -> list[str]:
    """The type names of one verifiableCredential entry of a verified presentation."""
    if not isinstance(entry, dict):
        return []
    ident = entry.get("id")
    if isinstance(ident, str) and ident.startswith("data:") and "," in ident:
        payload = _jwt_payload(ident.split(",", 1)[1])
        value = (payload.get("vc") or {}).get("type") if isinstance(payload.get("vc"), dict) else None
        value = value or payload.get("type") or payload.get("vct")
    else:
        value = entry.get("type")
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [v for v in values if isinstance(v, str)]


def credentials_of(document, verdict) -> list[dict]:
    """[{issuer, types, valid}] of a verified presentation's credentials, in order."""
    entries = document.get("verifiableCredential") if isinstance(document, dict) else None
    entries = entries if isinstance(entries, list) else [entries] if entries else []
    out = []
    for result in verdict.credentials:
        entry = entries[result.index - 1] if 0 < result.index <= len(entries) else None
        out.append({"issuer": result.issuer, "types": _types_of(entry), "valid": result.valid})
    return out


# ---- the verdict ---------------------------------------------------------------------------

@dataclass
class PolicyVerdict:
    policy: Policy
    requirements: list[dict] = field(default_factory=list)  # {requirement, met (True/False/None), detail}

    @property
    def outcome(self) -> str:
        mets = [r["met"] for r in self.requirements]
        if any(m is False for m in mets):
            return "does not meet"
        return "not checked" if any(m is None for m in mets) else "meets"

    @property
    def sentence(self) -> str:
        return {"meets": "the presentation meets its requirements",
                "does not meet": "the presentation does NOT meet its requirements",
                "not checked": "its requirements could not all be checked"}[self.outcome]

    def to_json(self) -> dict:
        return {"policy": self.policy.to_json(), "outcome": self.outcome, "requirements": self.requirements}

    def lines(self) -> list[str]:
        mark = {True: "met", False: "NOT met", None: "not checked"}
        head = f"Policy {self.policy.name!r}: " if self.policy.name else "Policy: "
        return [head + self.sentence] + [
            f"  [{mark[r['met']]}] {r['requirement']}: {r['detail']}" for r in self.requirements]


def evaluate(policy: Policy, verdict, credentials: list[dict], standing: dict | None) -> PolicyVerdict:
    """The policy's verdict on a presentation ``verdict`` with its ``credentials``
    (credentials_of) and ``standing`` (check.standing_of's answer, or None)."""
    out = PolicyVerdict(policy)
    trusted = {i.lower() for i in policy.trusted_issuers}
    usable = [c for c in credentials if c["valid"] and verdict.valid
              and (not trusted or (c["issuer"] or "").lower() in trusted)]
    if trusted:
        n = len(usable)
        out.requirements.append({"requirement": "credentials from trusted issuers", "met": n > 0,
                                 "detail": f"{n} valid credentials from the policy's issuers"})
    for ctype in policy.required_credential_types:
        found = any(ctype in c["types"] for c in usable)
        out.requirements.append({"requirement": f"a {ctype}", "met": found,
                                 "detail": "presented and valid" + (", from a trusted issuer" if trusted else "")
                                 if found else "not among the valid credentials presented"
                                 + (" from the policy's issuers" if trusted else "")})
    checks = (("min_bond", "bonded", "bond of at least {} BTK", "{} BTK bonded"),
              ("min_stake", "staked", "stake of at least {} BTK", "{} BTK staked"),
              ("min_trust_score", "score", "trust score of at least {}", "score {}"))
    for key, field_name, requirement, shown in checks:
        needed = getattr(policy, key)
        if needed is None:
            continue
        if not verdict.valid:
            out.requirements.append({"requirement": requirement.format(needed), "met": False,
                                     "detail": "the presentation did not verify"})
        elif standing is None or not standing.get("proven"):
            out.requirements.append({"requirement": requirement.format(needed), "met": False if standing is None
                                     else None if standing.get("problem") is None else False,
                                     "detail": "the presentation proves no account" if standing is None
                                     else standing.get("problem") or "not proven"})
        elif standing.get("chain") is None:
            out.requirements.append({"requirement": requirement.format(needed), "met": None,
                                     "detail": f"not checked: {standing.get('not_checked') or 'offline'}"})
        else:
            have = standing["chain"][field_name]
            met = Decimal(str(have)) >= Decimal(str(needed))
            out.requirements.append({"requirement": requirement.format(needed), "met": met,
                                     "detail": shown.format(have)})
    return out
