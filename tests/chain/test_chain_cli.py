"""`vault chain ...` and `vault tx ...` in-process, on the embedded chain and anvil."""

from __future__ import annotations

import json

import pytest

from tests.chain.conftest import (ANVIL_KEY_0, ROOT, USER_ADDRESS, USER_PHRASE, closed_port, copy_embedded,
                                  restore_anvil)

DEAD = "0x000000000000000000000000000000000000dEaD"


@pytest.fixture
def run(run, embedded_template):
    """tests/conftest.py's `vault` runner on a data folder holding a deployed embedded chain."""
    copy_embedded(embedded_template, run.data)
    return run


@pytest.fixture
def vault(run):
    phrase = run.tmp / "phrase"
    phrase.write_text(USER_PHRASE)
    code, out, _ = run("restore", "--recovery-phrase-file", str(phrase), "--kdf-seconds", "0")
    assert code == 0 and out["address"] == USER_ADDRESS
    return run


def test_status_needs_no_passphrase(run):
    code, status, _ = run("chain", "status", passphrase=False)
    assert code == 0
    assert status["network"] == "embedded" and status["chain_id"] == 4346955 and status["block"] > 10
    from vault.chain import extensions

    assert set(status["contracts"]) == {"timelock", "token", "governor", "staking", "marketplace", "soulbound",
                                        *extensions.artifacts()}
    assert "accounts" not in status
    code, text, _ = run("chain", "status", passphrase=False, json_out=False)
    assert "Chain id:  4346955" in text and "token" in text
    assert "Local test chain: these BTK exist only on this computer" in text
    assert "vault chain use rpc URL --manifest F" in text


def test_status_with_passphrase_funds_a_new_vault_and_shows_balances(run):
    code, created, _ = run("init", "--kdf-seconds", "0")
    code, status, _ = run("chain", "status")
    assert code == 0
    # a new vault gets the documented welcome grant (the README says the same figures)
    from vault.chain.networks import FAUCET_GRANT_BTK, FAUCET_GRANT_ETH

    assert status["accounts"] == [{"address": created["address"], "eth": str(FAUCET_GRANT_ETH),
                                   "btk": str(FAUCET_GRANT_BTK)}]
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert (f"welcome grant of {FAUCET_GRANT_BTK // 10**18:,} test BTK and {FAUCET_GRANT_ETH // 10**18} test ETH"
            in readme)


def test_send_then_list_and_show(vault):
    code, sent, err = vault("tx", "send", "--to", DEAD, "--amount", "12.5", "--yes")
    assert code == 0, err
    assert sent["status"] == "success" and sent["preview"]["description"] == f"Send 12.5 BTK to {DEAD}"
    code, rows, _ = vault("tx", "list")
    assert [r["hash"] for r in rows] == [sent["hash"]] and rows[0]["status"] == "success"
    code, shown, _ = vault("tx", "show", sent["hash"][:12])
    assert shown["events"][0]["event"] == "Transfer" and shown["block"] == sent["block"]
    code, text, _ = vault("tx", "show", sent["hash"], json_out=False)
    assert "status:   success in block" in text and "token.Transfer(" in text


def test_a_fee_reads_the_same_in_the_preview_the_result_and_tx_list_and_show(vault):
    """Eight decimals, rounded up (fees.eth), wherever a person reads it; JSON keeps the wei."""
    import re

    from vault.chain.fees import eth

    code, result, preview = vault("tx", "send", "--to", DEAD, "--amount", "1", "--yes", json_out=False)
    assert code == 0, preview
    code, rows, _ = vault("tx", "list")
    assert rows[0]["fee"].isdigit() and rows[0]["max_fee"].isdigit()
    fee, max_fee = int(rows[0]["fee"]), int(rows[0]["max_fee"])
    assert f"(at most {eth(max_fee)})" in preview and f", fee {eth(fee)}" in result
    code, listed, _ = vault("tx", "list", json_out=False)
    code, shown, _ = vault("tx", "show", rows[0]["hash"], json_out=False)
    assert f", fee {eth(fee)}" in listed
    assert f"fee:      {eth(fee)} (" in shown and f"signed:   at most {eth(max_fee)} (" in shown
    assert not re.search(r"\d\.\d{9,} ETH", preview + result + listed + shown)   # never 18 decimals


