"""The command line and issuer keys: `vault trust add-ca|list-ca|remove-ca`, `vault key
cache` for keys given by hand, and the standalone `vault credential verify` / `vault
verify` using a vault's saved keys when its passphrase is given without a prompt (and
saying so when it is not). The did:web issuer is a real HTTPS server on loopback, trusted
through SSL_CERT_FILE as a system certificate store would be."""

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.conftest import PASSPHRASE
from tests.credentials.web_issuer import (ISSUER_KEY, Authority, WebIssuer, did_document, key_method, profile,
                                          sd_token, signed_badge)
from vault import settings
from vault.credentials import data_integrity, jose
from vault.cli import main
from vault.cli.session import WITHOUT_VAULT

CHALLENGE, DOMAIN = "c-815", "hr.acme.example"
ISS = "https://pid.issuer.example/eu"


@pytest.fixture
def cli(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BLOCKTRACK_VAULT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BLOCKTRACK_VAULT_PASSPHRASE", PASSPHRASE)

    def run(*args, passphrase=True):
        if not passphrase:
            monkeypatch.delenv("BLOCKTRACK_VAULT_PASSPHRASE", raising=False)
        try:
            code = main([str(a) for a in args])
        finally:
            monkeypatch.setenv("BLOCKTRACK_VAULT_PASSPHRASE", PASSPHRASE)
        out, err = capsys.readouterr()
        return code, (json.loads(out) if out.strip().startswith(("{", "[")) else out), err
    run.home, run.tmp = tmp_path / "home", tmp_path
    assert run("init", "--kdf-seconds", "0")[0] == 0
    return run


@pytest.fixture
def web(tmp_path, monkeypatch):
    (tmp_path / "tls").mkdir()
    web = WebIssuer(tmp_path / "tls")
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "tls" / "cert.pem"))
    yield web
    web.close()


def write(cli, name: str, data) -> str:
    path = cli.tmp / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return str(path)


def notes(verdict: dict) -> list[str]:
    return [w["message"] for w in verdict["warnings"] if w["code"] == "key-saved"]


def test_certificate_authorities_are_added_listed_removed_and_used(cli):
    authority, key = Authority(), ec.generate_private_key(ec.SECP256R1())
    pid = write(cli, "pid.sd-jwt", sd_token(ISS, key, header={"x5c": authority.x5c(
        authority.leaf(key, dns="pid.issuer.example"))}).encode())
    code, verdict, _ = cli("credential", "verify", pid, "--json")
    assert code == 1 and verdict["reason"] == "unknown-key" and "vault trust add-ca" in verdict["message"]

    leaf = authority.leaf(key, dns="pid.issuer.example").public_bytes(serialization.Encoding.PEM)
    code, _, err = cli("trust", "add-ca", write(cli, "leaf.pem", leaf))
    assert code == 1 and "not a certificate authority" in err
    code, listed, err = cli("trust", "add-ca", write(cli, "root.pem", authority.pem()), "--json")
    assert code == 0 and len(listed) == 1 and "Test PID Root" in listed[0]["subject"]
    code, out, _ = cli("trust", "list-ca")
    assert listed[0]["fingerprint"][:16] in out

    code, verdict, _ = cli("credential", "verify", pid, "--json")
    assert code == 0 and verdict["valid"] and verdict["issuer"] == ISS
    code, verdict, err = cli("credential", "verify", pid, "--json", passphrase=False)
    assert code == 1 and verdict["reason"] == "unknown-key" and WITHOUT_VAULT in err.replace("\n", " ")

    assert cli("trust", "remove-ca", listed[0]["fingerprint"][:10])[0] == 0
    code, verdict, _ = cli("credential", "verify", pid, "--json")
    assert code == 1 and verdict["reason"] == "unknown-key"


