"""One credential in full: badge, verdict and why, every claim, the raw credential, and
what the holder adds (tags, a note). Actions: re-verify, trust the issuer, export, delete.

Everything a credential says is shown as plain text: it comes from whoever issued it.
Its bidi controls and invisible characters show as marks (vault.safe_text); the issuer's
name is the trust list's, or marked as not verified (vault.credentials.issuer_name).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QFrame, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QScrollArea,
                               QSizePolicy, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from vault.credentials.issuer_name import shown_issuer
from vault.safe_text import safe_text

from ..shell.clipboard import SecretPlainTextEdit
from ..widgets import BusyIndicator, ElidedLabel, InlineMessage, button_row, section_title
from ..widgets.labels import PlainLabel, plain_tip
from ..widgets.layout import primary
from . import images, presentation
from .delegate import is_dark, paint_badge

BADGE = 96
MAX_ACHIEVEMENTS = 200     # a transcript's achievements listed in the overview


def _plain(text: str = "", *, name: str | None = None, wrap: bool = True, select: bool = True) -> QLabel:
    label = PlainLabel(text)
    label.setWordWrap(wrap)
    if select:
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def _value(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith("data:") and len(text) > 80:
        return text[:60] + f"… ({len(text):,} characters)"
    return text


class CredentialDetailView(QWidget):
    back_requested = Signal()
    reverify_requested = Signal()
    export_requested = Signal()
    delete_requested = Signal()
    trust_requested = Signal()
    untrust_requested = Signal()
    save_requested = Signal(list, str)   # tags, note

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pageBackground")
        self.detail = None
        self._saved: tuple[list[str], str] = ([], "")   # tags and note as stored
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 18, 28, 16)
        layout.setSpacing(10)

        self.back_button = QPushButton("← All credentials")
        self.back_button.setObjectName("backButton")
        self.reverify_button = QPushButton("Re-verify")
        self.export_button = QPushButton("Export…")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("dangerButton")
        layout.addLayout(button_row(self.reverify_button, self.export_button, self.delete_button,
                                    leading=[self.back_button]))
        layout.addLayout(self._build_header())
        layout.addWidget(self._build_banner())
        self.busy = BusyIndicator()
        layout.addWidget(self.busy)
        self.message = InlineMessage(transient=True)
        layout.addWidget(self.message)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailTabs")
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_overview(), "Overview")
        self.tabs.addTab(self._build_claims(), "Claims")
        # raw: a copy of it is a secret (marked for clipboard managers, cleared after 30 s)
        self.raw = SecretPlainTextEdit()
        self.raw.setObjectName("jsonView")
        self.raw.setAccessibleName("Credential as received")
        self.raw.setReadOnly(True)
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.raw.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        self.tabs.addTab(self.raw, "Raw JSON")

        self.back_button.clicked.connect(self.back_requested)
        self.reverify_button.clicked.connect(self.reverify_requested)
        self.export_button.clicked.connect(self.export_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        self.trust_button.clicked.connect(self.trust_requested)
        self.untrust_button.clicked.connect(self.untrust_requested)
        self.save_button.clicked.connect(self._save)
        self.tags.textEdited.connect(self._update_save)
        self.note.textChanged.connect(self._update_save)
        back = QShortcut(QKeySequence(Qt.Key_Escape), self, context=Qt.WidgetWithChildrenShortcut)
        back.activated.connect(self.back_requested)
        self.clear()

    def _build_header(self) -> QHBoxLayout:
        """The badge, title, kind and issuer."""
        header = QHBoxLayout()
        header.setSpacing(16)
        self.badge = QLabel()
        self.badge.setObjectName("detailBadge")
        self.badge.setFixedSize(BADGE, BADGE)
        self.badge.setAlignment(Qt.AlignCenter)
        header.addWidget(self.badge, 0, Qt.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(3)
        self.title = _plain(name="pageTitle")
        self.kind = _plain(name="hintLabel")
        self.issuer_name = _plain(name="detailIssuer")
        self.issuer_did = ElidedLabel()
        self.issuer_did.setObjectName("folderLabel")
        titles.addWidget(self.title)
        titles.addWidget(self.kind)
        titles.addWidget(self.issuer_name)
        titles.addWidget(self.issuer_did)
        titles.addStretch(1)
        header.addLayout(titles, 1)
        return header

    def _build_banner(self) -> QFrame:
        """The verdict, its warnings and when it was checked; trust or stop trusting."""
        self.banner = QFrame()
        self.banner.setObjectName("verdictBanner")
        banner = QVBoxLayout(self.banner)
        banner.setContentsMargins(12, 8, 12, 8)
        banner.setSpacing(4)
        top = QHBoxLayout()
        self.verdict_title = _plain(name="verdictTitle", wrap=False)
        top.addWidget(self.verdict_title)
        top.addStretch(1)
        self.trust_button = QPushButton("Trust this issuer…")
        self.trust_button.setToolTip("Add the issuer's DID to your trust list, under a name you choose: "
                                     "every credential of theirs stops warning at once")
        top.addWidget(self.trust_button)
        self.untrust_button = QPushButton("Stop trusting")
        self.untrust_button.setToolTip("Take the issuer's DID off your trust list: their credentials "
                                       "warn again that you do not know them")
        top.addWidget(self.untrust_button)
        banner.addLayout(top)
        self.verdict_message = _plain(name="verdictMessage")
        banner.addWidget(self.verdict_message)
        self.warnings = _plain(name="verdictWarnings")
        banner.addWidget(self.warnings)
        self.checked_at = _plain(name="verdictChecked")
        banner.addWidget(self.checked_at)
        return self.banner

    def _build_overview(self) -> QScrollArea:
        """What the credential says (left), what the holder adds (right)."""
        overview = QWidget()
        overview.setObjectName("overviewPane")
        columns = QHBoxLayout(overview)
        columns.setContentsMargins(14, 12, 14, 12)
        columns.setSpacing(18)
        self.facts = QFormLayout()
        self.facts.setLabelAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.facts.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.facts.setRowWrapPolicy(QFormLayout.DontWrapRows)
        self.facts.setHorizontalSpacing(16)
        self.facts.setVerticalSpacing(7)
        about = QVBoxLayout()
        about.addLayout(self.facts)
        about.addStretch(1)
        columns.addLayout(about, 3)
        notes_box = QFrame()
        notes_box.setObjectName("notesBox")
        notes = QVBoxLayout(notes_box)
        notes.setContentsMargins(12, 10, 12, 12)
        notes.setSpacing(8)
        notes.addWidget(section_title("Your tags and note"))
        self.tags = QLineEdit()
        self.tags.setObjectName("tagsField")
        self.tags.setAccessibleName("Tags")
        self.tags.setPlaceholderText("Tags, with commas: job, python")
        self.tags.setMaxLength(500)
        self.note = QPlainTextEdit()
        self.note.setObjectName("noteField")
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("A note for yourself. Kept encrypted in the vault, never presented.")
        self.note.setMinimumHeight(64)
        self.save_button = primary(QPushButton("Save"))
        self.save_button.setAutoDefault(False)
        self.save_button.setDefault(False)
        notes.addWidget(self.tags)
        notes.addWidget(self.note, 1)
        notes.addLayout(button_row(self.save_button))
        columns.addWidget(notes_box, 2, Qt.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(overview)
        return scroll

    def _build_claims(self) -> QTableWidget:
        self.claims = QTableWidget(0, 2)
        self.claims.setObjectName("claimsTable")
        self.claims.setAccessibleName("Claims")
        self.claims.setTabKeyNavigation(False)   # Tab leaves the table; arrows move in it
        self.claims.setHorizontalHeaderLabels(["Claim", "Value"])
        self.claims.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.claims.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.claims.setWordWrap(False)
        self.claims.setAlternatingRowColors(True)
        self.claims.setShowGrid(False)
        self.claims.setTextElideMode(Qt.ElideRight)
        self.claims.verticalHeader().hide()
        self.claims.horizontalHeader().setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.claims.horizontalHeader().setSectionResizeMode(0, QHeaderView.Interactive)
        self.claims.horizontalHeader().resizeSection(0, 280)
        self.claims.horizontalHeader().setStretchLastSection(True)
        return self.claims

    # ---- content ----------------------------------------------------------------------

    def clear(self) -> None:
        """Forget the credential shown (the vault is being locked, or another one comes)."""
        self.detail = None
        self.title.setText("")
        self.kind.setText("")
        self.issuer_name.setText("")
        self.issuer_did.setText("")
        self.badge.clear()
        self.verdict_title.setText("")
        self.verdict_message.setText("")
        self.warnings.setText("")
        self.checked_at.setText("")
        self.trust_button.hide()
        self.untrust_button.hide()
        self._clear_facts()
        self.claims.setRowCount(0)
        self.raw.clear()
        self.tags.clear()
        self.note.clear()
        self.message.clear()
        self.busy.stop()
        self._set_actions(False)
        self._saved = ([], "")
        self._update_save()

    def show_loading(self, title: str = "") -> None:
        self.clear()
        self.title.setText(title or "Credential")
        self.busy.start("Reading the credential…")

    def show_detail(self, detail) -> None:
        self.busy.stop()
        self.message.clear()
        self.detail = detail
        summary, display = detail.summary, detail.display
        self.title.setText(summary.title)
        kind = presentation.FORMAT_WORDS.get(summary.format, summary.format)
        if display is not None and display.is_transcript:
            kind = f"{display.kind_line} · {kind}"
        elif display is not None and display.is_open_badge:
            kind = "Open Badge · " + kind
            if display.achievement_type:
                kind += f" · {display.achievement_type}"
        self.kind.setText(kind)
        self._show_issuer(detail.issuer or shown_issuer(summary.issuer, summary.issuer_name))
        self._paint_badge(detail)
        self.show_verdict(summary, detail.verdict)
        self._fill_facts(detail)
        self._fill_claims(display.claims if display else ())
        self.raw.setPlainText(detail.raw_text)
        self.tags.setText(", ".join(summary.tags))
        self.note.setPlainText(summary.note)
        self._saved = (list(summary.tags), summary.note)
        self._update_save()
        self._set_actions(True)

    def _show_issuer(self, issuer) -> None:
        self.issuer_name.setText(issuer.label if issuer.name else "Issuer without a name")
        self.issuer_did.setText(issuer.did or "(no issuer identifier)")

    def show_verdict(self, summary, verdict: dict, trusted: dict | None = None) -> None:
        """``trusted``: the trust list {DID: name} as it is now (it may name the issuer)."""
        if trusted is not None:
            issuer = shown_issuer(summary.issuer, summary.issuer_name, trusted)
            self._show_issuer(issuer)
            if self.detail is not None:
                self.detail.issuer = issuer
        chip = presentation.status_chip(summary.status)
        warning = presentation.warning_chip(summary.status, verdict)
        look = warning.look if warning else chip.look
        self.banner.setProperty("look", look)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        for label in (self.verdict_title, self.verdict_message, self.warnings, self.checked_at):
            label.style().unpolish(label)
            label.style().polish(label)
        self.verdict_title.setText(chip.text + (f" · {warning.text}" if warning else ""))
        self.verdict_message.setText(presentation.verdict_text(verdict))
        notes = [w.get("message", "") for w in verdict.get("warnings") or [] if isinstance(w, dict)]
        self.warnings.setText("\n".join(f"⚠ {n}" for n in notes if n))
        self.warnings.setVisible(bool(self.warnings.text()))
        self.checked_at.setText(f"Last checked {presentation.day(summary.checked_at)}"
                                f" · imported {presentation.day(summary.imported_at)}")
        unknown = "unknown-issuer" in presentation.warning_codes(verdict)
        self.trust_button.setVisible(unknown and bool(summary.issuer))
        issuer = self.detail.issuer if self.detail is not None else None
        self.untrust_button.setVisible(bool(summary.issuer) and issuer is not None and issuer.trusted)
        if self.detail is not None:
            self.detail.summary, self.detail.verdict = summary, verdict

    def _paint_badge(self, detail) -> None:
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(int(BADGE * ratio), int(BADGE * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.transparent)
        painter = QPainter(pixmap)
        paint_badge(painter, QRect(0, 0, BADGE, BADGE), detail.image, detail.image_state,
                    detail.summary.title, presentation.initials(detail.summary.title), self.font(),
                    is_dark(self.palette()))
        painter.end()
        self.badge.setPixmap(pixmap)
        tips = {images.REMOTE: "The badge image is on the web. The vault works offline and does not "
                               "fetch it.",
                images.BROKEN: "The badge image could not be read.",
                images.NONE: "This credential has no image."}
        self.badge.setToolTip(tips.get(detail.image_state, ""))

    def _clear_facts(self) -> None:
        while self.facts.rowCount():
            self.facts.removeRow(0)

    def _fact(self, label: str, value: str | None, *, identifier: bool = False) -> None:
        """A row of the overview. Identifiers (ids, DIDs: no spaces to wrap at) are elided
        in the middle, whole in their tooltip; text wraps."""
        if not value:
            return
        if identifier:
            field = ElidedLabel(value)
            field.setObjectName("folderLabel")
        else:
            field = _plain(value)
            field.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        name = QLabel(label)
        name.setObjectName("factLabel")
        name.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        name.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Expanding)   # top of a wrapped value
        self.facts.addRow(name, field)

    def _fill_facts(self, detail) -> None:
        self._clear_facts()
        summary, display = detail.summary, detail.display
        if display is not None:
            self._fact("Description", display.description)
            self._fact("Criteria", display.criteria_narrative or display.criteria_url)
            if display.is_transcript:   # its nested credentials, by title; signed as part of it
                shown = display.achievements[:MAX_ACHIEVEMENTS]
                more = len(display.achievements) - len(shown)
                self._fact("Achievements", "\n".join(shown) + (f"\n… and {more:,} more" if more else "")
                           or "None listed")
        self._fact("Valid from", presentation.day(summary.valid_from))
        self._fact("Expires", presentation.day(summary.valid_until) or "No expiry date")
        if display is not None:
            self._fact("Awarded", presentation.day(display.awarded))
            subject = " · ".join(p for p in (display.subject_name, display.subject_id) if p)
            self._fact("Subject", subject or summary.subject, identifier=True)
            if display.results:
                self._fact("Results", "\n".join(f"{r.name or 'Result'}: {r.value or ''}" for r in display.results))
            if display.alignments:
                self._fact("Alignments", "\n".join(
                    " · ".join(p for p in (a.target_name, a.target_framework, a.target_code) if p)
                    for a in display.alignments))
            if display.evidence:
                self._fact("Evidence", "\n".join(e.name or e.url or e.description or "" for e in display.evidence))
            if display.issuer_url:
                self._fact("Issuer website", display.issuer_url, identifier=True)
        else:
            self._fact("Subject", summary.subject, identifier=True)
            self._fact("Content", "The vault could not read this credential's claims: "
                       + (detail.verdict.get("message") or "its format is not understood here."))
        self._fact("Format", presentation.FORMAT_WORDS.get(summary.format, summary.format))
        self._fact("Types", ", ".join(summary.types))
        self._fact("Vault id", summary.id, identifier=True)

    def _fill_claims(self, claims) -> None:
        self.claims.setRowCount(len(claims))
        for row, (path, value) in enumerate(claims):
            name = QTableWidgetItem(safe_text(path))
            shown = QTableWidgetItem(safe_text(_value(value)))
            shown.setToolTip(plain_tip(_value(value)[:2000]))
            self.claims.setItem(row, 0, name)
            self.claims.setItem(row, 1, shown)
        self.tabs.setTabText(1, f"Claims ({len(claims)})")

    # ---- tags and note ------------------------------------------------------------------

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.text().split(",") if t.strip()]

    def _update_save(self) -> None:
        current = (sorted(set(self.tag_list())), self.note.toPlainText())
        saved = (sorted(set(self._saved[0])), self._saved[1])
        self.save_button.setEnabled(self.detail is not None and current != saved)

    def saved(self, summary) -> None:
        self._saved = (list(summary.tags), summary.note)
        self.tags.setText(", ".join(summary.tags))
        if self.detail is not None:
            self.detail.summary = summary
        self._update_save()

    def _save(self) -> None:
        if self.detail is not None:
            self.save_requested.emit(self.tag_list(), self.note.toPlainText())

    def _set_actions(self, enabled: bool) -> None:
        for button in (self.reverify_button, self.export_button, self.delete_button, self.trust_button,
                       self.untrust_button):
            button.setEnabled(enabled)
        self.tags.setEnabled(enabled)
        self.note.setEnabled(enabled)

    def set_working(self, text: str | None) -> None:
        """Busy with a re-verify / export / save: say so and keep the actions from a second click."""
        if text:
            self.busy.start(text)
        else:
            self.busy.stop()
        self._set_actions(not text and self.detail is not None)
        if not text:
            self._update_save()
