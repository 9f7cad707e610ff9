"""Empty blocks on the embedded chain are mined without building the VM
(embedded_backend._mine_empty): the blocks must be the very blocks py-evm's mine_block
makes, field by field and hash by hash, around blocks with transactions, across a jump of
the chain's clock, and after a reopen."""

from __future__ import annotations

import itertools

import pytest

from tests.chain.conftest import copy_embedded

OTHER = "0x00000000000000000000000000000000000A11cE"
NOW = 4_000_000_000  # the wall clock both chains see (far ahead of the template's blocks)


@pytest.fixture
def pair(embedded_template, tmp_path, monkeypatch):
    """Two copies of the same chain, the same clock and the same "random" mix hashes."""
    import os
    import time
    import types

    from vault.chain import client, embedded

    # The wall clock as the embedded chain reads it (block times, the clock's offset).
    monkeypatch.setattr(embedded, "time", types.SimpleNamespace(**vars(time) | {"time": lambda: NOW}))

    counter = [itertools.count()]
    monkeypatch.setattr(os, "urandom", lambda n: next(counter[0]).to_bytes(n, "big"))
    chains = []
    for name in ("fast", "slow"):
        folder = tmp_path / name
        copy_embedded(embedded_template, folder)
        chain = client.connect(None, folder)
        chains.append(chain)
    yield chains, lambda: counter.__setitem__(0, itertools.count())
    for chain in chains:
        chain.close()


def slow_mine(chain, blocks: int) -> None:
    """Mining as before the fast path: eth-tester's mine_blocks (py-evm's mine_block)."""
    from eth_tester import PyEVMBackend

    backend = chain.embedded.backend
    with chain.embedded.lock:
        for _ in range(blocks):
            backend._refresh_pending_timestamp()
            PyEVMBackend.mine_blocks(backend, 1, b"\x00" * 20)
            backend.kv.commit()


def headers(chain, first: int):
    db = chain.embedded.chain.chaindb
    out = []
    for number in range(first, chain.block_number + 1):
        header = db.get_canonical_block_header_by_number(number)
        out.append((number, header.hash, {f: getattr(header, f) for f in header._meta.field_names}))
    return out


def transfer(chain, nonce: int) -> bytes:
    from eth_account import Account

    from vault.chain.embedded import dev_key

    token = chain.contracts.token
    tx = {"type": 2, "chainId": chain.chain_id, "nonce": nonce, "to": token.address, "value": 0, "gas": 100_000,
          "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 1,
          "data": token.encode_abi("transfer", [OTHER, 5])}
    return bytes(Account.from_key(dev_key("faucet")).sign_transaction(tx).raw_transaction)


def test_empty_blocks_are_the_blocks_py_evm_mines(pair):
    (fast, slow), restart_randomness = pair
    first = fast.block_number + 1
    assert slow.block_number + 1 == first
    from vault.chain.embedded import dev_address

    nonce = fast.embedded.account(dev_address("faucet"))[0]

    def run(c, mine):
        restart_randomness()  # each chain draws the same mix hashes
        mine(3)
        c.send_raw(transfer(c, nonce))  # a block with a transaction between
        mine(4)
        c.embedded.advance(0, 3_600)  # the clock jumps an hour: one block
        mine(2)

    run(fast, fast.embedded.mine)
    run(slow, lambda n: slow_mine(slow, n))
    assert fast.block_number == slow.block_number == first + 10
    assert headers(fast, first) == headers(slow, first)
    assert fast.embedded.chain.header == slow.embedded.chain.header  # the next pending block too
    stamps = [fields["timestamp"] for _, _, fields in headers(fast, first)]
    assert stamps[8] - stamps[7] >= 3_600 and all(b > a for a, b in zip(stamps, stamps[1:]))


def test_a_reopened_chain_goes_on_from_fast_mined_blocks(embedded_template, tmp_path):
    from vault.chain import client

    copy_embedded(embedded_template, tmp_path / "c")
    with client.connect(None, tmp_path / "c") as chain:
        start = chain.block_number
        chain.advance(25)
        head = chain.w3.eth.get_block("latest")
    with client.connect(None, tmp_path / "c") as chain:
        assert chain.block_number == start + 25
        assert chain.w3.eth.get_block("latest")["hash"] == head["hash"]
        assert chain.w3.eth.get_block(start + 1)["parentHash"] == chain.w3.eth.get_block(start)["hash"]
        balance = chain.contracts.token.functions.balanceOf(OTHER).call()
        from vault.chain.embedded import dev_address

        chain.send_raw(transfer(chain, chain.embedded.account(dev_address("faucet"))[0]))
        assert chain.contracts.token.functions.balanceOf(OTHER).call() == balance + 5
        assert chain.block_number == start + 26
