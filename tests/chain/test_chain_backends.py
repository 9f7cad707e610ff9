"""The chain and the transaction service, the same tests on the embedded chain and anvil."""

from __future__ import annotations

import threading

import pytest

from tests.chain.conftest import ANVIL_KEY_1, USER_ADDRESS, USER_BTK, USER_ETH
from vault.chain.transactions import Preview, TxService
from vault.errors import ChainError

BTK = 10**18
DEAD = "0x000000000000000000000000000000000000dEaD"


def test_status_names_the_chain_and_its_contracts(chain, backend):
    status = chain.status()
    assert status["network"] == ("embedded" if backend == "embedded" else "rpc")
    assert status["chain_id"] == chain.w3.eth.chain_id
    assert status["block"] == chain.w3.eth.block_number > status["deployment_block"] >= 1
    from vault.chain import extensions

    assert set(status["contracts"]) == {"timelock", "token", "governor", "staking", "marketplace", "soulbound",
                                        *extensions.artifacts()}
    c = chain.contracts
    assert c.token.functions.symbol().call() == "BTK"
    assert c.governor.functions.timelock().call() == c.timelock.address
    assert c.staking.functions.validatorCount().call() == 2
    assert chain.eth_balance(USER_ADDRESS) == USER_ETH and chain.btk_balance(USER_ADDRESS) == USER_BTK


def test_transfer_preview_send_receipt_events_and_history(chain, service, backend):
    request = service.btk_transfer(USER_ADDRESS, DEAD, 25 * BTK)
    preview = service.preview(request)
    text = preview.text()
    assert "Send 25 BTK to " + DEAD in text and "Gas:" in text and "Fee:" in text
    assert 21_000 < preview.gas_estimate <= preview.gas_limit < 150_000
    assert preview.max_fee >= preview.fee_estimate > 0

    record = service.send(preview)
    assert record.status == "success" and record.block == chain.block_number
    assert record.events == [{"contract": "token", "event": "Transfer",
                              "args": {"from": USER_ADDRESS, "to": DEAD, "value": str(25 * BTK)}}]
    assert chain.btk_balance(DEAD) == 25 * BTK
    receipt = chain.receipt(record.hash)
    assert record.gas_used == receipt.gasUsed and record.fee == receipt.gasUsed * receipt.effectiveGasPrice
    assert chain.eth_balance(USER_ADDRESS) == USER_ETH - record.fee

    (row,) = service.history()
    assert row.hash == record.hash and row.kind == "btk-transfer" and row.sender == USER_ADDRESS
    assert row.nonce == 0 and row.params == {"to": DEAD, "amount": str(25 * BTK)}
    assert row.network == chain.name and row.chain_id == chain.chain_id and row.error is None


def test_eth_transfer(chain, service):
    record = service.send(service.eth_transfer(USER_ADDRESS, DEAD, 3 * 10**18))
    assert record.status == "success" and chain.eth_balance(DEAD) >= 3 * 10**18
    assert record.gas_used == 21_000


def test_advance_blocks_and_time(chain):
    block, stamp = chain.block_number, chain.latest_timestamp()
    assert chain.advance(blocks=7) == block + 7
    assert chain.advance(seconds=3600) == block + 8
    assert chain.latest_timestamp() >= stamp + 3600
    assert chain.advance(blocks=2, seconds=60) == block + 10


def test_custom_error_is_decoded_by_name_into_a_sentence(chain, service):
    request = service.contract_call("stake", chain.contracts.staking, "stake", [99, 10 * BTK], USER_ADDRESS)
    with pytest.raises(ChainError) as info:
        service.preview(request)
    assert info.value.reason == "reverted"
    assert info.value.details["error"] == "UnknownValidator"
    assert str(info.value) == "There is no validator 99."
    assert service.history() == []  # nothing was signed


