"""Amounts and addresses as people type and read them: the one parser of each, and the
formatters. Integers of wei (18 decimals) inside, exact decimal strings outside
(``Decimal``, never floats).

    parse_amount("12.5")          -> 12_500_000_000_000_000_000
    parse_address("did:pkh:eip155:1:0x…", chain_id)   -> a checksummed address
    format_units(wei, "BTK")      -> "1,234.5 BTK"  (exact, thousands separated)
    format_amount(wei)            -> "1234.5"       (exact, for JSON and form fields)
    glance_units(wei, "BTK", 4)   -> "≈ 12.3456 BTK" (a few decimals, for a glance)
    percent(250)                  -> "2.5 %"

A leaf module (no other module of the chain package): everything else imports it.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal, InvalidOperation, localcontext

from ..errors import ChainError

log = logging.getLogger(__name__)

DECIMALS = 18  # BTK has 18 decimals, like ETH
ONE = 10**DECIMALS
MAX_WEI = 2**256 - 1  # the most a token amount on chain (uint256) can be


# ---- amounts ----------------------------------------------------------------------------

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
    whole, frac = divmod(abs(int(wei)), ONE)
    text = f"{sign}{whole}"
    if frac:
        text += "." + f"{frac:0{DECIMALS}d}".rstrip("0")
    return text


def format_units(wei: int, unit: str = "BTK") -> str:
    """An 18-decimal amount, exact, with thousands separators: 1,234.5 BTK."""
    sign = "-" if wei < 0 else ""
    whole, frac = divmod(abs(int(wei)), ONE)
    text = f"{sign}{whole:,}"
    if frac:
        text += "." + f"{frac:018d}".rstrip("0")
    return f"{text} {unit}"


def glance_units(value: int, unit: str = "BTK", places: int = 4) -> str:
    """``format_units`` with at most ``places`` decimals, as a person reads an amount at a
    glance: "≈ 12.3456 BTK" when rounded down, "less than 0.0001 BTK" for a dust amount
    (the exact figure belongs in a tooltip or beside it)."""
    step = 10 ** (DECIMALS - places)
    if value % step == 0:
        return format_units(value, unit)
    if value < step:
        return f"less than {format_units(step, unit)}"
    return "≈ " + format_units(value - value % step, unit)


def percent(bps: int) -> str:
    """Basis points as people say them: 250 -> "2.5 %" (bps stay in the JSON fields)."""
    return f"{int(bps) / 100:g} %"


# ---- addresses --------------------------------------------------------------------------

_HEX_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def _check_checksum(address: str, where: str) -> None:
    """A mixed-case address carries an EIP-55 checksum in its capital letters: a wrong one
    means a mistyped character (all lower or all upper case carries none)."""
    # start-up: eth_utils ~160 ms, not paid by every screen that formats an amount
    from eth_utils import is_checksum_address

    digits = address[2:]
    if digits != digits.lower() and digits != digits.upper() and not is_checksum_address(address):
        raise ChainError("bad-checksum", f"{where} has a typo: its capital letters do not match its "
                                         "checksum (EIP-55), so a character was probably mistyped. Copy "
                                         "it again from its source.")


def parse_address(text: str, chain_id: int | None = None) -> str:
    """A checksummed address from an address or a did:pkh:eip155:<chain>:<address>: the
    one parser of addresses (the CLIs and the desktop use it). A did:pkh of another chain
    is refused when ``chain_id`` is given (its chain id 1, the vault's own default for
    account DIDs, is accepted on any network). A mixed-case address whose EIP-55 checksum
    is wrong is refused (reason ``bad-checksum``): one of its characters is mistyped."""
    # start-up: eth_utils ~160 ms (as above)
    from eth_utils import to_checksum_address

    text = text.strip()
    if not text:
        raise ChainError("invalid-recipient", "Enter an Ethereum address (0x…) or a did:pkh.")
    if text.startswith("did:"):
        # start-up: vault.did ~25 ms (its resolver), only for a did:pkh
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
