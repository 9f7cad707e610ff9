"""Presentations in an unlocked vault: preview, build + sign + log in one call, verify
with the vault's trust list and caches, and the log. The CLI and the GUI use this."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping, Sequence

from ..credentials.service import CredentialService
from ..identity import Identity
from .build import build_presentation, preview as _preview
from .build import DEFAULT_CRYPTOSUITE, DEFAULT_EXPIRES_IN, DI, Presentation, PresentationError, PresentationPreview
from .log import LogEntry, PresentationLog
from .verify import PresentationVerdict, verify_presentation


class PresentationService:
    def __init__(self, identity: Identity, credential_service: CredentialService):
        self.identity = identity
        self.credentials = credential_service
        self.log = PresentationLog(identity.store)

    def preview(self, ids: Sequence[str], reveal: Mapping[str, Any] | None = None, fmt: str = DI, *,
                holder: str | None = None) -> PresentationPreview:
        """Exactly what a presentation of ``ids`` would disclose; nothing signed or logged."""
        return _preview(self.identity, self.credentials.repository, ids, reveal=reveal, fmt=fmt,
                              holder=holder)

    def present(self, ids: Sequence[str], reveal: Mapping[str, Any] | None = None, challenge: str | None = None,
                domain: str | None = None, fmt: str = DI, cryptosuite: str = DEFAULT_CRYPTOSUITE,
                expires_in: timedelta | float = DEFAULT_EXPIRES_IN, *, holder: str | None = None,
                now: datetime | None = None) -> Presentation:
        """Build, sign and log a presentation for the verifier's ``challenge`` and ``domain``."""
        if challenge is None or domain is None:
            raise PresentationError("A presentation is made for one verifier: give its challenge and domain.")
        presentation = build_presentation(self.identity, self.credentials.repository, ids, challenge=challenge,
                                    domain=domain, reveal=reveal, fmt=fmt, cryptosuite=cryptosuite,
                                    expires_in=expires_in, holder=holder, now=now)
        self.log.record(presentation)
        return presentation

    def verify(self, data: bytes | str, *, challenge: str, domain: str, now: datetime | None = None,
               anchor_status=None) -> PresentationVerdict:
        """Verify someone's presentation with this vault's trust list and offline caches;
        with ``anchor_status`` (see VerificationContext) also each credential's soulbound
        anchor on chain."""
        context = self.credentials.context()
        context.anchor_status = anchor_status
        return verify_presentation(data, challenge=challenge, domain=domain, context=context, now=now)

    def history(self, **filters) -> list[LogEntry]:
        return self.log.entries(**filters)
