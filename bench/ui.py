"""Desktop benchmarks: cold start, unlock to a painted list, search as you type, memory.

    python -m bench.ui [--quick]

Everything runs with ``QT_QPA_PLATFORM=offscreen`` and each measurement in a fresh
Python process (``python -m bench.ui --child …``), so imports, caches and memory of one
do not flatter another.

1. Cold start: ``python -c`` importing ``ui.app``, creating the styled application and
   the main window on an existing vault; timed in the parent from just before the process
   is spawned to the first paint of the unlock page (an event filter on the page prints
   a marker on its first ``Paint`` event). Median of 5 runs (2 with ``--quick``).
2. Unlock + show 10,000: the real window on a vault of 10,000 credentials (built once
   with ``CredentialRepository.add_many`` from the generator of bench/credentials.py);
   the passphrase goes into the unlock page and ``submit()`` runs; the clock stops when
   the Credentials page's model has announced its rows (``populated``) and the list has
   been painted (a synchronous ``repaint()`` of the view). Argon2id, timed inside the
   same call, is subtracted. Lock and unlock again; median of the runs.
3. Search at 100,000: the real Credentials page on a 100,000-row vault; each keystroke of
   a typed sequence is sent to the search box (``QTest.keyClick``), the 150 ms debounce
   is fired at once, and the clock stops at the model's ``populated`` signal and the
   repaint of the list. Median per keystroke (and the worst) over several passes.
4. Memory: VmRSS (``/proc/self/status``) of the process of (2) after its unlock with
   10,000 credentials and the list painted (and VmHWM, the peak).

Prints a Markdown table for docs/benchmarks.md and the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import machine_line, print_report

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "benchmark passphrase"
ROOT = Path(__file__).resolve().parent.parent
COLD_BUDGET_S = 1.0
UNLOCK_BUDGET_MS = 300.0
SEARCH_BUDGET_MS = 50.0
MEMORY_BUDGET_MB = 300.0
BATCH = 5_000
MARKER = "FIRST-PAINT"
# What a person types, keystroke by keystroke (clearing between words).
TYPED = ["python", "riverside", "data sci", "quetzal"]

COLD_START = r'''
import sys
from pathlib import Path
from ui.app import create_application
from ui.config import AppConfig
app = create_application([], theme="light")
from PySide6.QtCore import QEvent, QObject, QTimer
from ui.main_window import MainWindow
window = MainWindow(AppConfig(Path(sys.argv[1]), kdf_target=0))
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, lambda: (print("%s", flush=True), app.quit()))
        return False
painted = FirstPaint()
window.page.installEventFilter(painted)
window.show()
app.exec()
import os
os._exit(0)
''' % MARKER


# ------------------------------------------------------------------------------ helpers

def rss_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB."""
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def build_vault(folder: Path, rows: int, seed: int) -> dict:
    """An identity vault (as the app creates it) holding ``rows`` generated credentials."""
    from bench.credentials import Corpus, _new_credential
    from vault.credentials.repository import CredentialRepository
    from vault.identity import Identity

    start = time.perf_counter()
    identity, _ = Identity.create(folder, PASSPHRASE, kdf_target=0)
    store = identity.store
    repository = CredentialRepository(store)
    corpus, verdicts, done = Corpus(seed=seed), {}, 0
    while done < rows:
        batch = min(BATCH, rows - done)
        news = []
        for _ in range(batch):
            data, document, issuer = corpus.signed()
            news.append(_new_credential(data, document, issuer, verdicts))
        repository.add_many(news)
        done += batch
    count = repository.count()
    store.lock()
    if count != rows:
        raise SystemExit(f"built {count} rows, wanted {rows}")
    return {"rows": rows, "build_s": time.perf_counter() - start}


