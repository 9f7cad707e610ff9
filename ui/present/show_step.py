"""The Present page's second step: the code on screen (a sequence of parts plays on its
own; pause and step through it), what it discloses and how long it stays valid beside it,
saved as PNG or SVG, copied as JSON, printed. When it expires, its code goes and nothing
of it can be saved any more. Drawing the other parts, saving and printing run on the
TaskRunner.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (QFileDialog, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)
from shiboken6 import isValid

from ..errors import describe
from ..shell.clipboard import copy_secret
from ..widgets import ElidedLabel, InlineMessage, open_dialog, section_title
from ..widgets.labels import text_label
from ..workers import TaskRunner
from . import jobs, summary
from .qr import QrView

try:   # in PySide6-Essentials; a build without it hides the Print button
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    HAVE_PRINT = True
except ImportError:  # pragma: no cover
    HAVE_PRINT = False

log = logging.getLogger("blocktrack_vault.ui.present")


def _remaining(expires: datetime) -> int:
    return int((expires - datetime.now(timezone.utc)).total_seconds())


class ShowStep(QWidget):
    """``back_requested`` / ``log_requested`` from its buttons; ``message(text)`` a note for
    the status bar; ``qr_painted(seconds)`` from ``start_timing()`` to the code on screen;
    ``draw_failed(exception)`` when the other parts of a code could not be drawn."""

    back_requested = Signal()
    log_requested = Signal()
    message = Signal(str)
    qr_painted = Signal(float)
    draw_failed = Signal(object)

    def __init__(self, tasks: TaskRunner, host: QWidget, parent: QWidget | None = None):
        """``host``: the page, which keeps the open dialog (closed when the vault locks)."""
        super().__init__(parent)
        self.tasks, self.host = tasks, host
        self.closed = False
        self.shown: jobs.Shown | None = None
        self._seq = 0                                   # codes of an older presentation are dropped
        self._clicked_at: float | None = None
        self.show_seconds: float | None = None          # "Show QR" click to the code painted
        self._printer = None
        self.setObjectName("pageBackground")
        self.setAttribute(Qt.WA_StyledBackground, True)   # as a plain QWidget: a subclass needs it
        layout = QVBoxLayout(self)
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
        body.addWidget(self._build_side())
        layout.addLayout(body, 1)

        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._tick)
        self.back_button.clicked.connect(self.back_requested)
        self.log_button2.clicked.connect(self.log_requested)
        self.prev_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.qr.frame_changed.connect(self._on_frame_changed)
        self.qr.painted.connect(self._on_qr_painted)
        self.save_png_button.clicked.connect(lambda: self.choose_save("png"))
        self.save_svg_button.clicked.connect(lambda: self.choose_save("svg"))
        self.copy_button.clicked.connect(self.copy_payload)
        self.print_button.clicked.connect(self.choose_print)

    def _build_side(self) -> QFrame:
        """Beside the code: for whom, by whom, until when, its parts, what it discloses."""
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
        for n, button in enumerate(self.actions):
            button.setAutoDefault(False)
            grid.addWidget(button, n // 2, n % 2)
        if not HAVE_PRINT:   # pragma: no cover - Essentials has QtPrintSupport
            self.print_button.hide()
        column.addLayout(grid)
        self.show_message = InlineMessage(transient=True)
        column.addWidget(self.show_message)
        return side

    @property
    def actions(self) -> tuple[QPushButton, ...]:
        return self.save_png_button, self.save_svg_button, self.copy_button, self.print_button

    def _alive(self) -> bool:
        return not self.closed and isValid(self)

    # ---- the code ----------------------------------------------------------------------------

    def start_timing(self) -> None:
        """"Show QR" was clicked: ``qr_painted`` says how long until the code is on screen."""
        self._clicked_at = time.perf_counter()
        self.show_seconds = None

    def display(self, shown: jobs.Shown, trusted: dict) -> None:
        """Show this signed presentation's code (its first part drawn; the others are drawn
        now, off the GUI thread). ``trusted``: the trust list, which names the issuers."""
        self._seq += 1
        seq = self._seq
        self.shown = shown
        p = shown.presentation
        self.for_label.setText(f"For {p.domain}")
        self.holder_label.setText(f"Signed by {p.holder}")
        self.shown_summary.setHtml(summary.disclosure_html(p.holder, p.credentials, p.warnings, compact=True,
                                                           trusted=trusted))
        self.copy_button.setText("Copy JWT" if p.kind == "vp-jwt" else "Copy JSON")
        multi = len(shown.texts) > 1
        self.parts_row.setVisible(multi)
        self.parts_hint.setVisible(multi)
        for button in self.actions:
            button.setEnabled(True)
        self.save_png_button.setToolTip("Save the code as a PNG image" if not multi else
                                        "Save every part on one PNG sheet (a scanner reads them all)")
        self.save_svg_button.setToolTip("Save the code as an SVG drawing" if not multi else
                                        "Save every part on one SVG sheet, for printing at any size")
        self.show_message.clear()
        self.qr.set_frames(shown.frames)
        self._tick()
        self.countdown.start()
        self._update_parts()
        if multi:
            job = self.tasks.run(jobs.draw, shown.texts, 1)
            job.finished.connect(lambda frames: self._on_frames(seq, frames))
            job.failed.connect(self.draw_failed)

    def stop(self) -> None:
        """The code leaves the screen: parts still being drawn are dropped."""
        self._seq += 1
        self.countdown.stop()
        self.qr.clear()
        self.shown = None

    def _on_frames(self, seq: int, frames: list) -> None:
        if not self._alive() or seq != self._seq or self.shown is None:
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
        for button in self.actions:
            button.setEnabled(False)
        self.parts_row.hide()

    # ---- save, copy, print -------------------------------------------------------------------------

    def _default_name(self, suffix: str) -> str:
        domain = "".join(c if c.isalnum() or c in "-." else "-" for c in self.shown.presentation.domain)[:60]
        return f"presentation-{domain or 'verifier'}.{suffix}"

    def choose_save(self, suffix: str) -> None:
        if self.shown is None:
            return
        dialog = QFileDialog(self.host, "Save the code", str(Path.home() / self._default_name(suffix)))
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setFileMode(QFileDialog.AnyFile)
        dialog.setNameFilters([f"{suffix.upper()} image (*.{suffix})"])
        dialog.setDefaultSuffix(suffix)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.save_to)
        open_dialog(self.host, dialog)

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
        dialog = QPrintDialog(self._printer, self.host)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.print_to(self._printer))
        open_dialog(self.host, dialog)

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

    # ---- lock --------------------------------------------------------------------------------------

    def drop(self) -> None:
        """The vault is being locked: the code and what it discloses go; results on their
        way are ignored."""
        self.closed = True
        self.stop()
        self.shown_summary.clear()
