"""Credentials in the encrypted vault: original bytes, verdict, tags, note; full-text search.

The original bytes are stored as received and never re-serialised: signatures (and the
soulbound credential hash) are over exactly those bytes. Everything else in a row is
derived from them and can be rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterable

import rfc8785

from ..errors import NotFound, VaultError
from ..store import VaultStore
from .. import safejson
from .verdict import ANCHOR_SENTENCES, with_trust

SORTS = {
    "imported": "c.imported_at {dir}, c.rowid {dir}",
    "title": "c.title COLLATE NOCASE {dir}, c.rowid",
    "issuer": "c.issuer_name COLLATE NOCASE {dir}, c.issuer {dir}, c.rowid",
    "valid_from": "c.valid_from {dir}, c.rowid",
    "valid_until": "c.valid_until {dir}, c.rowid",
}
STATUSES = ("valid", "expired", "not-yet-valid", "revoked", "suspended", "unverified", "invalid")
# The longest prefix the full-text index keeps a prefix index for (schema: prefix = '1 2 3').
PREFIX_INDEX_MAX = 3
_COLUMNS = ("id, format, issuer, issuer_name, subject, types, title, valid_from, valid_until, "
            "status, checked_at, imported_at, tags, note")


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def fingerprint(original: bytes) -> str:
    """The identity of a credential: the same credential imported twice is one record.

    JSON is compared in its JCS form, so whitespace and member order do not make a copy;
    JWT-based formats are compared as their token text.
    """
    text = original.strip()
    try:
        canonical = rfc8785.dumps(safejson.loads(text))
    except (ValueError, UnicodeDecodeError, rfc8785.CanonicalizationError, RecursionError):
        canonical = text
    return hashlib.sha256(canonical).hexdigest()


@dataclass(frozen=True)
class NewCredential:
    """What an importer hands the repository: the bytes plus what it learned from them."""
    format: str
    original: bytes
    verdict: dict
    status: str
    issuer: str = ""
    issuer_name: str = ""
    subject: str = ""
    types: tuple[str, ...] = ()
    title: str = ""
    valid_from: str | None = None
    valid_until: str | None = None
    search_text: str = ""  # claims, achievement name, description… for full-text search


@dataclass(frozen=True)
class CredentialSummary:
    id: str
    format: str
    issuer: str
    issuer_name: str
    subject: str
    types: list[str]
    title: str
    valid_from: str | None
    valid_until: str | None
    status: str
    checked_at: str
    imported_at: str
    tags: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def short_id(self) -> str:
        return self.id[:12]

    def to_json(self) -> dict:
        return {"id": self.id, "format": self.format, "issuer": self.issuer,
                "issuer_name": self.issuer_name, "subject": self.subject, "types": self.types,
                "title": self.title, "valid_from": self.valid_from, "valid_until": self.valid_until,
                "status": self.status, "checked_at": self.checked_at, "imported_at": self.imported_at,
                "tags": self.tags, "note": self.note}


@dataclass(frozen=True)
class AnchorState:
    """What a chain said last of a stored credential's soulbound token (vault.anchoring
    asks; the repository keeps it, per chain id, so that cards show it offline)."""
    credential_id: str
    credential_hash: str
    token_id: int
    holder: str
    issuer: str
    revoked: bool
    issued_at: str | None
    revoked_at: str | None
    checked_at: str

    @property
    def status(self) -> str:
        return "revoked" if self.revoked else "anchored"

    @property
    def sentence(self) -> str:
        return ANCHOR_SENTENCES[self.status]


_ANCHOR_SELECT = ("SELECT c.id, a.credential_hash, a.token_id, a.holder, a.issuer, a.revoked, a.issued_at, "
                  "a.revoked_at, a.checked_at FROM credential_anchors a JOIN credentials c "
                  "ON c.chain_hash = a.credential_hash WHERE a.chain_id = ?")


def _anchor_state(row) -> AnchorState:
    return AnchorState(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6], row[7], row[8])


def _summary(row) -> CredentialSummary:
    tags = [] if row[12] == "[]" else json.loads(row[12])   # most have none: no parse
    return CredentialSummary(row[0], row[1], row[2], row[3], row[4], row[5].split() if row[5] else [],
                             row[6], row[7], row[8], row[9], row[10], row[11], tags, row[13])


def _status_lines():
    """Parse a stored status line, each distinct text once: most say the same about the
    same list, so the dicts are shared between rows (read-only for callers)."""
    parsed: dict[str, dict] = {}

    def line(text: str | None) -> dict | None:
        if not text:
            return None
        found = parsed.get(text)
        if found is None:
            found = parsed[text] = json.loads(text)
        return found
    return line


def fts_query(text: str) -> str:
    """User text -> an FTS5 query: every word must match, as a prefix (search as you type)."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " AND ".join(f'"{w}"*' for w in words)


