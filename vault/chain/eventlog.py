"""A contract's events, read incrementally: the blocks mined since the last read, once per
connection, as governance reads the governor's (``_GovernorLog``). When the last block
read is gone (a dev node reverted to a snapshot, a reorganisation) everything is read
again from the deployment block.

    events(chain, contract, ("RewardClaimed", "BountyClaimed"))
      -> [{"event": "RewardClaimed", "args": {...}, "block": 12, "tx": "0x…"}, ...]
    read_events(...) -> the same as web3 decodes them (the DAO's modules read those)
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
    """Every ``names`` event ``contract`` emitted, oldest first, as plain dicts (copies:
    callers may keep them)."""
    return [{"event": e["event"], "args": dict(e["args"]), "block": int(e["blockNumber"]),
             "tx": "0x" + bytes(e["transactionHash"]).hex()} for e in read_events(chain, contract, names)]


def read_events(chain, contract, names: tuple[str, ...]) -> list:
    """The same events as web3 decodes them (``event``, ``args``, ``blockNumber`` …)."""
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
                if event is not None:
                    log.entries.append(event().process_log(entry))
            log.scanned, log.scanned_hash = head, bytes(w3.eth.get_block(head)["hash"])
        return list(log.entries)
