"""python -m bench: the report's structure (never its timings), the peer-missing rows, the KDBX writer."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import kdbx
from bench.run import figure, summary_table

ROOT = Path(__file__).resolve().parents[2]


def test_quick_qr_section_writes_markdown_and_json(tmp_path):
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--only", "qr", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "benchmarks.json").read_text())
    assert data["mode"] == "quick" and list(data["sections"]) == ["qr"]
    assert {"cpu", "cores", "python", "python_packages", "date", "load_average_start"} <= set(data["machine"])
    figures = data["sections"]["qr"]["figures"]
    assert {f["id"] for f in figures} >= {"qr-encode-matrix", "qr-decode-floor", "qr-decode-zbar"}
    for f in figures:
        assert {"median_ms", "min_ms", "max_ms", "n"} <= set(f["ours"])
        assert f["theirs"] is not None or f["peer_missing"]
    decode = next(f for f in figures if f["id"] == "qr-decode-zbar")
    assert decode["budget"] == "≤ 30 ms" and decode["meets"] in (True, False)
    text = (tmp_path / "benchmarks.md").read_text()
    assert text.startswith("# Benchmarks") and "## Summary" in text and "| ours / peer |" in text


def test_unknown_section_is_a_usage_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "bench", "--only", "nothing", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "unknown section" in done.stderr
    assert not (tmp_path / "benchmarks.json").exists()


def test_a_missing_peer_is_a_row_not_a_failure():
    ours = {"median_ms": 2.0, "min_ms": 1.0, "max_ms": 3.0, "n": 5}
    missing = figure("x", "a figure", ours, peer="keepassxc-cli", missing="keepassxc-cli is not installed")
    compared = figure("y", "another", ours, peer="vc", theirs={**ours, "median_ms": 4.0}, budget="≤ vc",
                      ratio_limit=1.0)
    over = figure("z", "a third", ours, budget="≤ 1 ms", limit=1.0)
    assert missing["ratio"] is None and missing["meets"] is None
    assert compared["ratio"] == 0.5 and compared["meets"] is True
    assert over["meets"] is False
    table = summary_table([missing, compared, over])
    assert "peer not available (keepassxc-cli is not installed)" in table
    assert "**0.50×**" in table and "≤ vc: meets" in table and "≤ 1 ms: **misses**" in table


@pytest.mark.skipif(shutil.which("keepassxc-cli") is None, reason="keepassxc-cli is not installed "
                    "(python -m bench --setup)")
def test_keepassxc_opens_the_kdbx4_file_we_write(tmp_path):
    path = tmp_path / "t.kdbx"
    notes = '{"name": "Intro <to> Python & more"}'
    kdbx.write(path, "pässword", [(f"Title {i}", "did:key:z6Mk", "https://x.example", notes) for i in range(3)],
               memory_kib=8 * 1024, iterations=2, lanes=2)
    run = subprocess.run(["keepassxc-cli", "ls", "-q", "-R", "-f", str(path)], input="pässword\n",
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["Title", "0", "Title", "1", "Title", "2"]
    info = subprocess.run(["keepassxc-cli", "db-info", "-q", str(path)], input="pässword\n",
                          capture_output=True, text=True, timeout=60)
    assert "Argon2id (2 rounds, 8192 KB)" in info.stdout
    wrong = subprocess.run(["keepassxc-cli", "ls", "-q", str(path)], input="wrong\n",
                           capture_output=True, text=True, timeout=60)
    assert wrong.returncode != 0


def test_a_full_run_rewrites_only_the_readme_performance_block(tmp_path):
    from bench.run import README_END, README_START, update_readme

    ours = {"median_ms": 1.0, "min_ms": 0.9, "max_ms": 1.2, "n": 10}
    theirs = {"median_ms": 4.0, "min_ms": 3.9, "max_ms": 4.5, "n": 10}
    r = {"machine": {"date": "2026-11-21", "cores": 2, "load_average_start": [0.4, 0.5, 0.6]},
         "sections": {"verify": {"figures": [
             figure("verify-di-rdfc", "verify rdfc", ours, peer="vc", theirs=theirs, budget="≤ vc", ratio_limit=1.0),
             figure("chain-transfer", "transfer: embedded", {**ours, "median_ms": 20.0}, budget="≤ 15 ms",
                    limit=15)]}}}
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n{README_START}\nold table\n{README_END}\nafter\n")
    assert update_readme(r, readme)
    text = readme.read_text()
    assert text.startswith("# Title\n\nbefore\n") and text.endswith(f"{README_END}\nafter\n")
    assert "old table" not in text
    assert "| 0.25× / – |" in text                  # rdfc measured, jcs not in this run
    assert "1 met, 1 missed (transfer)" in text and "load average 0.4 on 2 cores" in text
    readme.write_text("no markers\n")
    assert not update_readme(r, readme) and readme.read_text() == "no markers\n"


def test_each_suite_row_signs_its_own_suite_and_both_verifiers_accept_it():
    """bench/suites.py: the per-suite rows verify what they say, on both sides: each
    input carries the proofs of its suite (two for the proof set) and is valid here and
    for Digital Bazaar's vc (except JsonWebSignature2020, which it has no suite for)."""
    from bench import suites
    from bench.common import time_calls
    from bench.run import figure
    from tests.peers.node import node_available

    inputs = suites.signed_inputs()
    assert [i for i, *_ in inputs] == [case[0] for case in suites.CASES]
    for (id_, _, data), (_, _, wanted, _, _) in zip(inputs, suites.CASES):
        proofs = json.loads(data)["proof"]
        proofs = proofs if isinstance(proofs, list) else [proofs]
        assert [p.get("cryptosuite") or p["type"] for p in proofs] == list(wanted), id_
    figures, detail = suites.section(3, None if node_available() else "no node", figure, time_calls)
    assert [f["id"] for f in figures] == list(detail) == [case[0] for case in suites.CASES]
    for f in figures:
        assert f["ours"]["n"] == 3 and f["budget"] == "≤ Digital Bazaar's vc, same input"
        if f["id"] == "verify-suite-jws2020":
            assert f["theirs"] is None and f["peer_missing"] == suites.NO_PEER_JWS
        elif node_available():
            assert f["theirs"]["n"] == 3 and f["meets"] in (True, False)
