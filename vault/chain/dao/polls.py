"""Polls first, proposals second: a gas-free poll that anyone can tally, and a passed one
promoted to an on-chain proposal in one step.

    polls = Polls(chain)
    req = polls.create_request(service, sender, "Fund a hackathon?", ["Yes", "No"], closes_in=50,
                               calls=[gov.call_grant(...)])              # one transaction
    polls.list()                                                          # every poll, newest first
    ballot = polls.sign_ballot(key, poll_id, option=0)                    # offline, no fee
    result = polls.tally(poll_id, ballots)                                # anyone, same result
    req = polls.promote_request(service, sender, poll_id, ballots)        # a proposal citing it

Where a poll lives (docs/governance.md, "Polls"): its definition is a canonical JSON text
(RFC 8785) whose keccak-256 is the poll's id; PollRegistry stores the snapshot and closing
blocks and emits the text, so every node has it. Ballots never touch the chain: EIP-712
signatures (ballots.py) as files or QR codes. The tally is a pure function of the ballots
given and the chain's checkpoints: each voter's weight is the token's getPastVotes at the
snapshot (delegated votes, as the governor counts them) plus the voter's vote-escrow lock
power there (escrow.py), so anyone with the same ballots
gets the same result, also long after.

A quadratic poll (``"counting": "quadratic"`` in its definition, so its id covers the rule)
counts one member, one square root: a ballot weighs floor(√power) (power in wei, as above)
and counts only when its voter held a membership credential at the snapshot
(membership.py); others are listed "not counted: no membership credential". Splitting BTK
over addresses gains nothing: only a member's address counts, and √ of a part is less.
Its quorum is the power of the counted ballots against the governor's quorum (as for a
token poll: who took part); the majority is decided on the square roots.
"""

from __future__ import annotations

import json
import math

import rfc8785
from eth_utils import keccak

from ... import safejson
from ...errors import ChainError
from ..governance import Call, Governance
from ..units import format_amount, format_units
from .ballots import load_ballot, recover_ballot_signer, sign_ballot
from .escrow import Escrow
from .membership import Membership
from .power import mark_quadratic
from ..eventlog import read_events

POLL_TYPE = "blocktrack-poll"
POLL_LINK = "Poll: "            # the line of a proposal's description that names its poll
MAX_OPTIONS = 10
MAX_QUESTION = 200
MAX_DETAILS = 4_000
TOKEN, QUADRATIC = "token", "quadratic"   # a definition's "counting" (absent: token)
COUNTING_LINE = "Counting: "             # the promoted proposal's line that carries it
ROOT = 10**9                             # √(wei) shown in √BTK: √(x·10¹⁸) = √x·10⁹


def format_weight(weight: int, counting: str) -> str:
    """A tally's weight in words' units: BTK votes, or √BTK for a quadratic poll."""
    return format_amount(weight * ROOT) if counting == QUADRATIC else format_amount(weight)


def weight_units(weight: int, counting: str) -> str:
    if counting == QUADRATIC:
        return f"{format_units(weight * ROOT, '').strip()} √votes"
    return format_units(weight, "votes")


def poll_definition(*, chain_id: int, registry: str, question: str, options: list[str], snapshot_block: int,
                    closes_block: int, calls: list | None = None, details: str = "", counting: str = TOKEN) -> str:
    """The canonical text of a poll (RFC 8785: one byte sequence for one poll)."""
    question = question.strip()
    options = [o.strip() for o in options]
    if not question or len(question) > MAX_QUESTION:
        raise ChainError("invalid-argument", f"A poll needs a question of 1 to {MAX_QUESTION} characters.")
    if not 2 <= len(options) <= MAX_OPTIONS or not all(options) or len(set(options)) != len(options):
        raise ChainError("invalid-argument", f"A poll needs 2 to {MAX_OPTIONS} different, non-empty options.")
    if len(details) > MAX_DETAILS:
        raise ChainError("invalid-argument", f"A poll's details are at most {MAX_DETAILS:,} characters.")
    if counting not in (TOKEN, QUADRATIC):
        raise ChainError("invalid-argument", f"A poll counts by {TOKEN} or {QUADRATIC}, not {counting!r}.")
    # A token poll's text has no "counting" key: the ids of polls made before it stay valid.
    extra = {"counting": QUADRATIC} if counting == QUADRATIC else {}
    return rfc8785.dumps(extra | {
        "type": POLL_TYPE, "version": 1, "chain_id": int(chain_id), "registry": registry,
        "question": question, "options": options, "details": details.strip(),
        "snapshot_block": int(snapshot_block), "closes_block": int(closes_block),
        "calls": [{"target": c.target, "value": str(c.value), "calldata": "0x" + c.calldata.hex(),
                   "summary": c.summary} for c in (calls or [])]}).decode()


