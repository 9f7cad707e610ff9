"""`vault wallet ...`, `vault stake ...`, `vault soulbound ...`.

    vault wallet balance [--address A]                     ETH, BTK, staked, tier
    vault wallet send --to ADDR|did:pkh --amount X [--asset btk|eth]
    vault wallet tip --to ADDR|did:pkh --amount X --note TEXT
    vault wallet history [--limit N]                        readable, with decoded events
    vault stake validators                                  id, operator, name, commission, slashed
    vault stake stake --validator ID --amount X             (approves the pool first when needed)
    vault stake unstake --amount X [--validator ID] | withdraw | claim | status [--address A]
    vault soulbound issue --holder ADDR|did:pkh (--credential ID | --file F) [--uri U | --no-embed]
    vault soulbound revoke (--token N | --credential ID | --file F)
    vault soulbound status [--credential ID | --file F]     holder's view, or one credential's anchor

Every write prints its preview and asks; --yes skips the question (scripts). Without
--yes and without a terminal to ask on, a write is refused (exit 2) instead of waiting.
"""

from __future__ import annotations

from pathlib import Path

from .cli import UsageError, emit, open_identity
from .cli_chain import _connect, address_arg, amount_arg, open_session, sender_of, write
from .errors import VaultError


def register(sub, command, common) -> None:
    """Add the `wallet`, `stake` and `soulbound` command groups to the `vault` parser."""

    def write_options(p):
        p.add_argument("--from", dest="sender", metavar="ADDRESS", help="which vault account (default: the first)")
        p.add_argument("--yes", action="store_true", help="do it without asking after the preview")

    wp = sub.add_parser("wallet", help="balances, send, tip, history").add_subparsers(dest="sub", required=True)
    p = command(wp, "balance", cmd_wallet_balance, "ETH, BTK, staked BTK and premium tier of an account")
    p.add_argument("--address", help="any address or did:pkh (needs no passphrase); default: your first account")
    for name, func, text in (("send", cmd_wallet_send, "send BTK (or ETH) to an address or did:pkh"),
                             ("tip", cmd_wallet_tip, "send BTK (or ETH) with a note")):
        p = command(wp, name, func, text)
        p.add_argument("--to", required=True, metavar="ADDRESS|DID")
        p.add_argument("--amount", required=True, help="in whole tokens, e.g. 12.5")
        p.add_argument("--asset", choices=("btk", "eth"), default="btk")
        if name == "tip":
            p.add_argument("--note", required=True)
        write_options(p)
    p = command(wp, "history", cmd_wallet_history, "your transactions, newest first, in words")
    p.add_argument("--limit", type=int)

    sp = sub.add_parser("stake", help="validators, stake, unstake, withdraw, claim, status").add_subparsers(
        dest="sub", required=True)
    command(sp, "validators", cmd_stake_validators, "the validators: operator, name, stake, commission, slashed")
    p = command(sp, "stake", cmd_stake_stake, "stake BTK with (delegate to) a validator")
    p.add_argument("--validator", type=int, required=True, metavar="ID")
    p.add_argument("--amount", required=True)
    write_options(p)
    p = command(sp, "unstake", cmd_stake_unstake, "start unstaking (the cooldown starts)")
    p.add_argument("--amount", required=True)
    p.add_argument("--validator", type=int, metavar="ID", help="the validator you stake with (checked; an "
                                                                 "account stakes with one at a time)")
    write_options(p)
    p = command(sp, "withdraw", cmd_stake_withdraw, "withdraw unstaked BTK after the cooldown")
    write_options(p)
    p = command(sp, "claim", cmd_stake_claim, "claim staking rewards")
    write_options(p)
    p = command(sp, "status", cmd_stake_status, "staked, pending rewards and cooldown of an account")
    p.add_argument("--address", help="any address or did:pkh (needs no passphrase); default: your first account")

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
    write_options(p)
    p = command(bp, "revoke", cmd_soulbound_revoke, "revoke a credential you anchored")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--token", type=int, metavar="N")
    what.add_argument("--credential", metavar="ID")
    what.add_argument("--file", metavar="F")
    write_options(p)
    p = command(bp, "status", cmd_soulbound_status, "tokens issued to your accounts and which of your "
                                                    "credentials are anchored or revoked; or one credential")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--credential", metavar="ID")
    what.add_argument("--file", metavar="F", help="check a credential file (needs no vault)")
    p.add_argument("--no-import", action="store_true", help="do not import credentials carried by tokens")


# ---- helpers ----------------------------------------------------------------------------

def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc


def _with_service(args, build) -> int:
    """Open the vault and the chain, build the plan's requests with ``build(service,
    sender)``, then preview, confirm and send them (cli_chain.write: TxService.run)."""
    with open_session(args) as session:
        return write(args, session, build(session.service, sender_of(args, session)))


def _read_target(args, fn):
    """Run ``fn(chain, address)`` for --address (no passphrase) or the first account."""
    if getattr(args, "address", None):
        address = address_arg(args.address)
        chain = _connect(args)
        try:
            return fn(chain, address)
        finally:
            chain.close()
    identity = open_identity(args)
    try:
        chain = _connect(args, identity)
        try:
            return fn(chain, identity.accounts()[0].address)
        finally:
            chain.close()
    finally:
        identity.store.lock()


