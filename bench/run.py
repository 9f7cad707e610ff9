"""Every benchmark of the project in one run, side by side with the peers, against the budgets.

    python -m bench [--quick] [--only verify,store,...] [--out docs]
    python -m bench --setup            # install the peer tools (npm, Debian), then stop

Writes ``docs/benchmarks.md`` (machine, date, versions, medians and spread, ours/peer
ratios, each budget of ../shared/DESIGN.md met or missed, then the findings kept in
bench/notes.md) and ``docs/benchmarks.json`` (every figure).

Sections (``--only`` takes their names):

- verify: the same Data Integrity credential (eddsa-rdfc-2022, eddsa-jcs-2022), the same
  presentation and the same VC-JWTs, verified by us and by Digital Bazaar's vc /
  did-jwt-vc (tests/node/verify.mjs ``--bench``: warm, in one Node process, no start-up);
  then one row per proof suite on the same re-signed credential (bench/suites.py);
- store: opening an encrypted store of 10,000 entries: ``keepassxc-cli ls`` on a KDBX4
  file holding the same 10,000 credentials under the same Argon2id parameters, against
  our ``vault credential list`` (process to process) and our unlock + list in-process;
- credentials: unlock beyond the KDF + list 10,000, search as you type (100,000 rows;
  10,000 with --quick);
- presentations: build + sign + QR, decode the QR image, verify;
- qr: QR encode and decode against C floors (libqrencode, zxing-cpp alone, zbarimg);
- chain: BTK transfer to receipt, embedded chain against anvil;
- ui: GUI cold start, unlock to a painted list, search keystroke, memory;
- flows (full mode only): governance and marketplace scenarios, embedded and anvil.

A peer that is not installed gives "peer not available" in its row, not a failed run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench import peers
from bench.common import ROOT, load_average, machine, time_calls, time_process

PASSPHRASE = "benchmark passphrase"
SECTIONS = ("verify", "store", "credentials", "presentations", "qr", "chain", "ui", "flows")
NOTES = Path(__file__).with_name("notes.md")
INTEROP = ROOT / "tests" / "fixtures" / "interop"


# ----------------------------------------------------------------------------- figures

def figure(id_: str, what: str, ours: dict | None, *, unit: str = "ms", peer: str | None = None,
           theirs: dict | None = None, missing: str | None = None, budget: str | None = None,
           limit: float | None = None, ratio_limit: float | None = None, note: str = "") -> dict:
    """One row of the summary. ``ours`` / ``theirs`` are ``stats`` dicts (median_ms …).
    ``limit``: the budget as a median in ``unit``; ``ratio_limit``: the budget as ours/peer."""
    ratio = None
    if ours and theirs and theirs.get("median_ms"):
        ratio = ours["median_ms"] / theirs["median_ms"]
    meets = None
    if ours and limit is not None:
        value = ours["median_ms"] / (1000 if unit == "s" else 1)
        meets = value <= limit
    elif ratio_limit is not None and ratio is not None:
        meets = ratio <= ratio_limit
    return {"id": id_, "what": what, "unit": unit, "ours": ours, "peer": peer, "theirs": theirs,
            "peer_missing": missing, "ratio": ratio, "budget": budget, "meets": meets, "note": note}


def _ms(s: dict | None, unit: str = "ms") -> str:
    if not s:
        return "–"
    if unit == "MB":
        return f"{s['median_ms']:.0f} MB (peak {s['max_ms']:.0f} MB)"
    if unit == "s":
        if s.get("min_ms") is None:
            return f"{s['median_ms'] / 1000:.2f} s (median of {s['n']})"
        return f"{s['median_ms'] / 1000:.2f} s ({s['min_ms'] / 1000:.2f}–{s['max_ms'] / 1000:.2f})"
    digits = 2 if s["median_ms"] < 10 else 1 if s["median_ms"] < 100 else 0
    if s.get("min_ms") is None:  # only the median and the maximum were kept
        return f"{s['median_ms']:.{digits}f} ms (max {s['max_ms']:.{digits}f}, n={s['n']})"
    return (f"{s['median_ms']:.{digits}f} ms ({s['min_ms']:.{digits}f}–{s['max_ms']:.{digits}f}, "
            f"n={s['n']})")


def summary_table(figures: list[dict]) -> str:
    lines = ["| figure | ours: median (min–max) | peer | peer: median (min–max) | ours / peer | budget |",
             "| --- | --- | --- | --- | ---: | --- |"]
    for f in figures:
        theirs = _ms(f["theirs"], f["unit"]) if f["theirs"] else (f"peer not available ({f['peer_missing']})"
                                                        if f["peer_missing"] else "–")
        ratio = ("–" if f["ratio"] is None else f"**{f['ratio']:.0f}×**" if f["ratio"] >= 10
                 else f"**{f['ratio']:.2f}×**")
        if f["budget"] is None:
            budget = "–"
        else:
            mark = {True: "meets", False: "**misses**", None: "not measured"}[f["meets"]]
            budget = f"{f['budget']}: {mark}"
        what = f["what"] + (f" — {f['note']}" if f["note"] else "")
        lines.append(f"| {what} | {_ms(f['ours'], f['unit'])} | {f['peer'] or '–'} | {theirs} | {ratio} | "
                     f"{budget} |")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- context

class Context:
    """Options and the vaults that several sections share (built once, with the app's code)."""

    def __init__(self, quick: bool, tmp: Path):
        self.quick, self.tmp = quick, tmp
        self.vaults: dict[int, Path] = {}
        self.builds: dict[int, dict] = {}

    def runs(self, quick: int, full: int) -> int:
        return quick if self.quick else full

    def vault(self, rows: int) -> Path:
        """An identity vault with ``rows`` generated, signed OB 3.0 credentials (bench.ui's
        builder: Identity.create at the KDF floor, then add_many)."""
        if rows not in self.vaults:
            from bench.ui import build_vault

            folder = self.tmp / f"vault-{rows}"
            self.builds[rows] = build_vault(folder, rows, seed=rows)
            self.vaults[rows] = folder
        return self.vaults[rows]

    @property
    def search_rows(self) -> int:
        return 10_000 if self.quick else 100_000


# ----------------------------------------------------------------------------- verify

def section_verify(ctx: Context) -> dict:
    from tests.peers.node import node_bench
    from vault.credentials.verify import check
    from vault.presentations import verify_presentation

    manifest = json.loads((INTEROP / "manifest.json").read_text(encoding="utf-8"))
    vp_entry = next(e for e in manifest["files"] if e["file"] == "di-vp/valid-01-one-credential.json")
    runs = ctx.runs(100, 500)
    missing = peers.node_verifiers()

    def ours_check(data: bytes):
        def fn():
            if not check(data).verdict.valid:
                raise RuntimeError("our verifier refused a valid fixture")
        return fn

    vp_bytes = (INTEROP / vp_entry["file"]).read_bytes()

    def ours_vp():
        if not verify_presentation(vp_bytes, challenge=vp_entry["challenge"], domain=vp_entry["domain"]).valid:
            raise RuntimeError("our verifier refused the fixture presentation")

    cases = [  # id, what, node kind, file, our call, budget
        ("verify-di-rdfc", "verify a DI credential, eddsa-rdfc-2022 (OB 3.0 fixture)", "credential",
         "di-eddsa-rdfc-2022/valid-01-open-badge.json", None, True),
        ("verify-di-jcs", "verify a DI credential, eddsa-jcs-2022 (OB 3.0 fixture)", "credential",
         "di-eddsa-jcs-2022/valid-01-open-badge.json", None, True),
        ("verify-di-vp", "verify a DI presentation holding it (eddsa-rdfc-2022, holder proof + credential)",
         "presentation", vp_entry["file"], ours_vp, False),
        ("verify-jwt-eddsa", "verify a VC-JWT, EdDSA", "jwt-credential", "jwt-vc/valid-01-eddsa.jwt", None, False),
        ("verify-jwt-es256k", "verify a VC-JWT, ES256K", "jwt-credential", "jwt-vc/valid-02-es256k.jwt", None,
         False),
    ]
    figures, detail = [], {}
    for id_, what, kind, file, ours_fn, budgeted in cases:
        data = (INTEROP / file).read_bytes()
        ours = time_calls(ours_fn or ours_check(data), runs, warmup=5)
        theirs = None
        peer = "Digital Bazaar vc" if not kind.startswith("jwt") else "did-jwt-vc"
        if missing is None:
            document = data.decode().strip() if kind.startswith("jwt") else json.loads(data)
            extra = {"challenge": vp_entry["challenge"], "domain": vp_entry["domain"]} if kind == "presentation" else {}
            result = node_bench(kind, document, runs, **extra)
            if not result["verified"]:
                raise RuntimeError(f"{peer} refused {file}: {result['errors']}")
            theirs = {"median_ms": result["median_ms"], "min_ms": result["min_ms"], "max_ms": result["max_ms"],
                      "n": result["runs"]}
        detail[id_] = {"file": file, "ours": ours, "theirs": theirs}
        figures.append(figure(id_, what, ours, peer=peer, theirs=theirs, missing=missing,
                              budget="≤ Digital Bazaar's vc, same fixture" if budgeted else None,
                              ratio_limit=1.0 if budgeted else None))
    from bench import suites   # one row per proof suite, same input on both sides

    per_suite, per_suite_detail = suites.section(runs, missing, figure, time_calls)
    return {"figures": figures + per_suite, "detail": {**detail, **per_suite_detail}}


# ----------------------------------------------------------------------------- store

def section_store(ctx: Context) -> dict:
    from bench import kdbx
    from vault.credentials.repository import CredentialRepository
    from vault.store import VaultStore
    from vault.store.kdf import derive_key

    rows = 10_000
    folder = ctx.vault(rows)
    runs = ctx.runs(3, 7)
    store = VaultStore(folder)
    params = store.header.kdf
    store.unlock(PASSPHRASE)
    entries = [(title, subject, issuer, original.decode("utf-8"))
               for title, subject, issuer, original in
               store.query("SELECT title, subject, issuer, original FROM credentials")]
    store.lock()
    database_bytes = sum(p.stat().st_size for p in folder.glob("vault-*.db*"))

    def unlock_and_list():
        s = VaultStore(folder)
        s.unlock(PASSPHRASE)
        listed = CredentialRepository(s).search(limit=None)
        s.lock()
        if len(listed) != rows:
            raise RuntimeError(f"listed {len(listed)} of {rows}")

    def lines_at_least(n):
        def check(out: str):
            if len(out.splitlines()) < n:
                raise RuntimeError(f"listed {len(out.splitlines())} lines, expected {n}")
        return check

    in_process = time_calls(unlock_and_list, runs)
    kdf = time_calls(lambda: derive_key(PASSPHRASE, params), runs)
    # An installed `vault` runs from bytecode (pip compiles it); a checkout run with
    # PYTHONDONTWRITEBYTECODE (as here) would compile ~50 modules each command (~50 ms).
    import compileall
    compileall.compile_dir(ROOT / "vault", quiet=1)
    env = dict(os.environ, BLOCKTRACK_VAULT_PASSPHRASE=PASSPHRASE, PYTHONPATH=str(ROOT))
    cli = time_process([sys.executable, "-m", "vault.cli", "--data-dir", str(folder), "credential", "list"],
                       runs, env=env, check=lines_at_least(rows))
    python_start = time_process([sys.executable, "-c", "pass"], runs)
    detail = {"rows": rows, "kdf_params": {"memory_kib": params.memory_kib, "iterations": params.iterations,
                                           "lanes": params.lanes},
              "our_database_bytes": database_bytes, "ours_in_process": in_process, "ours_kdf": kdf,
              "ours_cli": cli, "python_start": python_start}
    keepass, missing = None, peers.command("keepassxc-cli", "keepassxc")
    if missing is None:
        path = ctx.tmp / "peer.kdbx"
        kdbx.write(path, PASSPHRASE, entries, memory_kib=params.memory_kib, iterations=params.iterations,
                   lanes=params.lanes)
        keepass = time_process(["keepassxc-cli", "ls", "-q", "-R", "-f", str(path)], runs,
                               input=PASSPHRASE + "\n", check=lines_at_least(rows))
        detail["keepassxc"] = keepass
        detail["keepassxc_start"] = time_process(["keepassxc-cli", "--version"], runs)
        detail["kdbx_bytes"] = path.stat().st_size
    k = detail["kdf_params"]
    kdf_text = f"Argon2id {k['memory_kib'] // 1024} MiB, t={k['iterations']}, p={k['lanes']}"
    figures = [
        figure("store-open-cli", f"open an encrypted store of {rows:,} credentials and list them, command to "
               f"exit ({kdf_text}): `vault credential list` vs `keepassxc-cli ls -R -f` on a KDBX4 file of the "
               f"same credentials", cli, peer="keepassxc-cli", theirs=keepass, missing=missing),
        figure("store-open-in-process", f"the same in our process (no Python start-up): unlock incl. the KDF + "
               f"list {rows:,} summaries", in_process, peer="keepassxc-cli (whole command)", theirs=keepass,
               missing=missing),
        figure("store-kdf", f"of which our KDF alone ({kdf_text}, libargon2 via argon2-cffi)", kdf),
    ]
    figures += _keepass_import_and_memory(ctx, entries, kdf, params, detail, keepass_missing=missing)
    return {"figures": figures, "detail": detail}


def _keepass_import_and_memory(ctx: Context, entries, kdf: dict, params, detail: dict, *,
                               keepass_missing: str | None) -> list[dict]:
    """Import throughput and memory at 100,000, side by side with KeePassXC (bench/keepass.py)."""
    from bench import keepass

    def mb(value: float) -> dict:
        return {"median_ms": value, "min_ms": value, "max_ms": value, "n": 1}

    count = 500 if ctx.quick else 2_000
    imported = keepass.import_throughput(ctx.tmp, entries[:count], kdf["median_ms"], ctx.runs(1, 3),
                                         keepass_missing is None)
    rows = ctx.search_rows
    memory = keepass.memory(ctx.tmp, ctx.vault(rows), rows, params, keepass_missing is None)
    detail.update(import_throughput=imported, memory=memory)
    rate = f"{imported['ours_per_s']:,.0f}/s" + (f" vs {imported['keepassxc_per_s']:,.0f}/s"
                                                 if "keepassxc_per_s" in imported else "")
    return [
        figure("store-import", f"import {count:,} credentials, command to exit ({rate}): `vault credential "
               "import FILE…` (each parsed, its proof verified, indexed; one transaction) vs `keepassxc-cli "
               "import` of an XML export of the same entries (stored only; its KDF tuned to our KDF's time)",
               imported["ours"], peer="keepassxc-cli", theirs=imported.get("keepassxc"), missing=keepass_missing),
        figure("store-memory", f"peak memory listing {rows:,} credentials: `vault credential list` vs "
               "`keepassxc-cli ls -R -f` on a KDBX of the same entries", mb(memory["ours_mb"]),
               unit="MB", peer="keepassxc-cli",
               theirs=mb(memory["keepassxc_mb"]) if "keepassxc_mb" in memory else None, missing=keepass_missing),
    ]


# ----------------------------------------------------------------------------- credentials

def section_credentials(ctx: Context) -> dict:
    from bench.credentials import bench_search, bench_unlock_list

    unlock = bench_unlock_list(ctx.vault(10_000), repeat=ctx.runs(3, 7))
    search = bench_search(ctx.vault(ctx.search_rows), passes=ctx.runs(3, 6))
    worst = max(search["queries"], key=lambda q: q["keystroke_ms"])
    median_query = {"median_ms": search["median_keystroke_ms"], "min_ms": min(q["keystroke_ms"] for q in search["queries"]),
                    "max_ms": search["worst_keystroke_ms"], "n": len(search["queries"])}
    unlock_s = {"median_ms": unlock["total_ms"], "min_ms": None, "max_ms": unlock["total_max_ms"],
                "n": unlock["repeat"]}
    at = f"{search['rows']:,}"
    figures = [
        # The budget "unlock and show 10,000 credentials" is the GUI's (ui-unlock-show): the app
        # shows a screenful and reads the rest as it scrolls; this reads every row, as the CLI.
        figure("credentials-unlock-list", "unlock beyond the KDF + read all 10,000 summaries (repository, as "
               "`vault credential list`; the GUI reads a screenful: see the GUI rows)", unlock_s),
        figure("credentials-search", f"search as you type over {at} rows (`search(limit=200)` + `count`), median "
               f"over {len(search['queries'])} typed texts (min–max: fastest–slowest text)", median_query,
               budget="≤ 50 ms per keystroke" if search["rows"] >= 100_000 else None,
               limit=50 if search["rows"] >= 100_000 else None,
               note=(f"worst: \"{worst['text']}\" ({worst['matches']:,} matches) {worst['keystroke_ms']:.0f} ms"
                     + ("" if search["rows"] >= 100_000 else "; budget is for 100,000 rows (full mode)"))),
    ]
    return {"figures": figures, "detail": {"unlock_list": unlock, "search": search}}


# ----------------------------------------------------------------------------- presentations

def section_presentations(ctx: Context) -> dict:
    from bench.presentations import run

    r = run(ctx.runs(10, 50))

    def one(median, maximum, n):
        return {"median_ms": median, "min_ms": None, "max_ms": maximum, "n": n}

    n = ctx.runs(10, 50)
    figures = [
        figure("vp-build-qr", f"build + sign + log a VP and render its QR PNG ({r['payload_bytes']:,}-byte VP, "
               f"QR version {r['qr_version']})", one(r["build_sign_log_render_ms"], r["build_sign_log_render_max_ms"], n),
               budget="≤ 150 ms", limit=150),
        figure("vp-decode", "decode the VP QR image (PNG → presentation)",
               one(r["decode_image_ms"], r["decode_image_max_ms"], n), budget="≤ 30 ms", limit=30),
        figure("vp-verify", "verify the presentation (holder proof + credential)",
               one(r["verify_ms"], r["verify_max_ms"], n)),
    ]
    return {"figures": figures, "detail": r}


# ----------------------------------------------------------------------------- qr

def section_qr(ctx: Context) -> dict:
    import ctypes
    import io

    import zxingcpp
    from PIL import Image

    from bench.qr import ONE_CREDENTIAL_VP
    from vault.qr import codec, render, scan

    runs = ctx.runs(20, 100)
    payload = ONE_CREDENTIAL_VP.read_bytes()
    text = codec.encode(payload, kind="vp-json")
    png = render.png(text)
    matrix = time_calls(lambda: render.make(text), runs)
    to_png = time_calls(lambda: render.png(codec.encode(payload, kind="vp-json")), runs)
    decode = time_calls(lambda: scan.read_presentation(png), runs, warmup=3)
    gray = Image.open(io.BytesIO(png)).convert("L")  # the PNG already decoded, as scan hands it over
    zxing_alone = time_calls(lambda: zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode),
                             runs, warmup=3)
    detail = {"payload_bytes": len(payload), "qr_chars": len(text), "version": render.qr_version(text),
              "png_bytes": len(png), "ours_matrix": matrix, "ours_png": to_png, "ours_decode": decode,
              "zxing_alone": zxing_alone}

    lib, lib_missing = peers.libqrencode(), None
    libqr = None
    if lib is None:
        lib_missing = "libqrencode is not installed (Debian package libqrencode4)"
    else:
        class QRcode(ctypes.Structure):
            _fields_ = [("version", ctypes.c_int), ("width", ctypes.c_int), ("data", ctypes.c_void_p)]

        lib.QRcode_encodeString.restype = ctypes.POINTER(QRcode)
        lib.QRcode_encodeString.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.QRcode_free.argtypes = [ctypes.POINTER(QRcode)]
        raw = text.encode("ascii")

        def c_encode():
            code = lib.QRcode_encodeString(raw, 0, 1, 2, 1)  # any version, level M, 8-bit hint, case-sensitive
            version = code.contents.version
            lib.QRcode_free(code)
            return version

        detail["libqrencode_version_chosen"] = c_encode()
        libqr = time_calls(c_encode, runs)
        detail["libqrencode"] = libqr

    cli_missing, cli_png = peers.command("qrencode", "qrencode"), None
    if cli_missing is None:
        out = ctx.tmp / "qrencode.png"
        cli_png = time_process(["qrencode", "-l", "M", "-s", str(render.SCALE), "-m", str(render.BORDER),
                                "-o", str(out), text], runs)
        detail["qrencode_cli_png"] = cli_png
        detail["qrencode_start"] = time_process(["qrencode", "--version"], runs)

    zbar_missing, zbar = peers.command("zbarimg", "zbar-tools"), None
    if zbar_missing is None:
        path = ctx.tmp / "vp.png"
        path.write_bytes(png)

        def same_text(out: str):
            if out.strip() != text:
                raise RuntimeError("zbarimg read another text")
        zbar = time_process(["zbarimg", "-q", "--raw", str(path)], runs, check=same_text)
        detail["zbarimg"] = zbar
        detail["zbarimg_start"] = time_process(["zbarimg", "--version"], runs)

    v = f"{len(text)} characters, version {detail['version']}, level M"
    figures = [
        figure("qr-encode-matrix", f"QR encode to a module matrix ({v}): zxing-cpp's writer vs libqrencode (C, "
               "in-process via ctypes)", matrix, peer="libqrencode 4", theirs=libqr, missing=lib_missing),
        figure("qr-encode-png", "QR encode + PNG file: ours in-process vs the `qrencode` command (incl. its "
               "process start)", to_png, peer="qrencode CLI", theirs=cli_png, missing=cli_missing),
        figure("qr-decode-floor", "decode the QR PNG to the presentation (PNG, zxing-cpp, base45, inflate, JSON) vs "
               "zxing-cpp's read of the already decoded grey image (the C++ floor we call)", decode, peer="zxing-cpp alone", theirs=zxing_alone),
        figure("qr-decode-zbar", "decode the QR PNG: ours in-process vs the `zbarimg` command (incl. its process "
               "start)", decode, peer="zbarimg CLI", theirs=zbar, missing=zbar_missing, budget="≤ 30 ms",
               limit=30),
    ]
    return {"figures": figures, "detail": detail}


