"""The open credential of the Credentials page: loading it into the detail view, and what
its buttons do (verify again, trust or stop trusting its issuer, export its original
bytes, save tags and note). Each runs on the TaskRunner; results show on the detail view,
and are dropped when another credential (or none) is open by the time they arrive.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from ..errors import describe
from ..widgets import open_dialog
from ..workers import TaskRunner
from . import jobs, presentation
from .detail import CredentialDetailView
from .trusting import IssuerTrust, trust_note

DETAIL_IMAGE = 192


class DetailActions(QObject):
    """``loaded(Detail)`` once the open credential is on the view; ``trust_set(did)`` when
    its issuer was trusted or untrusted here; ``verdict_changed()`` when its verdict may
    have moved it in (or out of) the list; ``message(text)`` a note for the status bar."""

    loaded = Signal(object)
    trust_set = Signal(str)
    verdict_changed = Signal()
    message = Signal(str)

    def __init__(self, service, tasks: TaskRunner, view: CredentialDetailView, model,
                 is_open: Callable[[], bool], host: QWidget):
        """``model``: the list's CredentialListModel (its card of the credential is kept in
        step); ``is_open()``: the view is on screen; ``host``: the page (dialogs)."""
        super().__init__(host)
        self.service, self.tasks, self.view, self.model = service, tasks, view, model
        self.is_open, self.host = is_open, host
        self.key: int | None = None        # the open credential's key in the list's model
        self.closed = False
        self.trusting = IssuerTrust(service, tasks, host)
        self.trusting.changed.connect(self._on_trust_set)
        self.trusting.failed.connect(self._on_failed)
        view.reverify_requested.connect(self.reverify)
        view.export_requested.connect(self.choose_export)
        view.trust_requested.connect(self.trust_issuer)
        view.untrust_requested.connect(self.untrust_issuer)
        view.save_requested.connect(self.save_annotations)

    def open(self, cid: str, key: int | None = None, title: str = "") -> None:
        self.key = key
        self.view.show_loading(title)
        job = self.tasks.run(jobs.load_detail, self.service, cid, key, DETAIL_IMAGE)
        job.finished.connect(self._on_detail)
        job.failed.connect(self._on_detail_failed)

    def _on_detail(self, detail: jobs.Detail) -> None:
        if self.closed or not self.is_open() or detail.key != self.key:
            return
        self.view.show_detail(detail)
        self.loaded.emit(detail)

    def _on_detail_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        self.view.busy.stop()
        self.view.message.error(describe(exc))

    def current_id(self) -> str | None:
        detail = self.view.detail
        return detail.summary.id if detail is not None and self.is_open() else None

    # ---- verify again ----------------------------------------------------------------------

    def reverify(self) -> None:
        cid = self.current_id()
        if cid:
            self.view.set_working("Verifying again…")
            job = self.tasks.run(jobs.reverify_one, self.service, cid)
            job.finished.connect(self._on_reverified)
            job.failed.connect(self._on_failed)

    def _on_reverified(self, result) -> None:
        if self.closed:
            return
        summary, verdict, self.model.trusted = result
        self.view.set_working(None)
        self.view.show_verdict(summary, verdict, self.model.trusted)
        self.model.update_row(self.key, summary, verdict)
        chip = presentation.status_chip(summary.status).text
        self.view.message.success(f"Verified again: {chip.lower()}. {verdict.get('message', '')}".strip())
        self.message.emit(f"“{summary.title}” verified again: {chip.lower()}.")
        self.verdict_changed.emit()

    # ---- the issuer's trust ----------------------------------------------------------------

    def trust_issuer(self) -> None:
        """Ask for the name to trust the issuer under (the DID shown), then trust it."""
        if self.current_id() and self.view.detail.summary.issuer:
            summary = self.view.detail.summary
            self.trusting.trust(summary.issuer, summary.issuer_name)

    def untrust_issuer(self) -> None:
        if self.current_id() and self.view.detail.summary.issuer:
            self.view.set_working("Taking the issuer off your trust list…")
            self.trusting.untrust(self.view.detail.summary.issuer)

    def _on_trust_set(self, did: str, changed: list, trusted: bool) -> None:
        if self.closed:
            return
        self.view.set_working(None)
        self.trust_set.emit(did)
        self.view.message.success(trust_note(changed, trusted))
        self.message.emit(trust_note(changed, trusted))

    def show_stored_verdict(self, did: str) -> None:
        """The trust list changed for ``did``: if the open credential is theirs, read its
        stored verdict anew."""
        cid = self.current_id()
        if cid and self.view.detail.summary.issuer == did:
            job = self.tasks.run(jobs.stored_verdict, self.service, cid)
            job.finished.connect(self._on_stored_verdict)
            job.failed.connect(self._on_failed)

    def _on_stored_verdict(self, result) -> None:
        summary, verdict, trusted = result
        if not self.closed and self.current_id() == summary.id:
            self.view.show_verdict(summary, verdict, trusted)

    def _on_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        self.view.set_working(None)
        self.view.message.error(describe(exc))

    # ---- export, tags and note ---------------------------------------------------------------

    def choose_export(self) -> None:
        detail = self.view.detail
        if detail is None:
            return
        summary = detail.summary
        name = re.sub(r"[^\w\-. ]+", "", summary.title).strip()[:60] or "credential"
        suffix = presentation.FORMAT_SUFFIX.get(summary.format, ".txt")
        dialog = QFileDialog(self.host, "Export credential", str(Path.home() / f"{name}{suffix}"))
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setFileMode(QFileDialog.AnyFile)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.export_to)
        open_dialog(self.host, dialog)

    def export_to(self, path) -> None:
        """Write the current credential's original bytes to ``path``."""
        cid = self.current_id()
        if cid and path:
            self.view.set_working("Exporting…")
            job = self.tasks.run(jobs.export_credential, self.service, cid, Path(path))
            job.finished.connect(self._on_exported)
            job.failed.connect(self._on_failed)

    def _on_exported(self, path: Path) -> None:
        if self.closed:
            return
        self.view.set_working(None)
        self.view.message.success(f"Exported, exactly as received, to {path}.")
        self.message.emit(f"Exported to {path}.")

    def save_annotations(self, tags: list, note: str) -> None:
        cid = self.current_id()
        if cid:
            self.view.set_working("Saving…")
            job = self.tasks.run(jobs.save_annotations, self.service, cid, tags, note)
            job.finished.connect(self._on_annotations_saved)
            job.failed.connect(self._on_failed)

    def _on_annotations_saved(self, summary) -> None:
        if self.closed:
            return
        self.view.set_working(None)
        self.view.saved(summary)
        verdict = self.view.detail.verdict if self.view.detail else {}
        self.model.update_row(self.key, summary, verdict)
        self.view.message.success("Tags and note saved.")
