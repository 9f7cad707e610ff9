"""Nothing readable is left in the data folder: no secret, credential content or key, in
any file (database, WAL, shared memory, header, temp files, backups), at any moment we
can observe (open with a live WAL, inside a passphrase change, after lock). And the
folder is 0700, every file in it 0600, even under the usual 022 umask."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest

import vault.store.vault_store as vault_store_module
from vault.identity import Identity
from vault.keys import recovery_phrase
from vault.store import database

PASSPHRASE = "Plaintext-Passphrase 7431 horse"
NEW_PASSPHRASE = "Second-Passphrase 2219 battery"
MARKER = "MARKER-PLAINTEXT-12345"
DID_NAME = "DIDNAME-Job-Applications-98765"
ACCOUNT_NAME = "ACCOUNTNAME-Savings-55531"


def needles_for(identity: Identity, phrase: str) -> dict[str, bytes]:
    """Every byte string that must never appear in a file, by what it is."""
    needles = {"marker": MARKER.encode(), "DID name": DID_NAME.encode(),
               "account name": ACCOUNT_NAME.encode(), "recovery phrase": phrase.encode(),
               "seed": recovery_phrase.to_seed(phrase)}
    words = phrase.split()
    for i in range(len(words) - 2):
        needles[f"phrase words {i + 1}-{i + 3}"] = " ".join(words[i:i + 3]).encode()
    for account in identity.accounts():
        key = identity.eth_private_key(account.address)
        assert len(key) == 32
        needles[f"eth key {account.address}"] = key
    for did in identity.dids():
        if did.method in ("key", "jwk"):
            raw = identity.signing_key(did.did).private_bytes_raw()
            assert len(raw) == 32
            needles[f"ed25519 key {did.did}"] = raw
    return needles


def with_hex(needles: dict[str, bytes]) -> dict[str, bytes]:
    out = dict(needles)
    for name, value in needles.items():
        out[name + " (hex)"] = value.hex().encode()
        out[name + " (HEX)"] = value.hex().upper().encode()
    return out


def scan(folders, needles: dict[str, bytes]) -> list[str]:
    found = []
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                found += [f"{path.name}: {name}" for name, needle in needles.items() if needle in data]
    return found


def bad_modes(folder) -> list[str]:
    folder = Path(folder)
    bad = [] if stat.S_IMODE(folder.stat().st_mode) == 0o700 else [f"{folder.name}/ {oct(folder.stat().st_mode)}"]
    for path in folder.iterdir():
        if stat.S_IMODE(path.stat().st_mode) != 0o600:
            bad.append(f"{path.name} {oct(stat.S_IMODE(path.stat().st_mode))}")
    return bad


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Route Python's tempfile (the backup snapshot) to a folder this test scans."""
    folder = tmp_path / "tmp"
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_no_secret_in_any_file_at_any_time(tmp_path, umask022, private_tmp, monkeypatch):
    vault_dir = tmp_path / "vault"
    identity, phrase = Identity.create(vault_dir, PASSPHRASE, kdf_target=0)
    store = identity.store
    store.set_setting("note", MARKER)
    identity.rename_did(identity.default_did().did, DID_NAME)
    identity.create_did("jwk", name=DID_NAME + "-jwk")
    identity.add_account(name=ACCOUNT_NAME)
    assert store.get_setting("note") == MARKER  # (the markers really are stored)

    needles = needles_for(identity, phrase)
    needles["passphrase"] = PASSPHRASE.encode()
    needles["new passphrase"] = NEW_PASSPHRASE.encode()
    needles["sqlcipher key"] = bytes(store._key)
    needles = with_hex(needles)
    observed = []

    def check(moment: str, *folders) -> None:
        observed.append(moment)
        assert scan(folders, needles) == [], moment
        for folder in folders:
            assert bad_modes(folder) == [], (moment, folder)

    # 1. Open, with the recent writes in the WAL.
    assert (vault_dir / "vault-1.db-wal").stat().st_size > 0
    assert (vault_dir / "vault-1.db-shm").exists()
    assert store.query("PRAGMA temp_store") == [(2,)]  # SQLite temp data stays in memory
    check("open", vault_dir)

    # 2. A backup, including the moment its plaintext-free snapshot sits in a temp folder.
    real_export = database.export

    def export_and_scan(conn, target, key, version):
        real_export(conn, target, key, version)
        assert scan([Path(target).parent, vault_dir], needles) == [], "export"
        observed.append(f"exported to {Path(target).parent.name}")

    monkeypatch.setattr(database, "export", export_and_scan)
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700)
    backup = store.backup(backups / "vault-backup.zip")
    check("backup", backups)
    assert list(private_tmp.iterdir()) == []  # the snapshot's temp folder is gone

    # 3. Inside a passphrase change: at each step, both generations present.
    monkeypatch.setattr(vault_store_module, "_checkpoint", lambda step: check(step, vault_dir))
    store.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    monkeypatch.setattr(vault_store_module, "_checkpoint", lambda step: None)
    needles.update(with_hex({"new sqlcipher key": bytes(store._key)}))
    store.set_setting("note2", MARKER + "-again")
    assert (vault_dir / "vault-2.db-wal").stat().st_size > 0
    check("open after change", vault_dir)

    # 4. Locked.
    store.lock()
    assert sorted(p.name for p in vault_dir.iterdir()) == ["vault-2.db", "vault.header"]
    check("locked", vault_dir)

    # 5. Restored from the backup, open and then locked.
    restored = vault_store_module.VaultStore.restore_backup(backup, tmp_path / "restored", PASSPHRASE)
    assert restored.get_setting("note") == MARKER
    check("restored", tmp_path / "restored")
    restored.lock()
    check("restored, locked", tmp_path / "restored", private_tmp)

    # Every moment was really looked at, the backup's temp snapshot included.
    assert observed[0] == "open" and observed[1].startswith("exported to btv-backup-")
    assert {"exported", "before-header", "after-header", "locked"} <= set(observed)


def test_files_are_private_even_with_a_permissive_umask(tmp_path, passphrase):
    """Umask 0 (nothing masked): modes come from the code, not from the user's umask."""
    old = os.umask(0)
    try:
        store = vault_store_module.VaultStore.create(tmp_path / "v", passphrase, kdf_target=0)
        store.set_setting("a", "b")
        assert bad_modes(tmp_path / "v") == []
        out = tmp_path / "out"
        out.mkdir()
        backup = store.backup(out / "b.zip")
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        store.lock()
        assert bad_modes(tmp_path / "v") == []
    finally:
        os.umask(old)


def test_the_scan_does_find_plaintext(tmp_path):
    """Control: the same scan on an unencrypted SQLite file with the same content finds it
    (so the tests above pass because the files are encrypted, not because scan is blind)."""
    import sqlite3

    phrase = recovery_phrase.generate(12)
    conn = sqlite3.connect(tmp_path / "plain.db")
    conn.execute("CREATE TABLE settings (name TEXT, value TEXT)")
    conn.execute("INSERT INTO settings VALUES ('note', ?), ('phrase', ?)", (MARKER, phrase))
    conn.commit()
    conn.close()
    words = phrase.split()
    needles = {"marker": MARKER.encode(), "words 4-6": " ".join(words[3:6]).encode(),
               "key": b"\x01" * 32}
    (tmp_path / "blob.bin").write_bytes(os.urandom(100) + (b"\x01" * 32).hex().encode())
    found = scan([tmp_path], with_hex(needles))
    assert {"blob.bin: key (hex)", "plain.db: marker", "plain.db: words 4-6"} <= set(found)