# ----------------------------------------------------------------------------- chain

def section_chain(ctx: Context) -> dict:
    from bench.chain import PASSPHRASE as CHAIN_PASSPHRASE, PHRASE, anvil_latency, cold_start, transfer_latency
    from vault.chain import client
    from vault.identity import Identity

    repeat = ctx.runs(20, 100)
    identity = Identity.restore(ctx.tmp / "chain-vault", CHAIN_PASSPHRASE, PHRASE, kdf_target=0)
    me = identity.accounts()[0].address
    detail: dict = {}
    if not ctx.quick:
        detail["cold_start"] = cold_start(ctx.tmp, me)  # makes ctx.tmp / "cold", funded for me
        chain = client.connect(None, ctx.tmp / "cold")
    else:
        chain = client.connect(None, ctx.tmp / "chain", accounts=[me])
    try:
        embedded = transfer_latency(chain, identity, repeat)
    finally:
        chain.close()
    missing = peers.anvil()
    anvil = anvil_latency(identity, repeat) if missing is None else None
    identity.store.lock()
    detail.update(embedded=embedded, anvil=anvil)

    def s(r):
        return None if r is None else {k: r[k] for k in ("median_ms", "min_ms", "p90_ms", "max_ms", "n")}

    figures = [figure("chain-transfer", "BTK transfer to receipt (preview, sign, history, send, receipt, events): "
                      "embedded chain vs anvil over HTTP", s(embedded), peer="anvil", theirs=s(anvil),
                      missing=missing, budget="≤ 15 ms median (embedded)", limit=15)]
    if "cold_start" in detail:
        c = detail["cold_start"]
        figures.append(figure("chain-reopen", "embedded chain, reopen: new process to ready",
                              {"median_ms": c["reopen_process_s"] * 1000, "min_ms": None,
                               "max_ms": c["reopen_process_s"] * 1000, "n": 5}, unit="s"))
    return {"figures": figures, "detail": detail}


