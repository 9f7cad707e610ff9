"""The Present page: a job seeker shows an employer proof of a skill.

Two steps. *Choose*: tick credentials, tick the claims of SD-JWT credentials to reveal,
enter (or scan, or paste) the verifier's challenge and domain, and read exactly what will
be disclosed before any code exists. *Show*: a large QR code (a sequence of parts plays on
its own; pause and step through it), saved as PNG or SVG, copied as JSON, printed, with
what it discloses and how long it stays valid beside it.

Signing, drawing codes, reading request images, saving and the log run on the TaskRunner.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSpinBox, QStackedWidget, QVBoxLayout, QWidget)
from shiboken6 import isValid

from vault.presentations.build import DI, JWT
from vault.presentations.service import PresentationService

from ..credentials.jobs import Query
from ..credentials.model import CredentialListModel
from ..widgets.card_list import CardListView
from ..credentials.sample_offer import ADDED, SampleOffer
from ..errors import describe
from ..widgets import (BusyIndicator, ElidedLabel, InlineMessage, open_dialog, page_subtitle, page_title,
                       section_title)
from ..widgets.labels import text_label
from ..widgets.layout import primary
from ..workers import TaskRunner
from ..shell.clipboard import copy_secret
from . import jobs, summary
from .log_dialog import PresentationLogDialog
from .picker import CHOOSABLE, CLAIMS_HINT, ClaimTree, PickDelegate, PickModel
from .qr import QrView

try:   # in PySide6-Essentials; a build without it hides the Print button
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    HAVE_PRINT = True
except ImportError:  # pragma: no cover
    HAVE_PRINT = False

log = logging.getLogger("blocktrack_vault.ui.present")

PREVIEW_DELAY_MS = 120
FORMATS = (   # label, format, cryptosuite, what it is
    ("W3C VP · eddsa-rdfc-2022", DI, "eddsa-rdfc-2022",
     "A W3C presentation with a Data Integrity proof (RDF canonicalisation): the smallest code"),
    ("W3C VP · eddsa-jcs-2022", DI, "eddsa-jcs-2022",
     "A W3C presentation with a Data Integrity proof (JSON canonicalisation)"),
    ("VP-JWT", JWT, "eddsa-rdfc-2022", "A presentation JWT: for VC-JWT credentials only"),
)
REQUEST_FILTERS = ("Request codes (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.json *.txt)", "All files (*)")


def _remaining(expires: datetime) -> int:
    return int((expires - datetime.now(timezone.utc)).total_seconds())


class PresentPage(QWidget):
    message = Signal(str)        # a passing note for the status bar
    qr_painted = Signal(float)   # seconds from "Show QR" to the code on screen

    def __init__(self, identity, credentials, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = PresentationService(identity, credentials)
        self.credentials, self.tasks = credentials, tasks
        self._closed = False
        self._preview_seq = 0
        self.preview = None                              # the last PresentationPreview, if current
        self._choices: dict[str, jobs.ClaimChoices | None] = {}   # chosen SD-JWT id -> its claims
        self.shown: jobs.Shown | None = None
        self._show_seq = 0
        self._clicked_at: float | None = None
        self.show_seconds: float | None = None          # "Show QR" click to the code painted
        self.dialog = None
        self._printer = None
        self._choose_after: str | None = None           # tick this credential once it is listed

        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self._build_choose()
        self._build_show()
        self.stack.addWidget(self.choose_page)
        self.stack.addWidget(self.show_page)

        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.run_preview)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._tick)

        self._listed = False            # the list is read when the page is first shown, not at unlock
        self._update_summary_placeholder()
        self._update_show_button()

    # ---- building ----------------------------------------------------------------------------

    def _build_choose(self) -> None:
        page = self.choose_page = QWidget()
        page.setObjectName("pageBackground")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(28, 20, 28, 14)
        layout.setSpacing(8)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(page_title("Present"))
        titles.addWidget(page_subtitle("Show an employer proof of a skill: choose credentials and what they "
                                       "reveal, then show the QR code."))
        head.addLayout(titles, 1)
        self.log_button = QPushButton("Presentation log…")
        self.log_button.setToolTip("Every presentation you made: what, to whom, when")
        self.log_button.setAutoDefault(False)
        head.addWidget(self.log_button, 0, Qt.AlignBottom)
        layout.addLayout(head)

        columns = QHBoxLayout()
        columns.setSpacing(18)
        layout.addLayout(columns, 1)

        # -- left: credentials and claims
        left = QVBoxLayout()
        left.setSpacing(6)
        row = QHBoxLayout()
        row.addWidget(section_title("1  Credentials"))
        row.addStretch(1)
        self.chosen_label = QLabel()
        self.chosen_label.setObjectName("hintLabel")
        row.addWidget(self.chosen_label)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("linkButton")
        self.clear_button.setToolTip("Untick every credential")
        self.clear_button.setAutoDefault(False)
        row.addWidget(self.clear_button)
        left.addLayout(row)
        self.search = QLineEdit()
        self.search.setObjectName("presentSearch")
        self.search.setAccessibleName("Search your credentials")
        self.search.setPlaceholderText("Search your credentials…")
        self.search.setClearButtonEnabled(True)
        left.addWidget(self.search)
        self.model = CredentialListModel(self.credentials, self.tasks, self)
        self.picks = PickModel(self)
        self.picks.setSourceModel(self.model)
        self.list = CardListView()
        self.list.setObjectName("pickList")
        self.list.setAccessibleName("Credentials to present")
        self.list.setModel(self.picks)
        delegate = PickDelegate(self.list)
        self.list.setItemDelegate(delegate)
        self.list.set_row_height(delegate.sizeHint(self.list.viewOptions(), QModelIndex()).height())
        self.list.setToolTip("Click a credential (or press Space) to add it to the presentation")
        left.addWidget(self.list, 3)
        self.empty_label = QLabel("No credentials yet: import them on the Credentials page.")
        self.empty_label.setObjectName("hintLabel")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        left.addWidget(self.empty_label)
        self.sample_offer = SampleOffer(self.service, self.tasks)   # shown when nothing can be presented
        left.addWidget(self.sample_offer)
        left.addSpacing(4)
        left.addWidget(section_title("2  Claims to reveal"))
        self.claims_hint = QLabel(CLAIMS_HINT)
        self.claims_hint.setObjectName("hintLabel")
        self.claims_hint.setWordWrap(True)
        left.addWidget(self.claims_hint)
        self.claims = ClaimTree()
        self.claims.hide()
        left.addWidget(self.claims, 2)
        columns.addLayout(left, 1)

        # -- right: the verifier, the disclosure, the button
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(section_title("3  The verifier's request"))
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
        right.addLayout(form)
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
        right.addLayout(request_row)
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
        right.addLayout(options)
        self.request_message = InlineMessage(transient=True)
        right.addWidget(self.request_message)
        right.addSpacing(4)
        right.addWidget(section_title("What the verifier will see"))
        self.summary = summary.RichView()
        self.summary.setObjectName("disclosureSummary")
        self.summary.setAccessibleName("What the verifier will see")
        right.addWidget(self.summary, 1)
        self.notice = InlineMessage(transient=True)
        right.addWidget(self.notice)
        self.busy = BusyIndicator()
        right.addWidget(self.busy)
        show_row = QHBoxLayout()
        self.show_hint = QLabel()
        self.show_hint.setObjectName("hintLabel")
        self.show_hint.setWordWrap(True)
        show_row.addWidget(self.show_hint, 1)
        self.show_button = primary(QPushButton("Show QR"))
        self.show_button.setObjectName("showQrButton")
        show_row.addWidget(self.show_button, 0, Qt.AlignBottom)
        right.addLayout(show_row)
        columns.addLayout(right, 1)

        self.log_button.clicked.connect(self.open_log)
        self.clear_button.clicked.connect(self.picks.clear_chosen)
        self.search.textChanged.connect(self._on_search)
        self.list.clicked.connect(self.picks.toggle)
        QShortcut(QKeySequence(Qt.Key_Space), self.list, context=Qt.WidgetShortcut).activated.connect(
            lambda: self.picks.toggle(self.list.currentIndex()))
        self.picks.toggled.connect(self._on_toggled)
        self.model.populated.connect(self._on_populated)
        self.model.failed.connect(self.notice.error)
        self.sample_offer.added.connect(self._on_sample_added)
        self.claims.changed.connect(self.schedule_preview)
        self.format_combo.currentIndexChanged.connect(self.schedule_preview)
        self.challenge.textChanged.connect(self._update_show_button)
        self.domain.textChanged.connect(self._update_show_button)
        self.challenge.returnPressed.connect(self.domain.setFocus)
        self.domain.returnPressed.connect(self.show_qr)
        self.scan_request_button.clicked.connect(self.choose_request_file)
        self.paste_request_button.clicked.connect(self.paste_request)
        self.show_button.clicked.connect(self.show_qr)

    def _build_show(self) -> None:
        page = self.show_page = QWidget()
        page.setObjectName("pageBackground")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 16, 24, 14)
        layout.setSpacing(8)
        head = QHBoxLayout()
        self.back_button = QPushButton("← Change")
        self.back_button.setObjectName("backButton")
        self.back_button.setToolTip("Back to the choice of credentials and claims (this code stops being shown)")
        self.back_button.setAutoDefault(False)
        head.addWidget(self.back_button)
        self.show_title = QLabel("Show this code to the verifier")
        self.show_title.setObjectName("sectionTitle")
        head.addWidget(self.show_title, 1)
        self.log_button2 = QPushButton("Presentation log…")
        self.log_button2.setAutoDefault(False)
        head.addWidget(self.log_button2)
        layout.addLayout(head)

        body = QHBoxLayout()
        body.setSpacing(16)
        self.qr = QrView()
        body.addWidget(self.qr, 1)
        side = QFrame()
        side.setObjectName("qrSide")
        side.setFixedWidth(300)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        self.for_label = text_label(name="qrFor")      # the verifier's domain: theirs, plain
        column.addWidget(self.for_label)
        self.holder_label = ElidedLabel()
        self.holder_label.setObjectName("folderLabel")
        column.addWidget(self.holder_label)
        self.expiry_label = QLabel()
        self.expiry_label.setObjectName("qrExpiry")
        column.addWidget(self.expiry_label)

        self.parts_row = QWidget()
        parts = QHBoxLayout(self.parts_row)
        parts.setContentsMargins(0, 2, 0, 2)
        parts.setSpacing(4)
        self.part_label = QLabel()
        self.part_label.setObjectName("partLabel")
        parts.addWidget(self.part_label, 1)
        self.prev_button = QPushButton("◀")
        self.prev_button.setToolTip("Previous part")
        self.pause_button = QPushButton("Pause")
        self.pause_button.setToolTip("Stop on this part (the verifier's camera may need more time)")
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip("Next part")
        for button in (self.prev_button, self.pause_button, self.next_button):
            button.setAutoDefault(False)
            button.setObjectName("partButton")
            parts.addWidget(button)
        column.addWidget(self.parts_row)
        self.parts_hint = QLabel("This presentation needs several codes: they play in turn. The verifier's "
                                 "scanner joins them in any order.")
        self.parts_hint.setObjectName("hintLabel")
        self.parts_hint.setWordWrap(True)
        column.addWidget(self.parts_hint)

        column.addWidget(section_title("It discloses"))
        self.shown_summary = summary.RichView()
        self.shown_summary.setObjectName("shownSummary")
        self.shown_summary.setAccessibleName("What this presentation shows")
        column.addWidget(self.shown_summary, 1)
        grid = QGridLayout()
        grid.setSpacing(6)
        self.save_png_button = QPushButton("Save PNG…")
        self.save_svg_button = QPushButton("Save SVG…")
        self.copy_button = QPushButton("Copy JSON")
        self.print_button = QPushButton("Print…")
        for n, button in enumerate((self.save_png_button, self.save_svg_button, self.copy_button,
                                    self.print_button)):
            button.setAutoDefault(False)
            grid.addWidget(button, n // 2, n % 2)
        if not HAVE_PRINT:   # pragma: no cover - Essentials has QtPrintSupport
            self.print_button.hide()
        column.addLayout(grid)
        self.show_message = InlineMessage(transient=True)
        column.addWidget(self.show_message)
        body.addWidget(side)
        layout.addLayout(body, 1)

        self.back_button.clicked.connect(self.back_to_choose)
        self.log_button2.clicked.connect(self.open_log)
        self.prev_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.qr.frame_changed.connect(self._on_frame_changed)
        self.qr.painted.connect(self._on_qr_painted)
        self.save_png_button.clicked.connect(lambda: self.choose_save("png"))
        self.save_svg_button.clicked.connect(lambda: self.choose_save("svg"))
        self.copy_button.clicked.connect(self.copy_payload)
        self.print_button.clicked.connect(self.choose_print)

    def _alive(self) -> bool:
        return not self._closed and isValid(self)

    # ---- the list ------------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._closed:
            return
        if not self._listed:
            self._listed = True
            self.model.set_query(Query(self.search.text().strip()))
        elif not self.model.busy:
            self.model.refresh()        # credentials may have come or gone on the Credentials page

    def _on_search(self, text: str) -> None:
        self.model.set_query(Query(text.strip()))

    def _on_populated(self, result) -> None:
        self.empty_label.setVisible(result.total == 0)
        self.sample_offer.check()
        if self._choose_after is not None and self.choose(self._choose_after):
            self._choose_after = None
        if result.total and not self.list.currentIndex().isValid() and result.keys:
            self.list.setCurrentIndex(self.picks.index(0, 0))

    def _on_sample_added(self, result) -> None:
        """A sample is in the vault: list it (the whole list) and tick it."""
        self._choose_after = result.summary.id
        if self.search.text():
            self.search.clear()         # its textChanged asks for the list again
        else:
            self.model.refresh()
        self.message.emit(ADDED)        # (the notice would be cleared by the preview)

    def choose(self, cid: str, on: bool = True) -> bool:
        """Tick (or untick) a credential by id, as a click on its row does; False if it is
        not in the list yet."""
        key = self.model.key_of_id(cid)
        row = self.model.row_of_key(key) if key is not None else -1
        if row < 0:
            return False
        summary_ = self.picks.summary(self.picks.index(row, 0))
        if summary_ is None:
            return False
        self.picks.set_chosen(summary_, on)
        return True

    def _on_toggled(self, cid: str, on: bool) -> None:
        summary_ = self.picks.chosen.get(cid)
        if on and summary_ is not None and summary_.format in CHOOSABLE:
            self._choices[cid] = None
            job = self.tasks.run(jobs.claim_choices, self.credentials, cid)
            job.finished.connect(self._on_choices)
            job.failed.connect(lambda exc, cid=cid, title=summary_.title: self._on_choices_failed(cid, title, exc))
        elif not on:
            self._choices.pop(cid, None)
            self._refresh_claims()
        count = len(self.picks.chosen)
        self.chosen_label.setText(f"{count} chosen" if count else "")
        self.clear_button.setVisible(bool(count))
        self.schedule_preview()

    def _on_choices(self, choices: jobs.ClaimChoices) -> None:
        if not self._alive() or choices.id not in self._choices:
            return
        if not choices.selective:       # a Data Integrity credential without ecdsa-sd-2023: shown whole
            del self._choices[choices.id]
            self.schedule_preview()
            return
        self._choices[choices.id] = choices
        self._refresh_claims()
        self.schedule_preview()

    def _on_choices_failed(self, cid: str, title: str, exc: BaseException) -> None:
        if not self._alive() or cid not in self._choices:
            return
        # Nothing to tick, and nothing optional revealed: a failure never discloses more.
        self._choices[cid] = jobs.ClaimChoices(cid, title, ())
        self.notice.error(f"The claims of “{title}” could not be read: {describe(exc)}")
        self._refresh_claims()
        self.schedule_preview()

    def _refresh_claims(self) -> None:
        ordered = [self._choices[cid] for cid in self.picks.chosen if self._choices.get(cid) is not None]
        self.claims.set_credentials(ordered)
        self.claims.setVisible(bool(ordered))
        if ordered:
            self.claims_hint.setText("Tick what to reveal; everything else stays hidden from the verifier.")
        else:
            self.claims_hint.setText(CLAIMS_HINT)

    # ---- preview -------------------------------------------------------------------------------

    @property
    def chosen_ids(self) -> list[str]:
        return list(self.picks.chosen)

    @property
    def reveal(self) -> dict:
        chosen = self.claims.reveal()
        return {cid: chosen.get(cid, []) for cid in self._choices}   # SD-JWT: only what is ticked

    @property
    def format(self) -> tuple[str, str]:
        _, fmt, suite, _ = FORMATS[max(0, self.format_combo.currentIndex())]
        return fmt, suite

    def schedule_preview(self) -> None:
        self.preview = None
        self._preview_seq += 1
        self._update_show_button()
        if not self._closed:
            self.preview_timer.start()

    def run_preview(self) -> None:
        if self._closed:
            return
        ids = self.chosen_ids
        if not ids:
            self._update_summary_placeholder()
            return
        if any(v is None for v in self._choices.values()):
            return      # the claims of an SD-JWT are still being read: _on_choices asks again
        seq = self._preview_seq
        job = self.tasks.run(jobs.preview, self.service, ids, self.reveal, self.format[0])
        job.finished.connect(lambda result: self._on_preview(seq, result))
        job.failed.connect(lambda exc: self._on_preview_failed(seq, exc))

    def _on_preview(self, seq: int, preview) -> None:
        if not self._alive() or seq != self._preview_seq:
            return
        self.preview = preview
        self.notice.clear()
        self.summary.setHtml(summary.disclosure_html(preview.holder, preview.credentials, preview.warnings,
                                                     trusted=self.model.trusted))
        self._update_show_button()

    def _on_preview_failed(self, seq: int, exc: BaseException) -> None:
        if not self._alive() or seq != self._preview_seq:
            return
        self.preview = None
        self.summary.setHtml(summary.error_html(describe(exc)))
        self._update_show_button()

    def _update_summary_placeholder(self) -> None:
        if not self.chosen_ids:
            self.summary.setHtml(summary.empty_html("Tick one or more credentials: what the verifier will see "
                                                    "appears here, claim by claim, before any code is made."))

    def _update_show_button(self) -> None:
        missing = []
        if not self.chosen_ids:
            missing.append("tick a credential")
        if not self.challenge.text().strip() or not self.domain.text().strip():
            missing.append("enter the verifier's challenge and domain (or scan their request)")
        ready = not missing and self.preview is not None and not self.busy.running
        self.show_button.setEnabled(ready)
        if missing:
            self.show_hint.setText("To show the code: " + "; ".join(missing) + ".")
        elif self.preview is None and not self.busy.running:
            self.show_hint.setText("Checking what will be disclosed…" if self.summary.toPlainText() else "")
        else:
            self.show_hint.setText("")

    # ---- the verifier's request ------------------------------------------------------------------

    def set_request(self, challenge: str, domain: str) -> None:
        self.challenge.setText(challenge)
        self.domain.setText(domain)

    def choose_request_file(self) -> None:
        dialog = QFileDialog(self, "The verifier's request code")
        dialog.setFileMode(QFileDialog.ExistingFile)
        dialog.setNameFilters(REQUEST_FILTERS)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.load_request_file)
        open_dialog(self, dialog)

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

    # ---- show the code ----------------------------------------------------------------------------

    def show_qr(self) -> None:
        if not self.show_button.isEnabled() or self._closed:
            return
        self._clicked_at = time.perf_counter()
        self.show_seconds = None
        self._show_seq += 1
        seq = self._show_seq
        fmt, suite = self.format
        self.busy.start("Signing and drawing the code…")
        self.notice.clear()
        self._update_show_button()
        job = self.tasks.run(jobs.present, self.service, self.chosen_ids, self.reveal, self.challenge.text().strip(),
                             self.domain.text().strip(), fmt, suite, self.minutes.value())
        job.finished.connect(lambda shown: self._on_shown(seq, shown))
        job.failed.connect(self._on_show_failed)

    def _on_show_failed(self, exc: BaseException) -> None:
        if not self._alive():
            return
        self.busy.stop()
        self.notice.error(describe(exc))
        self._update_show_button()

    def _on_shown(self, seq: int, shown: jobs.Shown) -> None:
        if not self._alive() or seq != self._show_seq:
            return
        self.busy.stop()
        self._update_show_button()
        self.shown = shown
        p = shown.presentation
        self.for_label.setText(f"For {p.domain}")
        self.holder_label.setText(f"Signed by {p.holder}")
        self.shown_summary.setHtml(summary.disclosure_html(p.holder, p.credentials, p.warnings, compact=True,
                                                           trusted=self.model.trusted))
        self.copy_button.setText("Copy JWT" if p.kind == "vp-jwt" else "Copy JSON")
        multi = len(shown.texts) > 1
        self.parts_row.setVisible(multi)
        self.parts_hint.setVisible(multi)
        for button in (self.save_png_button, self.save_svg_button, self.copy_button, self.print_button):
            button.setEnabled(True)
        self.save_png_button.setToolTip("Save the code as a PNG image" if not multi else
                                        "Save every part on one PNG sheet (a scanner reads them all)")
        self.save_svg_button.setToolTip("Save the code as an SVG drawing" if not multi else
                                        "Save every part on one SVG sheet, for printing at any size")
        self.show_message.clear()
        self.qr.set_frames(shown.frames)
        self.stack.setCurrentWidget(self.show_page)
        self._tick()
        self.countdown.start()
        self._update_parts()
        if multi:
            job = self.tasks.run(jobs.draw, shown.texts, 1)
            job.finished.connect(lambda frames: self._on_frames(seq, frames))
            job.failed.connect(self._on_show_failed)
        self.message.emit(f"Presentation for {p.domain} signed and logged.")

    def _on_frames(self, seq: int, frames: list) -> None:
        if not self._alive() or seq != self._show_seq or self.shown is None:
            return
        for offset, image in enumerate(frames, start=1):
            self.shown.frames[offset] = image
            self.qr.set_frame(offset, image)

    def _on_qr_painted(self) -> None:
        if self._clicked_at is not None:
            self.show_seconds = time.perf_counter() - self._clicked_at
            self._clicked_at = None
            log.info("QR on screen %.1f ms after Show QR (sign+encode+first code %.1f ms)",
                     self.show_seconds * 1000, (self.shown.seconds if self.shown else 0) * 1000)
            self.qr_painted.emit(self.show_seconds)

    def _step(self, delta: int) -> None:
        self.qr.pause()
        self.qr.step(delta)
        self._update_parts()

    def toggle_pause(self) -> None:
        if self.qr.auto_play:
            self.qr.pause()
        else:
            self.qr.play()
        self._update_parts()

    def _on_frame_changed(self, index: int) -> None:
        self._update_parts()

    def _update_parts(self) -> None:
        count = self.qr.count
        if count > 1:
            self.part_label.setText(f"Part {self.qr.index + 1} of {count}")
            playing = self.qr.auto_play
            self.pause_button.setText("Pause" if playing else "Play")
            self.pause_button.setToolTip("Stop on this part (the verifier's camera may need more time)" if playing
                                         else "Play the parts in turn")

    def _tick(self) -> None:
        if self.shown is None:
            self.countdown.stop()
            return
        left = _remaining(self.shown.presentation.expires)
        if left <= 0:
            self.expire()
            return
        minutes, seconds = divmod(left, 60)
        until = self.shown.presentation.expires.astimezone().strftime("%H:%M")
        self.expiry_label.setText(f"Valid until {until} ({minutes}:{seconds:02d} left)")

    def expire(self) -> None:
        """The presentation timed out: its code goes, and nothing of it can be saved."""
        self.countdown.stop()
        self.qr.clear()
        self.shown = None
        self.expiry_label.setText("Expired: go back and show a new code.")
        for button in (self.save_png_button, self.save_svg_button, self.copy_button, self.print_button):
            button.setEnabled(False)
        self.parts_row.hide()

    def back_to_choose(self) -> None:
        self._show_seq += 1           # codes still being drawn are dropped
        self.countdown.stop()
        self.qr.clear()
        self.shown = None
        self.stack.setCurrentWidget(self.choose_page)
        self.show_button.setFocus()

    # ---- save, copy, print -------------------------------------------------------------------------

    def _default_name(self, suffix: str) -> str:
        domain = "".join(c if c.isalnum() or c in "-." else "-" for c in self.shown.presentation.domain)[:60]
        return f"presentation-{domain or 'verifier'}.{suffix}"

    def choose_save(self, suffix: str) -> None:
        if self.shown is None:
            return
        dialog = QFileDialog(self, "Save the code", str(Path.home() / self._default_name(suffix)))
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setFileMode(QFileDialog.AnyFile)
        dialog.setNameFilters([f"{suffix.upper()} image (*.{suffix})"])
        dialog.setDefaultSuffix(suffix)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.save_to)
        open_dialog(self, dialog)

    def save_to(self, path) -> None:
        if self.shown is None or not path:
            return
        self.show_message.hint("Saving…")
        job = self.tasks.run(jobs.save_codes, list(self.shown.texts), Path(path),
                             jobs.sheet_title(self.shown.presentation))
        job.finished.connect(self._on_saved)
        job.failed.connect(self._on_action_failed)

    def _on_saved(self, path: Path) -> None:
        if self._alive():
            self.show_message.success(f"Saved to {path}.")
            self.message.emit(f"Saved the code to {path}.")

    def _on_action_failed(self, exc: BaseException) -> None:
        if self._alive():
            self.show_message.error(describe(exc))

    def copy_payload(self) -> None:
        if self.shown is None:
            return
        # It holds the credentials' text: marked secret for clipboard managers, cleared after 30 s.
        copy_secret(self.shown.presentation.payload)
        self.show_message.success("Presentation copied (cleared from the clipboard in 30 s). It answers "
                                  "this verifier's challenge only, until it expires.")

    def choose_print(self) -> None:
        if self.shown is None or not HAVE_PRINT:
            return
        self._printer = QPrinter(QPrinter.HighResolution)
        dialog = QPrintDialog(self._printer, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.print_to(self._printer))
        open_dialog(self, dialog)

    def print_to(self, printer) -> None:
        """Print every code on one page (the sheet of parts), drawn off the GUI thread."""
        if self.shown is None:
            return
        self._printer = printer
        self.show_message.hint("Preparing the page…")
        job = self.tasks.run(jobs.sheet_image, list(self.shown.texts), jobs.sheet_title(self.shown.presentation))
        job.finished.connect(self._on_sheet)
        job.failed.connect(self._on_action_failed)

    def _on_sheet(self, image: QImage) -> None:
        if not self._alive() or self._printer is None:
            return
        printer = self._printer
        painter = QPainter()
        if not painter.begin(printer):
            self.show_message.error("The printer could not be opened.")
            return
        page = painter.viewport()
        # Whole device pixels per image pixel when the page allows: crisp modules on paper too.
        factor = min(page.width() / image.width(), page.height() / image.height())
        if factor >= 1:
            factor = int(factor)
        width, height = int(image.width() * factor), int(image.height() * factor)
        target = QRect(page.x() + (page.width() - width) // 2, page.y(), width, height)
        painter.setRenderHint(QPainter.SmoothPixmapTransform, False)
        painter.drawImage(target, image)
        painter.end()
        self.show_message.success("Sent to the printer.")
        self.message.emit("Presentation printed.")

    # ---- the log -------------------------------------------------------------------------------------

    def open_log(self) -> None:
        dialog = PresentationLogDialog(self.service, self.tasks, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        open_dialog(self, dialog)

    def on_trust_changed(self, did: str) -> None:
        """An issuer trusted or untrusted elsewhere: the cards name and flag them anew."""
        self.model.reload_issuer(did)

    # ---- lock ------------------------------------------------------------------------------------------

    def drop_vault_data(self) -> None:
        """The vault is being locked: forget the list, the choices, the presentation and its
        code, and ignore results still on their way."""
        self._closed = True
        self.sample_offer.drop()
        self.preview_timer.stop()
        self.countdown.stop()
        self.qr.clear()
        self.shown = None
        self.preview = None
        self.picks.chosen.clear()
        self._choices.clear()
        self.claims.set_credentials([])
        self.model.clear()
        self.summary.clear()
        self.shown_summary.clear()
        self.challenge.clear()
        self.domain.clear()
        if self.dialog is not None:
            self.dialog.close()
