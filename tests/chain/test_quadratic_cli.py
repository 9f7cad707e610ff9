"""`vault gov poll create --quadratic` and its tally in-process on the embedded chain: the
tally says what made each ballot count (√ of the power, the membership token) and why the
others did not."""

from __future__ import annotations

from eth_utils import keccak

from tests.chain.conftest import USER_ADDRESS
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI on a deployed chain
from vault.chain.contracts import BTK
from vault.chain.dao.membership import MEMBERSHIP_TYPE


def membership_to(data_dir, holder: str) -> None:
    """Test setup: the embedded chain's demo issuer anchors a membership credential to
    ``holder`` and declares its type (signed with its dev key, as the demo data is)."""
    from vault.chain import client
    from vault.chain.embedded import dev_key

    chash = keccak(text=f"membership of {holder}")
    with client.connect(None, data_dir) as chain:
        c = chain.contracts
        sbt, pool, key = c.soulbound, c.extension("rewards"), dev_key("issuer")
        for contract, fn, args in ((c.token, "approve", [sbt.address, BTK]),
                                   (sbt, "issue", [holder, chash, ""]),
                                   (pool, "declareType", [chash, keccak(text=MEMBERSHIP_TYPE)])):
            chain.transact(key, {"to": contract.address, "data": contract.encode_abi(fn, args)})


def test_a_quadratic_poll_counts_members_only_and_says_why(vault, tmp_path):
    code, _, err = vault("gov", "delegate", "--yes")
    assert code == 0, err
    code, out, err = vault("gov", "poll", "create", "--question", "Quadratic?", "--option", "Yes", "--option", "No",
                           "--closes-in", "5", "--quadratic", "--yes")
    assert code == 0, err
    poll_id = out["poll_id"]
    code, polls, _ = vault("gov", "poll", "list", passphrase=False)
    assert polls[0]["counting"] == "quadratic"
    code, text, _ = vault("gov", "poll", "list", passphrase=False, json_out=False)
    assert "counting: quadratic (one member, one square root)" in text
    ballots = tmp_path / "ballots"
    ballots.mkdir()
    code, _, err = vault("gov", "poll", "sign", poll_id, "yes", "--out", str(ballots / "me.json"))
    assert code == 0, err

    # Not a member at the snapshot: listed, not counted, and said why.
    code, result, _ = vault("gov", "poll", "tally", poll_id, str(ballots), passphrase=False)
    assert code == 0 and result["counted"] == [] and not result["passed"]
    assert result["rejected"] == [{"voter": USER_ADDRESS, "reason": "no membership credential"}]
    code, text, _ = vault("gov", "poll", "tally", poll_id, str(ballots), passphrase=False, json_out=False)
    assert f"not counted: {USER_ADDRESS}: no membership credential" in text
    assert "counts only if the voter then held a membership credential" in text
    assert "`vault gov membership demo` gives a vault account a demo membership" in text  # the way to one

    # A member from before the snapshot of the next poll: counted, by √ of their power.
    membership_to(vault.data, USER_ADDRESS)
    code, out, err = vault("gov", "poll", "create", "--question", "Again?", "--option", "Yes", "--option", "No",
                           "--quadratic", "--yes")
    assert code == 0, err
    code, _, err = vault("gov", "poll", "sign", out["poll_id"], "yes", "--out", str(ballots / "me.json"))
    assert code == 0, err
    code, text, _ = vault("gov", "poll", "tally", out["poll_id"], str(ballots), passphrase=False, json_out=False)
    assert f"counted: {USER_ADDRESS}: Yes, √ of 5,000,000 votes = 2,236.067977499 √votes (membership token" in text
    assert "0 Yes: 2,236.067977499 √votes" in text and "PASSED so far" in text
    assert "membership demo" not in text  # nobody left out: no hint
