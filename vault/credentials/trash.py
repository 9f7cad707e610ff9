"""Credentials deleted in the desktop app, kept for Undo until the app closes.

Deleting moves the credential's own bytes, tags and note into ``credential_trash`` (in
the same encrypted database), so the app can forget every decrypted byte when it locks
and still put the credential back after the next unlock. Closing the app empties its
trash; a run that ended without doing so (a crash, a kill) is emptied at the next
unlock. Deleting from the command line is final at once (CredentialRepository.delete).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from ..errors import NotFound
from .repository import CredentialSummary


class Trash:
    def __init__(self, service, session: str):
        """``service``: the CredentialService; ``session``: this app run's token."""
        self.service, self.session = service, session
        self.store = service.store

    def move(self, cid: str) -> str:
        """Delete ``cid`` from the list, keeping it for ``put_back``; returns its title.
        The copy is written first: a crash between the two steps leaves the credential
        where it was (and a stale copy that the next unlock empties)."""
        repository = self.service.repository
        summary = repository.get(cid)
        original = repository.original(summary.id)
        with self.store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO credential_trash (id, session, title, tags, note, deleted_at, "
                         "original) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (summary.id, self.session, summary.title, json.dumps(summary.tags), summary.note,
                          datetime.now(timezone.utc).isoformat(timespec="seconds"), original))
        repository.delete(summary.id)
        return summary.title

    def put_back(self, cid: str) -> CredentialSummary:
        """Import the kept bytes again (verified again), with the tags and note it had."""
        row = self.store.query_one("SELECT title, tags, note, original FROM credential_trash WHERE id = ?", (cid,))
        if row is None:
            raise NotFound("That credential is no longer in the trash (the app was closed since it was deleted).")
        _title, tags, note, original = row
        summary = self.service.import_bytes(bytes(original)).summary
        if json.loads(tags):
            summary = self.service.repository.set_tags(summary.id, json.loads(tags))
        if note:
            summary = self.service.repository.set_note(summary.id, note)
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM credential_trash WHERE id = ?", (cid,))
        return summary

    def ids(self) -> list[str]:
        """This run's deleted credentials, oldest first."""
        return [r[0] for r in self.store.query("SELECT id FROM credential_trash WHERE session = ? "
                                               "ORDER BY deleted_at, rowid", (self.session,))]

    def empty(self) -> int:
        """At the app's close: the deletions become final (secure_delete overwrites)."""
        return self._delete("session = ?", (self.session,))

    def empty_left_over(self) -> int:
        """At unlock: what runs that did not close cleanly left behind."""
        return self._delete("session != ?", (self.session,))

    def _delete(self, where: str, params: tuple) -> int:
        if not self.store.query_one(f"SELECT 1 FROM credential_trash WHERE {where} LIMIT 1", params):
            return 0   # nothing to do: no write (and no integrity wait) at every unlock
        with self.store.transaction() as conn:
            return conn.execute(f"DELETE FROM credential_trash WHERE {where}", params).rowcount
