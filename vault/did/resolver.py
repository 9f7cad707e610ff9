"""Offline DID resolution: every method here is resolved from the identifier alone."""

from __future__ import annotations

from ..errors import InvalidDid, UnsupportedDidMethod
from . import did_jwk, did_key, did_pkh

_RESOLVERS = {"key": did_key.resolve, "jwk": did_jwk.resolve, "pkh": did_pkh.resolve}
SUPPORTED_METHODS = tuple(_RESOLVERS)


def method_of(did: str) -> str:
    parts = did.split(":", 2) if isinstance(did, str) else []
    if len(parts) != 3 or parts[0] != "did" or not parts[1] or not parts[2]:
        raise InvalidDid(f"{did!r} is not a DID (expected did:<method>:<id>).")
    return parts[1]


def resolve(did: str) -> dict:
    method = method_of(did)
    if method not in _RESOLVERS:
        raise UnsupportedDidMethod(
            f"did:{method} cannot be resolved offline; supported methods: "
            + ", ".join(f"did:{m}" for m in SUPPORTED_METHODS) + ".")
    return _RESOLVERS[method](did)
