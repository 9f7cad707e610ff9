"""The DAO from the holder's side: voting power, delegation, proposals, votes.

    gov = Governance(chain)
    gov.power(address)                        # balance, votes now, delegate, warning
    gov.proposals(account)                    # every proposal (ProposalCreated events)
    req = gov.delegate_request(service, sender, to)            # then service.preview/send
    req = gov.propose_request(service, sender, calls, description)
    req = gov.vote_request(service, sender, proposal_id, "for", reason)
    vote = sign_vote(key, chain_id=..., governor=..., proposal_id=..., support=1, nonce=0)
    req = gov.relay_request(service, sender, vote)             # castVoteBySig

Proposals are found without an indexer: the governor's ProposalCreated events from the
deployment block of the manifest on. Every check that can name a cause better than the
revert does (voting twice, outside the period, queueing or executing too early) raises a
ChainError with its own reason before anything is signed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from ..errors import ChainError
from .contracts import BTK, ZERO_ADDRESS
from .revert import format_units

STATES = ("pending", "active", "canceled", "defeated", "succeeded", "queued", "expired", "executed")
SUPPORT = {"against": 0, "for": 1, "abstain": 2}
SUPPORT_NAMES = {v: k for k, v in SUPPORT.items()}
SECONDS_PER_BLOCK = 12  # the estimate of wall time per block (Ethereum's slot time)
GOVERNOR_NAME = "Blocktrack Governor"  # its EIP-712 domain name, for signing without a connection
VOTE_FILE_TYPE = "blocktrack-signed-vote"

TEMPLATES = ("grant", "market-fee", "reward-rate", "slash", "raw")
# A node estimates on the latest block's state; mined in a later block, a write that moves
# votes appends new ERC-5805 checkpoints (a fresh storage slot each for the two delegates)
# where the estimate only updated the latest block's: up to 2 x 22,100 gas more.
CHECKPOINT_GAS = 45_000


def with_gas_margin(chain, request, extra: int = CHECKPOINT_GAS):
    """Fix ``request``'s gas limit at the estimate plus ``extra`` (the estimate still
    raises ChainError with the decoded revert reason). Returns the request."""
    if request.gas is None:
        estimate = chain.estimate({"from": request.sender, "to": request.to, "data": request.data,
                                   "value": request.value})
        request.gas = estimate.gas_limit + extra
    return request


def to_decimal(wei: int) -> str:
    """18-decimal integer -> decimal string ("12.5")."""
    text = format(Decimal(int(wei)) / Decimal(BTK), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def parse_support(value) -> int:
    if isinstance(value, int) and value in SUPPORT_NAMES:
        return value
    key = str(value).strip().lower()
    if key not in SUPPORT:
        raise ChainError("invalid-argument", f"{value!r} is not a vote: use for, against or abstain.")
    return SUPPORT[key]


@dataclass(frozen=True)
class Call:
    """One call a proposal makes (through the timelock)."""

    target: str
    value: int
    calldata: bytes
    summary: str = ""


class Governance:
    def __init__(self, chain):
        self.chain = chain
        self.w3 = chain.w3
        self.token = chain.contracts.token
        self.governor = chain.contracts.governor

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
                                 "votes": to_decimal(power), "votes_wei": str(power)})
        return {"address": address, "block": block, "balance": to_decimal(balance), "balance_wei": str(balance),
                "votes": to_decimal(votes), "votes_wei": str(votes),
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

    def _created(self) -> list[dict]:
        start = self.chain.manifest.deployment_block if self.chain.manifest else 0
        logs = self.governor.events.ProposalCreated.get_logs(from_block=start, to_block="latest")
        out = []
        for log in logs:
            a = log["args"]
            out.append({"proposal_id": int(a["proposalId"]), "proposer": a["proposer"],
                        "targets": list(a["targets"]), "values": [int(v) for v in a["values"]],
                        "calldatas": [bytes(c) for c in a["calldatas"]], "description": a["description"],
                        "snapshot": int(a["voteStart"]), "deadline": int(a["voteEnd"]),
                        "created_block": int(log["blockNumber"])})
        return out

    def _find(self, proposal_id: int) -> dict:
        for p in self._created():
            if p["proposal_id"] == int(proposal_id):
                return p
        raise ChainError("unknown-proposal", f"There is no proposal {proposal_id} on this network.")

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
                "votes": {k: to_decimal(v) for k, v in counted.items()},
                "votes_wei": {k: str(v) for k, v in counted.items()},
                "quorum": to_decimal(quorum), "quorum_wei": str(quorum), "quorum_counts": mode["quorum_counts"],
                "quorum_progress": to_decimal(toward),
                "quorum_percent": round(100 * toward / quorum, 2) if quorum else 100.0,
                "quorum_reached": toward >= quorum,
                "eta": eta or None, "eta_in_seconds": max(0, eta - now) if eta else None,
                "calls": [{"target": t, "value": str(v), "calldata": "0x" + c.hex()}
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
            data["my_vote"] = {"account": account, "voted": voted,
                               "support": self._my_support(pid, account) if voted else None}
        return data

    def _my_support(self, pid: int, account: str) -> str | None:
        start = self.chain.manifest.deployment_block if self.chain.manifest else 0
        for log in self.governor.events.VoteCast.get_logs(from_block=start, to_block="latest",
                                                            argument_filters={"voter": account}):
            if int(log["args"]["proposalId"]) == pid:
                return SUPPORT_NAMES.get(int(log["args"]["support"]))
        return None

    def proposals(self, account: str | None = None) -> list[dict]:
        mode = self.counting_mode()
        block, now = self.chain.block_number, self.chain.latest_timestamp()
        return [self._describe(p, account, mode, block, now) for p in reversed(self._created())]

    def proposal(self, proposal_id: int, account: str | None = None) -> dict:
        p = self._find(proposal_id)
        return self._describe(p, account, self.counting_mode(), self.chain.block_number,
                              self.chain.latest_timestamp())

    def state(self, proposal_id: int) -> str:
        return STATES[self.governor.functions.state(int(proposal_id)).call()]

    # ---- templates ---------------------------------------------------------------------

    def call_grant(self, to: str, amount: int) -> Call:
        to = self.w3.to_checksum_address(to)
        data = self.token.encode_abi("transfer", [to, amount])
        return Call(self.token.address, 0, bytes.fromhex(data[2:]),
                    f"Grant {format_units(amount, 'BTK')} from the treasury to {to}")

    def call_market_fee(self, bps: int) -> Call:
        m = self.chain.contracts.marketplace
        return Call(m.address, 0, bytes.fromhex(m.encode_abi("setFeeBps", [int(bps)])[2:]),
                    f"Set the marketplace fee to {int(bps)} bps ({int(bps) / 100:g} %)")

    def call_reward_rate(self, per_block: int) -> Call:
        s = self.chain.contracts.staking
        return Call(s.address, 0, bytes.fromhex(s.encode_abi("setRewardRate", [per_block])[2:]),
                    f"Set the staking reward rate to {format_units(per_block, 'BTK')} per block")

    def call_slash(self, validator_id: int, bps: int) -> Call:
        s = self.chain.contracts.staking
        return Call(s.address, 0, bytes.fromhex(s.encode_abi("slash", [int(validator_id), int(bps)])[2:]),
                    f"Slash validator {int(validator_id)} by {int(bps)} bps")

    def call_raw(self, target: str, calldata: bytes, value: int = 0) -> Call:
        return Call(self.w3.to_checksum_address(target), int(value), bytes(calldata),
                    f"Call {target} with {len(calldata)} bytes of calldata" + (f", sending {value} wei" if value else ""))

    # ---- writes ------------------------------------------------------------------------

    def propose_request(self, service, sender: str, calls: list[Call], description: str):
        if not calls:
            raise ChainError("invalid-argument", "A proposal needs at least one call.")
        if not description.strip():
            raise ChainError("invalid-argument", "A proposal needs a description.")
        g = self.governor.functions
        sender = self.w3.to_checksum_address(sender)
        threshold = g.proposalThreshold().call()
        if threshold:
            votes = g.getVotes(sender, self.chain.block_number - 1).call()
            if votes < threshold:
                raise ChainError("below-threshold", f"{sender} has {format_units(votes, 'BTK')} of voting power at "
                                                    f"the last block; proposing needs "
                                                    f"{format_units(threshold, 'BTK')}. Delegate first (and wait "
                                                    "one block).")
        args = [[c.target for c in calls], [c.value for c in calls], [c.calldata for c in calls], description]
        summary = "; ".join(c.summary for c in calls)
        return service.contract_call("gov-propose", self.governor, "propose", args, sender,
                                     description=f"Propose: {summary}",
                                     params={"description": description, "calls": [c.summary for c in calls]})

    def _require_active(self, proposal_id: int) -> None:
        state = self.state(proposal_id)
        if state == "active":
            return
        p = self._find(proposal_id)
        if state == "pending":
            raise ChainError("voting-not-open", f"Voting on proposal {proposal_id} has not started: it opens "
                                                f"after block {p['snapshot']} (now {self.chain.block_number}).")
        raise ChainError("voting-closed", f"Voting on proposal {proposal_id} is over (it is {state}; voting "
                                          f"ended at block {p['deadline']}).")

    def _require_not_voted(self, proposal_id: int, voter: str) -> None:
        if self.governor.functions.hasVoted(int(proposal_id), self.w3.to_checksum_address(voter)).call():
            raise ChainError("already-voted", f"{voter} has already voted on proposal {proposal_id}; a vote "
                                              "cannot be changed or cast twice.")

    def vote_request(self, service, sender: str, proposal_id: int, support, reason: str = ""):
        support = parse_support(support)
        self._require_active(proposal_id)
        self._require_not_voted(proposal_id, sender)
        name = SUPPORT_NAMES[support]
        if reason:
            return service.contract_call("gov-vote", self.governor, "castVoteWithReason",
                                         [int(proposal_id), support, reason], sender,
                                         description=f"Vote {name.upper()} on proposal {proposal_id}",
                                         params={"proposal_id": str(proposal_id), "support": name, "reason": reason})
        return service.contract_call("gov-vote", self.governor, "castVote", [int(proposal_id), support], sender,
                                     description=f"Vote {name.upper()} on proposal {proposal_id}",
                                     params={"proposal_id": str(proposal_id), "support": name})

    def _operation(self, proposal_id: int) -> list:
        p = self._find(proposal_id)
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
                                     description=f"Queue proposal {proposal_id} in the timelock",
                                     params={"proposal_id": str(proposal_id)})

    def execute_request(self, service, sender: str, proposal_id: int):
        state = self.state(proposal_id)
        if state == "queued":
            eta = self.governor.functions.proposalEta(int(proposal_id)).call()
            now = self.chain.latest_timestamp()
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
            description=f"Execute proposal {proposal_id}", params={"proposal_id": str(proposal_id)}))

    # ---- signed votes ------------------------------------------------------------------

    def domain(self) -> dict:
        return {"chain_id": self.chain.chain_id, "governor": self.governor.address,
                "name": self.governor.functions.name().call()}

    def vote_nonce(self, voter: str) -> int:
        return self.governor.functions.nonces(self.w3.to_checksum_address(voter)).call()

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
        what = f"Relay {voter}'s signed vote {SUPPORT_NAMES[support].upper()} on proposal {pid}"
        if vote.get("reason"):
            return service.contract_call("gov-relay", self.governor, "castVoteWithReasonAndParamsBySig",
                                         [pid, support, voter, vote["reason"], b"", sig], sender,
                                         description=what, params={"proposal_id": str(pid), "voter": voter})
        return service.contract_call("gov-relay", self.governor, "castVoteBySig", [pid, support, voter, sig],
                                     sender, description=what, params={"proposal_id": str(pid), "voter": voter})


def _typed_data(chain_id: int, governor: str, name: str, proposal_id: int, support: int, voter: str,
                nonce: int, reason: str) -> dict:
    from eth_utils import to_checksum_address

    domain = {"name": name, "version": "1", "chainId": int(chain_id), "verifyingContract": to_checksum_address(governor)}
    if reason:
        types = {"ExtendedBallot": [{"name": "proposalId", "type": "uint256"}, {"name": "support", "type": "uint8"},
                                    {"name": "voter", "type": "address"}, {"name": "nonce", "type": "uint256"},
                                    {"name": "reason", "type": "string"}, {"name": "params", "type": "bytes"}]}
        message = {"proposalId": int(proposal_id), "support": int(support), "voter": to_checksum_address(voter),
                   "nonce": int(nonce), "reason": reason, "params": b""}
    else:
        types = {"Ballot": [{"name": "proposalId", "type": "uint256"}, {"name": "support", "type": "uint8"},
                            {"name": "voter", "type": "address"}, {"name": "nonce", "type": "uint256"}]}
        message = {"proposalId": int(proposal_id), "support": int(support), "voter": to_checksum_address(voter),
                   "nonce": int(nonce)}
    return {"domain": domain, "types": types, "message": message}


def sign_vote(key: bytes, *, chain_id: int, governor: str, proposal_id: int, support, nonce: int,
              reason: str = "", name: str = GOVERNOR_NAME) -> dict:
    """An EIP-712 Ballot (or ExtendedBallot with a reason) signed with ``key``, offline."""
    from eth_account import Account
    from eth_account.messages import encode_typed_data

    support = parse_support(support)
    voter = Account.from_key(key).address
    t = _typed_data(chain_id, governor, name, proposal_id, support, voter, nonce, reason)
    signable = encode_typed_data(domain_data=t["domain"], message_types=t["types"], message_data=t["message"])
    signed = Account.sign_message(signable, key)
    return {"type": VOTE_FILE_TYPE, "chain_id": int(chain_id), "governor": t["domain"]["verifyingContract"],
            "name": name, "proposal_id": str(int(proposal_id)), "support": support,
            "support_name": SUPPORT_NAMES[support], "voter": voter, "nonce": int(nonce), "reason": reason,
            "signature": "0x" + bytes(signed.signature).hex()}


def recover_vote_signer(vote: dict) -> str:
    from eth_account import Account
    from eth_account.messages import encode_typed_data

    t = _typed_data(vote["chain_id"], vote["governor"], vote.get("name", GOVERNOR_NAME), int(vote["proposal_id"]),
                    int(vote["support"]), vote["voter"], int(vote["nonce"]), vote.get("reason", ""))
    signable = encode_typed_data(domain_data=t["domain"], message_types=t["types"], message_data=t["message"])
    return Account.recover_message(signable, signature=bytes.fromhex(vote["signature"].removeprefix("0x")))


def vote_to_bytes(vote: dict) -> bytes:
    return json.dumps(vote, sort_keys=True, separators=(",", ":")).encode()


def load_vote(data: bytes | str) -> dict:
    """A signed vote from its JSON (file content, or a QR payload)."""
    try:
        vote = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise ChainError("invalid-vote", "This is not a signed vote file (not JSON).") from None
    needed = ("chain_id", "governor", "proposal_id", "support", "voter", "nonce", "signature")
    if not isinstance(vote, dict) or vote.get("type") != VOTE_FILE_TYPE or any(k not in vote for k in needed):
        raise ChainError("invalid-vote", "This is not a signed Blocktrack vote (fields missing).")
    return vote


def read_vote_source(path) -> dict:
    """A signed vote from a JSON file, or from a QR image / folder of QR parts."""
    from pathlib import Path

    p = Path(path)
    if not p.exists():
        raise ChainError("invalid-vote", f"{p} does not exist.")
    if p.is_file():
        raw = p.read_bytes()
        if raw.lstrip().startswith(b"{"):
            return load_vote(raw)
    from ..qr import scan
    from ..qr.errors import InvalidQr

    try:
        decoded = scan.read_presentation(str(p))
    except InvalidQr as exc:
        raise ChainError("invalid-vote", f"{p} holds no signed vote: {exc}") from exc
    if decoded.kind != "vote":
        raise ChainError("invalid-vote", f"{p} holds a {decoded.kind} code, not a signed vote.")
    return load_vote(decoded.payload)


def export_vote_qr(vote: dict, out) -> list:
    """Write the vote as QR code(s) (BTV1 kind "vote"); returns the files written."""
    from pathlib import Path

    from ..qr import parts
    from ..qr.output import write_codes

    return write_codes(parts.encode_parts(vote_to_bytes(vote), kind="vote"), Path(out))
