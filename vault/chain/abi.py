"""ABI helpers: the canonical type and signature of an ABI item, its 4-byte selector, and
the creation code of a contract with its constructor arguments."""

from __future__ import annotations

from eth_abi import encode
from eth_utils import keccak

from .contracts import load_artifact


def abi_type(item: dict) -> str:
    """The canonical type of an ABI input (tuples spelled out: "(address,uint256)[]")."""
    if item["type"].startswith("tuple"):
        return "(" + ",".join(abi_type(c) for c in item["components"]) + ")" + item["type"][5:]
    return item["type"]


def input_types(item: dict) -> tuple[str, ...]:
    return tuple(abi_type(i) for i in item.get("inputs", ()))


def selector(item: dict) -> bytes:
    """The 4 bytes naming a function or error: keccak-256 of "name(type,type…)"."""
    return keccak(text=f"{item['name']}({','.join(input_types(item))})")[:4]


def constructor_data(name: str, *args) -> bytes:
    """Creation code of ``name`` with its ABI-encoded constructor arguments."""
    artifact = load_artifact(name)
    ctor = next((i for i in artifact["abi"] if i["type"] == "constructor"), {"inputs": []})
    code = bytes.fromhex(artifact["bytecode"].removeprefix("0x"))
    return code + encode(list(input_types(ctor)), list(args))
