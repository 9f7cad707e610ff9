"""The BTV1 QR text format: a payload (presentation text) in one QR alphanumeric string.

    BTV1:<KIND>:<base45( transform ‖ CRC-32(payload) ‖ raw deflate with the v1 dictionary )>

Spec with a worked example: docs/qr-format.md. In short:

* ``payload`` is the exact bytes of the presentation (JSON, JWT, SD-JWT, …); ``kind`` an
  open, short, lower-case label (``vp-json``, ``vp-jwt``, ``sd-jwt``, ``vote``…) written
  upper-case in the text so that the whole code stays in the QR alphanumeric charset.
* transform 0 keeps the payload as is; transform 1 ("JOSE unwrap") replaces every
  base64url run that starts like JSON (``eyJ`` = ``{"``, ``WyJ`` = ``["``) by its decoded
  bytes between the markers 0x01 and 0x02 (nested up to 8 deep), so that the JSON inside
  JWTs and SD-JWT disclosures meets the dictionary. The encoder tries both and keeps the
  shorter; decoding undoes it exactly.
* raw deflate (RFC 1951, zlib wbits -15) with zlib's preset dictionary ``zdict`` =
  ``dictionary-v1.txt`` next to this file. The dictionary is part of format version 1 and
  never changes within it (its SHA-256 is pinned in tests/qr/test_codec.py).
* CRC-32 (big-endian) of the payload: raw deflate has no check of its own, and a misread
  character can otherwise inflate to a different, plausible payload.
* base45 (RFC 9285) of the bytes, whose 45 characters are exactly the QR alphanumeric set.

Decoding is defensive: any text that is not a well-formed BTV1 code of a bounded size is an
:class:`InvalidQr` with a message a person can act on, never another exception; inflating
stops at :data:`MAX_PAYLOAD` bytes (a decompression bomb is a refusal, not a memory spike).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import base45 as _base45

from .errors import InvalidQr, QrTooLarge

__all__ = [
    "ALPHANUMERIC", "DICTIONARY_FILE", "FORMAT_VERSION", "MAX_PAYLOAD", "MAX_TEXT", "PREFIX",
    "Decoded", "b45decode", "b45encode", "decode", "dictionary", "dictionary_sha256", "encode",
    "is_alphanumeric", "check_kind",
]

FORMAT_VERSION = 1
PREFIX = f"BTV{FORMAT_VERSION}"
DICTIONARY_FILE = "dictionary-v1.txt"
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"  # QR alphanumeric = base45
MAX_PAYLOAD = 1 << 20            # 1 MiB of presentation text; far above any real one
MAX_TEXT = 99 * 3_000 + 4_096    # the longest text a 99-part sequence can join to, bounded
MAX_NESTING = 8                  # JOSE unwrap depth (a VP-JWT holding VC-JWTs is 2)

TRANSFORM_NONE = 0
TRANSFORM_JOSE = 1

_KIND = re.compile(r"[a-z0-9][a-z0-9-]{0,15}")
_SINGLE = re.compile(r"BTV1:([A-Z0-9-]{1,16}):(.*)", re.DOTALL)
_VERSIONED = re.compile(r"BTV(\d{1,4})[:/]")
_ALNUM = frozenset(ALPHANUMERIC)
_B64_RUN = re.compile(rb"(?<![A-Za-z0-9_-])(?:eyJ|WyJ)[A-Za-z0-9_-]*")
_MARKERS = re.compile(rb"([\x01\x02])")


@dataclass(frozen=True)
class Decoded:
    """A payload read back: what it is (``kind``) and its exact bytes."""

    kind: str
    payload: bytes

    @property
    def text(self) -> str:
        """The payload as text (presentations are UTF-8)."""
        return self.payload.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------- dictionary

@lru_cache(maxsize=1)
def dictionary() -> bytes:
    """The v1 preset deflate dictionary (common VC / VP / OB 3.0 / Data Integrity strings)."""
    return resources.files(__package__).joinpath(DICTIONARY_FILE).read_bytes()


def dictionary_sha256() -> str:
    return hashlib.sha256(dictionary()).hexdigest()


# ---------------------------------------------------------------------------- base45

def is_alphanumeric(text: str) -> bool:
    """True if every character is in the QR alphanumeric set (so the code uses that mode)."""
    return _ALNUM.issuperset(text)


def b45encode(data: bytes) -> str:
    """RFC 9285 base45 (the ``base45`` package: a direct transcription of the RFC)."""
    return _base45.b45encode(bytes(data)).decode("ascii")


def b45decode(text: str) -> bytes:
    """Strict RFC 9285 base45: only the 45 characters, no 1-char tail, no group overflow."""
    if not is_alphanumeric(text):
        bad = next(c for c in text if c not in _ALNUM)
        raise InvalidQr(f"The code holds a character ({bad!r}) that base45 does not use: "
                        "it was misread or is not a Blocktrack Vault code.")
    try:
        return _base45.b45decode(text)
    except (ValueError, KeyError, TypeError):
        raise InvalidQr("The code's data is not valid base45: it was misread or cut short. "
                        "Scan it again.") from None


# ---------------------------------------------------------------------------- JOSE unwrap

def _unwrap(data: bytes, depth: int = 0) -> bytes:
    """Replace base64url runs that decode to JSON-looking bytes by 0x01 decoded 0x02."""
    if depth >= MAX_NESTING:
        return data

    def sub(match: re.Match) -> bytes:
        run = match.group(0)
        if len(run) % 4 == 1:
            return run
        try:
            decoded = base64.urlsafe_b64decode(run + b"=" * (-len(run) % 4))
        except (binascii.Error, ValueError):
            return run
        if base64.urlsafe_b64encode(decoded).rstrip(b"=") != run:
            return run  # non-canonical base64url (stray bits): keep it as text
        if b"\x01" in decoded or b"\x02" in decoded:
            return run
        return b"\x01" + _unwrap(decoded, depth + 1) + b"\x02"

    return _B64_RUN.sub(sub, data)


def _wrap(data: bytes) -> bytes:
    """Inverse of :func:`_unwrap`, bounded: no output beyond MAX_PAYLOAD, nesting ≤ 8."""
    stack: list[list[bytes]] = [[]]
    size = 0
    for token in _MARKERS.split(data):
        if token == b"\x01":
            if len(stack) > MAX_NESTING:
                raise InvalidQr("The code's data is nested too deeply to be a presentation.")
            stack.append([])
        elif token == b"\x02":
            if len(stack) == 1:
                raise InvalidQr("The code's data is damaged (an unmatched segment marker).")
            inner = b"".join(stack.pop())
            encoded = base64.urlsafe_b64encode(inner).rstrip(b"=")
            size += len(encoded) - len(inner)
            if size > MAX_PAYLOAD:
                raise InvalidQr("The code's data expands beyond the size of any presentation.")
            stack[-1].append(encoded)
        elif token:
            stack[-1].append(token)
    if len(stack) != 1:
        raise InvalidQr("The code's data is damaged (an unclosed segment marker).")
    out = b"".join(stack[0])
    if len(out) > MAX_PAYLOAD:
        raise InvalidQr("The code's data expands beyond the size of any presentation.")
    return out


# ---------------------------------------------------------------------------- deflate

def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, zdict=dictionary())
    return c.compress(data) + c.flush()


def _inflate(data: bytes) -> bytes:
    d = zlib.decompressobj(-15, zdict=dictionary())
    try:
        out = d.decompress(data, MAX_PAYLOAD + 1)
    except zlib.error:
        raise InvalidQr("The code's data does not decompress: it was misread or is damaged. "
                        "Scan it again.") from None
    if len(out) > MAX_PAYLOAD or d.unconsumed_tail:
        raise InvalidQr("The code's data decompresses to more than 1 MiB, far beyond any "
                        "presentation; it was refused.")
    if not d.eof:
        raise InvalidQr("The code's data is cut short: it was misread or a part is missing.")
    if d.unused_data:
        raise InvalidQr("The code holds extra data after its end: it is damaged.")
    return out


# ---------------------------------------------------------------------------- encode / decode

def check_kind(kind: str) -> str:
    """A kind is 1-16 characters of a-z, 0-9 and '-' starting with a letter or digit."""
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        raise ValueError(f"QR payload kind {kind!r} must be 1-16 characters of a-z, 0-9 "
                         "and '-', starting with a letter or digit")
    return kind


def encode(payload: bytes, *, kind: str) -> str:
    """The BTV1 text for ``payload`` (exact bytes) of the given ``kind``.

    The result is always in the QR alphanumeric charset. It may be longer than one QR
    code holds: :func:`vault.qr.parts.split` cuts it into parts when needed.
    """
    check_kind(kind)
    payload = bytes(payload)
    if len(payload) > MAX_PAYLOAD:
        raise QrTooLarge(f"The presentation is {len(payload):,} bytes; QR codes carry at "
                         f"most {MAX_PAYLOAD:,}. Present fewer credentials.")
    crc = zlib.crc32(payload).to_bytes(4, "big")
    best = bytes([TRANSFORM_NONE]) + crc + _deflate(payload)
    if b"\x01" not in payload and b"\x02" not in payload:
        unwrapped = _unwrap(payload)
        if unwrapped != payload and _wrap(unwrapped) == payload:
            candidate = bytes([TRANSFORM_JOSE]) + crc + _deflate(unwrapped)
            if len(candidate) < len(best):
                best = candidate
    return f"{PREFIX}:{kind.upper()}:{b45encode(best)}"


def _foreign(text: str) -> InvalidQr:
    if text.startswith("HC1:"):
        return InvalidQr("This is an EU Digital COVID Certificate (HC1:), not a presentation.")
    if text.startswith("VP1-"):
        return InvalidQr("This is a Learner Credential Wallet code (VP1-); read it with "
                         "vault.qr.scan.read_text, which decodes CBOR-LD when it can.")
    m = _VERSIONED.match(text)
    if m and m.group(1) != str(FORMAT_VERSION):
        return InvalidQr(f"This code is in format BTV{m.group(1)}, which this version of "
                         f"Blocktrack Vault does not read (it reads {PREFIX}). Update the app.")
    return InvalidQr("This is not a Blocktrack Vault presentation code.")


def decode(text: str) -> Decoded:
    """Read one complete BTV1 text (a single code, or the parts already joined)."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("ascii")
        except UnicodeDecodeError:
            raise InvalidQr("This is not a Blocktrack Vault presentation code.") from None
    if not isinstance(text, str):
        raise InvalidQr("This is not a Blocktrack Vault presentation code.")
    text = text.strip()  # base45 never ends in a space, so this never eats data
    if len(text) > MAX_TEXT:
        raise InvalidQr("The code is far longer than any presentation code; it was refused.")
    if text.startswith(PREFIX + "/"):
        raise InvalidQr("This is one part of a multi-part code: scan all of its parts "
                        "(vault.qr.parts.Collector joins them).")
    m = _SINGLE.fullmatch(text)
    if m is None:
        if text.startswith(PREFIX + ":"):
            raise InvalidQr("The code's header is damaged: it was misread. Scan it again.")
        raise _foreign(text)
    kind = m.group(1).lower()
    if not _KIND.fullmatch(kind):
        raise InvalidQr("The code's header is damaged: it was misread. Scan it again.")
    body = b45decode(m.group(2))
    if len(body) < 6:
        raise InvalidQr("The code is cut short: it holds no data.")
    transform, crc, compressed = body[0], body[1:5], body[5:]
    if transform not in (TRANSFORM_NONE, TRANSFORM_JOSE):
        raise InvalidQr("The code uses a feature this version of Blocktrack Vault does not "
                        "know, or it was misread. Update the app or scan it again.")
    payload = _inflate(compressed)
    if transform == TRANSFORM_JOSE:
        payload = _wrap(payload)
    if zlib.crc32(payload).to_bytes(4, "big") != crc:
        raise InvalidQr("The code was misread (its checksum does not match). Scan it again.")
    return Decoded(kind=kind, payload=payload)
