"""Wallet: balances, sends to addresses and did:pkh, tips, readable history, tiers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.chain.conftest import USER_ADDRESS
from vault.chain import units, wallet
from vault.chain.contracts import BTK
from vault.did import did_pkh
from vault.errors import ChainError

DEAD = "0x000000000000000000000000000000000000dEaD"


def test_amounts_are_exact_decimals():
    assert units.parse_amount("12.5") == 12_500_000_000_000_000_000
    assert units.parse_amount("0.000000000000000001") == 1
    assert units.parse_amount("1,000") == 1000 * BTK
    assert units.format_amount(units.parse_amount("123456789.123456789123456789")) == "123456789.123456789123456789"
    assert units.format_amount(0) == "0" and units.format_amount(5 * BTK) == "5"
    for bad, why in (("0.0000000000000000001", "more than 18 decimals"), ("abc", "not an amount"),
                     ("-1", "more than zero"), ("0", "more than zero"), ("NaN", "not an amount")):
        with pytest.raises(ChainError, match=why):
            units.parse_amount(bad)
    assert Decimal(units.format_amount(10**18 + 1)) == Decimal("1.000000000000000001")


def test_tiers():
    assert wallet.tier(0) == "basic"
    assert wallet.tier(1000 * BTK - 1) == "basic"
    assert wallet.tier(1000 * BTK) == "premium"
    assert wallet.tier(10_000 * BTK - 1) == "premium"
    assert wallet.tier(10_000 * BTK) == "patron"


def test_recipients():
    assert units.parse_address(DEAD.lower()) == DEAD
    assert units.parse_address(did_pkh.from_address(DEAD)) == DEAD
    assert units.parse_address(did_pkh.from_address(DEAD, 4346955), 4346955) == DEAD
    with pytest.raises(ChainError, match="chain 5"):
        units.parse_address(did_pkh.from_address(DEAD, 5), 4346955)
    with pytest.raises(ChainError, match="not an Ethereum address"):
        units.parse_address("0x1234")


def test_balance_send_tip_and_history(chain, service, user):
    data = wallet.holdings(chain, USER_ADDRESS).to_json()
    assert data == {"address": USER_ADDRESS, "ETH": "100", "BTK": "5000000", "staked": "0", "tier": "patron"}
    other = user.add_account("second").address
    assert wallet.holdings(chain, other).to_json()["tier"] == "basic" and not wallet.is_premium(chain, other)

    service.send(service.preview(wallet.send_request(service, USER_ADDRESS, did_pkh.from_address(other),
                                                     units.parse_amount("1500.25"))))
    service.send(service.preview(wallet.send_request(service, USER_ADDRESS, other, units.parse_amount("0.5"),
                                                     "ETH")))
    tip = wallet.tip_request(service, USER_ADDRESS, other, units.parse_amount("1"), "thanks for the review")
    record = service.send(service.preview(tip))
    assert record.status == "success" and record.kind == "tip"
    got = wallet.holdings(chain, other).to_json()
    assert got["BTK"] == "1501.25" and got["ETH"] == "0.5" and got["tier"] == "premium"
    assert wallet.is_premium(chain, other)

    entries = wallet.history(user.store)
    assert [e["kind"] for e in entries] == ["tip", "eth-transfer", "btk-transfer"]
    assert entries[0]["note"] == "thanks for the review"
    assert "thanks for the review" in entries[0]["summary"]
    assert entries[0]["events_text"] == [f"1 BTK from {USER_ADDRESS} to {other}"]
    assert entries[2]["summary"] == f"Send 1,500.25 BTK to {other}"
    text = "\n".join(wallet.history_lines(entries))
    assert "1500.25 BTK from" in text


def test_insufficient_balance_names_its_cause(chain, service, user):
    other = user.add_account("poor").address
    service.send(service.preview(wallet.send_request(service, USER_ADDRESS, other, units.parse_amount("1"),
                                                     "ETH")))
    with pytest.raises(ChainError) as info:
        service.preview(wallet.send_request(service, other, DEAD, units.parse_amount("10")))
    assert info.value.reason == "insufficient-btk"
    with pytest.raises(ChainError) as info:
        service.preview(wallet.send_request(service, other, DEAD, units.parse_amount("5"), "ETH"))
    assert info.value.reason == "insufficient-eth" and "Not enough ETH" in str(info.value)
    with pytest.raises(ChainError, match="needs a note"):
        wallet.tip_request(service, USER_ADDRESS, other, 1, "  ")


# ---- command line (embedded chain) ------------------------------------------------------

from tests.chain.test_chain_cli import run, vault  # noqa: E402,F401 - the CLI fixtures


def test_cli_balance_send_tip_history(vault, monkeypatch):
    code, data, _ = vault("wallet", "balance")
    assert code == 0
    assert data == {"address": USER_ADDRESS, "ETH": "100", "BTK": "5000000", "staked": "0", "tier": "patron"}
    code, data, _ = vault("wallet", "balance", "--address", did_pkh.from_address(DEAD), passphrase=False)
    assert code == 0 and data["address"] == DEAD and data["tier"] == "basic"

    code, sent, err = vault("wallet", "send", "--to", did_pkh.from_address(DEAD), "--amount", "12.5", "--yes")
    assert code == 0, err
    assert sent["sent"] and sent["transactions"][0]["status"] == "success"
    code, sent, err = vault("wallet", "tip", "--to", DEAD, "--amount", "1", "--note", "great talk", "--yes")
    assert code == 0, err
    code, rows, _ = vault("wallet", "history")
    assert [r["kind"] for r in rows] == ["tip", "btk-transfer"] and rows[0]["note"] == "great talk"
    code, text, _ = vault("wallet", "history", json_out=False)
    assert "great talk" in text and f"1 BTK from {USER_ADDRESS} to {DEAD}" in text
    code, data, _ = vault("wallet", "balance", "--address", DEAD, passphrase=False)
    assert data["BTK"] == "13.5"

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, out, err = vault("wallet", "send", "--to", DEAD, "--amount", "1", json_out=False)
    assert code == 2 and "add --yes" in err and "Send 1 BTK" in err
    code, out, err = vault("wallet", "send", "--to", DEAD, "--amount", "99999999", "--yes")
    assert code == 1 and "ERC20InsufficientBalance" not in err and "BTK" in err
    code, out, err = vault("wallet", "send", "--to", DEAD, "--amount", "1.0000000000000000001", "--yes")
    assert code == 2 and "18 decimals" in err


# ---- what the desktop wallet asks of the core -------------------------------------------

def test_a_mistyped_checksum_is_told_apart_from_a_non_address():
    typo = USER_ADDRESS.replace("EfFD", "efFD")          # one capital letter made small
    for text in (typo, did_pkh.PREFIX + "1:" + typo):
        with pytest.raises(ChainError) as info:
            units.parse_address(text)
        assert info.value.reason == "bad-checksum" and "typo" in str(info.value)
    # all lower or all upper case carries no checksum: accepted, and checksummed
    assert units.parse_address(USER_ADDRESS.lower()) == USER_ADDRESS
    assert units.parse_address("0x" + USER_ADDRESS[2:].upper()) == USER_ADDRESS
    for bad, why in (("0x1234", "this has 4"), ("hello", "not an Ethereum address"), ("", "Enter an")):
        with pytest.raises(ChainError, match=why) as info:
            units.parse_address(bad)
        assert info.value.reason == "invalid-recipient"


def test_send_amounts_are_checked_against_what_is_held():
    assert wallet.parse_send_amount("2.5", 3 * BTK) == 2_500_000_000_000_000_000
    assert wallet.parse_send_amount("3", 3 * BTK, "ETH") == 3 * BTK
    with pytest.raises(ChainError, match=r"more than the 3 BTK you hold") as info:
        wallet.parse_send_amount("3.000000000000000001", 3 * BTK)
    assert info.value.reason == "insufficient-btk"
    with pytest.raises(ChainError) as info:
        wallet.parse_send_amount("4", 3 * BTK, "eth")
    assert info.value.reason == "insufficient-eth"
    with pytest.raises(ChainError, match="more than zero"):
        wallet.parse_send_amount("0", 3 * BTK)


def test_next_tier_tells_how_much_is_missing():
    assert wallet.next_tier(0) == ("premium", 1000 * BTK)
    assert wallet.next_tier(999 * BTK) == ("premium", BTK)
    assert wallet.next_tier(1000 * BTK) == ("patron", 9000 * BTK)
    assert wallet.next_tier(10_000 * BTK) is None


def test_history_groups_amounts_counterparties_and_filters(chain, service, user):
    other = user.add_account("friend").address
    service.send(service.preview(wallet.send_request(service, USER_ADDRESS, other, units.parse_amount("7"))))
    service.send(service.preview(wallet.tip_request(service, USER_ADDRESS, other, units.parse_amount("0.25"),
                                                    "for the slides", "ETH")))
    from vault.chain import staking
    for request in staking.stake_requests(service, USER_ADDRESS, 1, units.parse_amount("20")):
        service.send(service.preview(request))
    h = wallet.holdings(chain, USER_ADDRESS)
    assert h.staked == 20 * BTK and h.tier == "patron" and h.next_tier is None
    assert h.btk == 5_000_000 * BTK - 27 * BTK and h.chain_id == chain.chain_id
    poor = wallet.holdings(chain, other)
    assert poor.tier == "basic" and poor.next_tier == "premium" and poor.to_next_tier == 993 * BTK

    entries = wallet.history(user.store)
    assert [(e["kind"], e["group"]) for e in entries] == [
        ("stake", "staking"), ("btk-approve", "approval"), ("tip", "send"), ("btk-transfer", "send")]
    stake, approve, tip, send = entries
    assert (stake["amount"], stake["asset"], stake["counterparty"]) == (str(20 * BTK), "BTK", "validator 1")
    assert (tip["amount"], tip["asset"], tip["counterparty"]) == (str(BTK // 4), "ETH", other)
    assert (send["amount"], send["asset"], send["counterparty"]) == (str(7 * BTK), "BTK", other)

    def pick(**filters):
        return [e["kind"] for e in entries if wallet.entry_matches(e, **filters)]

    assert pick(group="send") == ["tip", "btk-transfer"]
    assert pick(group="staking") == ["stake"]
    assert pick(status="success") == ["stake", "btk-approve", "tip", "btk-transfer"]
    assert pick(status="failed") == [] and pick(status="pending") == []
    assert pick(text="SLIDES") == ["tip"]
    assert pick(text=send["hash"][:10]) == ["btk-transfer"]
    assert pick(text="send 7", group="send") == ["btk-transfer"]
    assert wallet.entry_matches({**send, "status": "reverted"}, status="failed")
    assert wallet.kind_group("gov-vote") == "governance" and wallet.kind_group("market-fund") == "market"
    assert wallet.kind_group("soulbound-issue") == "credential" and wallet.kind_group("odd") == "other"