def poll_id_of(definition: str) -> str:
    return "0x" + keccak(definition.encode("utf-8")).hex()


def _parse(definition: str) -> dict | None:
    """A registered definition as data, or None when it is not one of ours (anyone can
    register any text: such polls are listed as unreadable, never tallied)."""
    try:
        data = safejson.loads(definition)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("type") != POLL_TYPE or not isinstance(data.get("options"), list):
        return None
    return data


class Polls:
    def __init__(self, chain):
        self.chain = chain
        self.w3 = chain.w3
        self.registry = chain.contracts.extension("polls")
        self.token = chain.contracts.token
        self.governor = chain.contracts.governor

    # ---- creating ----------------------------------------------------------------------

    def create_request(self, service, sender: str, question: str, options: list[str], *, closes_in: int,
                       calls: list | None = None, details: str = "", quadratic: bool = False):
        """Register a poll whose snapshot is the latest block (mined: balances there are
        final) and that closes ``closes_in`` blocks from now; ``quadratic``: counted one
        member, one square root."""
        sender = self.w3.to_checksum_address(sender)
        if int(closes_in) < 1:
            raise ChainError("invalid-argument", "A poll must stay open for at least 1 block.")
        snapshot = self.chain.block_number
        closes = snapshot + 1 + int(closes_in)
        definition = poll_definition(chain_id=self.chain.chain_id, registry=self.registry.address,
                                     question=question, options=options, snapshot_block=snapshot,
                                     closes_block=closes, calls=calls, details=details,
                                     counting=QUADRATIC if quadratic else TOKEN)
        threshold = self.registry.functions.creationThreshold().call()
        # The votes at the latest block are the votes now (getPastVotes of the latest block
        # reverts on a node that runs calls in that block's context).
        votes = self.token.functions.getVotes(sender).call()
        if votes < threshold:
            raise ChainError("below-threshold", f"{sender} had {format_units(votes, 'BTK')} of voting power at "
                                                f"block {snapshot:,}; creating a poll needs "
                                                f"{format_units(threshold, 'BTK')}. Delegate your BTK first (to "
                                                "yourself), then create the poll a block later.")
        return service.contract_call("gov-poll-create", self.registry, "create", [definition, snapshot, closes], sender,
                                     description=f"Create the poll “{question.strip()}”",
                                     params={"poll_id": poll_id_of(definition), "question": question.strip(),
                                             "counting": QUADRATIC if quadratic else TOKEN})

    # ---- reading -----------------------------------------------------------------------

    def _registered(self) -> list[dict]:
        out = []
        for e in read_events(self.chain, self.registry, ("PollCreated",)):
            a = e["args"]
            data = _parse(a["definition"])
            out.append({"poll_id": "0x" + bytes(a["id"]).hex(), "creator": a["creator"],
                        "snapshot_block": int(a["snapshotBlock"]), "closes_block": int(a["closesBlock"]),
                        "created_block": int(e["blockNumber"]), "definition": a["definition"], "data": data})
        return out

    def _promoted(self) -> dict[str, str]:
        """poll id -> the proposal that cites it (its description's "Poll: 0x…" line)."""
        found = {}
        for p in Governance(self.chain)._created():
            for line in p["description"].splitlines():
                if line.startswith(POLL_LINK):
                    found.setdefault(line[len(POLL_LINK):].strip().lower(), str(p["proposal_id"]))
        return found

    def _describe(self, r: dict, promoted: dict, block: int) -> dict:
        d = r["data"] or {}
        readable = r["data"] is not None and d.get("snapshot_block") == r["snapshot_block"] \
            and d.get("closes_block") == r["closes_block"] and d.get("chain_id") == self.chain.chain_id \
            and str(d.get("registry", "")).lower() == self.registry.address.lower() \
            and d.get("counting", TOKEN) in (TOKEN, QUADRATIC)   # a rule we do not know is never guessed
        try:
            calls = self._calls(d.get("calls", [])) if readable else []
        except ChainError:   # a hand-made definition with broken calls: listed, never tallied
            readable, calls = False, []
        return {"poll_id": r["poll_id"], "creator": r["creator"], "readable": readable,
                "question": d.get("question", "(not a Blocktrack poll)") if readable else "(not a Blocktrack poll)",
                "options": d.get("options", []) if readable else [], "details": d.get("details", ""),
                "counting": d.get("counting", TOKEN) if readable else None,
                "snapshot_block": r["snapshot_block"], "closes_block": r["closes_block"],
                "open": block < r["closes_block"], "blocks_left": max(0, r["closes_block"] - block),
                "calls": calls,
                "proposal_id": promoted.get(r["poll_id"]),
                "definition": r["definition"]}

    def _calls(self, calls) -> list[dict]:
        """A definition's calls, each described from its calldata by the app (the summary
        its creator wrote is not trusted: anyone can register any text)."""
        gov, out = Governance(self.chain), []
        for c in calls if isinstance(calls, list) else []:
            try:
                target, value = self.w3.to_checksum_address(c["target"]), int(c["value"])
                data = bytes.fromhex(str(c["calldata"]).removeprefix("0x"))
            except (KeyError, TypeError, ValueError):
                raise ChainError("unknown-poll", "This poll's calls are malformed: it cannot be promoted.") from None
            out.append({"target": target, "value": str(value), "calldata": "0x" + data.hex(),
                        "summary": gov.describe_call(target, value, data)})
        return out

    def list(self) -> list[dict]:
        """Every registered poll, newest first."""
        promoted, block = self._promoted(), self.chain.block_number
        return [self._describe(r, promoted, block) for r in reversed(self._registered())]

    def get(self, text: str) -> dict:
        """The poll ``text`` names: its whole id or a start of it (at least 6 hex digits)."""
        key = str(text).strip().lower().rstrip("…")
        key = key if key.startswith("0x") else "0x" + key
        if len(key) < 8:
            raise ChainError("invalid-argument", f"{text!r} is too short to name a poll: give at least 6 hex digits "
                                                 "of its id (`vault gov poll list`).")
        matches = [p for p in self.list() if p["poll_id"].startswith(key)]
        if not matches:
            raise ChainError("unknown-poll", f"No poll {text} on this network; `vault gov poll list` lists them.")
        if len(matches) > 1:
            raise ChainError("ambiguous-poll", f"{text} starts the ids of {len(matches)} polls: "
                                               + ", ".join(m["poll_id"][:14] + "…" for m in matches))
        return matches[0]

    # ---- ballots -----------------------------------------------------------------------

    def sign_ballot(self, key: bytes, poll_id: str, option, revision: int = 0) -> dict:
        """Sign a ballot (nothing is sent). ``option`` is an index or an option's text."""
        poll = self.get(poll_id)
        if not poll["readable"]:
            raise ChainError("unknown-poll", f"Poll {poll['poll_id']} is not a Blocktrack poll: it cannot be voted on.")
        if not poll["open"]:
            raise ChainError("poll-closed", f"The poll “{poll['question']}” closed at block "
                                            f"{poll['closes_block']:,}: a ballot would not be counted.")
        index = self.option_index(poll, option)
        return sign_ballot(key, chain_id=self.chain.chain_id, registry=self.registry.address,
                           poll_id=poll["poll_id"], option=index, revision=int(revision))

    @staticmethod
    def option_index(poll: dict, option) -> int:
        options = poll["options"]
        if isinstance(option, int) or str(option).isdigit():
            index = int(option)
        else:
            wanted = str(option).strip().lower()
            index = next((i for i, o in enumerate(options) if o.lower() == wanted), -1)
        if not 0 <= index < len(options):
            raise ChainError("invalid-argument", f"{option!r} is not an option of this poll: "
                                                 + ", ".join(f"{i} = {o}" for i, o in enumerate(options)))
        return index

    def tally(self, poll_id: str, ballots: list[dict]) -> dict:
        """Count ``ballots`` (dicts as load_ballot returns, or raw JSON) at the poll's
        snapshot. Deterministic: the same ballots give the same result in any order.
        Rules: a ballot must be for this poll, chain and registry and signed by its voter;
        a voter's highest revision counts; two different ballots of one voter with the
        same revision cancel that voter (the equivocation is shown); weight is the voter's
        delegated votes plus their vote-escrow lock power, both at the snapshot (quadratic:
        floor(√ of that), members only). Passed: the first option has more than half of
        the weight counted and the power counted reaches the governor's quorum there."""
        poll = self.get(poll_id)
        if not poll["readable"]:
            raise ChainError("unknown-poll", f"Poll {poll['poll_id']} is not a Blocktrack poll: it cannot be tallied.")
        rejected, latest = [], {}
        for raw in ballots:
            try:   # checked again whatever its source: a dict may come from anywhere
                b = load_ballot(raw if isinstance(raw, (bytes, str)) else json.dumps(raw))
            except ChainError as exc:
                rejected.append({"voter": None, "reason": str(exc)})
                continue
            why = self._refusal(b, poll)
            if why:
                rejected.append({"voter": b["voter"], "reason": why})
                continue
            voter = b["voter"].lower()
            seen = latest.get(voter)
            if seen is None or b["revision"] > seen["revision"]:
                latest[voter] = dict(b, conflict=False)
            elif b["revision"] == seen["revision"] and b["option"] != seen["option"]:
                seen["conflict"] = True
        weights = [0] * len(poll["options"])
        counted = []
        escrow = self._escrow()
        snapshot = poll["snapshot_block"]
        quadratic = poll["counting"] == QUADRATIC
        membership = Membership(self.chain) if quadratic and latest else None
        members = membership.at(snapshot) if membership else {}
        power_total = 0
        for voter in sorted(latest):
            b = latest[voter]
            if b["conflict"]:
                rejected.append({"voter": b["voter"], "reason": f"two different ballots with revision {b['revision']}: "
                                                                "neither counts"})
                continue
            address = self.w3.to_checksum_address(voter)
            why = membership.why_not(address, snapshot, members) if quadratic else None
            if why:
                rejected.append({"voter": address, "reason": why})
                continue
            delegated = self.token.functions.getPastVotes(address, snapshot).call()
            locked = escrow.power_at(address, snapshot) if escrow else 0
            power = delegated + locked
            weight = math.isqrt(power) if quadratic else power
            power_total += power
            weights[b["option"]] += weight
            row = {"voter": address, "option": b["option"],
                   "option_name": poll["options"][b["option"]], "revision": b["revision"],
                   "weight": format_weight(weight, poll["counting"]), "weight_wei": str(weight),
                   "delegated_wei": str(delegated), "lock_power_wei": str(locked)}
            if quadratic:
                row |= {"power_wei": str(power), "membership_token": members[voter]}
            counted.append(row)
        total = sum(weights)
        quorum = self.governor.functions.quorum(snapshot).call()
        passed = power_total >= quorum and total > 0 and weights[0] * 2 > total
        result = {"poll_id": poll["poll_id"], "question": poll["question"], "snapshot_block": snapshot,
                  "counting": poll["counting"],
                  "open": poll["open"], "options": [{"option": i, "name": n,
                                                     "weight": format_weight(w, poll["counting"]),
                                                     "weight_wei": str(w)} for i, (n, w) in
                                                    enumerate(zip(poll["options"], weights))],
                  "total_wei": str(total), "power_wei": str(power_total), "quorum_wei": str(quorum),
                  "quorum": format_amount(quorum),
                  "quorum_reached": power_total >= quorum, "passed": passed, "counted": counted,
                  "rejected": sorted(rejected, key=lambda r: (r["voter"] or "", r["reason"]))}
        # A token poll's hash leaves out the keys quadratic counting added: it is the hash
        # earlier versions of the app computed for the same ballots.
        skip = {"open"} if quadratic else {"open", "counting", "power_wei"}
        result["tally_hash"] = "0x" + keccak(rfc8785.dumps({k: v for k, v in result.items() if k not in skip})).hex()
        return result

    def _escrow(self):
        """The vote-escrow, whose lock power polls count too; None on a network without it."""
        try:
            return Escrow(self.chain)
        except ChainError as exc:
            if exc.reason != "not-deployed":
                raise
            return None

    def _refusal(self, b: dict, poll: dict) -> str | None:
        if b["chain_id"] != self.chain.chain_id or b["registry"].lower() != self.registry.address.lower():
            return "signed for another network's polls"
        if b["poll_id"] != poll["poll_id"]:
            return "a ballot for another poll"
        if b["option"] >= len(poll["options"]):
            return f"option {b['option']} does not exist"
        if recover_ballot_signer(b).lower() != b["voter"].lower():
            return "the signature is not the voter's (the ballot was altered or forged)"
        return None

    # ---- promoting ---------------------------------------------------------------------

    def promote_request(self, service, sender: str, poll_id: str, ballots: list[dict], quadratic: bool = False):
        """The proposal a passed, closed poll asked for: its calls exactly as voters saw
        them, its question as title, the tally and a ``Poll: 0x…`` line linking the two;
        ``quadratic``: counted one member one square root (dao/power.py)."""
        poll = self.get(poll_id)
        if poll["proposal_id"]:
            raise ChainError("already-promoted", f"The poll “{poll['question']}” is already proposal "
                                                 f"{poll['proposal_id'][:12]}….")
        if poll["open"]:
            raise ChainError("poll-open", f"The poll “{poll['question']}” is open until block "
                                          f"{poll['closes_block']:,} ({poll['blocks_left']} blocks left): promote "
                                          "it once it closes.")
        if not poll["calls"]:
            raise ChainError("nothing-to-propose", f"The poll “{poll['question']}” asks no on-chain action: there "
                                                   "is nothing to propose.")
        result = self.tally(poll["poll_id"], ballots)
        if not result["passed"]:
            why = "the quorum was not reached" if not result["quorum_reached"] else \
                f"“{poll['options'][0]}” did not win a majority"
            raise ChainError("poll-not-passed", f"The poll “{poll['question']}” did not pass: {why} "
                                                f"({format_units(int(result['power_wei']), 'votes')} counted, "
                                                f"quorum {format_units(int(result['quorum_wei']), 'votes')}).")
        gov = Governance(self.chain)
        calls = []
        for c in poll["calls"]:
            target, value, data = self.w3.to_checksum_address(c["target"]), int(c["value"]), bytes.fromhex(c["calldata"][2:])
            calls.append(Call(target, value, data, gov.describe_call(target, value, data)))
        won = result["options"][0]
        parts = [poll["question"]] + ([poll["details"]] if poll["details"] else [])
        counting = poll["counting"]
        link = f"{POLL_LINK}{poll['poll_id']}"
        if counting == QUADRATIC:   # the linked record says how the poll was counted
            link = f"{COUNTING_LINE}{QUADRATIC} (one member, one square root)\n{link}"
        parts.append(f"Promoted from a poll: “{won['name']}” won with "
                     f"{weight_units(int(won['weight_wei']), counting)} of "
                     f"{weight_units(int(result['total_wei']), counting)} ({len(result['counted'])} ballots, "
                     f"tally {result['tally_hash'][:18]}…).\n{link}")
        description = "\n\n".join(parts)
        return gov.propose_request(service, sender, calls, mark_quadratic(description) if quadratic else description)