# ----------------------------------------------------------------------------- ui

def section_ui(ctx: Context) -> dict:
    from bench.ui import bench_cold_start, child

    small = ctx.vault(10_000)
    big = ctx.vault(ctx.search_rows)
    cold = bench_cold_start(small, runs=ctx.runs(3, 5))
    unlock = child("unlock", str(small), str(ctx.runs(3, 5)))
    search = child("search", str(big), str(ctx.runs(1, 3)))
    at = f"{search['rows']:,}"
    full = search["rows"] >= 100_000
    figures = [
        figure("ui-cold-start", "GUI cold start: new process → unlock window painted",
               {"median_ms": cold["median_s"] * 1000, "min_ms": cold["min_s"] * 1000,
                "max_ms": cold["max_s"] * 1000, "n": cold["runs"]}, unit="s", budget="≤ 1.0 s", limit=1.0),
        figure("ui-unlock-show", "GUI: unlock beyond the KDF → 10,000 credentials shown (page populated, painted)",
               {"median_ms": unlock["beyond_kdf_ms"], "min_ms": unlock["beyond_kdf_min_ms"],
                "max_ms": unlock["beyond_kdf_max_ms"], "n": unlock["repeat"]}, budget="≤ 300 ms", limit=300,
               note=f"`PRAGMA cipher_integrity_check` {unlock['integrity_check_ms']:.0f} ms per unlock, "
                    f"building the workspace {unlock['workspace_ms']:.0f} ms"),
        figure("ui-search", f"GUI: search keystroke → list repainted, {at} credentials, {search['keystrokes']} keystrokes",
               {"median_ms": search["median_ms"], "min_ms": min(k["median_ms"] for k in search["per_key"]),
                "max_ms": search["max_ms"], "n": search["keystrokes"]},
               budget="≤ 50 ms per keystroke" if full else None, limit=50 if full else None,
               note=f"p95 {search['p95_ms']:.0f} ms" + ("" if full else "; budget is for 100,000 (full mode)")),
        figure("ui-memory", "GUI: memory (VmRSS) after unlock with 10,000 credentials shown",
               {"median_ms": unlock["rss_mb"], "min_ms": unlock["rss_mb"], "max_ms": unlock["hwm_mb"], "n": 1},
               unit="MB", budget="≤ 300 MB", limit=300),
    ]
    return {"figures": figures, "detail": {"cold": cold, "unlock": unlock, "search": search}}


