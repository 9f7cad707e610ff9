"""Backups: encrypted, atomic, restorable only into an empty folder, and a damaged or
truncated backup (or a wrong passphrase) leaves the target folder as it was."""

from __future__ import annotations

import io
import os
import random
import stat
import zipfile

import pytest

import vault.store.vault_store as vault_store_module
from vault.errors import CorruptVault, VaultExists, VaultNotFound, WrongPassphrase
from vault.store import VaultStore


def settings_of(store: VaultStore) -> dict[str, str]:
    return dict(store.query("SELECT name, value FROM settings"))


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def assert_left_empty(folder, existed: bool) -> None:
    if existed:
        assert folder.is_dir() and list(folder.iterdir()) == [], list(folder.iterdir())
    else:
        assert not folder.exists() or list(folder.iterdir()) == []


@pytest.fixture
def backed_up(new_store, tmp_path):
    """A vault with data (the last commits still in the WAL) and a backup of it."""
    store = new_store()
    records = {f"s{i:03d}": f"secret-ish value {i} " * 10 for i in range(120)}
    with store.transaction() as conn:
        conn.executemany("INSERT INTO settings(name, value) VALUES (?, ?)", list(records.items())[:100])
    for name, value in list(records.items())[100:]:
        store.set_setting(name, value)
    assert (store.data_dir / "vault-1.db-wal").stat().st_size > 0
    (tmp_path / "out").mkdir()
    backup = store.backup(tmp_path / "out" / "vault-backup.zip")
    return store, backup, records


def test_backup_restores_everything_into_a_new_folder(backed_up, tmp_path, passphrase, umask022):
    store, backup, records = backed_up
    assert mode(backup) == 0o600
    assert sorted(p.name for p in backup.parent.iterdir()) == [backup.name]  # no partial file
    with zipfile.ZipFile(backup) as zf:
        assert sorted(zf.namelist()) == ["vault.db", "vault.header"]
        assert zf.read("vault.db")[:16] != b"SQLite format 3\x00"  # encrypted, not plain SQLite
    target = tmp_path / "restored"
    restored = VaultStore.restore_backup(backup, target, passphrase)
    try:
        assert settings_of(restored) == records
        assert restored.header.key_check == store.header.key_check
        assert mode(target) == 0o700
        assert all(mode(p) == 0o600 for p in target.iterdir())
    finally:
        restored.lock()
    again = VaultStore(target)
    again.unlock(passphrase)
    assert settings_of(again) == records
    again.lock()


def test_restore_into_existing_empty_folder(backed_up, tmp_path, passphrase):
    _, backup, records = backed_up
    target = tmp_path / "empty"
    target.mkdir()
    restored = VaultStore.restore_backup(backup, target, passphrase)
    assert settings_of(restored) == records
    restored.lock()


def test_backup_replaces_an_older_backup_atomically(backed_up, passphrase, tmp_path, monkeypatch):
    store, backup, records = backed_up
    old = backup.read_bytes()
    store.set_setting("after", "the first backup")

    def fail_replace(src, dst):
        raise OSError("disk full (simulated)")

    with monkeypatch.context() as patch:
        patch.setattr(vault_store_module.os, "replace", fail_replace)
        with pytest.raises(OSError):
            store.backup(backup)
    assert backup.read_bytes() == old
    assert sorted(p.name for p in backup.parent.iterdir()) == [backup.name]
    store.backup(backup)
    restored = VaultStore.restore_backup(backup, tmp_path / "r", passphrase)
    assert restored.get_setting("after") == "the first backup"
    restored.lock()


def test_backup_never_writes_through_a_symlink_planted_in_its_folder(backed_up, tmp_path, passphrase):
    """A local attacker plants a symlink at the partial name the backup writer used to
    pick (out name + pid), aiming it at a file of theirs choosing: it stays untouched."""
    store, backup, records = backed_up
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    planted = backup.parent / f".{backup.name}.partial-{os.getpid()}"
    planted.symlink_to(victim)
    store.set_setting("after", "the plant")
    store.backup(backup)
    assert victim.read_bytes() == b"precious"
    assert planted.is_symlink() and not backup.is_symlink() and mode(backup) == 0o600
    assert sorted(p.name for p in backup.parent.iterdir()) == sorted([backup.name, planted.name])
    restored = VaultStore.restore_backup(backup, tmp_path / "r", passphrase)
    assert restored.get_setting("after") == "the plant"
    restored.lock()


