"""`vault gov rewards list|claim` in-process on the embedded chain: the list with --json
and without a passphrase; the claim registers and pays the bounty once, then refuses."""

from __future__ import annotations

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import executed_proposal
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI on a deployed chain


def test_rewards_list_and_claim_once(vault):  # noqa: F811
    code, listed, err = vault("gov", "rewards", "list", passphrase=False)
    assert code == 0, err
    assert listed["rules"]["epoch_budget"] == "1000" and listed["epochs"] == [] and listed["account"] is None
    executed_proposal(vault, USER_ADDRESS, "One BTK back")
    code, text, _ = vault("gov", "rewards", "list", "--account", USER_ADDRESS, passphrase=False, json_out=False)
    assert "Bounty for “One BTK back”: claimable" in text and "To register: “One BTK back”" in text
    code, out, err = vault("gov", "rewards", "claim", "--yes")
    assert code == 0, err
    code, listed, _ = vault("gov", "rewards", "list", "--account", USER_ADDRESS, "--top", "3", passphrase=False)
    assert listed["bounties"][0]["claimed"] and listed["epochs"][0]["your_reward"] == "1000"
    assert listed["top_contributors"] == [{"rank": 1, "account": USER_ADDRESS, "votes_on_counted_proposals": 1,
                                           "executed_proposals": 1}]
    code, _, err = vault("gov", "rewards", "claim", "--yes")   # the epoch is open, the bounty paid
    assert code != 0 and "claimable from block" in err
