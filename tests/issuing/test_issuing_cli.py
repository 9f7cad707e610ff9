"""`vault issuer …` and `vault issue` from the command line: a profile and an achievement,
issuing in each format to a file, a baked badge and a QR, a CSV batch, revoking, the
exported status lists, the log.

Attacks: a hostile CSV (nothing issued, bad lines named, exit 1), a recipient with a bidi
override (refused, exit 1), revoking with the wrong profile (refused, nothing changed)."""

import csv
import io
import json

from vault.credentials import baked
from vault.qr.scan import read_presentation

ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def setup_issuer(cli_output):
    code, _, err = cli_output("init", "--kdf-seconds", "0")
    assert code == 0, err
    code, profile, err = cli_output("issuer", "profile", "create", "Code Club", "--url", "https://codeclub.example",
                                    "--json")
    assert code == 0, err
    code, achievement, err = cli_output("issuer", "achievement", "add", "First PR", "--profile", "Code Club",
                                        "--criteria", "A merged PR", "--align", "Git=https://skills.example/git",
                                        "--json")
    assert code == 0, err
    return profile, achievement


def test_profile_achievement_issue_revoke_export_and_log(cli_output):
    profile, achievement = setup_issuer(cli_output)
    assert profile["status_lists"]["revocation"] == "https://codeclub.example/status/revocation.json"
    assert achievement["alignment"] == [{"targetName": "Git", "targetUrl": "https://skills.example/git"}]
    code, listed, _ = cli_output("issuer", "profile", "list", "--json")
    assert code == 0 and [p["name"] for p in listed] == ["Code Club"]
    code, text, _ = cli_output("issuer", "profile", "show", "Code Club")
    assert code == 0 and "host the revocation list at https://codeclub.example/status/revocation.json" in text
    code, document, _ = cli_output("issuer", "profile", "did-document", "1")
    assert code == 0 and document["id"] == profile["did"]
    code, dids, _ = cli_output("did", "list", "--json")
    address = next(d["did"] for d in dids if d["method"] == "pkh").rsplit(":", 1)[1]
    code, updated, err = cli_output("issuer", "profile", "update", "1", "--anchor-account", address.lower(), "--json")
    assert code == 0 and updated["anchor_account"] == address, err
    code, _, err = cli_output("issuer", "profile", "update", "1", "--anchor-account", "0x" + "11" * 20)
    assert code == 1 and "not an account of this vault" in err

    tmp = cli_output.tmp
    code, record, err = cli_output("issue", "--profile", "Code Club", "--achievement", "First PR", "--to", ADDRESS,
                                   "--out", tmp / "badge.png", "--qr", tmp / "qr.png", "--json")
    assert code == 0, err
    assert record["recipient"] == f"did:pkh:eip155:1:{ADDRESS}" and record["format"] == "eddsa-rdfc-2022"
    assert baked.extract((tmp / "badge.png").read_bytes()) == record["credential"].encode().strip()
    assert read_presentation(tmp / "qr.png").payload.decode() == record["credential"]
    for fmt, suffix in (("jcs", ".json"), ("sd-jwt", ".sd-jwt")):
        code, other, err = cli_output("issue", "--profile", "1", "--achievement", "1", "--to", ADDRESS,
                                      "--format", fmt, "--out", tmp / f"c-{fmt}{suffix}", "--json")
        assert code == 0, err
        assert (tmp / f"c-{fmt}{suffix}").read_text() == other["credential"]

    code, answer, err = cli_output("issuer", "revoke", record["id"], "--json")
    assert code == 0 and answer["status"] == "revoked", err
    code, exported, _ = cli_output("issuer", "status-list", "export", "--profile", "Code Club", "--out",
                                   tmp / "lists", "--json")
    assert code == 0 and [e["url"] for e in exported] == [profile["status_lists"]["revocation"],
                                                          profile["status_lists"]["suspension"]]
    code, verdict, _ = cli_output("credential", "verify", tmp / "badge.png", "--json")
    assert verdict["valid"] is False and verdict["reason"] == "revoked"
    code, log, _ = cli_output("issuer", "log", "--status", "revoked", "--json")
    assert code == 0 and [r["id"] for r in log] == [record["id"]]
    code, log, _ = cli_output("issuer", "log", "--search", "sd-jwt", "--json")
    assert code == 0 and [r["format"] for r in log] == ["sd-jwt-vc"]
    code, text, _ = cli_output("issuer", "log", "--csv", tmp / "log.csv")
    assert code == 0 and "revoked" in text and "not anchored" in text
    assert len(list(csv.DictReader(io.StringIO((tmp / "log.csv").read_text())))) == 3
    code, _, err = cli_output("issuer", "export", record["id"], "--out", tmp / "again.svg")
    assert code == 0 and json.loads(baked.extract((tmp / "again.svg").read_bytes()))["id"] == record["id"]


def test_a_csv_batch_and_a_hostile_csv(cli_output):
    setup_issuer(cli_output)
    tmp = cli_output.tmp
    (tmp / "good.csv").write_text(f"recipient,note\n{ADDRESS},cohort 7\n"
                                  "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK,\n")
    code, records, err = cli_output("issue", "--profile", "1", "--achievement", "1", "--csv", tmp / "good.csv",
                                    "--out-dir", tmp / "out", "--json")
    assert code == 0, err
    assert len(records) == 2 and len(list((tmp / "out").iterdir())) == 2
    (tmp / "bad.csv").write_text(f"recipient,note\n{ADDRESS},fine\n"
                                 "did:key:z6Mk\u202egnp.exe,x\n"
                                 "did:example:ok,=HYPERLINK(\"https://evil.example\")\n")
    code, _, err = cli_output("issue", "--profile", "1", "--achievement", "1", "--csv", tmp / "bad.csv")
    assert code == 1 and "line 3" in err and "line 4" in err and "nothing was issued" in err
    assert "\u202e" not in err                                  # shown, never obeyed
    code, log, _ = cli_output("issuer", "log", "--json")
    assert len(log) == 2


def test_refusals_change_nothing(cli_output):
    setup_issuer(cli_output)
    code, _, err = cli_output("issue", "--profile", "1", "--achievement", "1", "--to", "did:key:z6Mk\u202eevil")
    assert code == 1 and "not a DID" in err and "\u202e" not in err
    code, record, _ = cli_output("issue", "--profile", "1", "--achievement", "1", "--to", ADDRESS, "--json")
    code, _, _ = cli_output("issuer", "profile", "create", "Other", "--url", "https://other.example")
    code, _, err = cli_output("issuer", "revoke", record["id"], "--profile", "Other")
    assert code == 1 and "not 'Other'" in err
    code, log, _ = cli_output("issuer", "log", "--json")
    assert [(r["id"], r["status"]) for r in log] == [(record["id"], "active")]
