"""Trusting an issuer from one of their credentials, or no longer.

A credential names its own issuer, and anyone can write "Harvard University" there: the
name that goes on the trust list is the one the person gives, in a dialog that shows
the DID and offers the credential's name only as a starting point. The core then updates
every stored verdict of that issuer (vault.credentials.trust); the pages read them anew.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from ..errors import describe
from ..settings.trust import AddIssuerDialog
from ..widgets import open_dialog
from ..workers import TaskRunner
from . import jobs


class IssuerTrust(QObject):
    """``changed(did, ids, trusted)`` once the trust list holds (or no longer holds) the
    DID: ``ids`` are the credentials whose stored verdict changed. ``failed(message)``
    for an untrust that failed (a trust's failure is said in its dialog)."""

    changed = Signal(str, list, bool)
    failed = Signal(str)

    def __init__(self, service, tasks: TaskRunner, host: QWidget):
        super().__init__(host)
        self.service, self.tasks, self.host = service, tasks, host

    def trust(self, did: str, declared: str) -> AddIssuerDialog:
        """Ask for the name (``declared``: the credential's own, offered), then trust."""
        dialog = AddIssuerDialog(self.host, did=did, declared=declared)
        dialog.submitted.connect(lambda did_, name: self._run(did_, name, dialog))
        open_dialog(self.host, dialog, delete_on_close=True)   # host.dialog: closed on lock
        return dialog

    def untrust(self, did: str) -> None:
        self._run(did, None, None)

    def _run(self, did: str, name: str | None, dialog: AddIssuerDialog | None) -> None:
        job = self.tasks.run(jobs.trust_issuer, self.service, did, name)
        job.finished.connect(lambda changed: self._done(did, changed, name is not None, dialog))
        job.failed.connect(lambda exc: self._failed(describe(exc), dialog))

    def _done(self, did: str, changed: list, trusted: bool, dialog) -> None:
        if dialog is not None and isValid(dialog):   # not closed meanwhile (a lock closes it)
            dialog.accept()
        self.changed.emit(did, list(changed), trusted)

    def _failed(self, message: str, dialog) -> None:
        if dialog is None:
            self.failed.emit(message)
        elif isValid(dialog):
            dialog.failed(message)


def trust_note(changed: list, trusted: bool) -> str:
    """What a trust change did, in a sentence."""
    n = len(changed)
    count = f"{n:,} credential{'s' if n != 1 else ''}"
    if trusted:
        return f"The issuer is on your trust list: {count} of theirs no longer warn{'s' if n == 1 else ''}."
    return f"The issuer is off your trust list: {count} of theirs warn{'s' if n == 1 else ''} again."
