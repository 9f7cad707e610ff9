"""Badge images: decoded once from ``data:`` URIs, never fetched from the web.

The vault is offline-first: an image given as an http(s) URL would tell its host when and
where the badge is looked at, so it is shown as a placeholder instead. Decoding runs on a
worker thread (QImage, unlike QPixmap, may be used there).
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_to_bytes

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader

MAX_IMAGE_BYTES = 4 * 1024 * 1024       # of the decoded image
MAX_PIXELS = 4096 * 4096                # before scaling: a bomb is refused, not decoded

NONE, REMOTE, LOADED, BROKEN = "none", "remote", "loaded", "broken"


def image_kind(uri: str | None) -> str:
    if not uri:
        return NONE
    if uri[:5].lower() == "data:":
        return LOADED
    return REMOTE


def data_uri_bytes(uri: str) -> bytes | None:
    """The bytes of a ``data:[<type>][;base64],<data>`` URI, or None if it is not one."""
    if uri[:5].lower() != "data:" or "," not in uri:
        return None
    header, _, payload = uri[5:].partition(",")
    try:
        if header.lower().endswith(";base64"):
            data = base64.b64decode("".join(payload.split()), validate=False)
        else:
            data = unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None
    return data if 0 < len(data) <= MAX_IMAGE_BYTES else None


def thumbnail(uri: str | None, size: int) -> tuple[str, QImage | None]:
    """(state, image scaled to fit ``size`` square): state is none / remote / loaded / broken."""
    kind = image_kind(uri)
    if kind != LOADED:
        return kind, None
    data = data_uri_bytes(uri)
    if data is None:
        return BROKEN, None
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    natural = reader.size()
    if natural.isValid():
        if natural.width() * natural.height() > MAX_PIXELS and reader.format() != b"svg":
            return BROKEN, None
        reader.setScaledSize(natural.scaled(QSize(size, size), Qt.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return BROKEN, None
    if image.width() > size or image.height() > size:
        image = image.scaled(size, size, Qt.KeepAspectRatio, Qt.SmoothTransformation)
    return LOADED, image.convertToFormat(QImage.Format_ARGB32_Premultiplied)
