"""The talent market scenario for bench.flows (embedded chain and anvil side by side):
the client names its connector, posts an offer, the talent bids with a stake (approve +
bid), the client accepts the bid, funds price + fee (approve + fund) and releases; the
talent's whole price and bond, the connector's earnings and the treasury's share are
checked. Each write is a Plan run by TxService.run, as the desktop and the CLI run it."""

from __future__ import annotations

BTK = 10**18
CONNECTOR = "0x000000000000000000000000000000000000c0DE"
PRICE = 1_000 * BTK
STAKE = 50 * BTK


def talent_setup(service, first: str, talent: str) -> None:
    from bench.flows import send

    send(service, service.eth_transfer(first, talent, 5 * BTK))
    send(service, service.btk_transfer(first, talent, 100 * BTK))


def talent_market(chain, service, client: str, talent: str, clock) -> None:
    from vault.chain.plan import as_plan
    from vault.chain.talent import TalentMarket

    def run(label, build):
        plan = as_plan(build())
        clock(f"{label} ({len(plan.requests)} tx)", lambda: service.run(plan, confirm=lambda _ask: True))

    tm = clock("open the market (event log)", TalentMarket, chain)
    token = chain.contracts.token
    treasury = chain.contracts.timelock.address
    before = {a: token.functions.balanceOf(a).call() for a in (treasury, talent)}
    run("talent-register-referrer", lambda: tm.register_referrer_plan(service, client, CONNECTOR))
    run("talent-post", lambda: tm.post_plan(service, client, budget=PRICE, details="Grade 30 essays"))
    oid = max(o.id for o in tm.offers())
    run("talent-bid", lambda: tm.bid_plan(service, talent, oid, price=PRICE, stake=STAKE, message="Two days"))
    bid = clock("list bids (events)", tm.bids, oid)[0]
    run("talent-accept-bid", lambda: tm.accept_bid_plan(service, client, oid, bid.bid_id))
    split = clock("funding split", tm.funding_split, oid)
    run("talent-fund", lambda: tm.fund_plan(service, client, oid))
    run("talent-release", lambda: tm.release_plan(service, client, oid))

    def check():
        after = {a: token.functions.balanceOf(a).call() for a in (treasury, talent)}
        assert after[talent] - before[talent] == PRICE  # the whole price; the bond came back
        assert after[treasury] - before[treasury] == split.treasury > 0
        assert int(tm.connector(CONNECTOR)["withdrawable_wei"]) == split.client_connector > 0

    clock("check", check)
