"""Vault store benchmarks: KDF at the tuned parameters, unlock beyond the KDF, writes.

    python -m bench.store [--rows 10000]

Prints a Markdown table for docs/benchmarks.md and the figures as JSON.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import machine_line, print_report
from vault.store import VaultStore
from vault.store.kdf import derive_key, tune

PASSPHRASE = "benchmark passphrase"


def median_ms(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), (max(times) - min(times))


def run(rows: int) -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "vault"
        params = tune()
        results["kdf_params"] = {"memory_kib": params.memory_kib, "iterations": params.iterations,
                                 "lanes": params.lanes}
        results["kdf_ms"], results["kdf_spread_ms"] = median_ms(lambda: derive_key(PASSPHRASE, params), 5)

        store = VaultStore.create(folder, PASSPHRASE, kdf_params=params)
        with store.transaction() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS bench (id INTEGER PRIMARY KEY, body BLOB)")

        payload = os.urandom(1024).hex().encode()  # 2 KB, about one credential

        def one_commit():
            with store.transaction() as conn:
                conn.execute("INSERT INTO bench(body) VALUES (?)", (payload,))

        single = [median_ms(one_commit, 1)[0] for _ in range(200)]
        results["commit_one_row_ms"] = statistics.median(single)
        results["single_row_commits_per_s"] = 1000 / results["commit_one_row_ms"]

        start = time.perf_counter()
        with store.transaction() as conn:
            conn.executemany("INSERT INTO bench(body) VALUES (?)", ((payload,) for _ in range(rows)))
        results["batched_rows_per_s"] = rows / (time.perf_counter() - start)
        store.lock()

        def unlock_and_read():
            s = VaultStore(folder)
            s.unlock(PASSPHRASE)
            s.query("SELECT id, body FROM bench")
            s.lock()

        total, spread = median_ms(unlock_and_read, 5)
        results["unlock_and_read_rows"] = rows + 200
        results["unlock_total_ms"] = total
        results["unlock_beyond_kdf_ms"] = total - results["kdf_ms"]
        results["unlock_spread_ms"] = spread
    return results


def markdown(r: dict) -> str:
    k = r["kdf_params"]
    return "\n".join([
        "| figure | value |", "| --- | --- |",
        f"| KDF (Argon2id {k['memory_kib'] // 1024} MiB, t={k['iterations']}, p={k['lanes']}), median of 5 | {r['kdf_ms']:.0f} ms (spread {r['kdf_spread_ms']:.0f} ms) |",
        f"| unlock beyond the KDF, incl. integrity check and reading {r['unlock_and_read_rows']:,} rows of 2 KB | {r['unlock_beyond_kdf_ms']:.0f} ms |",
        f"| one-row write transaction (synchronous=FULL), median of 200 | {r['commit_one_row_ms']:.2f} ms ({r['single_row_commits_per_s']:.0f}/s) |",
        f"| batched insert, one transaction | {r['batched_rows_per_s']:,.0f} rows/s |",
    ])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    r = run(args.rows)
    print_report(machine_line(f"python -m bench.store --rows {args.rows}"), markdown(r), r)


if __name__ == "__main__":
    main()