# ----------------------------------------------------------------------------- flows

def section_flows(ctx: Context) -> dict:
    from bench.flows import markdown, run

    if ctx.quick:
        return {"figures": [], "detail": {"skipped": "full mode only"}}
    r = run(repeat=3, with_anvil=peers.anvil() is None)
    figures = []
    for scenario in ("governance", "marketplace"):
        e, a = r["embedded"][scenario], (r.get("anvil") or {}).get(scenario)

        def s(x):
            return None if x is None else {"median_ms": x["median_ms"], "min_ms": x["min_ms"],
                                           "max_ms": x["max_ms"], "n": x["n"]}
        figures.append(figure(f"flow-{scenario}", f"chain scenario end to end: {scenario}", s(e), peer="anvil",
                              theirs=s(a), missing=peers.anvil()))
    return {"figures": figures, "detail": r, "markdown": markdown(r)}


RUNNERS = {name: globals()[f"section_{name}"] for name in SECTIONS}


# ----------------------------------------------------------------------------- report

def report_markdown(r: dict) -> str:
    m, p = r["machine"], r["peers"]
    packages = ", ".join(f"{k} {v}" for k, v in m["python_packages"].items() if v)
    peer_versions = ", ".join(f"{k} {v}" for k, v in p.items() if v) or "none installed"
    la0, la1 = m.get("load_average_start"), r.get("load_average_end")
    figures = [f for name in r["sections"] for f in r["sections"][name].get("figures", [])]
    met = [f for f in figures if f["meets"] is True]
    missed = [f for f in figures if f["meets"] is False]
    lines = [
        "# Benchmarks", "",
        f"Written by `{r['command']}` on {m['date']} in {r['elapsed_s']:.0f} s. Budgets are the table in "
        "`../shared/DESIGN.md`; peers are installed by `python -m bench --setup`, never needed by the app. "
        "Figures are medians with the spread (min–max) and the number of runs; \"ours / peer\" is our median "
        "over theirs (below 1: we are faster).", "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, Linux {m['kernel']}",
        f"- Python {m['python']}: {packages}",
        f"- Node {m['node'] or 'not installed'}; peers: {peer_versions}",
        f"- Load average (1, 5, 15 min) at the start {la0}, at the end {la1}: other work shares this 2-core "
        "machine, so single figures move by 10–30 % between runs.",
        f"- Budgets: {len(met)} met, {len(missed)} missed"
        + (f" ({', '.join(f['id'] for f in missed)})" if missed else "") + ".",
        "", "## Summary", "", summary_table(figures), "",
    ]
    if r["mode"] == "quick":
        lines += ["Quick mode: fewer runs, search over 10,000 rows instead of 100,000, no chain cold start and "
                  "no chain scenarios; run `python -m bench` for the full figures.", ""]
    store = r["sections"].get("store", {}).get("detail")
    if store:
        lines += ["## Opening a store of 10,000 entries", "",
                  f"Our vault: {store['our_database_bytes'] / 1e6:.1f} MB (SQLCipher 4, original bytes, summary "
                  f"columns and a full-text index); the KDBX4 file: "
                  f"{store.get('kdbx_bytes', 0) / 1e6:.1f} MB (AES-256, gzip; each entry holds the credential's "
                  "title, subject, issuer and its whole JSON as notes). Process start alone: Python "
                  f"{store['python_start']['median_ms']:.0f} ms"
                  + (f", keepassxc-cli --version {store['keepassxc_start']['median_ms']:.0f} ms"
                     if "keepassxc_start" in store else "") + ".", ""]
    qr = r["sections"].get("qr", {}).get("detail")
    if qr:
        bits = [f"The one-credential presentation: {qr['payload_bytes']:,} bytes → {qr['qr_chars']} characters, "
                f"QR version {qr['version']} (libqrencode chose {qr.get('libqrencode_version_chosen', '–')})."]
        if "qrencode_start" in qr:
            bits.append(f"`qrencode --version` alone takes {qr['qrencode_start']['median_ms']:.1f} ms, "
                        f"`zbarimg --version` {qr.get('zbarimg_start', {}).get('median_ms', float('nan')):.1f} ms "
                        "(process start and library loading, part of their command figures).")
        lines += ["## QR", "", " ".join(bits), ""]
    flows = r["sections"].get("flows", {}).get("markdown")
    if flows:
        lines += ["## Chain scenarios", "", flows, ""]
    if NOTES.exists():
        lines += [NOTES.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines)


