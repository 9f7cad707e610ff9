"""The Open Badges 2.0 hosted documents a verification reads, kept for offline use.

Online, each document fetched for a hosted badge (the assertion, its BadgeClass, the
issuer Profile) is saved in the vault once it was read, and so is an assertion's HTTP 410
(the issuer's revocation). Offline, the same checks (openbadges2_hosted.verify) run
against those copies, and the status says the day they were saved: "as of 3 Nov 2026",
as saved status lists do. Nothing saved: offline says "not checked", as before.
"""

from __future__ import annotations

import json
from typing import Callable

from .. import safejson
from ..net.fetch import FetchError
from .blockcerts_anchor import day_of

_PREFIX = "ob2-hosted:"
_GONE = {"gone": 410}   # what is saved for an assertion its issuer answered 410 Gone for


class HostedCopies:
    """``fetch`` (a StatusRun of "hosted badge"s) when online, else None; ``cache`` the
    vault's VerificationCache or None (nothing saved, nothing read back)."""

    def __init__(self, cache, fetch: Callable[[str], bytes] | None):
        self.cache, self.fetch = cache, fetch
        self.saved_days: list[str] = []   # the days of the saved copies used, oldest first

    @property
    def online(self) -> bool:
        return self.fetch is not None

    def usable(self, url) -> bool:
        """Can the badge at ``url`` be checked now: online, or a saved copy of it is here."""
        return self.online or (isinstance(url, str) and self._saved(url) is not None)

    def __call__(self, url: str) -> bytes:
        if self.fetch is not None:
            try:
                body = self.fetch(url)
            except FetchError as failure:
                if failure.status == 410:
                    self._save(url, _GONE)
                raise
            self._keep(url, body)
            return body
        saved = self._saved(url)
        if saved is None:
            raise FetchError("offline (checking online is off), and no copy was saved when it was checked online")
        document, day = saved
        self.saved_days = sorted(set(self.saved_days) | {day})
        if document == _GONE:
            gone = FetchError("gone (HTTP 410) when it was last checked")
            gone.status = 410
            raise gone
        return json.dumps(document).encode()

    def _keep(self, url: str, body: bytes) -> None:
        try:
            document = safejson.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return   # not JSON: the check says so; nothing worth keeping
        if isinstance(document, dict) and document != _GONE:
            self._save(url, document)

    def _save(self, url: str, document: dict) -> None:
        if self.cache is not None:
            self.cache.put_saved(_PREFIX + url, document, url)

    def _saved(self, url: str) -> tuple[dict, str] | None:
        if self.cache is None:
            return None
        document, when = self.cache.did_document(_PREFIX + url), self.cache.saved(_PREFIX + url)
        if document is None or when is None:
            return None
        return document, day_of(when[0])
