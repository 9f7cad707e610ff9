"""Learn-to-earn (the RewardsPool extension, docs/reputation.md): reward schedules, what a
holder's anchored credentials can claim, claimed history, contribution bounties, and the
writes (claim, claim a bounty, an issuer's type declaration) as TxRequests for TxService.

    schedules(chain)                 every schedule: issuer, type, amount, budget left, end
    standing(chain, holder)          each of the holder's credentials: claimable, claimed, why not
    reward_of(chain, credential_hash) the one credential's entry (the detail page's "earns 50 BTK")
    history(chain, holder)           RewardClaimed / BountyClaimed events of the holder
    claim_request(service, holder, token_id)   checks first, names the cause:

  unknown-token        no such credential token
  not-holder           the token is anchored to another account
  revoked              the credential was revoked: its reward can no longer be claimed
  already-claimed      this credential's reward was claimed (once per credential)
  no-reward            no open schedule pays for this issuer and credential type
  budget-exhausted     the matching schedule's budget is spent
  bounty-not-open      the bounty was claimed or cancelled, or is someone else's

A credential's type is keccak256 of its type name (``type_hash``), declared on the pool
by its issuer (SoulboundCredential stores no type): ``declare_type_request``.
"""

from __future__ import annotations

from eth_utils import keccak

from ..errors import ChainError
from . import eventlog, soulbound
from .transactions import with_gas_margin
from .units import format_amount, format_units

KEY = "rewards"  # the extension's manifest key
ZERO32 = b"\0" * 32


def pool(chain):
    """The RewardsPool handle (ChainError "not-deployed" when the network lacks it)."""
    return chain.contracts.extension(KEY)


def type_hash(type_name: str) -> bytes:
    """The on-chain type of a credential: keccak256 of its type name
    ("CourseCompletionCredential"), as issuers declare it and schedules name it."""
    name = (type_name or "").strip()
    if not name:
        raise ChainError("invalid-argument", "A credential type name is needed (e.g. CourseCompletionCredential).")
    return keccak(text=name)


def credential_type_name(credential: dict) -> str | None:
    """The most specific type of a W3C credential (its last type other than
    VerifiableCredential), the name rewards are scheduled for; None when it has none."""
    types = credential.get("type") if isinstance(credential, dict) else None
    types = [types] if isinstance(types, str) else list(types or [])
    specific = [t for t in types if isinstance(t, str) and t != "VerifiableCredential"]
    return specific[-1] if specific else None


# ---- reading ----------------------------------------------------------------------------

def schedules(chain, *, known_types: list[str] = ()) -> list[dict]:
    """Every schedule: {id, issuer, credential_type (0x…), type_name (when one of
    ``known_types`` hashes to it, else None), amount, budget_left, end_block, closed,
    claims, title, open}; amounts as whole-BTK decimal strings, ``*_wei`` exact."""
    p = pool(chain)
    names = {type_hash(t): t for t in known_types if t}
    block = chain.block_number
    out = []
    for sid in range(p.functions.scheduleCount().call()):
        issuer, ctype, amount, left, end, closed, claims, title = p.functions.schedule(sid).call()
        ctype = bytes(ctype)
        out.append({"id": sid, "issuer": issuer, "credential_type": "0x" + ctype.hex(),
                    "type_name": names.get(ctype), "amount": format_amount(amount), "amount_wei": str(amount),
                    "budget_left": format_amount(left), "budget_left_wei": str(left), "end_block": end,
                    "closed": bool(closed), "claims": claims, "title": title,
                    "open": not closed and block + 1 <= end and left >= amount})
    return out


def _entry(chain, token: dict, rows: list[dict]) -> dict:
    """One credential token's reward: {token_id, credential_hash, issuer, status, schedule,
    amount, title, why}. status: claimable | claimed | revoked | no-reward | budget-exhausted
    | type-not-declared."""
    p = pool(chain)
    tid = token["token_id"]
    declared = bytes(p.functions.credentialTypeOf(tid).call())
    claimed_from = p.functions.claimedFrom(tid).call()
    base = {"token_id": tid, "credential_hash": token["credential_hash"], "issuer": token["issuer"],
            "credential_type": "0x" + declared.hex() if declared != ZERO32 else None,
            "schedule": None, "amount": None, "title": None}
    if claimed_from:
        s = next((r for r in rows if r["id"] == claimed_from - 1), None)
        return base | {"status": "claimed", "schedule": claimed_from - 1, "amount": s and s["amount"],
                       "title": s and s["title"], "why": "Its reward was claimed."}
    if token["revoked"]:
        return base | {"status": "revoked", "why": "The credential was revoked: its reward can no longer be claimed."}
    if declared == ZERO32:
        return base | {"status": "type-not-declared",
                       "why": "Its issuer has not declared the credential's type, so no schedule can match it."}
    matching = [r for r in rows if r["issuer"].lower() == token["issuer"].lower()
                and r["credential_type"] == base["credential_type"] and not r["closed"]
                and chain.block_number + 1 <= r["end_block"]]
    funded = [r for r in matching if int(r["budget_left_wei"]) >= int(r["amount_wei"])]
    if funded:
        best = max(funded, key=lambda r: int(r["amount_wei"]))
        return base | {"status": "claimable", "schedule": best["id"], "amount": best["amount"],
                       "amount_wei": best["amount_wei"], "title": best["title"], "why": None}
    if matching:
        return base | {"status": "budget-exhausted", "schedule": matching[0]["id"], "title": matching[0]["title"],
                       "why": "The schedule that pays for it has spent its budget."}
    return base | {"status": "no-reward", "why": "No open reward schedule pays for this issuer and credential type."}


