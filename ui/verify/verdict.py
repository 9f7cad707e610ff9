"""A presentation's verdict, large and plain: valid or not and why, who presented it, and
for each credential whether it holds and what it proves (the claims disclosed).

Everything in a presentation comes from whoever made it: shown as escaped text only, its
bidi controls as marks; an issuer by the verifier's trust list's name, or by the name it
gives itself marked as not verified, with its DID (vault.credentials.issuer_name). A
credential from the app's demo issuer (a published key) says it is a sample, whoever shows it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from vault.credentials.issuer_name import shown_issuer
from vault.credentials.openbadges import flatten_claims, transcript_achievements, transcript_line
from vault.credentials.verdict import ANCHORED, ANCHORED_BY_DAO

from ..credentials.presentation import FORMAT_WORDS, WARNING_SHORT
from ..present.jobs import short
from ..present.summary import BAD, GOOD, MUTED, WARN, RichView
from ..widgets import ElidedLabel
from ..widgets.labels import PlainLabel
from ..widgets.labels import outside_html as escape

FORMAT_WORDS_VP = {"di-vp": "W3C presentation (Data Integrity)", "jwt-vp": "presentation JWT",
                   "sd-jwt-vc": "SD-JWT with key binding"}
SKIP_CLAIMS = ("type", "@type")
MAX_CLAIMS = 30
NESTED_NOTE = ("Each is part of the transcript's signed data; their own issuers' signatures are not "
               "checked separately.")
SAMPLE_LINE = ("Sample only: signed by the demo issuer built into Blocktrack Vault, whose key is public "
               "(sample issuer, not a real institution). It proves nothing about the holder.")


def _proves(disclosed, subject: str | None, transcript: bool = False) -> list[tuple[str, str]]:
    """The claims, less their JSON-LD types and the subject's id (the holder, said above);
    a transcript's achievements are listed by title instead (``_transcript``)."""
    rows = []
    for path, value in flatten_claims(disclosed):
        head = path.split(".")[-1].split("[")[0]
        if head in SKIP_CLAIMS or (path == "id" and value == subject):
            continue
        if transcript and path.startswith("verifiableCredential["):
            continue
        rows.append((path, short(value, 90)))
    return rows


def _transcript(titles: tuple[str, ...]) -> list[str]:
    """A CLR's achievements by title (its nested credentials), under "Transcript · N achievements"."""
    out = [f"<p style='margin:6px 0 2px 0'><b>{escape(transcript_line(len(titles)))}</b></p>"]
    if titles:
        out.append("<ul style='margin:0'>" + "".join(f"<li>{escape(t)}</li>" for t in titles[:MAX_CLAIMS])
                   + (f"<li style='color:{MUTED}'>… and {len(titles) - MAX_CLAIMS} more</li>"
                      if len(titles) > MAX_CLAIMS else "") + "</ul>")
        out.append(f"<p style='color:{MUTED}; margin:0'>{escape(NESTED_NOTE)}</p>")
    return out


def credential_html(c, trusted: dict | None = None) -> str:
    mark, color = ("✓", GOOD) if c.valid else ("✗", BAD)
    shown = shown_issuer(c.issuer, c.issuer_name, trusted)
    issuer = shown.line
    out = [f"<p style='margin:12px 0 2px 0; font-size:12pt'><b style='color:{color}'>{mark}</b> "
           f"<b>{escape(c.title or 'Credential')}</b></p>",
           f"<p style='color:{MUTED}; margin:0'>Issued by {escape(issuer)}"
           + (f" · {escape(FORMAT_WORDS.get(c.format, c.format))}" if c.format else "") + "</p>"]
    line = getattr(c, "status", None)
    unchecked = line is not None and line.unchecked
    if c.valid and shown.sample:
        out.append(f"<p style='color:{WARN}; margin:3px 0 0 0'><b>⚠ {escape(SAMPLE_LINE)}</b></p>")
    elif c.valid:   # "current" only once its status was checked (or it has none)
        out.append(f"<p style='color:{GOOD}; margin:3px 0 0 0'>Genuine: signed by its issuer, "
                   + ("within its dates, " if unchecked else "current, ") + "and the holder's own.</p>")
    else:
        out.append(f"<p style='color:{BAD}; margin:3px 0 0 0'>{escape(c.message)}</p>")
    if line is not None and line.state.value in ("checked", "unchecked"):   # revoked: the message says it
        color = WARN if unchecked else GOOD
        out.append(f"<p style='color:{color}; margin:2px 0 0 0'>{'⚠ ' if unchecked else ''}"
                   f"{escape(line.message)}</p>")
    if c.valid and c.anchor and getattr(c, "format", "") == "blockcerts":   # where its issuer anchored it
        out.append(f"<p style='color:{GOOD}; margin:2px 0 0 0'>⛓ {escape(c.anchor)}.</p>")
    elif c.valid and c.anchor in (ANCHORED, ANCHORED_BY_DAO):   # "not anchored" is the usual case: not worth a line
        out.append(f"<p style='color:{GOOD}; margin:2px 0 0 0'>⛓ Soulbound: {escape(c.anchor)}.</p>")
    for warning in c.warnings:
        code = getattr(warning.code, "value", str(warning.code))
        if code == "sample-issuer" and shown.sample:
            continue            # said above, in full
        if unchecked and code == "status-unchecked":   # the status line above says it, with the reason
            continue
        # Status and saved-key warnings in full: offline, too many lists, a refused address, the
        # saved copy's date.
        text = warning.message if code.startswith(("status-", "key-")) else WARNING_SHORT.get(code) or warning.message
        out.append(f"<p style='color:{WARN}; margin:2px 0 0 0'>⚠ {escape(text)}</p>")
    achievements = transcript_achievements(c.disclosed) if c.disclosed else None
    if achievements is not None:
        out += _transcript(achievements)
    rows = _proves(c.disclosed, c.subject, transcript=achievements is not None)
    if rows:
        out.append("<p style='margin:6px 0 2px 0'>What it proves:</p><table cellspacing=0 cellpadding=1>")
        for path, value in rows[:MAX_CLAIMS]:
            out.append(f"<tr><td style='color:{MUTED}; padding-right:10px'>{escape(path)}</td>"
                       f"<td>{escape(value)}</td></tr>")
        if len(rows) > MAX_CLAIMS:
            out.append(f"<tr><td colspan=2 style='color:{MUTED}'>… and {len(rows) - MAX_CLAIMS} more</td></tr>")
        out.append("</table>")
    if c.revealed:
        out.append(f"<p style='color:{MUTED}; margin:3px 0 0 0'>The holder chose to reveal: "
                   f"{escape(', '.join(c.revealed))}</p>")
    if c.key_bound:
        out.append(f"<p style='color:{MUTED}; margin:2px 0 0 0'>Bound to the holder's key, for this request.</p>")
    return "".join(out)


