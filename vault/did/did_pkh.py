"""did:pkh for Ethereum accounts (https://github.com/w3c-ccg/did-pkh, CAIP-10 eip155)."""

from __future__ import annotations

import re

from ..errors import InvalidDid
from .documents import document

PREFIX = "did:pkh:eip155:"
# did:pkh names a chain; an account is the same on every EVM chain, so by convention
# (as Sign-In with Ethereum does) the holder's DID names Ethereum mainnet.
DEFAULT_CHAIN_ID = 1
_PATTERN = re.compile(r"^did:pkh:eip155:([0-9]{1,32}):(0x[0-9a-fA-F]{40})$")
_CONTEXT = {
    "blockchainAccountId": "https://w3id.org/security#blockchainAccountId",
    "EcdsaSecp256k1RecoveryMethod2020": "https://identity.foundation/EcdsaSecp256k1RecoverySignature2020#EcdsaSecp256k1RecoveryMethod2020",
}


def from_address(address: str, chain_id: int = DEFAULT_CHAIN_ID) -> str:
    from eth_utils import to_checksum_address  # start-up: eth_utils takes ~0.15 s to import

    return f"{PREFIX}{int(chain_id)}:{to_checksum_address(address)}"


def parse(did: str) -> tuple[int, str]:
    """(chain id, checksummed address); a mixed-case address must carry a valid checksum."""
    # start-up: eth_utils takes ~0.15 s to import
    from eth_utils import is_checksum_address, to_checksum_address

    match = _PATTERN.match(did.split("#", 1)[0])
    if not match:
        raise InvalidDid(f"{did!r} is not a did:pkh for an eip155 (Ethereum) account.")
    address = match.group(2)
    mixed = address[2:] != address[2:].lower() and address[2:] != address[2:].upper()
    if mixed and not is_checksum_address(address):
        raise InvalidDid(f"The address in {did!r} has a wrong checksum: a character is mistyped.")
    return int(match.group(1)), to_checksum_address(address)


def resolve(did: str) -> dict:
    chain_id, address = parse(did)
    did = from_address(address, chain_id)
    account = f"eip155:{chain_id}:{address}"
    method = {"id": f"{did}#blockchainAccountId", "type": "EcdsaSecp256k1RecoveryMethod2020",
              "controller": did, "blockchainAccountId": account}
    return document(did, [_CONTEXT], method, ("authentication", "assertionMethod"))
