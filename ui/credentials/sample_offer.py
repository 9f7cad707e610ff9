"""Something to present, for a vault that holds nothing it can present.

Presenting proves that a credential was issued to you, and a newcomer's vault holds none
issued to one of its DIDs. This box says so and offers a sample credential from the app's
demo issuer (vault.issuing.sample: marked as a sample wherever it is shown, never
trusted), issued on a click to the default DID and imported as any credential is. The
count and the issuing run on the TaskRunner.

Shown by the Present page above its picker and by the Credentials page under its empty
list. (It lives here, not in ui.present, because ui.present imports ui.credentials.)
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from vault.identity import Identity
from vault.issuing import sample
from vault.presentations.service import PresentationService

from ..errors import describe
from ..widgets import BusyIndicator, InlineMessage
from ..widgets.labels import text_label
from ..workers import TaskRunner

WHY = ("Presenting proves that a credential was issued to you; none of your credentials names one of your "
       "DIDs yet.")
WHAT = (f"Import one issued to your DID, or try it with a sample credential from the app's demo issuer "
        f"({sample.NOTE}). It shows how presenting works and proves nothing.")
NEW_HERE = (f"New here? Try presenting with a sample credential: a badge that the app's demo issuer "
            f"({sample.NOTE}) issues to your DID. It shows how presenting works and proves nothing.")
BUTTON = "Try it with a sample credential"
ADDED = (f"A sample credential was issued to your DID by {sample.LABEL} and imported. It is marked "
         "“Sample” wherever it is shown.")


class SampleOffer(QFrame):
    added = Signal(object)      # the ImportResult of the sample (created False: it was there already)
    needed = Signal(bool)       # check(): True when the vault holds nothing it can present

    def __init__(self, service: PresentationService, tasks: TaskRunner, parent: QWidget | None = None, *,
                 why: str = WHY, what: str = WHAT):
        super().__init__(parent)
        self.setObjectName("sampleOffer")
        self.service, self.tasks = service, tasks
        self._closed = False
        self._asked = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        self.why = text_label(why, name="sampleOfferWhy")
        self.why.setVisible(bool(why))
        layout.addWidget(self.why)
        self.what = text_label(what, name="hintLabel")
        layout.addWidget(self.what)
        row = QHBoxLayout()
        self.button = QPushButton(BUTTON)
        self.button.setObjectName("sampleButton")
        self.button.setAutoDefault(False)
        self.button.setToolTip(f"Issue a sample badge to your default DID, from {sample.LABEL}, and import it")
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        self.busy = BusyIndicator()
        layout.addWidget(self.busy)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.button.clicked.connect(self.issue)
        self.hide()

    @classmethod
    def for_credentials(cls, credentials, tasks: TaskRunner, parent: QWidget | None = None, **kwargs):
        """For a page that has the credential service only: the DIDs are the same vault's."""
        return cls(PresentationService(Identity(credentials.store), credentials), tasks, parent, **kwargs)

    def _alive(self) -> bool:
        return not self._closed and isValid(self)

    def check(self) -> None:
        """Show the offer when nothing stored can be presented (counted off the GUI thread)."""
        if self._closed:
            return
        self._asked += 1
        asked = self._asked
        job = self.tasks.run(self.service.presentable_count)
        job.finished.connect(lambda count: self._on_count(asked, count))
        job.failed.connect(lambda exc: self._on_count(asked, None))

    def _on_count(self, asked: int, count: int | None) -> None:
        if not self._alive() or asked != self._asked or self.busy.running:
            return
        needed = count == 0   # a failed count offers nothing: the list's own error says why
        self.setVisible(needed)
        self.needed.emit(needed)

    def issue(self) -> None:
        if self._closed or self.busy.running:
            return
        self.message.clear()
        self.button.setEnabled(False)
        self.busy.start("Issuing a sample credential to your DID…")
        job = self.tasks.run(self.service.add_sample)
        job.finished.connect(self._on_added)
        job.failed.connect(self._on_failed)

    def _on_added(self, result) -> None:
        if not self._alive():
            return
        self.busy.stop()
        self.button.setEnabled(True)
        self.added.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        if not self._alive():
            return
        self.busy.stop()
        self.button.setEnabled(True)
        self.message.error(f"No sample could be issued: {describe(exc)}")

    def drop(self) -> None:
        """The vault is being locked: ignore what is still on its way."""
        self._closed = True
        self.busy.stop()
        self.message.clear()
        self.hide()
