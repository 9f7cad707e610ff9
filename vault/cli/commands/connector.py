"""`vault connector ...`: connectors for life on the talent market.

    vault connector register-referrer REFERRER               name yours (once, never changed)
    vault connector register-referrer REFERRER --sign-only   a signed referral for someone else to submit
    vault connector register-referrer --signed FILE          submit one (you pay the gas)
    vault connector earnings [--account A]                   referrer, referred accounts, earnings
    vault connector withdraw                                 take your earnings
"""

from __future__ import annotations

import json
from pathlib import Path

from ..io import UsageError, emit
from ..options import command, write_options
from ..session import address_arg, connect, open_session, sender_of, write


def _market(chain):
    # start-up: the chain stack (web3, eth-account: ~0.9 s measured for vault.chain.talent)
    # only for the command that runs, as every chain command does
    from ...chain.talent import TalentMarket

    return TalentMarket(chain)


def cmd_register(args) -> int:
    if bool(args.referrer) == bool(args.signed):
        raise UsageError("name the REFERRER, or give --signed FILE (a referral another account signed)")
    if args.signed:
        try:
            signed = json.loads(Path(args.signed).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read the signed referral {args.signed}: {exc}") from None
    with open_session(args) as s:
        tm, sender = _market(s.chain), sender_of(args, s)
        if args.signed:
            return write(args, s, tm.register_signed_referrer_plan(s.service, sender, signed))
        if not args.sign_only:
            return write(args, s, tm.register_referrer_plan(s.service, sender, args.referrer))
        signed = tm.sign_referral(s.identity.eth_private_key(sender), sender, args.referrer)
    text = json.dumps(signed, indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    emit(args, signed, (f"Signed referral written to {args.out}" if args.out else text)
         + f"\nAnyone may submit it until {signed['deadline']} (unix time): "
           "vault connector register-referrer --signed FILE")
    return 0


def cmd_earnings(args) -> None:
    if args.account:
        with connect(args) as chain:
            rows = [_market(chain).connector(address_arg(args.account, chain.chain_id))]
    else:
        with open_session(args, sign=False) as s:
            tm = _market(s.chain)
            rows = [tm.connector(a) for a in ([sender_of(args, s)] if args.sender else s.accounts)]
    lines = []
    for c in rows:
        lines.append(f"{c['address']}: referrer {c['referrer'] or 'none named'}; referred {len(c['referred'])} "
                     f"account(s); earned {c['earned']} BTK, withdrawn {c['withdrawn']}, "
                     f"withdrawable {c['withdrawable']}")
        lines += [f"    referred {a}" for a in c["referred"]]
    emit(args, rows if not args.account and not args.sender else rows[0], "\n".join(lines))


def cmd_withdraw(args) -> int:
    with open_session(args) as s:
        return write(args, s, _market(s.chain).withdraw_earnings_plan(s.service, sender_of(args, s)))


def add_parser(sub) -> None:
    """`vault connector ...`."""
    cp = sub.add_parser("connector", help="connectors for life: referrers and their earnings").add_subparsers(
        dest="sub", required=True)
    p = command(cp, "register-referrer", cmd_register, "name who referred you, once and for life: it earns a "
                                                       "share of every offer you complete, out of the fee")
    p.add_argument("referrer", nargs="?", metavar="REFERRER", help="an address or did:pkh")
    p.add_argument("--sign-only", action="store_true", help="sign the referral for someone else to submit "
                                                            "(no transaction, no gas)")
    p.add_argument("--out", metavar="FILE", help="with --sign-only: write the signed referral here")
    p.add_argument("--signed", metavar="FILE", help="submit a referral signed by another account")
    write_options(p)
    p = command(cp, "earnings", cmd_earnings, "referrer, referred accounts and earnings")
    p.add_argument("--account", metavar="ADDRESS", help="any account (no passphrase needed)")
    p.add_argument("--from", dest="sender", metavar="ADDRESS", help="one of your vault accounts")
    p = command(cp, "withdraw", cmd_withdraw, "withdraw your connector earnings")
    write_options(p)
