"""The issue form: which profile awards which achievement to whom, with what evidence,
valid when, in which format (and for SD-JWT, which claims the learner may withhold),
and whether to anchor it on chain right away.

``values()`` gathers what was entered (the core checks it all again when issuing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDateTimeEdit, QFileDialog, QFormLayout,
                               QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QRadioButton, QVBoxLayout, QWidget)

from vault.errors import IssuingError
from vault.safe_text import safe_text

from ..errors import describe
from ..widgets import InlineMessage, section_title
from ..widgets.labels import text_label
from ..widgets.layout import primary
from .dialogs import _text_box
from .recipient import RecipientField

FORMATS = (("di", "Data Integrity, eddsa-rdfc-2022 (recommended: what most verifiers read)"),
           ("jcs", "Data Integrity, eddsa-jcs-2022"),
           ("sd-jwt", "SD-JWT VC: the learner chooses which claims to show"))


@dataclass
class IssueValues:
    profile_id: int
    achievement_id: int
    recipient: str
    format: str = "di"
    evidence_url: str = ""
    evidence_text: str = ""
    note: str = ""
    valid_from: str | None = None     # ISO 8601, UTC
    valid_until: str | None = None
    disclosable: list[str] = field(default_factory=list)
    anchor: bool = False
    holder: str = ""                  # the account the token goes to, when anchoring


def _utc(edit: QDateTimeEdit) -> str:
    return edit.dateTime().toUTC().toString(Qt.ISODate)


class IssueForm(QWidget):
    issue_requested = Signal(object)   # IssueValues
    batch_requested = Signal(str)      # the path of a CSV of recipients

    def __init__(self, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 0)   # off the tab frame
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self._build_details(form, tasks)
        self._build_dates(form)
        layout.addLayout(form)
        self._build_format(layout)
        self._build_chain(layout)

        self.error = InlineMessage()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.issue_button.clicked.connect(self._submit)
        self.batch_button.clicked.connect(self._choose_batch)

    def _build_details(self, form: QFormLayout, tasks) -> None:
        self.profile = QComboBox()
        self.profile.setAccessibleName("Issuer profile")
        self.achievement = QComboBox()
        self.achievement.setAccessibleName("Achievement")
        self.recipient = RecipientField(tasks)
        self._achievements_of = lambda _pid: []
        self.profile.currentIndexChanged.connect(self._fill_achievements)
        form.addRow("Issuer profile", self.profile)
        form.addRow("Achievement", self.achievement)
        form.addRow("Recipient", self.recipient)
        self.evidence_url = QLineEdit()
        self.evidence_url.setPlaceholderText("https://… the work itself (optional)")
        self.evidence_url.setAccessibleName("Evidence address")
        self.evidence_text = _text_box("What the learner did, in a sentence or two (optional)", 2)
        self.evidence_text.setAccessibleName("Evidence narrative")
        self.note = QLineEdit()
        self.note.setPlaceholderText("In the credential's description and your issued log (optional)")
        self.note.setAccessibleName("Note")
        form.addRow("Evidence", self.evidence_url)
        form.addRow("", self.evidence_text)
        form.addRow("Note", self.note)

    def _build_dates(self, form: QFormLayout) -> None:
        dates = QHBoxLayout()
        self.valid_from = QDateTimeEdit(QDateTime.currentDateTime())
        self.valid_from.setCalendarPopup(True)
        self.valid_from.setAccessibleName("Valid from")
        self.expires = QCheckBox("Expires")
        self.valid_until = QDateTimeEdit(QDateTime.currentDateTime().addYears(3))
        self.valid_until.setCalendarPopup(True)
        self.valid_until.setAccessibleName("Valid until")
        self.valid_until.setEnabled(False)
        self.expires.toggled.connect(self.valid_until.setEnabled)
        dates.addWidget(self.valid_from)
        dates.addWidget(self.expires)
        dates.addWidget(self.valid_until)
        dates.addStretch(1)
        form.addRow("Valid from", dates)

    def _build_format(self, layout: QVBoxLayout) -> None:
        layout.addWidget(section_title("Format"))
        self.formats = QButtonGroup(self)
        for i, (key, words) in enumerate(FORMATS):
            radio = QRadioButton(words)
            radio.setProperty("format", key)
            self.formats.addButton(radio, i)
            layout.addWidget(radio)
        self.formats.button(0).setChecked(True)
        self.claims_box = QWidget()
        claims = QGridLayout(self.claims_box)
        claims.setContentsMargins(24, 0, 0, 0)
        claims.addWidget(text_label("Claims the learner may withhold (the rest is always shown):"), 0, 0, 1, 3)
        self.claim_checks: dict[str, QCheckBox] = {}
        self.claims_layout = claims
        layout.addWidget(self.claims_box)
        self.claims_box.setVisible(False)
        self.formats.idToggled.connect(lambda _i, _on: self.claims_box.setVisible(self.format() == "sd-jwt"))

    def _build_chain(self, layout: QVBoxLayout) -> None:
        layout.addWidget(section_title("On chain"))
        anchor_row = QHBoxLayout()
        self.anchor = QCheckBox("Anchor it as a soulbound token for the learner right away")
        self.holder = QLineEdit()
        self.holder.setPlaceholderText("The learner's account: 0x… or did:pkh (the recipient's, if it is one)")
        self.holder.setVisible(False)
        self.holder.setAccessibleName("The learner's account for the token")
        anchor_row.addWidget(self.anchor)
        anchor_row.addStretch(1)
        self.batch_button = QPushButton("Batch from a CSV…")
        self.batch_button.setToolTip("One credential per row (column recipient; optional note, evidence_url, "
                                     "valid_from, valid_until): all rows or none")
        anchor_row.addWidget(self.batch_button)
        self.issue_button = primary(QPushButton("Issue"))
        self.issue_button.setObjectName("issueButton")
        anchor_row.addWidget(self.issue_button)
        layout.addLayout(anchor_row)
        layout.addWidget(self.holder)
        self.anchor_hint = text_label(name="radioHint")
        layout.addWidget(self.anchor_hint)
        self.anchor.toggled.connect(self._update_anchor)
        self.recipient.changed.connect(self._update_anchor)

    # ---- choices -------------------------------------------------------------------------

    def set_profiles(self, profiles: list, achievements_of) -> None:
        """``achievements_of(profile_id)`` lists a profile's achievements."""
        self._achievements_of = achievements_of
        keep = self.profile.currentData()
        self.profile.blockSignals(True)
        self.profile.clear()
        for p in profiles:
            self.profile.addItem(safe_text(p.name) + ("  (sample)" if p.is_sample else ""), p.id)
        self.profile.blockSignals(False)
        index = self.profile.findData(keep)
        self.profile.setCurrentIndex(max(index, 0))
        self._fill_achievements()

    def _fill_achievements(self, *_args) -> None:
        self.achievement.clear()
        pid = self.profile.currentData()
        if pid is None:
            return
        for a in self._achievements_of(pid):
            self.achievement.addItem(safe_text(a.name), a.id)

    def set_claims(self, names: list[str], default_on: tuple = ()) -> None:
        """The SD-JWT claims that may be made disclosable."""
        for box in self.claim_checks.values():
            box.deleteLater()
        self.claim_checks = {}
        for i, name in enumerate(names):
            box = QCheckBox(name)
            box.setChecked(name in default_on)
            self.claim_checks[name] = box
            self.claims_layout.addWidget(box, 1 + i // 3, i % 3)

    def format(self) -> str:
        return self.formats.checkedButton().property("format")

    def set_format(self, key: str) -> None:
        for b in self.formats.buttons():
            if b.property("format") == key:
                b.setChecked(True)

    def _update_anchor(self, *_args) -> None:
        on = self.anchor.isChecked()
        try:
            pkh = self.recipient.recipient().startswith("did:pkh:")
        except Exception:
            pkh = False
        self.holder.setVisible(on and not pkh)
        self.anchor_hint.setText("The fee is shown before anything is signed. The token is public: it carries "
                                 "the credential's hash, not the credential." if on else "")

    # ---- submit --------------------------------------------------------------------------

    def values(self) -> IssueValues:
        """What was entered; InvalidDid / IssuingError for what is missing or wrong."""
        if self.profile.currentData() is None:
            raise IssuingError("Create an issuer profile first (Profiles tab).")
        if self.achievement.currentData() is None:
            raise IssuingError("The profile has no achievement yet: add one on the Profiles tab.")
        recipient = self.recipient.recipient()
        holder = ""
        if self.anchor.isChecked():
            holder = recipient if recipient.startswith("did:pkh:") else self.holder.text().strip()
            if not holder:
                raise IssuingError("Anchoring needs the learner's account (0x… or did:pkh): enter it.")
        return IssueValues(
            profile_id=self.profile.currentData(), achievement_id=self.achievement.currentData(),
            recipient=recipient, format=self.format(), evidence_url=self.evidence_url.text().strip(),
            evidence_text=self.evidence_text.toPlainText().strip(), note=self.note.text().strip(),
            valid_from=_utc(self.valid_from), valid_until=_utc(self.valid_until) if self.expires.isChecked() else None,
            disclosable=[n for n, b in self.claim_checks.items() if b.isChecked()] if self.format() == "sd-jwt" else [],
            anchor=self.anchor.isChecked(), holder=holder)

    def _submit(self) -> None:
        self.error.clear()
        try:
            values = self.values()
        except Exception as exc:
            self.error.error(describe(exc))
            return
        self.issue_requested.emit(values)

    def _choose_batch(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Recipients", "", "CSV (*.csv);;All files (*)")
        if path:
            self.batch_requested.emit(path)

    def set_busy(self, busy: bool) -> None:
        self.issue_button.setEnabled(not busy)
        self.batch_button.setEnabled(not busy)
        self.issue_button.setText("Issuing…" if busy else "Issue")
