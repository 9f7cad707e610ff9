"""`vault wallet ...`: balances, send, tip, history.

    vault wallet balance [--address A]                     ETH, BTK, staked, tier
    vault wallet send --to ADDR|did:pkh --amount X [--asset btk|eth]
    vault wallet tip --to ADDR|did:pkh --amount X --note TEXT
    vault wallet history [--limit N]                        readable, with decoded events

Every write prints its preview and asks; --yes skips the question (scripts). Without
--yes and without a terminal to ask on, a write is refused (exit 2) instead of waiting.
"""

from __future__ import annotations

from ...chain.networks import LOCAL_CHAIN_TEXT
from ...chain.units import format_amount
from ...chain.wallet import history, history_lines, holdings, send_request, tip_request
from ..io import emit
from ..options import DO_IT, command, write_options
from ..session import amount_arg, read_target, unlocked, with_service


def cmd_wallet_balance(args) -> None:
    h, local = read_target(args, lambda chain, address: (holdings(chain, address), chain.embedded is not None))
    emit(args, h, "\n".join([f"Account: {h.address}", f"ETH:     {format_amount(h.eth)}",
                             f"BTK:     {format_amount(h.btk)}", f"Staked:  {format_amount(h.staked)} BTK",
                             f"Tier:    {h.tier}"] + ([f"({LOCAL_CHAIN_TEXT}.)"] if local else [])))


def cmd_wallet_send(args) -> int:
    amount = amount_arg(args.amount)
    return with_service(args, lambda service, sender: send_request(service, sender, args.to, amount, args.asset))


def cmd_wallet_tip(args) -> int:
    amount = amount_arg(args.amount)
    return with_service(args, lambda service, sender: tip_request(service, sender, args.to, amount, args.note,
                                                                    args.asset))


def cmd_wallet_history(args) -> None:
    with unlocked(args) as identity:
        entries = history(identity.store, limit=args.limit)
    emit(args, entries, "\n".join(history_lines(entries)) or "No transactions yet.")


def add_parser(sub) -> None:
    """`vault wallet ...`."""
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
        write_options(p, DO_IT)
    p = command(wp, "history", cmd_wallet_history, "your transactions, newest first, in words")
    p.add_argument("--limit", type=int)
