"""`vault gov daos` and `vault gov subdao grant|approve` in-process on the embedded chain:
reads with --json and without a passphrase; the main DAO's hold by template proposals; a
council grant beyond the budget refused before anything is signed."""

from __future__ import annotations

from tests.chain.conftest import USER_ADDRESS
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI on a deployed chain

ALICE = "0x00000000000000000000000000000000000A11cE"


def _pass(vault, *proposals):
    """Propose each (template, params), vote for all, queue and execute them."""
    vault("gov", "delegate", "--yes")
    vault("chain", "advance", "--blocks", "1")
    for template, params, text in proposals:
        extra = [x for name, value in params.items() for x in ("--param", f"{name}={value}")]
        code, _, err = vault("gov", "propose", "--template", template, *extra, "--description", text, "--yes")
        assert code == 0, err
    code, listed, _ = vault("gov", "proposals")
    pids = [p["proposal_id"] for p in listed[:len(proposals)]]
    vault("chain", "advance", "--blocks", "2")
    for pid in pids:
        assert vault("gov", "vote", pid, "for", "--yes")[0] == 0
    vault("chain", "advance", "--blocks", "51")
    for pid in pids:
        assert vault("gov", "queue", pid, "--yes")[0] == 0
    vault("chain", "advance", "--blocks", "1", "--seconds", "61")
    for pid in reversed(pids):   # in the order proposed
        code, _, err = vault("gov", "execute", pid, "--yes")
        assert code == 0, err


def test_daos_lists_the_sub_daos_and_a_council_grants_within_its_budget(vault):
    code, listed, err = vault("gov", "daos", passphrase=False)
    assert code == 0, err
    assert [d["name"] for d in listed["daos"]] == ["Ecosystem Growth", "SkillFi Economy", "Education Innovation",
                                                   "Builders"]
    assert listed["reserve"]["reserve"] == "200000"
    _pass(vault, ("subdao-council", {"dao": 4, "members": USER_ADDRESS, "approvals": 1}, "Builders council"),
          ("fund-subdao", {"dao": 4, "amount": 300}, "Fund the Builders DAO"))
    code, text, _ = vault("gov", "daos", "--account", USER_ADDRESS, passphrase=False, json_out=False)
    assert "4. Builders (your council): 300 BTK budget left, 0 BTK granted" in text
    assert "199700 BTK in the sub-DAO reserve" in text

    # Beyond the budget: refused before anything is signed (exit code, why, nothing sent).
    code, _, err = vault("gov", "subdao", "grant", "4", "--to", ALICE, "--amount", "301", "--memo", "too much",
                         "--yes")
    assert code != 0 and "300 BTK of budget left" in err
    code, out, err = vault("gov", "subdao", "grant", "4", "--to", ALICE, "--amount", "120", "--memo", "Hack night",
                           "--yes")
    assert code == 0, err
    code, one, _ = vault("gov", "daos", "--dao", "4", passphrase=False)
    assert (one["budget"], one["spent"]) == ("180", "120")
    assert [(g["to"], g["amount"], g["state"]) for g in one["grants"]] == [(ALICE, "120", "paid")]
    code, _, err = vault("gov", "subdao", "approve", "0", "--yes")   # paid already: nothing to approve
    assert code != 0 and "already paid" in err
    code, _, err = vault("gov", "subdao", "grant", "1", "--to", ALICE, "--amount", "1", "--memo", "x", "--yes")
    assert code != 0 and "Only the council of Ecosystem Growth" in err


def test_a_milestone_grant_from_a_sub_dao_budget_by_command(vault):
    _pass(vault, ("subdao-council", {"dao": 2, "members": USER_ADDRESS, "approvals": 1}, "SkillFi council"),
          ("fund-subdao", {"dao": 2, "amount": 500}, "Fund SkillFi"))
    # Beyond the budget: refused before anything is signed.
    code, _, err = vault("gov", "subdao", "propose-grant", "2", "--grantee", ALICE, "--approver", USER_ADDRESS,
                         "--milestones", "300,201", "--title", "Too much", "--yes")
    assert code != 0 and "500 BTK of budget left" in err
    code, _, err = vault("gov", "subdao", "propose-grant", "2", "--grantee", ALICE, "--approver", USER_ADDRESS,
                         "--milestones", "100, 150", "--title", "Mentors", "--yes")
    assert code == 0, err
    code, _, err = vault("gov", "subdao", "release", "0", "--yes")   # not funded: nothing to release
    assert code != 0 and "is proposed" in err
    code, out, err = vault("gov", "subdao", "fund", "0", "--yes")
    assert code == 0, err
    assert [t["kind"] for t in out["transactions"]] == ["gov-subdao-grant", "gov-subdao-milestone-activate"]
    assert vault("gov", "subdao", "release", "0", "--yes")[0] == 0
    code, listed, _ = vault("gov", "subdao", "grants", "--dao", "2", passphrase=False)
    (g,) = listed["grants"]
    assert (g["state"], g["released"], g["pending"]) == ("active", "100", "150")
    assert [m["status"] for m in g["milestones"]] == ["released", "pending"]
    code, text, _ = vault("gov", "subdao", "grants", passphrase=False, json_out=False)
    assert "“Mentors”" in text and "milestone 2: 150 BTK pending" in text
    assert vault("gov", "subdao", "cancel-grant", "0", "--yes")[0] == 0
    code, one, _ = vault("gov", "daos", "--dao", "2", passphrase=False)
    assert (one["budget"], one["spent"]) == ("250", "250")

    # Paid for by the council's own spend, not activated: listed as such; its cancel returns it.
    from vault.chain import client

    with client.connect(None, vault.data) as chain:
        grants_contract = chain.contracts.extension("subdao-grants").address
    assert vault("gov", "subdao", "propose-grant", "2", "--grantee", ALICE, "--approver", USER_ADDRESS,
                 "--milestones", "40", "--title", "Kits", "--yes")[0] == 0
    assert vault("gov", "subdao", "grant", "2", "--to", grants_contract, "--amount", "40", "--memo", "Kits",
                 "--yes")[0] == 0
    code, text, _ = vault("gov", "subdao", "grants", passphrase=False, json_out=False)
    assert "“Kits” to " + ALICE + ", proposed (paid for: `vault gov subdao activate 1` starts it)" in text
    code, out, err = vault("gov", "subdao", "cancel-grant", "1", "--yes")
    assert code == 0, err
    assert [t["kind"] for t in out["transactions"]] == ["gov-subdao-milestone-activate", "gov-subdao-milestone-cancel"]
    code, listed, _ = vault("gov", "subdao", "grants", "--dao", "2", passphrase=False)
    assert (listed["grants"][0]["state"], listed["grants"][0]["returned"]) == ("cancelled", "40")
