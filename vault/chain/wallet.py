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

from decimal import Decimal, InvalidOperation

from ..errors import ChainError
from .contracts import BTK

DECIMALS = 18

# (name, minimum BTK held + staked, in whole tokens), ascending.
TIERS: tuple[tuple[str, int], ...] = (("basic", 0), ("premium", 1_000), ("patron", 10_000))


# ---- amounts ----------------------------------------------------------------------------

def parse_amount(text: str | int | Decimal, *, allow_zero: bool = False) -> int:
    """'12.5' -> 12.5 * 10**18 exactly; more than 18 decimals, a negative or a non-number
    is a ChainError("invalid-amount")."""
    try:
        value = Decimal(str(text).strip().replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise ChainError("invalid-amount", f"{text!r} is not an amount.") from None
    if not value.is_finite():
        raise ChainError("invalid-amount", f"{text!r} is not an amount.")
    wei = value.scaleb(DECIMALS)
    if wei != wei.to_integral_value():
        raise ChainError("invalid-amount", f"{text!r} has more than {DECIMALS} decimals.")
    if value < 0 or (value == 0 and not allow_zero):
        raise ChainError("invalid-amount", f"{text!r}: the amount must be more than zero.")
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

def tier(total_wei: int) -> str:
    """The tier of a holder with ``total_wei`` BTK (held + staked)."""
    name = TIERS[0][0]
    for candidate, minimum in TIERS:
        if total_wei >= minimum * BTK:
            name = candidate
    return name


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


def balance(chain, address: str) -> dict:
    """{address, ETH, BTK, staked, tier}: amounts as decimal strings in whole tokens."""
    address = chain.w3.to_checksum_address(address)
    btk = chain.btk_balance(address)
    staked = staked_of(chain, address)
    return {"address": address, "ETH": format_amount(chain.eth_balance(address)), "BTK": format_amount(btk),
            "staked": format_amount(staked), "tier": tier(btk + staked)}


# ---- sending ----------------------------------------------------------------------------

def resolve_recipient(text: str, chain_id: int | None = None) -> str:
    """A checksummed address from an address or a did:pkh:eip155:<chain>:<address>. A
    did:pkh of another chain is refused when ``chain_id`` is given (its chain id 1, the
    vault's own default for account DIDs, is accepted on any network)."""
    from eth_utils import is_address, to_checksum_address

    text = text.strip()
    if text.startswith("did:"):
        from ..did import did_pkh

        try:
            did_chain, address = did_pkh.parse(text)
        except Exception as exc:
            raise ChainError("invalid-recipient", f"{text} is not a did:pkh of an Ethereum account "
                                                  f"({exc}).") from None
        if chain_id is not None and did_chain not in (chain_id, did_pkh.DEFAULT_CHAIN_ID):
            raise ChainError("invalid-recipient", f"{text} names an account on chain {did_chain}, not on this "
                                                  f"network (chain {chain_id}).")
        return to_checksum_address(address)
    if not is_address(text):
        raise ChainError("invalid-recipient", f"{text!r} is not an Ethereum address or a did:pkh.")
    return to_checksum_address(text)


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


def history(store, *, limit: int | None = None) -> list[dict]:
    """The vault's transactions, newest first, each with a readable ``summary`` and its
    decoded events as sentences."""
    from .transactions import history as rows

    out = []
    for record in rows(store, limit=limit):
        entry = record.to_json()
        entry["summary"] = record.description or record.kind
        entry["events_text"] = [describe_event(e) for e in record.events]
        if record.params.get("note"):
            entry["note"] = record.params["note"]
        out.append(entry)
    return out


def history_lines(entries: list[dict]) -> list[str]:
    lines = []
    for e in entries:
        where = f"block {e['block']}" if e.get("block") is not None else "not mined"
        lines.append(f"{e['created_at']}  {e['hash'][:12]}…  {e['status']:<9} {where:<12} {e['summary']}")
        lines += [f"    {t}" for t in e["events_text"]]
        if e.get("error"):
            lines.append(f"    {e['error']}")
    return lines
