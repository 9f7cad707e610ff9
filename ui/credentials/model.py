"""The list of credentials as a Qt model that stays fluid with 100,000 of them.

Filtering and sorting happen in SQL (the full-text index, the issuer/status indexes):
``repository.keys`` gives the row keys of the matches in order, ~8 bytes each: the first
``FIRST_KEYS`` with the query (a keystroke waits for nothing more), then more as the view
scrolls to the end (``canFetchMore`` / ``fetchMore``, each batch as large as what is
loaded so far). The number of matches is counted apart, after the list is shown
(``counted``). The model reads the rows themselves a screenful at a time
(``repository.by_keys``) into a small LRU cache. A QSortFilterProxyModel over 100,000
rows would first need every row in Python (~1.6 s) and would then sort and filter them on
the GUI thread at each keystroke.

Every database call runs on the TaskRunner, never on the GUI thread: the store has one
connection, and a long query there would block the window. A row not read yet shows as
"loading" and is painted as soon as its page arrives (dataChanged).

``CredentialCardProxy`` is the thin proxy on top: a QIdentityProxyModel (no per-row
mapping, nothing to rebuild) that turns a summary and its verdict into what a card
shows: chip words, colours, the reason, issuer and dates lines.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import (QAbstractListModel, QIdentityProxyModel, QModelIndex, QObject,
                            QPersistentModelIndex, Qt, QTimer, Signal)

from shiboken6 import isValid

from vault.credentials.issuer_name import shown_issuer
from vault.safe_text import safe_text

from ..errors import describe
from ..widgets.labels import plain_tip
from ..workers import TaskRunner
from . import jobs, presentation

_Index = QModelIndex | QPersistentModelIndex

FIRST_PAGE = 60        # rows read with the keys, so the first screen paints at once
FIRST_KEYS = 400       # keys read with the query: several screenfuls
MORE_KEYS = 2000       # keys read by a fetchMore, at least (else as many as already loaded)
PAGE = 120             # rows read per later fetch
ROW_CACHE = 4000       # summaries kept (LRU)
IMAGE_CACHE = 600      # thumbnails kept (LRU)
IMAGE_BATCH = 12       # thumbnails decoded per worker call
THUMBNAIL = 112        # pixels: 2x a 56 px card image, sharp on HiDPI screens


class CredentialListModel(QAbstractListModel):
    KeyRole = Qt.UserRole + 1
    IdRole = Qt.UserRole + 2
    SummaryRole = Qt.UserRole + 3      # CredentialSummary, or None while loading
    VerdictRole = Qt.UserRole + 4      # the stored verdict (dict), or None while loading
    LoadedRole = Qt.UserRole + 5
    ImageRole = Qt.UserRole + 6        # QImage thumbnail, or None
    ImageStateRole = Qt.UserRole + 7   # images.NONE / REMOTE / LOADED / BROKEN, or "" until known

    populated = Signal(object)   # QueryResult, once applied
    counted = Signal(int)        # the number of matches of the applied query, once known
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, service, tasks: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self.service, self.tasks = service, tasks
        self.query = jobs.Query()
        self.total = 0
        self.last_result: jobs.QueryResult | None = None
        self.trusted: dict[str, str] = {}        # the trust list {DID: name}, read with each query
        self._keys: list[int] = []
        self._epoch = 0                          # +1 at every reset: row numbers change
        self._row_index: dict[int, int] | None = None   # key -> row, built when first needed
        self._rows: OrderedDict[int, tuple] = OrderedDict()
        self._images: OrderedDict[int, tuple] = OrderedDict()
        self._asked = 0                          # +1 at every set_query / refresh
        self._vault_total: int | None = None     # the vault's count, until refresh() / forget()
        self.matches: int | None = None          # how many match the applied query, once known
        self._complete = True                    # _keys holds every match
        self._more_running = False
        self._running = False
        self._wanted: set[int] = set()           # rows painted but not loaded
        self._pending: set[int] = set()          # keys being fetched
        self._image_wanted: OrderedDict[int, str] = OrderedDict()   # key -> id, newest last
        self._image_pending: set[int] = set()
        self._image_job_running = False
        self._closed = False
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._fetch_timer.timeout.connect(self._fetch_wanted)
        self._image_timer = QTimer(self)
        self._image_timer.setSingleShot(True)
        self._image_timer.setInterval(0)
        self._image_timer.timeout.connect(self._load_wanted_images)

    def _alive(self) -> bool:
        return not self._closed and isValid(self)

    # ---- queries ----------------------------------------------------------------------

    def set_query(self, query: jobs.Query) -> None:
        """Run ``query`` off the GUI thread; the rows change when its keys arrive.
        While a query runs, what is asked meanwhile runs once, after it, with the latest."""
        self.query = query
        self._asked += 1
        if not self._closed and not self._running:
            self._start()

    def refresh(self) -> None:
        """Run the current query again (after an import, a delete, a re-verify)."""
        self._vault_total = None
        self.set_query(self.query)

    @property
    def busy(self) -> bool:
        return self._running

    def _start(self) -> None:
        self._running = True
        self.busy_changed.emit(True)
        asked = self._asked
        job = self.tasks.run(jobs.run_query, self.service, self.query, FIRST_PAGE, self._vault_total, FIRST_KEYS)
        job.finished.connect(lambda result: self._on_query_result(asked, result))
        job.failed.connect(lambda exc: self._on_query_failed(asked, exc))

    def _on_query_result(self, asked: int, result: jobs.QueryResult) -> None:
        self._running = False
        if not self._alive():
            return
        if asked != self._asked:      # something newer was asked meanwhile: run that instead
            self._start()
            return
        self._apply(result)
        self.busy_changed.emit(False)

    def _on_query_failed(self, asked: int, exc: BaseException) -> None:
        self._running = False
        if not self._alive():
            return
        if asked != self._asked:
            self._start()
            return
        self.busy_changed.emit(False)
        self.failed.emit(describe(exc))

    def _apply(self, result: jobs.QueryResult) -> None:
        self.beginResetModel()
        self._keys = result.keys
        self._epoch += 1
        self._row_index = None
        self.total = result.total
        self._vault_total = result.total
        self._complete = result.complete
        self.matches = result.matches
        self.trusted = result.trusted
        self._wanted.clear()
        for key, row in result.rows.items():
            self._remember(key, row)
        self.endResetModel()
        first = self.last_result is None
        self.last_result = result
        self.populated.emit(result)
        if first:       # what the first keystroke of a search would read, read now
            self.tasks.run(jobs.prepare_search, self.service)
        if self.matches is None:
            epoch = self._epoch
            job = self.tasks.run(jobs.count_matches, self.service, result.query)
            job.finished.connect(lambda n: self._on_counted(epoch, n))

    def _on_counted(self, epoch: int, matches: int) -> None:
        if self._alive() and epoch == self._epoch:
            self.matches = matches
            self.counted.emit(matches)

    # ---- more keys as the view scrolls ------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        return (not parent.isValid() and not self._complete and not self._closed
                and self.last_result is not None)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        """Read the next keys off the GUI thread; the rows appear when they arrive."""
        if not self.canFetchMore(parent) or self._more_running or self._running:
            return
        self._more_running = True
        epoch, offset = self._epoch, len(self._keys)
        job = self.tasks.run(jobs.more_keys, self.service, self.last_result.query, offset,
                             max(MORE_KEYS, offset))
        job.finished.connect(lambda result: self._on_more_keys(epoch, offset, result))
        job.failed.connect(lambda exc: self._on_more_failed(epoch, exc))

    def _on_more_keys(self, epoch: int, offset: int, result: tuple[list[int], bool]) -> None:
        self._more_running = False
        if not self._alive() or epoch != self._epoch or offset != len(self._keys):
            return          # reset meanwhile: the view asks again
        keys, last = result
        if keys:
            self.beginInsertRows(QModelIndex(), offset, offset + len(keys) - 1)
            self._keys.extend(keys)
            self._row_index = None
            self.endInsertRows()
        self._complete = last
        if last and self.matches is None:
            self.matches = len(self._keys)
            self.counted.emit(self.matches)

    def _on_more_failed(self, epoch: int, exc: BaseException) -> None:
        self._more_running = False
        if self._alive() and epoch == self._epoch:
            self.failed.emit(describe(exc))

    # ---- rows -------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._keys)

    def key_at(self, row: int) -> int | None:
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def row_of_key(self, key: int) -> int:
        if self._row_index is None:
            self._row_index = {k: r for r, k in enumerate(self._keys)}
        return self._row_index.get(key, -1)

    def key_of_id(self, cid: str) -> int | None:
        return next((k for k, row in self._rows.items() if row[0].id == cid), None)

    def cached(self, key: int) -> tuple | None:
        return self._rows.get(key)

    @property
    def keys(self) -> list[int]:
        """The keys read so far (all the matches once ``complete``)."""
        return list(self._keys)

    @property
    def complete(self) -> bool:
        return self._complete

    def cached_count(self) -> int:
        """Rows and images held in memory (decrypted content)."""
        return len(self._rows) + len(self._images)

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        key = self._keys[index.row()]
        if role == self.KeyRole:
            return key
        row = self._rows.get(key)
        if row is None:
            if role in (Qt.DisplayRole, Qt.AccessibleTextRole, self.LoadedRole):
                self._want(index.row())
                return False if role == self.LoadedRole else "Loading…"
            return None
        self._rows.move_to_end(key)
        summary, verdict = row
        if role == self.LoadedRole:
            return True
        if role == Qt.DisplayRole:
            return safe_text(summary.title)
        if role == self.IdRole:
            return summary.id
        if role == self.SummaryRole:
            return summary
        if role == self.VerdictRole:
            return verdict
        if role in (self.ImageRole, self.ImageStateRole):
            image = self._images.get(key)
            if image is None:
                self._want_image(key, summary.id)
                return "" if role == self.ImageStateRole else None
            self._images.move_to_end(key)
            return image[0] if role == self.ImageStateRole else image[1]
        if role == Qt.ToolTipRole:
            return plain_tip(f"{summary.title}\n{self.issuer(summary).line}")
        if role == Qt.AccessibleTextRole:
            chip = presentation.status_chip(summary.status).text
            check = presentation.status_check_chip(summary.status, verdict)
            return f"{safe_text(summary.title)}, {self.issuer(summary).label}, {chip}" + (
                f", {check.text}" if check else "")
        return None

    def issuer(self, summary):
        """Who issued it, by the trust list (vault.credentials.issuer_name)."""
        return shown_issuer(summary.issuer, summary.issuer_name, self.trusted)

    def card_row(self, row: int) -> tuple | None:
        """(summary, verdict, image state, image) of a row, for painting; None while loading.

        For the delegate, which calls it directly rather than through ``index.data``: no
        QVariant round trip per role, and none of PySide 6.12's None reference loss on
        invalid QVariants (see the page's notes)."""
        if not 0 <= row < len(self._keys):
            return None
        key = self._keys[row]
        cached = self._rows.get(key)
        if cached is None:
            self._want(row)
            return None
        self._rows.move_to_end(key)
        image = self._images.get(key)
        if image is None:
            self._want_image(key, cached[0].id)
            image = ("", None)
        else:
            self._images.move_to_end(key)
        return cached[0], cached[1], image[0], image[1]

    def flags(self, index: _Index):
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemNeverHasChildren

    def _remember(self, key: int, row: tuple) -> None:
        self._rows[key] = row
        self._rows.move_to_end(key)
        while len(self._rows) > ROW_CACHE:
            self._rows.popitem(last=False)

    def _want(self, row: int) -> None:
        if self._keys[row] in self._pending:
            return
        self._wanted.add(row)
        if not self._fetch_timer.isActive():
            self._fetch_timer.start()

    def _fetch_wanted(self) -> None:
        if not self._wanted or not self._alive():
            return
        rows, self._wanted = sorted(self._wanted), set()
        # Rows asked together (one paint) form a few runs; fetch each run with some rows
        # above it and a page below it, where scrolling usually goes.
        runs, run = [], [rows[0], rows[0]]
        for row in rows[1:]:
            if row - run[1] > PAGE:
                runs.append(run)
                run = [row, row]
            else:
                run[1] = row
        runs.append(run)
        for first, last in runs[-4:]:
            start = max(0, first - 20)
            stop = min(len(self._keys), max(last + 1, start + PAGE))
            keys = [k for k in self._keys[start:stop] if k not in self._rows and k not in self._pending]
            if not keys:
                continue
            self._pending.update(keys)
            epoch = self._epoch
            job = self.tasks.run(jobs.fetch_rows, self.service, keys)
            job.finished.connect(lambda found, keys=keys, span=(start, stop):
                                 self._on_rows(keys, found, epoch, span))
            job.failed.connect(lambda exc, keys=keys: self._on_rows_failed(keys, exc))

    def _on_rows(self, asked: list[int], found: dict, epoch: int, span: tuple[int, int]) -> None:
        self._pending.difference_update(asked)
        if not self._alive():
            return
        for key, row in found.items():
            self._remember(key, row)
        if epoch == self._epoch and span[1] > span[0]:
            self.dataChanged.emit(self.index(span[0]), self.index(span[1] - 1))
        # else: the list was reset meanwhile; the view asks again and finds them cached

    def _on_rows_failed(self, asked: list[int], exc: BaseException) -> None:
        self._pending.difference_update(asked)
        if self._alive():
            self.failed.emit(describe(exc))

    def _announce(self, keys) -> None:
        """dataChanged over the rows of ``keys`` that are in the list."""
        rows = [r for r in (self.row_of_key(k) for k in keys) if r >= 0]
        if rows:
            self.dataChanged.emit(self.index(min(rows)), self.index(max(rows)))

    # ---- images -----------------------------------------------------------------------

    def _want_image(self, key: int, cid: str) -> None:
        if key in self._image_pending:
            return
        self._image_wanted[key] = cid
        self._image_wanted.move_to_end(key)
        while len(self._image_wanted) > 4 * IMAGE_BATCH:   # scrolled past: forget the oldest
            self._image_wanted.popitem(last=False)
        if not self._image_job_running and not self._image_timer.isActive():
            self._image_timer.start()

    def _load_wanted_images(self) -> None:
        if self._image_job_running or not self._image_wanted or not self._alive():
            return
        batch = []
        while self._image_wanted and len(batch) < IMAGE_BATCH:
            batch.append(self._image_wanted.popitem(last=True))   # the newest first
        self._image_pending.update(k for k, _ in batch)
        self._image_job_running = True
        job = self.tasks.run(jobs.load_images, self.service, batch, THUMBNAIL)
        job.finished.connect(self._on_images)
        job.failed.connect(lambda exc: self._on_images({}))

    def _on_images(self, loaded: dict) -> None:
        self._image_job_running = False
        self._image_pending.clear()
        if not self._alive():
            return
        for key, value in loaded.items():
            self._images[key] = value
            while len(self._images) > IMAGE_CACHE:
                self._images.popitem(last=False)
        if loaded:
            self._announce(loaded)
        if self._image_wanted:
            self._image_timer.start()

    # ---- changes from the page ----------------------------------------------------------

    def update_row(self, key: int | None, summary, verdict: dict) -> None:
        """A credential changed (re-verified, tagged): show it without a new query."""
        if key is None:
            key = self.key_of_id(summary.id)
        if key is None:
            return
        self._remember(key, (summary, verdict))
        self._announce([key])

    def reload_issuer(self, did: str) -> None:
        """The trust list changed for ``did``: read again the trust list's names (every
        card of that issuer is named anew) and the rows of theirs held here (their stored
        verdicts' unknown-issuer warning). Rows not held are read fresh when shown."""
        if not self._alive():
            return
        keys = [k for k, (summary, _) in self._rows.items() if summary.issuer == did]
        job = self.tasks.run(jobs.issuer_rows, self.service, keys)
        job.finished.connect(self._on_issuer_rows)
        job.failed.connect(lambda exc: self._alive() and self.failed.emit(describe(exc)))

    def _on_issuer_rows(self, found: tuple[dict, dict]) -> None:
        if not self._alive():
            return
        rows, self.trusted = found
        for key, row in rows.items():
            if key in self._rows:
                self._remember(key, row)
        if self._keys:
            self.dataChanged.emit(self.index(0), self.index(len(self._keys) - 1))

    def forget(self, key: int) -> None:
        self._vault_total = None
        self._rows.pop(key, None)
        self._images.pop(key, None)

    def forget_all(self) -> None:
        """Read every row again when next shown (after many of them changed)."""
        self._rows.clear()
        self._images.clear()

    def clear(self) -> None:
        """Drop every decrypted row and image (the vault is being locked). Final."""
        self._closed = True
        self._fetch_timer.stop()
        self._image_timer.stop()
        self.beginResetModel()
        self._keys = []
        self._epoch += 1
        self._row_index = None
        self._rows.clear()
        self._images.clear()
        self._wanted.clear()
        self._image_wanted.clear()
        self.last_result = None
        self.total = 0
        self.matches = None
        self._complete = True
        self.endResetModel()


@dataclass(frozen=True)
class Card:
    """What one card shows, in words and looks."""
    title: str
    initials: str
    issuer: str
    dates: str
    tags: str
    chip: presentation.Look
    warning: presentation.Look | None
    reason: str
    image_state: str
    image: object | None     # QImage
    status: presentation.Look | None = None   # "Status not checked", when revocation was not


class CredentialCardProxy(QIdentityProxyModel):
    """The card's words and colours, one to one over the list model (no mapping to build)."""

    ChipRole = Qt.UserRole + 40          # presentation.Look for the status
    WarningChipRole = Qt.UserRole + 41   # presentation.Look or None
    ReasonRole = Qt.UserRole + 42
    IssuerRole = Qt.UserRole + 43
    DatesRole = Qt.UserRole + 44
    TagsRole = Qt.UserRole + 45
    InitialsRole = Qt.UserRole + 46

    def card(self, index: _Index) -> Card | None:
        """The card of a row of this proxy, or None while its row is being read."""
        source = self.sourceModel()
        found = source.card_row(self.mapToSource(index).row()) if source is not None else None
        if found is None:
            return None
        summary, verdict, state, image = found
        title = safe_text(summary.title)    # painted as plain text; bidi controls as marks
        return Card(title, presentation.initials(title), source.issuer(summary).line,
                    presentation.dates_line(summary.valid_from, summary.valid_until, summary.status),
                    safe_text(" ".join(f"#{t}" for t in summary.tags)), presentation.status_chip(summary.status),
                    presentation.warning_chip(summary.status, verdict),
                    safe_text(presentation.reason_line(summary.status, verdict)), state, image,
                    status=presentation.status_check_chip(summary.status, verdict))

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        source = self.sourceModel()
        if source is None or not index.isValid():
            return None
        # The source's own data(), called as Python: no QVariant round trip.
        if role < self.ChipRole or role > self.InitialsRole:
            return source.data(self.mapToSource(index), role)
        card = self.card(index)
        if card is None:
            return None
        return {self.ChipRole: card.chip, self.WarningChipRole: card.warning, self.ReasonRole: card.reason,
                self.IssuerRole: card.issuer, self.DatesRole: card.dates, self.TagsRole: card.tags,
                self.InitialsRole: card.initials}[role]