def details_html(verdict, trusted: dict | None = None) -> str:
    out = []
    for warning in verdict.warnings:
        out.append(f"<p style='color:{WARN}; margin:0 0 4px 0'>⚠ {escape(warning.message)}</p>")
    if verdict.credentials:
        count = len(verdict.credentials)
        out.append(f"<p style='color:{MUTED}; margin:0'>{count} credential{'s' if count != 1 else ''}:</p>")
    for c in verdict.credentials:
        out.append(credential_html(c, trusted))
    return "".join(out)


class VerdictView(QWidget):
    """The banner (look good / bad / neutral) above the details."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.verdict = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.banner = QFrame()
        self.banner.setObjectName("verdictHero")
        banner = QVBoxLayout(self.banner)
        banner.setContentsMargins(16, 12, 16, 12)
        banner.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(12)
        self.mark = QLabel()
        self.mark.setObjectName("verdictMark")
        top.addWidget(self.mark, 0, Qt.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(3)
        self.title = PlainLabel()
        self.title.setObjectName("verdictHeadline")
        self.title.setWordWrap(True)
        titles.addWidget(self.title)
        self.text = PlainLabel()
        self.text.setObjectName("verdictText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        titles.addWidget(self.text)
        self.holder = ElidedLabel()
        self.holder.setObjectName("verdictHolder")
        titles.addWidget(self.holder)
        top.addLayout(titles, 1)
        banner.addLayout(top)
        self.banner.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        layout.addWidget(self.banner)
        self.details = RichView()
        self.details.setObjectName("verdictDetails")
        self.details.setAccessibleName("Verdict details")
        layout.addWidget(self.details, 1)
        layout.addStretch(0)     # takes the room when there are no details
        self.clear()

    def _look(self, look: str) -> None:
        self.banner.setProperty("look", look)
        for widget in (self.banner, self.mark, self.title):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def clear(self) -> None:
        self.verdict = None
        self.hide()

    def show_verdict(self, verdict, domain: str = "", trusted: dict | None = None) -> None:
        """``trusted``: the verifier's trust list {DID: name} (None: nobody's name is verified)."""
        self.verdict = verdict
        if verdict.valid:
            self.mark.setText("✓")
            self.title.setText("Valid presentation")
            self._look("good")
            count = len(verdict.credentials)
            what = f"{count} credential{'s' if count != 1 else ''}" if count else "no credentials"
            unchecked = sum(1 for c in verdict.credentials if getattr(c, "status", None) and c.status.unchecked)
            note = (f" Status not checked for {unchecked} of {count}: whether "
                    f"{'it was' if unchecked == 1 else 'they were'} revoked is unknown." if unchecked else "")
            self.text.setText(f"Genuine and made for your request: {what}, presented to {domain or 'you'} in "
                              f"answer to your challenge, every signature checked.{note}"
                              + (" It includes a sample credential, which proves nothing."
                                 if any(shown_issuer(c.issuer, c.issuer_name).sample for c in verdict.credentials)
                                 else ""))
        else:
            self.mark.setText("✗")
            self.title.setText("Not valid")
            self._look("bad")
            self.text.setText(verdict.message)
        if verdict.holder:
            self.holder.setText(f"Presented by {verdict.holder}")
            self.holder.show()
        else:
            self.holder.hide()
        self.details.setHtml(details_html(verdict, trusted))
        self.details.setVisible(bool(verdict.credentials or verdict.warnings))
        self.show()

    def show_unreadable(self, message: str, title: str = "No presentation found") -> None:
        """Nothing could be read (or checked yet): no verdict, but a clear reason and what
        to do, under ``title``."""
        self.verdict = None
        self.mark.setText("?")
        self.title.setText(title)
        self._look("neutral")
        self.text.setText(message)
        self.holder.hide()
        self.details.clear()
        self.details.hide()
        self.show()

    def plain_text(self) -> str:
        """Everything shown, as text (for tests and accessibility)."""
        parts = [self.title.text(), self.text.text()]
        if not self.holder.isHidden():
            parts.append(self.holder.text())
        if not self.details.isHidden():
            parts.append(self.details.toPlainText())
        return "\n".join(parts)
