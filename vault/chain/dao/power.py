"""Where voting power comes from on the weighted governor (BlocktrackWeightedGovernor.sol,
docs/governance.md "Power sources"), and which governor the app writes to.

    active_governor(chain)           # the governor holding the timelock's proposer role
    breakdown(gov, address)          # token / locked / credential bonus / total, membership
    mark_quadratic(description)      # the description of a quadratic proposal
    annotate(gov, proposal_dict)     # counting mode, √ weights, quorum from raw power

Power at a proposal = BTK delegated at its snapshot + vote-escrow lock power at the
snapshot + the governance-set bonus of each credential type the voter holds (a credential
counts when issued strictly before the proposal was created, not revoked, from an issuer
still accredited, its type declared on the rewards pool). A quadratic proposal counts
√power per member (a valid BlocktrackMembership credential); its quorum counts the power.
"""

from __future__ import annotations

from math import isqrt

from eth_utils import keccak

from ...errors import ChainError
from ..contracts import ZERO_ADDRESS
from ..units import format_amount, format_units

KEY = "weighted-governor"
MARKER = "#counting=quadratic"
MEMBERSHIP_TYPE = "BlocktrackMembership"
MEMBERSHIP = keccak(text=MEMBERSHIP_TYPE)
ROOT_UNIT = 10**9  # √(1 BTK in wei): counted weights of quadratic proposals are in √BTK
QUADRATIC_WORDS = ("This proposal counts one person one square root: each member's vote weighs √(their power), "
                   "and only holders of a valid membership credential (BlocktrackMembership, from an accredited "
                   "issuer, issued before the proposal was created, not revoked) may vote. Splitting BTK across "
                   "addresses gains nothing. The quorum still counts the power that took part.")


def weighted_address(chain) -> str | None:
    """The weighted governor's address on this network, or None (an older deployment
    not yet upgraded)."""
    return (chain.manifest.contracts.get(KEY) if chain.manifest else None) or None


def is_weighted(chain, governor) -> bool:
    found = weighted_address(chain)
    return bool(found) and found.lower() == governor.address.lower()


def active_governor(chain):
    """The governor proposals go to: the weighted one once it holds the timelock's
    proposer role (a fresh deployment's governor, or adopted by the "Adopt the weighted
    governor" proposal), else the manifest's governor."""
    core = chain.contracts.governor
    found = weighted_address(chain)
    if not found or found.lower() == core.address.lower():
        return core
    timelock = chain.contracts.timelock.functions
    if not timelock.hasRole(timelock.PROPOSER_ROLE().call(), found).call():
        return core
    return chain.contracts.extension(KEY)


def template_key(key: str) -> str:
    """The manifest key a governor call's template is registered under: a fresh
    deployment's "governor" is the weighted one, whose templates name its own key."""
    return KEY if key == "governor" else key


def previous_governor(chain, active):
    """The manifest's governor when proposals now go to another one (after adoption)."""
    core = chain.contracts.governor
    return None if core.address.lower() == active.address.lower() else core


def mark_quadratic(description: str) -> str:
    """The description of a quadratic proposal: the governor reads the mode from its end
    (so it is part of the proposal id and nobody can front-run it into the other mode)."""
    text = description.rstrip()
    return text if text.endswith(MARKER) else f"{text}\n\n{MARKER}"


def format_root(weight: int) -> str:
    """A quadratic proposal's counted weight (√ of BTK wei) in √BTK: '2236.067977499'."""
    whole, frac = divmod(int(weight), ROOT_UNIT)
    return f"{whole}.{frac:09d}".rstrip("0").rstrip(".") if frac else str(whole)


def _membership_reason(gov, address: str, member: bool) -> str:
    if member:
        return "You hold a valid membership credential: your vote counts in quadratic proposals."
    try:
        types = gov.chain.contracts.extension("rewards")
    except ChainError:   # no rewards pool on this network: nobody can have a declared type
        types = None
    sbt = gov.chain.contracts.soulbound.functions
    held = sbt.tokensOf(address).call() if types is not None else []
    scanned = len(held) - gov.governor.functions.MAX_CREDENTIALS_SCANNED().call()
    found = []
    for index, token_id in enumerate(held):
        if bytes(types.functions.credentialTypeOf(token_id).call()) == MEMBERSHIP:
            found.append((index, sbt.credential(token_id).call()[1]))
    ask = "ask an accredited issuer for a BlocktrackMembership credential"
    if not found:
        return f"You hold no membership credential, so you cannot vote in quadratic proposals: {ask}."
    if all(c[3] for _, c in found):
        return f"Your membership credential was revoked, so you cannot vote in quadratic proposals: {ask}."
    if all(index < scanned for index, c in found if not c[3]):
        return ("Your membership credential is older than the newest credentials the governor reads (it reads "
                "a bounded number, so that a vote's fee stays bounded): ask its issuer for a new one.")
    return ("Your membership credential's issuer is no longer accredited, so you cannot vote in quadratic "
            f"proposals: {ask}.")


