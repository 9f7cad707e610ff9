"""The Present page: a job seeker shows an employer proof of a skill.

Two steps. *Choose*: tick credentials, tick the claims of SD-JWT credentials to reveal,
enter (or scan, or paste) the verifier's challenge and domain (request_form), and read
exactly what will be disclosed before any code exists. *Show* (show_step): a large QR code
(a sequence of parts plays on its own; pause and step through it), saved as PNG or SVG,
copied as JSON, printed, with what it discloses and how long it stays valid beside it.

Signing, drawing codes, reading request images, saving and the log run on the TaskRunner.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QStackedWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from vault.presentations.service import PresentationService

from ..credentials.jobs import Query
from ..credentials.model import CredentialListModel
from ..credentials.sample_offer import ADDED, SampleOffer
from ..errors import describe
from ..widgets import BusyIndicator, InlineMessage, open_dialog, page_subtitle, page_title, section_title
from ..widgets.card_list import CardListView
from ..widgets.layout import primary
from ..workers import TaskRunner
from . import jobs, summary
from .answer_request import AnswerRequestDialog
from .log_dialog import PresentationLogDialog
from .picker import CHOOSABLE, CLAIMS_HINT, ClaimTree, PickDelegate, PickModel
from .request_form import RequestForm
from .show_step import ShowStep

PREVIEW_DELAY_MS = 120


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
        self._show_seq = 0
        self.dialog = None
        self._choose_after: str | None = None           # tick this credential once it is listed

        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self._build_choose()
        self.show_page = ShowStep(tasks, self)
        self._expose_show_step()
        self.stack.addWidget(self.choose_page)
        self.stack.addWidget(self.show_page)
        self._connect()

        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.run_preview)

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
        self.answer_button = QPushButton("Answer a request…")
        self.answer_button.setToolTip("Answer a verifier's OpenID4VP request: paste its link or open a picture "
                                      "of its QR code")
        self.answer_button.setAutoDefault(False)
        head.addWidget(self.answer_button, 0, Qt.AlignBottom)
        self.log_button = QPushButton("Presentation log…")
        self.log_button.setToolTip("Every presentation you made: what, to whom, when")
        self.log_button.setAutoDefault(False)
        head.addWidget(self.log_button, 0, Qt.AlignBottom)
        layout.addLayout(head)

        columns = QHBoxLayout()
        columns.setSpacing(18)
        layout.addLayout(columns, 1)
        columns.addLayout(self._build_credentials_column(), 1)
        columns.addLayout(self._build_verifier_column(), 1)

    def _build_credentials_column(self) -> QVBoxLayout:
        """Steps 1 and 2: the credentials to tick, and the claims of each to reveal."""
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
        return left

    def _build_verifier_column(self) -> QVBoxLayout:
        """Step 3, what the verifier will see, and the button that signs and shows the code."""
        right = QVBoxLayout()
        right.setSpacing(6)
        self.request = RequestForm(self.tasks, self)
        right.addWidget(self.request)
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
        # Standing: the first account signs a link to the holder DID inside the presentation,
        # so that the verifier reads its bond and trust score (docs/reputation.md).
        accounts = [a.address for a in self.service.identity.accounts()]
        self.standing_account = accounts[0] if accounts else None
        self.standing_check = QCheckBox("Include my standing: the verifier sees my bond and trust score")
        self.standing_check.setObjectName("standingCheck")
        self.standing_check.setToolTip(f"Your account {self.standing_account} signs a link to the DID that "
                                       "presents; the verifier reads its bond and score from the chain.")
        self.standing_check.setVisible(self.standing_account is not None)
        right.addWidget(self.standing_check)
        show_row = QHBoxLayout()
        self.show_hint = QLabel()
        self.show_hint.setObjectName("hintLabel")
        self.show_hint.setWordWrap(True)
        show_row.addWidget(self.show_hint, 1)
        self.show_button = primary(QPushButton("Show QR"))
        self.show_button.setObjectName("showQrButton")
        show_row.addWidget(self.show_button, 0, Qt.AlignBottom)
        right.addLayout(show_row)
        # The request's parts that the window and tests reach through the page.
        self.challenge, self.domain = self.request.challenge, self.request.domain
        self.format_combo, self.minutes = self.request.format_combo, self.request.minutes
        self.request_message = self.request.request_message
        self.scan_request_button = self.request.scan_request_button
        self.paste_request_button = self.request.paste_request_button
        return right

    def _expose_show_step(self) -> None:
        """The show step's parts that tests reach through the page."""
        step = self.show_page
        self.qr, self.countdown, self.show_message = step.qr, step.countdown, step.show_message
        self.back_button, self.log_button2, self.show_title = step.back_button, step.log_button2, step.show_title
        self.for_label, self.holder_label, self.expiry_label = step.for_label, step.holder_label, step.expiry_label
        self.parts_row, self.part_label, self.parts_hint = step.parts_row, step.part_label, step.parts_hint
        self.prev_button, self.pause_button, self.next_button = step.prev_button, step.pause_button, step.next_button
        self.shown_summary = step.shown_summary
        self.save_png_button, self.save_svg_button = step.save_png_button, step.save_svg_button
        self.copy_button, self.print_button = step.copy_button, step.print_button

    def _connect(self) -> None:
        self.log_button.clicked.connect(self.open_log)
        self.answer_button.clicked.connect(self.answer_request)
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
        self.request.format_changed.connect(self.schedule_preview)
        self.request.changed.connect(self._update_show_button)
        self.request.submitted.connect(self.show_qr)
        self.show_button.clicked.connect(self.show_qr)
        self.show_page.back_requested.connect(self.back_to_choose)
        self.show_page.log_requested.connect(self.open_log)
        self.show_page.message.connect(self.message)
        self.show_page.qr_painted.connect(self.qr_painted)
        self.show_page.draw_failed.connect(self._on_show_failed)

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
        return self.request.format

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
        if not self.request.complete:
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
        self.request.set_request(challenge, domain)

    def load_request_file(self, path) -> None:
        self.request.load_request_file(path)

    def load_request(self, source) -> None:
        self.request.load_request(source)

    # ---- show the code ----------------------------------------------------------------------------

    @property
    def shown(self) -> jobs.Shown | None:
        return self.show_page.shown

    @property
    def show_seconds(self) -> float | None:
        return self.show_page.show_seconds

    def show_qr(self) -> None:
        if not self.show_button.isEnabled() or self._closed:
            return
        self.show_page.start_timing()
        self._show_seq += 1
        seq = self._show_seq
        fmt, suite = self.format
        self.busy.start("Signing and drawing the code…")
        self.notice.clear()
        self._update_show_button()
        standing = self.standing_account if self.standing_check.isChecked() else None
        job = self.tasks.run(jobs.present, self.service, self.chosen_ids, self.reveal, self.challenge.text().strip(),
                             self.domain.text().strip(), fmt, suite, self.request.minutes.value(), standing)
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
        self.show_page.display(shown, self.model.trusted)
        self.stack.setCurrentWidget(self.show_page)
        self.message.emit(f"Presentation for {shown.presentation.domain} signed and logged.")

    def expire(self) -> None:
        self.show_page.expire()

    def save_to(self, path) -> None:
        self.show_page.save_to(path)

    def print_to(self, printer) -> None:
        self.show_page.print_to(printer)

    def back_to_choose(self) -> None:
        self._show_seq += 1           # a presentation still being signed is dropped
        self.show_page.stop()
        self.stack.setCurrentWidget(self.choose_page)
        self.show_button.setFocus()

    # ---- the log -------------------------------------------------------------------------------------

    def answer_request(self) -> None:
        dialog = AnswerRequestDialog(self.service, self.tasks, self)
        dialog.sent.connect(lambda reply: self.message.emit(
            "Sent; the verifier accepted your answer. It is in the presentation log."))
        open_dialog(self, dialog, delete_on_close=True)

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
        self.show_page.drop()
        self.preview = None
        self.picks.chosen.clear()
        self._choices.clear()
        self.claims.set_credentials([])
        self.model.clear()
        self.summary.clear()
        self.request.drop()
        if self.dialog is not None:
            self.dialog.close()
