"""The Present page's step 3: the verifier's request (challenge and domain, typed, scanned
from a picture of their request code, or pasted), and how the presentation is signed and
how long it stays valid. Request images are read on the TaskRunner.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)
from shiboken6 import isValid

from vault.presentations.build import DI, JWT

from ..errors import describe
from ..widgets import InlineMessage, open_dialog, section_title
from ..workers import TaskRunner
from . import jobs

FORMATS = (   # label, format, cryptosuite, what it is
    ("W3C VP · eddsa-rdfc-2022", DI, "eddsa-rdfc-2022",
     "A W3C presentation with a Data Integrity proof (RDF canonicalisation): the smallest code"),
    ("W3C VP · eddsa-jcs-2022", DI, "eddsa-jcs-2022",
     "A W3C presentation with a Data Integrity proof (JSON canonicalisation)"),
    ("VP-JWT", JWT, "eddsa-rdfc-2022", "A presentation JWT: for VC-JWT credentials only"),
)
REQUEST_FILTERS = ("Request codes (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.json *.txt)", "All files (*)")


class RequestForm(QWidget):
    """``changed`` when the challenge or domain changed; ``format_changed`` when another
    format is chosen; ``submitted`` on Enter in the domain (the last field)."""

    changed = Signal()
    format_changed = Signal()
    submitted = Signal()

    def __init__(self, tasks: TaskRunner, host: QWidget, parent: QWidget | None = None):
        """``host``: the page, which keeps the open dialog (closed when the vault locks)."""
        super().__init__(parent)
        self.tasks, self.host = tasks, host
        self.closed = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(section_title("3  The verifier's request"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(6)
        self.challenge = QLineEdit()
        self.challenge.setObjectName("challengeField")
        self.challenge.setPlaceholderText("The code the verifier gave you")
        self.domain = QLineEdit()
        self.domain.setObjectName("domainField")
        self.domain.setPlaceholderText("e.g. hr.employer.example")
        form.addRow("Challenge", self.challenge)
        form.addRow("Domain", self.domain)
        column.addLayout(form)
        request_row = QHBoxLayout()
        self.scan_request_button = QPushButton("Scan request…")
        self.scan_request_button.setToolTip("Read the verifier's request from a picture of their request QR "
                                            "code (a screenshot or a photo)")
        self.paste_request_button = QPushButton("Paste request")
        self.paste_request_button.setToolTip("Take the request from the clipboard: an image of the request "
                                             "code, its text, or {\"challenge\": …, \"domain\": …}")
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("formatCombo")
        self.format_combo.setAccessibleName("Presentation format")
        for number, (label, _, _, tip) in enumerate(FORMATS):
            self.format_combo.addItem(label)
            self.format_combo.setItemData(number, tip, Qt.ToolTipRole)
        self.format_combo.setToolTip("How the presentation is signed")
        self.format_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.format_combo.setMinimumContentsLength(10)
        for button in (self.scan_request_button, self.paste_request_button):
            button.setAutoDefault(False)
            request_row.addWidget(button)
        request_row.addStretch(1)
        column.addLayout(request_row)
        column.addLayout(self._options())
        self.request_message = InlineMessage(transient=True)
        column.addWidget(self.request_message)

        self.format_combo.currentIndexChanged.connect(self.format_changed)
        self.challenge.textChanged.connect(self.changed)
        self.domain.textChanged.connect(self.changed)
        self.challenge.returnPressed.connect(self.domain.setFocus)
        self.domain.returnPressed.connect(self.submitted)
        self.scan_request_button.clicked.connect(self.choose_request_file)
        self.paste_request_button.clicked.connect(self.paste_request)

    def _options(self) -> QHBoxLayout:
        options = QHBoxLayout()
        options.addWidget(self.format_combo, 1)
        valid = QLabel("Valid for")
        valid.setObjectName("hintLabel")
        options.addWidget(valid)
        self.minutes = QSpinBox()
        self.minutes.setObjectName("presentMinutes")
        self.minutes.setRange(1, 24 * 60)
        self.minutes.setValue(10)
        self.minutes.setSuffix(" min")
        self.minutes.setToolTip("After this the presentation is refused: nobody can replay it later")
        options.addWidget(self.minutes)
        return options

    @property
    def format(self) -> tuple[str, str]:
        _, fmt, suite, _ = FORMATS[max(0, self.format_combo.currentIndex())]
        return fmt, suite

    @property
    def complete(self) -> bool:
        return bool(self.challenge.text().strip() and self.domain.text().strip())

    def _alive(self) -> bool:
        return not self.closed and isValid(self)

    def set_request(self, challenge: str, domain: str) -> None:
        self.challenge.setText(challenge)
        self.domain.setText(domain)

    def choose_request_file(self) -> None:
        dialog = QFileDialog(self.host, "The verifier's request code")
        dialog.setFileMode(QFileDialog.ExistingFile)
        dialog.setNameFilters(REQUEST_FILTERS)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.load_request_file)
        open_dialog(self.host, dialog)

    def load_request_file(self, path) -> None:
        if path:
            self.load_request(Path(path))

    def load_request(self, source) -> None:
        """Read the request from a Path, a QImage or text (a ``str`` is text, never a path),
        off the GUI thread."""
        self.request_message.hint("Reading the request…")
        job = self.tasks.run(jobs.request_from, source)
        job.finished.connect(self._on_request)
        job.failed.connect(self._on_request_failed)

    def paste_request(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and mime.hasImage():
            image = QImage(QGuiApplication.clipboard().image())
            if not image.isNull():
                self.load_request(image)
                return
        text = QGuiApplication.clipboard().text().strip()
        if not text:
            self.request_message.error("The clipboard holds no request: copy the verifier's request code (its "
                                       "image or its text) first.")
            return
        self.load_request(text)

    def _on_request(self, request) -> None:
        if not self._alive():
            return
        self.set_request(request.challenge, request.domain)
        self.request_message.success(f"Request from {request.domain} filled in.")

    def _on_request_failed(self, exc: BaseException) -> None:
        if self._alive():
            self.request_message.error(describe(exc))

    def drop(self) -> None:
        """The vault is being locked: forget the request; results on their way are ignored."""
        self.closed = True
        self.challenge.clear()
        self.domain.clear()
