"""Who a credential is issued to: a DID, checked before anything is signed.

The recipient comes from a scanned QR, a file, a CSV cell or typing: outside text. Only
the DID syntax (W3C DID Core §3.1: method name of a-z0-9, method-specific id of
ALPHA / DIGIT / "." / "-" / "_" / pct-encoded, ":"-separated) gets through, so markup,
bidi controls, spaces and formulas never reach a credential or a log line. did:key,
did:jwk and did:pkh must also resolve (a typo in the key fails here, not at the learner);
a bare Ethereum address becomes its did:pkh (the address QR of the Identity page).
"""

from __future__ import annotations

import re

from ..did import did_pkh, resolve
from ..did.did_web import document_url
from ..errors import InvalidDid, UnsupportedDidMethod

MAX_DID = 4096
_DID = re.compile(r"did:[a-z0-9]+:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*(?::(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*)*")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def recipient_did(text: str) -> str:
    """The recipient's DID from ``text``; InvalidDid saying why it is not one."""
    if not isinstance(text, str):
        raise InvalidDid("The recipient is not text.")
    value = text.strip()
    if not value:
        raise InvalidDid("The recipient is empty: give their DID (did:key:…, did:pkh:…) or Ethereum address.")
    if len(value) > MAX_DID:
        raise InvalidDid(f"The recipient is {len(value):,} characters long: no DID is that long.")
    if _ADDRESS.fullmatch(value):
        return did_pkh.from_address(value)
    if value.startswith("ethereum:") and _ADDRESS.fullmatch(value[9:51]):   # an EIP-681 address QR
        return did_pkh.from_address(value[9:51])
    if not _DID.fullmatch(value) or value.endswith(":"):
        shown = value[:80].encode("ascii", "backslashreplace").decode("ascii")
        raise InvalidDid(f"The recipient {shown!r} is not a DID: a DID is did:<method>:<id> with only "
                         "letters, digits, '.', '-', '_', '%' and ':' (no spaces, markup or invisible characters).")
    method = value.split(":", 2)[1]
    if method == "web":
        document_url(value)
    elif method in ("key", "jwk", "pkh"):
        try:
            resolve(value)
        except UnsupportedDidMethod as exc:    # (not for these three)
            raise InvalidDid(str(exc)) from None
        if method == "pkh":
            chain_id, address = did_pkh.parse(value)
            value = did_pkh.from_address(address, chain_id)
    return value