def test_a_key_given_by_hand_is_used_offline_with_its_date(cli):
    issuer = "https://college.example/issuers/1"
    document = profile(issuer, [key_method(f"{issuer}#key-1", issuer)])
    badge = write(cli, "badge.json", signed_badge(issuer, f"{issuer}#key-1"))
    assert cli("credential", "verify", badge, "--json")[1]["reason"] == "unknown-key"

    forged = dict(document, id="https://college.example/issuers/2")      # keys of another controller
    code, _, err = cli("key", "cache", write(cli, "forged.json", forged))
    assert code == 1 and "was not cached" in err and "may list only its own keys" in err
    code, out, _ = cli("key", "cache", write(cli, "profile.json", document), "--json")
    assert code == 0 and out == {"cached": issuer, "kind": "web"}
    code, verdict, _ = cli("credential", "verify", badge, "--json")
    assert code == 0 and verdict["valid"] and notes(verdict)[0].startswith("Issuer key as added on ")


def test_issuer_metadata_given_by_hand(cli):
    key = ec.generate_private_key(ec.SECP256R1())
    metadata = {"issuer": ISS, "jwks": {"keys": [jose.public_jwk(key.public_key()) | {"kid": "k1"}]}}
    code, out, _ = cli("key", "cache", write(cli, "metadata.json", metadata), "--json")
    assert code == 0 and out["kind"] == "metadata"
    code, verdict, _ = cli("credential", "verify", write(cli, "pid", sd_token(ISS, key, kid="k1").encode()), "--json")
    assert code == 0 and verdict["valid"]
    code, _, err = cli("key", "cache", write(cli, "bad.json", {"issuer": ISS, "jwks_uri": "https://x/j"}))
    assert code == 1 and "keys are not included" in err


def test_fetched_online_saved_in_the_vault_and_the_employer_verifies_offline(cli, web):
    code, out, _ = cli("did", "list", "--json")
    holder = out[0]["did"]
    web.publish("/.well-known/did.json", did_document(web.did))
    badge = json.loads(signed_badge(web.did, f"{web.did}#key-1"))
    badge["credentialSubject"]["id"] = holder
    badge.pop("proof")
    path = write(cli, "badge.json", data_integrity.sign(badge, ISSUER_KEY, f"{web.did}#key-1",
                                                        cryptosuite="eddsa-jcs-2022"))

    code, verdict, _ = cli("credential", "verify", path, "--json", "--online")
    assert code == 1 and "loopback address" in verdict["message"] and web.requests == []   # not allowed yet
    settings.set_status_checks(cli.home, online=False, allow_private=True)
    code, results, _ = cli("credential", "import", path, "--json", "--online")
    assert code == 0 and results[0]["status"] == "valid" and web.requests == ["/.well-known/did.json"]

    presentation = cli.tmp / "vp.json"
    code, _, err = cli("present", "--credential", results[0]["id"], "--challenge", CHALLENGE, "--domain", DOMAIN,
                       "--format", "json", "--out", presentation)
    assert code == 0, err
    args = ("verify", presentation, "--challenge", CHALLENGE, "--domain", DOMAIN, "--json")
    code, verdict, _ = cli(*args)                                      # offline, the vault's copy
    assert code == 0 and verdict["valid"] and web.requests == ["/.well-known/did.json"]
    assert notes(verdict["credentials"][0])[0].startswith("Issuer key as fetched on ")
    code, verdict, err = cli(*args, passphrase=False)                  # no passphrase: no saved keys
    assert code == 1 and WITHOUT_VAULT in err.replace("\n", " ")
    assert "allow network use to fetch the issuer's key" in verdict["credentials"][0]["message"]
    assert web.requests == ["/.well-known/did.json"]


def test_a_wrong_passphrase_is_an_error_not_a_silent_verification_without_the_vault(cli, monkeypatch, capsys):
    monkeypatch.setenv("BLOCKTRACK_VAULT_PASSPHRASE", "not the passphrase")
    badge = write(cli, "b.json", signed_badge("https://college.example/i", "https://college.example/i#k"))
    assert main(["credential", "verify", badge]) == 1
    assert "Wrong passphrase" in capsys.readouterr().err
