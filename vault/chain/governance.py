"""The DAO from the holder's side: voting power, delegation, proposals, votes.

    gov = Governance(chain)
    gov.power(address)                        # balance, votes now, delegate, warning
    gov.proposals(account)                    # every proposal (ProposalCreated events)
    req = gov.delegate_request(service, sender, to)            # then service.preview/send
    req = gov.propose_request(service, sender, calls, description)
    req = gov.vote_request(service, sender, proposal_id, "for", reason)
    vote = sign_vote(key, chain_id=..., governor=..., proposal_id=..., support=1, nonce=0)
    req = gov.relay_request(service, sender, vote)             # castVoteBySig

Proposals are found without an indexer: the governor's ProposalCreated and VoteCast events
from the deployment block of the manifest on, read once per connection and then only for
the blocks mined since (``_GovernorLog``: a full scan of the embedded chain takes seconds
once it has a few thousand blocks). Every check that can name a cause better than the
revert does (voting twice, outside the period, queueing or executing too early) raises a
ChainError with its own reason before anything is signed.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from dataclasses import dataclass, field

from ..errors import ChainError
from . import templates
from .contracts import ZERO_ADDRESS
from .dao import power as weighted
from .proposal_ids import resolve, short_id, title, unknown
from .staking import _validator, validators
from .transactions import with_gas_margin
from .units import format_amount, format_units, percent
# The offline vote file lives in votefile; its readers (CLI, pages, tests) use it as governance.*.
from .votefile import (GOVERNOR_NAME, MAX_VOTE_BYTES, SUPPORT, SUPPORT_NAMES, VOTE_FILE_TYPE,  # noqa: F401
                       export_vote_qr, load_vote, parse_support, read_vote_source, read_vote_text,
                       recover_vote_signer, sign_vote, vote_qr_texts, vote_to_bytes)

logger = logging.getLogger(__name__)

STATES = ("pending", "active", "canceled", "defeated", "succeeded", "queued", "expired", "executed")
SECONDS_PER_BLOCK = 12  # the estimate of wall time per block (Ethereum's slot time)

TEMPLATES = ("grant", "market-fee", "reward-rate", "slash", "raw")

def voting_window(p: dict) -> str:
    """The blocks whose votes count, as every text says it: OpenZeppelin's Governor is
    Active while snapshot < block number <= deadline, so from snapshot + 1 to deadline."""
    return f"votes count from block {p['snapshot'] + 1:,} to block {p['deadline']:,}"


@dataclass(frozen=True)
class NextActions:
    """What may be done with a proposal now, for the account its overview was read for:
    the checks vote_request / sign_vote_offline / queue_request / execute_request make,
    told before anything is built (a screen enables its buttons by them)."""

    vote: bool      # voting is open and the account has not voted
    sign: bool      # a vote signed offline could still count (pending or active, not voted)
    queue: bool     # it passed: anyone may queue it in the timelock
    execute: bool   # queued and the timelock's delay is over at the next block


def next_actions(p: dict) -> NextActions:
    """``p`` is one of ``proposals(account)``: ``eta_in_seconds`` counts from the next
    block's time (0: executable now) and ``my_vote`` is the account's."""
    state = p["state"]
    voted = bool((p.get("my_vote") or {}).get("voted"))
    return NextActions(vote=state == "active" and not voted,
                       sign=state in ("pending", "active") and not voted,
                       queue=state == "succeeded",
                       execute=state == "queued" and p.get("eta_in_seconds") == 0)


def _arg(args: dict, index: int) -> str:
    """The name of a decoded function's ``index``-th argument (ABIs name them freely)."""
    return list(args)[index]


def _show_arg(value) -> str:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return str(value)


@dataclass(frozen=True)
class Call:
    """One call a proposal makes (through the timelock)."""

    target: str
    value: int
    calldata: bytes
    summary: str = ""
    more: tuple = ()  # further calls of the same action (a template's, e.g. moving two roles)


@dataclass
class _GovernorLog:
    """The governor's events read so far on one connection: proposals by id (in order of
    creation) and votes by (proposal id, voter). ``scanned`` is the last block read and
    ``scanned_hash`` its hash: when that block is gone (a dev node reverted to a snapshot,
    a reorganisation) everything is read again."""

    scanned: int | None = None
    scanned_hash: bytes | None = None
    created: dict = field(default_factory=dict)
    votes: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