def test_backup_after_passphrase_change_needs_the_new_passphrase(backed_up, tmp_path, passphrase,
                                                               other_passphrase):
    store, _, records = backed_up
    store.change_passphrase(passphrase, other_passphrase)
    backup = store.backup(tmp_path / "out" / "after-change.zip")
    target = tmp_path / "t"
    with pytest.raises(WrongPassphrase):
        VaultStore.restore_backup(backup, target, passphrase)
    assert_left_empty(target, existed=False)
    restored = VaultStore.restore_backup(backup, target, other_passphrase)
    assert settings_of(restored) == records
    restored.lock()


@pytest.mark.parametrize("existed", [False, True])
def test_restore_with_wrong_passphrase_leaves_folder_empty(backed_up, tmp_path, other_passphrase,
                                                          existed):
    _, backup, _ = backed_up
    target = tmp_path / "t"
    if existed:
        target.mkdir()
    with pytest.raises(WrongPassphrase):
        VaultStore.restore_backup(backup, target, other_passphrase)
    assert_left_empty(target, existed)


def test_restore_into_non_empty_folder_is_refused_and_touches_nothing(backed_up, tmp_path,
                                                                     passphrase):
    store, backup, records = backed_up
    stranger = tmp_path / "not-empty"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("mine")
    with pytest.raises(VaultExists):
        VaultStore.restore_backup(backup, stranger, passphrase)
    assert [p.name for p in stranger.iterdir()] == ["notes.txt"]
    assert (stranger / "notes.txt").read_text() == "mine"

    # Nor over a live vault (its own folder).
    before = {p.name: p.read_bytes() for p in store.data_dir.iterdir() if not p.name.endswith("-shm")}
    with pytest.raises(VaultExists):
        VaultStore.restore_backup(backup, store.data_dir, passphrase)
    after = {p.name: p.read_bytes() for p in store.data_dir.iterdir() if not p.name.endswith("-shm")}
    assert after == before
    assert settings_of(store) == records


def test_missing_backup_file(tmp_path, passphrase):
    with pytest.raises(VaultNotFound):
        VaultStore.restore_backup(tmp_path / "nope.zip", tmp_path / "t", passphrase)
    assert not (tmp_path / "t").exists()


@pytest.mark.parametrize("keep", [0, 1, 4, 22, 0.5, -22, -23, -1])
def test_truncated_backup_is_corrupt_and_leaves_folder_empty(backed_up, tmp_path, passphrase,
                                                            other_passphrase, keep):
    _, backup, _ = backed_up
    data = backup.read_bytes()
    length = int(len(data) * keep) if isinstance(keep, float) else keep % len(data) if keep < 0 else keep
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(data[:length])
    for attempt in (passphrase, other_passphrase):
        target = tmp_path / "t"
        with pytest.raises(CorruptVault):
            VaultStore.restore_backup(damaged, target, attempt)
        assert_left_empty(target, existed=False)


def zip_regions(data: bytes) -> tuple[list[int], list[int]]:
    """(structure positions, payload positions) of a stored (uncompressed) zip file."""
    payload = set()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            assert info.compress_type == zipfile.ZIP_STORED
            name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
            extra_len = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
            start = info.header_offset + 30 + name_len + extra_len
            payload.update(range(start, start + info.compress_size))
    structure = [i for i in range(len(data)) if i not in payload]
    return structure, sorted(payload)


