"""The Credentials page: every credential of the vault as cards, found as you type,
imported from files, drops and the clipboard, and opened in full.

Nothing here waits on the database on the GUI thread: queries, rows, images, imports,
re-verification, details, deletes and undo all run on the TaskRunner. The page puts its
components together: the filter bar (filter_bar), imports and re-verification of the list
(import_queue), delete and Undo (undo_delete), the open credential (detail_actions).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QFileDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QStackedWidget,
                               QVBoxLayout, QWidget)

from ..errors import describe
from ..widgets import InlineMessage, open_dialog, page_title
from ..widgets.card_list import CardListView
from ..widgets.file_drop import FileDrop
from ..widgets.layout import primary
from ..workers import TaskRunner
from . import jobs
from .delegate import CredentialCardDelegate
from .detail import CredentialDetailView
from .detail_actions import DetailActions
from .filter_bar import FilterBar
from .import_queue import ImportQueue, describe_import, describe_reverify, plural
from .model import CredentialCardProxy, CredentialListModel
from .receive_offer import ReceiveOfferDialog
from .sample_offer import ADDED, NEW_HERE, SampleOffer
from .undo_delete import UndoDelete

FILE_FILTERS = ("Credentials (*.json *.jsonld *.jwt *.sd-jwt *.vc *.txt *.png *.svg)", "All files (*)")


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
        self._closed = False
        self._selected_after_refresh: int | None = None   # select this key after the next query
        self._pending_select_id: str | None = None        # ... or the row of this id, if on screen
        self.file_drop = FileDrop(self, paths=self.import_paths, text=self.import_text,
                                  highlight=self._drop_highlight, enabled=lambda: not self._closed)

        self.model = CredentialListModel(service, tasks, self)
        self.filter_bar = FilterBar(service, tasks, self.model)
        self.imports = ImportQueue(service, tasks, self)
        self.deletions = UndoDelete(service, tasks, session, undo_stack, self)
        # The components' parts that the window and tests reach through the page.
        self.search, self.search_timer = self.filter_bar.search, self.filter_bar.search_timer
        self.issuer_filter, self.type_filter = self.filter_bar.issuer_filter, self.filter_bar.type_filter
        self.status_filter, self.sort_combo = self.filter_bar.status_filter, self.filter_bar.sort_combo
        self.progress_row, self.cancel_button = self.imports.row, self.imports.row.cancel_button
        self.progress_label, self.progress_bar = self.imports.row.label, self.imports.row.bar
        self._import_queue = self.imports.queue
        self.trash, self.undo_stack = self.deletions.trash, self.deletions.stack
        self.undo_button = self.deletions.button

        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.list_page = self._build_list_page()
        self.stack.addWidget(self.list_page)
        self.detail = CredentialDetailView()
        self.stack.addWidget(self.detail)
        self.actions = DetailActions(service, tasks, self.detail, self.model,
                                     lambda: self.stack.currentWidget() is self.detail, self)
        self.trusting = self.actions.trusting
        self._connect()

        # After the paint of the first list, once: what waits for the list to be on screen
        # (the vault's full-file check) starts then.
        self._shown_timer = QTimer(self)
        self._shown_timer.setSingleShot(True)
        self._shown_timer.setInterval(0)
        self._shown_timer.timeout.connect(self.list_shown)
        self.view.viewport().installEventFilter(self)
        self.model.set_query(self.current_query())

    def _build_list_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("pageBackground")
        layout = QVBoxLayout(page)
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
        self.receive_button = QPushButton("Receive from an offer…")
        self.receive_button.setToolTip("Receive credentials from an issuer's offer (OpenID4VCI): paste its link "
                                       "or open a picture of its QR code")
        self.receive_button.setAutoDefault(False)
        head.addWidget(self.reverify_all_button, 0, Qt.AlignBottom)
        head.addWidget(self.receive_button, 0, Qt.AlignBottom)
        head.addWidget(self.import_button, 0, Qt.AlignBottom)
        layout.addLayout(head)
        layout.addWidget(self.filter_bar)

        notice = QHBoxLayout()
        notice.setSpacing(8)
        self.notice = InlineMessage(transient=True)
        self.notice.setObjectName("inlineMessage")
        notice.addWidget(self.notice, 1)
        notice.addWidget(self.undo_button, 0, Qt.AlignTop)
        layout.addLayout(notice)
        layout.addWidget(self.progress_row)

        self.proxy = CredentialCardProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = CardListView()
        self.view.setObjectName("credentialList")
        self.view.setAccessibleName("Credentials")
        self.view.setModel(self.proxy)
        self.delegate = CredentialCardDelegate(self.view)
        self.soulbound = None   # attach_chain()
        self.view.setItemDelegate(self.delegate)
        self.view.set_row_height(self.delegate.sizeHint(self.view.viewOptions(), QModelIndex()).height())
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
        self.sample_offer = SampleOffer.for_credentials(self.service, self.tasks, why="", what=NEW_HERE)
        self.sample_offer.added.connect(lambda result: (self._select_id_after_refresh(result.summary.id),
                                                        self.refresh(), self.notice.success(ADDED)))
        layout.addWidget(self.sample_offer)   # shown while the vault is empty
        return page

    def _connect(self) -> None:
        self.filter_bar.changed.connect(self.apply_filters)
        self.filter_bar.failed.connect(self.notice.error)
        self.import_button.clicked.connect(self.choose_files)
        self.receive_button.clicked.connect(self.receive_from_offer)
        self.reverify_all_button.clicked.connect(self.reverify_list)
        self.imports.imported.connect(self._on_imported)
        self.imports.reverified.connect(self._on_reverified_list)
        self.imports.failed.connect(self._on_long_job_failed)
        self.imports.waiting.connect(
            lambda: self.notice.hint("The files will be imported when the current work is done."))
        self.imports.running.connect(lambda running: self.reverify_all_button.setEnabled(not running))
        self.deletions.deleted.connect(self._on_deleted)
        self.deletions.restored.connect(self._on_restored)
        self.deletions.failed.connect(self._on_delete_failed)
        self.deletions.restore_failed.connect(self.notice.error)
        self.view.activated.connect(self.open_index)
        self.model.populated.connect(self._on_populated)
        self.model.counted.connect(lambda _n: self._show_count())
        self.model.failed.connect(self.notice.error)
        self.model.busy_changed.connect(self._on_model_busy)
        self.detail.back_requested.connect(self.show_list)
        self.detail.delete_requested.connect(self.delete_current)
        self.actions.loaded.connect(self._on_detail)
        self.actions.trust_set.connect(self._on_trust_set)
        self.actions.verdict_changed.connect(self._on_verdict_changed)
        self.actions.message.connect(self.message)
        self._shortcut(QKeySequence.Paste, self.paste, self.list_page)
        self._shortcut(QKeySequence.Undo, self.undo_delete, self)
        self._shortcut(QKeySequence.Find, self.search.setFocus, self.list_page)
        self._shortcut(QKeySequence.Open, self.choose_files, self)
        self._shortcut(QKeySequence.Delete, self.delete_selected, self.view)

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
        return self.filter_bar.query()

    def apply_filters(self) -> None:
        self.search_timer.stop()
        if not self._closed:
            self.model.set_query(self.current_query())

    def refresh(self) -> None:
        self.filter_bar.stale = True
        self.model.refresh()

    def load_filters(self) -> None:
        self.filter_bar.load_filters()

    def _on_model_busy(self, busy: bool) -> None:
        if busy and self.model.last_result is None:
            self.count_label.setText("Loading…")

    def _show_count(self) -> None:
        result, matches = self.model.last_result, self.model.matches
        if result is None:
            return
        if not result.query.filtered:
            self.count_label.setText(plural(result.total, "credential") + " in this vault")
        elif matches is None:     # counted right after the list is shown
            self.count_label.setText(f"Counting matches among {plural(result.total, 'credential')}…")
        else:
            self.count_label.setText(f"{matches:,} of {plural(result.total, 'credential')} match")

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

    def _select_id_after_refresh(self, cid: str) -> None:
        # The key of a new row is known only from a query: remember the id, find it then.
        self._pending_select_id = cid

    # ---- import, re-verify the list ----------------------------------------------------------

    def choose_files(self) -> None:
        dialog = QFileDialog(self, "Import credentials")
        dialog.setFileMode(QFileDialog.ExistingFiles)
        dialog.setNameFilters(list(FILE_FILTERS))
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.filesSelected.connect(self.import_paths)
        open_dialog(self, dialog)

    def receive_from_offer(self) -> None:
        dialog = ReceiveOfferDialog(self.service, self.tasks, self)
        dialog.received.connect(self._on_received)
        open_dialog(self, dialog, delete_on_close=True)

    def _on_received(self, received) -> None:
        if received.imported:
            self._select_id_after_refresh(received.imported[0].summary.id)
        self.refresh()
        self.notice.success(f"Received and imported {plural(len(received.imported), 'credential')} "
                            f"issued to {received.holder}.")

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

    def _drop_highlight(self, on: bool) -> None:
        """The "Drop to import" overlay, over the list only (not over a credential's detail)."""
        self.drop_overlay.setVisible(on and self.stack.currentWidget() is self.list_page)

    def _enqueue(self, paths: list, texts: list) -> None:
        if self._closed:
            return
        self.show_list()
        self.imports.add(paths, texts)

    @property
    def working(self) -> bool:
        return self.imports.working

    @property
    def progress(self) -> jobs.Progress | None:
        return self.imports.progress

    def cancel_long_job(self) -> None:
        self.imports.cancel()

    def _on_imported(self, report: jobs.ImportReport) -> None:
        kind, text = describe_import(report)
        self.notice.show_message(kind, text)
        self.message.emit(text.split("\n")[0])
        if report.imported or report.present:
            # One credential: show it. Several: the newest are on top in the default order.
            label, summary = (report.imported or report.present)[-1]
            self._select_id_after_refresh(summary.id)
        self.refresh()

    def reverify_list(self) -> None:
        result = self.model.last_result
        if self.imports.working or result is None or not self.model.rowCount():
            return
        self.imports.reverify(result.query, self.model.matches)

    def _on_reverified_list(self, report: jobs.ReverifyReport) -> None:
        kind, lines = describe_reverify(report)
        self.notice.show_message(kind, "\n".join(lines))
        self.message.emit(lines[0])
        self._selected_after_refresh = self.selected_key()
        self.model.forget_all()   # every verdict may have changed
        self.refresh()

    def _on_long_job_failed(self, exc: BaseException) -> None:
        self.notice.error(describe(exc))
        self.refresh()

    # ---- one credential -------------------------------------------------------------------

    def open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        key = self.model.key_at(index.row())
        row = self.model.cached(key) if key is not None else None
        if row is not None:
            self.open_credential(row[0].id, key, row[0].title)

    def open_credential(self, cid: str, key: int | None = None, title: str = "") -> None:
        self.actions.open(cid, key, title)     # shows "loading"; the credential comes later
        self.stack.setCurrentWidget(self.detail)
        self.detail.back_button.setFocus()

    @property
    def _detail_key(self) -> int | None:
        return self.actions.key

    def _on_detail(self, detail: jobs.Detail) -> None:
        if self.soulbound is not None:
            self.soulbound_panel.show_credential(detail.summary.id, detail.summary.subject)

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list_page)
        self.view.setFocus()

    return_to_start = show_list   # "Credentials" clicked in the sidebar while on a detail

    def export_to(self, path) -> None:
        """Write the open credential's original bytes to ``path``."""
        self.actions.export_to(path)

    def _on_trust_set(self, did: str) -> None:
        self.on_trust_changed(did)
        self.trust_changed.emit(did)

    def on_trust_changed(self, did: str) -> None:
        """The trust list changed for ``did`` (here or in Settings): every card of that
        issuer, and the open credential if it is theirs, reads anew at once."""
        if self._closed:
            return
        self.filter_bar.stale = True
        self.model.reload_issuer(did)
        self.actions.show_stored_verdict(did)

    def _on_verdict_changed(self) -> None:
        self.filter_bar.stale = True
        if self.model.query.status or self.model.query.sort != "imported":
            self.model.refresh()   # it may have left (or moved in) a filtered list

    # ---- soulbound: the chain's word on each credential --------------------------------

    def attach_chain(self, session) -> None:
        """Show what the chain says of each credential (cards and detail) through
        ``session`` (ui.chain.ChainSession), and let issuer accounts anchor and revoke."""
        # start-up: ui.credentials.soulbound ~170 ms, only once a chain is attached
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

    # ---- delete and undo --------------------------------------------------------------------

    def delete_selected(self) -> None:
        key = self.selected_key()
        row = self.model.cached(key) if key is not None else None
        if row is not None and self.stack.currentWidget() is self.list_page:
            self._delete(row[0].id, key)

    def delete_current(self) -> None:
        cid = self.actions.current_id()
        if cid:
            self.detail.set_working("Deleting…")
            self._delete(cid, self.actions.key)

    def _delete(self, cid: str, key: int | None) -> None:
        self.deletions.delete(cid, key, self.model.row_of_key(key) if key is not None else -1)

    def _on_deleted(self, cid: str, title: str, key: int | None, row: int) -> None:
        if key is not None:
            self.model.forget(key)
        self.detail.clear()
        self.show_list()
        self.notice.success(f"Deleted “{title}”. Undo puts it back until you close the app.")
        self.message.emit(f"Deleted “{title}”.")
        # Keep the place in the list: select the row that takes the deleted one's.
        self._selected_after_refresh = None
        if row >= 0:
            neighbour = self.model.key_at(row + 1) if row + 1 < self.model.rowCount() else self.model.key_at(row - 1)
            self._selected_after_refresh = neighbour
        self.refresh()

    def _on_delete_failed(self, message: str) -> None:
        self.detail.set_working(None)
        self.notice.error(message)
        self.detail.message.error(message)

    def undo_delete(self) -> None:
        self.deletions.undo()

    def _on_restored(self, summary) -> None:
        self.notice.success(f"“{summary.title}” is back.")
        self.message.emit(f"Restored “{summary.title}”.")
        self._select_id_after_refresh(summary.id)
        self.refresh()

    # ---- lock ------------------------------------------------------------------------------

    def drop_vault_data(self) -> None:
        """The vault is being locked: forget every decrypted row, image, detail and undo entry,
        stop long work, and ignore results still on their way."""
        self._closed = True
        self.actions.closed = True
        self.sample_offer.drop()
        self.imports.drop()
        self.model.clear()
        self.detail.clear()
        if self.soulbound is not None:
            self.soulbound.drop()
            self.soulbound_panel.clear()
        self.deletions.drop()
        self.notice.clear()
        self.filter_bar.drop()
        if self.dialog is not None:
            self.dialog.close()
