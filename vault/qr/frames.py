"""Image frames for the QR reader, decoded one at a time within a budget.

A hostile file is small and cheap to make: a GIF of a few KB can declare a 7000×7000 canvas
and thousands of 1×1 frames, and Pillow composes every frame onto the whole canvas (49 MP
each). So the size of every frame is checked before it is decoded (Pillow checks only the
first one, at open), the frames and pixels of one reading (an animation, a folder, several
files) are counted against a ``Budget``, and the reader stops as soon as it has what it
needs. ``n_frames`` is never asked: on a GIF it walks the whole file first.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InvalidQr

__all__ = ["MAX_FRAMES", "MAX_IMAGE_PIXELS", "MAX_TOTAL_PIXELS", "Budget", "grey_frames"]

MAX_IMAGE_PIXELS = 60_000_000       # one frame: a 60 MP photo; larger is refused, not decoded
MAX_FRAMES = 200                    # frames and images in one reading: 99 parts at most, twice
MAX_TOTAL_PIXELS = 4 * MAX_IMAGE_PIXELS   # a few large photos, or 99 parts at 750 px many times
_DAMAGED = (OSError, ValueError, EOFError, SyntaxError, IndexError)


@dataclass
class Budget:
    """What one reading may still decode; ``take`` refuses a frame before it is decoded."""

    frames: int = 0
    pixels: int = 0

    def take(self, width: int, height: int) -> None:
        pixels = width * height
        if pixels > MAX_IMAGE_PIXELS:
            raise InvalidQr(f"The image is {width}×{height} pixels, larger than any photo of a "
                            "QR code needs; scale it down.")
        if self.frames + 1 > MAX_FRAMES:
            raise InvalidQr(f"This holds more than {MAX_FRAMES} images or animation frames; a "
                            "presentation code has at most 99 parts. Give only the images of one code.")
        if self.pixels + pixels > MAX_TOTAL_PIXELS:
            raise InvalidQr(f"The frames and images to read add up to more than "
                            f"{MAX_TOTAL_PIXELS // 1_000_000} million pixels, far more than QR codes "
                            "need; refused. Give fewer or smaller images (screenshots, or one photo "
                            "of the sheet of parts).")
        self.frames += 1
        self.pixels += pixels


def _open(source: Any):
    # start-up: PIL (~10 ms) only when an image is read
    from PIL import Image, UnidentifiedImageError

    if isinstance(source, Image.Image):
        return source, False
    try:
        if isinstance(source, (bytes, bytearray, memoryview)):
            return Image.open(io.BytesIO(bytes(source))), True
        return Image.open(Path(source)), True
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise InvalidQr("That file is not an image this app can read "
                        f"({exc.__class__.__name__}).") from None


def _damaged(exc: BaseException) -> InvalidQr:
    return InvalidQr(f"The image could not be read: it is damaged ({exc.__class__.__name__}).")


def grey_frames(source: Any, budget: Budget) -> Iterator:
    """The frames of an image (path, bytes or PIL image) as 8-bit grey images, one at a
    time: each is charged to ``budget`` before it is decoded. Stop iterating to stop
    decoding."""
    # start-up: PIL (~10 ms) only when an image is read
    from PIL import Image

    image, opened = _open(source)
    try:
        index = 0
        while True:
            budget.take(image.width, image.height)   # a later frame may be larger (TIFF, GIF)
            try:
                frame = image.convert("L")
            except (*_DAMAGED, Image.DecompressionBombError) as exc:
                raise _damaged(exc) from None
            yield frame
            del frame
            index += 1
            try:
                image.seek(index)
            except EOFError:
                return
            except (*_DAMAGED, Image.DecompressionBombError) as exc:
                raise _damaged(exc) from None
    finally:
        if opened:
            image.close()
