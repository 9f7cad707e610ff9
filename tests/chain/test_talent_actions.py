"""vault.chain.talent.actions: what the desktop offers each account on a talent-market
offer, and why not. A bidder never gets Accept, a client never gets Bid, nobody but
the bidder gets Withdraw, and the client's refund waits for the delivery window."""

from vault.chain.talent import Bid, Gate, Offer
from vault.chain.talent.actions import bid_actions, offer_actions

CLIENT, TALENT, OTHER = "0x" + "aa" * 20, "0x" + "bB" * 20, "0x" + "cc" * 20


def offer(status="open", talent=None, refundable_at=None):
    return Offer(id=0, client=CLIENT, budget=10**18, delivery_window=0, gate=Gate(None, None, 0), details="",
                 status=status, posted_block=1, talent=talent, accepted_bid=None, price=0, bond=0, terms=None, fee=0,
                 refundable_at=refundable_at, connectors=(), treasury=0, burned=0, refund=None)


def bid(bidder=TALENT, status="active"):
    return Bid(offer_id=0, bid_id=0, bidder=bidder, price=10**18, stake=0, message="", message_hash="0x", status=status,
               block=1, reputation={"completed": 0, "score": 0})


def test_who_may_bid_fund_release_refund_cancel():
    o = offer()
    assert "You posted this offer" in offer_actions(o, CLIENT, 0, [])["bid"]
    assert offer_actions(o, TALENT, 0, [])["bid"] is None
    assert "withdraw that bid" in offer_actions(o, TALENT.lower(), 0, [bid()])["bid"]    # any case of the address
    assert offer_actions(o, TALENT, 0, [bid(status="withdrawn")])["bid"] is None
    assert offer_actions(o, CLIENT, 0, [])["cancel"] is None
    assert offer_actions(o, OTHER, 0, [])["cancel"].startswith("Only the client")

    accepted = offer("accepted", TALENT)
    assert offer_actions(accepted, CLIENT, 0, [])["fund"] is None
    assert "a bid was accepted" in offer_actions(accepted, OTHER, 0, [])["bid"]
    assert offer_actions(accepted, TALENT, 0, [])["fund"].startswith("Only the client")

    funded = offer("funded", TALENT, refundable_at=100)
    assert offer_actions(funded, CLIENT, 50, [])["release"] is None
    assert "after the delivery window" in offer_actions(funded, CLIENT, 99, [])["refund"]
    assert offer_actions(funded, CLIENT, 100, [])["refund"] is None
    assert offer_actions(funded, TALENT, 0, [])["refund"] is None
    assert offer_actions(funded, OTHER, 0, [])["refund"].startswith("Only the client or the talent")
    assert "already funded" in offer_actions(funded, CLIENT, 0, [])["cancel"]
    assert "already released" in offer_actions(offer("released", TALENT), CLIENT, 0, [])["release"]


def test_only_the_client_accepts_and_only_the_bidder_withdraws():
    o = offer()
    assert bid_actions(o, bid(), CLIENT) == {"accept": None, "withdraw": "Only its bidder can withdraw a bid."}
    assert bid_actions(o, bid(), TALENT)["accept"].startswith("Only the client")
    assert bid_actions(o, bid(), TALENT)["withdraw"] is None
    assert bid_actions(o, bid(), OTHER)["withdraw"] == "Only its bidder can withdraw a bid."
    assert "released" in bid_actions(o, bid(status="released"), CLIENT)["accept"]
    assert "already accepted" in bid_actions(offer("accepted", TALENT), bid(status="accepted"), CLIENT)["accept"]
