"""The BTV QR text format: a payload (presentation text) in one QR alphanumeric string.

    BTV2:<KIND>:<base45( transform ‖ CRC-32(payload) ‖ raw deflate with the v2 dictionary )>

Writers make BTV2; readers read BTV2 and BTV1 (the same layout with the v1 dictionary and
transforms 0 and 1 only), so codes shown or printed before keep working.

Spec with a worked example: docs/qr-format.md. In short:

* ``payload`` is the exact bytes of the presentation (JSON, JWT, SD-JWT, …); ``kind`` an
  open, short, lower-case label (``vp-json``, ``vp-jwt``, ``sd-jwt``, ``vote``…) written
  upper-case in the text so that the whole code stays in the QR alphanumeric charset.
* transform 0 keeps the payload as is; transform 1 ("JOSE unwrap") replaces every
  base64url run that starts like JSON (``eyJ`` = ``{"``, ``WyJ`` = ``["``) by its decoded
  bytes between the markers 0x01 and 0x02 (nested up to 8 deep), so that the JSON inside
  JWTs and SD-JWT disclosures meets the dictionary. The encoder tries both and keeps the
  shorter; decoding undoes it exactly.
* transform 2 (BTV2 only) is transform 1, then every SHA-256 the reader can recompute
  (an SD-JWT's disclosure digests and ``sd_hash``) replaced by a reference (digests.py).
* raw deflate (RFC 1951, zlib wbits -15) with zlib's preset dictionary ``zdict`` =
  ``dictionary-v<version>.txt`` next to this file. A dictionary is part of its format
  version and never changes within it (SHA-256s pinned in tests/qr/test_qr_codec.py).
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

from . import digests
from .errors import InvalidQr, QrTooLarge

__all__ = [
    "ALPHANUMERIC", "DICTIONARY_FILE", "FORMAT_VERSION", "MAX_PAYLOAD", "MAX_TEXT", "PREFIX",
    "Decoded", "b45decode", "b45encode", "decode", "dictionary", "dictionary_sha256", "encode",
    "is_alphanumeric", "is_btv", "check_kind", "READ_VERSIONS",
]

FORMAT_VERSION = 2               # what writers make
READ_VERSIONS = (1, 2)           # what readers read
PREFIX = f"BTV{FORMAT_VERSION}"
DICTIONARY_FILE = f"dictionary-v{FORMAT_VERSION}.txt"
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"  # QR alphanumeric = base45
MAX_PAYLOAD = 1 << 20            # 1 MiB of presentation text; far above any real one
MAX_TEXT = 99 * 3_000 + 4_096    # the longest text a 99-part sequence can join to, bounded
MAX_NESTING = 8                  # JOSE unwrap depth (a VP-JWT holding VC-JWTs is 2)

TRANSFORM_NONE = 0
TRANSFORM_JOSE = 1
TRANSFORM_DIGESTS = 2            # BTV2: JOSE unwrap, recomputable digests left out
_TRANSFORMS = {1: (TRANSFORM_NONE, TRANSFORM_JOSE), 2: (TRANSFORM_NONE, TRANSFORM_JOSE, TRANSFORM_DIGESTS)}

_KIND = re.compile(r"[a-z0-9][a-z0-9-]{0,15}")
_SINGLE = re.compile(r"BTV([12]):([A-Z0-9-]{1,16}):(.*)", re.DOTALL)
_VERSIONED = re.compile(r"BTV(\d{1,4})[:/]")
_ALNUM = frozenset(ALPHANUMERIC)
# eyJ / eyI / WyJ / WyI: base64url of '{"' and '["' (I when a digit or '-' follows, as in an
# SD-JWT disclosure whose salt starts with one)
_B64_RUN = re.compile(rb"(?<![A-Za-z0-9_-])(?:ey|Wy)[IJ][A-Za-z0-9_-]*")
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

@lru_cache(maxsize=2)
def dictionary(version: int = FORMAT_VERSION) -> bytes:
    """The preset deflate dictionary of a format version (common VC / VP / OB 3.0 / Data
    Integrity / JOSE strings)."""
    return resources.files(__package__).joinpath(f"dictionary-v{version}.txt").read_bytes()


def dictionary_sha256(version: int = FORMAT_VERSION) -> str:
    return hashlib.sha256(dictionary(version)).hexdigest()


def is_btv(text: str) -> bool:
    """True if ``text`` starts like a code (or part) of a BTV version this app reads."""
    text = text.lstrip()
    return any(text.startswith(f"BTV{v}") for v in READ_VERSIONS)


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

def _deflate(data: bytes, version: int = FORMAT_VERSION) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, zdict=dictionary(version))
    return c.compress(data) + c.flush()


def _inflate(data: bytes, version: int = FORMAT_VERSION) -> bytes:
    d = zlib.decompressobj(-15, zdict=dictionary(version))
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


def encode(payload: bytes, *, kind: str, version: int = FORMAT_VERSION) -> str:
    """The BTV text for ``payload`` (exact bytes) of the given ``kind``; ``version`` 1 only
    to make old codes (tests, benchmarks).

    The result is always in the QR alphanumeric charset. It may be longer than one QR
    code holds: :func:`vault.qr.parts.split` cuts it into parts when needed.
    """
    check_kind(kind)
    if version not in READ_VERSIONS:
        raise ValueError(f"BTV format version {version!r} is not one of {READ_VERSIONS}")
    payload = bytes(payload)
    if len(payload) > MAX_PAYLOAD:
        raise QrTooLarge(f"The presentation is {len(payload):,} bytes; QR codes carry at "
                         f"most {MAX_PAYLOAD:,}. Present fewer credentials.")
    crc = zlib.crc32(payload).to_bytes(4, "big")
    best = bytes([TRANSFORM_NONE]) + crc + _deflate(payload, version)
    if digests.MARKERS.isdisjoint(payload):
        unwrapped = _unwrap(payload)
        if unwrapped != payload and _wrap(unwrapped) == payload:
            candidate = bytes([TRANSFORM_JOSE]) + crc + _deflate(unwrapped, version)
            best = min(best, candidate, key=len)
            dropped = _dropped(unwrapped, payload) if version >= 2 else None
            if dropped is not None:
                best = min(best, bytes([TRANSFORM_DIGESTS]) + crc + _deflate(dropped, version), key=len)
    return f"BTV{version}:{kind.upper()}:{b45encode(best)}"


def _dropped(unwrapped: bytes, payload: bytes) -> bytes | None:
    """Transform 2's form of the payload, or None when it would not read back exactly."""
    try:
        dropped = digests.drop(unwrapped)
        return dropped if dropped != unwrapped and digests.expand(dropped) == payload else None
    except InvalidQr:
        return None


