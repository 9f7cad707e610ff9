"""The marketplace end to end (embedded chain and anvil): a client posts, the talent
accepts, the client funds (approve + fund, or one permit transaction) and releases; the
fee reaches the treasury. Plus refund, cancel, history, and the CLI (embedded)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.chain.conftest import USER_ADDRESS
from vault.chain.contracts import BTK
from vault.chain.governance import with_gas_margin
from vault.chain.marketplace import Gig, Market, actions, check_post, roles_of
from vault.errors import ChainError

CONNECTOR = "0x000000000000000000000000000000000000c0DE"


def send(service, request):
    return service.send(service.preview(with_gas_margin(service.chain, request)))


@pytest.fixture
def talent(chain, service, user):
    address = user.add_account("talent").address
    send(service, service.eth_transfer(USER_ADDRESS, address, 5 * BTK))
    return address


def post(market, service, **kw):
    record = send(service, market.post_request(service, USER_ADDRESS, **kw))
    return int(next(e for e in record.events if e["event"] == "GigPosted")["args"]["gigId"])


def test_post_fund_release_pays_fee_and_referral(chain, service, talent):
    market = Market(chain)
    token = chain.contracts.token
    treasury = chain.contracts.timelock.address
    gid = post(market, service, kind="gig", price=1_000 * BTK, details="Grade 30 essays",
               connector=CONNECTOR, referral_bps=500)
    gig = market.gig(gid).to_json()
    assert gig["status"] == "open" and gig["price"] == "1000" and gig["client"] == USER_ADDRESS
    assert any(g.id == gid for g in market.gigs(status="open"))

    with pytest.raises(ChainError) as err:
        market.accept_request(service, USER_ADDRESS, gid)
    assert err.value.reason == "client-cannot-accept"
    with pytest.raises(ChainError) as err:  # funding before anyone accepted
        market.fund_requests(service, USER_ADDRESS, gid)
    assert err.value.reason == "gig-open"
    send(service, market.accept_request(service, talent, gid))
    assert market.gig(gid).status == "accepted" and market.gig(gid).fee_bps == 250

    requests = market.fund_requests(service, USER_ADDRESS, gid)
    assert [r.kind for r in requests] == ["btk-approve", "market-fund"]
    for request in requests:
        send(service, request)
    assert market.gig(gid).status == "funded"

    b = market.release_breakdown(gid)
    assert (b["fee"], b["referral"], b["talent_amount"]) == ("25", "50", "925") and b["treasury"] == treasury
    before = {a: token.functions.balanceOf(a).call() for a in (treasury, CONNECTOR, talent)}
    with pytest.raises(ChainError) as err:
        market.release_request(service, talent, gid)
    assert err.value.reason == "not-client"
    send(service, market.release_request(service, USER_ADDRESS, gid))
    after = {a: token.functions.balanceOf(a).call() for a in (treasury, CONNECTOR, talent)}
    assert after[treasury] - before[treasury] == 25 * BTK
    assert after[CONNECTOR] - before[CONNECTOR] == 50 * BTK
    assert after[talent] - before[talent] == 925 * BTK
    with pytest.raises(ChainError) as err:  # releasing twice
        market.release_request(service, USER_ADDRESS, gid)
    assert err.value.reason == "already-released" and "already released" in str(err.value)

    mine = [g.to_json() for g in market.mine(talent)]
    assert [(g["id"], g["roles"]) for g in mine] == [(gid, ["talent"])]
    assert (gid, ["client"]) in [(g["id"], g["roles"]) for g in map(Gig.to_json, market.mine(USER_ADDRESS))]


def test_permit_refund_and_cancel(chain, service, talent, user):
    market = Market(chain)
    token = chain.contracts.token
    gid = post(market, service, kind="mentoring", price=40 * BTK, details="One hour of Solidity",
               delivery_window=3600)
    send(service, market.accept_request(service, talent, gid))
    send(service, market.fund_with_permit_request(service, USER_ADDRESS, gid, user.eth_private_key(USER_ADDRESS)))
    assert market.gig(gid).status == "funded"
    with pytest.raises(ChainError) as err:  # the client before the delivery window is over
        market.refund_request(service, USER_ADDRESS, gid)
    assert err.value.reason == "refund-not-yet"
    balance = token.functions.balanceOf(USER_ADDRESS).call()
    send(service, market.refund_request(service, talent, gid))  # the talent at any time
    assert market.gig(gid).status == "refunded"
    assert token.functions.balanceOf(USER_ADDRESS).call() == balance + 40 * BTK
    with pytest.raises(ChainError) as err:
        market.refund_request(service, talent, gid)
    assert err.value.reason == "already-refunded"

    other = post(market, service, kind="gig", price=5 * BTK, details="Proofread")
    send(service, market.cancel_request(service, USER_ADDRESS, other))
    assert market.gig(other).status == "cancelled"
    with pytest.raises(ChainError) as err:
        market.accept_request(service, talent, other)
    assert err.value.reason == "gig-cancelled"
    with pytest.raises(ChainError) as err:
        market.gig(999)
    assert err.value.reason == "unknown-gig"


def test_post_checks_name_the_problem_before_signing():
    ok = dict(kind="gig", price=BTK)
    assert check_post(USER_ADDRESS, **ok) is None
    assert check_post(USER_ADDRESS, connector=CONNECTOR.lower(), referral_bps=500, **ok) == CONNECTOR
    assert check_post(USER_ADDRESS, connector=f"did:pkh:eip155:1:{CONNECTOR}", **ok) == CONNECTOR
    for kw, words in ((dict(referral_bps=300), "needs a referrer"),
                      (dict(connector=CONNECTOR, referral_bps=2_501), "at most 25 %"),
                      (dict(connector=USER_ADDRESS), "your own offer"),
                      (dict(delivery_window=366 * 86400), "at most 365 days"),
                      (dict(connector="0x1234"), "0x1234")):
        with pytest.raises(ChainError) as err:
            check_post(USER_ADDRESS, **ok, **kw)
        assert words in str(err.value), (kw, str(err.value))

    mistyped = USER_ADDRESS.replace("EfFD", "efFD")    # one letter of another case: checksum broken
    with pytest.raises(ChainError):
        check_post(CONNECTOR, connector=mistyped, **ok)
    with pytest.raises(ChainError) as err:
        check_post(USER_ADDRESS, kind="gig", price=0)
    assert "more than zero" in str(err.value)


def test_actions_say_who_can_do_what_and_why_not():
    talent = "0x000000000000000000000000000000000000BEEF"
    g = Gig(id=3, kind="gig", status="open", client=USER_ADDRESS, talent=None, connector=CONNECTOR, price=BTK,
            fee_bps=0, referral_bps=0, delivery_window=0, refundable_at=None, details="")
    assert roles_of(g, USER_ADDRESS.lower()) == ["client"] and roles_of(g, CONNECTOR) == ["connector"]
    mine = actions(g, USER_ADDRESS)
    assert mine["cancel"] is None and "someone else" in mine["accept"]
    assert "nobody has accepted it yet" in mine["fund"] and "nobody has accepted" in mine["release"]
    assert actions(g, talent)["accept"] is None and "Only the client" in actions(g, talent)["fund"]

    g = replace(g, status="accepted", talent=talent)
    assert actions(g, USER_ADDRESS)["fund"] is None
    assert "not funded yet" in actions(g, USER_ADDRESS)["release"]
    assert "never funded" in actions(g, talent)["refund"]

    g = replace(g, status="funded", refundable_at=1_000)
    mine = actions(g, USER_ADDRESS, now=999)
    assert mine["release"] is None and "already funded" in mine["cancel"] and "delivery window" in mine["refund"]
    assert actions(g, USER_ADDRESS, now=1_000)["refund"] is None
    assert actions(g, talent, now=0)["refund"] is None                 # the talent at any time
    assert "Only the client or the talent" in actions(g, CONNECTOR)["refund"]

    g = replace(g, status="released")
    assert all(why for why in actions(g, USER_ADDRESS, now=5_000).values())
    assert "already released" in actions(g, USER_ADDRESS)["release"]


def test_funding_with_too_little_btk_stops_before_the_approval(chain, service, talent):
    market = Market(chain)
    held = chain.btk_balance(USER_ADDRESS)
    gid = post(market, service, kind="gig", price=held + BTK, details="Too dear")
    send(service, market.accept_request(service, talent, gid))
    with pytest.raises(ChainError) as err:
        market.fund_requests(service, USER_ADDRESS, gid)
    assert err.value.reason == "insufficient-btk" and "its price is" in str(err.value)
    assert chain.contracts.token.functions.allowance(USER_ADDRESS, market.m.address).call() == 0


# ---- the command line (embedded) -------------------------------------------------------

@pytest.fixture
def vault(tmp_path, capsys, monkeypatch, embedded_template):
    import json

    from tests.chain.conftest import PASSPHRASE, USER_PHRASE, copy_embedded
    from vault.cli import main

    monkeypatch.delenv("BLOCKTRACK_VAULT_PASSPHRASE", raising=False)
    monkeypatch.delenv("BLOCKTRACK_VAULT_HOME", raising=False)
    pw = tmp_path / "pw"
    pw.write_text(PASSPHRASE + "\n")
    data = tmp_path / "data"
    copy_embedded(embedded_template, data)
    phrase = tmp_path / "phrase"
    phrase.write_text(USER_PHRASE)

    def run(*args, json_out=True):
        argv = ["--data-dir", str(data), "--passphrase-file", str(pw)] + list(args) + (["--json"] if json_out else [])
        code = main(argv)
        out, err = capsys.readouterr()
        return code, (json.loads(out) if json_out and out.strip() else out), err

    assert run("restore", "--recovery-phrase-file", str(phrase), "--kdf-seconds", "0")[0] == 0
    run.tmp = tmp_path
    return run


def test_cli_market_and_gov(vault, monkeypatch):
    code, gigs, _ = vault("market", "list")
    assert code == 0 and isinstance(gigs, list) and len(gigs) == 3 and gigs[0]["status"] == "open"
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, out, err = vault("market", "post", "--price", "12.5", "--details", "Logo")
    assert code == 2 and "--yes" in err and "What:" not in str(out)
    code, out, err = vault("market", "post", "--price", "12.5", "--details", "Logo", "--yes")
    assert code == 0, err
    assert out["transactions"][0]["status"] == "success"
    code, mine, _ = vault("market", "mine")
    assert [(g["price"], g["roles"]) for g in mine] == [("12.5", ["client"])]
    code, out, err = vault("market", "release", str(mine[0]["id"]), "--yes")
    assert code == 1 and "cannot be released" in err

    code, power, err = vault("gov", "power")
    assert code == 0 and power[0]["votes"] == "0" and "no voting power" in err
    code, out, err = vault("gov", "delegate", "--yes")
    assert code == 0, err
    code, power, err = vault("gov", "power")
    assert power[0]["votes"] == "5000000" and not err
    # the delegation mined in the latest block already counts: proposing needs no wait
    code, out, err = vault("gov", "propose", "--template", "market-fee", "--bps", "300",
                           "--description", "Fee 3 %", "--yes")
    assert code == 0, err
    code, rows, _ = vault("gov", "proposals")
    assert isinstance(rows, list) and rows[0]["state"] == "pending" and rows[0]["title"] == "Fee 3 %"
    pid = rows[0]["proposal_id"]
    code, out, err = vault("gov", "vote", pid, "for", "--yes")
    assert code == 1 and "has not started" in err
    assert vault("chain", "advance", "--blocks", "2")[0] == 0
    vote_file = vault.tmp / "vote.json"
    code, signed, err = vault("gov", "sign-vote", pid, "for", "--out", str(vote_file))
    assert code == 0, err
    assert signed["voter"] == USER_ADDRESS and vote_file.exists()
    code, out, err = vault("gov", "relay", str(vote_file), "--yes")
    assert code == 0, err
    code, shown, _ = vault("gov", "show", pid)
    assert shown["my_vote"]["voted"] and shown["votes"]["for"] == "5000000" and shown["quorum_reached"]
    code, out, err = vault("gov", "vote", pid, "against", "--yes")
    assert code == 1 and "already voted" in err
    code, out, err = vault("gov", "execute", pid, "--yes")
    assert code == 1 and "queue it first" in err
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)  # a person: the preview, then a question
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    code, out, err = vault("gov", "delegate", "--to", CONNECTOR, json_out=False)
    assert code == 1 and "What:     Delegate your BTK voting power to " + CONNECTOR in err and "Not sent." in out
    code, text, _ = vault("gov", "proposals", json_out=False)
    assert "active" in text and "quorum" in text


def test_cli_titles_percent_and_the_demo_client(vault, monkeypatch):
    """`market post --title`, "mentoring offer" in words, percentages where a person reads
    them (never bps), one block range wording in `gov show`, and a demo offer taken and
    paid out through `market accept` and `market deliver`."""
    from vault.chain.governance import voting_window

    human = []

    def text(*args):
        code, out, err = vault(*args, json_out=False)
        human.append(out + err)
        return code, out, err

    code, out, err = text("market", "post", "--kind", "mentoring", "--price", "40", "--title", "Mock interview",
                          "--details", "One hour, on video", "--yes")
    assert code == 0 and "Post a mentoring offer for 40 BTK: Mock interview" in err, err
    code, gigs, _ = vault("market", "list")
    assert gigs[-1]["details"] == "Mock interview\nOne hour, on video" and gigs[-1]["kind"] == "mentoring"
    code, _, err = vault("market", "post", "--price", "5", "--yes")
    assert code == 2 and "--title" in err

    code, out, err = text("market", "accept", "0", "--yes")        # a demo offer
    assert code == 0 and "at the current fee of 2.5 %" in err, err
    code, gig, _ = vault("market", "list", "--status", "funded")
    assert [g["id"] for g in gig] == [0]                          # the demo client paid into escrow
    code, out, err = text("market", "deliver", "0")
    assert code == 0 and "243.75 BTK to you, 6.25 BTK (2.5 %) to the treasury" in out, err
    code, out, err = vault("market", "deliver", "3")               # the user's own offer: not a demo one
    assert code == 1 and "not from the demo client" in err
    text("market", "list")

    assert vault("gov", "delegate", "--yes")[0] == 0
    code, out, err = text("gov", "propose", "--template", "market-fee", "--bps", "300", "--description", "Fee 3 %",
                          "--yes")
    assert code == 0 and "Set the marketplace fee to 3 %" in err, err
    code, rows, _ = vault("gov", "proposals")
    code, shown, _ = vault("gov", "show", rows[0]["proposal_id"])
    code, out, _ = text("gov", "show", rows[0]["proposal_id"])
    assert voting_window(shown) in out
    assert f"from block {shown['snapshot'] + 1:,} to block {shown['deadline']:,}" in out
    text("gov", "proposals")
    text("stake", "validators")
    for output in human:
        assert "bps" not in output.lower() and " bp " not in output, output
