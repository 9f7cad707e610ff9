"""eth-tester's py-evm backend and tester on the embedded chain (split from embedded.py):
what they do differently from eth-tester's own, each measured on the chain's paths.

- the backend uses our chain and store (no generated accounts), commits the store after
  each mined block, refuses transactions signed for another chain id, answers eth_call
  at no cost, and finds transactions and receipts by py-evm's hash index;
- the tester skips reading mined blocks back when nobody has a filter, and reads logs
  only in the blocks whose bloom filter may hold the address asked for.
"""

from __future__ import annotations

import functools
import os
from typing import Iterator

from eth.constants import BLANK_ROOT_HASH
from eth.exceptions import TransactionNotFound as NotIndexed
from eth.vm.spoof import SpoofTransaction
from eth_bloom import BloomFilter


@functools.lru_cache(maxsize=1)
def backend_class():
    """eth-tester's py-evm backend on our chain and store (no generated accounts)."""
    # start-up: eth-tester ~0.05 s beyond py-evm and web3, ~0.1 s with eth-account when
    # alone (here and below); paid when a chain is opened, not by this module's importers
    from eth_tester import PyEVMBackend

    return type("EmbeddedBackend", (_EmbeddedMethods, PyEVMBackend), {})


class _EmbeddedMethods:
    """What the embedded chain changes of eth-tester's py-evm backend (mixed into it by
    ``backend_class``, which imports eth-tester only when a chain is opened)."""

    def __init__(self, chain, kv):  # noqa: D107 - PyEVMBackend.__init__ builds a fresh chain; kv: SQLiteKV
        self.account_keys = ()
        self.chain = chain
        self.kv = kv

    def _refresh_pending_timestamp(self) -> None:
        chain = self.chain
        if not chain.get_block().transactions:
            stamp = chain.next_timestamp(chain.get_canonical_head().timestamp)
            if chain.header.timestamp != stamp:
                chain.header = chain.header.copy(timestamp=stamp)

    def _locate(self, transaction_hash):
        """(block, transaction, index) from py-evm's hash index (eth-tester scans every
        block back from the head: linear in the chain's length, for each receipt)."""
        # start-up: eth-tester (as above)
        from eth_tester.exceptions import TransactionNotFound

        chain = self.chain
        pending = chain.get_block()
        for index, transaction in enumerate(pending.transactions):
            if transaction.hash == transaction_hash:
                return pending, transaction, index
        try:
            number, index = chain.chaindb.get_transaction_index(transaction_hash)
        except NotIndexed:
            raise TransactionNotFound(f"No transaction found for transaction hash: 0x{transaction_hash.hex()}") \
                from None
        block = chain.get_canonical_block_by_number(number)
        return block, block.transactions[index], index

    def get_transaction_by_hash(self, transaction_hash):
        # start-up: eth-tester (as above)
        from eth_tester.backends.pyevm.serializers import serialize_transaction

        block, transaction, index = self._locate(transaction_hash)
        return serialize_transaction(block, transaction, index, block.number == self.chain.get_block().number)

    def get_transaction_receipt(self, transaction_hash):
        # start-up: eth-tester (as above)
        from eth_tester.backends.pyevm.serializers import serialize_transaction_receipt

        block, transaction, index = self._locate(transaction_hash)
        return serialize_transaction_receipt(block, block.get_receipts(self.chain.chaindb), transaction, index,
                                             block.number == self.chain.get_block().number, self.chain.get_vm())

    def send_raw_transaction(self, raw_transaction):
        """Decode once, check the chain id (py-evm does not: a transaction signed for
        another network would be accepted), apply to the pending block."""
        # start-up: eth-tester (as above)
        from eth_tester.exceptions import ValidationError

        if raw_transaction[:1] == b"\x03":
            raise ValidationError("blob transactions are not supported on the embedded chain")
        transaction = self.chain.get_vm().get_transaction_builder().decode(raw_transaction)
        tx_chain_id = getattr(transaction, "chain_id", None)
        if tx_chain_id is not None and tx_chain_id != self.chain.chain_id:
            raise ValidationError(f"invalid chain id: the transaction is signed for chain {tx_chain_id}, "
                                  f"this is chain {self.chain.chain_id}")
        self._refresh_pending_timestamp()
        self.chain.apply_transaction(transaction)
        return transaction.hash

    def call(self, transaction, block_number="latest"):
        """eth_call at no cost (eth-tester charges the sender for gas, so an account
        without ETH could not even read), with the revert data kept as bytes."""
        # start-up: eth-tester (as above)
        from eth_tester.backends.pyevm.main import _get_block_by_number
        from eth_tester.exceptions import TransactionFailed

        # The latest header without reading its whole block back, and one state: the
        # nonce is read from the state the call runs on (eth-tester builds another).
        header = self.chain.get_canonical_head() if block_number == "latest" else \
            _get_block_by_number(self.chain, block_number).header
        vm = self.chain.get_vm(at_header=header)
        state = vm.build_state(vm.chaindb.db, header.copy(base_fee_per_gas=0), vm.chain_context,
                               vm.previous_hashes)
        tx = {k: v for k, v in transaction.items() if k not in ("gas_price", "max_fee_per_gas",
                                                                 "max_priority_fee_per_gas")}
        tx.setdefault("gas", header.gas_limit)
        tx.setdefault("nonce", state.get_nonce(transaction["from"]))
        tx.update(max_fee_per_gas=0, max_priority_fee_per_gas=0)
        unsigned = self._get_normalized_and_unsigned_evm_transaction(tx, block_number)
        snapshot = state.snapshot()
        try:
            computation = state.apply_transaction(SpoofTransaction(unsigned, from_=transaction["from"]))
        finally:
            state.revert(snapshot)
        if computation.is_error:
            error = computation.error
            data = error.args[0] if error.args and isinstance(error.args[0], bytes) else str(error)
            raise TransactionFailed(data)
        return computation.output

    def mine_blocks(self, num_blocks=1, coinbase=b"\x00" * 20):
        hashes = []
        for _ in range(num_blocks):
            if self._pending_is_empty():
                hashes.append(self._mine_empty(coinbase))
            else:
                self._refresh_pending_timestamp()
                hashes += super().mine_blocks(1, coinbase)
            self.kv.commit()  # the block is durable from here on
        return tuple(hashes)

    def _pending_is_empty(self) -> bool:
        # Every transaction uses at least 21,000 gas and changes the transaction root.
        header = self.chain.header
        return header.gas_used == 0 and header.transaction_root == BLANK_ROOT_HASH

    def _mine_empty(self, coinbase: bytes) -> bytes:
        """Mine the pending block when it holds no transaction: the block py-evm's
        mine_block makes (tests/chain/test_embedded_mining.py compares every field), in
        about half its time. After the merge an empty block changes no state (no reward;
        Cancun's beacon-root writes run only on import), so it is the pending header with
        its timestamp, coinbase and random mix hash, persisted; py-evm would build the
        state and the block four times over to find that out (~0.6 ms a block, most of
        "advance the chain past the voting period")."""
        chain = self.chain
        header = chain.header.copy(timestamp=chain.next_timestamp(self._head_timestamp()), coinbase=coinbase,
                                   mix_hash=os.urandom(32))  # prevrandao, as eth-tester makes it
        block = chain.get_vm_class(header).get_block_class()(header)
        chain.chaindb.persist_block(block)
        self._head = (block.hash, header.timestamp)
        chain.header = chain.create_header_from_parent(header)
        return block.hash

    def _head_timestamp(self) -> int:
        """The latest block's timestamp: remembered from the empty block mined just before,
        else read."""
        chain = self.chain
        head = getattr(self, "_head", None)
        if head is not None and head[0] == chain.header.parent_hash:
            return head[1]
        return chain.chaindb.get_block_header_by_hash(chain.header.parent_hash).timestamp


