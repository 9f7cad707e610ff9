"""`vault gov rewards badge --to ADDRESS` in-process on the embedded chain: the badge is
issued with the vault's issuer profile, written for the contributor, and the proposal that
makes the DAO anchor it is sent; refusals come before anything is issued."""

from __future__ import annotations

import json

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import executed_proposal, voted_and_queued
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI on a deployed chain

ALICE = "0x00000000000000000000000000000000000A11cE"


def test_badge_is_issued_delivered_and_proposed(vault, tmp_path):
    executed_proposal(vault)
    code, _, err = vault("gov", "rewards", "badge", "--to", USER_ADDRESS, "--yes")
    assert code != 0 and "issuer profile" in err   # no profile of its own: nothing issued
    code, _, err = vault("issuer", "profile", "create", "DAO Stewards", "--url", "https://stewards.example")
    assert code == 0, err
    # Attack: a badge for someone who took no part: refused, nothing issued.
    code, _, err = vault("gov", "rewards", "badge", "--to", ALICE, "--yes")
    assert code != 0 and "not among the 10 top contributors" in err
    code, log, _ = vault("issuer", "log")
    assert log == []

    out_file = tmp_path / "badge.json"
    code, out, err = vault("gov", "rewards", "badge", "--to", USER_ADDRESS, "--out", str(out_file), "--yes")
    assert code == 0, err
    assert out["sent"] and out["files"] == [str(out_file)]
    badge = json.loads(out_file.read_text())
    assert badge["id"] == out["credential_id"] and badge["name"] == "Blocktrack DAO contributor"
    code, log, _ = vault("issuer", "log")
    assert [r["id"] for r in log] == [badge["id"]] and not log[0]["anchored"]
    code, proposals, _ = vault("gov", "proposals")
    assert proposals[0]["title"].startswith("Award the Blocktrack DAO contributor badge to")
    actions = " | ".join(c["summary"] for c in proposals[0]["calls"])
    assert "Grant the credential issuer role to" in actions and "The DAO anchors credential 0x" in actions

    # The proposal executed: `gov execute` tells, and the issued log says the DAO anchored it.
    pid = proposals[0]["proposal_id"]
    voted_and_queued(vault, pid)
    code, out, err = vault("gov", "execute", pid, "--yes")
    assert code == 0, err
    code, log, _ = vault("issuer", "log")
    assert log[0]["anchored"] and log[0]["anchor_by_dao"] and log[0]["anchor_tx"] == out["transactions"][0]["hash"]
    words = f"anchored by the DAO (token {log[0]['anchor_token_id']})"
    assert f"The issued log now shows Blocktrack DAO contributor for {log[0]['recipient']} {words}." in err
    code, text, _ = vault("issuer", "log", json_out=False)
    assert words in text
