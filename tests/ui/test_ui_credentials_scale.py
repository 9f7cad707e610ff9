"""A vault of 100,000 credentials: the page fills, scrolls to the bottom, searches and
filters, with only a bounded number of rows ever read into memory. Behaviour, not timing:
the timings are in the report of bench runs, not asserted on a shared machine."""

import subprocess
import sys

import pytest

from ui.credentials import CredentialsPage
from ui.credentials import model as model_module
from ui.workers import TaskRunner
from vault.credentials.service import CredentialService
from vault.store import VaultStore
from vault.store.kdf import derive_key

PASSPHRASE = "correct horse battery staple"
N = 100_000
STATUSES = ("valid", "valid", "expired", "revoked", "unverified")

# Run in a fresh interpreter: SQLCipher's memory security (mlock of every allocation,
# switched on for the whole process by the vault) makes bulk inserts ~10x slower here.
# The rows are what the importer would store; the full-text index gets the same columns.
BUILD = r'''
import random, sys, sqlcipher3
path, n = sys.argv[1], int(sys.argv[2])
key = bytes.fromhex(sys.stdin.read().strip())
statuses = sys.argv[3].split(",")
conn = sqlcipher3.connect(path, isolation_level=None)
conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
conn.execute("PRAGMA journal_mode = WAL").fetchall()
rnd = random.Random(7)
words = ("python data analysis teamwork leadership design welding nursing chemistry biology "
         "history calculus statistics writing research security cloud finance robotics music").split()
def rows():
    for i in range(n):
        w = rnd.sample(words, 3)
        yield (f"{i:064x}", "di-vc", b'{"n": %d}' % i, f"did:key:z6Mk{i % 50:040d}", f"College {i % 50}",
               "did:example:me", "VerifiableCredential OpenBadgeCredential", f"{w[0].title()} {w[1]} {i}",
               "2024-01-01T00:00:00+00:00", None, statuses[i % len(statuses)],
               '{"valid": true, "reason": "valid", "message": "ok", "warnings": []}',
               "2025-01-01T00:00:00+00:00", f"2025-01-01T{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}+00:00",
               " ".join(w))
conn.execute("BEGIN")
conn.executemany("INSERT INTO credentials (id, format, original, issuer, issuer_name, subject, types, title, "
                 "valid_from, valid_until, status, verdict, checked_at, imported_at, search_text) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
conn.execute("INSERT INTO credentials_fts(rowid, title, issuer, types, claims, tags, note) "
             "SELECT rowid, title, issuer_name || ' ' || issuer, "
             "'VerifiableCredential OpenBadgeCredential Open Badge Credential', search_text, '', '' FROM credentials")
conn.execute("COMMIT")
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.close()
'''


@pytest.fixture(scope="module")
def big_vault(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("big") / "vault"
    store = VaultStore.create(data_dir, PASSPHRASE, kdf_target=0)
    key = derive_key(PASSPHRASE, store.header.kdf)
    path = store.database_path
    store.lock()
    subprocess.run([sys.executable, "-c", BUILD, str(path), str(N), ",".join(STATUSES)],
                   input=key.hex(), text=True, check=True, timeout=600)
    return data_dir


@pytest.fixture(scope="module")
def store(big_vault):
    store = VaultStore(big_vault)
    store.unlock(PASSPHRASE)
    yield store
    store.lock()


@pytest.fixture
def page(qtbot, qapp, store):
    # No QAbstractItemModelTester here: it walks every row at each change (~1 s per
    # reset at 100,000). test_ui_credentials_model runs it on the same model, smaller.
    tasks = TaskRunner()
    page = CredentialsPage(CredentialService(store), tasks)
    qtbot.addWidget(page)
    page.resize(808, 640)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.model.last_result is not None and not page.model.busy, timeout=30_000)
    yield page
    page.drop_vault_data()
    tasks.wait()


def visible_rows(page) -> range:
    view = page.view
    top = view.rowAt(0)
    bottom = view.rowAt(view.viewport().height() - 1)
    bottom = page.model.rowCount() - 1 if bottom < 0 else bottom
    return range(top, bottom + 1)


def visible_loaded(page) -> bool:
    rows = visible_rows(page)
    return len(rows) > 0 and rows.start >= 0 and all(
        page.model.cached(page.model.key_at(r)) is not None for r in rows)


