"""Compressed values back to JSON: table codes, URLs (https, urn:uuid, data:, did:key),
multibase strings and XSD dates, by the type the term's definition gives them.

As ``@digitalbazaar/cborld`` 8 ``ValueDecoder`` and ``codecs/*Decoder.js`` (which also read
what versions 4 to 7 wrote).
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import base58

from ..errors import CborldError
from .contexts import TermIds
from .tables import DATA, DID_KEY, DID_V1_NYM, HTTP, HTTPS, MULTIBASE_TYPE, SCHEMES, UUID_URN, XSD_DATE, \
    XSD_DATETIME

UNDECODED = object()        # not a compressed value: an array to walk into
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class Tables:
    values: dict[str, dict[int, str]]   # value type → code → value
    bytes_coded: frozenset[str]         # value types whose codes are byte strings
    legacy: bool                        # tag 0x0501: URL codes may also be term ids
    ids: TermIds


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def table_type(term: str, definition: dict, term_type: Any) -> str:
    """Which table a value is looked up in: "url" for ids, types and IRIs, else its type."""
    if (term in ("@id", "@type") or definition.get("@id") in ("@id", "@type")
            or term_type in ("@id", "@vocab")):
        return "url"
    return term_type if isinstance(term_type, str) else "none"


def _uint(data: bytes) -> int:
    if len(data) not in (1, 2, 4):
        raise CborldError("The CBOR-LD data has a table code of an unexpected size.")
    return int.from_bytes(data, "big")


def _sint(data: bytes) -> int:
    if len(data) not in (1, 2, 4, 8):
        raise CborldError("The CBOR-LD data has a number of an unexpected size.")
    return int.from_bytes(data, "big", signed=True)


def _moment(milliseconds: int) -> datetime:
    try:
        moment = _EPOCH + timedelta(milliseconds=milliseconds)
    except OverflowError:
        moment = None
    if moment is None or moment.year < 1:
        raise CborldError("The CBOR-LD data has a date out of range.")
    return moment


def _iso(moment: datetime, milliseconds: bool) -> str:
    text = (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:"
            f"{moment.minute:02d}:{moment.second:02d}")
    return text + (f".{moment.microsecond // 1000:03d}Z" if milliseconds else "Z")


def _datetime(value: Any) -> Any:
    if _is_int(value):
        return _iso(_moment(value * 1000), milliseconds=False)
    if isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value):
        return _iso(_moment(value[0] * 1000 + value[1]), milliseconds=True)
    return UNDECODED


def _date(value: Any) -> Any:
    if not _is_int(value):
        return UNDECODED
    return _iso(_moment(value * 1000), milliseconds=False)[:10]


def _multibase(value: Any) -> Any:
    if not isinstance(value, bytes) or not value or value[0] not in b"zuM":
        return UNDECODED
    body = value[1:]
    if value[0] == ord("z"):
        return "z" + base58.b58encode(body).decode("ascii")
    if value[0] == ord("u"):
        return "u" + base64.urlsafe_b64encode(body).decode("ascii").rstrip("=")
    return "M" + base64.b64encode(body).decode("ascii")


def _base58_part(part: Any) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, bytes):
        return "z" + base58.b58encode(part).decode("ascii")
    raise CborldError("The CBOR-LD data has a damaged DID URL.")


def _url(value: list) -> str:
    scheme = value[0] if value and _is_int(value[0]) else None
    rest = value[1:]
    if scheme in (HTTP, HTTPS) and len(rest) == 1 and isinstance(rest[0], str):
        return SCHEMES[scheme] + rest[0]
    if scheme == UUID_URN and len(rest) == 1:
        if isinstance(rest[0], str):
            return SCHEMES[scheme] + rest[0]
        if isinstance(rest[0], bytes) and len(rest[0]) == 16:
            return SCHEMES[scheme] + str(uuid.UUID(bytes=rest[0]))
    if scheme == DATA and len(rest) == 1 and isinstance(rest[0], str):
        return "data:" + rest[0]
    if scheme == DATA and len(rest) == 2 and isinstance(rest[0], str) and isinstance(rest[1], bytes):
        return f"data:{rest[0]};base64,{base64.b64encode(rest[1]).decode('ascii')}"
    if scheme in (DID_KEY, DID_V1_NYM) and len(rest) in (1, 2):
        text = SCHEMES[scheme] + _base58_part(rest[0])
        return text + ("#" + _base58_part(rest[1]) if len(rest) == 2 else "")
    raise CborldError("The CBOR-LD data has a compressed URL of an unknown kind.")


def _term_url(value: Any, tables: Tables) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return _url(value)
    if _is_int(value):
        return tables.ids.term_for(value)[0]
    raise CborldError("The CBOR-LD data has a URL that is neither text nor a compressed URL.")


def decode_value(value: Any, term: str, definition: dict, term_type: Any, tables: Tables) -> Any:
    """The JSON value of a non-object ``value``; UNDECODED for an array to walk into."""
    kind = table_type(term, definition, term_type)
    table = tables.values.get(kind)
    if table is not None:
        coded_as_bytes = kind in tables.bytes_coded
        code = None
        if isinstance(value, bytes) and coded_as_bytes:
            code = _uint(value)
        elif _is_int(value) and not coded_as_bytes:
            code = value
        if code is not None:
            if code in table:
                return table[code]
            if not (tables.legacy and kind == "url"):
                raise CborldError(f"The CBOR-LD data uses value code {code}, which is not in the tables "
                                  "of this CBOR-LD version.")
        elif isinstance(value, bytes) and kind != "none":
            return _sint(value)         # a JSON number where the type has a table
    if kind == "url":
        return _term_url(value, tables)
    decoder = {MULTIBASE_TYPE: _multibase, XSD_DATE: _date, XSD_DATETIME: _datetime}.get(kind)
    decoded = decoder(value) if decoder else UNDECODED
    if decoded is not UNDECODED:
        return decoded
    return UNDECODED if isinstance(value, list) else value
