"""`vault market ...`: the talent market first (what new offers use), then the older
escrow marketplace, whose gigs stay readable and finishable.

    vault market offers | post-offer | bid | bids | accept-bid | ...   the talent market (market_talent.py)
    vault market list | post --title T [--details D] | accept | fund | release | refund | cancel | mine
    vault market deliver ID                  tell the local test chain's demo client: it pays out

Every write prints its preview and asks; --yes sends without asking (scripts). Without
--yes and without a terminal it refuses (exit 2).
"""

from __future__ import annotations

from ...chain.marketplace import Gig, Market, offer_text
from ...chain.units import format_amount, format_units, percent
from ..io import UsageError, emit
from ..options import command, write_options
from ..session import address_arg, amount_arg, connect, open_session, sender_of, write
from .market_talent import add_commands as add_talent_commands


def _gig_line(g: Gig) -> str:
    who = f", talent {g.talent}" if g.talent else ""
    roles = f" [{', '.join(g.roles)}]" if g.roles else ""
    return (f"#{g.id:<4} {g.kind:<9} {format_amount(g.price):>12} BTK  {g.status:<9} by {g.client}{who}{roles}\n"
            f"      {g.details}")


def cmd_market_list(args) -> None:
    with connect(args) as chain:
        rows = Market(chain).gigs(status=args.status, kind=args.kind)
    emit(args, rows, "\n".join(_gig_line(g) for g in rows) or "No gigs.")


def cmd_market_mine(args) -> None:
    if args.account:
        with connect(args) as chain:
            rows = Market(chain).mine(address_arg(args.account))
    else:
        with open_session(args, sign=False) as s:
            market = Market(s.chain)
            rows = [g for a in s.accounts for g in market.mine(a)]
    emit(args, rows, "\n".join(_gig_line(g) for g in rows) or "You have no gigs.")


def cmd_market_post(args) -> int:
    if args.window_days < 0:
        raise UsageError("--window-days must be zero or more")
    if not (args.title or args.details).strip():
        raise UsageError("give the offer a --title (what people see in the list)")
    details = offer_text(args.title, args.details) if args.title else args.details
    with open_session(args) as s:
        request = Market(s.chain).post_request(
            s.service, sender_of(args, s), kind=args.kind, price=amount_arg(args.price), details=details,
            connector=args.connector, referral_bps=args.referral_bps, delivery_window=int(args.window_days * 86400))
        return write(args, s, request)


def _market_write(args, method: str, extra=None) -> int:
    with open_session(args) as s:
        market = Market(s.chain)
        request = getattr(market, method)(s.service, sender_of(args, s), args.gig_id)
        return write(args, s, request, intro=extra(market) if extra else ())


def cmd_market_accept(args) -> int:
    return _market_write(args, "accept_request")


def cmd_market_release(args) -> int:
    return _market_write(args, "release_request",
                         lambda m: Market.breakdown_lines(m.release_breakdown(args.gig_id)))


def cmd_market_refund(args) -> int:
    return _market_write(args, "refund_request")


def cmd_market_cancel(args) -> int:
    return _market_write(args, "cancel_request")


def cmd_market_deliver(args) -> None:
    # start-up: chain.demo ~600 ms (it imports the embedded chain, which loads py-evm)
    from ...chain.demo import deliver

    with open_session(args, sign=False) as s:
        done = deliver(s.chain, args.gig_id, sender_of(args, s))
    emit(args, done, f"The demo client released gig {done['gig_id']} in block {done['block']}: "
                     f"{format_units(int(done['talent_amount_wei']), 'BTK')} to you, "
                     f"{format_units(int(done['fee_wei']), 'BTK')} ({percent(done['fee_bps'])}) to the treasury.")


def cmd_market_fund(args) -> int:
    with open_session(args) as s:
        market = Market(s.chain)
        sender = sender_of(args, s)
        if args.approve:
            requests = market.fund_requests(s.service, sender, args.gig_id)
        else:
            requests = market.fund_with_permit_request(s.service, sender, args.gig_id,
                                                       s.identity.eth_private_key(sender))
        return write(args, s, requests)


def add_parser(sub) -> None:
    """`vault market ...`."""
    mp = sub.add_parser("market", help="the talent market (offers, bids backed by stake, gates); and the older "
                                       "escrow marketplace").add_subparsers(dest="sub", required=True)
    add_talent_commands(mp)   # listed first: new offers go to the talent market
    p = command(mp, "list", cmd_market_list, "older escrow marketplace: its gigs and mentoring offers (talent "
                                             "market: offers)")
    p.add_argument("--status", choices=("open", "accepted", "funded", "released", "refunded", "cancelled"))
    p.add_argument("--kind", choices=("gig", "mentoring"))
    p = command(mp, "post", cmd_market_post, "older escrow marketplace: post a gig or mentoring offer, first "
                                             "come first served, the talent pays the fee (new offers: post-offer, "
                                             "with bids and gates)")
    p.add_argument("--kind", choices=("gig", "mentoring"), default="gig")
    p.add_argument("--price", required=True, help="BTK")
    p.add_argument("--title", help="what people see in the list (the first line on chain)")
    p.add_argument("--details", default="", help="more about it (the following lines); alone, its first line "
                                                 "is the title")
    p.add_argument("--connector", metavar="ADDRESS", help="who referred the talent (gets --referral-bps)")
    p.add_argument("--referral-bps", type=int, default=0, help="the referrer's cut in hundredths of a percent "
                                                               "(500 = 5 %%)")
    p.add_argument("--window-days", type=float, default=7.0, help="delivery window after funding")
    write_options(p)
    for name, func, text in (("accept", cmd_market_accept, "older escrow marketplace: accept a gig as talent"),
                             ("release", cmd_market_release, "older escrow marketplace: release the escrow to the "
                                                             "talent (client); shows fee and referral first"),
                             ("refund", cmd_market_refund, "older escrow marketplace: refund the escrow to the "
                                                           "client (talent any time, client after the delivery "
                                                           "window)"),
                             ("cancel", cmd_market_cancel, "older escrow marketplace: cancel a gig before it is "
                                                           "funded (client)")):
        p = command(mp, name, func, text)
        p.add_argument("gig_id", type=int)
        write_options(p)
    p = command(mp, "fund", cmd_market_fund, "older escrow marketplace: fund the escrow as client (permit, or "
                                             "approve + fund)")
    p.add_argument("gig_id", type=int)
    p.add_argument("--approve", action="store_true", help="approve + fund (two transactions) instead of one "
                                                          "with an ERC-2612 permit")
    write_options(p)
    p = command(mp, "mine", cmd_market_mine, "older escrow marketplace: your gigs, as client, talent or "
                                             "connector")
    p.add_argument("--account", metavar="ADDRESS")
    p = command(mp, "deliver", cmd_market_deliver, "older escrow marketplace, local test chain: tell the demo "
                                                   "client that your work for its offer is delivered; it "
                                                   "releases the escrow to you")
    p.add_argument("gig_id", type=int)
    p.add_argument("--from", dest="sender", metavar="ADDRESS", help="which vault account (default: the first)")
