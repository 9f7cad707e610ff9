"""One contract's events, read once per connection and then only for the blocks mined
since (as the core's _GovernorLog does): a full scan of the embedded chain takes seconds
once it has a few thousand blocks. When the last block read is gone (a dev node reverted
to a snapshot, a reorganisation) everything is read again."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

from eth_utils import event_abi_to_log_topic


@dataclass
class EventLog:
    scanned: int | None = None
    scanned_hash: bytes | None = None
    events: list = field(default_factory=list)   # decoded events in chain order
    lock: threading.Lock = field(default_factory=threading.Lock)


_LOGS: "weakref.WeakKeyDictionary[object, dict[str, EventLog]]" = weakref.WeakKeyDictionary()


def read_events(chain, contract, names: tuple[str, ...]) -> list:
    """Every event named in ``names`` that ``contract`` emitted since the deployment block,
    as web3 decodes them (``event``, ``args``, ``blockNumber`` ...)."""
    per_chain = _LOGS.setdefault(chain, {})
    log = per_chain.setdefault(f"{contract.address.lower()}:{','.join(names)}", EventLog())
    w3 = chain.w3
    with log.lock:
        head = chain.block_number
        if log.scanned is not None and (log.scanned > head or
                                        bytes(w3.eth.get_block(log.scanned)["hash"]) != log.scanned_hash):
            log.scanned, log.scanned_hash = None, None
            log.events.clear()
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
                    log.events.append(event().process_log(entry))
            log.scanned, log.scanned_hash = head, bytes(w3.eth.get_block(head)["hash"])
        return list(log.events)
