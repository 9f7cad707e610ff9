"""CBOR-LD decoding, for Learner Credential Wallet / ``vpqr`` ``VP1-`` codes.

    document = cborld.decode(data, load_context)    # JSON-LD, as the wallet encoded it

Reads CBOR-LD 1.0 (tag 0xcb1d, registry entries 0 and 1: what ``vpqr`` 6 writes), the
pre-1.0 tag range 0x0600-0x06ff (entries 0 and 1) and the legacy tags 0x0500/0x0501
(what the Learner Credential Wallet and ``vpqr`` up to 5 write). Other registry entries
bring their own tables, which this decoder does not have: they get a clear error.

Why here and not a package: PyPI ``cborld`` (a port of ``@digitalbazaar/cborld``) needs
Python 3.12; the vault runs on 3.11. CBOR is parsed by ``cbor2``; what is written here is
CBOR-LD's own part: its tables, its term numbering over JSON-LD contexts and its value
codecs. ``load_context(url)`` returns a context document (the vault serves its vendored
copies) and raises for any other URL: nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import CborldError
from .contexts import Active, TermIds
from .decompress import Decompressor
from .envelope import open_envelope
from .tables import BYTES_CODED, BYTES_CODED_LEGACY, default_tables, legacy_tables
from .values import Tables

__all__ = ["CborldError", "decode"]


def _plain_json(value: Any) -> Any:
    """An uncompressed payload: JSON as CBOR (string keys, no byte strings)."""
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise CborldError("The uncompressed CBOR-LD data has a map key that is not text.")
        return {k: _plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_json(v) for v in value]
    if isinstance(value, bytes):
        raise CborldError("The CBOR-LD data holds bytes that JSON cannot.")
    return value


def _check_json(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, bytes):
            raise CborldError("The CBOR-LD data holds bytes where its contexts expect no compressed value.")


def decode(data: bytes, load_context: Callable[[str], Any]) -> Any:
    """The JSON-LD document of CBOR-LD ``data``; CborldError if it cannot be decoded."""
    envelope = open_envelope(data)
    if envelope.registry_entry == 0:
        return _plain_json(envelope.payload)
    if envelope.format == "legacy-singleton":
        values, coded, legacy = legacy_tables(), BYTES_CODED_LEGACY, True
    elif envelope.registry_entry == 1:
        values, coded, legacy = default_tables(), BYTES_CODED, False
    else:
        raise CborldError(f"The CBOR-LD data uses registry entry {envelope.registry_entry}, whose value "
                          "tables this vault does not have (it reads entries 0 and 1 and the legacy format).")
    ids = TermIds(load_context)
    document = Decompressor(Tables(values, coded, legacy, ids)).convert(envelope.payload, Active(ids, {}))
    _check_json(document)
    return document
