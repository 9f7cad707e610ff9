"""The exchanges' HTTP: JSON in and out through the one bounded fetcher (vault.net.fetch),
every failure a ProtocolError that names the party and says what went wrong.

An issuer's or verifier's answer is hostile data: it is read with depth and size limits,
must be a JSON object, and an OAuth error answer is reported by its code and (shortened,
neutralised) description, never trusted as anything more."""

from __future__ import annotations

import json
import time
from typing import Any, Mapping
from urllib.parse import urlencode

from .. import safejson
from ..errors import VaultError
from ..net.fetch import Cancel, FetchError, NetworkUse, get, post
from ..safe_text import one_line

DEADLINE_SECONDS = 20.0   # one whole exchange (offer, metadata, token, nonce, credential)


class ProtocolError(VaultError):
    """An exchange that could not go on; ``code`` is the OAuth / OpenID error code when the
    other party gave one (``invalid_grant``, ``invalid_nonce``, …)."""

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.code = code


class Exchange:
    """The network budget of one exchange the user started: one deadline for every request."""

    def __init__(self, network: NetworkUse, seconds: float = DEADLINE_SECONDS, cancel: Cancel | None = None):
        self.network = network
        self.deadline = time.monotonic() + seconds
        self.cancel = cancel or Cancel()

    def get_json(self, url: str, what: str) -> dict:
        try:
            body = get(url, self.network, deadline=self.deadline, cancel=self.cancel)
        except FetchError as exc:
            raise ProtocolError(f"The {what} could not be read: {exc}") from None
        return parse_object(body, what)

    def get_text(self, url: str, what: str) -> str:
        try:
            body = get(url, self.network, deadline=self.deadline, cancel=self.cancel)
        except FetchError as exc:
            raise ProtocolError(f"The {what} could not be read: {exc}") from None
        try:
            return body.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise ProtocolError(f"The {what} is not text.") from None

    def post_form(self, url: str, fields: Mapping[str, str], what: str, *,
                  headers: dict | None = None) -> tuple[int, bytes]:
        return self._post(url, urlencode(dict(fields)).encode(), "application/x-www-form-urlencoded", what, headers)

    def post_json(self, url: str, document: Any, what: str, *, headers: dict | None = None) -> tuple[int, bytes]:
        return self._post(url, json.dumps(document).encode(), "application/json", what, headers)

    def _post(self, url, body, content_type, what, headers) -> tuple[int, bytes]:
        try:
            return post(url, self.network, body, content_type, headers=headers, deadline=self.deadline,
                        cancel=self.cancel)
        except FetchError as exc:
            raise ProtocolError(f"The {what} failed: {exc}") from None


def parse_object(body: bytes | str, what: str) -> dict:
    try:
        value = safejson.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ProtocolError(f"The {what} is not JSON.") from None
    if not isinstance(value, dict):
        raise ProtocolError(f"The {what} is not a JSON object.")
    return value


def answer(status: int, body: bytes, what: str) -> dict:
    """The JSON object of a 200 answer, or a ProtocolError with the other party's error."""
    if status == 200:
        return parse_object(body, what)
    try:
        error = safejson.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        error = None
    if isinstance(error, dict) and isinstance(error.get("error"), str):
        code = one_line(error["error"], 60)
        description = error.get("error_description")
        said = f": {one_line(description, 200)}" if isinstance(description, str) and description else ""
        raise ProtocolError(f"The {what} was refused ({code}{said}).", code)
    raise ProtocolError(f"The {what} failed: the server answered HTTP {status}.")


def text_field(document: Mapping, name: str, what: str, *, required: bool = True) -> str | None:
    value = document.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise ProtocolError(f"The {what} has no {name}." if value is None else f"The {what}'s {name} is not text.")
    return value
