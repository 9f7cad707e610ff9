"""What the verifier will see, as rich text for a QTextBrowser: every claim a presentation
discloses with its value, what an SD-JWT withholds, and the warnings.

Everything a credential says comes from its issuer: it is escaped here, never markup, and
its bidi controls show as marks (``escape`` is ui.widgets.labels.outside_html).
"""

from __future__ import annotations

from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from vault.credentials.issuer_name import shown_issuer
from vault.credentials.openbadges import flatten_claims

from ..credentials.presentation import FORMAT_WORDS, STATUS_WORDS
from ..widgets.labels import outside_html as escape
from .jobs import short

MUTED, GOOD, WARN, BAD = "#57606a", "#1a7f37", "#8a4b00", "#a11c12"
MAX_LINES = 40          # claims listed per credential; a note says how many more


class RichView(QTextBrowser):
    """Read-only rich text that wraps anywhere (DIDs and tokens have no spaces)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.NoFrame)
        self.setWordWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
        self.document().setDocumentMargin(10)


def _claims(claims, compact: bool = False) -> str:
    """The claims as a two-column table, or (``compact``, a narrow panel) one per line."""
    pairs = flatten_claims(claims)
    more = len(pairs) - MAX_LINES
    lines = []
    for path, value in pairs[:MAX_LINES]:
        if compact:
            lines.append(f"<div style='margin-left:8px'><span style='color:{MUTED}'>{escape(path)}:</span> "
                         f"{escape(short(value))}</div>")
        else:
            lines.append(f"<tr><td style='color:{MUTED}; padding-right:10px'>{escape(path)}</td>"
                         f"<td>{escape(short(value))}</td></tr>")
    if more > 0:
        note = f"… and {more} more"
        lines.append(f"<div style='color:{MUTED}'>{note}</div>" if compact else
                     f"<tr><td colspan=2 style='color:{MUTED}'>{note}</td></tr>")
    if not lines:
        return f"<p style='color:{MUTED}; margin:0'>No claims about you.</p>"
    return "".join(lines) if compact else "<table cellspacing=0 cellpadding=1>" + "".join(lines) + "</table>"


def credential_html(c, compact: bool = False, trusted: dict | None = None) -> str:
    """One DisclosedCredential; ``trusted`` the holder's trust list {DID: name}."""
    issuer = shown_issuer(c.issuer, c.issuer_name, trusted).line
    out = [f"<p style='margin-top:10px; margin-bottom:2px'><b style='font-size:11pt'>{escape(c.title)}</b></p>",
           f"<p style='color:{MUTED}; margin:0'>{escape(issuer)} · {escape(FORMAT_WORDS.get(c.format, c.format))}"]
    if c.status and c.status != "valid":
        out.append(f" · <span style='color:{BAD}'>{escape(STATUS_WORDS.get(c.status, c.status))}</span>")
    out.append("</p>")
    if c.selective:
        out.append("<p style='margin:4px 0 2px 0'>Shows (your choice, and what the issuer always shows):</p>")
    else:
        out.append("<p style='margin:4px 0 2px 0'>Shows every claim (this format cannot hide any):</p>")
    out.append(_claims(c.claims, compact))
    if c.selective:
        if c.withheld:
            out.append(f"<p style='color:{GOOD}; margin:4px 0 0 0'>Withheld: {escape(', '.join(c.withheld))}</p>")
        else:
            out.append(f"<p style='color:{WARN}; margin:4px 0 0 0'>Withholds nothing.</p>")
    return "".join(out)


def disclosure_html(holder: str, credentials, warnings=(), *, compact: bool = False,
                    trusted: dict | None = None) -> str:
    """``compact``: for a narrow panel beside the code (the holder is shown above it);
    ``trusted``: the trust list {DID: name}, which names the issuers."""
    out = []
    for warning in warnings:
        out.append(f"<p style='color:{WARN}; margin:0 0 4px 0'>⚠ {escape(warning)}</p>")
    if not compact:
        out.append(f"<p style='color:{MUTED}; margin:0'>Signed by your DID <span style='font-family:monospace'>"
                   f"{escape(holder)}</span>. With each credential the verifier also sees its issuer, name, "
                   "dates and the issuer's signature.</p>")
    for c in credentials:
        out.append(credential_html(c, compact, trusted))
    return "".join(out)


def empty_html(text: str) -> str:
    return f"<p style='color:{MUTED}'>{escape(text)}</p>"


def error_html(text: str) -> str:
    return f"<p style='color:{BAD}'>{escape(text)}</p>"
