"""Where an offer or a request link comes from: pasted text, a text file, or a QR image
(a screenshot, a photo of the issuer's screen). Reading one never touches the network."""

from __future__ import annotations

from pathlib import Path

from ..qr.errors import InvalidQr
from ..qr.scan import IMAGE_SUFFIXES, read_image
from .http import ProtocolError

MAX_LINK_CHARS = 64 * 1024          # an offer by value carries JSON; far below a QR's worth anyway
MAX_FILE_BYTES = 16 * 1024 * 1024   # an image file


def _from_image(data: bytes, where: str, schemes: tuple[str, ...], what: str) -> str:
    try:
        texts = read_image(data)
    except InvalidQr as exc:
        raise ProtocolError(f"{where} could not be read as an image: {exc}") from None
    links = [t.strip() for t in texts if t.strip().lower().startswith(schemes)]
    if not links:
        found = "no QR code" if not texts else "a QR code that is not " + what
        raise ProtocolError(f"{where} holds {found}.")
    return links[0]


def read_link(source: str | bytes, schemes: tuple[str, ...], what: str) -> str:
    """The link in ``source``: the link itself, a file holding it, or a QR image of it.
    ``schemes`` are the beginnings accepted (``openid-credential-offer://``, ``https://``);
    ``what`` names it in errors ("a credential offer")."""
    if isinstance(source, bytes):
        return _from_image(source, "The image", schemes, what)
    text = source.strip()
    if not text.lower().startswith(schemes) and not text.startswith("{"):
        path = Path(text).expanduser()
        try:
            if path.is_file():
                if path.stat().st_size > MAX_FILE_BYTES:
                    raise ProtocolError(f"{path} is too large to hold {what}.")
                data = path.read_bytes()
                if path.suffix.lower() in IMAGE_SUFFIXES or not _is_text(data):
                    return _from_image(data, str(path), schemes, what)
                text = data.decode("utf-8").strip()
        except OSError as exc:
            raise ProtocolError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    if len(text) > MAX_LINK_CHARS:
        raise ProtocolError(f"This is too long to be {what}.")
    if not text.lower().startswith(schemes) and not text.startswith("{"):
        raise ProtocolError(f"This is not {what}: it should start with {' or '.join(schemes)}.")
    return text


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
