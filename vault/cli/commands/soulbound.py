"""`vault soulbound ...`: credentials anchored to their holder's address.

    vault soulbound issue --holder ADDR|did:pkh (--credential ID | --file F) [--uri U | --no-embed]
    vault soulbound revoke (--token N | --credential ID | --file F)
    vault soulbound status [--credential ID | --file F]     holder's view, or one credential's anchor
"""

from __future__ import annotations

from pathlib import Path

from ...anchoring.hashing import hash_hex
from ...anchoring.holder import holder_report
from ...anchoring.verify import try_anchor_status
from ...anchoring.writes import issue_requests, revoke_request
from ...credentials.repository import CredentialRepository
from ..io import UsageError, emit
from ..options import DO_IT, command, write_options
from ..session import connect, open_session, sender_of, unlocked, write


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc


def _original(args, identity) -> bytes:
    if args.file:
        return _read_file(args.file)

    return CredentialRepository(identity.store).original(args.credential)


def cmd_soulbound_issue(args) -> int:
    with open_session(args) as session:
        original = _original(args, session.identity)
        requests = issue_requests(session.service, sender_of(args, session), args.holder, original, uri=args.uri,
                                  embed=not args.no_embed, reward_type=args.reward_type)
        return write(args, session, requests)


def cmd_soulbound_revoke(args) -> int:
    with open_session(args) as session:
        sender = sender_of(args, session)
        if args.token is not None:
            request = revoke_request(session.service, sender, token_id=args.token)
        else:
            request = revoke_request(session.service, sender, original=_original(args, session.identity))
        return write(args, session, request)


def cmd_soulbound_status(args) -> int:
    if args.file:  # a verifier's question: needs no vault
        original = _read_file(args.file)
        status, sentence = try_anchor_status(lambda: connect(args), original)
        emit(args, {"status": status, "message": sentence, "credential_hash": hash_hex(original)}, sentence)
        return 0 if status is not None else 1
    with unlocked(args) as identity:
        if args.credential:
            original = _original(args, identity)
            status, sentence = try_anchor_status(lambda: connect(args), original)
            emit(args, {"status": status, "message": sentence, "credential_hash": hash_hex(original)}, sentence)
            return 0 if status is not None else 1
        with connect(args, identity) as chain:
            view = holder_report(chain, identity.store, [a.address for a in identity.accounts()],
                                 import_carried=not args.no_import)
    lines = [f"Soulbound tokens issued to your accounts: {len(view['tokens'])}"]
    for t in view["tokens"]:
        state = "revoked on chain" if t["revoked"] else "anchored on chain, not revoked"
        extra = " (imported now)" if t["imported"] else ""
        if t["import_error"]:
            extra = f" (not imported: {t['import_error']})"
        lines.append(f"  token {t['token_id']} to {t['holder']} from {t['issuer']}: {state}"
                     + (f"; credential {t['credential_id'][:12]}" if t["credential_id"] else "") + extra)
    anchored = [c for c in view["credentials"] if c["status"] != "not-anchored"]
    lines.append(f"Your credentials: {len(view['credentials'])}, anchored: {len(anchored)}, revoked: "
                 f"{sum(c['status'] == 'revoked' for c in anchored)}")
    lines += [f"  {c['id'][:12]}  {c['status']:<12} {c['title']}" for c in view["credentials"]]
    emit(args, view, "\n".join(lines))
    return 0


def add_parser(sub) -> None:
    """`vault soulbound ...`."""
    bp = sub.add_parser("soulbound", help="anchor, revoke and check soulbound credentials").add_subparsers(
        dest="sub", required=True)
    p = command(bp, "issue", cmd_soulbound_issue, "anchor a credential to its holder's address (issuer role)")
    p.add_argument("--holder", required=True, metavar="ADDRESS|DID")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--credential", metavar="ID", help="a credential stored in this vault")
    what.add_argument("--file", metavar="F", help="a credential file (its exact bytes are hashed)")
    uri = p.add_mutually_exclusive_group()
    uri.add_argument("--uri", help="token URI (default: the credential itself, as a data: URI)")
    uri.add_argument("--no-embed", action="store_true", help="an empty token URI")
    p.add_argument("--reward-type", metavar="auto|NAME", help="also declare the credential's type on the rewards "
                                                              "pool (auto: its most specific type), so that "
                                                              "learn-to-earn schedules pay its holder")
    write_options(p, DO_IT)
    p = command(bp, "revoke", cmd_soulbound_revoke, "revoke a credential you anchored")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--token", type=int, metavar="N")
    what.add_argument("--credential", metavar="ID")
    what.add_argument("--file", metavar="F")
    write_options(p, DO_IT)
    p = command(bp, "status", cmd_soulbound_status, "tokens issued to your accounts and which of your "
                                                    "credentials are anchored or revoked; or one credential")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--credential", metavar="ID")
    what.add_argument("--file", metavar="F", help="check a credential file (needs no vault)")
    p.add_argument("--no-import", action="store_true", help="do not import credentials carried by tokens")
