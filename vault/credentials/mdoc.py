"""Recognising an ISO mdoc (ISO/IEC 18013-5 mobile driving licence and the like), which
the vault does not verify, so that it is refused by its name instead of as "no credential".

An mdoc travels as CBOR: a DeviceResponse ``{"version", "documents": [{"docType", ...}]}``
or an IssuerSigned / Document structure (``nameSpaces``, ``issuerAuth``), as raw bytes,
or as hex or base64url text. Recognising needs no CBOR decoding: the top item is a CBOR
map (major type 5, first byte 0xa0-0xbf) and the map's text keys are plain ASCII in the
bytes. Nothing here parses the rest, so hostile input costs one bounded scan.
"""

from __future__ import annotations

import base64
import binascii
import re

NAME = "ISO mdoc (not supported)"
REFUSAL = ("This is an ISO mdoc (ISO/IEC 18013-5 mobile document, e.g. a mobile driving licence): "
           "ISO mdoc, not supported. The vault verifies W3C verifiable credentials, SD-JWT VCs, "
           "Open Badges and Blockcerts.")

# Text keys of mdoc structures, as CBOR text strings (0x60 + length, then the bytes).
_MARKERS = tuple(bytes([0x60 + len(k)]) + k for k in (b"docType", b"issuerAuth", b"nameSpaces",
                                                      b"deviceSigned", b"issuerSigned"))
_NAMESPACE = b"org.iso.18013.5"
_HEX = re.compile(rb"[0-9a-fA-F]+")
_B64URL = re.compile(rb"[A-Za-z0-9_\-]+=*")
_SCAN = 64 * 1024          # the markers sit in the first structures: no need to scan more


def _is_mdoc_cbor(data: bytes) -> bool:
    if not data or not 0xa0 <= data[0] <= 0xbf:
        return False
    head = data[:_SCAN]
    return _NAMESPACE in head or any(marker in head for marker in _MARKERS)


def _decoded_text(data: bytes) -> bytes | None:
    """The bytes a hex or base64url text stands for (only its start: enough to recognise)."""
    text = data.strip()[:2 * _SCAN]
    if len(text) < 16:
        return None
    if _HEX.fullmatch(text) and text[:1] in b"aAbB":
        return binascii.unhexlify(text[:len(text) // 2 * 2])
    if _B64URL.fullmatch(text):
        body = text.rstrip(b"=")
        body = body[:len(body) // 4 * 4]
        try:
            return base64.urlsafe_b64decode(body)
        except (binascii.Error, ValueError):
            return None
    return None


def looks_like_mdoc(data: bytes) -> bool:
    """True when ``data`` (raw, hex or base64url) is recognisably an ISO mdoc."""
    if _is_mdoc_cbor(data):
        return True
    decoded = _decoded_text(data)
    return decoded is not None and _is_mdoc_cbor(decoded)
