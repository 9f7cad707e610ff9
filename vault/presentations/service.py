"""Presentations in an unlocked vault: preview, build + sign + log in one call, verify
with the vault's trust list and caches, and the log. The CLI and the GUI use this.
Also something to present for a newcomer: a sample credential from the app's demo issuer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping, Sequence

from ..credentials.service import CredentialService, ImportResult
from ..identity import Identity
from ..issuing import sample
from .build import build_presentation, preview as _preview
from .build import DEFAULT_CRYPTOSUITE, DEFAULT_EXPIRES_IN, DI, Presentation, PresentationError, PresentationPreview
from .build import SIGNING_METHODS
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
                now: datetime | None = None, standing=None) -> Presentation:
        """Build, sign and log a presentation for the verifier's ``challenge`` and ``domain``."""
        if challenge is None or domain is None:
            raise PresentationError("A presentation is made for one verifier: give its challenge and domain.")
        presentation = build_presentation(self.identity, self.credentials.repository, ids, challenge=challenge,
                                    domain=domain, reveal=reveal, fmt=fmt, cryptosuite=cryptosuite,
                                    expires_in=expires_in, holder=holder, now=now, standing=standing)
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

    # ---- something to present -------------------------------------------------------------

    def presentable_count(self) -> int:
        """Stored credentials this vault can present: issued to one of its DIDs that sign
        presentations, or naming no subject at all."""
        signers = [r.did for r in self.identity.dids() if r.method in SIGNING_METHODS]
        return self.credentials.repository.count_for_subjects(signers)

    def sample_holder(self, did: str | None = None) -> str:
        """The DID a sample goes to: ``did`` (one of this vault's that signs presentations),
        else the default DID, else the first did:key / did:jwk."""
        if did is not None:
            record = self.identity.get_did(did)     # NotFound: not a DID of this vault
            if record.method not in SIGNING_METHODS:
                raise PresentationError(f"{did} cannot sign presentations (did:{record.method}): ask for the "
                                        "sample for a did:key or did:jwk of this vault.")
            return did
        default = self.identity.default_did()
        if default.method in SIGNING_METHODS:
            return default.did
        signers = [r.did for r in self.identity.dids() if r.method in SIGNING_METHODS]
        if not signers:
            raise PresentationError("No DID of this vault can sign presentations: create a did:key first "
                                    "(Identity page, or `vault did create --method key`).")
        return signers[0]

    def add_sample(self, did: str | None = None) -> ImportResult:
        """A sample credential from the app's demo issuer (vault.issuing.sample), issued now to
        ``sample_holder(did)`` and imported as any credential is: verified, then stored. One
        per DID: when one is stored already, it is verified again and returned (created False).
        The same issuer also signs the embedded chain's demo membership: that one is not it."""
        holder = self.sample_holder(did)
        for summary in self.credentials.repository.search(issuer=sample.DID):
            if summary.subject == holder and summary.title == sample.ACHIEVEMENT.name:
                summary, verdict = self.credentials.reverify(summary.id)
                return ImportResult(summary, False, verdict)
        return self.credentials.import_bytes(sample.issue_sample(holder))
