"""A profile's Bitstring Status Lists: one for revocation, one for suspension.

Each credential a profile issues with status gets one random index (the spec's herd
privacy: indexes say nothing about the order of issuance) and an entry in both lists.
Revoking or suspending flips the bit and re-signs the list credential (eddsa-rdfc-2022,
the profile's key); the signed list is kept in the vault, served to the vault's own
verification offline (vault.credentials.cache.VerificationCache.own_status_list), and
exported as a file the issuer hosts at ``Profile.status_list_url(purpose)``.

Spec: https://www.w3.org/TR/vc-bitstring-status-list/
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timezone
from pathlib import Path

from ..credentials import data_integrity
from ..credentials.bitstring import MIN_LIST_BITS, encode_status_list, read_status
from ..credentials.status import status_list_credential
from ..errors import IssuingError
from ..store.atomic import write_atomic
from .profiles import STATUS_PURPOSES, Profile, Profiles

LIST_BITS = MIN_LIST_BITS


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def entries(profile: Profile, index: int) -> list[dict]:
    """The ``credentialStatus`` of a credential at ``index``: one entry per purpose."""
    return [{"id": f"{profile.status_list_url(purpose)}#{index}", "type": "BitstringStatusListEntry",
             "statusPurpose": purpose, "statusListIndex": str(index),
             "statusListCredential": profile.status_list_url(purpose)} for purpose in STATUS_PURPOSES]


class StatusLists:
    def __init__(self, profiles: Profiles):
        self.profiles = profiles
        self.store = profiles.store

    def has_lists(self, profile: Profile) -> bool:
        return bool(profile.status_base_url) and not profile.is_sample

    def ensure(self, conn, profile: Profile) -> None:
        """Create (inside the caller's transaction) the profile's lists if it has none yet."""
        for purpose in STATUS_PURPOSES:
            url = profile.status_list_url(purpose)
            if conn.execute("SELECT 1 FROM issuer_status_lists WHERE profile_id = ? AND purpose = ?",
                            (profile.id, purpose)).fetchone():
                continue
            if conn.execute("SELECT 1 FROM issuer_status_lists WHERE url = ?", (url,)).fetchone():
                raise IssuingError(f"Another profile of this vault already publishes its status list at {url}: "
                                   "give this profile its own status list address.")
            bits = bytes(LIST_BITS // 8)
            conn.execute("INSERT INTO issuer_status_lists(profile_id, purpose, url, bits, signed, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (profile.id, purpose, url, bits,
                                                       self._sign(profile, purpose, bits), _now().isoformat()))

    def allocate(self, conn, profile: Profile, taken: set[int] = frozenset()) -> int:
        """A random index no credential of the profile has (nor one in ``taken``)."""
        used = {row[0] for row in conn.execute("SELECT status_index FROM issued_credentials WHERE profile_id = ? "
                                               "AND status_index IS NOT NULL", (profile.id,))} | set(taken)
        if len(used) >= LIST_BITS // 2:
            raise IssuingError(f"The status lists of {profile.name!r} are half full ({len(used):,} credentials): "
                               "make a new profile for further credentials.")
        while True:
            index = secrets.randbelow(LIST_BITS)
            if index not in used:
                return index

    def _sign(self, profile: Profile, purpose: str, bits: bytes) -> bytes:
        url = profile.status_list_url(purpose)
        # No validFrom: a verifier whose clock is a little behind would find a list re-signed
        # a moment ago "not yet valid", and a list that cannot be read fails closed.
        credential = status_list_credential(id=url, issuer=profile.did, encoded_list=encode_status_list(bits),
                                            purpose=purpose)
        signed = data_integrity.sign(credential, self.profiles.signing_key(profile), profile.verification_method,
                                     created=_now().strftime("%Y-%m-%dT%H:%M:%SZ"))
        return json.dumps(signed, indent=2).encode("utf-8")

    def set_bit(self, conn, profile: Profile, purpose: str, index: int, value: bool) -> None:
        """Flip entry ``index`` of ``purpose`` and re-sign the list (in the caller's transaction)."""
        row = conn.execute("SELECT bits FROM issuer_status_lists WHERE profile_id = ? AND purpose = ?",
                           (profile.id, purpose)).fetchone()
        if row is None:
            raise IssuingError(f"The profile {profile.name!r} has no {purpose} list.")
        bits = bytearray(row[0])
        mask = 0x80 >> (index & 7)
        bits[index >> 3] = (bits[index >> 3] | mask) if value else (bits[index >> 3] & ~mask)
        conn.execute("UPDATE issuer_status_lists SET bits = ?, signed = ?, updated_at = ? "
                     "WHERE profile_id = ? AND purpose = ?",
                     (bytes(bits), self._sign(profile, purpose, bytes(bits)), _now().isoformat(), profile.id,
                      purpose))

    def bit(self, profile: Profile, purpose: str, index: int) -> bool:
        row = self.store.query_one("SELECT bits FROM issuer_status_lists WHERE profile_id = ? AND purpose = ?",
                                   (profile.id, purpose))
        return bool(row and read_status(bytes(row[0]), index))

    def signed(self, profile: Profile, purpose: str) -> bytes:
        """The signed list credential, as it must be hosted at ``profile.status_list_url(purpose)``
        (made now if the profile has an address for its lists but has issued nothing yet)."""
        query = "SELECT signed FROM issuer_status_lists WHERE profile_id = ? AND purpose = ?"
        row = self.store.query_one(query, (profile.id, purpose))
        if row is None and self.has_lists(profile):
            with self.store.transaction() as conn:
                self.ensure(conn, profile)
            row = self.store.query_one(query, (profile.id, purpose))
        if row is None:
            raise IssuingError(f"The profile {profile.name!r} has no status lists"
                               + ("" if profile.status_base_url else
                                  " (it has no URL to host them at: create it with --url or --status-url)") + ".")
        return bytes(row[0])

    def export(self, profile: Profile, folder: Path) -> list[tuple[Path, str]]:
        """Write both signed lists into ``folder`` as ``<purpose>.json``; (file, URL to host it at)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for purpose in STATUS_PURPOSES:
            path = folder / f"{purpose}.json"
            write_atomic(path, self.signed(profile, purpose))
            written.append((path, profile.status_list_url(purpose)))
        return written
