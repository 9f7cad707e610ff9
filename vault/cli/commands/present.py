"""`vault present`: sign a presentation of stored credentials for a verifier;
`vault presentation log`: the presentations made."""

from __future__ import annotations

from pathlib import Path

from ...identity import Identity
from ...safe_text import safe_text
from ...store.atomic import write_atomic
from ..io import UsageError, emit
from ..options import command
from ..session import address_arg, credential_service, unlocked
from .present_request import cmd_present_request


def _selective(repository, cid: str) -> bool:
    # start-up: presentations.build ~145 ms; `presentation log` does not need it
    from ...presentations.build import PresentationError, selective
    try:
        return selective(repository, cid)
    except PresentationError:
        return False        # the build says why, with the other errors


def _reveal_choices(values: list[str] | None, repository, ids: list[str]) -> dict | None:
    """--reveal CLAIM (every selective credential) or --reveal ID:CLAIM (one of them)."""
    if not values:
        return None
    reveal: dict[str, list[str]] = {}
    for value in values:
        prefix, _, claim = value.partition(":")
        if claim and len(prefix) >= 4 and all(c in "0123456789abcdef" for c in prefix.lower()):
            reveal.setdefault(repository.resolve_id(prefix), []).append(claim)
        else:
            selective = [cid for cid in ids if _selective(repository, cid)]
            if not selective:
                raise UsageError("--reveal applies to SD-JWT and ecdsa-sd-2023 credentials, and none was chosen")
            for cid in selective:
                reveal.setdefault(cid, []).append(value)
    return reveal


def cmd_present(args) -> int | None:
    if args.request:
        return cmd_present_request(args)
    missing = [f"--{name}" for name in ("credential", "challenge", "domain", "out") if not getattr(args, name)]
    if missing:
        raise UsageError(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} needed (or --request)")
    # start-up: presentations.service ~165 ms, qr.output ~26 ms, qr.parts ~9 ms; not for the log
    from ...presentations.service import PresentationService
    from ...qr import output
    from ...qr.parts import encode_parts
    with credential_service(args) as credentials:
        ids = [credentials.repository.resolve_id(c) for c in args.credential]
        reveal = _reveal_choices(args.reveal, credentials.repository, ids)
        identity = Identity(credentials.store)
        service = PresentationService(identity, credentials)
        standing = _standing(args, identity) if args.standing else None
        presentation = service.present(ids, reveal, args.challenge, args.domain,
                                       fmt="jwt" if args.format == "jwt" else "di",
                                       cryptosuite=args.cryptosuite, expires_in=args.expires_in * 60,
                                       standing=standing)
        issuers = [credentials.issuer(c.issuer, c.issuer_name) for c in presentation.credentials]
    out = Path(args.out)
    if args.format == "qr":
        codes = encode_parts(presentation.data, kind=presentation.kind)
        written = output.write_codes(codes, out)
    else:
        write_atomic(out, presentation.data)
        codes, written = [], [out]
    summary = presentation.to_json() | {"files": [str(p) for p in written], "qr_parts": len(codes)}
    lines = [f"Presentation for {presentation.domain}, signed by {presentation.holder}, valid until "
             f"{presentation.expires}."]
    for c, issuer in zip(presentation.credentials, issuers):
        shown = ", ".join(map(safe_text, c.revealed)) if c.selective else "every claim"
        lines.append(f"  {safe_text(c.title)} ({issuer.line}): discloses {shown}")
        if c.withheld:
            lines.append(f"    withheld: {', '.join(map(safe_text, c.withheld))}")
    lines.append(f"Written: {', '.join(str(p) for p in written[:4])}" + (" …" if len(written) > 4 else ""))
    emit(args, summary, "\n".join(lines))


def _standing(args, identity):
    """The holder's standing: a link signed by the vault account --standing names."""
    # start-up: anchoring.holder ~290 ms, standing.link ~520 ms (eth_account); only with --standing
    from ...anchoring.holder import chosen_chain_id
    from ...standing import link

    accounts = [a.address for a in identity.accounts()]
    account = accounts[0] if args.standing == "first" else address_arg(args.standing)
    if account.lower() not in {a.lower() for a in accounts}:
        raise UsageError(f"{account} is not an account of this vault: standing is proven with its key")
    key = identity.eth_private_key(account)
    chain_id = chosen_chain_id(args.data_dir)
    return lambda holder: link.make(key, holder, chain_id, args.domain, args.challenge)


def cmd_presentation_log(args) -> None:
    # start-up: presentations.log ~140 ms, only for `presentation log`
    from ...presentations.log import PresentationLog
    with unlocked(args) as identity:
        entries = PresentationLog(identity.store).entries(domain=args.domain, limit=args.limit)
    lines = []
    for e in entries:
        titles = "; ".join(safe_text(c.get("title", "?")) for c in e.credentials)
        lines.append(f"{e.created_at}  to {safe_text(e.domain)}  ({e.kind})  {titles}")
    emit(args, [e.to_json() for e in entries], "\n".join(lines) or "No presentations made yet.")


def add_parser(sub) -> None:
    """`vault present`."""
    p = command(sub, "present", cmd_present, "sign a presentation of stored credentials for a verifier, or "
                                             "answer a verifier's OpenID4VP request (--request)")
    p.add_argument("--request", metavar="REQUEST", help="answer this OpenID4VP request (openid4vp:// link, a file "
                   "holding it, or a QR image): the matching credentials are shown, then sent on confirmation")
    p.add_argument("--pick", action="append", metavar="QUERY=ID",
                   help="with --request: which credential answers the verifier's query QUERY (default: the first valid)")
    p.add_argument("--yes", action="store_true", help="with --request: send without asking after the preview")
    p.add_argument("--allow-private", action="store_true",
                   help="with --request: allow loopback and private addresses (a verifier on your own network)")
    p.add_argument("--credential", action="append", metavar="ID")
    p.add_argument("--reveal", action="append", metavar="CLAIM",
                   help="claim to disclose of an SD-JWT or ecdsa-sd-2023 credential (CLAIM or ID:CLAIM; "
                        "repeat; ecdsa-sd-2023 paths start at the credential: credentialSubject.name); "
                        "default: every claim")
    p.add_argument("--challenge", help="the verifier's challenge (nonce)")
    p.add_argument("--domain", help="the verifier's domain (audience)")
    p.add_argument("--format", choices=("qr", "json", "jwt"), default="qr")
    p.add_argument("--cryptosuite", choices=("eddsa-rdfc-2022", "eddsa-jcs-2022"), default="eddsa-rdfc-2022")
    p.add_argument("--expires-in", type=float, default=10, metavar="MINUTES")
    p.add_argument("--out", help="file (one QR code, JSON or JWT) or folder (QR parts)")
    p.add_argument("--standing", nargs="?", const="first", metavar="ACCOUNT",
                   help="include your standing: the account (default: your first) signs a link to the holder "
                        "DID, so the verifier can read its bond and trust score (docs/reputation.md)")


def add_log_parser(sub) -> None:
    """`vault presentation log` (after `vault verify` in `vault --help`)."""
    pl = sub.add_parser("presentation", help="the presentations you made").add_subparsers(dest="sub", required=True)
    p = command(pl, "log", cmd_presentation_log, "list presentations made: what, to whom, when")
    p.add_argument("--domain")
    p.add_argument("--limit", type=int)
