"""The embedded chain: an in-process EVM (py-evm, Cancun, through eth-tester) whose state
lives on disk in ``<data_dir>/chain/embedded.sqlite``.

Storage. py-evm keeps everything (headers, blocks, receipts, state trie nodes) in a
key-value store. ``SQLiteKV`` is that store: one SQLite table of (key, value) blobs under
py-evm's ``AtomicDB``. Writes collect in one open SQLite transaction that is committed
after every mined block, in WAL mode with ``synchronous = FULL``: a block is on disk
before the call that mined it returns, and a process killed at any point reopens at the
last mined block (what was written after it, i.e. an unmined pending block, is rolled
back by SQLite). The first run's set-up (genesis, deployment, demo data) is committed
once at its end, so a kill during it starts the set-up over.

The file holds a public test chain, no key, and is not encrypted; still, it and its lock,
-wal and -shm files are 0600 (what the accounts did is nobody else's business). Only one
process may have it open: a lock file next to it is held while it is open, and a second
opener waits a few seconds, then gets ChainError("chain-busy"). Each data folder has its
own chain, whose tokens exist nowhere else (a vault restored elsewhere gets a new one).

Time. Block timestamps follow the wall clock plus an offset that ``advance(seconds=...)``
increases (kept in the database), as anvil's ``evm_increaseTime`` does; blocks mined
with ``advance(blocks=...)`` are one second apart at least. Governance periods (blocks
for the governor, seconds for the timelock) thus pass on demand.

Dev keys. The faucet (which also deploys the suite) and the demo actors use fixed,
public keys: keccak256("blocktrack-vault/embedded/<role>"). They exist only on this
test chain; never send anything of value to their addresses elsewhere.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterator

import rlp
from eth.chains.base import MiningChain
from eth.consensus import ConsensusApplier, NoProofConsensus
from eth.db.atomic import AtomicDB
from eth.db.backends.base import BaseDB
from eth.exceptions import Revert
from eth.rlp.accounts import Account
from eth.vm.forks import CancunVM
from eth.vm.spoof import SpoofTransaction
from eth_keys import keys
from eth_utils import keccak, to_checksum_address
from trie import HexaryTrie

from ..errors import ChainError
from ..store.atomic import ensure_private_dir
from .embedded_backend import backend_class, tester_class
from .embedded_files import _FileLock, make_private

EMBEDDED_CHAIN_ID = 4346955  # 0x42544b, "BTK"
DB_NAME = "embedded.sqlite"
ETHER = 10**18
GENESIS_GAS_LIMIT = 30_000_000
CACHE_ENTRIES = 50_000  # read cache of the key-value store (tens of MB at most)

DEV_ROLES = ("faucet", "operator-a", "operator-b", "client", "issuer")


def dev_key(role: str) -> bytes:
    """The fixed, public private key of a dev role on the embedded chain."""
    if role not in DEV_ROLES:
        raise KeyError(role)
    return keccak(text=f"blocktrack-vault/embedded/{role}")


def dev_address(role: str) -> str:
    return to_checksum_address(keys.PrivateKey(dev_key(role)).public_key.to_canonical_address())


# ---- the key-value store ----------------------------------------------------------------

class SQLiteKV(BaseDB):
    """py-evm's key-value DatabaseAPI on one SQLite table.

    Writes open a transaction that ``commit()`` ends (after each mined block); reads
    see uncommitted writes, as they must. A small ``meta`` table in the same database
    holds the chain's own settings (manifest, time offset), written in the same
    transactions as the blocks they describe."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        try:
            self._conn.execute("PRAGMA journal_mode = WAL").fetchone()
            # FULL: a committed block survives a kill and a power cut.
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute("PRAGMA cache_size = -16000")  # 16 MB page cache
            self._conn.execute("CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")
            self._conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise ChainError("chain-damaged", f"The embedded chain database {self.path} is damaged ({exc}). "
                                              "Move it away to start a new embedded chain.") from exc
        self._in_tx = False
        self._deferred = 0
        # Write-through read cache (trie nodes are read again and again); cleared on rollback.
        self._cache: dict[bytes, bytes] = {}

    # DatabaseAPI
    def __getitem__(self, key: bytes) -> bytes:
        value = self._cache.get(key)
        if value is not None:
            return value
        row = self._conn.execute("SELECT v FROM kv WHERE k = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        self._remember(key, row[0])
        return row[0]

    def __setitem__(self, key: bytes, value: bytes) -> None:
        self._begin()
        self._conn.execute("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)", (key, value))
        self._remember(key, bytes(value))

    def __delitem__(self, key: bytes) -> None:
        self._begin()
        self._cache.pop(key, None)
        if self._conn.execute("DELETE FROM kv WHERE k = ?", (key,)).rowcount == 0:
            raise KeyError(key)

    def _exists(self, key: bytes) -> bool:
        if key in self._cache:
            return True
        return self._conn.execute("SELECT 1 FROM kv WHERE k = ?", (key,)).fetchone() is not None

    def _remember(self, key: bytes, value: bytes) -> None:
        if len(self._cache) >= CACHE_ENTRIES:
            self._cache.clear()  # crude, but bounded; the SQLite page cache is behind it
        self._cache[key] = value

    # transactions
    def _begin(self) -> None:
        if not self._in_tx:
            self._conn.execute("BEGIN")
            self._in_tx = True

    def commit(self) -> None:
        """Make every write so far durable (unless inside ``deferred()``)."""
        if self._in_tx and not self._deferred:
            self._conn.execute("COMMIT")
            self._in_tx = False

    def rollback(self) -> None:
        self._cache.clear()
        if self._in_tx:
            self._conn.execute("ROLLBACK")
            self._in_tx = False

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Hold commits until the outermost block ends: all of it is kept, or none."""
        self._deferred += 1
        try:
            yield
        finally:
            self._deferred -= 1
        self.commit()

    # meta
    def get_meta(self, name: str, default: str | None = None) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else default

    def set_meta(self, name: str, value: str) -> None:
        self._begin()
        self._conn.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))

    def size_bytes(self) -> int:
        page = self._conn.execute("PRAGMA page_size").fetchone()[0]
        count = self._conn.execute("PRAGMA page_count").fetchone()[0]
        return page * count

    def key_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM kv").fetchone()[0]

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.rollback()  # anything not committed is an unmined pending block
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()


# ---- the chain --------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _chain_class():
    class BlocktrackEmbeddedChain(MiningChain):
        chain_id = EMBEDDED_CHAIN_ID
        # Cancun, the fork the contracts are compiled for (py-evm lacks osaka's CLZ).
        vm_configuration = ConsensusApplier(NoProofConsensus).amend_vm_configuration(((0, CancunVM),))
        time_offset = 0  # seconds ahead of the wall clock (instances set theirs on open)

        def create_header_from_parent(self, parent_header, **params):
            params.setdefault("gas_limit", parent_header.gas_limit)
            params.setdefault("timestamp", self.next_timestamp(parent_header.timestamp))
            return super().create_header_from_parent(parent_header, **params)

        def now(self) -> int:
            return int(time.time()) + self.time_offset

        def next_timestamp(self, parent_timestamp: int) -> int:
            """A block's time: now on the chain's clock, at least a second after its parent."""
            return max(parent_timestamp + 1, self.now())

        def get_transaction_builder(self):
            return self.get_vm().get_transaction_builder()

    return BlocktrackEmbeddedChain


class _LockedProvider:
    """Build an EthereumTesterProvider that answers eth_chainId with our id and runs one
    request at a time (py-evm is not thread-safe; the GUI calls from worker threads)."""

    @staticmethod
    def make(tester, lock: threading.RLock):
        # start-up: web3 ~0.25 s beyond py-evm (what this module's importers pay without
        # opening a chain: the GUI's local-chain texts, deploy, demo); needed only here
        from web3 import EthereumTesterProvider
        from web3.providers.eth_tester.defaults import API_ENDPOINTS

        endpoints = {ns: dict(methods) for ns, methods in API_ENDPOINTS.items()}
        endpoints["eth"]["chainId"] = lambda *_: EMBEDDED_CHAIN_ID

        class Provider(EthereumTesterProvider):
            def make_request(self, method, params):
                with lock:
                    return super().make_request(method, params)

            own_middleware = 0  # how many middleware the chain itself adds (EmbeddedChain.__init__)

            def direct_call(self, sender: str, to: str, data: bytes) -> bytes:
                """eth_call at the latest block, straight to the backend (direct_call.py)."""
                with lock:
                    return tester.backend.call({"from": bytes.fromhex(sender[2:]), "to": bytes.fromhex(to[2:]),
                                                "data": data, "value": 0}, "latest")

        return Provider(tester, api_endpoints=endpoints)


class EmbeddedChain:
    """The persistent in-process chain. Open it once (GUI) or per command (CLI)."""

    def __init__(self, path: Path, kv: SQLiteKV, chain, lock_file: _FileLock, created: bool):
        # start-up: web3 ~0.25 s beyond py-evm (as in _LockedProvider.make)
        from web3 import Web3

        self.path = path
        self.kv = kv
        self.created = created  # True when this open made the genesis block
        self.lock = threading.RLock()
        self.backend = backend_class()(chain, kv)
        self.tester = tester_class()(self.backend)
        self.w3 = Web3(_LockedProvider.make(self.tester, self.lock))
        # Only the attribute-access middleware: names (ENS), gas price strategies, filling
        # in gas and validating sent transactions do not apply to raw transactions on an
        # in-process chain, and cost every request a little.
        # start-up: web3 (as above)
        from web3.middleware import AttributeDictMiddleware

        self.w3.middleware_onion.clear()
        self.w3.middleware_onion.add(AttributeDictMiddleware, "attrdict")
        self.w3.provider.own_middleware = len(self.w3.middleware_onion)
        # eth-tester wants a sender even for read-only calls.
        self.w3.eth.default_account = dev_address("faucet")
        self._lock_file = lock_file

    # ---- open / close

    @classmethod
    def open(cls, path: Path, *, lock_timeout: float = 10.0) -> "EmbeddedChain":
        path = Path(path)
        ensure_private_dir(path.parent)
        make_private(path)
        lock_file = _FileLock(path.with_name(path.name + ".lock"))
        if not lock_file.acquire(lock_timeout):
            raise ChainError("chain-busy", "The embedded chain is in use by another Blocktrack Vault window "
                                           "or command. Close it, or wait for it to finish, and try again.")
        kv = None
        try:
            kv = SQLiteKV(path)
            chain, created = cls._load_or_create(kv)
            return cls(path, kv, chain, lock_file, created)
        except BaseException:
            if kv is not None:
                kv.close()
            lock_file.release()
            raise

    @staticmethod
    def _load_or_create(kv: SQLiteKV):
        # start-up: eth-tester ~0.05 s beyond py-evm and web3 (~0.1 s with eth-account alone)
        from eth_tester.backends.pyevm.main import get_default_genesis_params

        chain_class = _chain_class()
        base_db = AtomicDB(kv)
        if kv.get_meta("genesis") is not None:
            chain = chain_class(base_db)
            chain.time_offset = int(kv.get_meta("time_offset", "0"))
            chain.header = chain.create_header_from_parent(chain.get_canonical_head())
            return chain, False
        genesis = get_default_genesis_params({"gas_limit": GENESIS_GAS_LIMIT, "timestamp": int(time.time())})
        alloc = {bytes.fromhex(dev_address(role)[2:]): {"balance": balance, "nonce": 0, "code": b"", "storage": {}}
                 for role, balance in (("faucet", 10**9 * ETHER), ("operator-a", 1_000 * ETHER),
                                       ("operator-b", 1_000 * ETHER), ("client", 1_000 * ETHER),
                                       ("issuer", 1_000 * ETHER))}
        chain = chain_class.from_genesis(base_db, genesis, alloc)
        kv.set_meta("genesis", chain.get_canonical_head().hash.hex())
        kv.set_meta("time_offset", "0")
        # Not committed here: the first run's set-up commits genesis and deployment at once.
        return chain, True

    def close(self) -> None:
        with self.lock:
            if self.kv is None:
                return
            self.kv.close()
            self.kv = None
            self._lock_file.release()

    def __enter__(self) -> "EmbeddedChain":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- state

    @property
    def chain(self):
        return self.backend.chain

    @property
    def block_number(self) -> int:
        with self.lock:
            return self.chain.get_canonical_head().block_number

    @property
    def timestamp(self) -> int:
        with self.lock:
            return self.chain.get_canonical_head().timestamp

    def get_meta(self, name: str, default: str | None = None) -> str | None:
        with self.lock:
            return self.kv.get_meta(name, default)

    def set_meta(self, name: str, value: str) -> None:
        """Kept with the next commit (the next mined block, or ``commit()``)."""
        with self.lock:
            self.kv.set_meta(name, value)

    def commit(self) -> None:
        with self.lock:
            self.kv.commit()

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Everything mined inside is committed at once at the end (all or nothing)."""
        with self.lock, self.kv.deferred():
            yield

    # ---- time

    def mine(self, blocks: int = 1) -> int:
        """Mine ``blocks`` empty blocks; returns the new block number."""
        if blocks < 0:
            raise ValueError("blocks must be >= 0")
        with self.lock:
            if blocks:
                # One commit (fsync) for all of them, ~60 % of mining an empty block: they are
                # durable together before this returns; a kill before reopens at the block
                # before the call, as if it had never run.
                with self.kv.deferred():
                    self.backend.mine_blocks(blocks)
            return self.chain.get_canonical_head().block_number

    def advance(self, blocks: int = 0, seconds: int = 0) -> int:
        """Move the chain's clock so that the next block is at least ``seconds`` after the
        latest one (the offset is kept across restarts), then mine ``blocks`` blocks (at
        least one when the clock moved, so that the time shows)."""
        if blocks < 0 or seconds < 0:
            raise ValueError("blocks and seconds must be >= 0")
        with self.lock:
            if seconds:
                chain = self.chain
                latest = chain.get_canonical_head().timestamp
                chain.time_offset = max(chain.time_offset, latest + seconds - int(time.time()))
                self.kv.set_meta("time_offset", str(chain.time_offset))
                blocks = max(blocks, 1)
            return self.mine(blocks)

    def account(self, address: str) -> tuple[int, int]:
        """(nonce, balance) of ``address`` in the pending state: straight from py-evm,
        without the JSON-RPC layers (this is on every transaction's path)."""
        with self.lock:
            state = self.chain.get_vm(self.chain.header).state
            raw = bytes.fromhex(address[2:])
            return state.get_nonce(raw), state.get_balance(raw)

    def storage_root(self, address: str) -> bytes:
        """The root of ``address``'s storage at the latest block (b"" for no account): it
        changes whenever any of the contract's storage does, so a caller can tell that
        nothing changed without reading the contract."""
        with self.lock:
            state_root = self.chain.get_canonical_head().state_root
            raw = HexaryTrie(self.chain.chaindb.db, state_root).get(keccak(bytes.fromhex(address[2:])))
            return rlp.decode(raw, sedes=Account).storage_root if raw else b""

    # ---- fees and gas

    def base_fee(self) -> int:
        """The base fee of the block the next transaction goes into."""
        with self.lock:
            return self.chain.header.base_fee_per_gas

    def execute(self, tx: dict) -> tuple[int, int, bytes | None]:
        """Run a transaction once on the pending state and throw the result away.

        Returns (gas the node will charge, gas the limit must cover, revert data or
        None). The second exceeds the first by refunds; callers add a margin for the
        63/64 rule. Gas price is zero here (balances are checked by the caller), so an
        account without ETH still learns why its call would revert."""
        with self.lock:
            self.backend._refresh_pending_timestamp()
            chain = self.chain
            header = chain.header
            vm = chain.get_vm(header)
            gas = tx.get("gas") or (header.gas_limit - header.gas_used)
            builder = vm.get_transaction_builder()
            unsigned = builder.new_unsigned_dynamic_fee_transaction(
                chain_id=EMBEDDED_CHAIN_ID,
                nonce=vm.state.get_nonce(bytes.fromhex(tx["from"][2:])),
                max_priority_fee_per_gas=0,
                max_fee_per_gas=0,
                gas=gas,
                to=bytes.fromhex(tx["to"][2:]) if tx.get("to") else b"",
                value=int(tx.get("value", 0)),
                data=_as_bytes(tx.get("data", b"")),
                access_list=(),
            )
            spoofed = SpoofTransaction(unsigned, from_=bytes.fromhex(tx["from"][2:]))
            # The state of the block the transaction would go into, at no cost.
            state = vm.build_state(vm.chaindb.db, header.copy(base_fee_per_gas=0), vm.chain_context,
                                   vm.previous_hashes)
            snapshot = state.snapshot()
            try:
                computation = state.apply_transaction(spoofed)
            finally:
                state.revert(snapshot)
            before_refund = gas - computation.get_gas_remaining()
            if computation.is_error:
                error = computation.error
                data = error.args[0] if getattr(error, "args", None) and isinstance(error.args[0], bytes) else b""
                return before_refund, before_refund, (data if isinstance(error, Revert) else b"")
            refund = min(computation.get_gas_refund(), before_refund // 5)
            return before_refund - refund, before_refund, None

    # ---- size

    def storage_bytes(self) -> int:
        with self.lock:
            return self.kv.size_bytes()


def _as_bytes(data) -> bytes:
    if isinstance(data, str):
        return bytes.fromhex(data[2:] if data.startswith("0x") else data)
    return bytes(data or b"")
