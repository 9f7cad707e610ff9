"""The verifier's request: the challenge and domain a presentation must answer, handed to
the holder as a QR code (or as text) so that nobody types a random challenge by hand.

A request is the JSON object ``{"challenge": …, "domain": …}`` (UTF-8, compact, keys in
that order), carried in a BTV1 code of kind ``vp-request`` (docs/qr-format.md):

    request = new_request("hr.employer.example")     # a fresh random challenge
    texts = request.qr_texts()                       # ["BTV1:VP-REQUEST:…"]
    read_request("photo-of-the-screen.png")          # -> PresentationRequest

It asks for nothing else: which credentials and claims to show is the holder's choice,
made on their screen. ``read_request`` also takes the bare JSON (pasted text).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from .. import safejson
from ..errors import VaultError
from ..qr import scan
from ..qr.errors import InvalidQr
from ..qr.parts import encode_parts

__all__ = ["KIND", "MAX_FIELD", "PresentationRequest", "RequestError", "new_challenge", "new_request",
           "parse_request", "read_request"]

KIND = "vp-request"
MAX_FIELD = 256            # characters of a challenge or a domain
CHALLENGE_BYTES = 18       # 144 random bits -> 24 base64url characters


class RequestError(VaultError):
    """Not a verifier's request, or one that cannot be answered; the message says why."""


def _check(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RequestError(f"The request has no {name}: ask the verifier for a new request.")
    value = value.strip()
    if len(value) > MAX_FIELD:
        raise RequestError(f"The request's {name} is longer than {MAX_FIELD} characters: it is not a "
                           "request this app answers.")
    if any(c.isspace() or not c.isprintable() for c in value):
        raise RequestError(f"The request's {name} contains spaces or control characters: it is damaged "
                           "or not a request.")
    return value


@dataclass(frozen=True)
class PresentationRequest:
    challenge: str
    domain: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "challenge", _check("challenge", self.challenge))
        object.__setattr__(self, "domain", _check("domain", self.domain))

    def to_json(self) -> dict:
        return {"challenge": self.challenge, "domain": self.domain}

    @property
    def data(self) -> bytes:
        return json.dumps(self.to_json(), separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def qr_texts(self) -> list[str]:
        """The BTV1 text(s) to show as a QR code: one code for any request within MAX_FIELD."""
        return encode_parts(self.data, kind=KIND)


def new_challenge() -> str:
    """A fresh random challenge (never reuse one: a presentation answers exactly one
    challenge, which is what stops replays)."""
    return secrets.token_urlsafe(CHALLENGE_BYTES)


def new_request(domain: str) -> PresentationRequest:
    """A request for ``domain`` with a fresh random challenge."""
    return PresentationRequest(new_challenge(), domain)


def parse_request(data: bytes | str) -> PresentationRequest:
    """A request from its JSON (bytes or text)."""
    if isinstance(data, (bytes, bytearray)):
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise RequestError("The request is not text: it is not a verifier's request.") from None
    text = data.strip().lstrip("\ufeff") if isinstance(data, str) else ""
    if len(text) > 4 * MAX_FIELD:
        raise RequestError("This is too long to be a verifier's request.")
    try:
        value = safejson.loads(text)
    except (ValueError, RecursionError):
        raise RequestError("This is not a verifier's request (expected a request QR code, or "
                           '{"challenge": …, "domain": …}).') from None
    if not isinstance(value, dict) or "challenge" not in value or "domain" not in value:
        raise RequestError("This JSON is not a verifier's request: it needs a \"challenge\" and a "
                           "\"domain\".")
    return PresentationRequest(value["challenge"], value["domain"])


def read_request(source: Any) -> PresentationRequest:
    """A request from wherever the holder got it: an image of the request QR (path, bytes,
    PIL image), its BTV1 text, or the JSON itself."""
    if isinstance(source, (str, bytes, bytearray)):
        raw = source if isinstance(source, str) else bytes(source)
        head = raw.lstrip()[:1]
        if head in ("{", "[", b"{", b"["):
            return parse_request(raw)
    try:
        decoded = scan.read_presentation(source)
    except InvalidQr as exc:
        raise RequestError(f"No verifier's request found: {exc}") from None
    if decoded.kind != KIND:
        raise RequestError(f"That code holds a {decoded.kind} (a presentation or credential), not a "
                           "verifier's request: scan the request code the verifier shows you.")
    return parse_request(decoded.payload)
