"""The wallet: ETH and BTK balances, sending (to an address or a did:pkh), tips, a readable
history, and the premium tier of a holder.

Amounts are integers of wei (18 decimals) inside; ``units.parse_amount`` /
``units.format_amount`` convert exactly from and to decimal strings in whole tokens.

Premium tiers count the BTK an account holds plus the BTK it has staked (its stake in the
StakingPool, cooling down or not, is still its own):

    basic    below 1,000 BTK
    premium  1,000 BTK up to 10,000 BTK
    patron   10,000 BTK and more

``TIERS`` is that table; features gated on holdings ask ``is_premium(chain, address)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ChainError
from .contracts import BTK
from .records import history as rows
from .units import format_amount, format_units, parse_address, parse_amount

# (name, minimum BTK held + staked, in whole tokens), ascending.
TIERS: tuple[tuple[str, int], ...] = (("basic", 0), ("premium", 1_000), ("patron", 10_000))


# ---- tiers ------------------------------------------------------------------------------

TIER_NAMES = {"basic": "Basic", "premium": "Premium", "patron": "Patron"}


def tier(total_wei: int) -> str:
    """The tier of a holder with ``total_wei`` BTK (held + staked)."""
    name = TIERS[0][0]
    for candidate, minimum in TIERS:
        if total_wei >= minimum * BTK:
            name = candidate
    return name


def next_tier(total_wei: int) -> tuple[str, int] | None:
    """(the next tier up, the BTK in wei still missing to reach it) for a holder with
    ``total_wei`` (held + staked); None at the top tier."""
    for candidate, minimum in TIERS:
        if total_wei < minimum * BTK:
            return candidate, minimum * BTK - int(total_wei)
    return None


def staked_of(chain, address: str) -> int:
    """BTK of ``address`` in the staking pool: bonded plus cooling down."""
    pool = chain.contracts.staking
    address = chain.w3.to_checksum_address(address)
    bonded = pool.functions.stakeOf(address).call()
    cooling = pool.functions.unstakeRequest(address).call()[0]
    return bonded + cooling


def holder_tier(chain, address: str) -> str:
    return tier(chain.btk_balance(address) + staked_of(chain, address))


def is_premium(chain, address: str) -> bool:
    """Whether ``address`` is premium or above (for access-gated features)."""
    return holder_tier(chain, address) != TIERS[0][0]


@dataclass(frozen=True)
class Holdings:
    """What an account holds, in wei; ``next_tier`` and ``to_next_tier`` (the BTK still
    missing) are None at the top tier."""
    address: str
    chain_id: int
    eth: int
    btk: int
    staked: int   # in the staking pool, cooling down or not: still the holder's
    tier: str
    next_tier: str | None
    to_next_tier: int | None

    def to_json(self) -> dict:
        """`vault wallet balance --json`: {address, ETH, BTK, staked, tier}, amounts as
        decimal strings in whole tokens."""
        return {"address": self.address, "ETH": format_amount(self.eth), "BTK": format_amount(self.btk),
                "staked": format_amount(self.staked), "tier": self.tier}


def holdings(chain, address: str) -> Holdings:
    address = chain.w3.to_checksum_address(address)
    btk = chain.btk_balance(address)
    staked = staked_of(chain, address)
    up = next_tier(btk + staked)
    return Holdings(address, chain.chain_id, chain.eth_balance(address), btk, staked, tier(btk + staked),
                    up[0] if up else None, up[1] if up else None)


# ---- sending ----------------------------------------------------------------------------

def parse_send_amount(text: str, held: int, asset: str = "BTK") -> int:
    """``parse_amount`` for a send of ``asset`` by a holder of ``held`` wei of it: more
    than that is a ChainError (insufficient-btk / insufficient-eth) before any preview.
    (An ETH send must also leave the network fee: the preview checks that.)"""
    amount = parse_amount(text)
    if amount > held:
        unit = asset.upper()
        raise ChainError(f"insufficient-{unit.lower()}", f"That is more than the {format_units(held, unit)} you hold.")
    return amount


def send_request(service, sender: str, to: str, amount: int, asset: str = "BTK"):
    """The TxRequest of a BTK (default) or ETH send; ``to`` may be a did:pkh."""
    to = parse_address(to, service.chain.chain_id)
    if asset.upper() == "ETH":
        return service.eth_transfer(sender, to, amount)
    if asset.upper() != "BTK":
        raise ChainError("invalid-asset", f"Unknown asset {asset!r}: BTK or ETH.")
    return service.btk_transfer(sender, to, amount)


def tip_request(service, sender: str, to: str, amount: int, note: str, asset: str = "BTK"):
    """A send with a note. The note is kept in the vault's history (it is not written on
    chain: a plain ERC-20 transfer has no place for it)."""
    note = note.strip()
    if not note:
        raise ChainError("invalid-argument", "A tip needs a note (use `wallet send` for a plain send).")
    if len(note) > 280:
        raise ChainError("invalid-argument", "A tip's note is at most 280 characters.")
    request = send_request(service, sender, to, amount, asset)
    request.kind = "tip"
    request.description = f"Tip: {request.description[len('Send '):]} — “{note}”"
    request.params = {**request.params, "note": note, "asset": asset.upper()}
    return request


# ---- history ----------------------------------------------------------------------------

def describe_event(event: dict) -> str:
    """One decoded event as a sentence."""
    a = event.get("args", {})
    name = event.get("event")

    def amt(key):
        try:
            return f"{format_amount(int(a[key]))} BTK"
        except (KeyError, TypeError, ValueError):
            return "?"

    if name == "Transfer" and event.get("contract") == "token":
        return f"{amt('value')} from {a.get('from')} to {a.get('to')}"
    if name == "Approval":
        return f"allowed {a.get('spender')} to spend {amt('value')}"
    if name == "Staked":
        return f"staked {amt('amount')} with validator {a.get('validatorId')}"
    if name == "UnstakeRequested":
        return f"asked to unstake {amt('amount')} (withdraw from block {a.get('readyAtBlock')})"
    if name == "Withdrawn":
        return f"withdrew {amt('amount')}"
    if name == "RewardsClaimed":
        return f"claimed {amt('amount')} of rewards"
    if name == "CredentialIssued":
        return f"anchored credential token {a.get('tokenId')} for {a.get('holder')}"
    if name == "CredentialRevoked":
        return f"revoked credential token {a.get('tokenId')}"
    args = ", ".join(f"{k}={v}" for k, v in a.items())
    return f"{event.get('contract')}.{name}({args})"


# What a transaction is about, by its kind (kinds are set by the core's request builders).
GROUPS: tuple[tuple[str, str], ...] = (("send", "Sends and tips"), ("staking", "Staking"),
                                       ("governance", "Governance"), ("market", "Marketplace"),
                                       ("credential", "Credentials"), ("approval", "Approvals"))
_GROUP_OF = {"btk-transfer": "send", "eth-transfer": "send", "tip": "send", "btk-approve": "approval",
             "stake": "staking", "unstake": "staking", "withdraw": "staking", "claim-rewards": "staking"}
_GROUP_PREFIX = (("gov-", "governance"), ("market-", "market"), ("soulbound-", "credential"))

# Status filters: a history row's status is one of transactions.STATUSES.
FAILED_STATUSES = ("reverted", "rejected", "dropped", "replaced")


def kind_group(kind: str) -> str:
    """The group of GROUPS a transaction kind belongs to ("other" for none)."""
    if kind in _GROUP_OF:
        return _GROUP_OF[kind]
    return next((group for prefix, group in _GROUP_PREFIX if kind.startswith(prefix)), "other")


def _amount_of(record) -> tuple[int | None, str]:
    """(wei, asset) the transaction moves or concerns, from its params; (None, "") if none."""
    params = record.params or {}
    asset = "ETH" if record.kind == "eth-transfer" or params.get("asset") == "ETH" else "BTK"
    for key in ("amount", "price", "pending"):
        value = params.get(key)
        if value is not None:
            try:
                return int(value), asset
            except (TypeError, ValueError):
                return None, ""
    if record.value:
        return int(record.value), "ETH"
    return None, ""


def _counterparty(record) -> str | None:
    params = record.params or {}
    for key in ("to", "holder", "delegatee", "spender"):
        if params.get(key):
            return str(params[key])
    if "validator" in params:
        return f"validator {params['validator']}"
    if "gig_id" in params:
        return f"gig {params['gig_id']}"
    if "proposal_id" in params:
        return f"proposal {params['proposal_id']}"
    return record.to


def history(store, *, limit: int | None = None) -> list[dict]:
    """The vault's transactions, newest first, each with a readable ``summary``, its
    decoded events as sentences, its ``group`` (GROUPS), the ``amount`` (wei, as a string)
    and ``asset`` it moves or concerns (None when it moves none), and its ``counterparty``
    (the recipient, validator, gig, proposal… else the contract called)."""
    out = []
    for record in rows(store, limit=limit):
        entry = record.to_json()
        entry["summary"] = record.description or record.kind
        entry["events_text"] = [describe_event(e) for e in record.events]
        if record.params.get("note"):
            entry["note"] = record.params["note"]
        amount, asset = _amount_of(record)
        entry["group"] = kind_group(record.kind)
        entry["amount"] = None if amount is None else str(amount)
        entry["asset"] = asset or None
        entry["counterparty"] = _counterparty(record)
        out.append(entry)
    return out


def entry_matches(entry: dict, *, status: str | None = None, group: str | None = None, text: str = "") -> bool:
    """Whether a ``history`` entry passes the filters: ``status`` a status of
    transactions.STATUSES or "failed" (any of FAILED_STATUSES); ``group`` one of GROUPS;
    ``text`` words that must all appear (any case) in what it did, its hash, counterparty,
    note, events or error."""
    if status:
        if status == "failed":
            if entry["status"] not in FAILED_STATUSES:
                return False
        elif entry["status"] != status:
            return False
    if group and entry.get("group", kind_group(entry["kind"])) != group:
        return False
    words = text.lower().split()
    if words:
        haystack = " ".join(str(v) for v in (entry.get("summary"), entry.get("hash"), entry.get("counterparty"),
                                            entry.get("note"), entry.get("error"), entry.get("kind"),
                                            *entry.get("events_text", ())) if v).lower()
        if not all(w in haystack for w in words):
            return False
    return True


def history_lines(entries: list[dict]) -> list[str]:
    lines = []
    for e in entries:
        where = f"block {e['block']}" if e.get("block") is not None else "not mined"
        lines.append(f"{e['created_at']}  {e['hash'][:12]}…  {e['status']:<9} {where:<12} {e['summary']}")
        lines += [f"    {t}" for t in e["events_text"]]
        if e.get("error"):
            lines.append(f"    {e['error']}")
    return lines
