"""Chain benchmarks: embedded cold start, transfer to receipt (embedded vs anvil), storage.

    python -m bench.chain [--repeat 100] [--blocks 1000] [--no-anvil]

- cold start: a new process that opens the embedded chain for the first time (genesis,
  deployment of the suite, demo data, the faucet funding one account), then a new
  process that reopens it; wall time including Python start and imports, and the
  connect() call alone.
- transfer to receipt: TxService.send(btk_transfer) = preview (one execution for gas),
  sign with the vault's key, history row, broadcast, receipt, decoded events, history
  update; median of --repeat, on the embedded chain and on anvil side by side.
- storage: bytes the embedded chain's database grows per 1,000 blocks, empty and with
  one BTK transfer each (after a WAL checkpoint).

Anvil comes from tests/anvil (npm ci --prefix tests/anvil); without it that column is
left out. Prints a Markdown table for docs/benchmarks.md and the figures as JSON.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import machine_line, print_report, stats

ROOT = Path(__file__).resolve().parents[1]
PHRASE = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
PASSPHRASE = "benchmark passphrase"
DEAD = "0x000000000000000000000000000000000000dEaD"

OPEN_SCRIPT = """
import sys, time
started = time.perf_counter()
from vault.chain import client
chain = client.connect(None, sys.argv[1], accounts=sys.argv[2:])
connected = time.perf_counter()
block = chain.block_number
chain.close()
print(connected - started, block)
"""


def _process(data_dir: Path, *accounts: str) -> tuple[float, float, int]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", OPEN_SCRIPT, str(data_dir), *accounts], check=True,
                         capture_output=True, text=True, env=env).stdout.split()
    return time.perf_counter() - start, float(out[0]), int(out[1])


def cold_start(tmp: Path, account: str) -> dict:
    folder = tmp / "cold"
    first_wall, first_inner, block = _process(folder, account)
    reopen = [_process(folder) for _ in range(5)]
    from vault.chain import client

    client.connect(None, folder).close()  # imports paid: the in-process reopen alone
    times = []
    for _ in range(20):
        t = time.perf_counter()
        client.connect(None, folder).close()
        times.append(time.perf_counter() - t)
    return {"first_run_process_s": first_wall, "first_run_connect_s": first_inner, "blocks_after_setup": block,
            "reopen_process_s": statistics.median(w for w, _, _ in reopen),
            "reopen_connect_s": statistics.median(i for _, i, _ in reopen),
            "reopen_in_process_ms": statistics.median(times) * 1000}


def transfer_latency(chain, identity, repeat: int) -> dict:
    from vault.chain.transactions import TxService

    service = TxService.for_identity(chain, identity)
    me = identity.accounts()[0].address
    for _ in range(5):  # warm-up
        service.send(service.btk_transfer(me, DEAD, 10**18))
    total, preview_ms = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        preview = service.preview(service.btk_transfer(me, DEAD, 10**18))
        mid = time.perf_counter()
        record = service.send(preview)
        total.append((time.perf_counter() - start) * 1000)
        preview_ms.append((mid - start) * 1000)
        assert record.status == "success"
    return {**stats(total), "preview_median_ms": statistics.median(preview_ms)}


def eth_tester_estimate(chain, me: str) -> float:
    """eth-tester's own eth_estimateGas (a binary search) for the same transfer, for comparison."""
    token = chain.contracts.token
    call = {"from": me, "to": token.address, "data": token.encode_abi("transfer", [DEAD, 10**18])}
    times = []
    for _ in range(10):
        start = time.perf_counter()
        chain.w3.eth.estimate_gas(call)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def storage(tmp: Path, identity, blocks: int) -> dict:
    from vault.chain import client
    from vault.chain.transactions import TxService

    chain = client.connect(None, tmp / "cold")
    kv = chain.embedded.kv

    def size() -> int:
        kv.commit()
        kv._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return kv.size_bytes()

    try:
        before = size()
        chain.advance(blocks=blocks)
        empty = size() - before
        service = TxService.for_identity(chain, identity)
        me = identity.accounts()[0].address
        before = size()
        start = time.perf_counter()
        for _ in range(blocks):
            service.send(service.btk_transfer(me, DEAD, 10**18))
        elapsed = time.perf_counter() - start
        busy = size() - before
        total = size()
    finally:
        chain.close()
    per = 1000 / blocks
    return {"empty_bytes_per_1000": empty * per, "transfer_bytes_per_1000": busy * per, "database_bytes": total,
            "transfers_per_s": blocks / elapsed}


