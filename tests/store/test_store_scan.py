"""``VaultStore.scan``: a whole-index read with a small page cache (the command line's list)
gives what ``query`` gives, puts the cache size back, and a damaged page met on the way is
CorruptVault with the store locked, as with ``query``: nothing read from it is returned."""

from __future__ import annotations

import pytest

from tests.store.test_store_deferred_check import PAGE, open_unchecked, populate
from vault.errors import CorruptVault, VaultLocked
from vault.store.vault_store import SCAN_CACHE_PAGES

WALK = "SELECT name, value FROM settings ORDER BY name"


def test_scan_reads_what_query_reads_and_restores_the_cache(new_store):
    store = new_store()
    records = populate(store, 600)     # ~40 pages: more than the scan's cache holds
    before = store.query_one("PRAGMA cache_size")[0]
    assert before != SCAN_CACHE_PAGES
    assert store.scan(WALK) == store.query(WALK) == sorted(records.items())
    assert store.query_one("PRAGMA cache_size")[0] == before


def test_a_damaged_page_met_by_a_scan_locks_the_store(new_store, vault_dir, passphrase, flip_bit):
    store = new_store()
    populate(store, 600)
    store.lock()
    db_path = vault_dir / "vault-1.db"
    pristine = db_path.read_bytes()
    for page in range(len(pristine) // PAGE - 1, 0, -1):   # a page the unlock does not read
        db_path.write_bytes(flip_bit(pristine, page * PAGE + 300, 2))
        try:
            store = open_unchecked(vault_dir, passphrase)
        except CorruptVault:
            continue
        try:
            rows = store.scan(WALK)
        except CorruptVault:
            assert not store.is_unlocked
            with pytest.raises(VaultLocked):
                store.scan(WALK)
            return
        store.lock()
        assert len(rows) == 600       # a page this walk does not read (another table's)
    raise AssertionError("no damaged page was met by the scan")
