"""The Profiles tab: the vault's issuer profiles, each with its signing DID, where its
DID document and status lists are hosted, the account that anchors, and its achievements.

Names and texts are the issuer's own words (ours, but shown as any outside text: plain).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
                               QWidget)

from vault.safe_text import safe_text

from ..widgets import InlineMessage, open_dialog, section_title
from ..widgets.labels import text_label
from .dialogs import AchievementDialog, AnchorAccountDialog, DidDocumentDialog, ProfileDialog


def profile_title(profile) -> str:
    return safe_text(profile.name) + ("  (sample: its key is public)" if profile.is_sample else "")


class ProfilesTab(QWidget):
    """``changed`` after a profile or achievement is added or edited."""

    changed = Signal()

    def __init__(self, page, parent: QWidget | None = None):
        super().__init__(parent)
        self.page = page
        self.dialog = None
        self.profile_list: list = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 0)   # off the tab frame
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.setObjectName("issuerProfiles")
        self.list.setAccessibleName("Issuer profiles")
        self.list.setMaximumWidth(300)
        left.addWidget(self.list, 1)
        self.new_button = QPushButton("New profile…")
        left.addWidget(self.new_button)
        layout.addLayout(left)

        right = QVBoxLayout()
        self.name = text_label(name="sectionTitle")
        right.addWidget(self.name)
        form = QFormLayout()
        self.did = text_label(name="monoValue", selectable=True)
        self.hosting = text_label(selectable=True)
        self.statuses = text_label(selectable=True)
        self.account = text_label(selectable=True)
        form.addRow("Signs as", self.did)
        form.addRow("DID document", self.hosting)
        form.addRow("Status lists", self.statuses)
        form.addRow("Anchors with", self.account)
        right.addLayout(form)
        buttons = QHBoxLayout()
        self.document_button = QPushButton("DID document…")
        self.account_button = QPushButton("Anchoring account…")
        self.achievement_button = QPushButton("New achievement…")
        for b in (self.document_button, self.account_button, self.achievement_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        right.addLayout(buttons)
        right.addWidget(section_title("Achievements"))
        self.achievements = QListWidget()
        self.achievements.setObjectName("issuerAchievements")
        self.achievements.setAccessibleName("Achievements of the profile")
        right.addWidget(self.achievements, 1)
        self.message = InlineMessage()
        right.addWidget(self.message)
        layout.addLayout(right, 1)

        self.list.currentRowChanged.connect(lambda _r: self.show_profile())
        self.new_button.clicked.connect(self.new_profile)
        self.document_button.clicked.connect(self.show_did_document)
        self.account_button.clicked.connect(self.edit_account)
        self.achievement_button.clicked.connect(self.new_achievement)

    @property
    def profiles(self):
        return self.page.profiles

    def reload(self, select_id: int | None = None) -> None:
        current = self.selected()
        select_id = select_id if select_id is not None else (current.id if current else None)
        self.profile_list = self.profiles.list()
        self.list.blockSignals(True)
        self.list.clear()
        for p in self.profile_list:
            item = QListWidgetItem(profile_title(p))
            item.setData(Qt.UserRole, p.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        row = next((i for i, p in enumerate(self.profile_list) if p.id == select_id), 0)
        self.list.setCurrentRow(row if self.profile_list else -1)
        self.show_profile()

    def selected(self):
        row = self.list.currentRow()
        return self.profile_list[row] if 0 <= row < len(self.profile_list) else None

    def show_profile(self) -> None:
        p = self.selected()
        for b in (self.document_button, self.account_button, self.achievement_button):
            b.setEnabled(p is not None)
        self.achievements.clear()
        if p is None:
            self.name.setText("No issuer profile yet: create one to issue credentials.")
            for label in (self.did, self.hosting, self.statuses, self.account):
                label.setText("")
            return
        self.account_button.setEnabled(not p.is_sample)
        self.name.setText(profile_title(p))
        self.did.setText(p.did)
        self.hosting.setText(f"Host at {p.did_document_url()}" if p.did_document_url() else
                             "Nothing to host (did:key)")
        urls = [p.status_list_url(purpose) for purpose in ("revocation", "suspension")]
        self.statuses.setText("\n".join(u for u in urls if u) or "None: its credentials cannot be revoked")
        self.account.setText(p.anchor_account or "No account: not anchored on chain")
        for a in self.profiles.achievements(p.id):
            item = QListWidgetItem(safe_text(a.name) + (f"  ({safe_text(a.achievement_type)})"
                                                       if a.achievement_type else ""))
            item.setData(Qt.UserRole, a.id)
            self.achievements.addItem(item)

    # ---- actions -------------------------------------------------------------------------

    def _accounts(self) -> list[str]:
        return [a.address for a in self.page.identity.accounts()]

    def _open(self, dialog, select_id=None) -> None:
        def saved(result):
            self.reload(select_id if select_id is not None else getattr(result, "id", None))
            self.changed.emit()
        dialog.saved.connect(saved)
        open_dialog(self, dialog, delete_on_close=True)

    def new_profile(self) -> None:
        self._open(ProfileDialog(self.profiles, self._accounts(), self))

    def edit_account(self) -> None:
        p = self.selected()
        if p is not None:
            self._open(AnchorAccountDialog(self.profiles, p, self._accounts(), self))

    def new_achievement(self) -> None:
        p = self.selected()
        if p is not None:
            self._open(AchievementDialog(self.profiles, p, self), select_id=p.id)

    def show_did_document(self) -> None:
        p = self.selected()
        if p is not None:
            open_dialog(self, DidDocumentDialog(p, self.profiles.did_document(p), self), delete_on_close=True)