def anvil_latency(identity, repeat: int) -> dict | None:
    from tests.chain.conftest import ANVIL_KEY_0, ANVIL_KEY_1, anvil_binary, free_port, start_anvil, stop_anvil
    from vault.chain import client
    from vault.chain.deploy import deploy_suite
    from vault.chain.embedded import dev_address

    binary = anvil_binary()
    if binary is None:
        return None
    node = start_anvil(binary, free_port())
    try:
        chain = client.connect_rpc(node.url, None)
        from eth_account import Account

        manifest = deploy_suite(chain, ANVIL_KEY_0, operators=[dev_address("operator-a"), dev_address("operator-b")],
                                issuers=[Account.from_key(ANVIL_KEY_0).address])
        chain.set_manifest(manifest)
        me = identity.accounts()[0].address
        token = chain.contracts.token
        chain.transact(ANVIL_KEY_1, {"to": me, "value": 100 * 10**18})
        chain.transact(ANVIL_KEY_0, {"to": token.address, "data": token.encode_abi("transfer", [me, 10**24])})
        return transfer_latency(chain, identity, repeat)
    finally:
        stop_anvil(node)


def run(repeat: int, blocks: int, with_anvil: bool) -> dict:
    from vault.identity import Identity

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        identity = Identity.restore(tmp / "vault", PASSPHRASE, PHRASE, kdf_target=0)
        me = identity.accounts()[0].address
        results["cold_start"] = cold_start(tmp, me)
        from vault.chain import client

        chain = client.connect(None, tmp / "cold")
        try:
            results["embedded"] = transfer_latency(chain, identity, repeat)
            results["embedded"]["eth_tester_estimate_gas_ms"] = eth_tester_estimate(chain, me)
        finally:
            chain.close()
        results["storage"] = storage(tmp, identity, blocks)
        if with_anvil:
            results["anvil"] = anvil_latency(identity, repeat)
        identity.store.lock()
    return results


def markdown(r: dict) -> str:
    c, e, a, s = r["cold_start"], r["embedded"], r.get("anvil"), r["storage"]
    anvil = (lambda key: f"{a[key]:.1f} ms") if a else (lambda key: "not installed")
    return "\n".join([
        "| figure | value |", "| --- | --- |",
        f"| embedded chain, first run (genesis, deployment, demo data, faucet for one account): new process "
        f"to ready | {c['first_run_process_s']:.2f} s ({c['first_run_connect_s']:.2f} s in connect(), "
        f"{c['blocks_after_setup']} blocks) |",
        f"| embedded chain, reopen: new process to ready | {c['reopen_process_s']:.2f} s "
        f"({c['reopen_connect_s'] * 1000:.0f} ms in connect(); {c['reopen_in_process_ms']:.1f} ms once "
        f"the modules are loaded) |",
        f"| BTK transfer to receipt (preview, sign, history, send, receipt, events), median of {e['n']} | "
        f"embedded {e['median_ms']:.1f} ms (p90 {e['p90_ms']:.1f}), anvil {anvil('median_ms')} |",
        f"| of which the preview (one execution for gas) | embedded {e['preview_median_ms']:.1f} ms, "
        f"anvil {anvil('preview_median_ms')} |",
        f"| eth-tester's own eth_estimateGas for that transfer (not used), median of 10 | "
        f"{e['eth_tester_estimate_gas_ms']:.1f} ms |",
        f"| embedded storage growth per 1,000 blocks | empty blocks {s['empty_bytes_per_1000'] / 1e6:.2f} MB; "
        f"one BTK transfer each {s['transfer_bytes_per_1000'] / 1e6:.2f} MB |",
    ])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--blocks", type=int, default=1000)
    parser.add_argument("--no-anvil", action="store_true")
    args = parser.parse_args()
    r = run(args.repeat, args.blocks, not args.no_anvil)
    print_report(machine_line(f"python -m bench.chain --repeat {args.repeat} --blocks {args.blocks}"),
                 markdown(r), r)


if __name__ == "__main__":
    main()
