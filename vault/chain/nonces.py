"""Nonces: one queue per (chain, account), shared by every TxService of the process, so
that two quick sends from the same account, even from two threads, get consecutive
nonces."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from typing import Iterator


class NonceManager:
    """One nonce queue per (chain, account), shared by every TxService of the process.

    ``reserve`` holds the account's lock while the caller signs and broadcasts, and reads
    the node's pending transaction count inside it: the previous transaction of the
    account is then in the node's pool (or mined), so the next one takes the next nonce,
    even when two threads send at once. The node's count is trusted over any number
    remembered here: after a node restart or a dropped transaction a remembered nonce
    would leave a gap that blocks every later transaction, while a stale count at worst
    gets a clear "nonce-used" refusal."""

    def __init__(self):
        self._guard = threading.Lock()
        self._locks: dict[tuple, threading.Lock] = {}
        self.last: dict[tuple, int] = {}  # last nonce handed out, for diagnostics and tests

    def _lock(self, key: tuple) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    @contextlib.contextmanager
    def reserve(self, chain, address: str) -> Iterator["_NonceSlot"]:
        key = (chain.chain_id, chain.url or str(getattr(chain.embedded, "path", "")), address.lower())
        with self._lock(key):
            slot = _NonceSlot(chain.nonce(address, "pending"))
            yield slot
            if slot.sent:
                self.last[key] = slot.nonce


@dataclass
class _NonceSlot:
    nonce: int
    sent: bool = False


NONCES = NonceManager()
