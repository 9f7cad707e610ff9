"""`vault verify`: a presentation (image, folder of QR parts, JSON or JWT file) verified;
needs no vault."""

from __future__ import annotations

from pathlib import Path

from ...errors import VaultError
from ...safe_text import safe_text
from ..io import UsageError, claim_lines, emit
from ..options import chain_option, command, online_option
from ..session import saved_keys, verification_context


def cmd_verify(args) -> int:
    from ...credentials.issuer_name import shown_issuer
    from ...credentials.openbadges import flatten_claims
    from ...presentations import verify_presentation
    from ...qr.scan import read_presentation
    source = Path(args.input)
    if not source.exists():
        raise UsageError(f"{args.input} does not exist")
    try:
        decoded = read_presentation(source)
    except VaultError as exc:
        data = {"valid": False, "reason": "malformed", "message": str(exc), "holder": "", "credentials": [],
                "warnings": []}
        emit(args, data, f"INVALID: {exc}")
        return 1
    with saved_keys(args) as store:
        verdict = verify_presentation(decoded.payload, challenge=args.challenge, domain=args.domain,
                                      context=verification_context(args, store))
    lines = [("VALID: " if verdict.valid else "INVALID: ") + safe_text(verdict.message)]
    if verdict.holder:
        lines.append(f"Holder: {safe_text(verdict.holder)}")
    for c in verdict.credentials:   # no trust list here: an issuer's name is its own claim
        mark = "ok " if c.valid else "BAD"
        lines.append(f"  [{mark}] {safe_text(c.title)} — {shown_issuer(c.issuer, c.issuer_name).line}: "
                     f"{safe_text(c.message)}" + (f" ({c.anchor})" if c.anchor else ""))
        if c.status:
            lines.append(f"        {safe_text(c.status.message)}")
        lines += claim_lines([(p, v) for p, v in flatten_claims(c.disclosed)
                               if p.split(".")[-1].split("[")[0] not in ("@context", "proof", "type", "@type")],
                              "        ")
        lines += [f"        warning: {safe_text(w.message)}" for w in c.warnings]
    lines += [f"Warning: {safe_text(w.message)}" for w in verdict.warnings]
    emit(args, verdict.to_json(), "\n".join(lines))
    return 0 if verdict.valid else 1


def add_parser(sub) -> None:
    """`vault verify`."""
    p = command(sub, "verify", cmd_verify, "verify a presentation (image, folder of QR parts, JSON or "
                                           "JWT file); needs no vault; exit 0 valid, 1 invalid")
    p.add_argument("input")
    p.add_argument("--challenge", required=True)
    p.add_argument("--domain", required=True)
    online_option(p)
    chain_option(p)
