"""What offline verification needs from earlier online moments: DID documents the user
added (issuers whose DID cannot be resolved from the identifier alone) and status lists."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from ..store import VaultStore
from .keys import check_document


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class VerificationCache:
    def __init__(self, store: VaultStore):
        self.store = store

    def did_document(self, did: str) -> dict | None:
        row = self.store.query_one("SELECT document FROM did_documents WHERE did = ?", (did,))
        return json.loads(row[0]) if row else None

    def put_did_document(self, did: str, document: dict) -> None:
        """Keep ``document`` for ``did``; InvalidDid (nothing stored) unless it is a
        consistent document of that DID (see keys.check_document)."""
        check_document(document, did)
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO did_documents(did, document, updated_at) VALUES (?, ?, ?) "
                         "ON CONFLICT(did) DO UPDATE SET document = excluded.document, "
                         "updated_at = excluded.updated_at", (did, json.dumps(document), _now()))

    def status_list(self, url: str) -> bytes | None:
        row = self.store.query_one("SELECT content FROM status_lists WHERE url = ?", (url,))
        return bytes(row[0]) if row else None

    def status_list_fetched_at(self, url: str) -> str | None:
        row = self.store.query_one("SELECT fetched_at FROM status_lists WHERE url = ?", (url,))
        return row[0] if row else None

    def put_status_list(self, url: str, content: bytes) -> None:
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO status_lists(url, content, fetched_at) VALUES (?, ?, ?) "
                         "ON CONFLICT(url) DO UPDATE SET content = excluded.content, "
                         "fetched_at = excluded.fetched_at", (url, bytes(content), _now()))
