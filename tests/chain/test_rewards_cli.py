"""`vault rewards`, `vault bond`, `vault trust-score` on the embedded chain, as a learner
uses them after an issuer anchored a course credential to their account."""

from __future__ import annotations

import json

from eth_utils import keccak

from tests.chain.conftest import USER_ADDRESS
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI on a deployed chain
from vault.chain.contracts import BTK


def issuer_anchors(data_dir, text: str) -> None:
    """Test setup: the embedded chain's demo issuer anchors a course credential to the user
    and declares its type (signed with its dev key, as the demo data is)."""
    from vault.chain import client
    from vault.chain.embedded import dev_key

    chash = keccak(text=text)
    with client.connect(None, data_dir) as chain:
        c = chain.contracts
        sbt, pool, key = c.soulbound, c.extension("rewards"), dev_key("issuer")
        for contract, fn, args in ((c.token, "approve", [sbt.address, BTK]),
                                   (sbt, "issue", [USER_ADDRESS, chash, ""]),
                                   (pool, "declareType", [chash, keccak(text="CourseCompletionCredential")])):
            chain.transact(key, {"to": contract.address, "data": contract.encode_abi(fn, args)})


def test_learner_claims_bonds_and_reads_the_score(vault):
    run = vault
    code, schedules, _ = run("rewards", "schedules", "--type", "CourseCompletionCredential", passphrase=False)
    assert code == 0 and schedules[0]["type_name"] == "CourseCompletionCredential" and schedules[0]["amount"] == "50"
    issuer_anchors(run.data, "Solidity 101")
    code, listed, _ = run("rewards", "list")
    assert code == 0 and [(c["status"], c["amount"]) for c in listed["credentials"]] == [("claimable", "50")]
    token_id = listed["credentials"][0]["token_id"]
    code, out, _ = run("rewards", "claim", str(token_id), "--yes")
    assert code == 0 and out["sent"] and out["transactions"][0]["status"] == "success"
    code, out, err = run("rewards", "claim", str(token_id), "--yes")
    assert code == 1 and "reward was claimed" in err
    code, text, _ = run("rewards", "list", json_out=False)
    assert "claimed" in text and "reward 0: 50 BTK" in text

    code, out, _ = run("bond", "add", "--amount", "250", "--yes")
    assert code == 0 and [t["kind"] for t in out["transactions"]] == ["btk-approve", "bond"]
    code, status, _ = run("bond", "status", "--address", USER_ADDRESS, passphrase=False)
    assert code == 0 and status["bonded"] == "250" and status["bonded_since"]
    code, out, err = run("bond", "withdraw", "--yes")
    assert code == 1 and "nothing to withdraw" in err

    code, score, _ = run("trust-score", f"did:pkh:eip155:4346955:{USER_ADDRESS}", passphrase=False)
    assert code == 0 and score["score"] == 10 + 10  # 250 BTK bonded: 10; one valid credential: 10
    assert [p["part"] for p in score["parts"]] == ["bond", "credentials", "gigs", "slashes"]
    code, text, _ = run("trust-score", USER_ADDRESS, passphrase=False, json_out=False)
    assert "Trust score 20 / 100" in text and "formula: 1 point per 25 BTK bonded" in text


def test_present_with_standing_and_verify_against_a_policy(vault):
    """The holder presents with `--standing`; the employer's `vault verify --policy` reads the
    bond and score from the chain and says which requirements are met (exit 0 only when all)."""
    from tests.presentations.vp_fixtures import di_credential

    run = vault
    code, dids, _ = run("did", "list")
    holder = next(d["did"] for d in dids if d["default"])
    badge = run.tmp / "badge.json"
    badge.write_bytes(di_credential(holder))
    code, imported, err = run("credential", "import", str(badge), "--offline")
    assert code == 0, err
    run("bond", "add", "--amount", "200", "--yes")
    out_file = run.tmp / "vp.json"
    code, _, err = run("present", "--credential", imported[0]["id"], "--challenge", "c-1", "--domain",
                       "hr.acme.example", "--format", "json", "--out", str(out_file), "--standing")
    assert code == 0, err
    policy = run.tmp / "policy.json"
    policy.write_text(json.dumps({"name": "Screening", "min_bond": "100", "min_trust_score": 10,
                                  "required_credential_types": ["OpenBadgeCredential"]}))
    code, verdict, _ = run("verify", str(out_file), "--challenge", "c-1", "--domain", "hr.acme.example",
                           "--policy", str(policy), "--offline", "--chain", passphrase=False)
    assert verdict["valid"] and verdict["standing"]["proven"] and verdict["standing"]["account"] == USER_ADDRESS
    assert verdict["standing"]["chain"]["bonded"] == "200" and verdict["standing"]["chain"]["score"] == 8
    assert [r["met"] for r in verdict["policy"]["requirements"]] == [True, True, False]  # score 8 < 10
    assert verdict["policy"]["outcome"] == "does not meet" and code == 1
    code, text, _ = run("verify", str(out_file), "--challenge", "c-1", "--domain", "hr.acme.example",
                        "--offline", "--no-chain", passphrase=False, json_out=False)
    assert code == 0 and "not checked: offline" in text


def test_review_from_the_command_line(vault):
    """A learner submits; a reviewer without a bond is refused in words; the list shows it."""
    run = vault
    work = run.tmp / "essay.md"
    work.write_text("# Zero-knowledge proofs\n")
    code, out, err = run("review", "submit", "--file", str(work), "--uri", "ipfs://essay", "--fee", "10", "--yes")
    assert code == 0 and [t["kind"] for t in out["transactions"]] == ["btk-approve", "review-submit"], err
    code, rows, _ = run("review", "list", "--address", USER_ADDRESS, passphrase=False)
    assert code == 0 and rows[0]["status"] == "open" and rows[0]["uri"] == "ipfs://essay"
    code, _, err = run("review", "vote", "0", "approve", "--yes")
    assert code == 1 and "someone else reviews it" in err
    code, _, err = run("review", "finalize", "0", "--yes")
    assert code == 1 and "can be finalized after block" in err
    code, _, err = run("review", "credential", "0", passphrase=False)
    assert code == 1 and "only approved work" in err
