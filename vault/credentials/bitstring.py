"""The bitstring of a status list: decode ``encodedList``, read an entry, encode a list.

Shared by every status-list family we read (Bitstring Status List, StatusList2021,
RevocationList2020): all three carry a GZIP-compressed bitstring in base64(url), bit 0
being the left-most bit of byte 0. Only ``ValueError`` / ``IndexError`` come out of here:
the caller says which list was bad.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import re
import zlib
from typing import Iterable

__all__ = ["MIN_LIST_BITS", "MAX_LIST_BYTES", "decode_status_list", "encode_status_list", "read_status",
           "b64decode"]

# The spec's minimum: 131,072 entries (16 KiB uncompressed), a herd-privacy floor.
MIN_LIST_BITS = 131_072
# Zip-bomb guard on the *decompressed* list: 16 MiB is 134 million one-bit entries, far
# beyond any real list (the spec's example is 16 KiB), yet a few hundred bytes of GZIP
# could otherwise expand to gigabytes in the verifier.
MAX_LIST_BYTES = 16 * 1024 * 1024


def b64decode(text: str) -> bytes:
    """Base64url or base64, with or without padding; strict about the alphabet."""
    if not re.fullmatch(r"[A-Za-z0-9_\-+/]*={0,2}", text):
        raise ValueError("not base64")
    body = text.rstrip("=")
    if len(body) % 4 == 1:
        raise ValueError("impossible base64 length")
    body = body.replace("+", "-").replace("/", "_")
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def _gunzip(data: bytes, limit: int) -> bytes:
    out = bytearray()
    while True:
        engine = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing only
        out += engine.decompress(data, limit + 1 - len(out))
        if len(out) > limit:
            raise ValueError(f"it expands beyond {limit} bytes")
        if engine.unconsumed_tail:
            raise ValueError(f"it expands beyond {limit} bytes")
        if not engine.eof:
            raise ValueError("the GZIP stream is truncated")
        data = engine.unused_data
        if not data.strip(b"\0"):       # trailing zero padding is allowed after a member
            return bytes(out)


def decode_status_list(encoded: str, *, limit: int = MAX_LIST_BYTES) -> bytes:
    """``encodedList`` -> the raw bitstring (bit 0 is the left-most bit of byte 0).

    Bitstring Status List uses a multibase base64url string ('u' prefix, no padding);
    StatusList2021 used plain base64(url). Both hold a GZIP stream, which always starts
    with bytes 1f 8b, i.e. "H4sI" in base64: that tells a 'u' prefix from data.
    Raises ValueError with a reason when the string is not such a list.
    """
    if not isinstance(encoded, str):
        raise ValueError("encodedList is not a string")
    text = encoded.strip()
    candidates = [text[1:], text] if text.startswith("u") else [text]
    compressed = None
    for candidate in candidates:
        try:
            data = b64decode(candidate)
        except (ValueError, binascii.Error):
            continue
        if data[:2] == b"\x1f\x8b":
            compressed = data
            break
    if compressed is None:
        raise ValueError("encodedList is not base64url-encoded GZIP data")
    try:
        return _gunzip(compressed, limit)
    except zlib.error as exc:
        raise ValueError(f"encodedList is not valid GZIP data ({exc})") from None


def read_status(bitstring: bytes, index: int, size: int = 1) -> int:
    """The ``size`` bits at entry ``index`` (bits index*size...), most significant first.

    Raises IndexError when the entry lies beyond the end of the list.
    """
    if index < 0 or size < 1:
        raise IndexError("negative index or size")
    start = index * size
    if start + size > len(bitstring) * 8:
        raise IndexError(f"entry {index} is beyond the end of a {len(bitstring) * 8}-bit list")
    value = 0
    for position in range(start, start + size):
        bit = (bitstring[position >> 3] >> (7 - (position & 7))) & 1
        value = (value << 1) | bit
    return value


def encode_status_list(bits: "set[int] | Iterable[int] | bytes | bytearray",
                       length: int = MIN_LIST_BITS) -> str:
    """Set bit positions (or a raw bitstring) -> a multibase ``encodedList`` string.

    ``length`` (bits, a positive multiple of 8) applies to a set of positions; a raw
    bitstring keeps its own length. Lists shorter than MIN_LIST_BITS are allowed (tests
    need them) but a conforming issuer must not publish one. The GZIP header carries no
    timestamp, so the output is deterministic.
    """
    if isinstance(bits, (bytes, bytearray, memoryview)):
        raw = bytes(bits)
    else:
        if length <= 0 or length % 8:
            raise ValueError("length must be a positive multiple of 8")
        buffer = bytearray(length // 8)
        for position in bits:
            if isinstance(position, bool) or not isinstance(position, int):
                raise TypeError(f"bit positions must be integers, not {position!r}")
            if not 0 <= position < length:
                raise ValueError(f"bit {position} is outside a {length}-bit list")
            buffer[position >> 3] |= 0x80 >> (position & 7)
        raw = bytes(buffer)
    compressed = gzip.compress(raw, compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")
