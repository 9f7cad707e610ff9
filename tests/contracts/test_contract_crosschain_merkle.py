"""vault/chain/dao/merkle.py (hand-rolled: no PyPI library builds OpenZeppelin's tree)
against its reference, @openzeppelin/merkle-tree from npm (tests/node/merkle_tree.mjs):
the same leaves give the same root and proofs, each side loads the other's tree, and
CrossChainVotes on chain accepts the npm library's proofs (and refuses a tampered one)."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from eth_account import Account
from eth_utils import keccak

from tests.contracts.harness import reverts
from vault.chain.dao.merkle import BalanceTree, verify
from vault.chain.dao.remote_files import load_root_file, package_for, sign_remote_ballot

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
SCRIPT = NODE_DIR / "merkle_tree.mjs"


def node_tree(balances: dict[str, int], python: BalanceTree) -> dict:
    if shutil.which("node") is None or not (NODE_DIR / "node_modules" / "@openzeppelin" / "merkle-tree").is_dir():
        reason = "@openzeppelin/merkle-tree is not installed: npm ci --prefix tests/node --no-audit --no-fund"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    request = {"values": [[a, str(v)] for a, v in balances.items()], "dump": python.dump(),
               "python_proofs": {a: python.proof(a) for a in balances}}
    done = subprocess.run([shutil.which("node"), str(SCRIPT)], input=json.dumps(request), capture_output=True,
                          text=True, timeout=120, cwd=NODE_DIR)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def holders(n: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    return {Account.from_key(keccak(text=f"holder {seed} {i}")).address: rng.randrange(1, 10**24) for i in range(n)}


@pytest.mark.parametrize("n", [1, 2, 3, 7, 64, 101])
def test_the_same_leaves_give_the_npm_librarys_root_and_proofs(n):
    balances = holders(n, n)
    python = BalanceTree(balances)
    peer = node_tree(balances, python)
    assert peer["root"] == python.root
    assert peer["loaded_root"] == python.root and peer["python_proofs_valid"] is True
    assert peer["dump"]["tree"] == python.dump()["tree"]
    for address, proof in peer["proofs"].items():
        assert proof == python.proof(address)
        assert verify(proof, python.root, address, balances[address])


def test_the_contract_accepts_the_npm_librarys_proof(suite, a):
    balances = holders(9, 42)
    python = BalanceTree(balances)
    peer = node_tree(balances, python)
    votes = suite.deploy("CrossChainVotes", suite.governor.address, suite.timelock.address)
    pid, _ = suite.propose([(suite.token, "transfer", [a["bob"], 1])], "Interop")
    suite.send(votes.functions.setRemoteRoot(pid, 10, 99, bytes.fromhex(peer["root"][2:]), python.total), a["alice"])
    suite.mine(suite.governor.functions.proposalSnapshot(pid).call() + 1 - suite.block)
    # A root file whose tree is the npm library's own dump loads as it is.
    root = {"type": "blocktrack-remote-root", "chain_id": suite.w3.eth.chain_id, "contract": votes.address,
            "proposal_id": str(pid), "remote_chain_id": 10, "remote_block": 99, "root": peer["root"],
            "total": str(python.total), "tree": peer["dump"]}
    header, tree = load_root_file(json.dumps(root))
    keys = {Account.from_key(keccak(text=f"holder 42 {i}")).address: keccak(text=f"holder 42 {i}") for i in range(9)}
    voter, other = list(balances)[:2]
    ballot = sign_remote_ballot(keys[voter], package_for(header, tree, voter), "for")
    proof = [bytes.fromhex(p[2:]) for p in peer["proofs"][voter]]
    sig = bytes.fromhex(ballot["signature"][2:])
    # Attack: the npm proof of another holder under the voter's name.
    with reverts("InvalidRemoteProof", voter, balances[voter]):
        suite.send(votes.functions.castRemoteVote(pid, voter, 1, balances[voter],
                                                  [bytes.fromhex(p[2:]) for p in peer["proofs"][other]], sig),
                   a["mallory"])
    suite.send(votes.functions.castRemoteVote(pid, voter, 1, balances[voter], proof, sig), a["mallory"])
    assert votes.functions.remoteVotes(pid).call() == [0, balances[voter], 0]