README = ROOT / "README.md"
README_START = "<!-- bench:performance: written by `python -m bench` (full run); edit bench/run.py -->"
README_END = "<!-- /bench:performance -->"
# The README's headline rows: words, then the figures whose ours/peer ratios they show.
HEADLINES = (
    ("verify an Open Badge with an eddsa-rdfc-2022 / eddsa-jcs-2022 proof, against Digital Bazaar's `vc`",
     ("verify-di-rdfc", "verify-di-jcs")),
    ("verify a presentation holding it, against Digital Bazaar's `vc`", ("verify-di-vp",)),
    ("verify a VC-JWT (EdDSA / ES256K), against `did-jwt-vc`", ("verify-jwt-eddsa", "verify-jwt-es256k")),
    ("verify per proof suite: Ed25519Signature2020 / Ed25519Signature2018 / ecdsa-rdfc-2019 P-256 / P-384 / "
     "ecdsa-jcs-2019 / a proof set, against Digital Bazaar's `vc`",
     ("verify-suite-ed2020", "verify-suite-ed2018", "verify-suite-ecdsa-rdfc-p256", "verify-suite-ecdsa-rdfc-p384",
      "verify-suite-ecdsa-jcs-p256", "verify-suite-proof-set")),
    ("open a store of 10,000 credentials and list them, `vault credential list` against `keepassxc-cli ls` "
     "(same Argon2id)", ("store-open-cli",)),
    ("import credentials (each verified) / peak memory listing 100,000, against `keepassxc-cli`",
     ("store-import", "store-memory")),
    ("BTK transfer to receipt, embedded chain against anvil", ("chain-transfer",)),
    ("governance / marketplace scenario end to end, embedded chain against anvil",
     ("flow-governance", "flow-marketplace")),
    ("QR encode, against libqrencode (C) / decode, against zxing-cpp alone (C++)",
     ("qr-encode-matrix", "qr-decode-floor")),
)