@functools.lru_cache(maxsize=1)
def tester_class():
    # start-up: eth-tester (as in backend_class)
    from eth_tester import EthereumTester

    class EmbeddedTester(EthereumTester):
        def mine_blocks(self, num_blocks=1, coinbase="0x" + "00" * 20):
            """As eth-tester's, without reading every mined block back when nobody has
            a filter (that read was a tenth of a transaction's time)."""
            if self._block_filters or self._log_filters or not self.auto_mine_transactions:
                return super().mine_blocks(num_blocks, coinbase)
            raw = self.backend.mine_blocks(num_blocks, self.normalizer.normalize_inbound_account(coinbase))
            return [self.normalizer.normalize_outbound_block_hash(h) for h in raw]

        def get_logs(self, from_block=None, to_block=None, address=None, topics=None):
            """As eth-tester's, but only over the blocks whose logs bloom may hold ``address``
            (as a node's index would): eth-tester reads every block of the range and every
            receipt in it, so an event scan from the deployment grew with the chain."""
            # Block numbers and "latest" (what the app asks); eth-tester gives "earliest"
            # and "pending" meanings of its own, kept by leaving those to it.
            bounds = [from_block, to_block]
            if address is None or any(b is not None and b != "latest" and not isinstance(b, int) for b in bounds):
                return super().get_logs(from_block, to_block, address, topics)
            self.validator.validate_inbound_filter_params(from_block=from_block, to_block=to_block,
                                                          address=address, topics=topics)
            _, _, raw_address, _ = self.normalizer.normalize_inbound_filter_params(
                from_block=from_block, to_block=to_block, address=address, topics=topics)
            latest = None if all(isinstance(b, int) for b in bounds) else self.get_block_by_number("latest")["number"]
            low, high = (b if isinstance(b, int) else latest for b in bounds)
            addresses = raw_address if isinstance(raw_address, tuple) else (raw_address,)
            chain = self.backend.chain
            mined = chain.get_block().number  # the pending block has no header in the database yet
            wanted = [n for n in range(max(low, 0), high + 1)
                      if n >= mined or any(a in BloomFilter(chain.chaindb.get_canonical_block_header_by_number(n).bloom)
                                           for a in addresses)]
            logs = []
            for start, end in _runs(wanted):
                logs += super().get_logs(start, end, address, topics)
            return tuple(logs)

    return EmbeddedTester


def _runs(numbers: list[int]) -> Iterator[tuple[int, int]]:
    """(first, last) of each stretch of consecutive numbers, in order."""
    start = None
    for previous, number in zip([None] + numbers, numbers):
        if previous is None or number != previous + 1:
            if start is not None:
                yield start, previous
            start = number
    if start is not None:
        yield start, numbers[-1]
