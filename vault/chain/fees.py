"""The network fee a transaction is signed with: never more than the person confirmed, and
never what a node proposes beyond reason.

Two guards, both before anything is signed:

* ``check_node_fees``: a node's proposal (next base fee, tip) far above what the chain
  charged in its last blocks is refused as a lying node (reason ``implausible-fee``).
  EIP-1559 lets the base fee rise 12.5 % a block, so an honest next base fee is well under
  ``BASE_FEE_CEILING`` times the recent median.
* ``fit_to_confirmed``: when the chain moved after the preview and the fresh quote asks
  more, the transaction keeps the confirmed fee per gas if that still pays the new base
  fee and tip; otherwise it is refused with ``FeeRoseError`` (old and new maximum in
  words) so the person is asked again.

``signed_fees`` reads gas, max fee and tip back from the signed bytes kept in the history:
what is shown is what was signed.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import ChainError, FeeRoseError
from .units import format_units

GWEI = 10**9
FEE_HISTORY_BLOCKS = 10  # the recent base fee: the median over these blocks (eth_feeHistory)
BASE_FEE_CEILING = 3  # a proposed next base fee above 3x the recent median (+ BASE_FEE_SLACK) is a lie
BASE_FEE_SLACK = GWEI  # lets a chain whose base fee is near zero rise a little
TIP_CEILING = 3 * GWEI  # tips above both this and the recent base fee are refused (usual tips are < 2 gwei)


def gwei(wei: int) -> str:
    return f"{wei / GWEI:.9g} gwei"


def eth(wei: int) -> str:
    """A network fee in ETH as it reads everywhere (confirm and result dialogs, `vault tx`,
    every CLI preview): eight decimals, rounded up, so a maximum never reads lower than it
    is and a fee never as zero (18 decimals read as noise). JSON keeps the wei."""
    step = 10**10
    return format_units(wei if wei % step == 0 else wei - wei % step + step, "ETH")


def median(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def check_node_fees(base: int, tip: int, recent_base: int, where: str) -> None:
    """Refuse a node's fee proposal (``base``: next base fee, ``tip``: priority fee per
    gas) that no honest node of a chain whose recent base fee is ``recent_base`` makes."""
    base_ceiling = BASE_FEE_CEILING * recent_base + BASE_FEE_SLACK
    tip_ceiling = max(TIP_CEILING, recent_base)
    if base <= base_ceiling and tip <= tip_ceiling:
        return
    what = (f"a base fee of {gwei(base)} for the next block (at most {gwei(base_ceiling)} is plausible)"
            if base > base_ceiling else f"a tip of {gwei(tip)} per gas (at most {gwei(tip_ceiling)} is plausible)")
    raise ChainError("implausible-fee", f"The node {where} proposes {what}, while the chain's base fee over "
                                        f"its last blocks was about {gwei(recent_base)}: the node is "
                                        "misbehaving or lying about fees. Nothing was signed. Use another "
                                        "node for this network.",
                     base_fee=str(base), tip=str(tip), recent_base_fee=str(recent_base))


def fit_to_confirmed(fresh, confirmed_max: int, per_gas_ceiling: int | None = None):
    """``fresh`` (a Preview made just now) with a max fee that keeps gas x max fee per gas
    within ``confirmed_max`` (wei) and the fee per gas within ``per_gas_ceiling``; raises
    FeeRoseError when that fee per gas would no longer pay the base fee and tip."""
    per_gas = min(fresh.max_fee_per_gas, confirmed_max // fresh.gas_limit)
    if per_gas_ceiling is not None:
        per_gas = min(per_gas, per_gas_ceiling)
    if per_gas == fresh.max_fee_per_gas:
        return fresh
    if per_gas >= fresh.base_fee + fresh.max_priority_fee_per_gas:
        return replace(fresh, max_fee_per_gas=per_gas)  # the confirmed price still pays the network
    asked = fresh.max_fee
    if per_gas_ceiling is not None and per_gas == per_gas_ceiling:  # a step shown without its own fee
        limit = fresh.gas_limit * per_gas
        what = f"at the fee per gas you confirmed ({gwei(per_gas_ceiling)}) this step could cost {eth(limit)}"
    else:
        limit = confirmed_max
        what = f"you confirmed at most {eth(confirmed_max)}"
    factor = f" ({asked / limit:.3g} times as much)" if limit else ""
    raise FeeRoseError(f"The network fee rose after you confirmed: {what}, the network now asks up to "
                       f"{eth(asked)}{factor}. Nothing was signed; confirm the new fee to send it.",
                       confirmed=limit, asked=asked, preview=fresh)


def signed_fees(raw: bytes | None) -> tuple[int, int] | None:
    """(max fee per gas, priority fee per gas) of signed transaction bytes; None when they
    are not an EIP-1559 transaction."""
    if not raw or raw[0] != 2:
        return None
    # start-up: rlp ~170 ms, only for a signed EIP-1559 transaction
    import rlp

    fields = rlp.decode(bytes(raw[1:]))  # [chainId, nonce, tip, maxFee, gas, to, value, data, ...]
    return int.from_bytes(fields[3], "big"), int.from_bytes(fields[2], "big")


def signed_text(record) -> str:
    """The fee a history record was signed for, for `tx show` and the result dialog: "at
    most 0.0001 ETH (46,000 gas at up to 2.1 gwei, tip 1 gwei)"; "" when unknown."""
    if record.max_fee_per_gas is None:
        return ""
    return (f"at most {eth(record.max_fee)} ({record.gas_limit:,} gas at up to {gwei(record.max_fee_per_gas)}, "
            f"tip {gwei(record.priority_fee_per_gas)})")
