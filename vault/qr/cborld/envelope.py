"""CBOR-LD bytes → (format, registry entry, payload): the CBOR tag that says which CBOR-LD
this is, and the payload as plain Python values.

CBOR itself is parsed by ``cbor2`` (5 or 6). Only what JSON can become is kept: maps,
arrays, text, byte strings, integers, finite floats, booleans and null; what cbor2 makes
of other CBOR tags (dates, regular expressions…) is refused, and so is a container met
twice (CBOR shared references can repeat a value or make a cycle).
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2

from ..errors import CborldError

log = logging.getLogger(__name__)

MAX_DEPTH = 64                  # nesting; as for JSON-LD credentials (vault.credentials.jsonld)

TAG_1_0 = 0xCB1D                # CBOR-LD 1.0: [registry entry id, payload]
TAG_RANGE = range(0x0600, 0x0700)   # pre-1.0 (cborld 7): the entry id is in the tag (varint)
TAG_LEGACY_PLAIN, TAG_LEGACY = 0x0500, 0x0501   # cborld ≤ 7 default; the Learner Credential Wallet


@dataclass(frozen=True)
class Envelope:
    format: str                 # "cbor-ld-1.0", "legacy-range" or "legacy-singleton"
    registry_entry: int         # 0: not compressed; 1: compressed with the default tables
    payload: Any


def _plain(value: Any, seen: set[int], depth: int = 0) -> Any:
    """cbor2's value with only JSON-like types (tuples → lists, frozendicts → dicts)."""
    if depth > MAX_DEPTH:
        raise CborldError(f"The CBOR-LD data is nested more than {MAX_DEPTH} levels deep.")
    if value is None or isinstance(value, (bool, int, str, bytes)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CborldError("The CBOR-LD data holds a number that is not finite.")
        return value
    if isinstance(value, (list, tuple, Mapping)):
        if value and id(value) in seen:     # () is one object in Python: empty ones may repeat
            raise CborldError("The CBOR-LD data repeats a value by reference.")
        seen.add(id(value))
        if isinstance(value, Mapping):
            out = {}
            for key, item in value.items():
                if isinstance(key, bool) or not isinstance(key, (int, str)):
                    raise CborldError("The CBOR-LD data has a map key that is neither text nor a number.")
                out[key] = _plain(item, seen, depth + 1)
            return out
        return [_plain(item, seen, depth + 1) for item in value]
    raise CborldError(f"The CBOR-LD data holds a value JSON cannot ({type(value).__name__}).")


def _load(data: bytes) -> Any:
    decoder = cbor2.CBORDecoder(io.BytesIO(data))
    try:
        value = decoder.decode()
    except Exception as exc:   # cbor2 wraps most failures; a hostile input must never crash
        raise CborldError("The data is not valid CBOR (damaged or truncated).") from exc
    try:
        decoder.decode()
    except cbor2.CBORDecodeEOF:
        return value
    except Exception:
        log.debug("the bytes after the CBOR-LD data are not CBOR either", exc_info=True)
    raise CborldError("The CBOR-LD data is followed by other bytes.")


def _varint(data: bytes) -> int:
    value = shift = 0
    for index, byte in enumerate(data):
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            if index != len(data) - 1:
                break
            return value
    raise CborldError("The CBOR-LD registry entry id is not a well-formed varint.")


def open_envelope(data: bytes) -> Envelope:
    value = _load(data)
    if not isinstance(value, cbor2.CBORTag):
        raise CborldError("The data is CBOR but not CBOR-LD (it does not start with a CBOR-LD tag).")
    tag, inner = value.tag, value.value
    if tag == TAG_1_0:
        if not (isinstance(inner, (list, tuple)) and len(inner) == 2 and isinstance(inner[0], int)
                and not isinstance(inner[0], bool) and inner[0] >= 0):
            raise CborldError("The CBOR-LD 1.0 data is not [registry entry, payload].")
        return Envelope("cbor-ld-1.0", inner[0], _plain(inner[1], set()))
    if tag in TAG_RANGE:
        start = tag - TAG_RANGE.start
        if start < 128:
            return Envelope("legacy-range", start, _plain(inner, set()))
        if not (isinstance(inner, (list, tuple)) and len(inner) == 2 and isinstance(inner[0], bytes)
                and len(inner[0]) < 23):
            raise CborldError("The CBOR-LD data's registry entry id is damaged.")
        return Envelope("legacy-range", _varint(bytes([start]) + inner[0]), _plain(inner[1], set()))
    if tag in (TAG_LEGACY_PLAIN, TAG_LEGACY):
        return Envelope("legacy-singleton", int(tag == TAG_LEGACY), _plain(inner, set()))
    raise CborldError(f"The data is CBOR but not CBOR-LD (tag {tag}).")
