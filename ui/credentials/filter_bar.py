"""The Credentials page's filter bar: search as you type, issuer, type, verdict and order.

The issuer and type lists are read from the vault only when one of them is opened: at
100,000 credentials the issuer list takes the database ~1 s, which the first keystrokes
should not wait for.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from vault.credentials.issuer_name import shown_issuer
from vault.safe_text import safe_text

from ..errors import describe
from ..widgets.labels import plain_tip
from ..workers import TaskRunner
from . import jobs, presentation

SEARCH_DELAY_MS = 150
SORTS = (  # label, repository sort, descending
    ("Newest first", "imported", True),
    ("Oldest first", "imported", False),
    ("Title A–Z", "title", False),
    ("Issuer A–Z", "issuer", False),
    ("Recently issued", "valid_from", True),
    ("Expiring last", "valid_until", True),
)


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


class FilterBar(QWidget):
    """``changed`` when the query changed (typing: after a short pause); ``failed(message)``
    when the issuer and type lists could not be read. ``stale``: the vault changed since
    the lists were read (they are read again when one opens)."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, service, tasks: TaskRunner, model, parent: QWidget | None = None):
        """``model``: the page's CredentialListModel, for the trust list that names issuers."""
        super().__init__(parent)
        self.service, self.tasks, self.model = service, tasks, model
        self.closed = False
        self.stale, self._loading = True, False
        self.setObjectName("credentialFilters")
        filters = QHBoxLayout(self)
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
        for combo in self.combos:
            filters.addWidget(combo)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _: self.search_timer.start())
        for combo in self.combos:
            combo.currentIndexChanged.connect(self.changed)
        self.issuer_filter.about_to_open.connect(self.load_filters)
        self.type_filter.about_to_open.connect(self.load_filters)

    @property
    def combos(self) -> tuple[FilterCombo, ...]:
        return self.issuer_filter, self.type_filter, self.status_filter, self.sort_combo

    def query(self) -> jobs.Query:
        sort, descending = SORTS[max(0, self.sort_combo.currentIndex())][1:]
        return jobs.Query(self.search.text().strip(), self.issuer_filter.currentData() or None,
                          self.type_filter.currentData() or None, self.status_filter.currentData() or None,
                          sort, descending)

    # ---- the issuer and type lists -----------------------------------------------------

    def load_filters(self) -> None:
        """Fill the issuer and type lists (when one is opened)."""
        if not self.stale or self._loading or self.closed:
            return
        self._loading = True
        for combo in (self.issuer_filter, self.type_filter):
            if combo.count() == 1:
                combo.addItem("Loading…", "")
                combo.model().item(1).setEnabled(False)
        self.stale = False      # a change while this runs makes them stale again
        job = self.tasks.run(jobs.load_filters, self.service)
        job.finished.connect(self._on_filters)
        job.failed.connect(self._on_filters_failed)

    def _on_filters_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.stale = True
        if not self.closed:
            self.failed.emit(describe(exc))

    def _on_filters(self, found) -> None:
        self._loading = False
        if self.closed:
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

    # ---- lock --------------------------------------------------------------------------

    def drop(self) -> None:
        """The vault is being locked: forget the issuers, types and search text."""
        self.closed = True
        self.search_timer.stop()
        for combo in (self.issuer_filter, self.type_filter):
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
