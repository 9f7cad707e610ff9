"""The `vault` command line, in-process (fast) and through the installed entry point."""

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import HARDHAT_ADDRESS_0, HARDHAT_PHRASE, PASSPHRASE
from vault.cli import main
from vault.store.header import HEADER_NAME, Header


def test_init_then_list_status_and_resolve(run):
    code, out, _ = run("init", "--kdf-seconds", "0")
    assert code == 0
    assert len(out["recovery_phrase"].split()) == 12
    assert out["did"].startswith("did:key:z6Mk") and out["address"].startswith("0x")

    code, dids, _ = run("did", "list")
    assert code == 0
    assert {d["method"] for d in dids} == {"key", "pkh"}
    assert [d["did"] for d in dids if d["default"]] == [out["did"]]

    code, status, _ = run("status")
    assert status["locked"] is False and status["integrity"] == "ok"
    assert status["accounts"] == [out["address"]]

    code, doc, _ = run("did", "resolve", out["did"], passphrase=False)
    assert code == 0 and doc["id"] == out["did"]

    code, shown, _ = run("recovery-phrase", "show")
    assert shown["recovery_phrase"] == out["recovery_phrase"]


def test_status_without_passphrase_does_not_unlock(run):
    run("init", "--kdf-seconds", "0")
    code, status, _ = run("status", passphrase=False)
    assert code == 0 and status["locked"] is True and status["kdf"]["memory_kib"] >= 65536
    assert "salt" not in status["kdf"]


def test_status_on_a_header_tampered_to_an_absurd_kdf_cost_says_damaged(run):
    """1 GiB x 200 Argon2 passes (checksum redone): refused as damaged at once, not
    minutes of derivation followed by "wrong passphrase"."""
    run("init", "--kdf-seconds", "0")
    header = Header.read(run.data)
    crafted = replace(header, kdf=replace(header.kdf, memory_kib=1024 * 1024, iterations=200))
    (run.data / HEADER_NAME).write_bytes(crafted.to_bytes())
    code, out, err = run("status", "--unlock", json_out=False)
    assert code == 1 and out == ""
    assert "key-derivation parameters are out of range" in err and "1048576 KiB, 200 iterations" in err
    assert "Restore it from a backup" in err and "Wrong passphrase" not in err


def test_restore_yields_the_known_account(run):
    phrase = run.tmp / "phrase"
    phrase.write_text(HARDHAT_PHRASE)
    code, out, _ = run("restore", "--recovery-phrase-file", str(phrase), "--kdf-seconds", "0")
    assert code == 0 and out["address"] == HARDHAT_ADDRESS_0


def test_did_create_rename_default(run):
    run("init", "--kdf-seconds", "0")
    code, jwk, _ = run("did", "create", "--method", "jwk", "--name", "work")
    assert code == 0 and jwk["did"].startswith("did:jwk:") and jwk["name"] == "work"
    code, record, _ = run("did", "default", jwk["did"])
    assert record["default"] is True
    code, record, _ = run("did", "rename", jwk["did"], "employers")
    _, dids, _ = run("did", "list")
    assert [d["name"] for d in dids if d["default"]] == ["employers"]


def test_passphrase_change_and_backup_restore(run, tmp_path):
    _, created, _ = run("init", "--kdf-seconds", "0")
    new = tmp_path / "new"
    new.write_text("a whole new passphrase\n")
    code, out, _ = run("passphrase", "change", "--new-passphrase-file", str(new))
    assert code == 0 and out == {"changed": True}
    code, _, err = run("did", "list")
    assert code == 1 and "Wrong passphrase" in err

    (tmp_path / "pw").write_text("a whole new passphrase")
    backup = tmp_path / "vault.backup"
    code, out, _ = run("backup", str(backup))
    assert code == 0 and backup.exists() and oct(backup.stat().st_mode & 0o777) == "0o600"

    elsewhere = tmp_path / "restored"
    code = main(["--data-dir", str(elsewhere), "--passphrase-file", str(tmp_path / "pw"),
                 "backup", "restore", str(backup), "--json"])
    assert code == 0
    code = main(["--data-dir", str(elsewhere), "--passphrase-file", str(tmp_path / "pw"), "did", "list", "--json"])
    assert code == 0


@pytest.mark.parametrize("args,expected_code,message", [
    (["did", "list"], 1, "no vault"),
    (["did", "resolve", "did:web:example.com"], 1, "did:web cannot be resolved"),
    (["did", "resolve", "not-a-did"], 1, "is not a DID"),
    (["backup"], 2, ""),
    (["init", "--words", "13"], 2, ""),
])
def test_errors_go_to_stderr_with_nonzero_exit(run, args, expected_code, message):
    try:
        code, out, err = run(*args)
    except SystemExit as exc:  # argparse usage errors
        code, out, err = exc.code, "", ""
    assert code == expected_code
    assert message.lower() in err.lower()
    assert out in ("", None) or not isinstance(out, str) or out == ""


def test_malformed_phrase_and_wrong_passphrase(run):
    phrase = run.tmp / "phrase"
    phrase.write_text("test " * 11 + "jumk")
    code, _, err = run("restore", "--recovery-phrase-file", str(phrase), "--kdf-seconds", "0")
    assert code == 1 and "Word 12 ('jumk')" in err and "junk" in err
    assert not run.data.exists() or not any(run.data.iterdir())

    run("init", "--kdf-seconds", "0")
    (run.tmp / "pw").write_text("not the passphrase")
    code, out, err = run("did", "list")
    assert code == 1 and "Wrong passphrase" in err and out == ""


def test_short_passphrase_refused(run):
    (run.tmp / "pw").write_text("short")
    code, _, err = run("init", "--kdf-seconds", "0")
    assert code == 1 and "at least 8" in err
    assert not any(run.data.iterdir()) if run.data.exists() else True


def test_installed_entry_point_and_env_passphrase(tmp_path):
    exe = Path(sys.executable).with_name("vault")
    env = dict(os.environ, BLOCKTRACK_VAULT_HOME=str(tmp_path / "home"), BLOCKTRACK_VAULT_PASSPHRASE=PASSPHRASE)
    done = subprocess.run([str(exe), "init", "--kdf-seconds", "0", "--json"], env=env,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["did"].startswith("did:key:")
    assert (tmp_path / "home" / "vault.header").exists()
    env.pop("BLOCKTRACK_VAULT_PASSPHRASE")
    done = subprocess.run([str(exe), "did", "list"], env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "no passphrase given" in done.stderr
