"""The opt-in keeper: while the app runs, it queues proposals that passed and executes
them once their timelock delay is over, from one of the vault's accounts, paying the
network fees. Anyone can still do either; the keeper only saves someone the trouble.

    set_keeper(store, True)                    # `vault gov keeper on`: the person's consent
    due(chain)                                 # [("queue"|"execute", proposal id)]
    records = keeper_step(service, sender)     # send what is due now (nothing else)
    executions(chain)                          # proposal id -> who executed it, when

Turning it on is the confirmation: it is kept in the vault (like the auto-lock time),
where nothing changes it without the passphrase. It never votes, proposes or moves funds
of its own; it sends only queue and execute, which the governor allows anyone, for
proposals the holders passed. Its transactions are in the vault's history as
"gov-keeper-queue" / "gov-keeper-execute", and every proposal's history says who executed it.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import replace

from ...errors import ChainError
from ..governance import Governance, next_block_time
from ..eventlog import read_events

logger = logging.getLogger(__name__)

KEEPER_SETTING = "dao_keeper"
KEEPER_KINDS = ("gov-keeper-queue", "gov-keeper-execute")


def keeper_enabled(store) -> bool:
    return store.get_setting(KEEPER_SETTING) == "on"


def set_keeper(store, on: bool) -> bool:
    store.set_setting(KEEPER_SETTING, "on" if on else "off")
    return bool(on)


def due(chain) -> list[tuple[str, int]]:
    """What the keeper would send now: queue each succeeded proposal, execute each queued
    one whose delay is over at the next block."""
    gov = Governance(chain)
    now = next_block_time(chain)
    out = []
    for p in gov._created():
        pid = p["proposal_id"]
        state = gov.state(pid)
        if state == "succeeded":
            out.append(("queue", pid))
        elif state == "queued" and now >= gov.governor.functions.proposalEta(pid).call():
            out.append(("execute", pid))
    return out


def keeper_step(service, sender: str) -> list:
    """Send what is due, each as its own transaction (one failing, e.g. executed by
    someone else a moment before, does not stop the others); returns the records."""
    gov = Governance(service.chain)
    records = []
    for action, pid in due(service.chain):
        try:
            build = gov.queue_request if action == "queue" else gov.execute_request
            request = build(service, sender, pid)
            request = replace(request, kind=f"gov-keeper-{action}", description=f"Keeper: {request.description}")
            records.append(service.send(service.preview(request)))
        except ChainError as exc:   # done by someone else meanwhile, or no ETH: told, next one tried
            logger.info("keeper: %s of proposal %s not sent: %s", action, pid, exc)
    return records


_SENDERS: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


def executions(chain) -> dict[str, dict]:
    """Proposal id -> {by, block, tx}: who sent the transaction that executed it (the
    governor's ProposalExecuted event names no executor; its transaction does)."""
    governor = chain.contracts.governor
    senders = _SENDERS.setdefault(chain, {})
    out = {}
    for e in read_events(chain, governor, ("ProposalExecuted",)):
        tx = bytes(e["transactionHash"])
        if tx not in senders:
            senders[tx] = chain.w3.eth.get_transaction(tx)["from"]
        out[str(int(e["args"]["proposalId"]))] = {"by": senders[tx], "block": int(e["blockNumber"]),
                                                   "tx": "0x" + tx.hex()}
    return out