def breakdown(gov, address: str) -> dict:
    """Where ``address``'s power comes from now (as it would count on a proposal made
    now): delegated BTK, locked BTK's decaying power, credential bonuses, the total, and
    whether (and why not) it can vote in quadratic proposals."""
    chain = gov.chain
    address = chain.w3.to_checksum_address(address)
    token_votes = gov.token.functions.getVotes(address).call()
    weighted = is_weighted(chain, gov.governor)
    locked = bonus = 0
    member = False
    bonuses = []
    if weighted:
        g = gov.governor.functions
        escrow = g.escrow().call()
        if escrow != ZERO_ADDRESS:
            locked = chain.contracts.extension("escrow").functions.getVotes(address).call()
        block = chain.block_number
        # as on a proposal created in the next block: credentials issued until now count
        part = g.powerAt(address, max(block - 1, 0), chain.latest_timestamp() + 1).call()
        bonus, member = int(part[2]), bool(part[4])
        for kind in g.bonusTypes().call():
            bonuses.append({"type": "0x" + bytes(kind).hex(),
                            "name": MEMBERSHIP_TYPE if bytes(kind) == MEMBERSHIP else None,
                            "bonus": format_amount(g.credentialBonus(kind).call())})
    total = token_votes + locked + bonus
    reason = (_membership_reason(gov, address, member) if weighted else
              "This network's governor counts delegated BTK only: quadratic proposals need the weighted "
              "governor (the \"Adopt the weighted governor\" proposal).")
    return {"address": address, "weighted": weighted, "governor": gov.governor.address,
            "token_votes": format_amount(token_votes), "token_votes_wei": str(token_votes),
            "lock_power": format_amount(locked), "lock_power_wei": str(locked),
            "credential_bonus": format_amount(bonus), "credential_bonus_wei": str(bonus),
            "total": format_amount(total), "total_wei": str(total),
            "bonus_types": bonuses, "member": member, "quadratic_vote": member, "quadratic_reason": reason,
            "words": (f"{format_units(token_votes, 'BTK')} delegated + {format_units(locked, 'BTK')} of lock power "
                      f"+ {format_units(bonus, 'BTK')} credential bonus = {format_units(total, 'votes')}")}


def annotate(gov, data: dict) -> dict:
    """Add a described proposal's counting mode; on a quadratic one, show the counted
    votes in √BTK and the quorum progress from the power that took part."""
    quadratic = False
    if is_weighted(gov.chain, gov.governor):
        quadratic, remote, _ = gov.governor.functions.proposalCounting(int(data["proposal_id"])).call()
        data["remote_votes_source"] = None if remote == ZERO_ADDRESS else remote
    data["quadratic"] = bool(quadratic)
    data["counting"] = QUADRATIC_WORDS if quadratic else "One BTK of power, one vote."
    if not quadratic:
        return data
    counted = {k: int(v) for k, v in data["votes_wei"].items()}
    data["votes"] = {k: format_root(v) for k, v in counted.items()}
    against, for_, abstain = gov.governor.functions.proposalRawVotes(int(data["proposal_id"])).call()
    raw = {"for": for_, "against": against, "abstain": abstain}
    data["raw_votes"] = {k: format_amount(v) for k, v in raw.items()}
    toward = sum(raw[k] for k in data["quorum_counts"] if k in raw)
    quorum = int(data["quorum_wei"])
    data.update(quorum_progress=format_amount(toward), quorum_progress_wei=str(toward),
                quorum_percent=round(100 * toward / quorum, 2) if quorum else 100.0, quorum_reached=toward >= quorum)
    mine = data.get("my_vote")
    if mine and mine.get("weight_wei") is not None:
        mine["weight"] = format_root(int(mine["weight_wei"])) + " √BTK"
    return data


def previous_proposals(gov, account: str | None) -> list[dict]:
    """The proposals of the governor used before the weighted one was adopted (read-only:
    it no longer holds the proposer role, so they can no longer be queued)."""
    old = previous_governor(gov.chain, gov.governor)
    if old is None:
        return []
    found = type(gov)(gov.chain, governor=old).proposals(account)
    for p in found:
        p["governor"] = "previous"
    return found


def vote_weight(gov, proposal_id: int, voter: str) -> dict:
    """What ``voter``'s vote on a proposal would count: its power at the snapshot and, on
    a quadratic proposal, √power (and whether it may vote at all)."""
    pid = int(proposal_id)
    voter = gov.chain.w3.to_checksum_address(voter)
    if not is_weighted(gov.chain, gov.governor):
        return {"quadratic": False, "member": False, "power_wei": None, "counted": None}
    g = gov.governor.functions
    quadratic = bool(g.proposalCounting(pid).call()[0])
    if g.proposalSnapshot(pid).call() >= gov.chain.block_number:  # not mined yet: as now
        b = breakdown(gov, voter)
        power, member = int(b["total_wei"]), b["member"]
    else:
        part = g.proposalPower(pid, voter).call()
        power, member = int(part[3]), bool(part[4])
    counted = isqrt(power) if quadratic else power
    return {"quadratic": quadratic, "member": member, "power_wei": str(power),
            "counted": (format_root(counted) + " √BTK") if quadratic else format_units(counted, "votes")}


def check_vote(gov, proposal_id: int, voter: str) -> None:
    """Refuse, before anything is signed, a vote the governor would refuse: a
    non-member's vote on a quadratic proposal."""
    w = vote_weight(gov, proposal_id, voter)
    if w["quadratic"] and not w["member"]:
        raise ChainError("needs-membership", "This proposal counts one person one square root; you need a "
                                             f"membership credential. {_membership_reason(gov, voter, False)}")


def votes_now(gov, address: str) -> int:
    """The votes the proposal threshold counts now: delegated BTK, plus the lock's power
    on the weighted governor."""
    votes = gov.token.functions.getVotes(address).call()
    if is_weighted(gov.chain, gov.governor) and gov.governor.functions.escrow().call() != ZERO_ADDRESS:
        votes += gov.chain.contracts.extension("escrow").functions.getVotes(address).call()
    return votes
