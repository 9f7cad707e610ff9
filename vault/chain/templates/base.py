"""What a governance template is: a proposal's call made from a few named, checked
fields, read back in words. The built-in four (grant, market fee, reward rate, slash)
are Governance.call_*; every later one is a ``Template`` registered in this package."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from eth_utils import keccak

from ...errors import ChainError
from ..units import parse_address, parse_amount

# Field kinds and how a person types them (the CLI's --param NAME=VALUE, a GUI line edit).
KINDS = {
    "address": "an address or did:pkh",
    "btk": "an amount of BTK, e.g. 12.5",
    "bps": "hundredths of a percent, e.g. 250 for 2.5 %",
    "int": "a whole number",
    "text": "text",
    "bytes32": "32 bytes in hex (0x…), or text that is hashed (keccak-256)",
}


@dataclass(frozen=True)
class Field:
    name: str        # CLI: --param NAME=VALUE; GUI: the line edit's objectName "field_<name>"
    label: str       # the form's label, in words
    kind: str        # one of KINDS
    help: str = ""

    def parse(self, text, chain_id: int | None = None):
        """The typed value; ChainError("invalid-argument") naming the field."""
        raw = str(text if text is not None else "").strip()
        if not raw:
            raise ChainError("invalid-argument", f"{self.label} is missing ({KINDS[self.kind]}).")
        if self.kind == "address":
            return parse_address(raw, chain_id)
        if self.kind == "btk":
            return parse_amount(raw)
        if self.kind == "text":
            return raw
        if self.kind == "bytes32":
            return _bytes32(raw)
        try:
            value = int(raw.replace(",", "").replace("_", ""))
        except ValueError:
            raise ChainError("invalid-argument", f"{self.label} must be {KINDS[self.kind]}; {raw[:40]!r} is not.") from None
        if value < 0 or (self.kind == "bps" and value > 10_000):
            raise ChainError("invalid-argument", f"{self.label} must be {KINDS[self.kind]} (0 to "
                                                 f"{'10,000' if self.kind == 'bps' else 'any'}); {value} is not.")
        return value


def _bytes32(raw: str) -> bytes:
    if raw.startswith("0x") and len(raw) == 66:
        try:
            return bytes.fromhex(raw[2:])
        except ValueError:
            pass
    return keccak(text=raw)


@dataclass(frozen=True)
class Template:
    """One kind of proposal.

    ``contract``: the manifest key of the contract the timelock calls (a core key or an
    extension's); ``function``: its function; ``args``: the parsed fields (by name) and the
    Governance -> the function's arguments, checked against the chain (raise ChainError
    with what to do, e.g. "the treasury holds only …"); ``describe``: the decoded call's
    arguments (by the ABI's parameter names) -> the proposal's action in words; ``lookup``
    (optional): the decoded arguments and the chain -> more names for ``describe`` (e.g. a
    sub-DAO's name for its id), merged into the arguments; if the chain cannot say, the
    description does without; ``more`` (optional): the parsed fields and the Governance ->
    further calls the same action needs, as (contract key, function, arguments), proposed
    together with the first."""

    key: str
    title: str
    words: str
    fields: tuple[Field, ...]
    contract: str
    function: str
    args: Callable[[dict, object], list]
    describe: Callable[[dict], str]
    lookup: Callable[[dict, object], dict] | None = None
    more: Callable[[dict, object], list] | None = None

    def parse(self, raw: dict, chain_id: int | None = None) -> dict:
        unknown = sorted(set(raw) - {f.name for f in self.fields})
        if unknown:
            raise ChainError("invalid-argument", f"The {self.title} template has no field "
                                                 f"{', '.join(unknown)}; its fields: "
                                                 f"{', '.join(f.name for f in self.fields)}.")
        return {f.name: f.parse(raw.get(f.name), chain_id) for f in self.fields}
