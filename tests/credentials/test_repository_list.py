"""`vault credential list` reads one covering index (schema 9): the status line of each
stored verdict is a column written with the verdict, and a vault from before is filled in
by its migration."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PASSPHRASE
from tests.credentials.test_repository import make
from vault.credentials.repository import CredentialRepository
from vault.store import VaultStore, schema

LINE = {"state": "unchecked", "message": "Not checked: offline."}
OTHER = {"state": "valid", "message": "Not revoked (list of 2025-01-01)."}


def _truth(repo) -> dict:
    """id -> the status line as read from the verdict itself."""
    return {cid: json.loads(line) if line else None for cid, line in
            repo.store.query("SELECT id, json_extract(verdict, '$.status') FROM credentials")}


def _listed(repo, **filters) -> dict:
    return {c.id: line for c, line in repo.search_with_status_lines(**filters)}


@pytest.fixture
def repo(tmp_path):
    store = VaultStore.create(tmp_path / "v", PASSPHRASE, kdf_target=0)
    yield CredentialRepository(store)
    store.lock()


def test_status_lines_follow_every_verdict_write(repo):
    repo.add_many([make(n, verdict={"valid": True, "status": LINE} if n % 2 else {"valid": True})
                   for n in range(6)])
    assert _listed(repo) == _truth(repo)
    assert sum(line == LINE for line in _listed(repo).values()) == 3
    first = next(iter(_listed(repo)))
    repo.update_verdict(first, {"valid": True, "status": OTHER}, "valid")
    assert _listed(repo)[first] == OTHER and _listed(repo) == _truth(repo)
    repo.update_verdict(first, {"valid": False}, "invalid")      # a verdict without a line
    assert _listed(repo)[first] is None and _listed(repo) == _truth(repo)
    assert set(_listed(repo, issuer="did:key:issuer1")) == \
        {cid for cid, in repo.store.query("SELECT id FROM credentials WHERE issuer = 'did:key:issuer1'")}
    assert set(_listed(repo, text="number3")) == {repo.search(text="number3")[0].id}


def test_the_whole_list_reads_the_covering_index_only(repo):
    repo.add_many([make(n) for n in range(3)])
    plans = []
    store = repo.store
    query = store.query

    def explain(sql, params=()):
        if sql.lstrip().startswith("SELECT c.id"):
            plans.extend(row[-1] for row in query("EXPLAIN QUERY PLAN " + sql, params))
        return query(sql, params)

    store.query = explain
    repo.search_with_status_lines()
    assert any("COVERING INDEX credentials_list" in p for p in plans), plans
    # same order as the table's: newest import first, then the last inserted
    store.query = query
    assert [c.id for c, _ in repo.search_with_status_lines()] == [c.id for c in repo.search()]


def test_a_vault_from_before_gets_its_status_lines_by_the_migration(tmp_path, monkeypatch):
    before = schema.MIGRATIONS[:7]
    monkeypatch.setattr(schema, "MIGRATIONS", before)
    monkeypatch.setattr(schema, "LATEST", len(before))
    store = VaultStore.create(tmp_path / "v", PASSPHRASE, kdf_target=0)
    with store.transaction() as conn:   # rows as schema 7 wrote them: no status_line column
        for n, verdict in enumerate(({"valid": True, "status": LINE}, {"valid": True})):
            conn.execute("INSERT INTO credentials (id, format, original, status, verdict, checked_at, imported_at) "
                         "VALUES (?, 'di-vc', x'7b7d', 'valid', ?, '2025', ?)", (f"{n:064x}", json.dumps(verdict),
                                                                                 f"2025-01-0{n + 1}"))
    store.lock()
    monkeypatch.undo()
    store = VaultStore(tmp_path / "v")
    store.unlock(PASSPHRASE)
    try:
        repo = CredentialRepository(store)
        assert store.schema_version == schema.LATEST
        assert _listed(repo) == {f"{1:064x}": None, f"{0:064x}": LINE} == _truth(repo)
    finally:
        store.lock()


def test_listed_shows_what_the_summaries_say_in_their_order(repo, monkeypatch):
    """The command line's lines come from ``listed`` (six columns, ties of one import date
    sorted by rowid in Python): the same rows, values and order as the summaries, for every
    sort, direction, filter and page."""
    import vault.credentials.repository as module
    dates = iter(["2025-01-02T00:00:00+00:00"] * 4 + ["2025-01-01T00:00:00+00:00"] * 3
                 + ["2025-01-03T00:00:00+00:00"] * 4)
    for n in range(11):   # three imports, each one date for all it holds; ids in no rowid order
        monkeypatch.setattr(module, "_now", lambda: next(dates))
        repo.add(make(n, verdict={"valid": True, "status": LINE} if n % 2 else {"valid": True},
                      title=f"Python level {(n * 7) % 11}"))
    cases = [{}, {"descending": False}, {"sort": "title"}, {"sort": "issuer", "descending": False},
             {"issuer": "did:key:issuer1"}, {"text": "number3"}, {"text": "jordan", "limit": 4},
             {"limit": 5}, {"status": "valid", "descending": False}]
    for filters in cases:
        want = [(c.id, c.status, c.title, c.issuer, c.issuer_name, line)
                for c, line in repo.search_with_status_lines(**filters)]
        got = [row[:6] for row in repo.listed(**filters)]
        assert got == want, filters
    for descending, way in ((True, "DESC"), (False, "ASC")):   # SQLite's own order of the same rows
        by_rowid = [cid for cid, in repo.store.query(f"SELECT id FROM credentials ORDER BY imported_at {way}, "
                                                     f"rowid {way}")]
        assert [row[0] for row in repo.listed(descending=descending)] == by_rowid
        assert [c.id for c, _ in repo.search_with_status_lines(descending=descending)] == by_rowid
