"""`vault market offers|offer|bids|gates|post-offer|bid|accept-bid|fund-offer|release-offer`
and `vault connector register-referrer|earnings|withdraw` in-process on the embedded chain:
--json on every read, the split shown before funding, refusals naming their cause."""

from __future__ import annotations

import json

from eth_utils import keccak

from tests.chain.conftest import USER_ADDRESS
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI on a deployed chain
from vault.chain import client
from vault.chain.contracts import BTK
from vault.chain.embedded import dev_address, dev_key

CONNECTOR = "0x000000000000000000000000000000000000c0DE"


def bid_as_demo_client(data, offer_id: int, price: int, message: str) -> None:
    """A second account (the embedded chain's demo client) bids, outside this vault."""
    with client.connect(None, data) as chain:
        m = chain.contracts.extension("talent_market")
        chain.transact(dev_key("client"), {"to": m.address, "data": m.encode_abi(
            "bid", [offer_id, price, 0, 0, message])})


def test_cli_talent_market_from_post_to_release(vault):
    code, out, err = vault("market", "post-offer", "--budget", "1000", "--title", "Course certificate design",
                           "--min-stake", "5", "--yes")
    assert code == 0, err
    code, offers, _ = vault("market", "offers", "--status", "open")
    (offer,) = [o for o in offers if o["client"] == USER_ADDRESS]
    oid = str(offer["id"])
    assert offer["title"] == "Course certificate design" and offer["gate"]["min_stake"] == "5"
    code, report, _ = vault("market", "gates", oid, "--account", dev_address("client"), passphrase=False)
    assert code == 1 and report["ok"] is False and "needs 5 BTK staked; you have 0 BTK staked" in report["missing"][0]
    code, _, err = vault("market", "bid", oid, "--price", "10", "--yes")
    assert code == 1 and "cannot bid" in err

    code, _, err = vault("market", "post-offer", "--budget", "1000", "--title", "Logo", "--yes")
    # The text list names a gate's type when it is a known name's hash, else shows the hash.
    code, text, _ = vault("market", "offers", json_out=False, passphrase=False)
    assert f"needs: a CourseCompletionCredential credential from {dev_address('issuer')}" in text
    code, _, err = vault("market", "post-offer", "--budget", "10", "--title", "Degree holders only", "--issuer",
                         dev_address("issuer"), "--credential-type", "BachelorDegree", "--yes")
    assert code == 0, err
    type_hex = "0x" + keccak(text="BachelorDegree").hex()
    assert f"needs: a {type_hex} credential from" in vault("market", "offers", json_out=False, passphrase=False)[1]
    named = vault("market", "offers", "--type-name", "BachelorDegree", json_out=False, passphrase=False)[1]
    assert "needs: a BachelorDegree credential from" in named
    liar = vault("market", "offers", "--type-name", "MasterDegree", json_out=False, passphrase=False)[1]
    assert "needs: a MasterDegree credential" not in liar   # a name is shown only for its own hash
    oid = str(max(o["id"] for o in vault("market", "offers")[1] if o["title"] == "Logo"))
    bid_as_demo_client(vault.data, int(oid), 1000 * BTK, "Logo in two days")
    code, bids, _ = vault("market", "bids", oid, passphrase=False)
    assert [(b["bidder"], b["price"], b["message"]) for b in bids] == [(dev_address("client"), "1000",
                                                                       "Logo in two days")]
    code, out, err = vault("market", "accept-bid", oid, str(bids[0]["bid_id"]), "--yes")
    assert code == 0, err
    assert vault("connector", "register-referrer", CONNECTOR, "--yes")[0] == 0
    code, _, err = vault("connector", "register-referrer", dev_address("issuer"), "--yes")
    assert code == 1 and "never changes" in err
    code, text, err = vault("market", "fund-offer", oid, "--yes", json_out=False)
    assert code == 0, err
    assert "Split: you pay 1,000 + 25 fee; talent receives 1,000; connectors 10; treasury 15; burned 0" in err
    code, shown, _ = vault("market", "offer", oid)
    assert shown["status"] == "funded" and shown["split"]["connectors"] == str(10 * BTK)
    assert vault("market", "release-offer", oid, "--yes")[0] == 0
    code, earnings, _ = vault("connector", "earnings", "--account", CONNECTOR, passphrase=False)
    assert earnings["withdrawable"] == "10" and earnings["referred"] == [USER_ADDRESS]
    code, mine, _ = vault("connector", "earnings")
    assert mine[0]["referrer"] == CONNECTOR
    code, _, err = vault("connector", "withdraw", "--yes")
    assert code == 1 and "no connector earnings" in err


def test_cli_signed_referral_round_trip(vault):
    path = vault.tmp / "referral.json"
    code, signed, err = vault("connector", "register-referrer", CONNECTOR, "--sign-only", "--out", str(path))
    assert code == 0, err
    assert json.loads(path.read_text())["signature"] == signed["signature"]
    forged = dict(signed, referrer=dev_address("issuer"))
    (vault.tmp / "forged.json").write_text(json.dumps(forged))
    code, _, err = vault("connector", "register-referrer", "--signed", str(vault.tmp / "forged.json"), "--yes")
    assert code == 1 and "signature" in err.lower()
    code, out, err = vault("connector", "register-referrer", "--signed", str(path), "--yes")
    assert code == 0, err
    assert vault("connector", "earnings", "--account", USER_ADDRESS, passphrase=False)[1]["referrer"] == CONNECTOR


def test_a_hostile_bid_message_is_shown_as_inert_text(vault):
    """A bidder's message is anyone's text on chain: terminal escapes and bidi overrides in
    it must not reach the terminal as controls (the JSON keeps the exact text)."""
    vault("market", "post-offer", "--budget", "10", "--title", "Logo", "--yes")
    oid = max(o["id"] for o in vault("market", "offers")[1])
    hostile = "\x1b]0;pwned\x07\x1b[2JPay to 0xdead\u202eevil"
    bid_as_demo_client(vault.data, oid, 5 * BTK, hostile)
    code, text, _ = vault("market", "bids", str(oid), passphrase=False, json_out=False)
    assert code == 0 and "Pay to 0xdead" in text
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert vault("market", "bids", str(oid), passphrase=False)[1][0]["message"] == hostile


def test_cli_bid_on_a_demo_offer_then_tell_the_demo_client_it_is_delivered(vault):
    """The local test chain's demo client takes a bid on its offer at once and pays into
    escrow; `deliver-offer` makes it release; a second time is refused in words."""
    code, _, err = vault("market", "bid", "0", "--price", "250", "--yes")
    assert code == 0, err
    assert vault("market", "offer", "0")[1]["status"] == "funded"
    code, done, err = vault("market", "deliver-offer", "0")
    assert code == 0 and done["offer_id"] == 0, err
    code, _, err = vault("market", "deliver-offer", "0")
    assert code == 1 and "cannot be paid out" in err
