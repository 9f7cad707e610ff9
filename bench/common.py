"""What every benchmark shares: timing a call, summarising times, the machine's description,
and what a benchmark module prints when run on its own."""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import time
from datetime import date, datetime, timezone
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON_PACKAGES = ("cryptography", "sqlcipher3", "PyLD", "zxing-cpp", "pillow", "web3", "py-evm",
                   "eth-tester", "PySide6_Essentials")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def stats(times_ms: list[float]) -> dict:
    """Median and spread of a list of times in milliseconds."""
    return {"median_ms": statistics.median(times_ms), "min_ms": min(times_ms), "p90_ms": pct(times_ms, 0.9),
            "max_ms": max(times_ms), "n": len(times_ms)}


def time_calls(fn, runs: int, warmup: int = 1) -> dict:
    """``stats`` of ``runs`` calls of ``fn`` after ``warmup`` untimed ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return stats(times)


def time_process(argv: list[str], runs: int, *, input: str | None = None, env: dict | None = None,
                 check=None, warmup: int = 1) -> dict:
    """``stats`` of ``runs`` runs of a command, wall time from spawn to exit (output captured).
    ``check(stdout)`` may raise when a run did not do the work."""
    times = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        done = subprocess.run(argv, input=input, env=env, capture_output=True, text=True, timeout=600)
        elapsed = (time.perf_counter() - start) * 1000
        if done.returncode != 0:
            raise RuntimeError(f"{argv[0]} exited {done.returncode}: {done.stderr.strip()[:500]}")
        if check is not None:
            check(done.stdout)
        if i >= warmup:
            times.append(elapsed)
    return stats(times)


def _command_version(argv: list[str]) -> str | None:
    if shutil.which(argv[0]) is None and not Path(argv[0]).exists():
        return None
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0].strip() if text else None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.system()


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def machine() -> dict:
    versions = {}
    for name in PYTHON_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(), "arch": platform.machine(), "cores": os.cpu_count(),
        "memory_gib": round(_memory_gib() or 0, 1), "os": _os_name(), "kernel": platform.release(),
        "python": platform.python_version(), "python_packages": versions,
        "node": _command_version(["node", "--version"]),
        "load_average_start": load_average(),
    }


def machine_line(command: str, elapsed_s: float | None = None) -> str:
    """One line on where, when and how a benchmark ran: "Machine: x86_64, 2 cores, Python
    3.11.7, 2026-01-31, `python -m bench.store --rows 10000` (42 s)" (no time when not given)."""
    took = f" ({elapsed_s:.0f} s)" if elapsed_s is not None else ""
    return (f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{date.today().isoformat()}, `{command}`{took}")


def print_report(header: str, table: str, figures: dict) -> None:
    """What a benchmark module's main() prints: ``header`` (usually ``machine_line``), its
    Markdown table for docs/benchmarks.md, then all of its figures as JSON."""
    print(header + "\n")
    print(table)
    print("\n" + json.dumps(figures, indent=2, default=str))