def test_fills_with_100000_credentials_reading_only_a_screenful(qtbot, page):
    # The first keys only: the rest come as the list scrolls.
    assert page.model.rowCount() == model_module.FIRST_KEYS and page.model.canFetchMore()
    assert page.model.matches == N
    assert page.count_label.text() == "100,000 credentials in this vault"
    qtbot.waitUntil(lambda: visible_loaded(page))
    assert page.model.cached(page.model.key_at(0))[0].title.endswith(f" {N - 1}")   # newest first
    assert len(page.model._rows) <= model_module.FIRST_PAGE + model_module.PAGE


def scroll_to_the_very_end(qtbot, page) -> int:
    """Scroll to the bottom until the view has made the model fetch every key; the
    number of fetches it took."""
    fetches = 0
    while not page.model.complete:
        before = page.model.rowCount()
        page.view.scrollToBottom()      # at the end: the view asks the model for more
        qtbot.waitUntil(lambda: page.model.rowCount() > before or page.model.complete, timeout=20_000)
        fetches += 1
    page.view.scrollToBottom()
    return fetches


def test_scrolls_to_the_bottom_and_back(qtbot, page):
    fetches = scroll_to_the_very_end(qtbot, page)
    assert page.model.rowCount() == N and page.model.keys == page.service.repository.keys()
    assert fetches <= 12      # each batch as large as what is loaded: a few, not hundreds
    qtbot.waitUntil(lambda: visible_loaded(page) and visible_rows(page).stop == N)
    assert page.model.cached(page.model.key_at(N - 1))[0].title.endswith(" 0")      # the oldest
    for fraction in (0.25, 0.5, 0.75, 0.1):
        page.view.verticalScrollBar().setValue(int(page.view.verticalScrollBar().maximum() * fraction))
        qtbot.waitUntil(lambda: visible_loaded(page))
    page.view.scrollToTop()
    qtbot.waitUntil(lambda: visible_loaded(page) and visible_rows(page).start == 0)
    assert len(page.model._rows) <= model_module.ROW_CACHE
    page.view.viewport().grab()


def test_search_and_filters_over_100000(qtbot, page, store):
    repository = page.service.repository
    qtbot.keyClicks(page.search, "python statis")
    expected = repository.count("python statis")
    assert 0 < expected < N
    qtbot.waitUntil(lambda: page.model.matches == expected and not page.model.busy, timeout=20_000)
    qtbot.waitUntil(lambda: visible_loaded(page))
    matching = set(page.service.repository.keys("python statis"))
    assert all(page.model.key_at(row) in matching for row in visible_rows(page))
    assert f"{expected:,} of 100,000 credentials match" == page.count_label.text()

    page.status_filter.setCurrentIndex(page.status_filter.findData("revoked"))
    both = repository.count("python statis", status="revoked")
    qtbot.waitUntil(lambda: page.model.matches == both and not page.model.busy, timeout=20_000)
    assert f"{both:,} of 100,000 credentials match" == page.count_label.text()
    qtbot.waitUntil(lambda: visible_loaded(page))
    assert {page.model.cached(page.model.key_at(r))[0].status for r in visible_rows(page)} == {"revoked"}

    page.search.clear()
    qtbot.waitUntil(lambda: page.model.matches == N // len(STATUSES) and not page.model.busy, timeout=20_000)
    scroll_to_the_very_end(qtbot, page)
    assert page.model.keys == repository.keys(status="revoked")
    page.view.scrollToTop()
    page.sort_combo.setCurrentIndex(page.sort_combo.findText("Title A–Z"))
    qtbot.waitUntil(lambda: page.model.last_result.query.sort == "title" and not page.model.busy, timeout=20_000)
    qtbot.waitUntil(lambda: visible_loaded(page))
    shown = [page.model.cached(page.model.key_at(r))[0].title for r in visible_rows(page)]
    assert shown == sorted(shown, key=str.lower)


def test_typing_fast_runs_only_what_is_needed(qtbot, page):
    applied = []
    page.model.populated.connect(lambda result: applied.append(result.query.text))
    qtbot.keyClicks(page.search, "chemistry")          # 9 keystrokes, well within the 150 ms pause
    qtbot.waitUntil(lambda: bool(applied) and applied[-1] == "chemistry" and not page.model.busy, timeout=20_000)
    assert len(applied) <= 2
    qtbot.waitUntil(lambda: page.model.matches is not None)
    assert page.model.matches == page.service.repository.count("chemistry")
    assert page.model.keys[:page.model.rowCount()] == page.service.repository.keys(
        "chemistry", limit=page.model.rowCount())
