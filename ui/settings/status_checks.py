"""The Settings page's "Status checks" card: whether verifying fetches status lists
(revocation) and issuers' keys (did:web, https issuer profiles, SD-JWT issuer metadata)
from the network, and whether that may reach private and local addresses.
Both are off: the vault works offline unless the person turns this on. Kept beside the
vault (vault.settings preferences), so `vault verify` and `vault credential ...` follow it
too; every verification reads it afresh, so a change applies at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QVBoxLayout, QWidget

from vault import settings as vault_settings

from ..errors import describe
from ..widgets import InlineMessage, section_title
from ..workers import TaskRunner


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hintLabel")
    label.setWordWrap(True)
    return label


class StatusChecksSection(QFrame):
    changed = Signal()          # saved

    def __init__(self, data_dir: Path, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.data_dir, self.tasks = Path(data_dir), tasks
        self.closed = False
        self._saving = self._again = False
        self.setObjectName("settingsSection")
        body = QVBoxLayout(self)
        body.setContentsMargins(18, 14, 18, 16)
        body.setSpacing(8)
        body.addWidget(section_title("Status checks"))
        body.addWidget(_hint(
            "Issuers publish status lists that say whether a credential was revoked, and many "
            "publish their keys on the web. Off, the vault stays offline and uses the copies it "
            "saved, with their date."))
        self.online = QCheckBox("Check status lists and issuer keys online when I verify")
        self.online.setObjectName("checkStatusOnline")
        body.addWidget(self.online)
        body.addWidget(_hint(
            "Each verification fetches at most 8 lists and 8 key documents, over https, and gives "
            "up after 10 seconds. The issuer's server sees your address and what you asked for."))
        self.allow_private = QCheckBox("Allow private and local addresses (an intranet)")
        self.allow_private.setObjectName("allowPrivateAddresses")
        body.addWidget(self.allow_private)
        body.addWidget(_hint(
            "Off, a credential cannot make the vault call this computer or your local network "
            "(127.x, 10.x, 192.168.x, 169.254.x ...). Turn on only if your issuer is on your "
            "intranet; plain http:// is then allowed there."))
        self.message = InlineMessage()
        body.addWidget(self.message)
        self.show_saved()
        self.online.toggled.connect(self._save)
        self.allow_private.toggled.connect(self._save)

    def show_saved(self) -> None:
        preferences = vault_settings.load_preferences(self.data_dir)
        for box, value in ((self.online, preferences.check_status_online),
                           (self.allow_private, preferences.allow_private_addresses)):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)
        self.allow_private.setEnabled(preferences.check_status_online)

    def _save(self, _checked: bool = False) -> None:
        self.allow_private.setEnabled(self.online.isChecked())
        if self._saving:            # one write at a time, the last choice last
            self._again = True
            return
        self._saving, self._again = True, False
        job = self.tasks.run(vault_settings.set_status_checks, self.data_dir,
                             online=self.online.isChecked(), allow_private=self.allow_private.isChecked())
        job.finished.connect(self._on_saved)
        job.failed.connect(self._on_failed)

    @property
    def saving(self) -> bool:
        return self._saving

    def _on_saved(self, _preferences) -> None:
        self._saving = False
        if self.closed:
            return
        if self._again:
            self._save()
            return
        self.message.clear()
        self.changed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self._saving = self._again = False
        if self.closed:
            return
        self.message.error(describe(exc))
        self.show_saved()
