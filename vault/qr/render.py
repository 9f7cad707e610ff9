"""Draw BTV texts as QR codes: PNG, SVG, a printable sheet of parts, an animated GIF.

zxing-cpp's C++ writer (zint) makes the symbol: error correction level M exactly, at the
version the BTV format promises for the text (parts.version_for: alphanumeric mode, level
M), with the standard's choice of the lowest-penalty mask; other texts (a DID, an address)
at the smallest version that holds them. segno, the pure-Python writer used before, took
~40 ms a code, 80 % of it scoring the eight masks. We draw the 4-module quiet zone of
ISO/IEC 18004 ourselves; Pillow makes the PNG, the sheet and the animation.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import zxingcpp

from .codec import is_alphanumeric
from .parts import is_part, parse_part, version_for

__all__ = [
    "BORDER", "FRAME_MS", "SCALE", "Symbol", "animated_gif", "grey", "make", "png", "qr_version",
    "sheet", "sheet_png", "sheet_svg", "svg",
]

SCALE = 6          # pixels per module: a version-25 code is 750 px wide with its border
BORDER = 4         # quiet zone in modules (the standard's minimum)
FRAME_MS = 300     # animation: time each part stays on screen
DARK, LIGHT = 0, 255
_DARK_RUN = re.compile(b"\x00+")


@dataclass(frozen=True)
class Symbol:
    """A QR symbol: ``size`` × ``size`` modules, one byte each (0 dark, 255 light), row by row."""

    version: int
    size: int
    modules: bytes

    def rows(self) -> list[bytes]:
        n = self.size
        return [self.modules[i:i + n] for i in range(0, n * n, n)]

    def side(self, *, scale: int = 1, border: int = BORDER) -> int:
        """Width (= height) in pixels with the quiet zone."""
        return (self.size + 2 * border) * scale


def make(text: str) -> Symbol:
    """The QR symbol for ``text`` at level M (a BTV text: alphanumeric, at its promised version)."""
    version = version_for(text) if is_alphanumeric(text) else None
    options = {"ec_level": "M"} if version is None else {"ec_level": "M", "version": version}
    try:
        barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, **options)
    except ValueError as exc:  # more than a version-40 code holds (or the promised version)
        raise ValueError(f"this text does not fit one QR code: {exc}") from None
    view = memoryview(barcode.to_image(scale=1, add_quiet_zones=False))
    size = view.shape[0]
    return Symbol(version=(size - 17) // 4, size=size, modules=view.tobytes())


def qr_version(text: str) -> int:
    """The QR version (1-40) of the code drawn for ``text`` (level M)."""
    return make(text).version


def grey(symbol: Symbol, *, border: int = BORDER) -> bytes:
    """The symbol with its quiet zone, one byte a module (8-bit grey), row by row."""
    side = symbol.side(border=border)
    blank, margin = b"\xff" * (side * border), b"\xff" * border
    return blank + b"".join(margin + row + margin for row in symbol.rows()) + blank


def _pil(symbol: Symbol, scale: int, border: int):
    # start-up: PIL (~10-20 ms) only when an image is drawn
    from PIL import Image

    side = symbol.side(border=border)
    image = Image.frombytes("L", (side, side), grey(symbol, border=border))
    if scale != 1:  # whole pixels per module, never smoothed
        image = image.resize((side * scale, side * scale), Image.Resampling.NEAREST)
    return image


def png(text: str, *, scale: int = SCALE, border: int = BORDER) -> bytes:
    """A 1-bit PNG of the code (black on white)."""
    # start-up: PIL (~10-20 ms) only when an image is drawn
    from PIL import Image

    buf = io.BytesIO()
    _pil(make(text), scale, border).convert("1", dither=Image.Dither.NONE).save(buf, format="PNG")
    return buf.getvalue()


def _svg_path(symbol: Symbol, scale: int, border: int) -> str:
    # one stroked path: a horizontal line through every run of dark modules, row by row
    d = []
    for y, row in enumerate(symbol.rows()):
        for run in _DARK_RUN.finditer(row):
            d.append(f"M{run.start() + border} {y + border}.5h{run.end() - run.start()}")
    return f'<path transform="scale({scale})" stroke="#000" d="{"".join(d)}"/>'


def _svg(symbol: Symbol, scale: int, border: int, *, title: str | None = None) -> str:
    side = symbol.side(scale=scale, border=border)
    caption = f"<title>{escape(title)}</title>" if title else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" '
            f'viewBox="0 0 {side} {side}">{caption}{_svg_code(symbol, scale, border)}</svg>')


def _svg_code(symbol: Symbol, scale: int, border: int) -> str:
    side = symbol.side(scale=scale, border=border)
    return f'<rect width="{side}" height="{side}" fill="#fff"/>{_svg_path(symbol, scale, border)}'


def svg(text: str, *, scale: int = SCALE, border: int = BORDER, title: str | None = None) -> str:
    return _svg(make(text), scale, border, title=title)


def _caption(text: str, index: int, count: int) -> str:
    if is_part(text):
        part = parse_part(text)
        return f"{part.index} / {part.count}"
    return f"{index} / {count}"


def _font(size: int):
    # start-up: PIL (~10-20 ms) only when an image is drawn
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError, AttributeError):  # Pillow without FreeType
        return ImageFont.load_default()


def _image(text: str, scale: int, border: int):
    return _pil(make(text), scale, border)


def _grid(count: int, columns: int | None) -> tuple[int, int]:
    if columns is None:
        columns = 1 if count == 1 else 2 if count <= 4 else 3
    columns = max(1, min(columns, count))
    return columns, -(-count // columns)


def sheet_png(parts: Sequence[str], *, columns: int | None = None, scale: int = 4,
              border: int = BORDER, title: str | None = None) -> bytes:
    """A printable grid of every part's code, each captioned "i / n"."""
    # start-up: PIL (~10-20 ms) only when an image is drawn
    from PIL import Image, ImageDraw

    if not parts:
        raise ValueError("no codes to draw")
    images = [_image(t, scale, border) for t in parts]
    cell = max(max(i.width for i in images), 200)
    caption_h = max(24, cell // 12)
    title_h = caption_h * 2 if title else 0
    columns, rows = _grid(len(images), columns)
    gap = scale * 2
    width = columns * cell + (columns + 1) * gap
    height = title_h + rows * (cell + caption_h) + (rows + 1) * gap
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = _font(int(caption_h * 0.7))
    if title:
        draw.text((width // 2, gap + title_h // 2), title, fill=0, font=_font(int(caption_h * 0.8)),
                  anchor="mm")
    for n, (image, text) in enumerate(zip(images, parts)):
        row, col = divmod(n, columns)
        x = gap + col * (cell + gap)
        y = title_h + gap + row * (cell + caption_h + gap)
        page.paste(image, (x + (cell - image.width) // 2, y + (cell - image.height) // 2))
        draw.text((x + cell // 2, y + cell + caption_h // 2), _caption(text, n + 1, len(parts)),
                  fill=0, font=font, anchor="mm")
    out = io.BytesIO()
    page.save(out, format="PNG", optimize=False)
    return out.getvalue()


def sheet_svg(parts: Sequence[str], *, columns: int | None = None, scale: int = 4,
              border: int = BORDER, title: str | None = None) -> str:
    """The sheet as one SVG document (each code a group), for printing at any size."""
    if not parts:
        raise ValueError("no codes to draw")
    symbols = [make(t) for t in parts]
    sizes = [s.side(scale=scale, border=border) for s in symbols]
    cell = max(max(sizes), 200)
    caption_h = max(24, cell // 12)
    title_h = caption_h * 2 if title else 0
    columns, rows = _grid(len(parts), columns)
    gap = scale * 2
    width = columns * cell + (columns + 1) * gap
    height = title_h + rows * (cell + caption_h) + (rows + 1) * gap
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}">',
           f'<rect width="{width}" height="{height}" fill="#fff"/>']
    font = f'font-family="sans-serif" font-size="{int(caption_h * 0.7)}" text-anchor="middle"'
    if title:
        out.append(f'<text x="{width // 2}" y="{gap + title_h // 2}" {font} '
                   f'dominant-baseline="middle">{escape(title)}</text>')
    for n, (symbol, size, text) in enumerate(zip(symbols, sizes, parts)):
        row, col = divmod(n, columns)
        x = gap + col * (cell + gap) + (cell - size) // 2
        y = title_h + gap + row * (cell + caption_h + gap) + (cell - size) // 2
        # a group, not a nested <svg>: SVG Tiny viewers (Qt's among them) skip nested ones
        out.append(f'<g class="code" transform="translate({x} {y})">'
                   f"{_svg_code(symbol, scale, border)}</g>")
        cx = gap + col * (cell + gap) + cell // 2
        cy = title_h + gap + row * (cell + caption_h + gap) + cell + caption_h // 2
        out.append(f'<text x="{cx}" y="{cy}" {font} dominant-baseline="middle">'
                   f'{escape(_caption(text, n + 1, len(parts)))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def sheet(parts: Sequence[str], *, fmt: str = "png", **options) -> bytes | str:
    """``sheet_png`` (bytes) or ``sheet_svg`` (text) by ``fmt``."""
    if fmt == "png":
        return sheet_png(parts, **options)
    if fmt == "svg":
        return sheet_svg(parts, **options)
    raise ValueError("fmt must be 'png' or 'svg'")


def animated_gif(parts: Sequence[str], *, frame_ms: int = FRAME_MS, scale: int = SCALE,
                 border: int = BORDER) -> bytes:
    """The parts as a looping animation (all frames the size of the largest code)."""
    # start-up: PIL (~10-20 ms) only when an image is drawn
    from PIL import Image

    if not parts:
        raise ValueError("no codes to draw")
    images = [_image(t, scale, border) for t in parts]
    side = max(i.width for i in images)
    frames = []
    for image in images:
        frame = Image.new("L", (side, side), 255)
        frame.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
        frames.append(frame.convert("P"))
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:],
                   duration=frame_ms, loop=0, optimize=False)
    return out.getvalue()
