"""The embedded chain's own lookups where eth-tester scans: receipts and transactions by
py-evm's hash index, event logs only in the blocks whose bloom filter may hold them. Each
must answer exactly as eth-tester's scan of every block does."""

from __future__ import annotations

import pytest
from eth_utils import event_abi_to_log_topic
from eth_tester import EthereumTester, PyEVMBackend

from tests.chain.conftest import USER_ADDRESS, copy_embedded
from vault.chain import client
from vault.chain.governance import Governance
from vault.chain.transactions import TxService

BTK = 10**18
DEAD = "0x000000000000000000000000000000000000dEaD"


@pytest.fixture
def busy(tmp_path, embedded_template, user):
    """A chain with token transfers, governance logs and empty blocks in between."""
    copy_embedded(embedded_template, tmp_path)
    chain = client.connect(None, tmp_path)
    service = TxService.for_identity(chain, user)
    start = chain.block_number
    hashes = [service.send(service.btk_transfer(USER_ADDRESS, DEAD, BTK)).hash]
    chain.advance(7)
    gov = Governance(chain)
    hashes.append(service.send(service.preview(gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))).hash)
    hashes.append(service.send(service.eth_transfer(USER_ADDRESS, DEAD, 1)).hash)    # no log at all
    chain.advance(3)
    hashes.append(service.send(service.btk_transfer(USER_ADDRESS, DEAD, 2 * BTK)).hash)
    yield chain, start, hashes
    chain.close()


def test_logs_through_the_bloom_are_those_of_the_full_scan(busy):
    chain, start, _ = busy
    tester, c = chain.embedded.tester, chain.contracts
    transfer = "0x" + event_abi_to_log_topic(c.token.events.Transfer.abi).hex()
    head = chain.block_number
    for address in (c.token.address, c.governor.address, DEAD, [c.token.address, c.marketplace.address]):
        for low, high in ((0, "latest"), (start, head), (start + 2, start + 9), ("earliest", "latest"),
                          (start, None), (None, None), ("latest", "latest"), (head + 5, "latest")):
            ours = tester.get_logs(from_block=low, to_block=high, address=address)
            theirs = EthereumTester.get_logs(tester, from_block=low, to_block=high, address=address)
            assert ours == theirs, (address, low, high)
    token_logs = tester.get_logs(from_block=start, to_block="latest", address=c.token.address)
    assert len({log["block_number"] for log in token_logs}) >= 3      # three blocks of token events found
    transfers = tester.get_logs(from_block=start, address=c.token.address, topics=[transfer])
    assert len(transfers) >= 2 and transfers == \
        EthereumTester.get_logs(tester, from_block=start, address=c.token.address, topics=[transfer])
    # through web3, as the app reads them
    assert len(chain.w3.eth.get_logs({"address": c.token.address, "fromBlock": start, "toBlock": head})) \
        == len(token_logs)


def test_receipts_and_transactions_by_the_hash_index(busy):
    chain, _, hashes = busy
    backend = chain.embedded.backend
    for tx_hash in hashes:
        raw = bytes.fromhex(tx_hash[2:])
        assert backend.get_transaction_receipt(raw) == PyEVMBackend.get_transaction_receipt(backend, raw)
        assert backend.get_transaction_by_hash(raw) == PyEVMBackend.get_transaction_by_hash(backend, raw)
        assert chain.receipt(tx_hash).transactionHash.to_0x_hex() == tx_hash
    unknown = "0x" + "ab" * 32
    assert chain.receipt(unknown) is None and chain.find_transaction(unknown) is None
