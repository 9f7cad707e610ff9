"""Fixtures for the chain tests: the same tests run on the embedded chain and on anvil.

- embedded: the suite is deployed once per session into a template database (the user
  funded by the faucet); each test gets a copy of that file, a snapshot that costs a
  file copy.
- anvil: a real JSON-RPC node (Foundry's anvil from npm, installed by
  `npm ci --prefix tests/anvil`), started once per session on 127.0.0.1 and a free port,
  stopped by its PID. The suite is deployed once with anvil's first dev key (the
  bundled manifest resources/networks/anvil-local.json must match); each test starts
  from an `evm_snapshot` of that state. Without the binary the anvil half is skipped,
  except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANVIL_DIR = ROOT / "tests" / "anvil"
PASSPHRASE = "correct horse battery staple"
# The BIP-39 test vector phrase: its first account (0x9858…Da94) is not one of anvil's
# pre-funded dev accounts nor a dev role of the embedded chain.
USER_PHRASE = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
USER_ADDRESS = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"
# anvil's dev keys 0 and 1 (derived from "test test ... junk"; public).
ANVIL_KEY_0 = bytes.fromhex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
ANVIL_KEY_1 = bytes.fromhex("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
ANVIL_CHAIN_ID = 31337
USER_ETH = 100 * 10**18
USER_BTK = 5_000_000 * 10**18


def anvil_binary() -> Path | None:
    """The anvil executable from tests/anvil/node_modules, or None."""
    candidate = ANVIL_DIR / "node_modules" / ".bin" / ("anvil.cmd" if os.name == "nt" else "anvil")
    if candidate.exists():
        return candidate.resolve()  # the native binary itself: its PID is anvil's
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    return free_port()


@dataclass
class AnvilNode:
    url: str
    pid: int
    process: subprocess.Popen


def start_anvil(binary: Path, port: int, *extra: str) -> AnvilNode:
    process = subprocess.Popen(
        [str(binary), "--host", "127.0.0.1", "--port", str(port), "--chain-id", str(ANVIL_CHAIN_ID),
         "--hardfork", "cancun", "--silent", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return AnvilNode(url, process.pid, process)
        except OSError:
            pass
        try:  # the pause between tries is a wait on anvil itself: it ends early if anvil dies
            process.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"anvil exited at start: {process.stderr.read().decode(errors='replace')[:500]}")
    stop_anvil(AnvilNode(url, process.pid, process))
    raise RuntimeError("anvil did not start listening within 20 s")


def stop_anvil(node: AnvilNode) -> None:
    """Stop the node we started, by its PID (never by name)."""
    import signal

    try:
        os.kill(node.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        node.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.kill(node.pid, signal.SIGKILL)
        node.process.wait(timeout=5)


@pytest.fixture(scope="session")
def anvil_node():
    binary = anvil_binary()
    if binary is None:
        message = "anvil is not installed: npm ci --prefix tests/anvil --no-audit --no-fund"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    node = start_anvil(binary, free_port())
    yield node
    stop_anvil(node)


@pytest.fixture(scope="session")
def anvil_deployment(anvil_node):
    """The suite deployed on the session's anvil (as `vault chain deploy` does with
    anvil's first key) and the test user funded; returns (manifest, snapshot id)."""
    from vault.chain import client
    from vault.chain.deploy import deploy_suite
    from vault.chain.embedded import dev_address

    chain = client.connect_rpc(anvil_node.url, None)
    manifest = deploy_suite(chain, ANVIL_KEY_0, operators=[dev_address("operator-a"), dev_address("operator-b")],
                            issuers=[_address(ANVIL_KEY_0)], name="anvil-local")
    chain.set_manifest(manifest)
    token = chain.contracts.token
    chain.transact(ANVIL_KEY_1, {"to": USER_ADDRESS, "value": USER_ETH})
    chain.transact(ANVIL_KEY_0, {"to": token.address, "data": token.encode_abi("transfer", [USER_ADDRESS, USER_BTK])})
    return manifest, chain


def restore_anvil(chain, snapshot) -> None:
    """Back to the snapshot, with an empty mempool and automine on: a transaction a test
    left pending must not be mined into the next test's chain."""
    chain._dev_rpc("anvil_dropAllTransactions", [])
    chain._dev_rpc("evm_setAutomine", [True])
    chain._dev_rpc("evm_revert", [snapshot])


def _address(key: bytes) -> str:
    from eth_account import Account

    return Account.from_key(key).address



def copy_embedded(template: Path, data_dir: Path) -> None:
    target = data_dir / "chain"
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.copyfile(template, target / "embedded.sqlite")


@pytest.fixture
def user(tmp_path):
    """A vault (fast KDF floor) whose first account is USER_ADDRESS."""
    from vault.identity import Identity

    identity = Identity.restore(tmp_path / "vault", PASSPHRASE, USER_PHRASE, kdf_target=0)
    assert identity.accounts()[0].address == USER_ADDRESS
    yield identity
    identity.store.lock()


@pytest.fixture(params=["embedded", "anvil"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def chain(backend, request, user):
    """A Chain on a fresh copy of the deployed suite, the user holding 100 ETH and 5M BTK."""
    from vault.chain import client

    if backend == "embedded":
        template = request.getfixturevalue("embedded_template")
        copy_embedded(template, user.store.data_dir)
        c = client.connect(None, user.store.data_dir)
        yield c
        c.close()
    else:
        manifest, deployer_chain = request.getfixturevalue("anvil_deployment")
        node = request.getfixturevalue("anvil_node")
        snapshot = deployer_chain._dev_rpc("evm_snapshot", [])
        c = client.connect_rpc(node.url, manifest)
        try:
            yield c
        finally:
            restore_anvil(deployer_chain, snapshot)
            c.close()


@pytest.fixture
def service(chain, user):
    from vault.chain.transactions import TxService

    return TxService.for_identity(chain, user)


def count_calls(chain) -> list[str]:
    """The JSON-RPC methods the chain is asked from now on (a web3 middleware: it sees
    what reaches the node, embedded or anvil alike)."""
    from web3.middleware import Web3Middleware

    seen: list[str] = []

    class Count(Web3Middleware):
        def wrap_make_request(self, make_request):
            def request(method, params):
                seen.append(method)
                return make_request(method, params)
            return request

    chain.w3.middleware_onion.add(Count, name="count-calls")
    return seen
