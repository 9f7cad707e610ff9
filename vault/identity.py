"""The holder's identity service: recovery phrase, accounts and DIDs in an unlocked vault.

Everything is derived from the one recovery phrase kept (encrypted) in the vault. A new
DID takes the next index of its method, so a vault restored from the phrase recreates
the same DIDs, in the same order, when they are created again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from .did import did_jwk, did_key, did_pkh, resolver
from .errors import NotFound, UnsupportedDidMethod, VaultError
from .keys import derivation, recovery_phrase
from .store import VaultStore
from .store.kdf import DEFAULT_TARGET_SECONDS
from .store.vault_store import check_new_passphrase, vault_set_aside

CREATABLE_METHODS = ("key", "jwk")
_PHRASE = "recovery_phrase"
_PHRASE_CONFIRMED = "recovery_phrase_confirmed"


@dataclass(frozen=True)
class DidRecord:
    did: str
    method: str
    name: str
    is_default: bool
    key_path: str
    key_index: int
    created_at: str

    def to_json(self) -> dict:
        d = asdict(self)
        d["default"] = d.pop("is_default")
        return d


@dataclass(frozen=True)
class Account:
    address: str
    key_path: str
    key_index: int
    name: str

    def to_json(self) -> dict:
        return asdict(self) | {"did": did_pkh.from_address(self.address)}


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Identity:
    def __init__(self, store: VaultStore):
        self.store = store

    # ---- creating a vault --------------------------------------------------------------

    @classmethod
    def create(cls, data_dir: Path, passphrase: str, *, words: int = 12,
               kdf_target: float = DEFAULT_TARGET_SECONDS) -> tuple["Identity", str]:
        """A new vault with a fresh recovery phrase; returns it so it can be shown once."""
        phrase = recovery_phrase.generate(words)
        identity = cls._make(data_dir, passphrase, phrase, kdf_target=kdf_target)
        return identity, phrase

    @classmethod
    def restore(cls, data_dir: Path, passphrase: str, phrase: str, *,
                kdf_target: float = DEFAULT_TARGET_SECONDS) -> "Identity":
        identity = cls._make(data_dir, passphrase, recovery_phrase.validate(phrase), kdf_target=kdf_target)
        identity.confirm_phrase()  # typing it in is proof enough that it is written down
        return identity

    @classmethod
    def restore_replacing(cls, data_dir: Path, passphrase: str, phrase: str, *,
                          kdf_target: float = DEFAULT_TARGET_SECONDS) -> tuple["Identity", Path | None]:
        """Restore from the phrase in a folder that may hold a vault (its passphrase
        forgotten): that vault is moved aside, untouched, first (vault_set_aside), and
        back if the restore fails. Returns the identity and where the old vault is kept.
        The phrase and passphrase are checked before anything moves."""
        phrase = recovery_phrase.validate(phrase)
        check_new_passphrase(passphrase)
        with vault_set_aside(data_dir) as aside:
            return cls.restore(data_dir, passphrase, phrase, kdf_target=kdf_target), aside

    @classmethod
    def _make(cls, data_dir: Path, passphrase: str, phrase: str, *, kdf_target: float) -> "Identity":
        store = VaultStore.create(data_dir, passphrase, kdf_target=kdf_target)
        identity = cls(store)
        try:
            with store.transaction() as conn:
                conn.execute("INSERT INTO secrets(name, value) VALUES (?, ?)", (_PHRASE, phrase.encode()))
            identity.create_did("key", name="My DID")  # first, so it is the default signer
            identity.add_account(name="Main account")
        except BaseException:
            store.destroy()  # a half-made vault would hold no usable identity
            raise
        return identity

    # ---- secrets -----------------------------------------------------------------------

    def recovery_phrase(self) -> str:
        row = self.store.query_one("SELECT value FROM secrets WHERE name = ?", (_PHRASE,))
        if row is None:
            raise VaultError("This vault holds no recovery phrase.")
        return bytes(row[0]).decode()

    @property
    def phrase_confirmed(self) -> bool:
        """Whether the holder proved they wrote the phrase down (or typed it to restore)."""
        return self.store.get_setting(_PHRASE_CONFIRMED) == "1"

    def confirm_phrase(self) -> None:
        self.store.set_setting(_PHRASE_CONFIRMED, "1")

    def _seed(self) -> bytes:
        return recovery_phrase.to_seed(self.recovery_phrase())

    # ---- accounts ----------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        rows = self.store.query("SELECT address, key_path, key_index, name FROM accounts ORDER BY key_index")
        return [Account(*row) for row in rows]

    def add_account(self, name: str = "") -> Account:
        seed = self._seed()
        with self.store.transaction() as conn:
            index = conn.execute("SELECT COALESCE(MAX(key_index) + 1, 0) FROM accounts").fetchone()[0]
            account = Account(derivation.eth_address(seed, index), derivation.eth_path(index), index, name)
            conn.execute("INSERT INTO accounts(address, key_path, key_index, name, created_at) "
                         "VALUES (?, ?, ?, ?, ?)", (account.address, account.key_path, index, name, _now()))
            # Every account is also a did:pkh, the DID that holds soulbound credentials.
            self._insert_did(conn, did_pkh.from_address(account.address), "pkh", account.key_path,
                             index, name)
        return account

    def eth_private_key(self, address: str) -> bytes:
        row = self.store.query_one("SELECT key_index FROM accounts WHERE address = ?", (address,))
        if row is None:
            raise NotFound(f"{address} is not an account of this vault.")
        return derivation.eth_private_key(self._seed(), row[0])

    # ---- DIDs --------------------------------------------------------------------------

    def dids(self) -> list[DidRecord]:
        rows = self.store.query(
            "SELECT did, method, name, is_default, key_path, key_index, created_at FROM dids "
            "ORDER BY created_at, rowid")
        return [DidRecord(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6]) for r in rows]

    def get_did(self, did: str) -> DidRecord:
        for record in self.dids():
            if record.did == did:
                return record
        raise NotFound(f"{did} is not a DID of this vault.")

    def default_did(self) -> DidRecord:
        records = self.dids()
        return next((r for r in records if r.is_default), records[0])

    def create_did(self, method: str, name: str = "") -> DidRecord:
        if method == "pkh":
            account = self.add_account(name)
            return self.get_did(did_pkh.from_address(account.address))
        if method not in CREATABLE_METHODS:
            raise UnsupportedDidMethod(
                f"Cannot create did:{method}; this vault creates did:key, did:jwk and did:pkh.")
        seed = self._seed()
        with self.store.transaction() as conn:
            index = conn.execute("SELECT COALESCE(MAX(key_index) + 1, 0) FROM dids WHERE method = ?",
                                 (method,)).fetchone()[0]
            path = derivation.did_key_path(method, index)
            public = derivation.ed25519_private_key(seed, path).public_key().public_bytes_raw()
            did = did_key.from_ed25519(public) if method == "key" else did_jwk.from_jwk(did_jwk.ed25519_jwk(public))
            self._insert_did(conn, did, method, path, index, name)
        return self.get_did(did)

    @staticmethod
    def _insert_did(conn, did: str, method: str, path: str, index: int, name: str) -> None:
        has_default = conn.execute("SELECT 1 FROM dids WHERE is_default = 1").fetchone()
        conn.execute("INSERT INTO dids(did, method, key_path, key_index, name, is_default, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (did, method, path, index, name, 0 if has_default else 1, _now()))

    def rename_did(self, did: str, name: str) -> DidRecord:
        self.get_did(did)
        with self.store.transaction() as conn:
            conn.execute("UPDATE dids SET name = ? WHERE did = ?", (name.strip(), did))
            conn.execute("UPDATE accounts SET name = ? WHERE ? = 'did:pkh:eip155:1:' || address",
                         (name.strip(), did))
        return self.get_did(did)

    def set_default(self, did: str) -> DidRecord:
        self.get_did(did)
        with self.store.transaction() as conn:
            conn.execute("UPDATE dids SET is_default = (did = ?)", (did,))
        return self.get_did(did)

    def signing_key(self, did: str):
        """The Ed25519 private key of one of our did:key / did:jwk DIDs."""
        record = self.get_did(did)
        if record.method not in CREATABLE_METHODS:
            raise UnsupportedDidMethod(f"did:{record.method} signs with its Ethereum account key.")
        return derivation.ed25519_private_key(self._seed(), record.key_path)

    def resolve(self, did: str) -> dict:
        return resolver.resolve(did)
