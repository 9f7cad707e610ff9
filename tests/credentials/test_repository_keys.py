"""Row keys and rows by key: what the desktop list of many credentials reads."""

import pytest

from tests.conftest import PASSPHRASE
from vault.credentials.repository import SORTS, CredentialRepository, NewCredential
from vault.errors import VaultError
from vault.store import VaultStore


def make(n: int, **overrides) -> NewCredential:
    fields = dict(format="di-vc", original=f'{{"n": {n}}}'.encode(), verdict={"valid": True, "n": n},
                  status=("valid", "expired", "revoked")[n % 3], issuer=f"did:key:issuer{n % 4}",
                  issuer_name=["Riverside", "Open Uni", "Code Camp", "Atelier"][n % 4],
                  types=("VerifiableCredential", "OpenBadgeCredential" if n % 2 else "EmployeeCredential"),
                  title=f"{'Python' if n % 5 else 'Data'} badge {n:02d}",
                  valid_from=f"2024-01-{n % 28 + 1:02d}T00:00:00+00:00",
                  valid_until=None if n % 3 else f"2030-02-{n % 28 + 1:02d}T00:00:00+00:00",
                  search_text=f"learner number{n} {'welding' if n % 7 == 0 else 'painting'}")
    fields.update(overrides)
    return NewCredential(**fields)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    store = VaultStore.create(tmp_path_factory.mktemp("keys") / "v", PASSPHRASE, kdf_target=0)
    repository = CredentialRepository(store)
    for n in range(40):
        repository.add(make(n))
    yield repository
    store.lock()


FILTERS = [dict(), dict(text="python"), dict(text="pyth bad"), dict(text="welding"), dict(text="nothing-like-it"),
           dict(status="revoked"), dict(issuer="did:key:issuer2"), dict(type_="EmployeeCredential"),
           dict(text="badge", status="valid", issuer="did:key:issuer1"), dict(text='"; DROP TABLE credentials; --')]


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("filters", FILTERS)
def test_keys_follow_search_order_and_filters(repo, filters, sort, descending):
    keys = repo.keys(**filters, sort=sort, descending=descending)
    expected = [c.id for c in repo.search(**filters, sort=sort, descending=descending)]
    rows = repo.by_keys(keys)
    assert [rows[k][0].id for k in keys] == expected
    assert len(keys) == repo.count(**filters)


def test_by_keys_gives_summary_and_stored_verdict(repo):
    keys = repo.keys(sort="title", descending=False)
    rows = repo.by_keys(reversed(keys[:3]))
    assert set(rows) == set(keys[:3])
    for key in keys[:3]:
        summary, verdict = rows[key]
        assert summary == repo.get(summary.id)
        assert verdict == repo.verdict(summary.id)
    assert repo.by_keys([]) == {}
    assert repo.by_keys([10 ** 9]) == {}  # gone: left out, no error


def test_by_keys_reads_many_in_chunks(repo):
    keys = repo.keys()
    assert len(repo.by_keys(keys * 30)) == len(keys)  # 1,200 keys: more than one chunk


def test_a_key_stays_with_its_credential(tmp_path):
    store = VaultStore.create(tmp_path / "v", PASSPHRASE, kdf_target=0)
    try:
        repo = CredentialRepository(store)
        first, _ = repo.add(make(1))
        second, _ = repo.add(make(2))
        key_of = {repo.by_keys([k])[k][0].id: k for k in repo.keys()}
        repo.set_tags(first.id, ["job"])  # re-indexes the row: the key does not move
        repo.set_note(second.id, "for the interview")
        assert {repo.by_keys([k])[k][0].id: k for k in repo.keys()} == key_of
        assert repo.keys("interview") == [key_of[second.id]]
        repo.delete(first.id)
        assert repo.keys() == [key_of[second.id]]
    finally:
        store.lock()


def test_keys_refuse_an_unknown_sort_or_status(repo):
    with pytest.raises(VaultError):
        repo.keys(sort="nonsense")
    with pytest.raises(VaultError):
        repo.keys(status="nonsense")


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("filters", FILTERS)
def test_keys_a_page_at_a_time_are_the_same_keys(repo, filters, sort, descending):
    everything = repo.keys(**filters, sort=sort, descending=descending)
    pages = [repo.keys(**filters, sort=sort, descending=descending, limit=7, offset=start)
             for start in range(0, len(everything) + 7, 7)]
    assert all(len(page) <= 7 for page in pages)
    assert [k for page in pages for k in page] == everything
    found = repo.search(**filters, sort=sort, descending=descending, limit=5, offset=3)
    rows = repo.by_keys(everything[3:8])
    assert [c.id for c in found] == [rows[k][0].id for k in everything[3:8]]


def test_a_page_of_a_text_search_follows_import_dates_even_after_a_clock_change(tmp_path):
    """The quick path reads the full-text index in rowid order; when an import date is
    older than an earlier one's (a clock set back), rowid order is not import order and
    the general query answers instead."""
    store = VaultStore.create(tmp_path / "v", PASSPHRASE, kdf_target=0)
    repository = CredentialRepository(store)
    for n in range(12):
        repository.add(make(n))
    expected = [c.id for c in repository.search("learner")]
    assert [c.id for c in repository.search("learner", limit=4)] == expected[:4]
    assert repository.keys("learner", limit=4) == repository.keys("learner")[:4]
    newest = expected[0]
    with store.transaction() as conn:       # the newest import, dated before all the others
        conn.execute("UPDATE credentials SET imported_at = '2000-01-01T00:00:00+00:00' WHERE id = ?", (newest,))
    moved = [c.id for c in repository.search("learner")]
    assert moved[-1] == newest and moved[:-1] == expected[1:]
    assert [c.id for c in repository.search("learner", limit=4)] == moved[:4]
    assert repository.keys("learner", limit=3, offset=9) == repository.keys("learner")[9:12]
    assert [c.id for c in repository.search("learner", descending=False, limit=2)] == moved[::-1][:2]
    store.lock()


@pytest.mark.parametrize("text", ["p", "py", "pyt", "pyth", "python b", "b", "welding", "number1", "le nu"])
@pytest.mark.parametrize("descending", [True, False])
def test_a_page_of_short_and_long_words_is_the_same_page(repo, text, descending):
    """Whichever plan a page takes (the full-text index in rowid order for short prefixes,
    the general query for longer words newest first), it is the start of the full list."""
    everything = repo.keys(text, descending=descending)
    for limit, offset in ((1, 0), (5, 0), (5, 5), (100, 3)):
        assert repo.keys(text, descending=descending, limit=limit, offset=offset) == \
            everything[offset:offset + limit]
