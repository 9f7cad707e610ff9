"""The holder's trust list: issuers they know. Not being on it is a warning, never a failure.

Adding or removing an issuer updates, in the same transaction, the unknown-issuer warning
of every stored verdict of theirs (no signature is checked again): the list of
credentials reads the same as a re-verification would, at once.

The app's sample issuer (vault.issuing.sample) signs with a published key: it is refused,
and never counts as trusted even if a row for it were found."""

from __future__ import annotations

from datetime import datetime, timezone

from ..errors import NotFound, NotTrustable
from . import sample_issuer as sample
from ..store import VaultStore
from .repository import set_issuer_trusted


class TrustList:
    def __init__(self, store: VaultStore):
        self.store = store

    def add(self, did: str, name: str = "") -> list[str]:
        """Trust ``did`` (a new ``name``, if given, replaces the one it had). Returns the
        ids of the credentials whose stored verdict changed."""
        from ..did import method_of   # start-up: vault.did ~5 ms, only when a DID is added
        method_of(did)  # raises InvalidDid for something that is not a DID
        if sample.is_sample_issuer(did):
            raise NotTrustable(f"{sample.NAME} cannot be trusted: it is the app's {sample.NOTE}, and its "
                               "signing key is public, so anyone can sign as it. Its credentials are only "
                               "for trying the app.")
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO trusted_issuers(did, name, added_at) VALUES (?, ?, ?) "
                         "ON CONFLICT(did) DO UPDATE SET name = CASE WHEN excluded.name != '' "
                         "THEN excluded.name ELSE name END",
                         (did, name.strip(), datetime.now(timezone.utc).replace(microsecond=0).isoformat()))
            return set_issuer_trusted(conn, did, True)

    def remove(self, did: str) -> list[str]:
        """Stop trusting ``did``; returns the ids of the credentials whose verdict changed."""
        with self.store.transaction() as conn:
            if conn.execute("DELETE FROM trusted_issuers WHERE did = ?", (did,)).rowcount == 0:
                raise NotFound(f"{did} is not in the trust list.")
            return set_issuer_trusted(conn, did, False)

    def contains(self, did: str) -> bool:
        if sample.is_sample_issuer(did):
            return False
        return self.store.query_one("SELECT 1 FROM trusted_issuers WHERE did = ?", (did,)) is not None

    def names(self) -> dict[str, str]:
        """{DID: the name the holder gave it} for every trusted issuer (see issuer_name)."""
        return {d: n for d, n in self.store.query("SELECT did, name FROM trusted_issuers")
                if not sample.is_sample_issuer(d)}

    def entries(self) -> list[dict]:
        return [{"did": d, "name": n, "added_at": a} for d, n, a in
                self.store.query("SELECT did, name, added_at FROM trusted_issuers ORDER BY name, did")]