def test_send_needs_yes_when_not_interactive(vault, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = vault("tx", "send", "--to", DEAD, "--amount", "1", json_out=False)
    assert code == 2 and "add --yes" in err and "What:     Send 1 BTK" in err
    code, rows, _ = vault("tx", "list")
    assert rows == []


def test_send_errors_are_clear(vault):
    code, _, err = vault("tx", "send", "--to", DEAD, "--amount", "6000000", "--yes")
    assert code == 1 and "Not enough BTK" in err
    code, _, err = vault("tx", "send", "--to", "0x1234", "--amount", "1", "--yes")
    assert code == 2 and "not an Ethereum address" in err
    code, _, err = vault("tx", "send", "--to", DEAD, "--amount", "0.0000000000000000001", "--yes")
    assert code == 2 and "more than 18 decimals" in err
    code, _, err = vault("tx", "show", "0x" + "00" * 32)
    assert code == 1 and "No transaction" in err


@pytest.mark.parametrize("amount, why", [("Infinity", "not an amount"), ("-Infinity", "not an amount"),
                                         ("NaN", "not an amount"), ("-1", "more than zero"),
                                         ("1e999", "more than any amount"), ("1e999999999", "more than any amount"),
                                         ("1e-999999999", "more than 18 decimals"), ("0", "more than zero")])
def test_send_refuses_amounts_that_are_not_amounts(vault, amount, why):
    """One parser for every amount: no traceback, a reason, nothing signed."""
    code, _, err = vault("tx", "send", "--to", DEAD, f"--amount={amount}", "--yes")
    assert code == 2 and why in err and "Traceback" not in err
    code, _, err = vault("wallet", "send", "--to", DEAD, f"--amount={amount}", "--yes")
    assert code == 2 and why in err
    code, rows, _ = vault("tx", "list")
    assert rows == []


def test_advance(run):
    code, before, _ = run("chain", "status", passphrase=False)
    code, out, _ = run("chain", "advance", "--blocks", "5", "--seconds", "120", passphrase=False)
    assert code == 0 and out["block"] == before["block"] + 5 and out["mined"] == 5
    assert out["timestamp"] >= before["timestamp"] + 120
    code, _, err = run("chain", "advance", passphrase=False)
    assert code == 2


def test_use_rpc_checks_the_node(run, tmp_path):
    url = f"http://127.0.0.1:{closed_port()}"
    code, _, err = run("chain", "use", "rpc", url, "--manifest", "anvil-local", passphrase=False)
    assert code == 1 and "Cannot reach the node" in err
    code, _, err = run("chain", "use", "rpc", url, passphrase=False)
    assert code == 2
    code, saved, _ = run("chain", "use", "rpc", url, "--manifest", "anvil-local", "--no-check", passphrase=False)
    assert code == 0 and saved["network"] == "rpc"
    code, _, err = run("chain", "status", passphrase=False)
    assert code == 1 and "Cannot reach the node" in err
    code, saved, _ = run("chain", "use", "embedded", passphrase=False)
    assert code == 0 and saved == {"network": "embedded"}


def test_deploy_use_and_send_on_anvil(vault, anvil_node, anvil_deployment, tmp_path):
    manifest, deployer_chain = anvil_deployment
    snapshot = deployer_chain._dev_rpc("evm_snapshot", [])
    try:
        key = tmp_path / "deployer.key"
        key.write_text("0x" + ANVIL_KEY_0.hex() + "\n")
        out = tmp_path / "net.json"
        code, deployed, err = vault("chain", "deploy", "--rpc", anvil_node.url, "--deployer-key-file", str(key),
                                    "--out", str(out), "--name", "second", passphrase=False)
        assert code == 0, err
        assert deployed["chain_id"] == 31337 and deployed["contracts"] != manifest.contracts
        assert json.loads(out.read_text())["contracts"] == deployed["contracts"]

        code, saved, err = vault("chain", "use", "rpc", anvil_node.url, "--manifest", "anvil-local",
                                 passphrase=False)
        assert code == 0, err
        code, status, _ = vault("chain", "status")
        assert status["network"] == "rpc" and status["name"] == "anvil-local"
        assert status["contracts"] == manifest.contracts
        assert status["accounts"][0]["btk"] == str(5_000_000 * 10**18)
        code, sent, err = vault("tx", "send", "--to", DEAD, "--amount", "2", "--yes")
        assert code == 0 and sent["network"] == "anvil-local" and sent["chain_id"] == 31337, err
        code, out_, _ = vault("chain", "advance", "--blocks", "3", passphrase=False)
        assert code == 0 and out_["mined"] == 3

        code, _, err = vault("chain", "use", "rpc", anvil_node.url, "--manifest", str(_wrong_chain(tmp_path)),
                             passphrase=False)
        assert code == 1 and "serves chain 31337" in err
    finally:
        restore_anvil(deployer_chain, snapshot)


def _wrong_chain(tmp_path):
    from vault.chain.networks import Manifest

    manifest = Manifest.load("anvil-local")
    data = manifest.to_json() | {"chain_id": 1}
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(data))
    return path