def test_insufficient_btk(chain, service):
    with pytest.raises(ChainError) as info:
        service.preview(service.btk_transfer(USER_ADDRESS, DEAD, USER_BTK + 1))
    assert info.value.reason == "insufficient-btk"
    assert str(info.value).startswith(f"Not enough BTK: {USER_ADDRESS} holds 5,000,000 BTK but 5,000,000.")
    # Also when another contract pulls the BTK (stake, after an approval):
    service.send(service.contract_call("approve", chain.contracts.token, "approve",
                                       [chain.contracts.staking.address, 10**9 * BTK], USER_ADDRESS))
    with pytest.raises(ChainError) as info:
        service.preview(service.contract_call("stake", chain.contracts.staking, "stake", [1, USER_BTK * 2],
                                              USER_ADDRESS))
    assert info.value.reason == "insufficient-btk"


def test_insufficient_eth_for_gas(chain, service, user):
    poor = user.add_account("poor").address
    with pytest.raises(ChainError) as info:
        service.preview(service.btk_transfer(poor, DEAD, 0))
    assert info.value.reason == "insufficient-eth"
    assert "Not enough ETH for the network fee" in str(info.value)
    with pytest.raises(ChainError) as info:
        service.preview(service.eth_transfer(USER_ADDRESS, DEAD, USER_ETH * 2))
    assert info.value.reason == "insufficient-eth"
    # A node refusal says the same, and the history keeps the truth: rejected, never mined.
    max_fee, tip = chain.fees()
    unchecked = Preview(service.btk_transfer(poor, DEAD, 0), chain.name, chain.chain_id, chain.block_number,
                        60_000, 60_000, max_fee, tip, chain.base_fee(), 0, None)  # as if funds had gone since
    with pytest.raises(ChainError) as info:
        service.send(unchecked)
    assert info.value.reason == "insufficient-eth"
    (row,) = service.history()
    assert row.status == "rejected" and row.reason == "insufficient-eth" and row.block is None


def test_revert_mined_on_chain_is_decoded_and_recorded(chain, service):
    """A transaction sent without its preflight (fixed gas) reverts on chain: the history
    says reverted, with the reason found by replaying it."""
    request = service.contract_call("stake", chain.contracts.staking, "stake", [99, 10 * BTK], USER_ADDRESS)
    request.gas = 200_000
    with pytest.raises(ChainError) as info:
        service.send(request)
    assert info.value.reason == "reverted" and str(info.value) == "There is no validator 99."
    (row,) = service.history()
    assert row.status == "reverted" and row.block is not None and row.fee > 0
    assert row.error == "There is no validator 99."
    assert chain.nonce(USER_ADDRESS, "latest") == 1  # a mined revert still uses its nonce


def test_two_quick_sends_do_not_collide(chain, service):
    results, errors = [], []

    def send(amount):
        try:
            results.append(service.send(service.btk_transfer(USER_ADDRESS, DEAD, amount * BTK)))
        except Exception as exc:  # pragma: no cover - the failure we test against
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(n,)) for n in (1, 2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.nonce for r in results) == [0, 1, 2]
    assert all(r.status == "success" for r in results)
    assert chain.btk_balance(DEAD) == 6 * BTK
    # and back to back in one thread, without waiting for the first
    first = service.send(service.btk_transfer(USER_ADDRESS, DEAD, BTK), wait=False)
    second = service.send(service.btk_transfer(USER_ADDRESS, DEAD, BTK), wait=False)
    assert (first.nonce, second.nonce) == (3, 4)
    assert service.wait(second.hash).status == "success" and service.wait(first.hash).status == "success"


def test_pending_transaction_is_recovered_after_a_restart(chain, service, user):
    record = service.send(service.btk_transfer(USER_ADDRESS, DEAD, 5 * BTK), wait=False)
    assert service.get(record.hash).status == "pending"
    # The app stops here; on the next start a new service settles it.
    restarted = TxService(chain, user.store, user.eth_private_key)
    (changed,) = restarted.recover()
    assert changed.hash == record.hash and changed.status == "success" and changed.block is not None
    assert changed.events[0]["event"] == "Transfer"
    assert restarted.recover() == []