class CredentialRepository:
    def __init__(self, store: VaultStore):
        self.store = store
        self._rowid_order: tuple[int, bool] | None = None   # (store.change_count(), answer)

    # ---- write -----------------------------------------------------------------------

    def add(self, new: NewCredential) -> tuple[CredentialSummary, bool]:
        """Store a credential; (summary, True) if new, (existing summary, False) if a copy."""
        return self.add_many([new])[0]

    def add_many(self, news: list[NewCredential]) -> list[tuple[CredentialSummary, bool]]:
        """Store several in one transaction: one disk sync for all (an import of hundreds
        of files is otherwise mostly waiting for fsync)."""
        with self.store.transaction() as conn:
            ids = [(self._insert(conn, new, _now())) for new in news]
        return [(self.get(cid), created) for cid, created in ids]

    def _insert(self, conn, new: NewCredential, now: str) -> tuple[str, bool]:
        cid = fingerprint(new.original)
        if conn.execute("SELECT 1 FROM credentials WHERE id = ?", (cid,)).fetchone():
            return cid, False
        verdict = json.dumps(new.verdict)
        cur = conn.execute(
            "INSERT INTO credentials (id, format, original, issuer, issuer_name, subject, types, "
            "title, valid_from, valid_until, status, verdict, checked_at, imported_at, search_text, "
            "status_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, json_extract(?, '$.status'))",
            (cid, new.format, bytes(new.original), new.issuer, new.issuer_name, new.subject,
             " ".join(new.types), new.title, new.valid_from, new.valid_until, new.status,
             verdict, now, now, new.search_text, verdict))
        self._index(conn, cur.lastrowid)
        return cid, True

    def update_verdict(self, cid: str, verdict: dict, status: str) -> CredentialSummary:
        cid = self.resolve_id(cid)
        with self.store.transaction() as conn:
            text = json.dumps(verdict)
            conn.execute("UPDATE credentials SET verdict = ?, status_line = json_extract(?, '$.status'), "
                         "status = ?, checked_at = ? WHERE id = ?", (text, text, status, _now(), cid))
        return self.get(cid)

    def set_tags(self, cid: str, tags: list[str]) -> CredentialSummary:
        clean = sorted({t.strip() for t in tags if t.strip()})
        return self._update_user_field(self.resolve_id(cid), "tags", json.dumps(clean))

    def set_note(self, cid: str, note: str) -> CredentialSummary:
        return self._update_user_field(self.resolve_id(cid), "note", note)

    def _update_user_field(self, cid: str, column: str, value: str) -> CredentialSummary:
        with self.store.transaction() as conn:
            rowid = conn.execute("SELECT rowid FROM credentials WHERE id = ?", (cid,)).fetchone()[0]
            conn.execute(f"UPDATE credentials SET {column} = ? WHERE id = ?", (value, cid))
            # A contentless FTS row cannot be updated column by column: index it afresh.
            conn.execute("DELETE FROM credentials_fts WHERE rowid = ?", (rowid,))
            self._index(conn, rowid)
        return self.get(cid)

    @classmethod
    def _index(cls, conn, rowid: int) -> None:
        row = cls._fts_row(conn, rowid)
        conn.execute("INSERT INTO credentials_fts(rowid, title, issuer, types, claims, tags, note) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", (rowid, row["title"], row["issuer"], row["types"],
                                                      row["claims"], row["tags"], row["note"]))

    @staticmethod
    def _fts_row(conn, rowid: int) -> dict:
        """The indexed text of one row, rebuilt from the table (the index stores none)."""
        title, issuer_name, issuer, types, search_text, tags, note = conn.execute(
            "SELECT title, issuer_name, issuer, types, search_text, tags, note FROM credentials "
            "WHERE rowid = ?", (rowid,)).fetchone()
        return {"title": title, "issuer": f"{issuer_name} {issuer}", "types": _words_of_types(types.split()),
                "claims": search_text, "tags": " ".join(json.loads(tags)), "note": note}

    def delete(self, cid: str) -> None:
        """Final: the bytes are gone (secure_delete overwrites the freed pages)."""
        cid = self.resolve_id(cid)
        with self.store.transaction() as conn:
            rowid = conn.execute("SELECT rowid FROM credentials WHERE id = ?", (cid,)).fetchone()[0]
            conn.execute("DELETE FROM credentials_fts WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM credentials WHERE id = ?", (cid,))

    # ---- read ------------------------------------------------------------------------

    def resolve_id(self, cid: str) -> str:
        """A full id from a full id or a unique prefix of at least 4 characters."""
        cid = (cid or "").strip().lower()
        if len(cid) < 4 or not re.fullmatch(r"[0-9a-f]+", cid):
            raise NotFound(f"{cid!r} is not a credential id (give at least 4 of its hex characters).")
        rows = self.store.query("SELECT id FROM credentials WHERE id >= ? AND id < ? LIMIT 2",
                                (cid, cid + "g"))
        if not rows:
            raise NotFound(f"No credential in this vault has the id {cid}.")
        if len(rows) > 1:
            raise VaultError(f"More than one credential starts with {cid}; give more characters.")
        return rows[0][0]

    def get(self, cid: str) -> CredentialSummary:
        cid = self.resolve_id(cid)
        return _summary(self.store.query_one(f"SELECT {_COLUMNS} FROM credentials WHERE id = ?", (cid,)))

    def original(self, cid: str) -> bytes:
        row = self.store.query_one("SELECT original FROM credentials WHERE id = ?", (self.resolve_id(cid),))
        return bytes(row[0])

    def verdict(self, cid: str) -> dict:
        row = self.store.query_one("SELECT verdict FROM credentials WHERE id = ?", (self.resolve_id(cid),))
        return json.loads(row[0])

    def status_checks(self, ids: list[str]) -> dict[str, dict]:
        """id -> the stored verdict's status line ({state, message, ...}), for those that have one
        (verdicts stored before status lines existed have none)."""
        out: dict[str, dict] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            rows = self.store.query("SELECT id, json_extract(verdict, '$.status') FROM credentials "
                                    f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
            for cid, line in rows:
                if line:
                    out[cid] = json.loads(line)
        return out

    def search(self, text: str = "", *, issuer: str | None = None, type_: str | None = None,
               status: str | None = None, sort: str = "imported", descending: bool = True,
               limit: int | None = None, offset: int = 0) -> list[CredentialSummary]:
        return [summary for summary, _ in self._search(text, issuer, type_, status, sort, descending, limit,
                                                       offset, status_lines=False)]

    def search_with_status_lines(self, text: str = "", *, issuer: str | None = None, type_: str | None = None,
                                 status: str | None = None, sort: str = "imported", descending: bool = True,
                                 limit: int | None = None,
                                 offset: int = 0) -> list[tuple[CredentialSummary, dict | None]]:
        """``search`` with each stored verdict's status line (dicts to read, not to change),
        read in the same pass over the rows: `vault credential list` reads them all, and a
        second pass cost ~200 ms at 10,000."""
        return self._search(text, issuer, type_, status, sort, descending, limit, offset, status_lines=True)

    def _search(self, text, issuer, type_, status, sort, descending, limit, offset, *,
                status_lines: bool) -> list[tuple[CredentialSummary, dict | None]]:
        if sort not in SORTS:
            raise VaultError(f"Cannot sort by {sort!r}; choose one of {', '.join(SORTS)}.")
        if limit is not None and fts_query(text or "") and self._quick_text_page(text, issuer, type_, status,
                                                                            sort, descending):
            # A page of a text search in import order: its keys (see ``keys``), then its rows.
            keys = self.keys(text, sort=sort, descending=descending, limit=limit, offset=offset)
            rows = self.by_keys(keys)
            page = [rows[k][0] for k in keys if k in rows]
            lines = self.status_checks([c.id for c in page]) if status_lines else {}
            return [(c, lines.get(c.id)) for c in page]
        columns = ", ".join("c." + c.strip() for c in _COLUMNS.split(","))
        if not status_lines:
            return [(_summary(r), None) for r in self._rows(columns, text, issuer, type_, status, sort, descending,
                                                             limit, offset, every=False)]
        rows = self._rows(columns + ", c.status_line", text, issuer, type_, status, sort, descending, limit, offset)
        lines = _status_lines()
        return [(_summary(r[:-1]), lines(r[-1])) for r in rows]

    def listed(self, text: str = "", *, issuer: str | None = None, type_: str | None = None,
               status: str | None = None, sort: str = "imported", descending: bool = True,
               limit: int | None = None) -> list[tuple[str, str, str, str, str, dict | None]]:
        """What a one-line listing shows of each match, in ``search``'s order: (id, status,
        title, issuer DID, the issuer's declared name, the stored status line or None).
        `vault credential list` prints every credential: 6 columns as tuples instead of
        15 as summaries take about a third of the time (~30 against ~95 ms at 10,000)."""
        if sort not in SORTS:
            raise VaultError(f"Cannot sort by {sort!r}; choose one of {', '.join(SORTS)}.")
        if limit is not None and fts_query(text or ""):   # a page of a text search: search's own plan
            return [(c.id, c.status, c.title, c.issuer, c.issuer_name, line) for c, line in
                    self.search_with_status_lines(text, issuer=issuer, type_=type_, status=status, sort=sort,
                                                  descending=descending, limit=limit)]
        lines = _status_lines()
        return [(r[0], r[1], r[2], r[3], r[4], lines(r[5])) for r in
                self._rows("c.id, c.status, c.title, c.issuer, c.issuer_name, c.status_line", text, issuer, type_,
                           status, sort, descending, limit, 0, strip=False)]

    def _rows(self, columns: str, text, issuer, type_, status, sort, descending, limit, offset, *,
              every: bool = True, strip: bool = True) -> list[tuple]:
        """``columns`` of the matches in ``sort`` order. ``every``: the columns are in the
        covering index credentials_list (the command line's list reads all of them).
        ``strip``: without the two sort keys a row may end with (for a caller that reads
        its columns by position from the start)."""
        sql, params = self._filtered(f"SELECT {columns}", text, issuer, type_, status, walk_index=sort == "imported")
        whole = limit is None and not offset
        if every and sort == "imported":
            # every row (the command line's list): the covering index holds all it shows, a
            # tenth of the pages of the rows (SQLite's planner would walk credentials_imported)
            sql = sql.replace(" FROM credentials c", " FROM credentials c INDEXED BY credentials_list", 1)
            if whole:
                # The index is in import-date order; SQLite sorts the rows of one date by
                # rowid in a temporary B-tree (~30 ms at 10,000, an import is one date):
                # Python's sort of what the index gives, by (date, rowid), is that order.
                sql = sql.replace(f"SELECT {columns}", f"SELECT {columns}, c.imported_at, c.rowid", 1)
                rows = self.store.scan(sql + " ORDER BY c.imported_at " + ("DESC" if descending else "ASC"),
                                       params)
                rows.sort(key=lambda r: (r[-2], r[-1]), reverse=descending)
                return [r[:-2] for r in rows] if strip else rows
        sql += " ORDER BY " + SORTS[sort].format(dir="DESC" if descending else "ASC")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [int(limit), int(offset)]
        return self.store.query(sql, params)

    def count(self, text: str = "", *, issuer: str | None = None, type_: str | None = None,
              status: str | None = None) -> int:
        query = fts_query(text or "")
        if query and not (issuer or type_ or status):
            # Text alone: the full-text index counts its own hits, without touching a row.
            return self.store.query_one("SELECT count(*) FROM credentials_fts WHERE credentials_fts MATCH ?",
                                        (query,))[0]
        sql, params = self._filtered("SELECT count(*)", text, issuer, type_, status)
        return self.store.query_one(sql, params)[0]

    def count_for_subjects(self, subjects) -> int:
        """Credentials issued to any of ``subjects``, or naming no subject (bearer or key-bound)."""
        subjects = list(subjects)
        sql = "SELECT count(*) FROM credentials WHERE subject = ''"
        if subjects:
            sql += f" OR subject IN ({', '.join('?' * len(subjects))})"
        return self.store.query_one(sql, subjects)[0]

    @staticmethod
    def _filtered(select: str, text, issuer, type_, status, *, walk_index: bool = False) -> tuple[str, list]:
        sql, where, params = f"{select} FROM credentials c", [], []
        query = fts_query(text or "")
        if query:
            # walk_index: "+" keeps SQLite from driving the query by the full-text hits (a row
            # read each, then a sort); it walks an index in order and tests each rowid against
            # the hits instead. 4-6x faster for a common word over 100,000 credentials.
            where.append(("+" if walk_index else "") +
                         "c.rowid IN (SELECT rowid FROM credentials_fts WHERE credentials_fts MATCH ?)")
            params.append(query)
        if issuer:
            where.append("c.issuer = ?")
            params.append(issuer)
        if type_:
            where.append("(' ' || c.types || ' ') LIKE ?")
            params.append(f"% {type_} %")
        if status:
            if status not in STATUSES:
                raise VaultError(f"Unknown status {status!r}; choose one of {', '.join(STATUSES)}.")
            where.append("c.status = ?")
            params.append(status)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, params

    def keys(self, text: str = "", *, issuer: str | None = None, type_: str | None = None,
             status: str | None = None, sort: str = "imported", descending: bool = True,
             limit: int | None = None, offset: int = 0) -> list[int]:
        """The row keys of the matches, in ``search``'s order, and nothing else: all of
        them, or ``limit`` of them from ``offset`` on (a screenful, then more on scrolling).

        For a list of many credentials: it holds the keys and reads the rows a screenful
        at a time with ``by_keys``. A key is the row's SQLite rowid; it stays the
        credential's as long as the row exists (the full-text index is keyed by it too).
        In the default order no row is read, only indexes.

        Text alone in import order, with a ``limit``: the full-text index is read in
        rowid order, newest (or oldest) first, and stops after ``limit`` hits; no other
        plan avoids listing every hit first (~90 ms for a one-letter prefix that matches
        all of 100,000). Rowid order is import order as long as no import date is older
        than one before it (a clock set back); that is checked, and cached until the next
        change to the vault, else the general query runs.
        """
        if sort not in SORTS:
            raise VaultError(f"Cannot sort by {sort!r}; choose one of {', '.join(SORTS)}.")
        query = fts_query(text or "")
        if query and limit is not None and self._quick_text_page(text, issuer, type_, status, sort, descending):
            return [row[0] for row in self.store.query(
                "SELECT rowid FROM credentials_fts WHERE credentials_fts MATCH ? "
                f"ORDER BY rowid {'DESC' if descending else 'ASC'} LIMIT ? OFFSET ?",
                (query, int(limit), int(offset)))]
        sql, params = self._filtered("SELECT c.rowid", text, issuer, type_, status,
                                     walk_index=sort == "imported")
        sql += " ORDER BY " + SORTS[sort].format(dir="DESC" if descending else "ASC")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [int(limit), int(offset)]
        return [row[0] for row in self.store.query(sql, params)]

    def prepare_search(self) -> None:
        """Do now what the first search would (read the import order once), e.g. on a
        worker thread while the list is shown."""
        self._import_order_is_rowid_order()

    def _quick_text_page(self, text, issuer, type_, status, sort: str, descending: bool) -> bool:
        """Whether a page of this query is read from the full-text index in rowid order.

        Newest first, FTS5 walks a doclist backwards quickly only where it is stored whole:
        a word of at most ``PREFIX_INDEX_MAX`` letters (the index's prefix index); a longer
        word's prefix matches are merged first, in full (~50 ms for "data" at 100,000),
        when the general query takes ~10 ms for a word that narrow."""
        if sort != "imported" or issuer or type_ or status:
            return False
        words = re.findall(r"\w+", text or "", flags=re.UNICODE)
        if descending and any(len(w) > PREFIX_INDEX_MAX for w in words):
            return False
        return self._import_order_is_rowid_order()

    def _import_order_is_rowid_order(self) -> bool:
        """True if ordering by (imported_at, rowid) is ordering by rowid. One walk of the
        import-date index (~25 ms at 100,000), then cached until the vault changes."""
        changes = self.store.change_count()
        if self._rowid_order is not None and self._rowid_order[0] == changes:
            return self._rowid_order[1]
        previous, monotonic = -1, True
        for (rowid,) in self.store.query("SELECT rowid FROM credentials ORDER BY imported_at, rowid"):
            if rowid < previous:
                monotonic = False
                break
            previous = rowid
        self._rowid_order = (changes, monotonic)
        return monotonic

    def by_keys(self, keys) -> dict[int, tuple[CredentialSummary, dict]]:
        """Summary and stored verdict of each credential whose key is given (see ``keys``).
        Keys of credentials no longer in the vault are left out."""
        keys = [int(k) for k in keys]
        out: dict[int, tuple[CredentialSummary, dict]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            rows = self.store.query(f"SELECT rowid, {_COLUMNS}, verdict FROM credentials "
                                    f"WHERE rowid IN ({', '.join('?' * len(chunk))})", chunk)
            for row in rows:
                out[row[0]] = (_summary(row[1:-1]), json.loads(row[-1]))
        return out

    def issuers(self) -> list[tuple[str, str, int]]:
        """(issuer DID, name, how many credentials) for the issuer filter."""
        return [tuple(r) for r in self.store.query(
            "SELECT issuer, MAX(issuer_name), count(*) FROM credentials GROUP BY issuer ORDER BY 2, 1")]

    def types(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for (types,) in self.store.query("SELECT types FROM credentials"):
            for t in types.split():
                counts[t] = counts.get(t, 0) + 1
        return sorted(counts.items())


    # ---- soulbound anchors (vault.anchoring hashes and asks the chain) -----------------

    def fill_chain_hashes(self, hash_of: Callable[[bytes], str], *, batch: int = 500) -> int:
        """Compute ``chain_hash`` (``hash_of(original)``, "0x…") for the credentials that
        lack it (new since the last time); returns how many. Reads the originals in batches,
        writes once per batch."""
        done = 0
        while True:
            rows = self.store.query("SELECT id, original FROM credentials WHERE chain_hash IS NULL LIMIT ?",
                                    (batch,))
            if not rows:
                return done
            with self.store.transaction() as conn:
                conn.executemany("UPDATE credentials SET chain_hash = ? WHERE id = ?",
                                 [(hash_of(bytes(original)), cid) for cid, original in rows])
            done += len(rows)

    def chain_hash(self, cid: str) -> str | None:
        """The stored credential's on-chain hash, once filled; None for an unknown id."""
        row = self.store.query_one("SELECT chain_hash FROM credentials WHERE id = ?", (cid,))
        return row[0] if row else None

    def record_anchors(self, chain_id: int, tokens: Iterable[dict]) -> None:
        """Keep what ``chain_id`` said of these tokens ({credential_hash, token_id, holder,
        issuer, revoked, issued_at, revoked_at}), replacing what it said before."""
        now = _now()
        rows = [(chain_id, t["credential_hash"].lower(), t["token_id"], t["holder"], t["issuer"],
                 int(t["revoked"]), t["issued_at"], t["revoked_at"], now) for t in tokens]
        if not rows:
            return
        with self.store.transaction() as conn:
            conn.executemany(
                "INSERT INTO credential_anchors (chain_id, credential_hash, token_id, holder, issuer, revoked, "
                "issued_at, revoked_at, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (chain_id, credential_hash) DO UPDATE SET token_id = excluded.token_id, "
                "holder = excluded.holder, issuer = excluded.issuer, revoked = excluded.revoked, "
                "issued_at = excluded.issued_at, revoked_at = excluded.revoked_at, "
                "checked_at = excluded.checked_at", rows)

    def forget_anchor(self, chain_id: int, credential_hash: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM credential_anchors WHERE chain_id = ? AND credential_hash = ?",
                         (chain_id, credential_hash.lower()))

    def anchor_states(self, chain_id: int) -> dict[str, AnchorState]:
        """Every stored credential known to be anchored (or revoked) on ``chain_id``."""
        return {row[0]: _anchor_state(row) for row in self.store.query(_ANCHOR_SELECT, (chain_id,))}

    def anchor_state(self, chain_id: int, cid: str) -> AnchorState | None:
        row = self.store.query_one(_ANCHOR_SELECT + " AND c.id = ?", (chain_id, cid))
        return _anchor_state(row) if row else None


def set_issuer_trusted(conn, did: str, trusted: bool) -> list[str]:
    """Inside a transaction: bring the stored verdicts of ``did``'s credentials in line
    with the trust list (``verdict.with_trust``), without checking a signature again.
    Returns the ids of the credentials whose verdict changed."""
    changed = []
    rows = conn.execute("SELECT id, issuer_name, verdict FROM credentials WHERE issuer = ?", (did,)).fetchall()
    for cid, name, stored in rows:
        verdict = json.loads(stored)
        updated = with_trust(verdict, did, name, trusted)
        if updated != verdict:
            conn.execute("UPDATE credentials SET verdict = ? WHERE id = ?", (json.dumps(updated), cid))
            changed.append(cid)
    return changed


def _words_of_types(types) -> str:
    """'OpenBadgeCredential' also matches 'open badge': split camel case for the index."""
    words = []
    for t in types:
        words.append(t)
        words.extend(re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", t))
    return " ".join(words)
