"""The wallet: ETH and BTK balances, sending (to an address or a did:pkh), tips, a readable
history, and the premium tier of a holder.

Amounts are integers of wei (18 decimals) inside; ``parse_amount`` / ``format_amount``
convert exactly from and to decimal strings in whole tokens (``Decimal``, never floats).

Premium tiers count the BTK an account holds plus the BTK it has staked (its stake in the
StakingPool, cooling down or not, is still its own):

    basic    below 1,000 BTK
    premium  1,000 BTK up to 10,000 BTK
    patron   10,000 BTK and more

``TIERS`` is that table; features gated on holdings ask ``is_premium(chain, address)``.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal, InvalidOperation, localcontext

from ..errors import ChainError
from .contracts import BTK
from .revert import format_units

log = logging.getLogger(__name__)

DECIMALS = 18

# (name, minimum BTK held + staked, in whole tokens), ascending.
TIERS: tuple[tuple[str, int], ...] = (("basic", 0), ("premium", 1_000), ("patron", 10_000))


# ---- amounts ----------------------------------------------------------------------------

MAX_WEI = 2**256 - 1  # the most a token amount on chain (uint256) can be


def parse_amount(text: str | int | Decimal, *, allow_zero: bool = False) -> int:
    """'12.5' -> 12.5 * 10**18 exactly; more than 18 decimals, a negative, Infinity, NaN,
    more than fits on chain (uint256) or a non-number is a ChainError("invalid-amount").
    The one parser of amounts: the CLIs and the desktop use it."""
    cleaned = str(text).strip().replace(",", "").replace("_", "")
    try:
        if len(cleaned) > 100:  # no amount is that long; it would only slow the arithmetic down
            raise InvalidOperation
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ChainError("invalid-amount", f"{text!r} is not an amount.") from None
    if not value.is_finite():
        raise ChainError("invalid-amount", f"{text!r} is not an amount: give a number such as 12.5.")
    if value < 0 or (value == 0 and not allow_zero):
        raise ChainError("invalid-amount", f"{text!r}: the amount must be more than zero.")
    if value and value.adjusted() > 78 - DECIMALS:  # checked before scaling: 1e999999999 overflows Decimal
        raise ChainError("invalid-amount", f"{text!r} is more than any amount on chain.")
    if value and value.adjusted() < -DECIMALS:
        raise ChainError("invalid-amount", f"{text!r} has more than {DECIMALS} decimals.")
    with localcontext() as exact:
        exact.prec = 200  # every digit of a 100-character amount, none rounded away
        wei = value.scaleb(DECIMALS)
        if wei != wei.to_integral_value():
            raise ChainError("invalid-amount", f"{text!r} has more than {DECIMALS} decimals.")
    if wei > MAX_WEI:
        raise ChainError("invalid-amount", f"{text!r} is more than any amount on chain.")
    return int(wei)


def format_amount(wei: int) -> str:
    """An 18-decimal amount as a plain decimal string in whole tokens: '12.5', '0'."""
    sign = "-" if wei < 0 else ""
    whole, frac = divmod(abs(int(wei)), 10**DECIMALS)
    text = f"{sign}{whole}"
    if frac:
        text += "." + f"{frac:0{DECIMALS}d}".rstrip("0")
    return text


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


def holdings(chain, address: str) -> dict:
    """What ``address`` holds, in wei: {address, chain_id, eth, btk, staked, tier,
    next_tier, to_next_tier} (the last two None at the top tier)."""
    address = chain.w3.to_checksum_address(address)
    btk = chain.btk_balance(address)
    staked = staked_of(chain, address)
    up = next_tier(btk + staked)
    return {"address": address, "chain_id": chain.chain_id, "eth": chain.eth_balance(address), "btk": btk,
            "staked": staked, "tier": tier(btk + staked), "next_tier": up[0] if up else None,
            "to_next_tier": up[1] if up else None}


def balance(chain, address: str) -> dict:
    """{address, ETH, BTK, staked, tier}: amounts as decimal strings in whole tokens."""
    h = holdings(chain, address)
    return {"address": h["address"], "ETH": format_amount(h["eth"]), "BTK": format_amount(h["btk"]),
            "staked": format_amount(h["staked"]), "tier": h["tier"]}


# ---- sending ----------------------------------------------------------------------------

_HEX_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def _check_checksum(address: str, where: str) -> None:
    """A mixed-case address carries an EIP-55 checksum in its capital letters: a wrong one
    means a mistyped character (all lower or all upper case carries none)."""
    from eth_utils import is_checksum_address

    digits = address[2:]
    if digits != digits.lower() and digits != digits.upper() and not is_checksum_address(address):
        raise ChainError("bad-checksum", f"{where} has a typo: its capital letters do not match its "
                                         "checksum (EIP-55), so a character was probably mistyped. Copy "
                                         "it again from its source.")


def resolve_recipient(text: str, chain_id: int | None = None) -> str:
    """A checksummed address from an address or a did:pkh:eip155:<chain>:<address>. A
    did:pkh of another chain is refused when ``chain_id`` is given (its chain id 1, the
    vault's own default for account DIDs, is accepted on any network). A mixed-case
    address whose EIP-55 checksum is wrong is refused (reason ``bad-checksum``): one of
    its characters is mistyped."""
    from eth_utils import to_checksum_address

    text = text.strip()
    if not text:
        raise ChainError("invalid-recipient", "Enter an Ethereum address (0x…) or a did:pkh.")
    if text.startswith("did:"):
        from ..did import did_pkh

        address = text.split("#", 1)[0].rsplit(":", 1)[-1]
        if text.startswith(did_pkh.PREFIX) and _HEX_ADDRESS.fullmatch(address):
            _check_checksum(address, "The address in this did:pkh")
        try:
            did_chain, address = did_pkh.parse(text)
        except Exception as exc:
            log.debug("a recipient did:pkh did not parse", exc_info=True)
            raise ChainError("invalid-recipient", f"{text} is not a did:pkh of an Ethereum account "
                                                  f"({exc}).") from None
        if chain_id is not None and did_chain not in (chain_id, did_pkh.DEFAULT_CHAIN_ID):
            raise ChainError("invalid-recipient", f"{text} names an account on chain {did_chain}, not on this "
                                                  f"network (chain {chain_id}).")
        return to_checksum_address(address)
    if not _HEX_ADDRESS.fullmatch(text):
        hint = ""
        if re.fullmatch(r"(0x)?[0-9a-fA-F]*", text):
            digits = len(text) - (2 if text.startswith("0x") else 0)
            hint = (f" An address is 0x and 40 hexadecimal characters; this has {digits}."
                    if text.startswith("0x") else " An address starts with 0x.")
        raise ChainError("invalid-recipient", f"{text!r} is not an Ethereum address or a did:pkh.{hint}")
    _check_checksum(text, "This address")
    return to_checksum_address(text)


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
    to = resolve_recipient(to, service.chain.chain_id)
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
    from .transactions import history as rows

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
