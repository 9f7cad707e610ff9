"""Schema versions: a new vault runs every migration from 0 to LATEST; an older vault is
migrated on unlock, one transaction per step; a vault made by a newer release is refused
with a clear VaultError (it is not damaged, so not CorruptVault)."""

from __future__ import annotations

import pytest
import sqlcipher3

from vault.errors import CorruptVault, VaultError, WrongPassphrase
from vault.store import VaultStore, schema
from vault.store.vault_store import _split_sql


def tables(store: VaultStore) -> set[str]:
    # sqlite_stat* are the planner's statistics (PRAGMA optimize on lock), not schema
    return {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith("sqlite_stat")}


def schema_objects(rows) -> set[tuple[str, str]]:
    return {(kind, name) for kind, name in rows if not name.startswith(("sqlite_autoindex", "sqlite_stat"))}


@pytest.fixture(scope="module")
def expected_objects() -> set[tuple[str, str]]:
    """What running every migration, 1 to LATEST, on an empty database creates."""
    conn = sqlcipher3.connect(":memory:")
    for migration in schema.MIGRATIONS:
        for statement in _split_sql(migration):
            conn.execute(statement)
    objects = schema_objects(conn.execute("SELECT type, name FROM sqlite_master"))
    conn.close()
    return objects


@pytest.fixture
def original_tables(expected_objects) -> set[str]:
    return {name for kind, name in expected_objects if kind == "table"}


def with_migrations(monkeypatch, *extra: str) -> None:
    migrations = list(schema.MIGRATIONS) + list(extra)
    monkeypatch.setattr(schema, "MIGRATIONS", migrations)
    monkeypatch.setattr(schema, "LATEST", len(migrations))


def test_latest_matches_the_migration_list():
    assert schema.LATEST == len(schema.MIGRATIONS) >= 1


def test_new_vault_runs_every_migration_from_0(new_store, expected_objects):
    store = new_store()
    assert store.schema_version == schema.LATEST
    assert schema_objects(store.query("SELECT type, name FROM sqlite_master")) == expected_objects
    assert {"settings", "secrets", "dids", "accounts"} <= {n for k, n in expected_objects if k == "table"}


def test_new_vault_with_more_migrations_reaches_latest(new_store, monkeypatch, original_tables):
    base = schema.LATEST
    with_migrations(monkeypatch, "CREATE TABLE next1 (x TEXT); CREATE INDEX next1_x ON next1 (x)",
                    "ALTER TABLE next1 ADD COLUMN y INTEGER NOT NULL DEFAULT 7")
    store = new_store()
    assert store.schema_version == base + 2
    assert tables(store) == original_tables | {"next1"}
    assert [r[1] for r in store.query("PRAGMA table_info(next1)")] == ["x", "y"]


def test_existing_vault_is_migrated_on_unlock(new_store, vault_dir, reopen, monkeypatch, passphrase):
    store = new_store()
    store.set_setting("kept", "across the migration")
    store.lock()
    base = schema.LATEST
    with_migrations(monkeypatch, "CREATE TABLE next1 (x TEXT)",
                    "INSERT INTO settings(name, value) VALUES ('migrated', 'two steps')")
    store = reopen(vault_dir, passphrase)
    assert store.schema_version == base + 2
    assert store.get_setting("kept") == "across the migration"
    assert store.get_setting("migrated") == "two steps"
    store.lock()
    store = reopen(vault_dir, passphrase)  # nothing runs twice
    assert store.query("SELECT count(*) FROM settings WHERE name = 'migrated'") == [(1,)]
    store.lock()


def test_failing_migration_rolls_back_and_leaves_the_vault_locked(new_store, vault_dir, reopen,
                                                                 monkeypatch, passphrase,
                                                                 original_tables):
    new_store().lock()
    base = schema.LATEST
    with monkeypatch.context() as patch:
        with_migrations(patch, "CREATE TABLE half_done (x TEXT); CREATE TABLE settings (dup TEXT)")
        store = VaultStore(vault_dir)
        with pytest.raises(Exception):
            store.unlock(passphrase)
        assert not store.is_unlocked
    store = reopen(vault_dir, passphrase)
    assert store.schema_version == schema.LATEST == base
    assert tables(store) == original_tables  # the failed step left nothing behind
    store.lock()


def test_vault_from_a_newer_release_is_refused_clearly(new_store, vault_dir, reopen, passphrase,
                                                      monkeypatch):
    store = new_store()
    store.set_setting("from", "the future")
    store.query(f"PRAGMA user_version = {schema.LATEST + 1}")
    store.lock()
    refused = VaultStore(vault_dir)
    with pytest.raises(VaultError) as caught:
        refused.unlock(passphrase)
    assert not isinstance(caught.value, (CorruptVault, WrongPassphrase))
    assert "newer" in str(caught.value) and str(schema.LATEST + 1) in str(caught.value)
    assert not refused.is_unlocked
    # Untouched: the release that knows version LATEST + 1 still opens it as it was.
    with_migrations(monkeypatch, "CREATE TABLE never_run (x TEXT)")
    store = reopen(vault_dir, passphrase)
    assert store.schema_version == schema.LATEST
    assert "never_run" not in tables(store)
    assert store.get_setting("from") == "the future"
    store.lock()


def test_backup_from_a_newer_release_is_refused_and_folder_left_empty(new_store, tmp_path,
                                                                     passphrase):
    store = new_store()
    store.query(f"PRAGMA user_version = {schema.LATEST + 1}")
    backup = store.backup(tmp_path / "future.zip")
    target = tmp_path / "target"
    with pytest.raises(VaultError) as caught:
        VaultStore.restore_backup(backup, target, passphrase)
    assert not isinstance(caught.value, (CorruptVault, WrongPassphrase))
    assert not target.exists() or list(target.iterdir()) == []


def test_schema_version_survives_passphrase_change_and_backup(new_store, tmp_path, passphrase,
                                                             other_passphrase, original_tables):
    store = new_store()
    store.change_passphrase(passphrase, other_passphrase)
    assert store.schema_version == schema.LATEST
    restored = VaultStore.restore_backup(store.backup(tmp_path / "b.zip"), tmp_path / "r", other_passphrase)
    assert restored.schema_version == schema.LATEST
    assert tables(restored) == original_tables
    restored.lock()
