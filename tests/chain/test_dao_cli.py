"""`vault gov constitution|poll ...` in-process on the embedded chain with the DAO
contracts: every read has --json, amendments are proposals."""

from __future__ import annotations

from tests.chain.dao_helpers import voted_and_queued
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI on a deployed chain
from vault.chain.dao.constitution import TEXTS_DIR, text_hash


def test_constitution_show_history_and_amend(vault, tmp_path):
    v1 = (TEXTS_DIR / "v1.md").read_text(encoding="utf-8")
    code, shown, err = vault("gov", "constitution", "show", passphrase=False)
    assert code == 0, err
    assert shown["version"] == 1 and shown["hash"] == text_hash(v1) and shown["text"] == v1
    code, text, _ = vault("gov", "constitution", "show", passphrase=False, json_out=False)
    assert "Constitution version 1" in text and "## Article 6. Amendments" in text
    code, history, _ = vault("gov", "constitution", "history", passphrase=False)
    assert code == 0 and [v["version"] for v in history] == [1] and history[0]["proposal_id"] is None

    new = tmp_path / "v2.md"
    new.write_text(v1.replace("nothing else", "and nothing else"), encoding="utf-8")
    code, out, err = vault("gov", "delegate", "--yes")
    assert code == 0, err
    code, out, err = vault("gov", "constitution", "amend", "--text-file", str(new), "--title", "Stress article 1",
                           "--why", "Article 1 wording", "--yes")
    assert code == 0, err
    assert "Amend the constitution to version 2" in out["preview"]["description"]
    code, proposals, _ = vault("gov", "proposals")
    assert proposals[0]["title"] == "Stress article 1" and proposals[0]["state"] == "pending"
    # the same text as in force: refused before anything is signed, exit 2 and why
    code, out, err = vault("gov", "constitution", "amend", "--text-file", str(TEXTS_DIR / "v1.md"), "--title", "x",
                           "--yes")
    assert code != 0 and "already in force" in err


def test_poll_create_sign_tally_and_promote(vault, tmp_path):
    code, _, err = vault("gov", "delegate", "--yes")
    assert code == 0, err
    vault("chain", "advance", "--blocks", "1")
    code, out, err = vault("gov", "poll", "create", "--question", "Fund the hackathon?", "--option", "Yes",
                           "--option", "No", "--closes-in", "5", "--template", "grant", "--to",
                           "0x00000000000000000000000000000000000A11cE", "--amount", "100", "--yes")
    assert code == 0, err
    poll_id = out["poll_id"]
    code, polls, _ = vault("gov", "poll", "list", passphrase=False)
    assert [p["poll_id"] for p in polls] == [poll_id] and polls[0]["open"]
    assert polls[0]["calls"][0]["summary"].startswith("Grant 100 BTK from the treasury")

    ballots = tmp_path / "ballots"
    ballots.mkdir()
    code, _, err = vault("gov", "poll", "sign", poll_id[:10], "yes", "--out", str(ballots / "x.json"), "--from",
                         "0x00000000000000000000000000000000000A11cE")   # not a key this vault holds
    assert code != 0 and "is not an account of this vault" in err and not (ballots / "x.json").exists()
    code, ballot, err = vault("gov", "poll", "sign", poll_id[:10], "yes", "--out", str(ballots / "me.json"),
                              "--qr", str(ballots / "me.png"))
    assert code == 0, err
    assert ballot["option"] == 0 and len(ballot["files"]) == 2
    code, result, err = vault("gov", "poll", "tally", poll_id, str(ballots / "me.json"), passphrase=False)
    assert code == 0, err
    assert result["passed"] and result["options"][0]["weight"] == "5000000"
    code, again, _ = vault("gov", "poll", "tally", poll_id, str(ballots / "me.png"), passphrase=False)
    assert again["tally_hash"] == result["tally_hash"]   # the QR copy of the ballot: the same tally
    code, text, _ = vault("gov", "poll", "tally", poll_id, str(ballots), passphrase=False, json_out=False)
    assert "PASSED so far (still open)" in text

    code, _, err = vault("gov", "poll", "promote", poll_id, str(ballots), "--yes")
    assert code != 0 and "open until block" in err
    vault("chain", "advance", "--blocks", "6")
    code, out, err = vault("gov", "poll", "promote", poll_id, str(ballots), "--yes")
    assert code == 0, err
    code, polls, _ = vault("gov", "poll", "list", passphrase=False)
    assert polls[0]["proposal_id"] and not polls[0]["open"]
    code, proposals, _ = vault("gov", "proposals")
    assert proposals[0]["title"] == "Fund the hackathon?" and proposals[0]["proposal_id"] == polls[0]["proposal_id"]


