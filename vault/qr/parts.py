"""Multi-part BTV codes: one QR when the text fits, else a sequence a scanner joins.

A part is

    BTV2/<index>/<count>/<CHECK>:<slice>        (BTV1/… for a BTV1 text: readers read both)

``index`` 1..count and ``count`` 2..99 in decimal without leading zeros, ``CHECK`` the first
8 bytes of SHA-256 over the whole single-code text (16 upper-case hex digits), and
``slice`` the index-th of ``count`` consecutive, near-equal slices of that whole text. The
parts join (in index order) to exactly the single-code text, which :func:`codec.decode`
reads; the checksum ties every part to its message and verifies the join.

Why version 25 at most (117×117 modules): it is the largest symbol that phone cameras read
reliably off a laptop screen at arm's length (about 4 screen pixels per module for a 500 px
code on a 1080p display, 1 module ≈ 0.6 mm on a 15" screen), and zxing-cpp reads it back
from our degraded test images (blur, rotation, down-scaling, JPEG); EU DCC codes are of the
same size. It keeps a typical one-credential presentation (version 20-21) in one code with
room to spare, while anything bigger becomes an animated sequence of parts no denser than
that.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field

from .codec import MAX_TEXT, PREFIX, Decoded, decode, encode, is_alphanumeric
from .errors import ForeignPart, InvalidQr, QrTooLarge

__all__ = [
    "ALNUM_CAPACITY_M", "MAX_PARTS", "MAX_VERSION", "Collector", "Part", "capacity", "checksum",
    "encode_parts", "is_part", "parse_part", "split", "version_for",
]

MAX_VERSION = 25
MAX_PARTS = 99

# ISO/IEC 18004 table 7: alphanumeric characters per symbol at error correction level M,
# versions 1..40 (checked against the writer in tests/qr/test_qr_parts.py).
ALNUM_CAPACITY_M = (
    20, 38, 61, 90, 122, 154, 178, 221, 262, 311, 366, 419, 483, 528, 600, 656, 734, 816,
    909, 970, 1035, 1134, 1248, 1326, 1451, 1542, 1637, 1732, 1839, 1994, 2113, 2238, 2369,
    2506, 2632, 2780, 2894, 3054, 3220, 3391,
)

_PART = re.compile(r"BTV[12]/([1-9][0-9]?)/([1-9][0-9]?)/([0-9A-F]{16}):(.*)", re.DOTALL)
_HEADER_MAX = len(f"{PREFIX}/{MAX_PARTS}/{MAX_PARTS}/{'F' * 16}:")


def capacity(version: int) -> int:
    """Alphanumeric characters one code of ``version`` holds at level M."""
    return ALNUM_CAPACITY_M[version - 1]


def version_for(text: str) -> int | None:
    """The smallest QR version holding ``text`` (alphanumeric, level M); None if none does."""
    if not is_alphanumeric(text):
        raise ValueError("BTV texts are alphanumeric; this one is not")
    for version, cap in enumerate(ALNUM_CAPACITY_M, start=1):
        if len(text) <= cap:
            return version
    return None


def checksum(text: str) -> str:
    """First 8 bytes of SHA-256 of the whole single-code text, upper-case hex."""
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:16].upper()


def split(text: str, *, max_version: int = MAX_VERSION) -> list[str]:
    """``[text]`` when it fits one code of ``max_version`` at level M, else its parts."""
    if not 1 <= max_version <= 40:
        raise ValueError("max_version must be 1..40")
    if len(text) <= capacity(max_version):
        return [text]
    room = capacity(max_version) - _HEADER_MAX
    if room < 8:
        raise ValueError(f"version {max_version} is too small to carry parts")
    check = checksum(text)
    count = math.ceil(len(text) / room)
    while True:
        if count > MAX_PARTS:
            raise QrTooLarge(f"The presentation needs more than {MAX_PARTS} QR codes. "
                             "Present fewer credentials.")
        slices = _slices(text, count)
        if slices is not None and max(map(len, slices)) <= room:
            prefix = text[:4] if re.match(r"BTV[12]:", text) else PREFIX   # a part says its text's version
            return [f"{prefix}/{i}/{count}/{check}:{s}" for i, s in enumerate(slices, 1)]
        count += 1


def _slices(text: str, count: int) -> list[str] | None:
    """``count`` near-equal slices, none ending in a space (some scanner apps trim trailing
    spaces; base45 has them, the whole text never ends in one)."""
    cuts, pos = [0], 0
    for i in range(1, count):
        end = max(round(i * len(text) / count), pos + 1)
        while end > pos + 1 and text[end - 1] == " ":
            end -= 1
        if text[end - 1] == " " or end >= len(text):
            return None
        cuts.append(end)
        pos = end
    cuts.append(len(text))
    return [text[a:b] for a, b in zip(cuts, cuts[1:])]


def encode_parts(payload: bytes, *, kind: str, max_version: int = MAX_VERSION) -> list[str]:
    """Encode and split: the texts to show (one, or a sequence to animate / print)."""
    return split(encode(payload, kind=kind), max_version=max_version)


@dataclass(frozen=True)
class Part:
    index: int
    count: int
    checksum: str
    data: str


def _clean(text: str) -> str:
    # Leading whitespace and line ends are never data; a trailing space may be (base45).
    return text.lstrip().rstrip("\r\n")


def is_part(text: str) -> bool:
    return isinstance(text, str) and re.match(r"BTV[12]/", text.lstrip()) is not None


def parse_part(text: str) -> Part:
    m = _PART.fullmatch(_clean(text))
    if m is None:
        raise InvalidQr("The part's header is damaged or in an unknown format: scan it again.")
    index, count = int(m.group(1)), int(m.group(2))
    if count < 2 or index > count:
        raise InvalidQr(f"The part says it is {index} of {count}, which cannot be: it is "
                        "damaged.")
    return Part(index, count, m.group(3), m.group(4))


@dataclass
class Collector:
    """Joins the parts of one multi-part code, scanned in any order.

    ``add`` returns the :class:`Decoded` payload once every part is in (or at once for a
    single code), ``None`` while parts are missing (duplicates are ignored). A part of
    another message raises :class:`ForeignPart` and leaves the collection as it was;
    damaged or inconsistent parts raise :class:`InvalidQr`.
    """

    _checksum: str | None = None
    _count: int | None = None
    _parts: dict[int, str] = field(default_factory=dict)
    _size: int = 0

    @property
    def count(self) -> int | None:
        return self._count

    @property
    def received(self) -> list[int]:
        return sorted(self._parts)

    @property
    def missing(self) -> list[int]:
        if self._count is None:
            return []
        return [i for i in range(1, self._count + 1) if i not in self._parts]

    @property
    def progress(self) -> str:
        return f"{len(self._parts)} / {self._count or '?'}"

    def reset(self) -> None:
        self._checksum, self._count, self._parts, self._size = None, None, {}, 0

    def add(self, text: str) -> Decoded | None:
        if not isinstance(text, str):
            raise InvalidQr("This is not a Blocktrack Vault presentation code.")
        if not is_part(text):
            if self._parts:
                raise ForeignPart(f"That is a single code, not part of the sequence being "
                                  f"collected ({self.progress} parts so far).")
            return decode(text)
        part = parse_part(text)
        if self._checksum is None:
            self._checksum, self._count = part.checksum, part.count
        elif part.checksum != self._checksum:
            raise ForeignPart(f"That part belongs to another code (checksum {part.checksum}, "
                              f"collecting {self._checksum}, {self.progress} parts so far). "
                              "Scan the parts of one code only, or start over.")
        elif part.count != self._count:
            raise InvalidQr(f"Parts of the same code disagree on their number ({part.count} "
                            f"vs {self._count}): one is damaged. Start over.")
        seen = self._parts.get(part.index)
        if seen is not None:
            if seen != part.data:
                raise InvalidQr(f"Part {part.index} / {part.count} was read twice with "
                                "different content: one reading is damaged. Start over.")
            return None
        if self._size + len(part.data) > MAX_TEXT:
            raise InvalidQr("The parts add up to more than any presentation code; refused.")
        self._parts[part.index] = part.data
        self._size += len(part.data)
        if len(self._parts) < part.count:
            return None
        whole = "".join(self._parts[i] for i in range(1, part.count + 1))
        expected = self._checksum
        self.reset()
        if not is_alphanumeric(whole) or checksum(whole) != expected:
            raise InvalidQr("The parts do not join to the code they announce (checksum "
                            "mismatch): one was misread. Start over.")
        return decode(whole)


def collect(texts) -> Decoded:
    """Join texts read from several images or lines: one code (possibly read many times),
    or the parts of one multi-part code in any order with duplicates."""
    unique = list(dict.fromkeys(_clean(t) for t in texts if isinstance(t, str) and t.strip()))
    singles = [t for t in unique if not is_part(t)]
    parts = [t for t in unique if is_part(t)]
    if len(singles) > 1 or (singles and parts):
        raise InvalidQr("These images hold more than one code: keep only the code (or the "
                        "parts of the code) of one presentation.")
    if singles:
        return decode(singles[0])
    if not parts:
        raise InvalidQr("No Blocktrack Vault code was found.")
    collector = Collector()
    for text in parts:
        result = collector.add(text)
        if result is not None:
            return result
    raise InvalidQr(f"Part(s) {', '.join(map(str, collector.missing))} of {collector.count} "
                    "are missing: scan them too.")

