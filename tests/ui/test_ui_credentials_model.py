"""The credentials list model and its card proxy under Qt's QAbstractItemModelTester:
queries off the GUI thread, rows read a page at a time, the latest query wins, lock
clears everything."""

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from ui.credentials import jobs
from ui.credentials import model as model_module
from ui.credentials.model import CredentialCardProxy, CredentialListModel
from ui.credentials.presentation import Look
from ui.workers import TaskRunner
from vault.credentials.repository import NewCredential
from vault.credentials.service import CredentialService
from vault.store import VaultStore

PASSPHRASE = "correct horse battery staple"
INTEROP = Path(__file__).resolve().parents[1] / "fixtures" / "interop"


@pytest.fixture
def service(tmp_path):
    store = VaultStore.create(tmp_path / "v", PASSPHRASE, kdf_target=0)
    yield CredentialService(store)
    store.lock()


@pytest.fixture
def tasks(qapp):
    runner = TaskRunner()
    yield runner
    runner.wait()


@pytest.fixture
def model_tester(qtlog):
    """Qt's QAbstractItemModelTester on a model for the whole test; any "FAIL!" it logs
    (category qt.modeltest) fails the test. (pytest-qt's qtmodeltester only logs them.)"""
    testers = []

    def check(model):
        testers.append(QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning))

    yield check
    failures = [r.message for r in qtlog.records if getattr(r.context, "category", "") == "qt.modeltest"]
    assert not failures, failures
    assert testers


def add_rows(service, n: int) -> None:
    """n credentials straight into the repository (the model only reads rows)."""
    for i in range(n):
        service.repository.add(NewCredential(
            format="di-vc", original=json.dumps({"n": i}).encode(),
            verdict={"valid": i % 3 == 0, "reason": "valid" if i % 3 == 0 else "expired",
                     "message": "m", "warnings": []},
            status="valid" if i % 3 == 0 else "expired", issuer=f"did:key:z{i % 4}",
            issuer_name=f"College {i % 4}", types=("VerifiableCredential", "OpenBadgeCredential"),
            title=f"Badge {i:03d}", search_text=f"skill{i % 10} common"))


def wait_populated(qtbot, model, query=None):
    with qtbot.waitSignal(model.populated, timeout=10_000):
        if query is not None:
            model.set_query(query)
        else:
            model.refresh()
    qtbot.waitUntil(lambda: not model.busy)


def test_list_model_passes_the_model_tester(qtbot, model_tester, service, tasks):
    for path in ("di-eddsa-rdfc-2022/valid-01-open-badge.json", "jwt-vc/valid-01-eddsa.jwt",
                 "sd-jwt-vc/valid-02-es256.sd-jwt"):
        service.import_file(INTEROP / path)
    add_rows(service, 40)
    model = CredentialListModel(service, tasks)
    model_tester(model)                       # empty, before any query
    wait_populated(qtbot, model, jobs.Query())
    assert model.rowCount() == 43
    assert model.data(model.index(0, 0)) == "Badge 039"     # newest first
    index = model.index(42, 0)
    assert model.data(index, CredentialListModel.LoadedRole) is True
    assert model.data(index) == "Introduction to Programming (Python)"
    assert model.data(index, CredentialListModel.SummaryRole).status == "valid"
    assert model.data(index, CredentialListModel.VerdictRole)["reason"] == "valid"
    assert model.data(index, Qt.AccessibleTextRole).endswith(", Valid")
    assert not model.index(0, 0, index).isValid()     # a list: no children
    # Resets, row reads and updates while the tester watches.
    wait_populated(qtbot, model, jobs.Query("skill3"))
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == ["Badge 033", "Badge 023",
                                                                               "Badge 013", "Badge 003"]
    wait_populated(qtbot, model, jobs.Query(status="expired", sort="title", descending=False))
    assert model.rowCount() == 26 and model.data(model.index(0, 0)) == "Badge 001"
    summary, verdict = model.cached(model.key_at(0))
    changed = service.repository.set_note(summary.id, "noted")
    model.update_row(model.key_at(0), changed, verdict)
    assert model.data(model.index(0, 0), CredentialListModel.SummaryRole).note == "noted"
    wait_populated(qtbot, model, jobs.Query("nothing-like-it"))
    assert model.rowCount() == 0
    model.clear()


def test_card_proxy_passes_the_model_tester_and_words_the_verdict(qtbot, model_tester, service, tasks):
    service.import_file(INTEROP / "sd-jwt-vc/valid-02-es256.sd-jwt")
    model = CredentialListModel(service, tasks)
    proxy = CredentialCardProxy()
    proxy.setSourceModel(model)
    model_tester(proxy)
    wait_populated(qtbot, model, jobs.Query())
    index = proxy.index(0, 0)
    assert proxy.data(index) == "Introduction to Programming (Python)"
    assert proxy.data(index, CredentialCardProxy.ChipRole) == Look("Valid", "good")
    assert proxy.data(index, CredentialCardProxy.WarningChipRole) == Look("Unknown issuer", "warn")
    assert "not in your trust list" in proxy.data(index, CredentialCardProxy.ReasonRole)
    assert proxy.data(index, CredentialCardProxy.IssuerRole).startswith(
        "Riverside Community College (name not verified) · did:key:")
    assert proxy.data(index, CredentialCardProxy.InitialsRole) == "IT"
    card = proxy.card(index)
    assert card.title == proxy.data(index) and card.chip.text == "Valid"


