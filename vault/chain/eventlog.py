"""A contract's events, read incrementally: the blocks mined since the last read, once per
connection, as governance reads the governor's (``_GovernorLog``). When the last block
read is gone (a dev node reverted to a snapshot, a reorganisation) everything is read
again from the deployment block.

    events(chain, contract, ("RewardClaimed", "BountyClaimed"))
      -> [{"event": "RewardClaimed", "args": {...}, "block": 12, "tx": "0x…"}, ...]
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

from eth_utils import event_abi_to_log_topic


@dataclass
class _Log:
    scanned: int | None = None
    scanned_hash: bytes | None = None
    entries: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


# One per Chain object (a connection), contract and set of event names.
_LOGS: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


def events(chain, contract, names: tuple[str, ...]) -> list[dict]:
    """Every ``names`` event ``contract`` emitted, oldest first (copies: callers may keep them)."""
    log = _LOGS.setdefault(chain, {}).setdefault((contract.address.lower(), tuple(names)), _Log())
    w3 = chain.w3
    with log.lock:
        head = chain.block_number
        if log.scanned is not None and (log.scanned > head or
                                        bytes(w3.eth.get_block(log.scanned)["hash"]) != log.scanned_hash):
            log.scanned, log.scanned_hash = None, None
            log.entries.clear()
        start = (chain.manifest.deployment_block if chain.manifest else 0) if log.scanned is None \
            else log.scanned + 1
        if start <= head:
            kinds = {}
            for name in names:
                event = getattr(contract.events, name)
                kinds[bytes(event_abi_to_log_topic(event.abi))] = event
            for entry in w3.eth.get_logs({"address": contract.address, "fromBlock": start, "toBlock": head}):
                topics = entry.get("topics") or []
                event = kinds.get(bytes(topics[0])) if topics else None
                if event is None:
                    continue
                decoded = event().process_log(entry)
                log.entries.append({"event": decoded["event"], "args": dict(decoded["args"]),
                                    "block": int(decoded["blockNumber"]),
                                    "tx": "0x" + bytes(decoded["transactionHash"]).hex()})
            log.scanned, log.scanned_hash = head, bytes(w3.eth.get_block(head)["hash"])
        return [dict(e, args=dict(e["args"])) for e in log.entries]
