"""Chain flow benchmarks: the governance and the marketplace scenarios end to end, on the
embedded chain and on anvil side by side.

    python -m bench.flows [--repeat 3] [--no-anvil]

- governance (as tests/chain/test_flow_gov.py): two holders delegate to themselves, one
  proposes a treasury grant, the first votes, the second signs a vote offline (EIP-712)
  that the first relays, the chain is advanced past the voting period, the proposal is
  queued, the chain is advanced past the timelock delay, it is executed and the grant is
  checked at the recipient.
- marketplace (as tests/chain/test_flow_market.py): the client posts a gig, the talent
  accepts, the client approves and funds, the client releases; the fee is checked at the
  treasury (and the referral at the connector, the rest at the talent).

Every transaction goes through TxService the way the tests send them: gas estimate with
the governance margin, preview, sign with the vault key, history row, broadcast, receipt,
events. Each run starts from a fresh chain: on the embedded chain a copy of a template
database (suite deployed, user funded by the faucet), on anvil an evm_snapshot revert of
the deployed and funded suite. Setup (template / node start and deployment once; per run
a fresh vault, the chain copy or revert, and funding of the second account / talent) is
timed apart from the scenario. Prints a Markdown table and the figures as JSON;
--append-docs appends the "Chain flows" section to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from bench.chain import ROOT
from bench.common import print_report
from bench.talent import talent_market, talent_setup
from tests.chain.conftest import (ANVIL_KEY_0, ANVIL_KEY_1, PASSPHRASE, USER_ADDRESS, USER_BTK, USER_ETH, USER_PHRASE,
                                  anvil_binary, copy_embedded, free_port, restore_anvil, start_anvil, stop_anvil)

RECIPIENT = "0x00000000000000000000000000000000000A11cE"
CONNECTOR = "0x000000000000000000000000000000000000c0DE"
BTK = 10**18
GRANT = 1_234 * BTK
PRICE = 1_000 * BTK


class Clock:
    """Times the steps of one scenario run: (label, ms) in order."""

    def __init__(self):
        self.steps: list[tuple[str, float]] = []
        self.sends: list[tuple[str, float]] = []

    def __call__(self, label, fn, *args, **kw):
        start = time.perf_counter()
        out = fn(*args, **kw)
        self.steps.append((label, (time.perf_counter() - start) * 1000))
        return out

    def tx(self, service, build, label: str | None = None):
        """Build a request (the builder's own checks and reads), then send it; records the
        total under the request's kind and the send part (estimate, preview, sign,
        history, broadcast, receipt, events) under "<kind> (send)"."""
        start = time.perf_counter()
        request = build() if callable(build) else build
        mid = time.perf_counter()
        record = send(service, request)
        end = time.perf_counter()
        label = label or request.kind
        self.steps.append((label, (end - start) * 1000))
        self.sends.append((label, (end - mid) * 1000))
        return record


def send(service, request):
    from vault.chain.governance import with_gas_margin

    record = service.send(service.preview(with_gas_margin(service.chain, request)))
    assert record.status == "success", record
    return record


# ---- the scenarios -----------------------------------------------------------------------

def governance_setup(service, first: str, second: str) -> None:
    send(service, service.btk_transfer(first, second, 2_500_000 * BTK))
    send(service, service.eth_transfer(first, second, 10 * BTK))


def governance(chain, service, first: str, second: str, clock: Clock) -> None:
    from vault.chain.governance import Governance, sign_vote

    gov = Governance(chain)
    token = chain.contracts.token
    timelock = chain.contracts.timelock.address
    before = token.functions.balanceOf(timelock).call()
    for holder in (first, second):
        clock.tx(service, lambda h=holder: gov.delegate_request(service, h, h))
    clock("advance: voting delay", chain.advance, 1)
    record = clock.tx(service, lambda: gov.propose_request(
        service, first, [gov.call_grant(RECIPIENT, GRANT)], "Grant 1,234 BTK to Alice\n\nFor the course."))
    pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])

    def offline_vote():
        domain = gov.domain()
        return sign_vote(service._keys(second), chain_id=domain["chain_id"], governor=domain["governor"],
                         proposal_id=pid, support="for", nonce=gov.vote_nonce(second), reason="good use of funds")

    vote = clock("sign vote offline (EIP-712)", offline_vote)
    clock("advance: voting delay", chain.advance, 2)
    clock.tx(service, lambda: gov.vote_request(service, first, pid, "for", "ship it"))
    clock.tx(service, lambda: gov.relay_request(service, first, vote))
    deadline = gov.proposal(pid)["deadline"]
    clock("advance: past voting period", lambda: chain.advance(deadline - chain.block_number + 1))
    assert gov.state(pid) == "succeeded"
    clock.tx(service, lambda: gov.queue_request(service, second, pid))
    eta = gov.proposal(pid)["eta"]
    clock("advance: past timelock delay", lambda: chain.advance(1, max(1, eta - chain.latest_timestamp() + 1)))
    clock.tx(service, lambda: gov.execute_request(service, second, pid))

    def check():
        assert gov.state(pid) == "executed"
        assert token.functions.balanceOf(RECIPIENT).call() == GRANT
        assert token.functions.balanceOf(timelock).call() == before - GRANT

    clock("check", check)


def market_setup(service, first: str, talent: str) -> None:
    send(service, service.eth_transfer(first, talent, 5 * BTK))


def marketplace(chain, service, client: str, talent: str, clock: Clock) -> None:
    from vault.chain.marketplace import Market

    market = Market(chain)
    token = chain.contracts.token
    treasury = chain.contracts.timelock.address
    before = {a: token.functions.balanceOf(a).call() for a in (treasury, CONNECTOR, talent)}
    record = clock.tx(service, lambda: market.post_request(
        service, client, kind="gig", price=PRICE, details="Grade 30 essays", connector=CONNECTOR, referral_bps=500))
    gid = int(next(e for e in record.events if e["event"] == "GigPosted")["args"]["gigId"])
    clock.tx(service, lambda: market.accept_request(service, talent, gid))
    requests = clock("fund requests (allowance read)", market.fund_requests, service, client, gid)
    assert [r.kind for r in requests] == ["btk-approve", "market-fund"]
    for request in requests:
        clock.tx(service, request)
    clock.tx(service, lambda: market.release_request(service, client, gid))

    def check():
        after = {a: token.functions.balanceOf(a).call() for a in (treasury, CONNECTOR, talent)}
        fee = PRICE * market.gig(gid).fee_bps // 10_000
        assert after[treasury] - before[treasury] == fee > 0
        assert after[CONNECTOR] - before[CONNECTOR] == PRICE * 500 // 10_000
        assert after[talent] - before[talent] == PRICE - fee - PRICE * 500 // 10_000

    clock("check", check)


SCENARIOS = {"governance": (governance_setup, governance, "second"),
             "marketplace": (market_setup, marketplace, "talent")}
SCENARIOS["talent"] = (talent_setup, talent_market, "talent")


# ---- the backends ------------------------------------------------------------------------

def new_vault(folder: Path):
    """A fresh vault (fast KDF) whose first account is USER_ADDRESS, plus "second" and
    "talent": a new one per run, so no history row of an earlier run is in the way."""
    from vault.identity import Identity

    identity = Identity.restore(folder, PASSPHRASE, USER_PHRASE, kdf_target=0)
    assert identity.accounts()[0].address == USER_ADDRESS
    extra = {name: identity.add_account(name).address for name in ("second", "talent")}
    return identity, extra


class Embedded:
    name = "embedded"

    def __init__(self, tmp: Path):
        from vault.chain import client
        from vault.chain.demo import faucet_top_up
        from vault.chain.networks import FAUCET_GRANT_BTK, FAUCET_GRANT_ETH

        self.tmp = tmp
        folder = tmp / "template"
        start = time.perf_counter()
        with client.connect(None, folder, accounts=[USER_ADDRESS]) as chain:   # as on anvil: past the quorum
            faucet_top_up(chain, USER_ADDRESS, btk=USER_BTK - FAUCET_GRANT_BTK, eth=USER_ETH - FAUCET_GRANT_ETH)
        self.template_setup_s = time.perf_counter() - start
        self.template = folder / "chain" / "embedded.sqlite"
        self.count = 0

    def open(self, identity):
        from vault.chain import client

        copy_embedded(self.template, identity.store.data_dir)
        return client.connect(None, identity.store.data_dir)

    def close(self, chain) -> None:
        chain.close()

    def shutdown(self) -> None:
        pass


class Anvil:
    name = "anvil"

    def __init__(self, tmp: Path):
        from eth_account import Account

        from vault.chain import client
        from vault.chain.deploy import deploy_suite
        from vault.chain.embedded import dev_address

        binary = anvil_binary()
        start = time.perf_counter()
        self.node = start_anvil(binary, free_port())
        try:
            chain = client.connect_rpc(self.node.url, None)
            self.manifest = deploy_suite(chain, ANVIL_KEY_0,
                                         operators=[dev_address("operator-a"), dev_address("operator-b")],
                                         issuers=[Account.from_key(ANVIL_KEY_0).address], name="anvil-local")
            chain.set_manifest(self.manifest)
            token = chain.contracts.token
            chain.transact(ANVIL_KEY_1, {"to": USER_ADDRESS, "value": USER_ETH})
            chain.transact(ANVIL_KEY_0, {"to": token.address,
                                         "data": token.encode_abi("transfer", [USER_ADDRESS, USER_BTK])})
        except BaseException:
            stop_anvil(self.node)
            raise
        self.deployer = chain
        self.template_setup_s = time.perf_counter() - start
        self.snapshot = None

    def open(self, identity):
        from vault.chain import client

        self.snapshot = self.deployer._dev_rpc("evm_snapshot", [])
        return client.connect_rpc(self.node.url, self.manifest)

    def close(self, chain) -> None:
        restore_anvil(self.deployer, self.snapshot)
        chain.close()

    def shutdown(self) -> None:
        stop_anvil(self.node)


def run_backend(backend, tmp: Path, repeat: int) -> dict:
    from vault.chain.transactions import TxService

    out = {"setup_once_s": backend.template_setup_s}
    for scenario, (setup, flow, other) in SCENARIOS.items():
        totals, setups, steps_per_run, sends_per_run, blocks = [], [], [], [], []
        for i in range(repeat + 1):  # run 0 is a warm-up (imports, ABI caches), not counted
            start = time.perf_counter()
            identity, extra = new_vault(tmp / f"{backend.name}-{scenario}-{i}" / "vault")
            chain = backend.open(identity)
            try:
                service = TxService.for_identity(chain, identity)
                setup(service, USER_ADDRESS, extra[other])
                setup_s = time.perf_counter() - start
                clock = Clock()
                first_block = chain.block_number
                start = time.perf_counter()
                flow(chain, service, USER_ADDRESS, extra[other], clock)
                total = (time.perf_counter() - start) * 1000
                mined = chain.block_number - first_block
            finally:
                backend.close(chain)
                identity.store.lock()
            if i:
                totals.append(total)
                setups.append(setup_s * 1000)
                steps_per_run.append(clock.steps)
                sends_per_run.append(clock.sends)
                blocks.append(mined)
        pooled = defaultdict(list)
        order = []
        for steps in steps_per_run:
            for label, ms in steps:
                if label not in pooled:
                    order.append(label)
                pooled[label].append(ms)
        sends = defaultdict(list)
        for clock_sends in sends_per_run:
            for label, ms in clock_sends:
                sends[label].append(ms)
        per_run_count = {label: sum(1 for lbl, _ in steps_per_run[0] if lbl == label) for label in order}
        out[scenario] = {
            "median_ms": statistics.median(totals), "min_ms": min(totals), "max_ms": max(totals), "n": repeat,
            "runs_ms": totals, "setup_per_run_median_ms": statistics.median(setups), "blocks": blocks[0],
            "transactions": sum(c for label, c in per_run_count.items() if label.split("-")[0] in
                                ("gov", "market", "btk")) + sum(_plan_size(label) for label in order),
            "steps": {label: {"median_ms": statistics.median(pooled[label]), "per_run": per_run_count[label],
                              **({"send_median_ms": statistics.median(sends[label])} if label in sends else {})}
                      for label in order}}
    return out


def _plan_size(label: str) -> int:
    """The transactions of a step timed as a whole plan ("talent-fund (2 tx)")."""
    return int(label.rsplit("(", 1)[1].split()[0]) if label.endswith(" tx)") else 0


def run(repeat: int, with_anvil: bool) -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        backends = [Embedded]
        if with_anvil and anvil_binary() is not None:
            backends.append(Anvil)
        for cls in backends:
            backend = cls(tmp)
            try:
                results[backend.name] = run_backend(backend, tmp, repeat)
            finally:
                backend.shutdown()
    return results


# ---- output ------------------------------------------------------------------------------

def markdown(r: dict) -> str:
    e, a = r["embedded"], r.get("anvil")

    def cell(side, scenario, key, fmt):
        if side is None:
            return "not installed"
        return fmt(side[scenario][key]) if key in side[scenario] else "–"

    lines = ["| scenario (end to end, median of {n}; min–max) | embedded | anvil |".format(n=e["governance"]["n"]),
             "| --- | --- | --- |"]
    for scenario, title in (("governance", "governance: delegate ×2, propose, sign offline, vote, relay, "
                                           "advance, queue, advance, execute, check"),
                            ("marketplace", "marketplace: post, accept, approve, fund, release, check"),
                            ("talent", "talent market: referrer, post, approve + bid, accept, approve + fund, "
                                       "release, check")):
        es = e[scenario]

        def fig(side):
            if side is None:
                return "not installed"
            s = side[scenario]
            return f"{s['median_ms']:.0f} ms ({s['min_ms']:.0f}–{s['max_ms']:.0f})"

        lines.append(f"| {title} ({es['transactions']} transactions, {es['blocks']} blocks) | {fig(e)} | {fig(a)} |")
    lines.append("| setup once: embedded template (genesis, suite, faucet) / anvil start, deployment, funding | "
                 f"{e['setup_once_s']:.2f} s | " + (f"{a['setup_once_s']:.2f} s |" if a else "not installed |"))
    for scenario, what in (("governance", "new vault, fresh chain, second holder funded (2 tx)"),
                           ("marketplace", "new vault, fresh chain, talent funded (1 tx)"),
                           ("talent", "new vault, fresh chain, talent funded (2 tx)")):
        lines.append(f"| setup per {scenario} run, not in the figure above: {what} | "
                     f"{e[scenario]['setup_per_run_median_ms']:.0f} ms | "
                     + (f"{a[scenario]['setup_per_run_median_ms']:.0f} ms |" if a else "not installed |"))
    lines += ["", "| step (median per kind; in brackets the send alone: estimate, preview, sign, history, "
              "broadcast, receipt, events) | per run | embedded | anvil |", "| --- | --- | --- | --- |"]

    def step(s):
        if s is None:
            return "–"
        return f"{s['median_ms']:.1f} ms" + (f" ({s['send_median_ms']:.1f})" if "send_median_ms" in s else "")

    for scenario in ("governance", "marketplace", "talent"):
        for label, s in e[scenario]["steps"].items():
            other = a[scenario]["steps"].get(label) if a else None
            lines.append(f"| {scenario}: {label} | ×{s['per_run']} | {step(s)} | {step(other)} |")
    return "\n".join(lines)


def header(repeat: int) -> str:
    return (f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; {date.today().isoformat()}; "
            f"`python -m bench.flows --repeat {repeat}`")


SECTION_TEXT = """
Each scenario is timed from its first transaction to its final balance check, on a
fresh chain each run (embedded: a copy of a template database with the suite deployed
and the user funded; anvil: an `evm_snapshot` revert), after one uncounted warm-up run.
Every transaction goes through `TxService` as in the tests: gas estimate plus the
governance checkpoint margin, preview, signature with the vault key, history row,
broadcast, receipt, decoded events, history update. "advance" steps are the dev-chain
time machine (`Chain.advance`: the embedded chain mines the blocks itself, anvil gets
`anvil_mine` / `evm_increaseTime`); on a real network they are the voting period and the
timelock delay. The transaction-kind rows include the checks the request builders make
(proposal state, allowance, gig status) before the transaction.
"""


def append_docs(text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text()
    sep = "" if current.endswith("\n\n") else ("\n" if current.endswith("\n") else "\n\n")
    with path.open("a") as f:
        f.write(sep + text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-anvil", action="store_true")
    parser.add_argument("--append-docs", action="store_true", help="append the section to docs/benchmarks.md")
    args = parser.parse_args()
    started = time.perf_counter()
    r = run(args.repeat, not args.no_anvil)
    r["wall_s"] = time.perf_counter() - started
    table = markdown(r)
    print_report(header(args.repeat), table, r)
    if args.append_docs:
        append_docs(f"## Chain flows\n\n{header(args.repeat)}\n\n{table}\n{SECTION_TEXT}")


if __name__ == "__main__":
    main()