def _foreign(text: str) -> InvalidQr:
    if text.startswith("HC1:"):
        return InvalidQr("This is an EU Digital COVID Certificate (HC1:), not a presentation.")
    if text.startswith("VP1-"):
        return InvalidQr("This is a Learner Credential Wallet code (VP1-); read it with "
                         "vault.qr.scan.read_text, which decodes CBOR-LD when it can.")
    m = _VERSIONED.match(text)
    if m and int(m.group(1)) not in READ_VERSIONS:
        reads = " and ".join(f"BTV{v}" for v in READ_VERSIONS)
        return InvalidQr(f"This code is in format BTV{m.group(1)}, which this version of "
                         f"Blocktrack Vault does not read (it reads {reads}). Update the app.")
    return InvalidQr("This is not a Blocktrack Vault presentation code.")


def decode(text: str) -> Decoded:
    """Read one complete BTV1 or BTV2 text (a single code, or the parts already joined)."""
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
    if re.match(r"BTV[12]/", text):
        raise InvalidQr("This is one part of a multi-part code: scan all of its parts "
                        "(vault.qr.parts.Collector joins them).")
    m = _SINGLE.fullmatch(text)
    if m is None:
        if re.match(r"BTV[12]:", text):
            raise InvalidQr("The code's header is damaged: it was misread. Scan it again.")
        raise _foreign(text)
    version, kind = int(m.group(1)), m.group(2).lower()
    if not _KIND.fullmatch(kind):
        raise InvalidQr("The code's header is damaged: it was misread. Scan it again.")
    body = b45decode(m.group(3))
    if len(body) < 6:
        raise InvalidQr("The code is cut short: it holds no data.")
    transform, crc, compressed = body[0], body[1:5], body[5:]
    if transform not in _TRANSFORMS[version]:
        raise InvalidQr("The code uses a feature this version of Blocktrack Vault does not "
                        "know, or it was misread. Update the app or scan it again.")
    payload = _inflate(compressed, version)
    if transform == TRANSFORM_JOSE:
        payload = _wrap(payload)
    elif transform == TRANSFORM_DIGESTS:
        payload = digests.expand(payload)
        if len(payload) > MAX_PAYLOAD:
            raise InvalidQr("The code's data expands beyond the size of any presentation.")
    if zlib.crc32(payload).to_bytes(4, "big") != crc:
        raise InvalidQr("The code was misread (its checksum does not match). Scan it again.")
    return Decoded(kind=kind, payload=payload)
