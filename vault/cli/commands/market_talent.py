"""`vault market ...` on the talent market (bids backed by stake, gated offers, the client
pays the fee): added to the `market` group beside the older gig commands.

    vault market offers [--status S] | offer ID | bids ID [--all] | gates ID [--account A]
    vault market post-offer --budget X --title T [--issuer A --credential-type NAME] [--min-stake X]
    vault market bid ID --price X [--stake Y] [--message M]
    vault market withdraw-bid ID BID | accept-bid ID BID
    vault market fund-offer ID | release-offer ID | refund-offer ID | cancel-offer ID
    vault market declare-type TOKEN TYPE        (an issuer: the type of a soulbound credential)
    vault market deliver-offer ID               (local test chain: the demo client pays out)

Reads take --json; writes print their preview and ask (--yes sends without asking).
"""

from __future__ import annotations

from ..io import UsageError, emit
from ..options import command, write_options
from ..session import address_arg, amount_arg, connect, open_session, sender_of, write


def _offer_line(o: dict, names=()) -> str:
    """``names``: credential type names a gate's hash may be (shown by name only when it is
    that name's hash; otherwise the hash, which `vault market declare-type` also takes)."""
    from ...chain.talent.gates import type_label  # start-up: as _market's (eth-utils)

    gate = []
    if o["gate"]["issuer"]:
        kind = o["gate"]["credential_type"]
        what = f"a {type_label(kind, names)} credential" if kind else "a credential"
        gate.append(f"{what} from {o['gate']['issuer']}")
    if int(o["gate"]["min_stake_wei"]):
        gate.append(f"{o['gate']['min_stake']} BTK staked")
    who = f", talent {o['talent']} at {o['price']} BTK" if o["talent"] else ""
    roles = f" [{', '.join(o['roles'])}]" if o.get("roles") else ""
    return (f"#{o['id']:<4} up to {o['budget']:>10} BTK  {o['status']:<9} by {o['client']}{who}{roles}\n"
            f"      {o['title']}" + (f"\n      needs: {'; '.join(gate)}" if gate else ""))


def _bid_line(b: dict) -> str:
    return (f"bid {b['bid_id']:<3} {b['price']:>10} BTK  stake {b['stake']:>8} BTK  reputation "
            f"{b['reputation']['score']:<3} {b['status']:<9} {b['bidder']}\n      {b['message']}")


def _market(chain):
    # start-up: the chain stack (web3, eth-account: ~0.9 s measured for vault.chain.talent)
    # only for the command that runs, as every chain command does
    from ...chain.talent import TalentMarket

    return TalentMarket(chain)


def _names(args) -> tuple:
    """The type names an offer's gate is shown as: --type-name ones and the demo offers'."""
    from ...chain.extensions.talent_market import DEMO_CREDENTIAL_TYPE  # start-up: as _market's

    return tuple(args.type_name or ()) + (DEMO_CREDENTIAL_TYPE,)


def cmd_offers(args) -> None:
    with connect(args) as chain:
        rows = _market(chain).offers(status=args.status)
    names = _names(args)
    emit(args, rows, "\n".join(_offer_line(o, names) for o in rows) or "No offers on the talent market.")


def cmd_offer(args) -> None:
    with connect(args) as chain:
        tm = _market(chain)
        o = tm.offer(args.offer_id)
        o["bids"] = tm.bids(args.offer_id, all_bids=True)
        o["split"] = tm.funding_split(args.offer_id).to_json() if o["talent"] else None
    lines = [_offer_line(o, _names(args)), o["details"]] + [_bid_line(b) for b in o["bids"]]
    if o["split"]:
        lines.append("Split: " + o["split"]["text"])
    emit(args, o, "\n".join(lines))


def cmd_bids(args) -> None:
    with connect(args) as chain:
        rows = _market(chain).bids(args.offer_id, all_bids=args.all)
    emit(args, rows, "\n".join(_bid_line(b) for b in rows) or f"No active bids on offer {args.offer_id}.")


def cmd_gates(args) -> int:
    def report(chain, account):
        return _market(chain).gate_report(args.offer_id, account) | {"account": account}

    if args.account:
        with connect(args) as chain:
            r = report(chain, address_arg(args.account, chain.chain_id))
    else:
        with open_session(args, sign=False) as s:
            r = report(s.chain, sender_of(args, s))
    emit(args, r, f"{r['account']} may bid on offer {args.offer_id}." if r["ok"] else "\n".join(r["missing"]))
    return 0 if r["ok"] else 1


def cmd_post_offer(args) -> int:
    from ...chain.marketplace import offer_text  # start-up: as _market's (the chain stack)

    if args.window_days < 0:
        raise UsageError("--window-days must be zero or more")
    if args.credential_type and not args.issuer:
        raise UsageError("--credential-type needs --issuer (who issues that credential)")
    with open_session(args) as s:
        plan = _market(s.chain).post_plan(
            s.service, sender_of(args, s), budget=amount_arg(args.budget), details=offer_text(args.title, args.details),
            delivery_window=int(args.window_days * 86400), issuer=args.issuer, credential_type=args.credential_type,
            min_stake=amount_arg(args.min_stake) if args.min_stake else 0)
        return write(args, s, plan)


def cmd_bid(args) -> int:
    with open_session(args) as s:
        plan = _market(s.chain).bid_plan(s.service, sender_of(args, s), args.offer_id, price=amount_arg(args.price),
                                         stake=amount_arg(args.stake) if args.stake else 0, message=args.message)
        return write(args, s, plan)


