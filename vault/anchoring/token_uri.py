"""A credential carried in its soulbound token's URI: a data: URI of its exact bytes, so
that the holder's wallet finds the credential on chain. Anything in a token is public."""

from __future__ import annotations

import base64
import urllib.parse


def _media_type(original: bytes) -> str:
    text = bytes(original).lstrip()
    if text.startswith(b"{"):
        return "application/vc+ld+json"
    if b"~" in text:
        return "application/vc+sd-jwt"
    return "application/vc+jwt"


def data_uri(original: bytes) -> str:
    """The credential itself as a data: URI (base64), for a token URI."""
    return f"data:{_media_type(original)};base64,{base64.b64encode(bytes(original)).decode()}"


def decode_data_uri(uri: str) -> bytes | None:
    """The bytes a data: URI carries; None for any other URI or a malformed one."""
    if not uri.startswith("data:") or "," not in uri:
        return None
    header, payload = uri[5:].split(",", 1)
    try:
        if header.endswith(";base64"):
            return base64.b64decode(payload, validate=True)
        return urllib.parse.unquote_to_bytes(payload)
    except ValueError:
        return None
