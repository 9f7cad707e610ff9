"""The embedded chain's demo client on the talent market, so that a newcomer's first gig
there can end: a bid on one of its offers is accepted and paid into escrow right after it
is mined; the talent's "delivered" makes it release the whole price and the bond. It is
refused (nothing signed) for another client's offer, for someone who is not the talent,
before the escrow, and off the embedded chain."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS
from tests.chain.test_flow_talent import refused, run
from vault.chain import demo
from vault.chain.contracts import BTK
from vault.chain.embedded import dev_address, dev_key
from vault.chain.talent import TalentMarket

UNGATED = 0   # "Write unit tests for a small Python package" (extensions/talent_market.DEMO_OFFERS)


@pytest.fixture
def backend() -> str:
    return "embedded"


def test_a_bid_on_a_demo_offer_is_taken_funded_and_released_on_delivery(chain, service):
    tm = TalentMarket(chain)
    assert tm.offer(UNGATED)["client"] == demo.client_address()
    before = chain.btk_balance(USER_ADDRESS)
    run(service, tm.bid_plan(service, USER_ADDRESS, UNGATED, price=250 * BTK, stake=5 * BTK, message="I can"))
    o = TalentMarket(chain).offer(UNGATED)
    assert (o["status"], o["talent"], o["price_wei"], o["bond_wei"]) == ("funded", USER_ADDRESS, str(250 * BTK),
                                                                        str(5 * BTK))
    assert chain.btk_balance(USER_ADDRESS) == before - 5 * BTK   # the bond is held
    refused("not-talent", demo.deliver_offer, chain, UNGATED, demo.client_address())
    done = demo.deliver_offer(chain, UNGATED, USER_ADDRESS)
    assert done["offer_id"] == UNGATED and TalentMarket(chain).offer(UNGATED)["status"] == "released"
    assert chain.btk_balance(USER_ADDRESS) == before + 250 * BTK   # the whole price, and the bond back
    refused("offer-released", demo.deliver_offer, chain, UNGATED, USER_ADDRESS)


def test_the_demo_client_is_told_nothing_about_offers_that_are_not_its_own(chain, service):
    tm = TalentMarket(chain)
    run(service, tm.post_plan(service, USER_ADDRESS, budget=50 * BTK, details="My own offer"))
    mine = TalentMarket(chain).offers()[-1]["id"]
    refused("not-demo-gig", demo.deliver_offer, chain, mine, USER_ADDRESS)
    refused("unknown-offer", demo.deliver_offer, chain, 99, USER_ADDRESS)
    assert demo.take_first_bids(chain, [mine]) == []   # not its offer: nothing accepted


def test_before_the_escrow_nothing_is_released_and_a_missed_bid_is_taken_later(chain, service, monkeypatch):
    """The demo client's answer to a bid fails: the bid is still mined (the bidder's own
    transaction), delivering is refused while nothing is in escrow, and asking the demo
    client again takes the bid it missed."""
    real = demo.take_first_bids
    monkeypatch.setattr(demo, "take_first_bids", lambda *a, **k: 1 / 0)
    tm = TalentMarket(chain)
    run(service, tm.bid_plan(service, USER_ADDRESS, UNGATED, price=100 * BTK, stake=0, message="mine"))
    assert TalentMarket(chain).offer(UNGATED)["status"] == "open"
    refused("offer-open", demo.deliver_offer, chain, UNGATED, USER_ADDRESS)
    assert real(chain) == [UNGATED]
    o = TalentMarket(chain).offer(UNGATED)
    assert (o["status"], o["talent"]) == ("funded", USER_ADDRESS)


def test_another_accounts_bid_is_its_own_the_user_cannot_claim_delivery(chain, service):
    m = chain.contracts.extension("talent_market")
    chain.transact(dev_key("faucet"), {"to": m.address, "data": m.encode_abi(
        "bid", [UNGATED, 100 * BTK, 0, 0, "the faucet bids"])})
    o = TalentMarket(chain).offer(UNGATED)
    assert o["status"] == "funded" and o["talent"] == dev_address("faucet")
    refused("not-talent", demo.deliver_offer, chain, UNGATED, USER_ADDRESS)