def test_bit_flips_in_a_backup_never_restore_wrong_data(backed_up, tmp_path, passphrase, flip_bit):
    """Four bits of every byte of the central directory, end record and marker comment
    (what the reader goes by), two bits of every local-header byte, and a sample of bits
    in the stored header and database (seeded, so a failure reproduces).

    A flip inside the stored files fails the zip's CRC-32: always CorruptVault. A flip in
    zip bookkeeping the reader does not use (a timestamp, "version made by") changes no
    data: then the restore may succeed, but only with exactly the original content.
    Anything else must be CorruptVault with the target folder left empty; never
    WrongPassphrase and never another exception.
    """
    _, backup, records = backed_up
    data = backup.read_bytes()
    structure, payload = zip_regions(data)
    with zipfile.ZipFile(backup) as zf:
        central_directory = zf.start_dir
    rng = random.Random(0xBAC)
    cases = [(p, b) for p in structure if p >= central_directory for b in rng.sample(range(8), 4)]
    cases += [(p, b) for p in structure if p < central_directory for b in rng.sample(range(8), 2)]
    cases += [(p, rng.randrange(8)) for p in rng.sample(payload, 150)]
    damaged = tmp_path / "damaged.zip"
    outcomes = {"corrupt": 0, "identical": 0}
    for n, (position, bit) in enumerate(cases):
        damaged.write_bytes(flip_bit(data, position, bit))
        target = tmp_path / f"t{n}"
        try:
            restored = VaultStore.restore_backup(damaged, target, passphrase)
        except CorruptVault:
            assert_left_empty(target, existed=False)
            outcomes["corrupt"] += 1
            continue
        assert position not in payload, f"a flipped stored byte at {position} was restored"
        try:
            assert settings_of(restored) == records
        finally:
            restored.lock()
        outcomes["identical"] += 1
    assert outcomes["corrupt"] > len(cases) // 2


def rezip(backup, tmp_path, *, header=None, database=None, name="rezipped.zip"):
    """A well-formed backup zip (valid CRCs) around damaged content."""
    with zipfile.ZipFile(backup) as zf:
        parts = {"vault.header": zf.read("vault.header"), "vault.db": zf.read("vault.db")}
        comment = zf.comment
    if header is not None:
        parts["vault.header"] = header(parts["vault.header"])
    if database is not None:
        parts["vault.db"] = database(parts["vault.db"])
    out = tmp_path / name
    with zipfile.ZipFile(out, "w") as zf:
        zf.comment = comment
        for part, content in parts.items():
            zf.writestr(part, content)
    return out


@pytest.mark.parametrize("damage", [
    lambda db: db[:len(db) // 2],
    lambda db: db[:-4096],
    lambda db: b"",
    lambda db: db[:1],
    lambda db: db[:100] + bytes([db[100] ^ 0x10]) + db[101:],
    lambda db: db[:3 * 4096 + 7] + bytes([db[3 * 4096 + 7] ^ 0x01]) + db[3 * 4096 + 8:],
], ids=["half", "minus-last-page", "empty", "one-byte", "flip-page-1", "flip-page-4"])
def test_damaged_database_inside_a_well_formed_backup(backed_up, tmp_path, passphrase, damage):
    """Past the zip's CRC: SQLCipher's page HMACs (and the size check) must catch it, and
    the half-restored folder must be cleaned up."""
    _, backup, _ = backed_up
    damaged = rezip(backup, tmp_path, database=damage)
    target = tmp_path / "t"
    with pytest.raises(CorruptVault):
        VaultStore.restore_backup(damaged, target, passphrase)
    assert_left_empty(target, existed=False)


def test_damaged_header_inside_a_well_formed_backup(backed_up, tmp_path, passphrase, flip_bit):
    _, backup, _ = backed_up
    damaged = rezip(backup, tmp_path, header=lambda h: flip_bit(h, len(h) // 2, 2))
    with pytest.raises(CorruptVault):
        VaultStore.restore_backup(damaged, tmp_path / "t", passphrase)
    assert_left_empty(tmp_path / "t", existed=False)


def test_zip_without_marker_is_not_a_backup(backed_up, tmp_path, passphrase):
    _, backup, _ = backed_up
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(backup) as src, zipfile.ZipFile(plain, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
    with pytest.raises(CorruptVault):
        VaultStore.restore_backup(plain, tmp_path / "t", passphrase)
    assert_left_empty(tmp_path / "t", existed=False)
