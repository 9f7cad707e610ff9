"""Unlock with the full-file check postponed (``unlock(check_integrity=False)``), as the
desktop app does to show the list sooner, then ``check_integrity()``.

A damaged page is never read as other data meanwhile (SQLCipher checks each page's HMAC
as it reads it), the postponed check finds the damage and locks the store, and nothing is
written before that check has passed: not a write transaction, not a backup, not a
passphrase change, not the removal of an older database generation.
"""

from __future__ import annotations

import random

import pytest

from tests.store.conftest import PASSPHRASE
from vault.errors import CorruptVault, VaultLocked
from vault.store import VaultStore, schema
from vault.store.header import HEADER_NAME

PAGE = 4096  # SQLCipher 4 page size


def populate(store: VaultStore, n: int = 200) -> dict[str, str]:
    records = {f"k{i:04d}": f"value-{i}-" + "x" * (i % 97) + "-" * 200 for i in range(n)}
    with store.transaction() as conn:
        conn.executemany("INSERT INTO settings(name, value) VALUES (?, ?)", records.items())
    return records


def settings_of(store: VaultStore) -> dict[str, str]:
    return dict(store.query("SELECT name, value FROM settings"))


def flip_positions(size: int, rng: random.Random) -> list[int]:
    """A few positions in every page: start, content, IV and HMAC."""
    positions = []
    for page in range(size // PAGE):
        offsets = {0, 16, 100, PAGE // 2, PAGE - 80, PAGE - 64, PAGE - 1, rng.randrange(PAGE - 80)}
        positions.extend(page * PAGE + offset for offset in sorted(offsets))
    return positions


@pytest.fixture
def closed_vault(new_store, vault_dir):
    store = new_store()
    records = populate(store)
    store.lock()
    return vault_dir, records


def open_unchecked(folder, passphrase) -> VaultStore:
    store = VaultStore(folder)
    store.unlock(passphrase, check_integrity=False)
    return store


def last_page_flipped(folder, flip_bit) -> bytes:
    """Damage a byte of a page the unlock itself never reads: from the end of the file
    back, the first page whose damage an unchecked unlock does not meet. (The very last
    pages may be sqlite_stat1, which `PRAGMA optimize` adds at lock and SQLite reads with
    the schema.)"""
    db_path = folder / "vault-1.db"
    pristine = db_path.read_bytes()
    for page in range(len(pristine) // PAGE - 1, 0, -1):
        damaged = flip_bit(pristine, page * PAGE + 300, 2)
        db_path.write_bytes(damaged)
        try:
            open_unchecked(folder, PASSPHRASE).lock()
        except CorruptVault:
            continue
        return damaged
    raise AssertionError("every page is read at unlock")


def test_intact_vault_opens_and_passes_the_postponed_check(closed_vault, passphrase):
    folder, records = closed_vault
    store = open_unchecked(folder, passphrase)
    assert store.is_unlocked and store.integrity_pending
    assert settings_of(store) == records
    store.check_integrity()
    assert store.is_unlocked and not store.integrity_pending
    store.set_setting("after", "the check")
    assert store.get_setting("after") == "the check"
    store.check_integrity()          # may run again at any time
    store.lock()
    assert not store.integrity_pending


def test_default_unlock_still_checks_at_once(closed_vault, passphrase, flip_bit):
    folder, _ = closed_vault
    last_page_flipped(folder, flip_bit)
    store = VaultStore(folder)
    with pytest.raises(CorruptVault):
        store.unlock(passphrase)
    assert not store.is_unlocked


def test_damaged_page_opens_then_the_check_finds_it_and_locks(closed_vault, passphrase, flip_bit):
    folder, _ = closed_vault
    damaged = last_page_flipped(folder, flip_bit)
    store = open_unchecked(folder, passphrase)
    assert store.is_unlocked and store.integrity_pending
    with pytest.raises(CorruptVault) as caught:
        store.check_integrity()
    assert "Restore it from a backup" in str(caught.value)
    assert not store.is_unlocked and not store.integrity_pending
    with pytest.raises(VaultLocked):
        store.query("SELECT count(*) FROM settings")
    # The evidence is left as it was: no checkpoint, no optimize, no cleanup wrote to it.
    assert (folder / "vault-1.db").read_bytes() == damaged
    assert sorted(p.name for p in folder.iterdir()) == sorted([HEADER_NAME, "vault-1.db"])


def test_every_damaged_page_is_found_by_unlock_or_by_the_postponed_check(closed_vault, passphrase,
                                                                         flip_bit):
    """Whatever byte of whatever page is flipped: never a silent open."""
    folder, _ = closed_vault
    db_path = folder / "vault-1.db"
    pristine = db_path.read_bytes()
    rng = random.Random(0xDEF)
    positions = flip_positions(len(pristine), rng)
    where = {"unlock": 0, "check": 0}
    for position in positions:
        db_path.write_bytes(flip_bit(pristine, position, rng.randrange(8)))
        store = VaultStore(folder)
        try:
            store.unlock(passphrase, check_integrity=False)
        except CorruptVault:
            where["unlock"] += 1
            continue
        with pytest.raises(CorruptVault):
            store.check_integrity()
        assert not store.is_unlocked, position
        where["check"] += 1
    assert where["check"] > 0      # most pages are found by the postponed check only
    db_path.write_bytes(pristine)


def test_nothing_is_written_before_the_check_passes(closed_vault, passphrase, other_passphrase,
                                                    flip_bit, tmp_path):
    folder, _ = closed_vault
    damaged = last_page_flipped(folder, flip_bit)
    # A write transaction runs the check first.
    store = open_unchecked(folder, passphrase)
    with pytest.raises(CorruptVault):
        store.set_setting("never", "written")
    assert not store.is_unlocked
    assert not (folder / "vault-1.db-wal").exists() or (folder / "vault-1.db-wal").stat().st_size == 0
    # So do a backup and a passphrase change.
    store = open_unchecked(folder, passphrase)
    with pytest.raises(CorruptVault):
        store.backup(tmp_path / "backup.zip")
    assert not (tmp_path / "backup.zip").exists()
    store = open_unchecked(folder, passphrase)
    with pytest.raises(CorruptVault):
        store.change_passphrase(passphrase, other_passphrase)
    assert (folder / "vault-1.db").read_bytes() == damaged
    assert sorted(p.name for p in folder.iterdir()) == sorted([HEADER_NAME, "vault-1.db"])


def test_older_generations_are_removed_only_after_the_check(closed_vault, passphrase, flip_bit):
    folder, _ = closed_vault
    stray = folder / "vault-0.db"       # what an interrupted passphrase change leaves
    stray.write_bytes(b"an older generation")
    store = open_unchecked(folder, passphrase)
    assert stray.exists()
    store.check_integrity()
    assert not stray.exists()
    store.lock()
    stray.write_bytes(b"an older generation")
    last_page_flipped(folder, flip_bit)
    store = open_unchecked(folder, passphrase)
    with pytest.raises(CorruptVault):
        store.check_integrity()
    assert stray.exists()               # a damaged vault keeps whatever else is there


def test_a_vault_to_upgrade_is_checked_before_the_upgrade(closed_vault, passphrase, flip_bit, monkeypatch):
    folder, _ = closed_vault
    damaged = last_page_flipped(folder, flip_bit)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS + ["CREATE TABLE next1 (x TEXT)"])
    monkeypatch.setattr(schema, "LATEST", schema.LATEST + 1)
    store = VaultStore(folder)
    with pytest.raises(CorruptVault):
        store.unlock(passphrase, check_integrity=False)
    assert not store.is_unlocked
    assert (folder / "vault-1.db").read_bytes() == damaged


def test_check_of_a_locked_store_says_locked(closed_vault):
    folder, _ = closed_vault
    with pytest.raises(VaultLocked):
        VaultStore(folder).check_integrity()
