"""How a stored verdict reads and looks: chip words and colours, the reason in one line,
dates. Wording only; what a verdict *is* comes from vault.credentials.verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# status (repository.STATUSES) -> chip text, look
STATUS_WORDS = {
    "valid": "Valid",
    "expired": "Expired",
    "not-yet-valid": "Not yet valid",
    "revoked": "Revoked",
    "suspended": "Suspended",
    "unverified": "Not verified",
    "invalid": "Invalid",
}
STATUS_LOOK = {
    "valid": "good", "expired": "expired", "not-yet-valid": "info", "revoked": "bad",
    "suspended": "warn", "unverified": "neutral", "invalid": "bad",
}
# look -> (background, text, border)
LOOKS = {
    "good":    ("#e6f4ea", "#1a7f37", "#b7dfc0"),
    "expired": ("#fff4e0", "#8a4b00", "#f0c36d"),
    "warn":    ("#fff1e6", "#9a3f00", "#f5b98a"),
    "info":    ("#e8f0fe", "#1b3d99", "#b6c9f5"),
    "bad":     ("#fdecea", "#a11c12", "#f5b5ae"),
    "neutral": ("#eef0f3", "#424a53", "#d0d7de"),
}
# The same in the dark theme (resources/styles/dark.qss paints the banners alike).
DARK_LOOKS = {
    "good":    ("#15301e", "#8fd9a4", "#2c6a3f"),
    "expired": ("#3a2c12", "#f6d28b", "#7a5a1e"),
    "warn":    ("#3a2414", "#f5b98a", "#7f4a22"),
    "info":    ("#18243d", "#9dbaf7", "#2f4878"),
    "bad":     ("#3d1a1a", "#ffb4ab", "#7d2f2a"),
    "neutral": ("#252c37", "#c4ccd6", "#3d4756"),
}
# For the status filter, in the order a person thinks of them.
STATUS_FILTERS = ("valid", "expired", "revoked", "suspended", "not-yet-valid", "unverified", "invalid")

WARNING_SHORT = {
    "unknown-issuer": "Issuer not in your trust list",
    "sample-issuer": "Sample issuer, not a real institution",
    "status-unchecked": "Revocation status not checked (offline, or its list could not be had)",
    "status-saved": "Revocation status from a saved copy of its list",
    "key-saved": "Issuer key from a saved copy (its date is in the details)",
    "outdated-context": "Uses an outdated context",
    "legacy-cryptosuite": "Uses a legacy signature suite",
}

FORMAT_WORDS = {"di-vc": "W3C VC (Data Integrity)", "jwt-vc": "VC-JWT", "sd-jwt-vc": "SD-JWT VC",
                "ob2-signed": "Open Badges 2.0 signed badge", "ob2-hosted": "Open Badges 2.0 hosted badge",
                "blockcerts": "Blockcerts certificate"}
FORMAT_SUFFIX = {"di-vc": ".json", "jwt-vc": ".jwt", "sd-jwt-vc": ".sd-jwt", "ob2-signed": ".jws",
                 "ob2-hosted": ".json", "blockcerts": ".json"}


@dataclass(frozen=True)
class Look:
    text: str
    look: str

    @property
    def colors(self) -> tuple[str, str, str]:
        """(background, text, border) in the light theme."""
        return LOOKS[self.look]

    def colors_for(self, dark: bool) -> tuple[str, str, str]:
        return (DARK_LOOKS if dark else LOOKS)[self.look]


def status_chip(status: str) -> Look:
    return Look(STATUS_WORDS.get(status, status.capitalize() or "Unknown"), STATUS_LOOK.get(status, "neutral"))


def warning_codes(verdict: dict | None) -> list[str]:
    if not isinstance(verdict, dict):
        return []
    return [w.get("code", "") for w in verdict.get("warnings") or [] if isinstance(w, dict)]


def warning_chip(status: str, verdict: dict | None) -> Look | None:
    """The second chip: a sample (the app's demo issuer), or a valid credential from an
    issuer the vault does not know."""
    if "sample-issuer" in warning_codes(verdict):
        return Look("Sample", "info")
    if status == "valid" and "unknown-issuer" in warning_codes(verdict):
        return Look("Unknown issuer", "warn")
    return None


def status_line(verdict: dict | None) -> dict:
    """The stored verdict's status line ({state, message, ...}); {} when it has none."""
    line = verdict.get("status") if isinstance(verdict, dict) else None
    return line if isinstance(line, dict) else {}


def status_check_chip(status: str, verdict: dict | None) -> Look | None:
    """A chip when revocation was not checked: the card must not pass for "current"."""
    if status in ("revoked", "suspended"):
        return None
    line = status_line(verdict)
    # Verdicts stored before status lines existed: their warning says the same.
    if line.get("state") == "unchecked" or (not line and "status-unchecked" in warning_codes(verdict)):
        return Look("Status not checked", "warn")
    return None


def verdict_text(verdict: dict | None) -> str:
    """The verdict's sentence, then its status line: checked (when), or not checked (why).
    A revocation or suspension is the verdict's sentence already (its date in a warning)."""
    verdict = verdict if isinstance(verdict, dict) else {}
    line = status_line(verdict)
    extra = line.get("message") if line.get("state") in ("checked", "unchecked") else ""
    # A Blockcerts certificate's anchor: where and when its issuer published it (or the day it was checked).
    anchor = verdict.get("anchor") if verdict.get("format") == "blockcerts" else ""
    return "\n".join(str(text) for text in (verdict.get("message"), anchor, extra) if text)


def reason_line(status: str, verdict: dict | None) -> str:
    """Why the chip says what it says, in one sentence."""
    verdict = verdict if isinstance(verdict, dict) else {}
    if status == "valid":
        notes = [WARNING_SHORT.get(code, "") for code in warning_codes(verdict)]
        notes = [n for n in notes if n]
        return ("Signature verified · " + "; ".join(notes)) if notes else \
            "Signature verified, current, from an issuer you trust"
    return verdict.get("message") or STATUS_WORDS.get(status, "")


def reverify_changes(changed: list, flagged: list) -> list[str]:
    """What re-verifying many credentials changed, counted: "2 now revoked", "3 no longer
    flagged “Issuer not in your trust list”" (``changed``: (title, old, new status);
    ``flagged``: (title, warning code, now flagged))."""
    counts: dict[str, int] = {}
    for _, _, status in changed:
        what = f"now {STATUS_WORDS.get(status, status).lower()}"
        counts[what] = counts.get(what, 0) + 1
    for _, code, now in flagged:
        what = f"{'now' if now else 'no longer'} flagged “{WARNING_SHORT.get(code, code.replace('-', ' '))}”"
        counts[what] = counts.get(what, 0) + 1
    return [f"{n:,} {what}" for what, n in counts.items()]


def parse_when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def day(value: str | datetime | None) -> str:
    moment = value if isinstance(value, datetime) else parse_when(value)
    return f"{moment.day} {moment:%b %Y}" if moment else ""


def dates_line(valid_from: str | None, valid_until: str | None, status: str = "") -> str:
    parts = []
    if valid_from:
        parts.append(f"Issued {day(valid_from)}")
    if valid_until:
        parts.append(f"{'Expired' if status == 'expired' else 'Expires'} {day(valid_until)}")
    else:
        parts.append("No expiry date")
    return " · ".join(parts)


def initials(title: str) -> str:
    words = [w for w in title.replace("(", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"
