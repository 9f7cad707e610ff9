import json

import pytest

from tests.conftest import PASSPHRASE
from vault.credentials.repository import CredentialRepository, NewCredential, fingerprint, fts_query
from vault.credentials.trust import TrustList
from vault.errors import InvalidDid, NotFound, VaultError
from vault.store import VaultStore


def make(n: int, **overrides) -> NewCredential:
    body = json.dumps({"id": f"urn:uuid:{n}", "name": f"Badge {n}"}).encode()
    fields = dict(format="di-vc", original=body, verdict={"valid": True}, status="valid",
                  issuer=f"did:key:issuer{n % 3}", issuer_name=["Riverside College", "Open Uni", "Code Camp"][n % 3],
                  types=("VerifiableCredential", "OpenBadgeCredential"), title=f"Python level {n}",
                  search_text=f"Jordan Rivera achievement number{n}")
    fields.update(overrides)
    return NewCredential(**fields)


@pytest.fixture
def repo(tmp_path):
    store = VaultStore.create(tmp_path / "v", PASSPHRASE, kdf_target=0)
    yield CredentialRepository(store)
    store.lock()


def test_same_credential_twice_is_one_copy(repo):
    first, created = repo.add(make(1))
    # the same JSON with other whitespace and member order is the same credential
    again = json.dumps(json.loads(make(1).original), indent=4, sort_keys=True).encode()
    second, created_again = repo.add(make(1, original=again))
    assert created and not created_again and first.id == second.id
    assert repo.count() == 1
    assert repo.original(first.id) == make(1).original  # the first bytes, never re-serialised


def test_search_filters_and_sorts(repo):
    for n in range(30):
        repo.add(make(n))
    repo.add(make(99, status="revoked", title="Data Science", search_text="pandas numpy"))
    assert repo.count("python") == 30
    assert repo.count("pyth leve") == 30  # prefixes of every word, as typed
    assert [c.title for c in repo.search("pandas")] == ["Data Science"]
    assert repo.count("open badge") == 31  # type names split into words
    assert repo.count("riverside") == 11
    assert repo.count(issuer="did:key:issuer1") == 10
    assert repo.count(status="revoked") == 1 and repo.count("python", status="revoked") == 0
    assert repo.count(type_="OpenBadgeCredential") == 31 and repo.count(type_="Badge") == 0
    titles = [c.title for c in repo.search(sort="title", descending=False, limit=3)]
    assert titles == sorted(titles, key=str.lower)
    assert len(repo.search(limit=5, offset=28)) == 3
    assert repo.count('"; DROP TABLE credentials; --') == 0  # hostile text is just words
    with pytest.raises(VaultError):
        repo.search(sort="nonsense")
    with pytest.raises(VaultError):
        repo.search(status="nonsense")


def test_tags_and_notes_are_searchable_and_kept(repo):
    summary, _ = repo.add(make(1))
    repo.set_tags(summary.id, ["job", " remote ", "job", ""])
    repo.set_note(summary.id, "Shown to Acme in March")
    got = repo.get(summary.id[:6])
    assert got.tags == ["job", "remote"] and got.note == "Shown to Acme in March"
    assert repo.count("acme") == 1 and repo.count("remote") == 1
    assert repo.count("python") == 1  # re-indexing kept the claims
    repo.set_note(summary.id, "")
    assert repo.count("acme") == 0


def test_delete_is_final_and_ids_resolve(repo):
    a, _ = repo.add(make(1))
    repo.add(make(2))
    repo.delete(a.id[:8])
    with pytest.raises(NotFound):
        repo.get(a.id)
    assert repo.count("python") == 1
    with pytest.raises(NotFound):
        repo.resolve_id("xyz")
    with pytest.raises(NotFound):
        repo.resolve_id("ab")


def test_trust_list(repo):
    trust = TrustList(repo.store)
    trust.add("did:key:z6MkurecYsGdpL1EYa1Azwx1NfuNMcQx2MnfUhzNS1AvY1s8", "Riverside")
    trust.add("did:key:z6MkurecYsGdpL1EYa1Azwx1NfuNMcQx2MnfUhzNS1AvY1s8")  # again: keeps the name
    assert trust.entries()[0]["name"] == "Riverside"
    assert trust.contains("did:key:z6MkurecYsGdpL1EYa1Azwx1NfuNMcQx2MnfUhzNS1AvY1s8")
    trust.remove("did:key:z6MkurecYsGdpL1EYa1Azwx1NfuNMcQx2MnfUhzNS1AvY1s8")
    with pytest.raises(NotFound):
        trust.remove("did:key:z6MkurecYsGdpL1EYa1Azwx1NfuNMcQx2MnfUhzNS1AvY1s8")
    with pytest.raises(InvalidDid):
        trust.add("riverside college")


def test_fingerprint_and_query_helpers():
    assert fingerprint(b'{"a":1,"b":2}') == fingerprint(b'{ "b": 2, "a": 1 }\n')
    assert fingerprint(b"eyJ.a.b\n") == fingerprint(b"eyJ.a.b")
    assert fts_query('intro "python') == '"intro"* AND "python"*'
    assert fts_query("  ") == ""


def test_add_many_is_one_transaction_and_dedupes_within_it(repo):
    results = repo.add_many([make(1), make(2), make(1)])
    assert [created for _, created in results] == [True, True, False]
    assert results[0][0].id == results[2][0].id and repo.count() == 2


def test_count_by_text_alone_uses_the_index(repo):
    for n in range(5):
        repo.add(make(n))
    repo.add(make(9, title="Welding", search_text="torch"))
    assert repo.count("p") == 5 and repo.count("torch") == 1 and repo.count("nothing") == 0
    assert repo.count("p", status="valid") == 5  # with a filter: through the table