def test_milestone_grant_by_template_then_listed_and_approved(vault):
    from tests.chain.conftest import USER_ADDRESS

    alice = "0x00000000000000000000000000000000000A11cE"
    vault("gov", "delegate", "--yes")
    vault("chain", "advance", "--blocks", "1")
    code, out, err = vault("gov", "propose", "--template", "milestone-grant", "--param", f"grantee={alice}",
                           "--param", f"approver={USER_ADDRESS}", "--param", "milestones=10, 20",
                           "--param", "title=Course", "--description", "Two milestones", "--yes")
    assert code == 0, err
    code, proposals, _ = vault("gov", "proposals")
    pid = proposals[0]["proposal_id"]
    voted_and_queued(vault, pid)
    assert vault("gov", "execute", pid, "--yes")[0] == 0
    code, listed, _ = vault("gov", "grant", "list", "--account", alice, passphrase=False)
    assert code == 0 and listed["budget"]["committed"] == "30"
    (g,) = listed["grants"]
    assert g["yours"] and (g["released"], g["pending"]) == ("0", "30")
    code, out, err = vault("gov", "grant", "approve", "0", "--yes")
    assert code == 0, err
    code, text, _ = vault("gov", "grant", "list", "--account", alice, passphrase=False, json_out=False)
    assert "#0 Course (yours): active, 10 BTK released, 20 BTK pending" in text
    assert "milestone 1: 10 BTK released" in text and "milestone 2: 20 BTK pending" in text


def test_keeper_on_run_off_and_show_says_who_executed(vault):
    from tests.chain.conftest import USER_ADDRESS

    code, _, err = vault("gov", "keeper", "run")
    assert code != 0 and "the keeper is off" in err   # no consent, nothing sent
    code, out, _ = vault("gov", "keeper", "on")
    assert out == {"keeper": "on"}
    assert vault("gov", "keeper", "status")[1] == {"keeper": "on"}
    vault("gov", "delegate", "--yes")
    vault("chain", "advance", "--blocks", "1")
    vault("gov", "propose", "--template", "market-fee", "--bps", "200", "--description", "Lower the fee", "--yes")
    code, proposals, _ = vault("gov", "proposals")
    pid = proposals[0]["proposal_id"]
    vault("chain", "advance", "--blocks", "2")
    vault("gov", "vote", pid, "for", "--yes")
    vault("chain", "advance", "--blocks", "51")
    code, ran, err = vault("gov", "keeper", "run")
    assert code == 0, err
    assert ran["due"] == [{"action": "queue", "proposal_id": pid}] and len(ran["transactions"]) == 1
    vault("chain", "advance", "--blocks", "1", "--seconds", "61")
    code, ran, _ = vault("gov", "keeper", "run")
    assert ran["due"] == [{"action": "execute", "proposal_id": pid}]
    code, shown, _ = vault("gov", "show", pid)
    assert shown["state"] == "executed" and shown["executed_by"]["by"] == USER_ADDRESS
    code, text, _ = vault("gov", "keeper", "run", json_out=False)
    assert "Nothing is due." in text
    assert vault("gov", "keeper", "off")[1] == {"keeper": "off"}


def test_lock_power_breakdown_and_unlock_refused_early(vault):
    from tests.chain.conftest import USER_ADDRESS

    vault("gov", "delegate", "--yes")
    code, out, err = vault("gov", "lock", "--amount", "1000", "--blocks", "2628000", "--yes")
    assert code == 0, err
    assert [t["description"] for t in out["transactions"]][-1].startswith("Lock 1,000 BTK until block")
    code, rows, _ = vault("gov", "power", "--breakdown")
    (row,) = rows
    b = row["breakdown"]
    assert b["address"] == USER_ADDRESS and b["locked"] == "1000" and b["lock_power"] == "1000"
    code, text, _ = vault("gov", "power", "--breakdown", json_out=False)
    # the weighted governor counts the lock on proposals too
    assert "locked: 1,000 BTK until block" in text and "(the Governor and polls)" in text and "falling by" in text
    assert "credential bonus: 0 votes (governance set no bonus)" in text
    assert "quadratic proposals: You hold no membership credential" in text
    assert int(b["total_wei"]) == int(b["token_votes_wei"]) + int(b["lock_power_wei"])
    code, _, err = vault("gov", "unlock", "--yes")
    assert code != 0 and "locked until block" in err


def test_a_quadratic_proposal_refuses_a_non_member_in_words_and_signs_nothing(vault):
    """`vault gov propose --quadratic`: the user holds no membership credential, so its own
    vote is refused before anything is signed, with what to do."""
    vault("gov", "delegate", "--yes")
    code, out, err = vault("gov", "propose", "--template", "grant", "--to", "0x00000000000000000000000000000000000A11cE",
                           "--amount", "1", "--description", "Members decide", "--quadratic", "--yes")
    assert code == 0, err
    assert out["preview"]["params"]["description"].endswith("#counting=quadratic")
    vault("chain", "advance", "--blocks", "2")
    code, proposals, _ = vault("gov", "proposals")
    assert proposals[0]["quadratic"] and proposals[0]["title"] == "Members decide"
    code, out, err = vault("gov", "vote", proposals[0]["proposal_id"], "for", "--yes")
    assert code != 0 and "one person one square root; you need a membership credential" in err
    code, proposals, _ = vault("gov", "proposals")
    assert not proposals[0]["my_vote"]["voted"] and proposals[0]["votes"]["for"] == "0"
    code, text, _ = vault("gov", "proposals", json_out=False)
    assert "quadratic: one person one square root" in text
