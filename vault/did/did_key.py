"""did:key (https://w3c-ccg.github.io/did-method-key/), Multikey documents."""

from __future__ import annotations

from ..errors import InvalidDid
from . import multikey
from .documents import document

PREFIX = "did:key:"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"


def from_ed25519(public_key: bytes) -> str:
    return PREFIX + multikey.encode("ed25519-pub", public_key)


def fingerprint(did: str) -> str:
    if not did.startswith(PREFIX):
        raise InvalidDid(f"{did!r} is not a did:key.")
    value = did[len(PREFIX):].split("#", 1)[0]
    if ":" in value or not value:
        raise InvalidDid(f"{did!r} is not a valid did:key.")
    return value


def resolve(did: str) -> dict:
    fp = fingerprint(did)
    multikey.decode(fp)  # raises InvalidDid for a bad key
    did = PREFIX + fp
    method = {"id": f"{did}#{fp}", "type": "Multikey", "controller": did, "publicKeyMultibase": fp}
    return document(did, [MULTIKEY_CONTEXT], method)