def test_transaction_recorded_but_never_broadcast_is_dropped(chain, service, user):
    """A crash between recording a transaction and broadcasting it: on the next start
    the node does not know it and its nonce is free, so it is dropped (nothing spent);
    it can be sent again from its stored bytes."""
    from eth_account import Account

    preview = service.preview(service.btk_transfer(USER_ADDRESS, DEAD, 7 * BTK))
    signed = Account.from_key(user.eth_private_key(USER_ADDRESS)).sign_transaction({
        "type": 2, "chainId": chain.chain_id, "nonce": 0, "to": preview.request.to, "value": 0,
        "data": preview.request.data, "gas": preview.gas_limit, "maxFeePerGas": preview.max_fee_per_gas,
        "maxPriorityFeePerGas": preview.max_priority_fee_per_gas})
    tx_hash = "0x" + bytes(signed.hash).hex()
    service._insert(tx_hash, preview.request, 0, preview, bytes(signed.raw_transaction))

    (changed,) = TxService(chain, user.store, user.eth_private_key).recover()
    assert changed.status == "dropped" and changed.reason == "dropped"
    assert "nonce (0) is still free" in changed.error
    resent = service.resend(tx_hash)
    assert resent.status == "pending"
    assert service.wait(tx_hash).status == "success" and chain.btk_balance(DEAD) == 7 * BTK


def test_history_rows_newest_first_with_filters(chain, service):
    service.send(service.btk_transfer(USER_ADDRESS, DEAD, BTK))
    service.send(service.eth_transfer(USER_ADDRESS, DEAD, 1))
    request = service.contract_call("stake", chain.contracts.staking, "stake", [42, BTK], USER_ADDRESS)
    request.gas = 100_000
    with pytest.raises(ChainError):
        service.send(request)
    rows = service.history()
    assert [r.kind for r in rows] == ["stake", "eth-transfer", "btk-transfer"]
    assert [r.nonce for r in rows] == [2, 1, 0]
    assert [r.kind for r in service.history(status="reverted")] == ["stake"]
    assert len(service.history(limit=2)) == 2
    assert service.get(rows[0].hash[:12]).hash == rows[0].hash
    data = rows[0].to_json()
    assert data["status"] == "reverted" and data["error"] == "There is no validator 42."


# ---- anvil only: what needs a mempool ---------------------------------------------------

# A direct parametrize of `backend` overrides the fixture's two values.
anvil_only = pytest.mark.parametrize("backend", ["anvil"])


@anvil_only
def test_dropped_transaction(chain, service, backend):
    chain._dev_rpc("evm_setAutomine", [False])
    record = service.send(service.btk_transfer(USER_ADDRESS, DEAD, BTK), wait=False)
    assert chain.find_transaction(record.hash) is not None and chain.receipt(record.hash) is None
    chain._dev_rpc("anvil_dropTransaction", [record.hash])
    with pytest.raises(ChainError) as info:
        service.wait(record.hash, timeout=10)
    assert info.value.reason == "dropped"
    assert service.get(record.hash).status == "dropped"


@anvil_only
def test_replaced_transaction(chain, service, backend, user):
    from eth_account import Account

    chain._dev_rpc("evm_setAutomine", [False])
    record = service.send(service.btk_transfer(USER_ADDRESS, DEAD, BTK), wait=False)
    # The same account replaces it elsewhere (another wallet with the same phrase): same
    # nonce, higher fee, a plain ETH transfer to itself.
    max_fee, tip = chain.fees()
    other = Account.from_key(user.eth_private_key(USER_ADDRESS)).sign_transaction({
        "type": 2, "chainId": chain.chain_id, "nonce": record.nonce, "to": USER_ADDRESS, "value": 0,
        "gas": 21_000, "maxFeePerGas": max_fee * 3, "maxPriorityFeePerGas": tip * 3})
    chain.send_raw(bytes(other.raw_transaction))
    chain.advance(blocks=1)
    with pytest.raises(ChainError) as info:
        service.wait(record.hash, timeout=10)
    assert info.value.reason == "replaced"
    row = service.get(record.hash)
    assert row.status == "replaced" and "same nonce (0)" in row.error