def test_rows_are_read_a_page_at_a_time_into_a_bounded_cache(qtbot, model_tester, service, tasks, monkeypatch):
    monkeypatch.setattr(model_module, "FIRST_PAGE", 20)
    monkeypatch.setattr(model_module, "PAGE", 30)
    monkeypatch.setattr(model_module, "ROW_CACHE", 70)
    add_rows(service, 150)
    model = CredentialListModel(service, tasks)
    model_tester(model)
    wait_populated(qtbot, model, jobs.Query(sort="title", descending=False))
    assert model.rowCount() == 150
    assert sum(model.cached(k) is not None for k in model.keys) == 20    # only the first page
    far = model.index(120, 0)
    assert model.data(far) == "Loading…" and model.data(far, CredentialListModel.LoadedRole) is False
    assert model.data(far, CredentialListModel.SummaryRole) is None
    with qtbot.waitSignal(model.dataChanged) as changed:
        pass
    top, bottom = changed.args[0].row(), changed.args[1].row()
    assert top <= 120 <= bottom
    assert model.data(far) == "Badge 120"
    for row in range(0, 150, 10):            # read everything once: the cache stays bounded
        model.data(model.index(row, 0))
        qtbot.waitUntil(lambda: model.data(model.index(row, 0), CredentialListModel.LoadedRole))
    assert sum(model.cached(k) is not None for k in model.keys) <= 70


def test_the_latest_query_wins(qtbot, service, tasks):
    add_rows(service, 30)
    model = CredentialListModel(service, tasks)
    applied = []
    model.populated.connect(lambda result: applied.append(result.query))
    for text in ("s", "sk", "ski", "skill", "skill7"):     # typed faster than the queries run
        model.set_query(jobs.Query(text))
    qtbot.waitUntil(lambda: not model.busy and bool(applied))
    assert applied[-1] == jobs.Query("skill7") and model.rowCount() == 3
    assert len(applied) <= 2      # the first one, perhaps, and the last: none in between


def test_clear_forgets_rows_and_ignores_late_results(qtbot, service, tasks):
    add_rows(service, 10)
    model = CredentialListModel(service, tasks)
    wait_populated(qtbot, model, jobs.Query())
    assert model.cached_count() >= 10
    model.set_query(jobs.Query("common"))       # still running when the vault locks
    model.clear()
    tasks.wait()
    qtbot.wait(50)
    assert model.rowCount() == 0 and model.cached_count() == 0 and model.last_result is None
    model.set_query(jobs.Query())               # a cleared model stays empty
    assert not model.busy and model.rowCount() == 0


def test_a_failing_query_is_reported(qtbot, service, tasks):
    model = CredentialListModel(service, tasks)
    service.store.lock()
    with qtbot.waitSignal(model.failed) as failed:
        model.set_query(jobs.Query())
    assert "locked" in failed.args[0]
    assert not model.busy


@pytest.mark.parametrize("query", [jobs.Query(), jobs.Query("common"), jobs.Query("skill3"),
                                   jobs.Query(status="expired", sort="title", descending=False),
                                   jobs.Query("common", issuer="did:key:z1", sort="issuer")])
def test_keys_come_a_screenful_first_then_more_as_the_view_scrolls(qtbot, model_tester, service, tasks,
                                                                    monkeypatch, query):
    """A keystroke waits only for the first keys; the rest arrive by fetchMore (the view
    asks when it reaches the end) and the number of matches is counted apart."""
    monkeypatch.setattr(model_module, "FIRST_KEYS", 10)
    monkeypatch.setattr(model_module, "MORE_KEYS", 15)
    add_rows(service, 60)
    expected = service.repository.keys(**query.kwargs())
    model = CredentialListModel(service, tasks)
    at_first = []
    model.populated.connect(lambda _r: at_first.append((model.rowCount(), model.matches)))
    counted = []
    model.counted.connect(counted.append)
    wait_populated(qtbot, model, query)
    rows, matches = at_first[0]
    assert rows == min(10, len(expected))
    if query.filtered and len(expected) > 10:
        assert matches is None                # counted apart, after
    else:
        assert matches == len(expected)       # the vault's count, or every key is here
    model_tester(model)                       # it asks for more as a view would, and checks the inserts
    while model.canFetchMore():
        model.fetchMore()
        qtbot.waitUntil(lambda: not model._more_running)
    assert model.complete and model.keys == expected
    assert model.matches == len(expected)
    if query.filtered and len(expected) > 10:
        qtbot.waitUntil(lambda: bool(counted))
        assert counted[-1] == len(expected)
    titles = [model.data(model.index(r, 0)) for r in range(model.rowCount())]   # rows are read as asked
    qtbot.waitUntil(lambda: all(model.data(model.index(r, 0), CredentialListModel.LoadedRole)
                                for r in range(model.rowCount())))
    rows_read = service.repository.by_keys(expected)
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == [rows_read[k][0].title
                                                                              for k in expected]
    assert len(titles) == len(expected)


def test_a_new_query_drops_the_keys_still_coming(qtbot, service, tasks, monkeypatch):
    monkeypatch.setattr(model_module, "FIRST_KEYS", 5)
    add_rows(service, 30)
    model = CredentialListModel(service, tasks)
    wait_populated(qtbot, model, jobs.Query())
    model.fetchMore()                          # still running when the next query is asked
    wait_populated(qtbot, model, jobs.Query("skill3"))
    tasks.wait()
    qtbot.waitUntil(lambda: not model._more_running)
    assert model.keys == service.repository.keys("skill3")
