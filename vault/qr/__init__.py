"""Compact QR transport for presentations (and other signed payloads such as DAO votes).

    text  = codec.encode(payload, kind="vp-json")      # "BTV1:VP-JSON:…" (alphanumeric)
    texts = parts.split(text)                          # [text] or the parts of a sequence
    png   = render.png(texts[0]); sheet = render.sheet(texts)
    got   = scan.read_presentation("photo.jpg")        # Decoded(kind, payload)

The format is specified in docs/qr-format.md.
"""

from .codec import Decoded, decode, encode
from .errors import ForeignPart, InvalidQr, QrTooLarge
from .parts import MAX_VERSION, Collector, collect, encode_parts, split

__all__ = [
    "MAX_VERSION", "Collector", "Decoded", "ForeignPart", "InvalidQr", "QrTooLarge", "collect",
    "decode", "encode", "encode_parts", "split",
]