def child(kind: str, *args: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "bench.ui", "--child", kind, *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise SystemExit(f"child {kind} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- cold start

def bench_cold_start(folder: Path, runs: int) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", COLD_START, str(folder)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in proc.stdout:
            if line.strip() == MARKER:
                times.append(time.perf_counter() - start)
                break
        proc.wait(timeout=60)
        if len(times) < _ + 1:
            raise SystemExit(f"no first paint: {proc.stderr.read()}")
    # The interpreter alone, for scale.
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    bare = time.perf_counter() - start
    return {"runs": runs, "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "python_alone_s": bare}


# ---------------------------------------------------------------- children (in-process)

def _wait(app, condition, timeout_s: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.0005)


def child_unlock(folder: str, repeat: int) -> dict:
    """Unlock through the real window; KDF subtracted; RSS after the first painted list."""
    import vault.store.vault_store as vs
    from ui.app import create_application
    from ui.config import AppConfig

    app = create_application([], theme="light")
    from ui.main_window import MainWindow, Workspace
    from ui.onboarding import jobs as onboarding_jobs
    onboarding_jobs.warm_up()   # as the window does 0.3 s after its first paint, before anyone types

    real_derive, kdf = vs.derive_key, []

    def derive(*a, **kw):
        start = time.perf_counter()
        try:
            return real_derive(*a, **kw)
        finally:
            kdf.append((time.perf_counter() - start) * 1000)

    vs.derive_key = derive
    # Where the time goes: the HMAC check of every page at unlock, and building the pages.
    import ui.main_window as main_window
    from vault.store import database
    integrity, building = [], []
    real_check, real_init = database.integrity_errors, main_window.Workspace.__init__

    def check(*a, **kw):
        start = time.perf_counter()
        try:
            return real_check(*a, **kw)
        finally:
            integrity.append((time.perf_counter() - start) * 1000)

    def init(self, *a, **kw):
        start = time.perf_counter()
        real_init(self, *a, **kw)
        building.append((time.perf_counter() - start) * 1000)

    database.integrity_errors, main_window.Workspace.__init__ = check, init
    window = MainWindow(AppConfig(Path(folder), kdf_target=0))
    window.show()
    # A person takes longer than this to type a passphrase: the window's warm-up of the
    # imports (started 0.3 s after the first paint) is done, as it would be.
    deadline = time.perf_counter() + 0.6
    _wait(app, lambda: time.perf_counter() > deadline)
    window.tasks.wait()
    app.processEvents()
    totals, beyond, memory, rows = [], [], None, 0
    for i in range(repeat):
        page = window.page
        page.passphrase.setText(PASSPHRASE)
        state = {}

        def on_populated(_result, state=state):
            state.setdefault("populated", time.perf_counter())

        start = time.perf_counter()
        page.submit()
        _wait(app, lambda: isinstance(window.page, Workspace))
        credentials = window.page.credentials_page
        credentials.model.populated.connect(on_populated)
        if credentials.model.last_result is not None:
            on_populated(None)
        _wait(app, lambda: "populated" in state)
        credentials.view.viewport().repaint()
        window.repaint()
        total = (time.perf_counter() - start) * 1000
        rows = credentials.model.total
        totals.append(total)
        beyond.append(total - kdf[-1])
        if i == 0:
            for _ in range(50):   # the visible rows' cards and images arrive, then paint
                app.processEvents()
                time.sleep(0.002)
            window.repaint()
            memory = rss_mb()
        window.tasks.wait()
        app.processEvents()
        window.lock()
        app.processEvents()
        window.tasks.wait()
        app.processEvents()
    vs.derive_key = real_derive
    database.integrity_errors, main_window.Workspace.__init__ = real_check, real_init
    window.close()
    return {"rows": rows, "repeat": repeat, "kdf_ms": statistics.median(kdf),
            "total_ms": statistics.median(totals), "beyond_kdf_ms": statistics.median(beyond),
            "beyond_kdf_max_ms": max(beyond), "beyond_kdf_min_ms": min(beyond), "first_beyond_kdf_ms": beyond[0],
            "integrity_check_ms": statistics.median(integrity), "workspace_ms": statistics.median(building),
            "rss_mb": memory[0], "hwm_mb": memory[1]}


def child_search(folder: str, passes: int) -> dict:
    """Keystrokes into the real Credentials page's search box, debounce fired at once."""
    from ui.app import create_application

    app = create_application([], theme="light")
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMainWindow

    from ui.credentials import CredentialsPage
    from ui.workers import TaskRunner
    from vault.credentials.service import CredentialService
    from vault.store import VaultStore

    store = VaultStore(Path(folder))
    store.unlock(PASSPHRASE)
    tasks = TaskRunner()
    page = CredentialsPage(CredentialService(store), tasks)
    holder = QMainWindow()
    holder.setCentralWidget(page)
    holder.resize(1000, 680)
    holder.show()
    state = {"n": 0}
    page.model.populated.connect(lambda _r: state.__setitem__("n", state["n"] + 1))
    _wait(app, lambda: state["n"] >= 1)
    total = page.model.total
    page.search.setFocus()
    per_key: dict[str, list[float]] = {}
    order: list[str] = []
    matches: dict[str, int] = {}
    for _ in range(passes):
        for word in TYPED:
            page.search.clear()
            page.apply_filters()
            seen = state["n"]
            _wait(app, lambda: state["n"] > seen and not page.model.busy)
            for i, char in enumerate(word):
                text = word[:i + 1]
                seen = state["n"]
                start = time.perf_counter()
                QTest.keyClick(page.search, char)
                page.search_timer.stop()
                page.apply_filters()          # the debounce, fired now
                _wait(app, lambda: state["n"] > seen)
                page.view.viewport().repaint()
                ms = (time.perf_counter() - start) * 1000
                if text not in per_key:
                    order.append(text)
                per_key.setdefault(text, []).append(ms)
                matches[text] = len(page.model.keys)
                if page.search.text() != text:
                    raise SystemExit(f"typed {text!r}, the box says {page.search.text()!r}")
    tasks.wait()
    holder.close()
    store.lock()
    all_ms = [ms for text in order for ms in per_key[text]]
    rows = [{"text": t, "matches": matches[t], "median_ms": statistics.median(per_key[t]),
             "max_ms": max(per_key[t])} for t in order]
    worst = max(rows, key=lambda r: r["median_ms"])
    return {"rows": total, "passes": passes, "keystrokes": len(all_ms),
            "median_ms": statistics.median(all_ms), "p95_ms": sorted(all_ms)[round(0.95 * (len(all_ms) - 1))],
            "max_ms": max(all_ms), "worst_key": worst, "per_key": rows}


# ------------------------------------------------------------------------------- report

def verdict(value: float, budget: float) -> str:
    return "meets" if value <= budget else "misses"


def markdown(r: dict) -> str:
    c, u, s = r["cold"], r["unlock"], r["search"]
    w = s["worst_key"]
    lines = ["| figure | value | budget |", "| --- | --- | --- |",
             f"| cold start to the painted unlock page (new process, `python -c`), median of {c['runs']} | "
             f"{c['median_s']:.2f} s (min {c['min_s']:.2f}, max {c['max_s']:.2f}; a bare `python -c pass` "
             f"{c['python_alone_s']:.2f} s) | ≤ {COLD_BUDGET_S:.1f} s: {verdict(c['median_s'], COLD_BUDGET_S)} |",
             f"| unlock beyond the KDF → Credentials page populated and painted, {u['rows']:,} credentials, "
             f"median of {u['repeat']} | {u['beyond_kdf_ms']:.0f} ms (first {u['first_beyond_kdf_ms']:.0f}, "
             f"max {u['beyond_kdf_max_ms']:.0f}; of which `PRAGMA cipher_integrity_check` "
             f"{u['integrity_check_ms']:.0f} ms and building the workspace's pages {u['workspace_ms']:.0f} ms; "
             f"KDF {u['kdf_ms']:.0f} ms apart) | "
             f"≤ {UNLOCK_BUDGET_MS:.0f} ms: {verdict(u['beyond_kdf_ms'], UNLOCK_BUDGET_MS)} |",
             f"| search keystroke → model `populated` + list repainted, {s['rows']:,} credentials, "
             f"{s['keystrokes']} keystrokes ({s['passes']} passes of {', '.join(repr(t) for t in TYPED)}) | "
             f"median {s['median_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms, max {s['max_ms']:.1f} ms; worst key "
             f"{w['text']!r} ({w['matches']:,} shown) {w['median_ms']:.1f} ms | "
             f"≤ {SEARCH_BUDGET_MS:.0f} ms: {verdict(s['median_ms'], SEARCH_BUDGET_MS)} (median; p95 "
             f"{verdict(s['p95_ms'], SEARCH_BUDGET_MS)}) |",
             f"| memory (VmRSS) after unlock with {u['rows']:,} credentials, list painted | "
             f"{u['rss_mb']:.0f} MB (peak VmHWM {u['hwm_mb']:.0f} MB) | ≤ {MEMORY_BUDGET_MB:.0f} MB: "
             f"{verdict(u['rss_mb'], MEMORY_BUDGET_MB)} |",
             "", "Per keystroke at " f"{s['rows']:,} (median / max ms):", "",
             "| typed | shown | median ms | max ms |", "| --- | --- | --- | --- |"]
    for row in s["per_key"]:
        lines.append(f"| `{row['text']}` | {row['matches']:,} | {row['median_ms']:.1f} | {row['max_ms']:.1f} |")
    return "\n".join(lines)


def run(quick: bool) -> dict:
    r: dict = {"mode": "quick" if quick else "full"}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small, big = tmp / "v10k", tmp / "v100k"
        r["build_10k"] = build_vault(small, 10_000, seed=10_000)
        r["cold"] = bench_cold_start(small, runs=2 if quick else 5)
        r["unlock"] = child("unlock", str(small), "3" if quick else "5")
        big_rows = 20_000 if quick else 100_000
        r["build_big"] = build_vault(big, big_rows, seed=big_rows)
        r["search"] = child("search", str(big), "1" if quick else "3")
    r["elapsed_s"] = time.perf_counter() - t0
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer runs, search over 20,000 instead of 100,000 credentials")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        fn = {"unlock": child_unlock, "search": child_search}[kind]
        result = fn(rest[0], int(rest[1]))
        print(json.dumps(result), flush=True)
        os._exit(0)   # no teardown of Qt objects: the figures are printed
    r = run(args.quick)
    command = "python -m bench.ui" + (" --quick" if args.quick else "")
    print_report(machine_line(command, r["elapsed_s"]), markdown(r), r)


if __name__ == "__main__":
    main()