@anvil_only
def test_chain_id_mismatch(backend, anvil_node, anvil_deployment):
    from dataclasses import replace

    from vault.chain import client

    manifest, _ = anvil_deployment
    with pytest.raises(ChainError) as info:
        client.connect_rpc(anvil_node.url, replace(manifest, chain_id=1))
    assert info.value.reason == "chain-id-mismatch"
    assert "serves chain 31337, but the manifest anvil-local is for chain 1" in str(info.value)


def test_wrong_chain_signature_is_refused_by_the_node(chain, service, user):
    """A transaction signed for another chain id never gets in (EIP-155)."""
    from eth_account import Account

    signed = Account.from_key(user.eth_private_key(USER_ADDRESS)).sign_transaction({
        "type": 2, "chainId": chain.chain_id + 1, "nonce": 0, "to": DEAD, "value": 1, "gas": 21_000,
        "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9})
    with pytest.raises(ChainError) as info:
        chain.send_raw(bytes(signed.raw_transaction))
    assert info.value.reason in ("rejected", "chain-id-mismatch")


def test_faucet_sends_are_separate_from_the_vault_history(chain, service):
    chain.transact(ANVIL_KEY_1 if chain.network == "rpc" else __import__("vault.chain.embedded",
                   fromlist=["dev_key"]).dev_key("faucet"), {"to": USER_ADDRESS, "value": 1})
    assert service.history() == []


@anvil_only
def test_pending_in_the_mempool_across_a_restart(chain, service, backend, user):
    chain._dev_rpc("evm_setAutomine", [False])
    record = service.send(service.btk_transfer(USER_ADDRESS, DEAD, BTK), wait=False)
    restarted = TxService(chain, user.store, user.eth_private_key)
    assert restarted.recover() == []  # still waiting in the node's pool: stays pending
    assert restarted.get(record.hash).status == "pending"
    # a second action meanwhile takes the next nonce
    second = restarted.send(restarted.btk_transfer(USER_ADDRESS, DEAD, BTK), wait=False)
    assert second.nonce == record.nonce + 1
    chain.advance(blocks=1)
    changed = restarted.recover()
    assert {r.hash: r.status for r in changed} == {record.hash: "success", second.hash: "success"}


def test_connection_lost_while_sending_keeps_the_history_true(chain, service, user, monkeypatch):
    """The node got the transaction but the answer never came back: the history does not
    claim it failed; it stays pending and the next start finds it mined."""
    real_send = chain.send_raw

    def send_then_lose_the_connection(raw):
        real_send(raw)
        raise ChainError("node-unreachable", "Cannot reach the node (connection reset).")

    monkeypatch.setattr(chain, "send_raw", send_then_lose_the_connection)
    with pytest.raises(ChainError) as info:
        service.send(service.btk_transfer(USER_ADDRESS, DEAD, 3 * BTK))
    assert info.value.reason == "node-unreachable"
    (row,) = service.history()
    assert row.status == "pending" and row.reason == "node-unreachable"
    monkeypatch.undo()
    chain.wait_receipt(row.hash, timeout=30)   # anvil mines a moment after it answers: the "next start"
    (settled,) = TxService(chain, user.store, user.eth_private_key).recover()
    assert settled.status == "success" and settled.error is None and chain.btk_balance(DEAD) == 3 * BTK


@anvil_only
def test_wait_timeout_leaves_it_pending(chain, service, backend):
    chain._dev_rpc("evm_setAutomine", [False])
    record = service.send(service.btk_transfer(USER_ADDRESS, DEAD, BTK), wait=False)
    with pytest.raises(ChainError) as info:
        service.wait(record.hash, timeout=0.3)
    assert info.value.reason == "timeout" and "stays in the history as pending" in str(info.value)
    assert service.get(record.hash).status == "pending"
