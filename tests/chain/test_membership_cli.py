"""`vault gov membership show|demo` in-process: on the embedded chain the demo issuer makes
the first account a member, a quadratic poll then counts it, and a second request is
refused with nothing changed; on anvil (an RPC network) the demo is refused in words and
nothing is signed, stored or sent."""

from __future__ import annotations

from tests.chain.conftest import USER_ADDRESS, restore_anvil
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI on a deployed chain


def test_show_then_demo_then_a_quadratic_poll_counts_the_user(vault, tmp_path):
    code, shown, err = vault("gov", "membership", "show")
    assert code == 0, err
    assert shown["member"] is False and shown["demo_available"] and shown["reason"] == "no membership credential"
    code, text, _ = vault("gov", "membership", "show", "--account", USER_ADDRESS, passphrase=False, json_out=False)
    assert "is not a member (no membership credential)" in text and "`vault gov membership demo`" in text

    code, got, err = vault("gov", "membership", "demo", "--account", "Main account")
    assert code == 0, err
    assert "nothing is signed with your keys" in err
    assert got["address"] == USER_ADDRESS and got["token_id"]
    assert [t["status"] for t in got["transactions"]] == ["success"] * len(got["transactions"])
    code, shown, _ = vault("gov", "membership", "show", "--account", USER_ADDRESS, passphrase=False)
    assert shown["member"] and shown["token_id"] == got["token_id"]
    code, listed, _ = vault("credential", "list")
    assert got["credential_id"] in [c["id"] for c in listed]

    # Twice: refused, nothing changed.
    code, _, err = vault("gov", "membership", "demo", json_out=False)
    assert code == 1 and f"already a member (membership credential token {got['token_id']})" in err
    code, again, _ = vault("credential", "list")
    assert [c["id"] for c in again] == [c["id"] for c in listed]

    # A quadratic poll made now counts the user's ballot.
    assert vault("gov", "delegate", "--yes")[0] == 0
    code, poll, err = vault("gov", "poll", "create", "--question", "Try it?", "--option", "Yes", "--option", "No",
                            "--quadratic", "--yes")
    assert code == 0, err
    ballot = tmp_path / "me.json"
    assert vault("gov", "poll", "sign", poll["poll_id"], "yes", "--out", str(ballot))[0] == 0
    code, tally, _ = vault("gov", "poll", "tally", poll["poll_id"], str(ballot), passphrase=False)
    assert tally["rejected"] == [] and [c["voter"] for c in tally["counted"]] == [USER_ADDRESS]


def test_demo_is_refused_on_an_rpc_network_with_nothing_written(vault, anvil_node, anvil_deployment):
    manifest, deployer_chain = anvil_deployment
    snapshot = deployer_chain._dev_rpc("evm_snapshot", [])
    try:
        assert vault("chain", "use", "rpc", anvil_node.url, "--manifest", "anvil-local", passphrase=False)[0] == 0
        block = deployer_chain.block_number
        code, _, err = vault("gov", "membership", "demo", json_out=False)
        assert code == 1
        assert ("Only the built-in test chain has a demo issuer; ask an accredited issuer of your DAO for a "
                "membership credential.") in err
        assert deployer_chain.block_number == block
        code, listed, _ = vault("credential", "list")
        assert listed == []
        code, history, _ = vault("tx", "list")
        assert history == []
        code, shown, _ = vault("gov", "membership", "show")
        assert code == 0 and not shown["member"] and not shown["demo_available"]
        assert "ask an accredited issuer of your DAO" in shown["words"]
    finally:
        restore_anvil(deployer_chain, snapshot)
