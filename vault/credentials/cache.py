"""What offline verification needs from earlier online moments: DID documents the user
added (issuers whose DID cannot be resolved from the identifier alone), Open Badges 2.0
issuer keys, and status lists."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from ..errors import VaultError
from ..store import VaultStore
from .keys import check_document
from .openbadges2 import check_key


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

    def put_issuer_key(self, key: dict) -> str:
        """Keep an Open Badges 2.0 CryptographicKey for offline checks of signed badges and
        return its id; VaultError (nothing stored) unless it is consistent (openbadges2.check_key).

        Stored beside DID documents, keyed by its https id: the table holds the public
        documents of issuer keys by id, an https URL is never a DID, and the one lookup
        (``did_document``) serves both, each reader asking only for its own kind.
        """
        try:
            kid = check_key(key)
        except ValueError as exc:
            raise VaultError(f"This is not a usable Open Badges 2.0 issuer key: {exc}.") from None
        self._put(kid, key)
        return kid

    def _put(self, key: str, document: dict) -> None:
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO did_documents(did, document, updated_at) VALUES (?, ?, ?) "
                         "ON CONFLICT(did) DO UPDATE SET document = excluded.document, "
                         "updated_at = excluded.updated_at", (key, json.dumps(document), _now()))

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
