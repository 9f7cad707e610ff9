"""Draw BTV texts as QR codes: PNG, SVG, a printable sheet of parts, an animated GIF.

segno (pure Python) makes the symbol: error correction level M (segno may raise it when the
same version has room: free robustness), alphanumeric mode for BTV texts, the 4-module
quiet zone of ISO/IEC 18004. Pillow draws the sheet and the animation.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

import segno

from .codec import is_alphanumeric
from .parts import is_part, parse_part

__all__ = [
    "BORDER", "FRAME_MS", "SCALE", "animated_gif", "make", "png", "qr_version", "sheet",
    "sheet_png", "sheet_svg", "svg",
]

SCALE = 6          # pixels per module: a version-25 code is 750 px wide with its border
BORDER = 4         # quiet zone in modules (the standard's minimum)
FRAME_MS = 300     # animation: time each part stays on screen


def make(text: str) -> segno.QRCode:
    """The QR symbol for ``text`` at level M (alphanumeric mode when the text allows)."""
    return segno.make(text, error="m", mode="alphanumeric" if is_alphanumeric(text) else None,
                      micro=False, boost_error=True)


def qr_version(text: str) -> int:
    """The QR version (1-40) ``text`` needs at error correction level M."""
    return make(text).version


def png(text: str, *, scale: int = SCALE, border: int = BORDER) -> bytes:
    buf = io.BytesIO()
    make(text).save(buf, kind="png", scale=scale, border=border)
    return buf.getvalue()


def svg(text: str, *, scale: int = SCALE, border: int = BORDER, title: str | None = None) -> str:
    buf = io.BytesIO()
    make(text).save(buf, kind="svg", scale=scale, border=border, xmldecl=False,
                    svgclass=None, lineclass=None, title=title, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


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
    # start-up: PIL (~10-20 ms) only when an image is drawn
    from PIL import Image

    image = Image.open(io.BytesIO(png(text, scale=scale, border=border)))
    image.load()
    return image.convert("L")


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
    """The sheet as one SVG document (each code a nested <svg>), for printing at any size."""
    if not parts:
        raise ValueError("no codes to draw")
    symbols = [make(t) for t in parts]
    sizes = [(s.symbol_size(scale=scale, border=border)[0]) for s in symbols]
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
        buf = io.BytesIO()
        symbol.save(buf, kind="svg", scale=scale, border=border, xmldecl=False, svgns=False,
                    svgclass=None, lineclass=None, encoding="utf-8")
        inner = buf.getvalue().decode("utf-8").replace("<svg ", f'<svg x="{x}" y="{y}" ', 1)
        out.append(inner)
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
