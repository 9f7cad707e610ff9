"""Delivering what was issued: a file (JSON, SD-JWT, or baked into a badge PNG/SVG), the
kind of BTV1 QR code it travels as (VC-JSON or SD-JWT; vault.qr draws it, in parts when
one code cannot hold it), the same vault (the "try it" sample), and the issued log as CSV.

The log's CSV is opened in spreadsheets: a cell that starts with = + - @ (or a tab / CR
before them) would run as a formula there (CSV injection), so such cells are written
with a leading apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.sax.saxutils import escape

from ..credentials.baked import bake_png, bake_svg
from ..errors import IssuingError
from ..store.atomic import write_atomic
from .issuer import IssuedRecord

MAX_IMAGE = 8 * 1024 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LOG_FIELDS = ("id", "issued_at", "profile_name", "title", "recipient", "format", "status", "anchored",
              "valid_from", "valid_until", "note")


def qr_kind(record: IssuedRecord) -> str:
    """The BTV1 kind ``record`` travels as: ``vault.qr.encode_parts(record.content,
    kind=qr_kind(record))`` (vault.qr is a sibling layer: the caller draws the code)."""
    return "sd-jwt" if record.is_sd_jwt else "vc-json"


def default_svg(title: str) -> str:
    """A plain badge picture for baking when the issuer gives none (the title escaped)."""
    label = escape(title[:40])
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
            '<circle cx="128" cy="128" r="120" fill="#1f5f8b"/><circle cx="128" cy="128" r="100" fill="#f5f7fa"/>'
            f'<text x="128" y="136" font-family="sans-serif" font-size="16" text-anchor="middle" fill="#1f5f8b">'
            f'{label}</text></svg>')


def default_png(title: str) -> bytes:
    # start-up: PIL ~50 ms, only when a badge is baked without an image of its own
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (256, 256), "#f5f7fa")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 248, 248), outline="#1f5f8b", width=16)
    draw.text((128, 128), title[:24], fill="#1f5f8b", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def baked(record: IssuedRecord, kind: str, image: bytes | None = None) -> bytes:
    """``record`` baked into ``image`` (or a plain badge): ``kind`` "png" or "svg"."""
    if record.is_sd_jwt:
        raise IssuingError("An SD-JWT VC cannot be baked into a badge image (Open Badges baking carries a JSON "
                           "credential or a JWT): deliver it as a file or a QR code.")
    if image is not None and len(image) > MAX_IMAGE:
        raise IssuingError(f"The badge image is over {MAX_IMAGE // (1024 * 1024)} MB.")
    if kind == "png":
        return bake_png(image if image is not None else default_png(record.title), record.content)
    if kind == "svg":
        try:
            text = image.decode("utf-8") if image is not None else default_svg(record.title)
        except UnicodeDecodeError:
            raise IssuingError("The SVG badge image is not UTF-8 text.") from None
        return bake_svg(text, record.content.decode("utf-8")).encode("utf-8")
    raise IssuingError(f"Badges are baked into PNG or SVG images, not {kind[:20]!r}.")


def write_file(record: IssuedRecord, path: Path, *, image: bytes | None = None) -> Path:
    """The credential at ``path``: baked into a badge for .png / .svg, else as it is
    (JSON for Data Integrity, the compact SD-JWT otherwise)."""
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    data = baked(record, suffix, image) if suffix in ("png", "svg") else record.content
    write_atomic(path, data)
    return path


def into_vault(record: IssuedRecord, credentials):
    """Import ``record`` into the vault of ``credentials`` (a CredentialService): the
    "try it" path, when the issuer is also the holder."""
    return credentials.import_bytes(record.content)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def log_csv(records) -> bytes:
    """The issued log as CSV (UTF-8), every cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LOG_FIELDS)
    for record in records:
        data = record.to_json()
        writer.writerow([_cell(data[name]) for name in LOG_FIELDS])
    return buffer.getvalue().encode("utf-8")