# ---- wallet -----------------------------------------------------------------------------

def cmd_wallet_balance(args) -> None:
    from .chain.wallet import balance

    from .chain.networks import LOCAL_CHAIN_TEXT

    data, local = _read_target(args, lambda chain, address: (balance(chain, address), chain.embedded is not None))
    emit(args, data, "\n".join([f"Account: {data['address']}", f"ETH:     {data['ETH']}",
                                f"BTK:     {data['BTK']}", f"Staked:  {data['staked']} BTK",
                                f"Tier:    {data['tier']}"] + ([f"({LOCAL_CHAIN_TEXT}.)"] if local else [])))


def cmd_wallet_send(args) -> int:
    from .chain.wallet import send_request

    amount = amount_arg(args.amount)
    return _with_service(args, lambda service, sender: send_request(service, sender, args.to, amount, args.asset))


def cmd_wallet_tip(args) -> int:
    from .chain.wallet import tip_request

    amount = amount_arg(args.amount)
    return _with_service(args, lambda service, sender: tip_request(service, sender, args.to, amount, args.note,
                                                                    args.asset))


def cmd_wallet_history(args) -> None:
    from .chain.wallet import history, history_lines

    identity = open_identity(args)
    try:
        entries = history(identity.store, limit=args.limit)
    finally:
        identity.store.lock()
    emit(args, entries, "\n".join(history_lines(entries)) or "No transactions yet.")


# ---- stake ------------------------------------------------------------------------------

def cmd_stake_validators(args) -> None:
    from .chain.staking import validators
    chain = _connect(args)
    try:
        rows = validators(chain)
    finally:
        chain.close()
    lines = [f"{'id':>3}  {'name':<20} {'operator':<42} {'delegated BTK':>16} {'commission':>10}  slashed"]
    lines += [f"{v['id']:>3}  {v['name'][:20]:<20} {v['operator']:<42} {v['total_delegated']:>16} "
              f"{v['commission']:>10}  {'yes' if v['slashed'] else 'no'}" for v in rows]
    emit(args, rows, "\n".join(lines))


def cmd_stake_stake(args) -> int:
    from .chain.staking import stake_requests

    amount = amount_arg(args.amount)
    return _with_service(args, lambda service, sender: stake_requests(service, sender, args.validator, amount))


def cmd_stake_unstake(args) -> int:
    from .chain.staking import unstake_request

    amount = amount_arg(args.amount)
    return _with_service(args, lambda service, sender: unstake_request(service, sender, amount, args.validator))


def cmd_stake_withdraw(args) -> int:
    from .chain.staking import withdraw_request

    return _with_service(args, withdraw_request)


def cmd_stake_claim(args) -> int:
    from .chain.staking import claim_request

    return _with_service(args, claim_request)


def cmd_stake_status(args) -> None:
    from .chain.staking import status, status_lines

    data = _read_target(args, status)
    emit(args, data, "\n".join(status_lines(data)))


# ---- soulbound --------------------------------------------------------------------------

def _original(args, identity) -> bytes:
    if args.file:
        return _read_file(args.file)
    from .credentials.repository import CredentialRepository

    return CredentialRepository(identity.store).original(args.credential)


def cmd_soulbound_issue(args) -> int:
    from .anchoring.writes import issue_requests

    with open_session(args) as session:
        original = _original(args, session.identity)
        requests = issue_requests(session.service, sender_of(args, session), args.holder, original, uri=args.uri,
                                  embed=not args.no_embed)
        return write(args, session, requests)


def cmd_soulbound_revoke(args) -> int:
    from .anchoring.writes import revoke_request

    with open_session(args) as session:
        sender = sender_of(args, session)
        if args.token is not None:
            request = revoke_request(session.service, sender, token_id=args.token)
        else:
            request = revoke_request(session.service, sender, original=_original(args, session.identity))
        return write(args, session, request)


def cmd_soulbound_status(args) -> int:
    from .anchoring.hashing import hash_hex
    from .anchoring.holder import holder_report
    from .anchoring.verify import try_anchor_status

    if args.file:  # a verifier's question: needs no vault
        original = _read_file(args.file)
        status, sentence = try_anchor_status(lambda: _connect(args), original)
        emit(args, {"status": status, "message": sentence, "credential_hash": hash_hex(original)}, sentence)
        return 0 if status is not None else 1
    identity = open_identity(args)
    try:
        if args.credential:
            original = _original(args, identity)
            status, sentence = try_anchor_status(lambda: _connect(args), original)
            emit(args, {"status": status, "message": sentence, "credential_hash": hash_hex(original)}, sentence)
            return 0 if status is not None else 1
        chain = _connect(args, identity)
        try:
            view = holder_report(chain, identity.store, [a.address for a in identity.accounts()],
                                 import_carried=not args.no_import)
        finally:
            chain.close()
    finally:
        identity.store.lock()
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


__all__ = ["register", "VaultError"]
