"""The holder's side of ecdsa-sd-2023: which claims of a credential with a base proof can
be withheld, and the derived credential that reveals only the chosen ones (what
``presentations.build`` embeds, as it embeds an SD-JWT with only the chosen disclosures).

A claim is a path from the credential's root: "credentialSubject.givenName",
("credentialSubject", "nationalities", 0), or a JSON pointer "/validFrom". Choosing an
object reveals everything under it. What the issuer made mandatory is always revealed
and is not a choice; so are the issuer and the subject's id when present (a verifier
cannot check a credential without its issuer, nor bind it to the holder without the
subject), whatever the issuer made mandatory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .suites import ecdsa_sd_2023 as suite
from .suites import sd_primitives as sd
from .verdict import CredentialFailure

__all__ = ["Claim", "Disclosure", "claims", "disclose", "is_selective", "preview"]

Path = tuple
STRUCTURE = ("@context", "proof", "id", "type")     # never a claim of its own: selections carry them
ALWAYS = (("issuer",), ("credentialSubject", "id"))


@dataclass(frozen=True)
class Claim:
    path: Path
    label: str              # "credentialSubject.employmentAuthorizationDocument.identifier"
    value: Any
    parent: Path | None     # the object claim this one is in (None at the top)
    leaf: bool


@dataclass(frozen=True)
class Disclosure:
    credential: dict        # what the verifier gets (the derived credential; no proof for a preview)
    revealed: tuple[str, ...]
    withheld: tuple[str, ...]


def label(path: Iterable) -> str:
    text = ""
    for segment in path:
        text += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if text else str(segment))
    return text


def _base_proof(credential: Any) -> dict | None:
    proofs = credential.get("proof") if isinstance(credential, dict) else None
    proofs = proofs if isinstance(proofs, list) else [proofs]
    bases = [p for p in proofs if isinstance(p, dict) and suite.ECDSA_SD.matches(p)
             and isinstance(p.get("proofValue"), str) and p["proofValue"].startswith("u2V0A")]
    return bases[0] if len(bases) == 1 else None


def is_selective(credential: Any) -> bool:
    """A Data Integrity credential with one ecdsa-sd-2023 base proof: its holder can choose."""
    return _base_proof(credential) is not None


def _mandatory(credential: dict) -> list[Path]:
    proof = _base_proof(credential)
    if proof is None:
        raise ValueError("The credential has no ecdsa-sd-2023 base proof, so it is shown whole.")
    try:
        parsed = suite.parse_proof_value(proof["proofValue"])
    except CredentialFailure as exc:
        raise ValueError(exc.message) from None
    return [tuple(sd.parse_pointer(p)) for p in parsed.mandatory_pointers]


def _covered(path: Path, prefixes: Iterable[Path]) -> bool:
    return any(path[:len(p)] == p for p in prefixes)


def claims(credential: dict) -> list[Claim]:
    """Every claim the holder may reveal or withhold, in document order (objects before
    what they hold)."""
    fixed = _mandatory(credential) + list(ALWAYS)
    out: list[Claim] = []

    def walk(node: Any, path: Path, parent: Path | None) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(node, dict) and key in STRUCTURE:
                continue
            here = path + (key,)
            if _covered(here, fixed):
                continue
            nested = isinstance(value, (dict, list)) and value
            out.append(Claim(here, label(here), value, parent, not nested))
            if nested:
                walk(value, here, here)

    walk(credential, (), None)
    return out


def _normalise(path: Any) -> Path:
    if isinstance(path, str):
        return tuple(sd.parse_pointer(path)) if path.startswith("/") else tuple(
            int(s) if s.isdigit() else s for s in path.split("."))
    if isinstance(path, (tuple, list)) and all(isinstance(s, (str, int)) and not isinstance(s, bool) for s in path):
        return tuple(path)
    raise ValueError(f"{path!r} is not a claim path.")


def _pointers(credential: dict, reveal: Iterable[Any] | None) -> tuple[list[str], set[Path]]:
    selectable = {c.path: c for c in claims(credential)}
    if reveal is None:
        chosen = {p for p, c in selectable.items() if c.leaf}
    else:
        chosen = set()
        for raw in reveal:
            path = _normalise(raw)
            hits = {p for p, c in selectable.items() if c.leaf and p[:len(path)] == path}
            if not hits and path not in selectable:
                raise ValueError(f"The credential has no claim {label(path)!r} that can be chosen.")
            chosen |= hits
    pointers = [sd.pointer_of(p) for p in ALWAYS if _exists(credential, p)]
    pointers += [sd.pointer_of(c.path) for c in selectable.values() if c.path in chosen]
    return pointers, chosen


def _exists(node: Any, path: Path) -> bool:
    for segment in path:
        if isinstance(node, dict) and segment in node:
            node = node[segment]
        else:
            return False
    return True


def _disclosure(credential: dict, derived: dict, chosen: set[Path]) -> Disclosure:
    leaves = [c for c in claims(credential) if c.leaf]
    return Disclosure(derived, tuple(c.label for c in leaves if c.path in chosen),
                      tuple(c.label for c in leaves if c.path not in chosen))


def preview(credential: dict, reveal: Iterable[Any] | None) -> Disclosure:
    """What ``disclose`` will reveal, without deriving (the document, no proof). ValueError
    for a claim the credential does not have."""
    pointers, chosen = _pointers(credential, reveal)
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    return _disclosure(credential, sd.select_json_ld(unsecured, pointers) or {}, chosen)


def disclose(credential: dict, reveal: Iterable[Any] | None) -> Disclosure:
    """The derived credential revealing ``reveal`` (None: every claim) and the mandatory
    statements. ValueError for an unknown claim; CredentialFailure if it cannot be derived."""
    pointers, chosen = _pointers(credential, reveal)
    return _disclosure(credential, suite.derive(credential, pointers), chosen)
