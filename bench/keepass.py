"""Side by side with KeePassXC beyond opening a store: importing the same entries, and the
memory a whole listing takes at 100,000 (``python -m bench`` calls these from its store
section; keepassxc-cli is the peer, never needed by the app).

* Import: ``vault credential import FILE…`` of N credentials into an existing vault (each
  one parsed, its proof verified, stored with its summary and full-text index, all in one
  transaction) against ``keepassxc-cli import`` of an XML export of the same N entries
  (title, subject, issuer, the credential as the entry's notes) into a new KDBX, its KDF
  tuned to our KDF's time. Whole commands, Python's and KeePassXC's start included.
* Memory: the peak resident set (``/usr/bin/time -f %M``) of ``vault credential list`` on
  the vault of 100,000 credentials against ``keepassxc-cli ls -R -f`` on a KDBX of the
  same entries (the bench's own writer, same Argon2id parameters).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import kdbx
from bench.common import ROOT, stats

PASSWORD = "benchmark passphrase"


def entries_of(folder: Path, limit: int | None = None) -> list[tuple[str, str, str, str]]:
    """(title, subject, issuer, original text) of the vault's credentials, oldest first."""
    from vault.store import VaultStore

    store = VaultStore(folder)
    store.unlock(PASSWORD, check_integrity=False)
    try:
        sql = "SELECT title, subject, issuer, original FROM credentials ORDER BY rowid"
        rows = store.query(sql + (f" LIMIT {int(limit)}" if limit else ""))
    finally:
        store.lock()
    return [(t, s, i, bytes(o).decode("utf-8")) for t, s, i, o in rows]


def _env() -> dict:
    return dict(os.environ, BLOCKTRACK_VAULT_PASSPHRASE=PASSWORD, PYTHONPATH=str(ROOT))


def _run(argv: list[str], *, input: str | None = None, env: dict | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, input=input, env=env, capture_output=True, text=True, timeout=1800)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]} exited {done.returncode}: {done.stderr.strip()[:500]}")
    return elapsed


def import_throughput(tmp: Path, entries: list[tuple[str, str, str, str]], kdf_ms: float, runs: int,
                      keepass: bool) -> dict:
    """Median whole-command times of both imports of ``entries`` (a fresh target each run)."""
    from vault.identity import Identity

    files = tmp / "import-files"
    files.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, (_, _, _, original) in enumerate(entries):
        path = files / f"c{n:06d}.json"
        path.write_text(original, encoding="utf-8")
        paths.append(str(path))
    xml_path = tmp / "import.xml"
    xml_path.write_bytes(kdbx.xml([(t, s, i, o) for t, s, i, o in entries]))
    ours, theirs = [], []
    for run in range(runs):
        folder = tmp / f"import-vault-{run}"
        Identity.create(folder, PASSWORD, kdf_target=0)[0].store.lock()   # the KDF floor, as ctx.vault's
        ours.append(_run([sys.executable, "-m", "vault.cli", "--data-dir", str(folder), "credential", "import",
                          *paths], env=_env()))
        shutil.rmtree(folder, ignore_errors=True)
        if keepass:
            target = tmp / f"import-{run}.kdbx"
            theirs.append(_run(["keepassxc-cli", "import", "-q", "-p", "-t", str(max(1, round(kdf_ms))),
                                str(xml_path), str(target)], input=f"{PASSWORD}\n{PASSWORD}\n"))
            target.unlink(missing_ok=True)
    shutil.rmtree(files, ignore_errors=True)
    n = len(entries)
    out = {"entries": n, "ours": stats(ours), "ours_per_s": n / (stats(ours)["median_ms"] / 1000)}
    if theirs:
        out["keepassxc"] = stats(theirs)
        out["keepassxc_per_s"] = n / (stats(theirs)["median_ms"] / 1000)
    return out


def _peak_rss_mb(argv: list[str], *, input: str | None = None, env: dict | None = None,
                 lines_at_least: int = 0) -> float:
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], input=input, env=env, capture_output=True,
                          text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    if len(done.stdout.splitlines()) < lines_at_least:
        raise RuntimeError(f"{argv[0]} listed {len(done.stdout.splitlines())} of {lines_at_least}")
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def memory(tmp: Path, folder: Path, rows: int, params, keepass: bool) -> dict:
    """Peak RSS (MB) of listing ``rows`` credentials: ours and keepassxc-cli's."""
    ours = _peak_rss_mb([sys.executable, "-m", "vault.cli", "--data-dir", str(folder), "credential", "list"],
                        env=_env(), lines_at_least=rows)
    out = {"rows": rows, "ours_mb": ours}
    if keepass:
        path = tmp / f"memory-{rows}.kdbx"
        kdbx.write(path, PASSWORD, entries_of(folder), memory_kib=params.memory_kib,
                   iterations=params.iterations, lanes=params.lanes)
        out["keepassxc_mb"] = _peak_rss_mb(["keepassxc-cli", "ls", "-q", "-R", "-f", str(path)],
                                           input=PASSWORD + "\n", lines_at_least=rows)
        path.unlink(missing_ok=True)
    return out