def _ratio(f: dict | None) -> str:
    if f is None or f["ratio"] is None:
        return "–"
    return f"{f['ratio']:.0f}×" if f["ratio"] >= 10 else f"{f['ratio']:.2f}×"


def readme_performance(r: dict) -> str:
    """The README's table of headline ratios and the budgets' count, from a full run."""
    figures = [f for name in r["sections"] for f in r["sections"][name].get("figures", [])]
    by_id = {f["id"]: f for f in figures}
    lines = [README_START, "", "| what | ours / peer |", "| --- | ---: |"]
    for words, ids in HEADLINES:
        lines.append(f"| {words} | {' / '.join(_ratio(by_id.get(i)) for i in ids)} |")
    met = [f for f in figures if f["meets"] is True]
    missed = [f for f in figures if f["meets"] is False]
    la = r["machine"].get("load_average_start")
    lines += ["", f"Budgets of DESIGN.md in that run ({r['machine']['date']}, load average {la[0] if la else '?'} "
                  f"on {r['machine']['cores']} cores): {len(met)} met, {len(missed)} missed"
              + (f" ({', '.join(f['what'].split(':')[0] for f in missed)})" if missed else "")
              + ". Below 1× we are faster.", "", README_END]
    return "\n".join(lines)


def update_readme(r: dict, path: Path = README) -> bool:
    """Replace the README's performance block; False when its markers are not there."""
    text = path.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    path.write_text(text[:start] + readme_performance(r) + text[end + len(README_END):], encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller vaults (< 2 min)")
    parser.add_argument("--only", help=f"comma-separated sections: {','.join(SECTIONS)}")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for benchmarks.md / .json")
    parser.add_argument("--setup", action="store_true", help="install the peer tools and stop")
    parser.add_argument("--report-only", action="store_true",
                        help="write benchmarks.md again from the benchmarks.json in --out (e.g. after "
                             "editing bench/notes.md); measures nothing")
    args = parser.parse_args(argv)
    if args.report_only:
        r = json.loads((args.out / "benchmarks.json").read_text(encoding="utf-8"))
        (args.out / "benchmarks.md").write_text(report_markdown(r), encoding="utf-8")
        if r["mode"] == "full" and r["command"] == "python -m bench":
            update_readme(r)
        return 0
    if args.setup:
        failures = peers.setup()
        print("peer setup: " + ("done" if not failures else f"{failures} step(s) failed (see above)"))
        return 1 if failures else 0
    names = SECTIONS if not args.only else tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {unknown}; choose from {', '.join(SECTIONS)}")
    command = "python -m bench" + (" --quick" if args.quick else "") + (f" --only {args.only}" if args.only else "")
    r: dict = {"command": command, "mode": "quick" if args.quick else "full", "machine": machine(),
               "peers": peers.versions(), "sections": {}}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        ctx = Context(args.quick, Path(tmp))
        for name in names:
            t0 = time.perf_counter()
            print(f"[bench] {name} …", file=sys.stderr, flush=True)
            r["sections"][name] = RUNNERS[name](ctx)
            r["sections"][name]["elapsed_s"] = time.perf_counter() - t0
            print(f"[bench] {name}: {r['sections'][name]['elapsed_s']:.1f} s", file=sys.stderr, flush=True)
        r["vault_builds"] = {str(k): v for k, v in ctx.builds.items()}
    r["elapsed_s"] = time.perf_counter() - started
    r["load_average_end"] = load_average()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "benchmarks.json").write_text(json.dumps(r, indent=2, default=str) + "\n", encoding="utf-8")
    text = report_markdown(r)
    (args.out / "benchmarks.md").write_text(text, encoding="utf-8")
    print(text)
    if not args.quick and not args.only and args.out.resolve() == (ROOT / "docs").resolve():
        print("README.md performance block " + ("updated" if update_readme(r) else "not found (markers)"),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
