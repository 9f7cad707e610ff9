"""The Issue page's forms: a new issuer profile, a new achievement, and the DID document
a did:web profile hosts. Each form hands its values to the core (vault.issuing), which
checks them; its refusal is shown under the form and nothing is kept."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QFormLayout, QLineEdit, QPlainTextEdit,
                               QPushButton, QRadioButton, QHBoxLayout, QVBoxLayout, QWidget)

from ..errors import describe
from ..widgets import InlineMessage, button_row, page_subtitle, page_title
from ..widgets.labels import text_label
from ..widgets.layout import primary

ACHIEVEMENT_TYPES = ("Badge", "Certificate", "Certification", "Course", "Competency", "Assignment",
                     "Award", "Diploma", "LearningProgram", "MicroCredential")


def _dialog(dialog: QDialog, title: str, intro: str) -> tuple[QVBoxLayout, QFormLayout]:
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(560)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(10)
    layout.addWidget(page_title(title))
    layout.addWidget(page_subtitle(intro))
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
    layout.addLayout(form)
    return layout, form


def _text_box(placeholder: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class _CoreForm(QDialog):
    """Runs ``self.submit()`` (the core call) on OK; its refusal stays in the dialog."""

    saved = Signal(object)   # what the core returned

    def _finish(self, layout: QVBoxLayout, ok_text: str) -> None:
        self.error = InlineMessage()
        layout.addWidget(self.error)
        self.cancel_button = QPushButton("Cancel")
        self.ok_button = primary(QPushButton(ok_text))
        layout.addLayout(button_row(self.cancel_button, self.ok_button))
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button.clicked.connect(self._save)

    def _save(self) -> None:
        try:
            result = self.submit()
        except Exception as exc:   # the core's refusal (IssuingError, InvalidDid…), said as it is
            self.error.error(describe(exc))
            return
        self.saved.emit(result)
        self.accept()

    def submit(self):
        raise NotImplementedError


class ProfileDialog(_CoreForm):
    """A new issuer profile: who signs (did:key, or did:web for an institution with a
    website), how it names itself, and which account anchors its credentials."""

    def __init__(self, profiles, accounts: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.profiles = profiles
        layout, form = _dialog(self, "New issuer profile",
                               "The name, address and picture are shown in every credential you issue, as "
                               "your own words: verifiers see them next to the DID that signs.")
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Riverside Coding Bootcamp")
        self.as_key = QRadioButton("did:key (made from this vault's recovery phrase; nothing to host)")
        self.as_web = QRadioButton("did:web (your website hosts the DID document the app writes)")
        self.as_key.setChecked(True)
        self.web = QLineEdit()
        self.web.setPlaceholderText("e.g. learn.riverside.example (or did:web:…)")
        self.web.setEnabled(False)
        self.as_web.toggled.connect(self.web.setEnabled)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://… (optional)")
        self.image = QLineEdit()
        self.image.setPlaceholderText("https://… logo (optional)")
        self.description = _text_box("What this issuer is (optional)")
        self.email = QLineEdit()
        self.email.setPlaceholderText("optional")
        self.account = QComboBox()
        self.account.addItem("None (do not anchor on chain)", "")
        for address in accounts:
            self.account.addItem(address, address)
        self.status_url = QLineEdit()
        self.status_url.setPlaceholderText("https://…/status (default: your address + /status)")
        signing = QVBoxLayout()
        signing.addWidget(self.as_key)
        signing.addWidget(self.as_web)
        signing.addWidget(self.web)
        form.addRow("Name", self.name)
        form.addRow("Signs as", signing)
        form.addRow("Web address", self.url)
        form.addRow("Image", self.image)
        form.addRow("Description", self.description)
        form.addRow("Email", self.email)
        form.addRow("Anchoring account", self.account)
        form.addRow("Status lists at", self.status_url)
        self._finish(layout, "Create profile")

    def submit(self):
        return self.profiles.create(
            self.name.text(), method="web" if self.as_web.isChecked() else "key", web=self.web.text(),
            url=self.url.text(), image=self.image.text(), description=self.description.toPlainText(),
            email=self.email.text(), anchor_account=self.account.currentData() or "",
            status_base_url=self.status_url.text())


class AnchorAccountDialog(_CoreForm):
    """Edit a profile: the account that anchors what it issues (the rest is in every
    credential already issued, so it is kept as it was)."""

    def __init__(self, profiles, profile, accounts: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.profiles, self.profile = profiles, profile
        layout, form = _dialog(self, "Anchoring account",
                               "The account of this vault that anchors this profile's credentials as "
                               "soulbound tokens. It needs the issuer role on the network.")
        self.account = QComboBox()
        self.account.addItem("None (do not anchor on chain)", "")
        for address in accounts:
            self.account.addItem(address, address)
        index = self.account.findData(profile.anchor_account)
        self.account.setCurrentIndex(max(index, 0))
        form.addRow("Account", self.account)
        self._finish(layout, "Save")

    def submit(self):
        return self.profiles.update(self.profile.id, anchor_account=self.account.currentData() or "")


class AchievementDialog(_CoreForm):
    """A reusable OB 3.0 Achievement of a profile: what is awarded and what earns it."""

    def __init__(self, profiles, profile, parent: QWidget | None = None):
        super().__init__(parent)
        self.profiles, self.profile = profiles, profile
        layout, form = _dialog(self, "New achievement",
                               "What the credential awards. It is kept with the profile, to issue again.")
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Data Analysis with Python")
        self.description = _text_box("What the learner achieved")
        self.criteria = _text_box("What earns it, e.g. “Passed the final project review.”")
        self.image = QLineEdit()
        self.image.setPlaceholderText("https://… badge image (optional)")
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems(ACHIEVEMENT_TYPES)
        self.skill = QLineEdit()
        self.skill.setPlaceholderText("Skill it aligns to, e.g. Python programming (optional)")
        self.skill_url = QLineEdit()
        self.skill_url.setPlaceholderText("https://… the skill's framework entry")
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("comma-separated, optional")
        skill = QHBoxLayout()
        skill.addWidget(self.skill, 1)
        skill.addWidget(self.skill_url, 1)
        form.addRow("Name", self.name)
        form.addRow("Description", self.description)
        form.addRow("Criteria", self.criteria)
        form.addRow("Image", self.image)
        form.addRow("Type", self.kind)
        form.addRow("Alignment", skill)
        form.addRow("Tags", self.tags)
        self._finish(layout, "Add achievement")

    def submit(self):
        alignment = []
        if self.skill.text().strip() or self.skill_url.text().strip():
            alignment.append({"targetName": self.skill.text(), "targetUrl": self.skill_url.text()})
        return self.profiles.add_achievement(
            self.profile.id, self.name.text(), description=self.description.toPlainText(),
            criteria=self.criteria.toPlainText(), image=self.image.text(), achievement_type=self.kind.currentText(),
            alignment=alignment, tags=[t.strip() for t in self.tags.text().split(",")])


class DidDocumentDialog(QDialog):
    """The DID document a did:web profile's website must serve, and exactly where."""

    def __init__(self, profile, document: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        layout, _form = _dialog(self, "DID document to host",
                                "Verifiers fetch this file to find the key your credentials are signed with.")
        where = profile.did_document_url()
        self.where = text_label(f"Host it at exactly: {where}" if where else
                                "A did:key needs no hosting: this is what the DID itself says.",
                                name="hostHere", selectable=True)
        layout.addWidget(self.where)
        self.text = QPlainTextEdit(json.dumps(document, indent=2))
        self.text.setReadOnly(True)
        self.text.setMinimumHeight(260)
        layout.addWidget(self.text, 1)
        self.save_button = QPushButton("Save as did.json…")
        self.close_button = primary(QPushButton("Close"))
        layout.addLayout(button_row(self.save_button, self.close_button))
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.accept)

    def save(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save the DID document", "did.json", "JSON (*.json)")
        if path:
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(self.document, fh, indent=2)
