"""The credential hash a soulbound token records (docs/soulbound.md, "The credential hash").

``credentialHash = keccak256(the credential's identity)``: a JSON credential's JCS form, an
SD-JWT's issuer-signed JWT, a JWT's text: what stays the same when the credential travels
inside a presentation. Stored per credential (``credentials.chain_hash``) as ``hash_hex``.
"""

from __future__ import annotations

import rfc8785
from eth_utils import keccak

from .. import safejson


def credential_hash(original: bytes) -> bytes:
    """The on-chain credentialHash: keccak-256 of what identifies the credential however
    it is carried. A JSON credential is re-serialised inside a presentation, so its JCS
    form (RFC 8785, the same form as the vault's record id); an SD-JWT is presented with
    a subset of its disclosures and a key binding JWT, so its issuer-signed JWT; a JWT is
    its compact text."""
    text = bytes(original).strip()
    if text.startswith(b"{"):
        try:
            return keccak(rfc8785.dumps(safejson.loads(text)))
        except (ValueError, UnicodeDecodeError, rfc8785.CanonicalizationError, RecursionError):
            return keccak(text)
    return keccak(text.split(b"~", 1)[0])


def hash_hex(original: bytes) -> str:
    """``credential_hash`` as the vault stores it and the chain module reports it: "0x…", lower case."""
    return "0x" + credential_hash(original).hex()