def standing(chain, holder: str) -> list[dict]:
    """Each soulbound credential ``holder`` holds, with what its reward is (``_entry``)."""
    holder = chain.w3.to_checksum_address(holder)
    rows = schedules(chain)
    return [_entry(chain, t, rows) for t in soulbound.scan(chain, [holder])]


def reward_of(chain, credential_hash: bytes) -> dict | None:
    """The reward entry of the credential anchored as ``credential_hash``; None when it is
    not anchored."""
    token_id, _, _ = soulbound.token_of_credential(chain, credential_hash)
    if not token_id:
        return None
    return _entry(chain, soulbound.token(chain, token_id), schedules(chain))


def reward_of_token(chain, token_id: int) -> dict | None:
    """The reward entry of credential token ``token_id``; None on a network without the
    rewards pool (an older deployment)."""
    if not has_pool(chain):
        return None
    return _entry(chain, soulbound.token(chain, token_id), schedules(chain))


def bounties(chain, account: str | None = None) -> list[dict]:
    """Bounties (``account``'s only, when given): {id, account, amount, status, description}."""
    p = pool(chain)
    out = []
    for bid in range(p.functions.bountyCount().call()):
        who, amount, claimed, cancelled, description = p.functions.bounty(bid).call()
        if account and who.lower() != account.lower():
            continue
        out.append({"id": bid, "account": who, "amount": format_amount(amount), "amount_wei": str(amount),
                    "status": "claimed" if claimed else "cancelled" if cancelled else "open",
                    "description": description})
    return out


def history(chain, holder: str) -> list[dict]:
    """What ``holder`` claimed, oldest first: {kind: reward|bounty, id, token_id, amount, block, tx}."""
    holder = holder.lower()
    out = []
    for e in eventlog.events(chain, pool(chain), ("RewardClaimed", "BountyClaimed")):
        a = e["args"]
        who = a.get("holder") or a.get("account")
        if who.lower() != holder:
            continue
        reward = e["event"] == "RewardClaimed"
        out.append({"kind": "reward" if reward else "bounty",
                    "id": a["scheduleId"] if reward else a["bountyId"],
                    "token_id": a["tokenId"] if reward else None, "amount": format_amount(a["amount"]),
                    "block": e["block"], "tx": e["tx"]})
    return out


def overview(chain, holder: str, *, known_types: list[str] = ()) -> dict:
    """Everything the Rewards screen and `vault rewards list` show, in one read."""
    return {"address": chain.w3.to_checksum_address(holder), "credentials": standing(chain, holder),
            "bounties": bounties(chain, holder), "history": history(chain, holder),
            "schedules": schedules(chain, known_types=known_types)}


# ---- writes -----------------------------------------------------------------------------

def claim_request(service, sender: str, token_id: int):
    """Claim the reward of credential token ``token_id`` held by ``sender``, from the
    schedule that pays for it (checked here first, so the error names its cause)."""
    chain = service.chain
    sender = chain.w3.to_checksum_address(sender)
    t = soulbound.token(chain, token_id)  # unknown-token
    if t["holder"].lower() != sender.lower():
        raise ChainError("not-holder", f"Credential token {token_id} is anchored to {t['holder']}, not to {sender}: "
                                       "only its holder claims its reward.")
    entry = _entry(chain, t, schedules(chain))
    reasons = {"claimed": "already-claimed", "revoked": "revoked", "type-not-declared": "no-reward",
               "no-reward": "no-reward", "budget-exhausted": "budget-exhausted"}
    if entry["status"] != "claimable":
        raise ChainError(reasons[entry["status"]], f"Credential token {token_id}: {entry['why']}")
    amount = int(entry["amount_wei"])
    return with_gas_margin(chain, service.contract_call(
        "rewards-claim", pool(chain), "claim", [entry["schedule"], token_id], sender,
        description=f"Claim {format_units(amount)} for credential token {token_id} ({entry['title']})",
        params={"schedule": entry["schedule"], "token_id": token_id, "amount": str(amount)}))


def claim_bounty_request(service, sender: str, bounty_id: int):
    chain = service.chain
    sender = chain.w3.to_checksum_address(sender)
    rows = [b for b in bounties(chain) if b["id"] == bounty_id]
    if not rows:
        raise ChainError("unknown-bounty", f"There is no bounty {bounty_id}.")
    b = rows[0]
    if b["account"].lower() != sender.lower():
        raise ChainError("bounty-not-open", f"Bounty {bounty_id} was granted to {b['account']}, not to {sender}.")
    if b["status"] != "open":
        raise ChainError("bounty-not-open", f"Bounty {bounty_id} was already {b['status']}.")
    return with_gas_margin(chain, service.contract_call(
        "rewards-bounty", pool(chain), "claimBounty", [bounty_id], sender,
        description=f"Claim the {format_units(int(b['amount_wei']))} bounty {bounty_id} ({b['description'][:60]})",
        params={"bounty": bounty_id, "amount": b["amount_wei"]}))


def declare_type_request(service, issuer: str, credential_hash: bytes, type_name: str):
    """The issuer's statement of a credential's type on the pool, by its hash (so that it
    can follow the anchoring in the same plan, before the token exists: it is estimated
    once the anchoring is mined)."""
    chain = service.chain
    ctype = type_hash(type_name)
    return service.contract_call(
        "rewards-declare-type", pool(chain), "declareType", [bytes(credential_hash), ctype],
        chain.w3.to_checksum_address(issuer),
        description=f"Declare the anchored credential's type: {type_name} (for learn-to-earn rewards)",
        params={"credential_hash": "0x" + bytes(credential_hash).hex(), "type": type_name})


def has_pool(chain) -> bool:
    """Whether this network has the rewards pool (an older deployment may not)."""
    try:
        pool(chain)
    except ChainError as exc:
        if exc.reason == "not-deployed":
            return False
        raise
    return True

