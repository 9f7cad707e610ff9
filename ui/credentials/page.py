"""The Credentials page: every credential of the vault as cards, found as you type,
imported from files, drops and the clipboard, and opened in full.

Nothing here waits on the database on the GUI thread: queries, rows, images, imports,
re-verification, details, deletes and undo all run on the TaskRunner.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QFrame, QGridLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QProgressBar,
                               QStyleOptionViewItem, QTableView,
                               QPushButton, QStackedWidget, QVBoxLayout, QWidget)

from vault.credentials.issuer_name import shown_issuer
from vault.credentials.trash import Trash
from vault.errors import NotFound
from vault.safe_text import safe_text

from ..errors import describe
from ..widgets import InlineMessage, open_dialog, page_title
from ..widgets.file_drop import FileDrop
from ..widgets.labels import plain_tip
from ..widgets.layout import primary
from ..workers import TaskRunner
from . import jobs, presentation
from .delegate import CredentialCardDelegate
from .detail import CredentialDetailView
from .model import CredentialCardProxy, CredentialListModel
from .sample_offer import ADDED, NEW_HERE, SampleOffer
from .trusting import IssuerTrust, trust_note

SEARCH_DELAY_MS = 150
DETAIL_IMAGE = 192
MAX_REASONS = 6
FILE_FILTERS = ("Credentials (*.json *.jsonld *.jwt *.sd-jwt *.vc *.txt *.png *.svg)", "All files (*)")
SORTS = (  # label, repository sort, descending
    ("Newest first", "imported", True),
    ("Oldest first", "imported", False),
    ("Title A–Z", "title", False),
    ("Issuer A–Z", "issuer", False),
    ("Recently issued", "valid_from", True),
    ("Expiring last", "valid_until", True),
)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


class FilterCombo(QComboBox):
    """A combo box that says when its list is about to open (to fill it then)."""

    about_to_open = Signal()

    def showPopup(self) -> None:
        self.about_to_open.emit()
        super().showPopup()


def _combo(name: str, tip: str) -> FilterCombo:
    combo = FilterCombo()
    combo.setObjectName(name)
    combo.setToolTip(tip)
    combo.setAccessibleName(tip)
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    combo.view().setTextElideMode(Qt.ElideMiddle)
    combo.view().setMinimumWidth(300)
    return combo


class CardListView(QTableView):
    """A list of cards: one stretched column, no headers, no grid, rows of one height."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.horizontalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setTabKeyNavigation(False)
        self.setAcceptDrops(False)

    def set_row_height(self, height: int) -> None:
        self.verticalHeader().setMinimumSectionSize(1)
        self.verticalHeader().setDefaultSectionSize(height)
        self.verticalScrollBar().setSingleStep(max(1, height // 4))

    def viewOptions(self) -> QStyleOptionViewItem:
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        return option


class CredentialsPage(QWidget):
    message = Signal(str)   # a passing note for the status bar
    list_shown = Signal()   # once: the first query's list has been painted
    trust_changed = Signal(str)   # an issuer's DID trusted or untrusted here

    def __init__(self, service, tasks: TaskRunner, parent: QWidget | None = None, *, session: str = "",
                 undo_stack: list[str] | None = None):
        """``session``: the app run's token (deleted credentials wait in the vault's trash
        for Undo until the run ends); ``undo_stack``: the ids deleted so far in this run,
        owned by the window so that Undo survives a lock (ids only: no decrypted content)."""
        super().__init__(parent)
        self.service, self.tasks = service, tasks
        self.dialog = None                      # an open file dialog, if any
        self.trash = Trash(service, session or uuid.uuid4().hex)
        self.undo_stack: list[str] = undo_stack if undo_stack is not None else []
        self.progress: jobs.Progress | None = None
        self._import_queue: list[tuple[list, list]] = []
        self._long_job = ""                     # "import" / "reverify" while one runs
        self._closed = False
        self._selected_after_refresh: int | None = None   # select this key after the next query
        self._pending_select_id: str | None = None        # ... or the row of this id, if on screen
        self.file_drop = FileDrop(self, paths=self.import_paths, text=self.import_text,
                                  highlight=self._drop_highlight, enabled=lambda: not self._closed)

        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.list_page = QWidget()
        self.list_page.setObjectName("pageBackground")
        layout = QVBoxLayout(self.list_page)
        layout.setContentsMargins(28, 24, 28, 16)
        layout.setSpacing(10)

        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(page_title("Credentials"))
        self.count_label = QLabel("Loading…")
        self.count_label.setObjectName("pageSubtitle")
        titles.addWidget(self.count_label)
        head.addLayout(titles, 1)
        self.reverify_all_button = QPushButton("Re-verify list")
        self.reverify_all_button.setToolTip("Check again every credential in the list below: signature, "
                                            "status and dates")
        self.import_button = primary(QPushButton("Import…"))
        self.import_button.setToolTip("Import credential files (Ctrl+O). You can also drop files here "
                                      "or paste a credential with Ctrl+V.")
        self.import_button.setAutoDefault(False)
        head.addWidget(self.reverify_all_button, 0, Qt.AlignBottom)
        head.addWidget(self.import_button, 0, Qt.AlignBottom)
        layout.addLayout(head)

        filter_bar = QWidget()
        filter_bar.setObjectName("credentialFilters")
        filters = QHBoxLayout(filter_bar)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.setSpacing(8)
        self.search = QLineEdit()
        self.search.setObjectName("credentialSearch")
        self.search.setAccessibleName("Search credentials")
        self.search.setPlaceholderText("Search titles, issuers, claims, tags…")
        self.search.setClearButtonEnabled(True)
        self.search.setAcceptDrops(False)
        self.search.setMinimumWidth(180)
        filters.addWidget(self.search, 1)
        self.issuer_filter = _combo("issuerFilter", "Only credentials from this issuer")
        self.type_filter = _combo("typeFilter", "Only credentials of this type")
        self.status_filter = _combo("statusFilter", "Only credentials with this verdict")
        self.sort_combo = _combo("sortCombo", "Order of the list")
        # "" (never None) is "everything": PySide 6.12 drops a reference to None each time an
        # invalid QVariant comes back to Python (currentData of a None item), which ends in
        # a crash once None's count reaches zero on Python 3.11.
        self.issuer_filter.addItem("All issuers", "")
        self.type_filter.addItem("All types", "")
        self.status_filter.addItem("Any status", "")
        for status in presentation.STATUS_FILTERS:
            self.status_filter.addItem(presentation.STATUS_WORDS[status], status)
        for label, sort, _ in SORTS:
            self.sort_combo.addItem(label, sort)
        for combo in (self.issuer_filter, self.type_filter, self.status_filter, self.sort_combo):
            filters.addWidget(combo)
        layout.addWidget(filter_bar)

        notice = QHBoxLayout()
        notice.setSpacing(8)
        self.notice = InlineMessage(transient=True)
        self.notice.setObjectName("inlineMessage")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Put the deleted credential back (Ctrl+Z)")
        self.undo_button.setAutoDefault(False)
        self.undo_button.setVisible(bool(self.undo_stack))   # deletions before a lock can be undone
        notice.addWidget(self.notice, 1)
        notice.addWidget(self.undo_button, 0, Qt.AlignTop)
        layout.addLayout(notice)

        self.progress_row = QWidget()
        self.progress_row.setObjectName("progressRow")
        row = QHBoxLayout(self.progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("hintLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedWidth(220)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        row.addWidget(self.progress_label, 1)
        row.addWidget(self.progress_bar)
        row.addWidget(self.cancel_button)
        self.progress_row.hide()
        layout.addWidget(self.progress_row)

        self.model = CredentialListModel(service, tasks, self)
        self.proxy = CredentialCardProxy(self)
        self.proxy.setSourceModel(self.model)
        # A one-column QTableView, not a QListView: its rows are header sections of one
        # fixed height, so a reset or a scroll costs the same for 100 rows or 100,000.
        # QListView lays out every row again (a model index per row, through Python) after
        # each reset and each dataChanged: ~0.2 s per page of rows read at 100,000.
        self.view = CardListView()
        self.view.setObjectName("credentialList")
        self.view.setAccessibleName("Credentials")
        self.view.setModel(self.proxy)
        delegate = CredentialCardDelegate(self.view)
        self.delegate = delegate
        self.soulbound = None   # attach_chain()
        self.view.setItemDelegate(delegate)
        self.view.set_row_height(delegate.sizeHint(self.view.viewOptions(), QModelIndex()).height())
        self.empty = QLabel()
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setTextFormat(Qt.PlainText)
        self.empty.hide()
        self.drop_overlay = QLabel("Drop to import\nJSON, JWT, SD-JWT, or a badge image (PNG/SVG)")
        self.drop_overlay.setObjectName("dropOverlay")
        self.drop_overlay.setAlignment(Qt.AlignCenter)
        self.drop_overlay.hide()
        area = QGridLayout()
        area.setContentsMargins(0, 0, 0, 0)
        area.addWidget(self.view, 0, 0)
        area.addWidget(self.empty, 0, 0)
        area.addWidget(self.drop_overlay, 0, 0)
        layout.addLayout(area, 1)
        self.sample_offer = SampleOffer.for_credentials(service, tasks, why="", what=NEW_HERE)   # empty list
        self.sample_offer.added.connect(lambda result: (self._select_id_after_refresh(result.summary.id),
                                                        self.refresh(), self.notice.success(ADDED)))
        layout.addWidget(self.sample_offer)
        self.stack.addWidget(self.list_page)

        self.detail = CredentialDetailView()
        self.stack.addWidget(self.detail)
        self._detail_key: int | None = None

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _: self.search_timer.start())
        for combo in (self.issuer_filter, self.type_filter, self.status_filter, self.sort_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.import_button.clicked.connect(self.choose_files)
        self.reverify_all_button.clicked.connect(self.reverify_list)
        self.undo_button.clicked.connect(self.undo_delete)
        self.cancel_button.clicked.connect(self.cancel_long_job)
        self.view.activated.connect(self.open_index)
        self.model.populated.connect(self._on_populated)
        self.model.counted.connect(lambda _n: self._show_count())
        self.model.failed.connect(self.notice.error)
        self.model.busy_changed.connect(self._on_model_busy)
        self.detail.back_requested.connect(self.show_list)
        self.detail.reverify_requested.connect(self.reverify_current)
        self.detail.export_requested.connect(self.choose_export)
        self.detail.delete_requested.connect(self.delete_current)
        self.trusting = IssuerTrust(service, tasks, self)
        self.trusting.changed.connect(self._on_trust_set)
        self.trusting.failed.connect(self._on_detail_action_failed)
        self.detail.trust_requested.connect(self.trust_current_issuer)
        self.detail.untrust_requested.connect(self.untrust_current_issuer)
        self.detail.save_requested.connect(self.save_annotations)
        self._shortcut(QKeySequence.Paste, self.paste, self.list_page)
        self._shortcut(QKeySequence.Undo, self.undo_delete, self)
        self._shortcut(QKeySequence.Find, self.search.setFocus, self.list_page)
        self._shortcut(QKeySequence.Open, self.choose_files, self)
        self._shortcut(QKeySequence.Delete, self.delete_selected, self.view)

        self.issuer_filter.about_to_open.connect(self.load_filters)
        self.type_filter.about_to_open.connect(self.load_filters)
        self._filters_stale, self._filters_loading = True, False
        # After the paint of the first list, once: what waits for the list to be on screen
        # (the vault's full-file check) starts then.
        self._shown_timer = QTimer(self)
        self._shown_timer.setSingleShot(True)
        self._shown_timer.setInterval(0)
        self._shown_timer.timeout.connect(self.list_shown)
        self.view.viewport().installEventFilter(self)
        self.model.set_query(self.current_query())

    def eventFilter(self, watched, event) -> bool:
        if (event.type() == QEvent.Paint and self.model.last_result is not None
                and watched is self.view.viewport()):
            watched.removeEventFilter(self)
            self._shown_timer.start()      # after this paint has finished
        return False

    def _shortcut(self, keys, slot, widget) -> QShortcut:
        shortcut = QShortcut(QKeySequence(keys), widget, context=Qt.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    # ---- the list ---------------------------------------------------------------------

    def current_query(self) -> jobs.Query:
        sort, descending = SORTS[max(0, self.sort_combo.currentIndex())][1:]
        return jobs.Query(self.search.text().strip(), self.issuer_filter.currentData() or None,
                          self.type_filter.currentData() or None, self.status_filter.currentData() or None,
                          sort, descending)

    def apply_filters(self) -> None:
        self.search_timer.stop()
        if not self._closed:
            self.model.set_query(self.current_query())

    def refresh(self) -> None:
        self._filters_stale = True
        self.model.refresh()

    def _on_model_busy(self, busy: bool) -> None:
        if busy and self.model.last_result is None:
            self.count_label.setText("Loading…")

    def _show_count(self) -> None:
        result, matches = self.model.last_result, self.model.matches
        if result is None:
            return
        if not result.query.filtered:
            self.count_label.setText(_plural(result.total, "credential") + " in this vault")
        elif matches is None:     # counted right after the list is shown
            self.count_label.setText(f"Counting matches among {_plural(result.total, 'credential')}…")
        else:
            self.count_label.setText(f"{matches:,} of {_plural(result.total, 'credential')} match")

    def _on_populated(self, result: jobs.QueryResult) -> None:
        shown = len(result.keys)
        self._show_count()
        if result.total == 0:
            self.empty.setText("No credentials yet.\n\nImport files with “Import…”, drop them here, or paste "
                               "a credential with Ctrl+V: W3C verifiable credentials (JSON), VC-JWT, SD-JWT "
                               "and Open Badges, baked PNG/SVG badges included.")
        else:
            self.empty.setText("No credential matches the search and filters.")
        self.empty.setVisible(shown == 0)
        self.sample_offer.setVisible(result.total == 0 and not self._closed)
        key = self._selected_after_refresh
        if self._pending_select_id is not None:
            key = self.model.key_of_id(self._pending_select_id)
        self._selected_after_refresh = self._pending_select_id = None
        if key is not None and self.select_key(key):
            pass
        elif shown and not self.view.selectionModel().hasSelection():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    def load_filters(self) -> None:
        """Fill the issuer and type lists, when one is opened: at 100,000 credentials the
        issuer list takes the database ~1 s, which the first keystrokes should not wait for."""
        if not self._filters_stale or self._filters_loading or self._closed:
            return
        self._filters_loading = True
        for combo in (self.issuer_filter, self.type_filter):
            if combo.count() == 1:
                combo.addItem("Loading…", "")
                combo.model().item(1).setEnabled(False)
        self._filters_stale = False      # a change while this runs makes them stale again
        job = self.tasks.run(jobs.load_filters, self.service)
        job.finished.connect(self._on_filters)
        job.failed.connect(self._on_filters_failed)

    def _on_filters_failed(self, exc: BaseException) -> None:
        self._filters_loading = False
        self._filters_stale = True
        if not self._closed:
            self.notice.error(describe(exc))

    def _on_filters(self, found) -> None:
        self._filters_loading = False
        if self._closed:
            return
        issuers, types = found
        self._fill(self.issuer_filter, "All issuers", [(f"{shown_issuer(did, name, self.model.trusted).label} "
                                                        f"({count:,})", did) for did, name, count in issuers])
        self._fill(self.type_filter, "All types",
                   [(f"{safe_text(t)} ({count:,})", t) for t, count in types if t != "VerifiableCredential"])
        for combo in (self.issuer_filter, self.type_filter):
            if combo.view().isVisible():     # opened while loading: show the whole list
                combo.hidePopup()
                combo.showPopup()

    @staticmethod
    def _fill(combo: QComboBox, everything: str, entries: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, "")
        for text, value in entries:
            combo.addItem(text, value)
            combo.setItemData(combo.count() - 1, plain_tip(value), Qt.ToolTipRole)
        index = combo.findData(current) if current else 0
        if index < 0:     # the chosen issuer / type has no credential any more: keep it, empty
            combo.addItem(f"{safe_text(current)} (0)", current)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        combo.blockSignals(False)

    def select_key(self, key: int) -> bool:
        row = self.model.row_of_key(key)
        if row < 0:
            return False
        index = self.proxy.index(row, 0)
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.ClearAndSelect)
        self.view.scrollTo(index)
        return True

    def selected_key(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.key_at(index.row()) if index.isValid() else None

    # ---- import -----------------------------------------------------------------------

    def choose_files(self) -> None:
        dialog = QFileDialog(self, "Import credentials")
        dialog.setFileMode(QFileDialog.ExistingFiles)
        dialog.setNameFilters(list(FILE_FILTERS))
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.filesSelected.connect(self.import_paths)
        open_dialog(self, dialog)

    def import_paths(self, paths) -> None:
        """Import these files (and the credential files in these folders) in the background."""
        paths = [str(p) for p in paths if str(p)]
        if paths:
            self._enqueue(paths, [])

    def import_text(self, text: str) -> None:
        if text.strip():
            self._enqueue([], [text])
        else:
            self.notice.hint("There is no text to import.")

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime and mime.hasUrls() else []
        if files:
            self.import_paths(files)
        elif mime is not None and mime.hasText() and mime.text().strip():
            self.import_text(mime.text())
        else:
            self.notice.hint("The clipboard holds no credential. Copy a credential's JSON, JWT or SD-JWT "
                             "text, or credential files, then paste again.")

    def _enqueue(self, paths: list, texts: list) -> None:
        if self._closed:
            return
        self._import_queue.append((paths, texts))
        self.show_list()
        if not self._long_job:
            self._start_import()
        else:
            self.notice.hint("The files will be imported when the current work is done.")

    def _start_import(self) -> None:
        paths, texts = self._import_queue.pop(0)
        self._begin_long_job("import", "Importing…")
        job = self.tasks.run(jobs.run_import, self.service, paths, texts, self.progress)
        job.finished.connect(self._on_imported)
        job.failed.connect(self._on_long_job_failed)

    def _on_imported(self, report: jobs.ImportReport) -> None:
        if self._closed:
            return
        self._end_long_job()
        kind, text = self.describe_import(report)
        self.notice.show_message(kind, text)
        self.message.emit(text.split("\n")[0])
        if report.imported or report.present:
            # One credential: show it. Several: the newest are on top in the default order.
            label, summary = (report.imported or report.present)[-1]
            self._select_id_after_refresh(summary.id)
        self.refresh()
        self._next_queued()

    @staticmethod
    def describe_import(report: jobs.ImportReport) -> tuple[str, str]:
        imported, present, refused = len(report.imported), len(report.present), len(report.refused)
        if report.total == 0:
            return "hint", "No credential files were found there."
        parts = []
        if imported:
            parts.append(f"Imported {_plural(imported, 'credential')}")
        if present:
            parts.append(f"{present:,} already in the vault")
        if refused:
            parts.append(f"{refused:,} refused")
        head = "; ".join(parts) + "."
        head = head[0].upper() + head[1:]
        if report.cancelled:
            head = f"Import cancelled after {report.done:,} of {report.total:,}. " + head
        lines = [head]
        for label, reason in report.refused[:MAX_REASONS]:
            lines.append(f"• {label}: {reason}")
        if refused > MAX_REASONS:
            lines.append(f"… and {refused - MAX_REASONS:,} more refused.")
        if refused and not (imported or present):
            kind = "error"
        elif refused or report.cancelled:
            kind = "warning"
        else:
            kind = "success"
        return kind, "\n".join(lines)

    def _select_id_after_refresh(self, cid: str) -> None:
        # The key of a new row is known only from a query: remember the id, find it then.
        self._pending_select_id = cid

    # ---- long jobs: progress and cancel -------------------------------------------------

    def _begin_long_job(self, kind: str, text: str) -> None:
        self._long_job = kind
        self.progress = jobs.Progress(self)
        self.progress.changed.connect(self._on_progress)
        self.progress_label.setText(text)
        self.progress_bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.progress_row.show()
        self.reverify_all_button.setEnabled(False)

    def _on_progress(self, done: int, total: int, what: str) -> None:
        if self._closed or not self._long_job:
            return
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        verb = "Importing" if self._long_job == "import" else "Verifying"
        self.progress_label.setText(f"{verb} {min(done + 1, total):,} of {total:,}…" if done < total
                                    else f"{verb}: finishing…")

    def cancel_long_job(self) -> None:
        if self.progress is not None:
            self.progress.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText("Cancelling…")
        self._import_queue.clear()

    def _end_long_job(self) -> None:
        self._long_job = ""
        self.progress = None
        self.progress_row.hide()
        self.reverify_all_button.setEnabled(True)

    def _on_long_job_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self._end_long_job()
        self.notice.error(describe(exc))
        self.refresh()
        self._next_queued()

    def _next_queued(self) -> None:
        if self._import_queue and not self._long_job and not self._closed:
            self._start_import()

    @property
    def working(self) -> bool:
        return bool(self._long_job)

    def reverify_list(self) -> None:
        result = self.model.last_result
        if self._long_job or result is None or not self.model.rowCount():
            return
        matches = self.model.matches
        self._begin_long_job("reverify", f"Verifying {matches:,} credentials…" if matches is not None
                             else "Verifying the credentials of the list…")
        # Every match of the list's query, not only the keys read so far.
        job = self.tasks.run(jobs.reverify_query, self.service, result.query, self.progress)
        job.finished.connect(self._on_reverified_list)
        job.failed.connect(self._on_long_job_failed)

    def _on_reverified_list(self, report: jobs.ReverifyReport) -> None:
        if self._closed:
            return
        self._end_long_job()
        head = f"Checked {_plural(report.checked, 'credential')}"
        if report.cancelled:
            head = f"Re-verification cancelled after {report.checked:,} of {report.total:,}. " + head
        head += "; " + (", ".join(presentation.reverify_changes(report.changed, report.flagged))
                        or "none changed")
        lines = [head + "."] + [f"• {title}: {reason}" for title, reason in report.failed[:MAX_REASONS]]
        kind = "warning" if report.failed or report.cancelled else "success"
        self.notice.show_message(kind, "\n".join(lines))
        self.message.emit(lines[0])
        self._selected_after_refresh = self.selected_key()
        self.model.forget_all()   # every verdict may have changed
        self.refresh()
        self._next_queued()

    # ---- drag and drop, paste ------------------------------------------------------------

    def _drop_highlight(self, on: bool) -> None:
        """The "Drop to import" overlay, over the list only (not over a credential's detail)."""
        self.drop_overlay.setVisible(on and self.stack.currentWidget() is self.list_page)

    # ---- one credential -------------------------------------------------------------------

    def open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        key = self.model.key_at(index.row())
        row = self.model.cached(key) if key is not None else None
        if row is not None:
            self.open_credential(row[0].id, key, row[0].title)

    def open_credential(self, cid: str, key: int | None = None, title: str = "") -> None:
        self._detail_key = key
        self.detail.show_loading(title)
        self.stack.setCurrentWidget(self.detail)
        self.detail.back_button.setFocus()
        job = self.tasks.run(jobs.load_detail, self.service, cid, key, DETAIL_IMAGE)
        job.finished.connect(self._on_detail)
        job.failed.connect(self._on_detail_failed)

    def _on_detail(self, detail: jobs.Detail) -> None:
        if self._closed or self.stack.currentWidget() is not self.detail or detail.key != self._detail_key:
            return
        self.detail.show_detail(detail)
        if self.soulbound is not None:
            self.soulbound_panel.show_credential(detail.summary.id, detail.summary.subject)

    # ---- soulbound: the chain's word on each credential --------------------------------

    def attach_chain(self, session) -> None:
        """Show what the chain says of each credential (cards and detail) through
        ``session`` (ui.chain.ChainSession), and let issuer accounts anchor and revoke."""
        from .soulbound import SoulboundPanel, SoulboundTracker

        self.soulbound = SoulboundTracker(session, self.service.store, self.tasks, self)
        self.soulbound_panel = SoulboundPanel(self.soulbound)
        layout = self.detail.layout()
        layout.insertWidget(layout.indexOf(self.detail.banner) + 1, self.soulbound_panel)
        self.delegate.anchor_for = self._anchor_look
        self.soulbound.changed.connect(self.view.viewport().update)

    def _anchor_look(self, index: QModelIndex):
        key = self.model.key_at(index.row())
        row = self.model.cached(key) if key is not None else None
        return self.soulbound.look_for(row[0].id) if row is not None else None

    def _on_detail_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self.detail.busy.stop()
        self.detail.message.error(describe(exc))

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list_page)
        self.view.setFocus()

    return_to_start = show_list   # "Credentials" clicked in the sidebar while on a detail

    def _current_id(self) -> str | None:
        detail = self.detail.detail
        return detail.summary.id if detail is not None and self.stack.currentWidget() is self.detail else None

    def reverify_current(self) -> None:
        cid = self._current_id()
        if cid:
            self.detail.set_working("Verifying again…")
            job = self.tasks.run(jobs.reverify_one, self.service, cid)
            job.finished.connect(self._on_reverified)
            job.failed.connect(self._on_detail_action_failed)

    def trust_current_issuer(self) -> None:
        """Ask for the name to trust the issuer under (the DID shown), then trust it."""
        if self._current_id() and self.detail.detail.summary.issuer:
            summary = self.detail.detail.summary
            self.trusting.trust(summary.issuer, summary.issuer_name)

    def untrust_current_issuer(self) -> None:
        if self._current_id() and self.detail.detail.summary.issuer:
            self.detail.set_working("Taking the issuer off your trust list…")
            self.trusting.untrust(self.detail.detail.summary.issuer)

    def _on_trust_set(self, did: str, changed: list, trusted: bool) -> None:
        if self._closed:
            return
        self.detail.set_working(None)
        self.on_trust_changed(did)
        self.trust_changed.emit(did)
        self.detail.message.success(trust_note(changed, trusted))
        self.message.emit(trust_note(changed, trusted))

    def on_trust_changed(self, did: str) -> None:
        """The trust list changed for ``did`` (here or in Settings): every card of that
        issuer, and the open credential if it is theirs, reads anew at once."""
        if self._closed:
            return
        self._filters_stale = True
        self.model.reload_issuer(did)
        cid = self._current_id()
        if cid and self.detail.detail.summary.issuer == did:
            job = self.tasks.run(jobs.stored_verdict, self.service, cid)
            job.finished.connect(self._on_stored_verdict)
            job.failed.connect(self._on_detail_action_failed)

    def _on_stored_verdict(self, result) -> None:
        summary, verdict, trusted = result
        if not self._closed and self._current_id() == summary.id:
            self.detail.show_verdict(summary, verdict, trusted)

    def _on_reverified(self, result) -> None:
        if self._closed:
            return
        summary, verdict, self.model.trusted = result
        self.detail.set_working(None)
        self.detail.show_verdict(summary, verdict, self.model.trusted)
        self.model.update_row(self._detail_key, summary, verdict)
        chip = presentation.status_chip(summary.status).text
        self.detail.message.success(f"Verified again: {chip.lower()}. {verdict.get('message', '')}".strip())
        self.message.emit(f"“{summary.title}” verified again: {chip.lower()}.")
        self._filters_stale = True
        if self.model.query.status or self.model.query.sort != "imported":
            self.model.refresh()   # it may have left (or moved in) a filtered list

    def _on_detail_action_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self.detail.set_working(None)
        self.detail.message.error(describe(exc))

    def choose_export(self) -> None:
        detail = self.detail.detail
        if detail is None:
            return
        summary = detail.summary
        name = re.sub(r"[^\w\-. ]+", "", summary.title).strip()[:60] or "credential"
        suffix = presentation.FORMAT_SUFFIX.get(summary.format, ".txt")
        dialog = QFileDialog(self, "Export credential", str(Path.home() / f"{name}{suffix}"))
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setFileMode(QFileDialog.AnyFile)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.export_to)
        open_dialog(self, dialog)

    def export_to(self, path) -> None:
        """Write the current credential's original bytes to ``path``."""
        cid = self._current_id()
        if cid and path:
            self.detail.set_working("Exporting…")
            job = self.tasks.run(jobs.export_credential, self.service, cid, Path(path))
            job.finished.connect(self._on_exported)
            job.failed.connect(self._on_detail_action_failed)

    def _on_exported(self, path: Path) -> None:
        if self._closed:
            return
        self.detail.set_working(None)
        self.detail.message.success(f"Exported, exactly as received, to {path}.")
        self.message.emit(f"Exported to {path}.")

    def save_annotations(self, tags: list, note: str) -> None:
        cid = self._current_id()
        if cid:
            self.detail.set_working("Saving…")
            job = self.tasks.run(jobs.save_annotations, self.service, cid, tags, note)
            job.finished.connect(self._on_annotations_saved)
            job.failed.connect(self._on_detail_action_failed)

    def _on_annotations_saved(self, summary) -> None:
        if self._closed:
            return
        self.detail.set_working(None)
        self.detail.saved(summary)
        verdict = self.detail.detail.verdict if self.detail.detail else {}
        self.model.update_row(self._detail_key, summary, verdict)
        self.detail.message.success("Tags and note saved.")

    # ---- delete and undo --------------------------------------------------------------------

    def delete_selected(self) -> None:
        key = self.selected_key()
        row = self.model.cached(key) if key is not None else None
        if row is not None and self.stack.currentWidget() is self.list_page:
            self._delete(row[0].id, key)

    def delete_current(self) -> None:
        cid = self._current_id()
        if cid:
            self.detail.set_working("Deleting…")
            self._delete(cid, self._detail_key)

    def _delete(self, cid: str, key: int | None) -> None:
        row = self.model.row_of_key(key) if key is not None else -1
        job = self.tasks.run(self.trash.move, cid)
        job.finished.connect(lambda title: self._on_deleted(cid, title, key, row))
        job.failed.connect(self._on_delete_failed)

    def _on_deleted(self, cid: str, title: str, key: int | None, row: int) -> None:
        if self._closed:
            return
        self.undo_stack.append(cid)
        if key is not None:
            self.model.forget(key)
        self.detail.clear()
        self.show_list()
        self.notice.success(f"Deleted “{title}”. Undo puts it back until you close the app.")
        self.undo_button.show()
        self.message.emit(f"Deleted “{title}”.")
        # Keep the place in the list: select the row that takes the deleted one's.
        self._selected_after_refresh = None
        if row >= 0:
            neighbour = self.model.key_at(row + 1) if row + 1 < self.model.rowCount() else self.model.key_at(row - 1)
            self._selected_after_refresh = neighbour
        self.refresh()

    def _on_delete_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self.detail.set_working(None)
        self.notice.error(describe(exc))
        self.detail.message.error(describe(exc))

    def undo_delete(self) -> None:
        if not self.undo_stack or self._closed:
            return
        cid = self.undo_stack.pop()
        self.undo_button.setVisible(bool(self.undo_stack))
        job = self.tasks.run(self.trash.put_back, cid)
        job.finished.connect(self._on_restored)
        job.failed.connect(lambda exc: self._on_restore_failed(cid, exc))

    def _on_restored(self, summary) -> None:
        if self._closed:
            return
        self.notice.success(f"“{summary.title}” is back.")
        self.message.emit(f"Restored “{summary.title}”.")
        self._select_id_after_refresh(summary.id)
        self.refresh()

    def _on_restore_failed(self, cid: str, exc: BaseException) -> None:
        if self._closed:
            return
        if not isinstance(exc, NotFound):
            self.undo_stack.append(cid)     # still undoable: nothing was lost
        self.undo_button.setVisible(bool(self.undo_stack))
        self.notice.error(f"The deleted credential could not be put back: {describe(exc)}")

    # ---- lock ------------------------------------------------------------------------------

    def drop_vault_data(self) -> None:
        """The vault is being locked: forget every decrypted row, image, detail and undo entry,
        stop long work, and ignore results still on their way."""
        self._closed = True
        self.sample_offer.drop()
        if self.progress is not None:
            self.progress.cancel()
        self._import_queue.clear()
        self.search_timer.stop()
        self.model.clear()
        self.detail.clear()
        if self.soulbound is not None:
            self.soulbound.drop()
            self.soulbound_panel.clear()
        self.undo_button.hide()   # the ids stay with the window: Undo works after the next unlock
        self.notice.clear()
        for combo in (self.issuer_filter, self.type_filter):
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        if self.dialog is not None:
            self.dialog.close()