# One per Chain object (a connection) and governor: forgotten with the connection.
_LOGS: "weakref.WeakKeyDictionary[object, dict[str, _GovernorLog]]" = weakref.WeakKeyDictionary()


def _log_for(chain, governor: str) -> _GovernorLog:
    per_chain = _LOGS.setdefault(chain, {})
    return per_chain.setdefault(governor.lower(), _GovernorLog())


def next_block_time(chain) -> int:
    """The timestamp the next block will have, as far as it can be known: exact on the
    embedded chain (the wall clock plus its offset, after the latest block); elsewhere the
    latest block's (a node mines on its own clock; a later block is never earlier)."""
    latest = chain.latest_timestamp()
    if chain.embedded is not None:
        return max(latest + 1, int(time.time()) + int(chain.embedded.chain.time_offset))
    return latest


class Governance:
    def __init__(self, chain, governor=None):
        self.chain = chain
        self.w3 = chain.w3
        self.token = chain.contracts.token
        self.governor = governor or weighted.active_governor(chain)  # the weighted one once adopted

    # ---- power and delegation ----------------------------------------------------------

    def power(self, address: str) -> dict:
        address = self.w3.to_checksum_address(address)
        balance = self.token.functions.balanceOf(address).call()
        votes = self.token.functions.getVotes(address).call()
        delegate = self.token.functions.delegates(address).call()
        warning = None
        if balance and delegate == ZERO_ADDRESS:
            warning = (f"{address} holds {format_units(balance, 'BTK')} but has no voting power: nothing is "
                       "delegated. Delegate to yourself with `vault gov delegate --to self`.")
        per_proposal = []
        block = self.chain.block_number
        for p in self._created():
            snapshot = p["snapshot"]
            if snapshot < block:
                power = self.governor.functions.getVotes(address, snapshot).call()
            else:  # the snapshot is still ahead: the power now is what will count
                power = votes
            per_proposal.append({"proposal_id": str(p["proposal_id"]), "snapshot": snapshot,
                                 "votes": format_amount(power), "votes_wei": str(power)})
        return {"address": address, "block": block, "balance": format_amount(balance), "balance_wei": str(balance),
                "votes": format_amount(votes), "votes_wei": str(votes),
                "delegate": None if delegate == ZERO_ADDRESS else delegate,
                "self_delegated": delegate == address, "warning": warning,
                "can_self_delegate": bool(balance) and delegate != address, "proposals": per_proposal}

    def delegate_request(self, service, sender: str, to: str):
        to = self.w3.to_checksum_address(to)
        who = "yourself" if to.lower() == sender.lower() else to
        return with_gas_margin(self.chain, service.contract_call(
            "gov-delegate", self.token, "delegate", [to], sender,
            description=f"Delegate your BTK voting power to {who}", params={"delegatee": to}))

    # ---- proposals ---------------------------------------------------------------------

    def _sync(self) -> _GovernorLog:
        """Read the governor's events of the blocks mined since the last read."""
        log = _log_for(self.chain, self.governor.address)
        with log.lock:
            head = self.chain.block_number
            if log.scanned is not None and (log.scanned > head or
                                            bytes(self.w3.eth.get_block(log.scanned)["hash"]) != log.scanned_hash):
                log.scanned, log.scanned_hash = None, None
                log.created.clear()
                log.votes.clear()
            start = (self.chain.manifest.deployment_block if self.chain.manifest else 0) \
                if log.scanned is None else log.scanned + 1
            if start <= head:
                self._read_events(log, start, head)
                log.scanned, log.scanned_hash = head, bytes(self.w3.eth.get_block(head)["hash"])
            return log

    def _read_events(self, log: _GovernorLog, start: int, end: int) -> None:
        # start-up: eth_utils ~100 ms, only to read the proposal events
        from eth_utils import event_abi_to_log_topic

        events = self.governor.events
        kinds = {}
        for name in ("ProposalCreated", "VoteCast", "VoteCastWithParams"):
            event = getattr(events, name)
            kinds[bytes(event_abi_to_log_topic(event.abi))] = event
        raw = self.w3.eth.get_logs({"address": self.governor.address, "fromBlock": start, "toBlock": end})
        for entry in raw:
            topics = entry.get("topics") or []
            event = kinds.get(bytes(topics[0])) if topics else None
            if event is None:
                continue
            decoded = event().process_log(entry)
            a = decoded["args"]
            if decoded["event"] == "ProposalCreated":
                pid = int(a["proposalId"])
                log.created[pid] = {
                    "proposal_id": pid, "proposer": a["proposer"], "targets": list(a["targets"]),
                    "values": [int(v) for v in a["values"]], "calldatas": [bytes(c) for c in a["calldatas"]],
                    "description": a["description"], "snapshot": int(a["voteStart"]),
                    "deadline": int(a["voteEnd"]), "created_block": int(decoded["blockNumber"])}
            else:
                log.votes[(int(a["proposalId"]), a["voter"].lower())] = {
                    "support": SUPPORT_NAMES.get(int(a["support"])), "weight": int(a["weight"]),
                    "reason": a["reason"], "block": int(decoded["blockNumber"])}

    def _created(self) -> list[dict]:
        return list(self._sync().created.values())

    def label(self, proposal_id: int) -> str:
        """A proposal as a person recognises it: its title and the start of its id."""
        p = self._find(proposal_id)
        return f"proposal {title(p)} ({short_id(p['proposal_id'])})"

    def _find(self, proposal_id: int) -> dict:
        for p in self._created():
            if p["proposal_id"] == int(proposal_id):
                return p
        raise unknown(proposal_id)

    def resolve_id(self, text) -> int:
        """The id of the proposal ``text`` names: its whole id, or the start of it as
        ``short_id`` shows it (``proposal_ids.resolve``: unknown and ambiguous are errors)."""
        return resolve(self._created(), text)

    def counting_mode(self) -> dict:
        mode = self.governor.functions.COUNTING_MODE().call()
        fields = dict(part.split("=", 1) for part in mode.split("&") if "=" in part)
        return {"mode": mode, "support": fields.get("support", ""),
                "quorum_counts": [x for x in fields.get("quorum", "").split(",") if x]}

    def _describe(self, p: dict, account: str | None, mode: dict, block: int, now: int) -> dict:
        g = self.governor.functions
        pid = p["proposal_id"]
        state = STATES[g.state(pid).call()]
        against, for_, abstain = g.proposalVotes(pid).call()
        timepoint = p["snapshot"] if p["snapshot"] < block else block - 1
        quorum = g.quorum(timepoint).call()
        counted = {"for": for_, "against": against, "abstain": abstain}
        toward = sum(counted[k] for k in mode["quorum_counts"] if k in counted)
        eta = g.proposalEta(pid).call()
        data = {"proposal_id": str(pid), "state": state, "proposer": p["proposer"],
                "description": p["description"], "title": p["description"].splitlines()[0] if p["description"] else "",
                "snapshot": p["snapshot"], "deadline": p["deadline"],
                "votes": {k: format_amount(v) for k, v in counted.items()},
                "votes_wei": {k: str(v) for k, v in counted.items()},
                "quorum": format_amount(quorum), "quorum_wei": str(quorum), "quorum_counts": mode["quorum_counts"],
                "quorum_progress": format_amount(toward), "quorum_progress_wei": str(toward),
                "quorum_percent": round(100 * toward / quorum, 2) if quorum else 100.0,
                "quorum_reached": toward >= quorum,
                "eta": eta or None, "eta_in_seconds": max(0, eta - now) if eta else None,
                "calls": [{"target": t, "value": str(v), "calldata": "0x" + c.hex(),
                           "summary": self.describe_call(t, v, c)}
                          for t, v, c in zip(p["targets"], p["values"], p["calldatas"])]}
        if state == "pending":
            blocks = p["snapshot"] + 1 - block
            data["time_left"] = {"until": "voting starts", "blocks": max(blocks, 0),
                                 "seconds_estimate": max(blocks, 0) * SECONDS_PER_BLOCK}
        elif state == "active":
            blocks = p["deadline"] + 1 - block
            data["time_left"] = {"until": "voting ends", "blocks": max(blocks, 0),
                                 "seconds_estimate": max(blocks, 0) * SECONDS_PER_BLOCK}
        elif state == "queued":
            data["time_left"] = {"until": "executable", "blocks": None,
                                 "seconds_estimate": max(0, eta - now)}
        else:
            data["time_left"] = None
        if account:
            account = self.w3.to_checksum_address(account)
            voted = g.hasVoted(pid, account).call()
            cast = self._my_vote(pid, account) if voted else None
            data["my_vote"] = {"account": account, "voted": voted,
                               "support": cast["support"] if cast else None,
                               "reason": cast["reason"] if cast else "",
                               "weight": format_amount(cast["weight"]) if cast else None,
                               "weight_wei": str(cast["weight"]) if cast else None}
        return weighted.annotate(self, data)

    def _my_vote(self, pid: int, account: str) -> dict | None:
        return self._sync().votes.get((int(pid), account.lower()))

    def _my_support(self, pid: int, account: str) -> str | None:
        vote = self._my_vote(pid, account)
        return vote["support"] if vote else None

    def proposals(self, account: str | None = None) -> list[dict]:
        """Every proposal, newest first. ``eta_in_seconds`` (queued) counts from the time
        the next block will have (``next_block_time``): 0 means it can be executed now."""
        mode = self.counting_mode()
        block, now = self.chain.block_number, next_block_time(self.chain)
        return [self._describe(p, account, mode, block, now) for p in reversed(self._created())] + \
            weighted.previous_proposals(self, account)

    def proposal(self, proposal_id: int, account: str | None = None) -> dict:
        p = self._find(proposal_id)
        return self._describe(p, account, self.counting_mode(), self.chain.block_number,
                              next_block_time(self.chain))

    def overview(self, account: str) -> dict:
        """What a governance screen shows for ``account``, in one read: its power (now and
        at each proposal's snapshot, also as ``my_power`` on each proposal), every
        proposal, the treasury and the rules (threshold, voting delay and period in
        blocks, timelock delay in seconds)."""
        g = self.governor.functions
        power = self.power(account)
        proposals = self.proposals(account)
        at_snapshot = {p["proposal_id"]: p for p in power["proposals"]}
        for p in proposals:
            mine = at_snapshot.get(p["proposal_id"])
            p["my_power"] = mine["votes"] if mine else "0"
            p["my_power_wei"] = mine["votes_wei"] if mine else "0"
        threshold = g.proposalThreshold().call()
        treasury = self.chain.contracts.timelock.address
        held = self.token.functions.balanceOf(treasury).call()
        return {"account": power["address"], "power": power, "proposals": proposals,
                "block": self.chain.block_number, "timestamp": self.chain.latest_timestamp(),
                "threshold": format_amount(threshold), "threshold_wei": str(threshold),
                "can_propose": weighted.votes_now(self, power["address"]) >= threshold,
                "voting_delay": int(g.votingDelay().call()), "voting_period": int(g.votingPeriod().call()),
                "timelock_delay": int(self.chain.contracts.timelock.functions.getMinDelay().call()),
                "treasury": {"address": treasury, "btk": format_amount(held), "btk_wei": str(held)},
                "embedded": self.chain.embedded is not None}

    def state(self, proposal_id: int) -> str:
        return STATES[self.governor.functions.state(int(proposal_id)).call()]

    # ---- templates ---------------------------------------------------------------------

    def treasury_balance(self) -> int:
        """BTK (wei) the treasury (the timelock) holds: what grants can give."""
        return self.token.functions.balanceOf(self.chain.contracts.timelock.address).call()

    def template_limits(self) -> dict:
        """What the templates accept, for a form: the treasury's BTK, the marketplace fee's
        ceiling, the slash ceiling and the validators (id, name, slashed)."""
        held = self.treasury_balance()
        return {"treasury": format_amount(held), "treasury_wei": str(held),
                "max_fee_bps": int(self.chain.contracts.marketplace.functions.MAX_FEE_BPS().call()),
                "fee_bps": int(self.chain.contracts.marketplace.functions.feeBps().call()),
                "max_slash_bps": int(self.chain.contracts.staking.functions.MAX_SLASH_BPS().call()),
                "reward_rate": format_amount(self.chain.contracts.staking.functions.rewardRate().call()),
                "validators": [{"id": v["id"], "name": v["name"], "slashed": v["slashed"]}
                               for v in validators(self.chain)]}

    def contract_call(self, contract, fn: str, args: list) -> Call:
        calldata = bytes.fromhex(contract.encode_abi(fn, args)[2:])
        return Call(contract.address, 0, calldata, self.describe_call(contract.address, 0, calldata))

    def call_grant(self, to: str, amount: int) -> Call:
        """Checked now: a grant the treasury cannot pay would pass the vote and fail when
        executed."""
        to = self.w3.to_checksum_address(to)
        if int(amount) <= 0:
            raise ChainError("invalid-amount", "A grant must be more than 0 BTK.")
        held = self.treasury_balance()
        if int(amount) > held:
            raise ChainError("insufficient-treasury", f"The treasury holds {format_units(held, 'BTK')}: a grant "
                                                      f"of {format_units(int(amount), 'BTK')} could not be paid.")
        return self.contract_call(self.token, "transfer", [to, int(amount)])

    def call_market_fee(self, bps: int) -> Call:
        m = self.chain.contracts.marketplace
        ceiling = m.functions.MAX_FEE_BPS().call()
        if not 0 <= int(bps) <= ceiling:
            raise ChainError("invalid-argument", f"The marketplace fee must be between 0 and {percent(ceiling)}; "
                                                 f"{percent(bps)} is not.")
        return self.contract_call(m, "setFeeBps", [int(bps)])

    def call_reward_rate(self, per_block: int) -> Call:
        if int(per_block) < 0:
            raise ChainError("invalid-amount", "The reward rate cannot be negative.")
        return self.contract_call(self.chain.contracts.staking, "setRewardRate", [int(per_block)])

    def call_slash(self, validator_id: int, bps: int) -> Call:
        s = self.chain.contracts.staking
        _validator(self.chain, int(validator_id))  # unknown-validator, with the valid ids
        ceiling = s.functions.MAX_SLASH_BPS().call()
        if not 1 <= int(bps) <= ceiling:
            raise ChainError("invalid-argument", f"A slash must be between {percent(1)} and {percent(ceiling)} of the "
                                                 f"validator's stake; {percent(bps)} is not.")
        return self.contract_call(s, "slash", [int(validator_id), int(bps)])

    def call_raw(self, target: str, calldata: bytes, value: int = 0) -> Call:
        target = self.w3.to_checksum_address(target)
        return Call(target, int(value), bytes(calldata), self.describe_call(target, int(value), bytes(calldata)))

    def describe_call(self, target: str, value: int, calldata: bytes) -> str:
        """A proposal's call in words: the templates' calls as they read ("Grant 1,000 BTK
        from the treasury to 0x…"), another call of the suite by its function, anything
        else by its size."""
        calldata, value = bytes(calldata), int(value)
        sending = f", sending {format_units(value, 'ETH')}" if value else ""
        found = self.chain.contracts.by_address(target)
        if found is None or len(calldata) < 4:
            return f"Call {target} with {len(calldata)} bytes of calldata{sending}"
        key, contract = found
        try:
            fn, args = contract.decode_function_input(calldata)
        except (ValueError, KeyError, TypeError):
            return f"Call the {key} contract ({target}) with {len(calldata)} bytes of calldata{sending}"
        name = fn.fn_name
        if key == "token" and name == "transfer":
            text = f"Grant {format_units(args[_arg(args, 1)], 'BTK')} from the treasury to {args[_arg(args, 0)]}"
        elif key == "marketplace" and name == "setFeeBps":
            text = f"Set the marketplace fee to {percent(args[_arg(args, 0)])}"
        elif key == "staking" and name == "setRewardRate":
            text = f"Set the staking reward rate to {format_units(args[_arg(args, 0)], 'BTK')} per block"
        elif key == "staking" and name == "slash":
            vid = int(args[_arg(args, 0)])
            text = f"Slash validator {vid}{self._validator_name(vid)} by {percent(args[_arg(args, 1)])} of its stake"
        elif template := templates.for_call(weighted.template_key(key), name) or templates.for_call(key, name):
            text = templates.words(template, dict(args), self.chain)
        else:
            shown = ", ".join(f"{k}={_show_arg(v)}" for k, v in args.items())
            text = f"Call {name}({shown}) on the {key} contract"
        return text + sending

    def _validator_name(self, vid: int) -> str:
        try:
            _, _, name, *_ = self.chain.contracts.staking.functions.validatorAt(int(vid)).call()
        except Exception:  # noqa: BLE001 - an unknown validator: the id alone says it
            logger.debug("validator %s has no name on chain", vid, exc_info=True)
            return ""
        return f" ({name})" if name else ""

    # ---- writes ------------------------------------------------------------------------

    def propose_request(self, service, sender: str, calls: list[Call], description: str):
        if not calls:
            raise ChainError("invalid-argument", "A proposal needs at least one call.")
        if not description.strip():
            raise ChainError("invalid-argument", "A proposal needs a description.")
        calls = [part for c in calls for part in (c, *c.more)]
        g = self.governor.functions
        sender = self.w3.to_checksum_address(sender)
        threshold = g.proposalThreshold().call()
        if threshold:
            # The governor counts the proposer's votes at the block before the one the
            # proposal is mined in: this block's, i.e. the votes now (a delegation mined
            # in the latest block already counts).
            votes = weighted.votes_now(self, sender)
            if votes < threshold:
                raise ChainError("below-threshold", f"{sender} has {format_units(votes, 'BTK')} of voting power; "
                                                    f"proposing needs {format_units(threshold, 'BTK')}. Delegate "
                                                    "your BTK first (to yourself, to vote and propose yourself).")
        args = [[c.target for c in calls], [c.value for c in calls], [c.calldata for c in calls], description]
        summary = "; ".join(c.summary for c in calls)
        return service.contract_call("gov-propose", self.governor, "propose", args, sender,
                                     description=f"Propose: {summary}",
                                     params={"description": description, "calls": [c.summary for c in calls]})

    def _require_active(self, proposal_id: int) -> None:
        """A vote sent now is mined in the next block at the earliest: it counts there only
        within ``voting_window`` (the governor's snapshot < block <= deadline)."""
        state, p = self.state(proposal_id), self._find(proposal_id)
        block = self.chain.block_number
        if state in ("pending", "active") and p["snapshot"] < block + 1 <= p["deadline"]:
            return
        if state == "pending" or block + 1 <= p["snapshot"]:
            raise ChainError("voting-not-open", f"Voting on proposal {proposal_id} has not started: "
                                                f"{voting_window(p)} (the chain is at block {block:,}).")
        raise ChainError("voting-closed", f"Voting on proposal {proposal_id} is over (it is {state}; "
                                          f"{voting_window(p)}, the chain is at block {block:,}).")

    def _require_not_voted(self, proposal_id: int, voter: str) -> None:
        if self.governor.functions.hasVoted(int(proposal_id), self.w3.to_checksum_address(voter)).call():
            raise ChainError("already-voted", f"{voter} has already voted on proposal {proposal_id}; a vote "
                                              "cannot be changed or cast twice.")
        weighted.check_vote(self, proposal_id, voter)  # sent, signed or relayed: a quadratic one's members only

    def vote_request(self, service, sender: str, proposal_id: int, support, reason: str = ""):
        support = parse_support(support)
        self._require_active(proposal_id)
        self._require_not_voted(proposal_id, sender)
        name = SUPPORT_NAMES[support]
        if reason:
            return service.contract_call("gov-vote", self.governor, "castVoteWithReason",
                                         [int(proposal_id), support, reason], sender,
                                         description=f"Vote {name.upper()} on {self.label(proposal_id)}",
                                         params={"proposal_id": str(proposal_id), "support": name, "reason": reason})
        return service.contract_call("gov-vote", self.governor, "castVote", [int(proposal_id), support], sender,
                                     description=f"Vote {name.upper()} on {self.label(proposal_id)}",
                                     params={"proposal_id": str(proposal_id), "support": name})

    def _operation(self, proposal_id: int) -> list:
        p = self._find(proposal_id)
        # start-up: eth_utils ~100 ms (as above)
        from eth_utils import keccak

        return [p["targets"], p["values"], p["calldatas"], keccak(text=p["description"])]

    def queue_request(self, service, sender: str, proposal_id: int):
        state = self.state(proposal_id)
        if state != "succeeded":
            hint = {"active": "voting is still open", "pending": "voting has not started",
                    "queued": "it is already queued", "executed": "it was already executed",
                    "defeated": "it was defeated"}.get(state, f"it is {state}")
            raise ChainError("not-queueable", f"Proposal {proposal_id} cannot be queued: {hint} (only a "
                                              "succeeded proposal can).")
        return service.contract_call("gov-queue", self.governor, "queue", self._operation(proposal_id), sender,
                                     description=f"Queue {self.label(proposal_id)} in the timelock",
                                     params={"proposal_id": str(proposal_id)})

    def execute_request(self, service, sender: str, proposal_id: int):
        state = self.state(proposal_id)
        if state == "queued":
            eta = self.governor.functions.proposalEta(int(proposal_id)).call()
            now = next_block_time(self.chain)
            if now < eta:
                raise ChainError("too-early", f"Proposal {proposal_id} is queued but the timelock delay is not "
                                              f"over: it can be executed in {eta - now} s (at timestamp {eta}).",
                                 eta=eta)
        elif state == "executed":
            raise ChainError("already-executed", f"Proposal {proposal_id} was already executed.")
        else:
            raise ChainError("not-queued", f"Proposal {proposal_id} is {state}: only a queued proposal whose "
                                           "timelock delay is over can be executed (queue it first).")
        return with_gas_margin(self.chain, service.contract_call(
            "gov-execute", self.governor, "execute", self._operation(proposal_id), sender,
            description=f"Execute {self.label(proposal_id)}", params={"proposal_id": str(proposal_id)}))

    # ---- signed votes ------------------------------------------------------------------

    def domain(self) -> dict:
        return {"chain_id": self.chain.chain_id, "governor": self.governor.address,
                "name": self.governor.functions.name().call()}

    def vote_nonce(self, voter: str) -> int:
        return self.governor.functions.nonces(self.w3.to_checksum_address(voter)).call()

    def sign_vote_offline(self, key: bytes, proposal_id: int, support, reason: str = "") -> dict:
        """Sign ``key``'s vote on a proposal of this network without sending anything (the
        domain and the voter's nonce are read here): for someone else to relay. Refused
        when the vote could never count (voting over, already voted)."""
        # start-up: eth_account ~450 ms, only to sign a vote
        from eth_account import Account

        pid = int(proposal_id)
        self._find(pid)
        state = self.state(pid)
        if state not in ("pending", "active"):
            raise ChainError("voting-closed", f"Voting on {self.label(pid)} is over (it is {state}): a signed vote "
                                              "could not be counted any more.")
        voter = Account.from_key(key).address
        self._require_not_voted(pid, voter)
        domain = self.domain()
        return sign_vote(key, chain_id=domain["chain_id"], governor=domain["governor"], proposal_id=pid,
                         support=support, nonce=self.vote_nonce(voter), reason=reason, name=domain["name"])

    def check_signed_vote(self, vote: dict) -> dict:
        """Checks before relaying; returns the vote with its recovered voter."""
        if int(vote["chain_id"]) != self.chain.chain_id:
            raise ChainError("wrong-network", f"This vote was signed for chain {vote['chain_id']}, the vault is on "
                                              f"chain {self.chain.chain_id}.")
        if vote["governor"].lower() != self.governor.address.lower():
            raise ChainError("wrong-network", f"This vote was signed for the governor at {vote['governor']}, not "
                                              f"this network's ({self.governor.address}).")
        signer = recover_vote_signer(vote)
        if signer.lower() != vote["voter"].lower():
            raise ChainError("invalid-signature", f"The signature is not {vote['voter']}'s (it recovers to "
                                                  f"{signer}): the file was altered or signed for other data.")
        pid = int(vote["proposal_id"])
        self._find(pid)
        self._require_active(pid)
        self._require_not_voted(pid, vote["voter"])
        nonce = self.vote_nonce(vote["voter"])
        if int(vote["nonce"]) != nonce:
            raise ChainError("stale-signature", f"The vote was signed with nonce {vote['nonce']} but "
                                                f"{vote['voter']}'s next signature nonce is {nonce}: another "
                                                "signature of theirs was used since. Sign the vote again.")
        return vote

    def relay_request(self, service, sender: str, vote: dict):
        self.check_signed_vote(vote)
        pid, support = int(vote["proposal_id"]), int(vote["support"])
        sig = bytes.fromhex(vote["signature"].removeprefix("0x"))
        voter = self.w3.to_checksum_address(vote["voter"])
        what = f"Relay {voter}'s signed vote {SUPPORT_NAMES[support].upper()} on {self.label(pid)}"
        if vote.get("reason"):
            return service.contract_call("gov-relay", self.governor, "castVoteWithReasonAndParamsBySig",
                                         [pid, support, voter, vote["reason"], b"", sig], sender,
                                         description=what, params={"proposal_id": str(pid), "voter": voter})
        return service.contract_call("gov-relay", self.governor, "castVoteBySig", [pid, support, voter, sig],
                                     sender, description=what, params={"proposal_id": str(pid), "voter": voter})
