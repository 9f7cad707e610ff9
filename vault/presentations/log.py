"""The vault's log of presentations made: which credentials, which claims, to which
domain, when (schema migration 3, table ``presentations``).

Only what was shown is kept, never the signed payload: the log answers "what did I tell
whom", and a stored payload would be a presentation anyone with the vault could replay
until it expires.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timezone

from ..store import VaultStore
from .build import Presentation


@dataclass(frozen=True)
class LogEntry:
    id: str
    created_at: str               # ISO 8601, UTC
    holder: str
    domain: str
    challenge: str
    kind: str                     # vp-json / vp-jwt
    credentials: list[dict]       # {id, title, format, issuer, issuer_name, claims, revealed, withheld}
    expires_at: str

    def to_json(self) -> dict:
        return {"id": self.id, "created_at": self.created_at, "holder": self.holder, "domain": self.domain,
                "challenge": self.challenge, "kind": self.kind, "credentials": self.credentials,
                "expires_at": self.expires_at}


def _iso(moment) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _shown(presentation: Presentation) -> list[dict]:
    return [{"id": c.id, "title": c.title, "format": c.format, "issuer": c.issuer,
             "issuer_name": c.issuer_name, "claims": list(c.claim_names), "revealed": list(c.revealed),
             "withheld": list(c.withheld)} for c in presentation.credentials]


_COLUMNS = "id, created_at, holder, domain, challenge, kind, credentials_json, expires_at"


def _entry(row) -> LogEntry:
    return LogEntry(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), row[7])


class PresentationLog:
    def __init__(self, store: VaultStore):
        self.store = store

    def record(self, presentation: Presentation) -> LogEntry:
        entry = LogEntry(id=uuid.uuid4().hex, created_at=_iso(presentation.created), holder=presentation.holder,
                         domain=presentation.domain, challenge=presentation.challenge, kind=presentation.kind,
                         credentials=_shown(presentation), expires_at=_iso(presentation.expires))
        with self.store.transaction() as conn:
            conn.execute(f"INSERT INTO presentations ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (entry.id, entry.created_at, entry.holder, entry.domain, entry.challenge, entry.kind,
                          json.dumps(entry.credentials, ensure_ascii=False), entry.expires_at))
        return entry

    def entries(self, *, domain: str | None = None, credential_id: str | None = None,
                limit: int | None = None) -> list[LogEntry]:
        """Newest first; optionally only those to ``domain`` or showing ``credential_id``."""
        sql, params = f"SELECT {_COLUMNS} FROM presentations", []
        if domain is not None:
            sql += " WHERE domain = ?"
            params.append(domain)
        sql += " ORDER BY created_at DESC, rowid DESC"
        entries = [_entry(row) for row in self.store.query(sql, params)]
        if credential_id is not None:
            entries = [e for e in entries if any(c.get("id") == credential_id for c in e.credentials)]
        return entries[:limit] if limit is not None else entries

    def get(self, entry_id: str) -> LogEntry | None:
        row = self.store.query_one(f"SELECT {_COLUMNS} FROM presentations WHERE id = ?", (entry_id,))
        return _entry(row) if row else None
