"""The issuer side of the loopback VC-API (``vault serve --vc-api --issuer PROFILE``):

    POST /credentials/issue   {"credential": {...}, "options": {...}}
        -> 201 {"verifiableCredential": {...}}   signed as the profile (vault.issuing)
    POST /credentials/status  {"credentialId": "...", "credentialStatus":
                               [{"type": "BitstringStatusListCredential", "status": "revoked"}]}
        -> 200 {"credentialId": "...", "status": "revoked"}

so that the W3C issuer test suites (vc-data-model-2.0, vc-di-eddsa, vc-bitstring-status-list)
can be pointed at the vault. It signs only as the one profile it was started with, never
in a name a request gives, and only credentials this vault issued can change status. A
refusal is 400 with a problem detail; the same loopback-only guards as the verifier apply.
"""

from __future__ import annotations

import json
from typing import Any

from ..credentials import data_integrity
from ..credentials.verdict import CredentialFailure
from ..errors import NotFound, VaultError

_SUITES = (data_integrity.RDFC, data_integrity.JCS)
_STATUS_TYPES = {"BitstringStatusListEntry", "BitstringStatusListCredential", "StatusList2021Entry",
                 "StatusList2021Credential"}
# A status request names the status to be in: as a word, or as a purpose and a bit.
_ACTIONS = {"revoked": "revoke", "revocation": "revoke", "suspended": "suspend", "suspension": "suspend",
            "active": "unsuspend", "unsuspended": "unsuspend"}


def _problem(title: str, detail: str) -> dict:
    return {"type": "about:blank", "title": title, "detail": detail}


def _refused(detail: str, title: str = "invalid-request") -> tuple[int, dict]:
    return 400, {"errors": [_problem(title, detail)]}


class IssuingService:
    """What the VC-API issues with: ``issuer`` (vault.issuing.issuer.Issuer) as one profile."""

    def __init__(self, issuer, profile_ref, *, suite: str = data_integrity.RDFC):
        self.issuer = issuer
        self.profile = issuer.profiles.get(profile_ref)
        if self.profile.is_sample:
            raise VaultError("The VC-API does not issue as the sample profile: its key is public.")
        self.suite = suite

    def issue_body(self, body: Any) -> tuple[int, dict]:
        if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
            return _refused("The request must be a JSON object with a credential (and optional options).")
        options = body.get("options", {})
        if not isinstance(options, dict):
            return _refused("options must be a JSON object.")
        suite = options.get("cryptosuite", self.suite)
        if suite not in _SUITES:
            return _refused(f"This issuer signs with {data_integrity.RDFC} or {data_integrity.JCS}.")
        status = options.get("credentialStatus")
        if status is not None and (not isinstance(status, dict) or status.get("type") not in _STATUS_TYPES):
            return _refused("options.credentialStatus may only ask for a BitstringStatusListEntry.")
        try:
            record = self.issuer.sign_credential(self.profile.id, body["credential"], suite=suite)
        except VaultError as exc:
            return _refused(str(exc))
        except CredentialFailure as exc:
            return _refused(f"The credential cannot be signed: {exc.message}", "unsignable")
        return 201, {"verifiableCredential": json.loads(record.content)}

    def status_body(self, body: Any) -> tuple[int, dict]:
        if not isinstance(body, dict) or not isinstance(body.get("credentialId"), str):
            return _refused("The request must be a JSON object with credentialId and credentialStatus.")
        updates = body.get("credentialStatus")
        if not isinstance(updates, list) or len(updates) != 1 or not isinstance(updates[0], dict):
            return _refused("credentialStatus must be a list of one status update.")
        update = updates[0]
        if update.get("type") not in _STATUS_TYPES:
            return _refused("The status update's type must be BitstringStatusListCredential.")
        word = update.get("status")
        if isinstance(word, bool) and update.get("statusPurpose") in ("revocation", "suspension"):
            action = ("revoke" if update["statusPurpose"] == "revocation" else "suspend") if word else (
                "unsuspend" if update["statusPurpose"] == "suspension" else None)
        else:
            action = _ACTIONS.get(word) if isinstance(word, str) else None
        if action is None:
            return _refused("The status must be revoked, suspended or active (a revocation cannot be undone).")
        try:
            record = getattr(self.issuer, action)(body["credentialId"], profile=self.profile.id)
        except NotFound as exc:
            return 404, {"errors": [_problem("not-found", str(exc))]}
        except VaultError as exc:
            return _refused(str(exc))
        return 200, {"credentialId": record.id, "status": record.status}
