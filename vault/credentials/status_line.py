"""The status line: what a status check found, in one sentence that never overstates it.

Three verdicts, and nothing else: checked and not revoked (with the day of the saved
copy it used, if any), revoked or suspended, or not checked with the reason (offline,
unreachable, the list's own proof could not be verified, a method we cannot read). A
credential whose status was not checked must never read as "genuine and current".
"""

from __future__ import annotations

from .status import StatusResult, StatusWarning
from .verdict import StatusLine, StatusState

NO_STATUS = StatusLine(StatusState.NONE, "No status list: the issuer gave no way to revoke this "
                       "credential by list.")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def not_checked(*reasons: str) -> StatusLine:
    reason = " ".join(_sentence(r) for r in dict.fromkeys(reasons) if r and r.strip()) or \
        "the status list could not be read."
    return StatusLine(StatusState.UNCHECKED, f"Status not checked: {reason}", reason=reason)


def revoked_on_chain() -> StatusLine:
    return StatusLine(StatusState.REVOKED, "Revoked on chain: its soulbound token is marked revoked.")


def describe(result: StatusResult, checked_on: str | None = None) -> StatusLine:
    """``result`` of status.check_status as a line; ``checked_on``: the day of the oldest
    saved copy the check used (None when every list was fetched now)."""
    saved = f" (status checked on {checked_on}, saved copy)" if checked_on else ""
    if result.revoked:
        return StatusLine(StatusState.REVOKED, f"Revoked: the issuer has revoked this credential{saved}.",
                          checked_on=checked_on)
    if result.suspended:
        return StatusLine(StatusState.SUSPENDED, "Suspended: the issuer has suspended this credential for "
                          f"now{saved}.", checked_on=checked_on)
    if not result.checked or result.unchecked:
        reasons = result.unchecked or [e.reason or "" for e in result.entries if not e.checked]
        return not_checked(*reasons)
    purposes = {e.entry.purpose for e in result.entries if e.checked}
    if not purposes:
        return NO_STATUS
    if {"revocation", "suspension"} <= purposes:
        what = "not revoked or suspended"
    elif "revocation" in purposes:
        what = "not revoked"
    elif "suspension" in purposes:
        what = "not suspended"
    else:
        what = "its status list was read"
    notes = "".join(f"; status message: {m}" for m in result.messages)
    if any(w.code == StatusWarning.ISSUER_MISMATCH for w in result.warnings):
        # Allowed (a status service), but the line must not pass for the issuer's own word.
        notes += " (by a list someone other than the credential's issuer signed)"
    when = f" on {checked_on} (saved copy)" if checked_on else ""
    return StatusLine(StatusState.CHECKED, f"Status checked{when}: {what}{notes}.", checked_on=checked_on)
