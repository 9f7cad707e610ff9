"""`vault verify`: a presentation (image, folder of QR parts, JSON or JWT file) verified;
needs no vault."""

from __future__ import annotations

from pathlib import Path

from ...chain.networks import CONFIG_NAME, chain_dir, load_profile
from ...credentials.issuer_name import shown_issuer
from ...errors import ChainError, VaultError
from ...safe_text import safe_text
from ...standing.policy import credentials_of, evaluate, parse
from ..io import UsageError, claim_lines, emit
from ..options import chain_option, command, online_option
from ..session import saved_keys, verification_context


def cmd_verify(args) -> int:
    if args.request_out or args.response:
        # start-up: verify_request ~200 ms (the OpenID4VP verifier), only for its two options
        from . import verify_request
        return (verify_request.cmd_request_out if args.request_out else verify_request.cmd_response)(args)
    missing = [n for n, v in (("INPUT", args.input), ("--challenge", args.challenge), ("--domain", args.domain)) if not v]
    if missing:
        raise UsageError(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} needed (or --request-out / "
                         "--response)")
    # start-up: presentations ~180 ms (the verifiers), openbadges ~20 ms, qr.scan ~15 ms
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
    policy = _policy(args.policy) if args.policy else None
    with saved_keys(args) as store:
        verdict = verify_presentation(decoded.payload, challenge=args.challenge, domain=args.domain,
                                      context=verification_context(args, store))
    standing = _standing(args, decoded.payload, verdict)
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
    # start-up: standing.check ~550 ms (eth_account), once a presentation was read
    from ...standing import check
    lines += check.lines(standing)
    data = verdict.to_json() | {"standing": standing}
    ok = verdict.valid
    if policy is not None:
        judged = evaluate(policy, verdict, credentials_of(check.document_of(decoded.payload), verdict), standing)
        lines += judged.lines()
        data["policy"] = judged.to_json()
        ok = ok and judged.outcome == "meets"
    emit(args, data, "\n".join(lines))
    return 0 if ok else 1


def _policy(path: str):
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the policy {path}: {exc.strerror}") from exc
    return parse(raw)


def _standing(args, payload, verdict):
    """The presentation's standing, read from the chain as soulbound anchors are (--chain,
    or by default when this data folder uses a chain); offline it says "not checked"."""
    # start-up: standing.check ~550 ms (as above)
    from ...standing.check import standing_of

    folder = chain_dir(args.data_dir)
    has_chain = (folder / CONFIG_NAME).exists() or (folder / "embedded.sqlite").exists()
    factory = None
    if args.chain is not False and (has_chain or args.chain):
        def factory():
            # start-up: chain.client ~190 ms, only when the chain is asked
            from ...chain.client import connect
            if not has_chain:  # a verification never creates a chain
                raise ChainError("no-network", "this data folder uses no network yet")
            return connect(load_profile(args.data_dir), args.data_dir)
    return standing_of(payload, verdict, domain=args.domain, challenge=args.challenge, chain_factory=factory)


def add_parser(sub) -> None:
    """`vault verify`."""
    p = command(sub, "verify", cmd_verify, "verify a presentation (image, folder of QR parts, JSON or "
                                           "JWT file); needs no vault; exit 0 valid, 1 invalid; or make an "
                                           "OpenID4VP request (--request-out) and verify its answer")
    p.add_argument("input", nargs="?")
    p.add_argument("--challenge")
    p.add_argument("--domain")
    p.add_argument("--request-out", metavar="FILE", help="write an OpenID4VP request (a link; .png/.svg: its QR "
                   "code) and FILE.session.json, what its answer must match")
    p.add_argument("--listen", type=float, metavar="SECONDS", help="with --request-out: wait this long for a wallet "
                   "on this machine to answer at a loopback receiver, then verify the answer")
    p.add_argument("--response-uri", metavar="URL", help="with --request-out: where wallets post the answer (your "
                   "own HTTPS endpoint, for a phone on another device)")
    p.add_argument("--vct", help="with --request-out: ask for an SD-JWT VC of this type")
    p.add_argument("--type", action="append", metavar="TYPE", help="with --request-out: ask for a W3C credential "
                   "of this type (repeat)")
    p.add_argument("--query-format", choices=("dc+sd-jwt", "jwt_vc_json", "ldp_vc"),
                   help="with --request-out: the credential format asked for")
    p.add_argument("--claim", action="append", metavar="PATH", help="with --request-out: a claim to ask for "
                   "(dotted path; repeat)")
    p.add_argument("--dcql", metavar="FILE", help="with --request-out: the whole DCQL query, as JSON")
    p.add_argument("--name", help="with --request-out: your name as shown to the wallet (self-declared)")
    p.add_argument("--response", metavar="RESPONSE", help="verify a wallet's answer (the posted form or JSON, "
                   "text or a file) against --session")
    p.add_argument("--session", metavar="FILE", help="with --response: the request's .session.json")
    p.add_argument("--policy", metavar="FILE", help="an access policy (JSON: min_bond, min_stake, "
                                                    "min_trust_score, required_credential_types, trusted_issuers); "
                                                    "exit 0 only when the presentation meets it")
    online_option(p)
    chain_option(p)
