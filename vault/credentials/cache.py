"""What offline verification needs from earlier online moments: DID documents (issuers
whose DID cannot be resolved from the identifier alone: added by hand, or did:web ones
fetched), https issuer key documents and SD-JWT VC issuer metadata, Open Badges 2.0
issuer keys, and status lists; each with its date, and where it was fetched from (none:
added by hand)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from ..errors import VaultError
from ..store import VaultStore
from .keys import check_document, check_web_document
from .openbadges2 import check_key
from .webkeys.jwt_issuer import check_metadata, metadata_url


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class VerificationCache:
    def __init__(self, store: VaultStore):
        self.store = store

    def did_document(self, did: str) -> dict | None:
        row = self.store.query_one("SELECT document FROM did_documents WHERE did = ?", (did,))
        return json.loads(row[0]) if row else None

    def saved(self, key: str) -> tuple[str, str | None] | None:
        """(when, fetched from: None if added by hand) of the document kept under ``key``."""
        row = self.store.query_one("SELECT updated_at, fetched_from FROM did_documents WHERE did = ?", (key,))
        return (row[0], row[1]) if row else None

    def put_did_document(self, did: str, document: dict, fetched_from: str | None = None) -> None:
        """Keep ``document`` for ``did``; InvalidDid (nothing stored) unless it is a
        consistent document of that DID (see keys.check_document)."""
        check_document(document, did)
        self._put(did, document, fetched_from)

    def put_web_document(self, url: str, document: dict, fetched_from: str | None = None) -> str:
        """Keep the https key or controller document published at ``url``; InvalidDid
        (nothing stored) unless it is consistent (keys.check_web_document). Its kind."""
        kind = check_web_document(document, url)
        self._put(url, document, fetched_from)
        return kind

    def issuer_metadata(self, iss: str) -> dict | None:
        return self.did_document(metadata_url(iss))

    def put_issuer_metadata(self, iss: str, metadata: dict, fetched_from: str | None = None) -> None:
        """Keep an SD-JWT VC issuer's metadata, its keys inline (``jwks``); ValueError
        (nothing stored) unless it is the metadata of ``iss``."""
        check_metadata(metadata, iss)
        self._put(metadata_url(iss), metadata, fetched_from)

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

    def put_saved(self, key: str, document: dict, fetched_from: str) -> None:
        """Keep what was fetched for a check that has no document kind of its own (a Blockcerts
        anchor transaction, an issuer profile), under a key its reader prefixes by kind."""
        self._put(key, document, fetched_from)

    def _put(self, key: str, document: dict, fetched_from: str | None = None) -> None:
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO did_documents(did, document, updated_at, fetched_from) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT(did) DO UPDATE SET document = excluded.document, "
                         "updated_at = excluded.updated_at, fetched_from = excluded.fetched_from",
                         (key, json.dumps(document), _now(), fetched_from))

    def own_status_list(self, url: str) -> bytes | None:
        """The list this vault publishes at ``url`` as an issuer (vault.issuing), as last
        signed: the vault checks what it issued without fetching its own list."""
        row = self.store.query_one("SELECT signed FROM issuer_status_lists WHERE url = ?", (url,))
        return bytes(row[0]) if row else None

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
