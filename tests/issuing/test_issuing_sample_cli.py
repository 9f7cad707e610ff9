"""`vault credential sample` → `vault present` → `vault verify`: a newcomer's first
presentation from the command line, and the sample issuer refused by `vault trust add`."""

import json

from vault.issuing import sample

CHALLENGE, DOMAIN = "c-first-hour", "hr.acme.example"


def test_sample_then_present_then_verify(run):
    code, created, err = run("init", "--kdf-seconds", "0")
    assert code == 0, err
    code, issued, err = run("credential", "sample")
    assert code == 0, err
    assert issued["created"] and issued["subject"] == created["did"] and issued["status"] == "valid"
    assert issued["issuer_shown"]["sample"] and not issued["issuer_shown"]["trusted"]
    assert [w["code"] for w in issued["verdict"]["warnings"]] == ["sample-issuer"]

    code, again, _ = run("credential", "sample", "--did", created["did"])
    assert code == 0 and not again["created"] and again["id"] == issued["id"]

    png = run.tmp / "code.png"
    code, shown, err = run("present", "--credential", issued["id"][:10], "--challenge", CHALLENGE,
                           "--domain", DOMAIN, "--out", str(png))
    assert code == 0, err
    assert shown["holder"] == created["did"] and png.read_bytes().startswith(b"\x89PNG")

    code, verdict, _ = run("verify", str(png), "--challenge", CHALLENGE, "--domain", DOMAIN, "--offline",
                           passphrase=False)
    assert code == 0 and verdict["valid"] and verdict["holder"] == created["did"]
    (credential,) = verdict["credentials"]
    assert credential["issuer"] == sample.DID and credential["valid"]
    assert [w["code"] for w in credential["warnings"]] == ["sample-issuer"]

    # In words, the verifier reads that it is a sample.
    code, text, _ = run("verify", str(png), "--challenge", CHALLENGE, "--domain", DOMAIN, "--offline",
                        passphrase=False, json_out=False)
    assert code == 0 and "sample issuer, not a real institution" in text


def test_sample_for_a_did_not_in_the_vault_and_trusting_the_sample_issuer_are_refused(run):
    run("init", "--kdf-seconds", "0")
    stranger = "did:key:z6MkrQPjZypnfzW4ZNgta9voF1bQhFoVYXVedbRjv5bok6pK"
    code, _, err = run("credential", "sample", "--did", stranger)
    assert code == 1 and "not a DID of this vault" in err
    code, _, err = run("trust", "add", sample.DID, "--name", "Harvard University")
    assert code == 1 and "cannot be trusted" in err
    code, entries, _ = run("trust", "list")
    assert entries == []
    code, listed, _ = run("credential", "list")
    assert listed == []
