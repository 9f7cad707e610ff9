"""The Verify page: an employer checks a presentation a job seeker shows them.

Their request first: a domain and a fresh random challenge, shown as a QR code for the job
seeker to scan. Then whatever the job seeker hands over: a QR image (screenshot, photo,
printed sheet), a folder of part images, a JSON / JWT / SD-JWT file, pasted text or an
image on the clipboard, a drop of any of these, or the camera where there is one. The
verdict comes large and plain, with the holder, each credential and what it proves, and
the reason when something fails. Nothing is sent anywhere: everything is checked here.

Reading images and verifying run on the TaskRunner.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (QFileDialog, QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)
from shiboken6 import isValid

from vault.presentations.request import PresentationRequest, RequestError, new_challenge
from vault.presentations.service import PresentationService
from vault.standing.policy import PolicyError, parse

from ..errors import describe
from ..widgets import BusyIndicator, InlineMessage, open_dialog, page_subtitle, page_title, section_title
from ..widgets.file_drop import FileDrop
from ..workers import TaskRunner
from . import camera, jobs
from .openid4vp_dialog import OpenId4vpDialog
from .request_dialog import RequestDialog
from .scanner import FrameScanner
from .standing import StandingView
from .verdict import VerdictView

FILE_FILTERS = ("Presentations (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.tif *.tiff *.json *.jsonld *.jwt "
                "*.sd-jwt *.txt)", "Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.tif *.tiff)", "All files (*)")


class VerifyPage(QWidget):
    message = Signal(str)           # a passing note for the status bar
    verified = Signal(object)       # PresentationVerdict, or None when nothing could be read

    def __init__(self, identity, credentials, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = PresentationService(identity, credentials)
        self.tasks = tasks
        self._closed = False
        self._seq = 0
        self.outcome: jobs.Outcome | None = None
        self.dialog = None
        self.file_drop = FileDrop(self, paths=self.verify_paths, text=self.verify_text, image=self.verify_image,
                                  highlight=self._drop_highlight, enabled=lambda: not self._closed)

        content = QWidget()
        content.setObjectName("pageBackground")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(28, 20, 28, 14)
        layout.setSpacing(8)
        layout.addWidget(page_title("Verify"))
        layout.addWidget(page_subtitle("Check a presentation a job seeker shows you. Everything is checked on "
                                       "this computer; nothing is sent anywhere."))
        steps = QHBoxLayout()
        steps.setSpacing(12)
        layout.addLayout(steps)
        steps.addWidget(self._build_request(), 1)
        steps.addWidget(self._build_drop_zone(), 1)

        self.busy = BusyIndicator()
        layout.addWidget(self.busy)
        self.verdict_view = VerdictView()
        layout.addWidget(self.verdict_view, 1)
        self.standing_view = StandingView()
        layout.addWidget(self.standing_view)
        self.placeholder = QLabel("The verdict appears here: whether the presentation is genuine and made for "
                                  "your request, who presented it, and what each credential proves.")
        self.placeholder.setObjectName("emptyState")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignCenter)
        layout.addWidget(self.placeholder, 1)

        self.scanner = FrameScanner(tasks, self)
        self.scanner.decoded.connect(self.verify_decoded)
        self.scanner.progress.connect(lambda text: self.busy.start(text))
        self.scanner.problem.connect(self.request_message.warning)

        self.new_button.clicked.connect(self.new_challenge)
        self.request_button.clicked.connect(self.show_request)
        self.openid4vp_button.clicked.connect(self.ask_with_openid4vp)
        self.open_button.clicked.connect(self.choose_files)
        self.folder_button.clicked.connect(self.choose_folder)
        self.paste_button.clicked.connect(self.paste)
        self.camera_button.clicked.connect(self.scan_with_camera)
        self.policy_button.clicked.connect(self.choose_policy)
        shortcut = QShortcut(QKeySequence.Paste, self, context=Qt.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.paste)

    def _build_request(self) -> QFrame:
        """Step 1: the domain and challenge, and the request QR to show."""
        request = QFrame()
        request.setObjectName("requestBox")
        box = QVBoxLayout(request)
        box.setContentsMargins(14, 10, 14, 10)
        box.setSpacing(6)
        box.addWidget(section_title("1  Your request"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(6)
        self.domain = QLineEdit()
        self.domain.setObjectName("verifierDomain")
        self.domain.setPlaceholderText("e.g. hr.employer.example")
        self.challenge = QLineEdit(new_challenge())
        self.challenge.setObjectName("verifierChallenge")
        self.challenge.setToolTip("A fresh random value for each job seeker: a presentation answers one "
                                  "challenge only, so an old one cannot be replayed")
        form.addRow("Domain", self.domain)
        form.addRow("Challenge", self.challenge)
        box.addLayout(form)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("New challenge")
        self.new_button.setToolTip("A fresh random challenge, for the next job seeker")
        self.request_button = QPushButton("Show request QR…")
        self.request_button.setToolTip("Your domain and challenge as a QR code, for the job seeker to scan")
        self.openid4vp_button = QPushButton("Ask with OpenID4VP…")
        self.openid4vp_button.setToolTip("A request any OpenID4VP wallet answers (QR code or link); its answer is "
                                         "verified here")
        self.policy_button = QPushButton("Load policy…")
        self.policy_button.setObjectName("loadPolicyButton")
        self.policy_button.setToolTip("An access policy (JSON): minimum bond or stake, trust score, required "
                                      "credential types, trusted issuers; the verdict says which are met")
        # Two rows: four buttons in one were cut to "ew challeng" at the window's default width.
        more = QHBoxLayout()
        for row, pair in ((buttons, (self.new_button, self.request_button)),
                          (more, (self.openid4vp_button, self.policy_button))):
            for button in pair:
                button.setAutoDefault(False)
                row.addWidget(button)
            row.addStretch(1)
            box.addLayout(row)
        self.policy = None   # vault.standing.policy.Policy, once loaded
        self.policy_label = QLabel("No access policy loaded.")
        self.policy_label.setObjectName("hintLabel")
        self.policy_label.setTextFormat(Qt.PlainText)
        self.policy_label.setWordWrap(True)
        box.addWidget(self.policy_label)
        self.request_message = InlineMessage(transient=True)
        box.addWidget(self.request_message)
        box.addStretch(1)
        return request

    def _build_drop_zone(self) -> QFrame:
        """Step 2: where the presentation comes in (drop, files, folder, paste, camera)."""
        self.drop_zone = QFrame()
        self.drop_zone.setObjectName("dropZone")
        zone = QVBoxLayout(self.drop_zone)
        zone.setContentsMargins(14, 10, 14, 10)
        zone.setSpacing(6)
        zone.addWidget(section_title("2  Their presentation"))
        self.drop_hint = QLabel("Drop a QR image, a folder or several images of a code's parts, or a JSON / JWT "
                                "file here, or paste it (Ctrl+V).")
        self.drop_hint.setObjectName("hintLabel")
        self.drop_hint.setWordWrap(True)
        zone.addWidget(self.drop_hint)
        open_grid = QGridLayout()
        open_grid.setSpacing(6)
        self.open_button = QPushButton("Open file…")
        self.open_button.setToolTip("A picture of the code (screenshot, photo, printed sheet), or a presentation "
                                    "file (JSON, JWT, SD-JWT, text)")
        self.folder_button = QPushButton("Open folder…")
        self.folder_button.setToolTip("A folder of images, one per part of a multi-part code")
        self.paste_button = QPushButton("Paste")
        self.paste_button.setToolTip("An image of the code or the presentation's text, from the clipboard "
                                     "(Ctrl+V)")
        self.camera_button = QPushButton("Scan with camera…")
        self.camera_ok, why = camera.availability()
        self.camera_button.setToolTip(why)
        shown = [self.open_button, self.folder_button, self.paste_button]
        if self.camera_ok:
            shown.append(self.camera_button)
        else:
            # No button that does nothing: say where the camera went instead.
            self.camera_button.hide()
            self.drop_hint.setToolTip(why)
            self.open_button.setToolTip(self.open_button.toolTip() + ".\n" + why)
        for n, button in enumerate(shown):   # two columns: no label is cut on the narrowest window
            button.setAutoDefault(False)
            open_grid.addWidget(button, n // 2, n % 2)
        zone.addLayout(open_grid)
        zone.addStretch(1)
        return self.drop_zone

    def _alive(self) -> bool:
        return not self._closed and isValid(self)

    # ---- the request ------------------------------------------------------------------------

    def new_challenge(self) -> None:
        self.challenge.setText(new_challenge())
        self.request_message.hint("New challenge: show your request QR to the next job seeker.")

    def current_request(self) -> PresentationRequest | None:
        try:
            return PresentationRequest(self.challenge.text(), self.domain.text())
        except RequestError as exc:
            message = str(exc).replace("The request has no", "Enter your").replace(
                ": ask the verifier for a new request.", " first: the presentation must answer it.")
            self.request_message.error(message)
            (self.domain if not self.domain.text().strip() else self.challenge).setFocus()
            return None

    def show_request(self) -> None:
        request = self.current_request()
        if request is None:
            return
        self.request_message.clear()
        dialog = RequestDialog(request, self.tasks, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        open_dialog(self, dialog)

    def ask_with_openid4vp(self) -> None:
        dialog = OpenId4vpDialog(self.service.credentials, self.tasks, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        open_dialog(self, dialog)

    # ---- inputs ------------------------------------------------------------------------------

    def choose_files(self) -> None:
        dialog = QFileDialog(self, "Open a presentation")
        dialog.setFileMode(QFileDialog.ExistingFiles)
        dialog.setNameFilters(FILE_FILTERS)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.filesSelected.connect(self.verify_paths)
        open_dialog(self, dialog)

    def choose_folder(self) -> None:
        dialog = QFileDialog(self, "Open a folder of part images")
        dialog.setFileMode(QFileDialog.Directory)
        dialog.setOption(QFileDialog.ShowDirsOnly, True)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.verify_paths([path]))
        open_dialog(self, dialog)

    def paste(self) -> None:
        clipboard = QGuiApplication.clipboard()
        mime = clipboard.mimeData()
        if mime is not None and mime.hasUrls() and any(u.isLocalFile() for u in mime.urls()):
            self.verify_paths([u.toLocalFile() for u in mime.urls() if u.isLocalFile()])
            return
        if mime is not None and mime.hasImage():
            image = QImage(clipboard.image())
            if not image.isNull():
                self.verify_image(image)
                return
        text = clipboard.text()
        if not text.strip():
            self.verdict_view.show_unreadable("The clipboard is empty: copy the presentation (its code's image, "
                                              "or its text) first.")
            self._after_verdict(None)
            return
        self.verify_text(text)

    def verify_paths(self, paths) -> None:
        paths = [str(p) for p in paths if str(p)]
        if paths:
            self._start(paths, "Reading " + (Path(paths[0]).name if len(paths) == 1 else f"{len(paths)} files") + "…")

    def verify_text(self, text: str) -> None:
        self._start(text.encode("utf-8"), "Reading the pasted text…")

    def verify_image(self, image: QImage) -> None:
        self._start(image.copy(), "Reading the image…")

    def verify_decoded(self, decoded) -> None:
        """A whole code read live (camera): verify its payload."""
        request = self._request_or_complain()
        if request is None:
            return
        self._seq += 1
        seq = self._seq
        self.busy.start("Verifying…")
        job = self._run(jobs.verify_decoded, self.service, decoded, request.challenge, request.domain)
        job.finished.connect(lambda outcome: self._on_outcome(seq, outcome))
        job.failed.connect(lambda exc: self._on_failed(seq, exc))

    def choose_policy(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load an access policy", "", "Policy (*.json);;All files (*)")
        if path:
            self.load_policy(path)

    def load_policy(self, path) -> None:
        """Read an access policy file; every presentation verified from now on is judged by it."""
        try:
            self.policy = parse(Path(path).read_bytes())
        except (OSError, PolicyError) as exc:
            self.policy = None
            self.policy_label.setText("No access policy loaded.")
            self.request_message.error(f"The policy was not loaded: {describe(exc)}")
            return
        self.policy_label.setText(f"Policy: {self.policy.name or Path(path).name}. Each verdict says which of "
                                  "its requirements the presentation meets.")

    def attach_chain(self, session) -> None:
        """With the network connected, each presented credential's soulbound anchor is
        checked too (anchored / revoked on chain); without it, verification stays offline."""
        self.chain_session = session

    def _run(self, fn, *args):
        session = getattr(self, "chain_session", None)
        if session is not None and session.state == "connected":
            # start-up: vault.anchoring.verify (~0.2 s) only once a chain is connected
            from vault.anchoring.verify import anchor_check_on
            return session.run(lambda chain: fn(*args, anchor_status=anchor_check_on(chain), chain=chain,
                                                policy=self.policy))
        return self.tasks.run(fn, *args, policy=self.policy)

    def _request_or_complain(self) -> PresentationRequest | None:
        if self._closed:
            return None
        request = self.current_request()
        if request is None:
            title = ("Enter the domain you asked the presentation for" if not self.domain.text().strip() else
                     "Enter the challenge of your request" if not self.challenge.text().strip() else
                     "Check your request's domain and challenge")
            self.verdict_view.show_unreadable("Enter the domain and the challenge of your request first: a "
                                              "presentation is checked against them.", title)
            self._after_verdict(None)
        return request

    def _start(self, source, what: str) -> None:
        request = self._request_or_complain()
        if request is None:
            return
        self.request_message.clear()
        self._seq += 1
        seq = self._seq
        self.busy.start(what)
        job = self._run(jobs.read_and_verify, self.service, source, request.challenge, request.domain)
        job.finished.connect(lambda outcome: self._on_outcome(seq, outcome))
        job.failed.connect(lambda exc: self._on_failed(seq, exc))

    def _on_outcome(self, seq: int, outcome: jobs.Outcome) -> None:
        if not self._alive() or seq != self._seq:
            return
        self.busy.stop()
        self.outcome = outcome
        self.verdict_view.show_verdict(outcome.verdict, outcome.domain, outcome.trusted)
        self.standing_view.show_outcome(outcome.standing, outcome.policy)
        verdict = outcome.verdict
        self.message.emit(("Valid presentation" if verdict.valid else "Presentation NOT valid") +
                          (f" from {verdict.holder}" if verdict.holder else "") + ".")
        self._after_verdict(verdict)

    def _on_failed(self, seq: int, exc: BaseException) -> None:
        if not self._alive() or seq != self._seq:
            return
        self.busy.stop()
        self.outcome = None
        self.standing_view.hide()
        self.verdict_view.show_unreadable(describe(exc))
        self._after_verdict(None)

    def _after_verdict(self, verdict) -> None:
        self.placeholder.hide()
        self.scanner.reset()
        self.verified.emit(verdict)

    @property
    def verdict(self):
        return self.outcome.verdict if self.outcome is not None else None

    @property
    def working(self) -> bool:
        return self.busy.running

    # ---- camera -----------------------------------------------------------------------------------

    def scan_with_camera(self) -> None:
        if not self.camera_ok or self._request_or_complain() is None:
            return
        dialog = camera.CameraDialog(self.tasks, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.decoded.connect(self.verify_decoded)
        open_dialog(self, dialog)

    # ---- drag and drop ----------------------------------------------------------------------------

    def _drop_highlight(self, on: bool) -> None:
        """The drop zone's "active" look while a drag it takes is over the page."""
        self.drop_zone.setProperty("active", on)
        self.drop_zone.style().polish(self.drop_zone)

    # ---- dialogs, lock ----------------------------------------------------------------------------


    def drop_vault_data(self) -> None:
        """The vault is being locked: forget the last verdict and ignore work on its way."""
        self._closed = True
        self.outcome = None
        self.verdict_view.clear()
        self.scanner.finished = True
        if self.dialog is not None:
            self.dialog.close()