def _write(args, method: str, *ids, intro=None) -> int:
    with open_session(args) as s:
        tm = _market(s.chain)
        plan = getattr(tm, method)(s.service, sender_of(args, s), *ids)
        return write(args, s, plan, intro=intro(tm) if intro else ())


def cmd_withdraw_bid(args) -> int:
    return _write(args, "withdraw_bid_plan", args.offer_id, args.bid_id)


def cmd_accept_bid(args) -> int:
    return _write(args, "accept_bid_plan", args.offer_id, args.bid_id)


def cmd_fund_offer(args) -> int:
    return _write(args, "fund_plan", args.offer_id,
                  intro=lambda tm: ["Split: " + tm.funding_split(args.offer_id).sentence()])


def cmd_release_offer(args) -> int:
    return _write(args, "release_plan", args.offer_id)


def cmd_refund_offer(args) -> int:
    return _write(args, "refund_plan", args.offer_id)


def cmd_cancel_offer(args) -> int:
    return _write(args, "cancel_plan", args.offer_id)


def cmd_declare_type(args) -> int:
    return _write(args, "declare_type_plan", args.token_id, args.credential_type)


def cmd_deliver_offer(args) -> None:
    # start-up: chain.demo ~600 ms (it imports the embedded chain, which loads py-evm)
    from ...chain.demo import deliver_offer

    with open_session(args, sign=False) as s:
        done = deliver_offer(s.chain, args.offer_id, sender_of(args, s))
    emit(args, done, f"The demo client released offer {done['offer_id']} in block {done['block']}: the whole "
                     "price (and any bond) to you.")


def add_commands(mp) -> None:
    """The talent market's commands in the `market` group (``mp``: its subparsers)."""
    p = command(mp, "offers", cmd_offers, "talent market offers: budget, gates, status")
    p.add_argument("--status", choices=("open", "accepted", "funded", "released", "refunded", "cancelled"))
    p.add_argument("--type-name", action="append", metavar="NAME",
                   help="a credential type name to show gates by (when a gate's hash is that name's); repeatable")
    p = command(mp, "offer", cmd_offer, "one talent market offer with its bids and, once accepted, its split")
    p.add_argument("offer_id", type=int)
    p.add_argument("--type-name", action="append", metavar="NAME", help="as for `offers`")
    p = command(mp, "bids", cmd_bids, "an offer's bids, highest stake first, then reputation")
    p.add_argument("offer_id", type=int)
    p.add_argument("--all", action="store_true", help="also withdrawn, released and accepted bids")
    p = command(mp, "gates", cmd_gates, "what an account lacks to bid on an offer (exit 1 when something)")
    p.add_argument("offer_id", type=int)
    p.add_argument("--account", metavar="ADDRESS", help="any account (default: your first, or --from)")
    p.add_argument("--from", dest="sender", metavar="ADDRESS", help="which vault account")
    p = command(mp, "post-offer", cmd_post_offer, "post a talent market offer; talent bid on it (you are the "
                                                  "client and pay the fee on top of the price)")
    p.add_argument("--budget", required=True, help="BTK: the most a bid may ask")
    p.add_argument("--title", required=True, help="what people see in the list (the first line on chain)")
    p.add_argument("--details", default="", help="more about it (the following lines)")
    p.add_argument("--window-days", type=float, default=7.0, help="delivery window after funding")
    p.add_argument("--issuer", metavar="ADDRESS", help="bidders need a valid soulbound credential from this issuer")
    p.add_argument("--credential-type", metavar="NAME", help="... of this type (a name such as BachelorDegree, "
                                                             "or its 0x hash)")
    p.add_argument("--min-stake", metavar="BTK", help="bidders need at least this much staked")
    write_options(p)
    p = command(mp, "bid", cmd_bid, "bid on a talent market offer (the gates are checked first)")
    p.add_argument("offer_id", type=int)
    p.add_argument("--price", required=True, help="BTK you ask, at most the budget")
    p.add_argument("--stake", help="BTK staked on the bid: returned unless you win and fail to deliver")
    p.add_argument("--message", default="", help="a short message to the client (public, on chain)")
    write_options(p)
    for name, func, text in (("withdraw-bid", cmd_withdraw_bid, "take back your bid and its stake"),
                             ("accept-bid", cmd_accept_bid, "accept a bid on your offer; the other stakes go back")):
        p = command(mp, name, func, text)
        p.add_argument("offer_id", type=int)
        p.add_argument("bid_id", type=int)
        write_options(p)
    for name, func, text in (("fund-offer", cmd_fund_offer, "pay price + fee into escrow (shows the split first)"),
                             ("release-offer", cmd_release_offer, "pay the talent the whole price and its bond"),
                             ("refund-offer", cmd_refund_offer, "refund the escrow to the client (talent any time, "
                                                                "client after the delivery window)"),
                             ("cancel-offer", cmd_cancel_offer, "cancel an unfunded offer; stakes go back")):
        p = command(mp, name, func, text)
        p.add_argument("offer_id", type=int)
        write_options(p)
    p = command(mp, "deliver-offer", cmd_deliver_offer, "local test chain: tell the demo client that your work "
                                                        "for its talent-market offer is delivered; it releases "
                                                        "the escrow to you")
    p.add_argument("offer_id", type=int)
    p.add_argument("--from", dest="sender", metavar="ADDRESS", help="which vault account (default: the first)")
    p = command(mp, "declare-type", cmd_declare_type, "as its issuer, declare the type of a soulbound credential "
                                                      "(once), so gated offers can ask for it")
    p.add_argument("token_id", type=int)
    p.add_argument("credential_type", metavar="TYPE", help="a name such as BachelorDegree, or its 0x hash")
    write_options(p)
