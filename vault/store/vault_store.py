"""The encrypted vault: create, unlock, lock, change passphrase, migrate, back up, restore.

Files in the data folder (0700):
  vault.header       KDF parameters, salt, key check, generation (atomic JSON, 0600)
  vault-<gen>.db     the SQLCipher 4 database keyed with Argon2id(passphrase) (+ -wal, -shm)

A passphrase change writes a whole new database generation under the new key and then
swaps the header atomically: until the rename the old header and database are untouched,
after it the new ones are complete. Leftovers of an interrupted change are removed on
the next unlock.
"""

from __future__ import annotations

import contextlib
import os
import threading
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from ..errors import (CorruptVault, VaultError, VaultExists, VaultLocked, VaultNotFound,
                      WeakPassphrase, WrongPassphrase)
from ..logs import LOG_FOLDER
from . import database, schema
from .atomic import FILE_MODE, ensure_private_dir, fsync_dir, fsync_file
from .header import HEADER_NAME, Header, key_check_value
from .kdf import DEFAULT_TARGET_SECONDS, KdfParams, derive_key, tune

MIN_PASSPHRASE_LENGTH = 8
BACKUP_HEADER = "vault.header"
BACKUP_DATABASE = "vault.db"
BACKUP_MARKER = "blocktrack-vault-backup-v1"
SCAN_CACHE_PAGES = 64    # the page cache during ``scan`` (SQLite's default is 2,000 pages' worth)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(f"A passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters.")


# Tests set this to simulate a crash at a named step of a multi-file operation.
_checkpoint: Callable[[str], None] = lambda step: None


class VaultStore:
    """One vault in one data folder. Thread-safe: every database call holds ``_lock``."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self._conn = None
        self._key: bytearray | None = None
        self._header: Header | None = None
        self._lock = threading.RLock()
        self._integrity_pending = False   # open, its full-file check not run yet

    # ---- state ---------------------------------------------------------------------

    @staticmethod
    def exists_in(data_dir: Path) -> bool:
        data_dir = Path(data_dir)
        return (data_dir / HEADER_NAME).exists() or any(data_dir.glob("vault-*.db"))

    @property
    def exists(self) -> bool:
        return self.exists_in(self.data_dir)

    @property
    def is_unlocked(self) -> bool:
        return self._conn is not None

    @property
    def header(self) -> Header:
        if self._header is None:
            if not self.exists:
                raise VaultNotFound(f"There is no vault in {self.data_dir}. Create one with `vault init`.")
            self._header = Header.read(self.data_dir)
        return self._header

    @property
    def database_path(self) -> Path:
        return self.data_dir / self.header.database_name

    @property
    def schema_version(self) -> int:
        with self._locked_conn() as conn:
            return conn.execute("PRAGMA user_version").fetchone()[0]

    # ---- create / unlock / lock ----------------------------------------------------

    @classmethod
    def create(cls, data_dir: Path, passphrase: str, *, kdf_target: float = DEFAULT_TARGET_SECONDS,
               kdf_params: KdfParams | None = None) -> "VaultStore":
        check_new_passphrase(passphrase)
        data_dir = Path(data_dir)
        if cls.exists_in(data_dir):
            raise VaultExists(f"A vault already exists in {data_dir}.")
        ensure_private_dir(data_dir)
        params = kdf_params.with_new_salt() if kdf_params else tune(kdf_target)
        key = derive_key(passphrase, params)
        header = Header(params, key_check_value(key, params), 1, _now())
        store = cls(data_dir)
        _create_private_file(data_dir / header.database_name)
        conn = database.connect(data_dir / header.database_name, key)
        store._conn, store._key, store._header = conn, bytearray(key), header
        store._migrate()
        # The header comes last: without it the folder holds no vault, only a stray file
        # that the next create may replace.
        header.write(data_dir)
        return store

    def unlock(self, passphrase: str, *, check_integrity: bool = True) -> None:
        """Open the vault. CorruptVault if the database is damaged.

        ``check_integrity=False`` (the desktop app, to show the list sooner) opens it
        without the full-file HMAC check (``PRAGMA cipher_integrity_check``, ~15 ms per
        1,000 credentials): the caller then runs ``check_integrity()`` soon after, e.g. on
        a worker thread once the list is shown. Until that check has passed, every page
        read is still authenticated by SQLCipher (a damaged page is an error, never other
        data), and nothing is written: a write transaction, a backup or a passphrase
        change runs the check first. A vault whose schema must be upgraded is checked at
        once, before the upgrade writes to it.
        """
        with self._lock:
            if self.is_unlocked:
                return
            self._header = None
            header = self.header
            key = derive_key(passphrase, header.kdf)
            if not header.key_matches(key):
                raise WrongPassphrase()
            self._open_with_key(key, check_integrity=check_integrity)

    @property
    def integrity_pending(self) -> bool:
        """Open without its full-file check so far (see ``unlock``)."""
        return self._integrity_pending

    def check_integrity(self, *, structure: bool = False) -> None:
        """Check every page's HMAC of the open vault, with ``structure`` its b-trees too
        (thread-safe: holds the store's lock, so no other call of this store runs meanwhile).

        Raises CorruptVault if the file is damaged, after locking the store: nothing more
        is read from it or written to it. VaultLocked if the store is not open.
        """
        with self._locked_conn() as conn:
            errors = database.integrity_errors(conn, structure=structure)
            if errors:
                self.lock()
                raise CorruptVault("The vault database is damaged (" + "; ".join(errors[:3]) +
                                   "). Restore it from a backup.")
            if self._integrity_pending:
                self._integrity_pending = False
                self._remove_stale_generations()

    def _check_before_writing(self) -> None:
        """Before anything writes: the check that an unlock without it postponed."""
        if self._integrity_pending:
            self.check_integrity()

    def _open_with_key(self, key: bytes, *, check_integrity: bool = True) -> None:
        path = self.database_path
        if not path.exists():
            raise CorruptVault(f"The vault database {path.name} is missing. Restore it from a backup.")
        # SQLite takes an empty (or 1-byte) file for a new, empty database: a database
        # truncated that far would "open" holding nothing and be migrated afresh. A real
        # one is never shorter than one page (SQLite's smallest is 512 bytes), because
        # create() writes page 1 before the header exists.
        if path.stat().st_size < 512:
            raise CorruptVault(f"The vault database {path.name} is empty or truncated. "
                               "Restore it from a backup.")
        conn = database.connect(path, key)
        if not check_integrity:
            try:
                # An upgrade writes: it never runs on a database not checked yet.
                check_integrity = conn.execute("PRAGMA user_version").fetchone()[0] != schema.LATEST
            except database.DatabaseError:
                check_integrity = True
        if check_integrity:
            errors = database.integrity_errors(conn)
            if errors:
                conn.close()
                raise CorruptVault("The vault database is damaged (" + "; ".join(errors[:3]) +
                                   "). Restore it from a backup.")
        self._conn, self._key = conn, bytearray(key)
        self._integrity_pending = not check_integrity
        try:
            self._migrate()
        except BaseException:
            self.lock()
            raise
        if not self._integrity_pending:
            # Older generations go only once this one is known to be intact.
            self._remove_stale_generations()

    def check_passphrase(self, passphrase: str) -> bool:
        """True if ``passphrase`` opens this vault (for re-entry before showing secrets)."""
        return self.header.key_matches(derive_key(passphrase, self.header.kdf))

    def lock(self) -> None:
        with self._lock:
            if self._conn is not None:
                if not self._integrity_pending:  # (unchecked: nothing was written, none to write)
                    with contextlib.suppress(Exception):
                        self._conn.execute("PRAGMA optimize")  # keeps the planner's statistics current
                        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._conn.close()
            self._conn = None
            self._integrity_pending = False
            if self._key is not None:
                for i in range(len(self._key)):  # best effort: Python may hold copies
                    self._key[i] = 0
            self._key = None

    close = lock

    def destroy(self) -> None:
        """Lock and delete this vault's files (only ours), e.g. after a failed set-up."""
        self.lock()
        for pattern in (HEADER_NAME, "vault-*.db*", f".{HEADER_NAME}.tmp-*"):
            for path in self.data_dir.glob(pattern):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()

    def _remove_stale_generations(self) -> None:
        keep = self.header.database_name
        for path in self.data_dir.glob("vault-*.db*"):
            if not path.name.startswith(keep):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        # A header temp file is left when the process died inside write_atomic (e.g. a
        # passphrase change killed just before the header's rename). The header in place
        # has just opened the vault, so the temp one is stale: remove it too.
        for path in self.data_dir.glob(f".{HEADER_NAME}.tmp-*"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    # ---- database access -----------------------------------------------------------

    @contextlib.contextmanager
    def _locked_conn(self) -> Iterator:
        with self._lock:
            if self._conn is None:
                raise VaultLocked("The vault is locked. Unlock it first.")
            yield self._conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator:
        """A write transaction: committed on success, rolled back on any error."""
        with self._locked_conn() as conn:
            self._check_before_writing()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def query(self, sql: str, params=()) -> list[tuple]:
        with self._locked_conn() as conn:
            try:
                return conn.execute(sql, params).fetchall()
            except database.DatabaseError as exc:
                if not database.is_damage(exc):
                    raise
                # a page failed its HMAC (opened without the full check, see ``unlock``)
                self.lock()
                raise CorruptVault(f"The vault database is damaged ({exc}). Restore it from a backup.") from exc

    def change_count(self) -> int:
        """Rows inserted, updated or deleted since the vault was opened (for caches)."""
        with self._locked_conn() as conn:
            return conn.total_changes

    def query_one(self, sql: str, params=()):
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scan(self, sql: str, params=()) -> list[tuple]:
        """``query`` for a statement that reads each page once (a walk of a whole index):
        with a small page cache meanwhile, SQLCipher recycles a few page buffers instead of
        allocating (and, under ``cipher_memory_security``, locking, then wiping and freeing
        at close) one per page: 10,000 credentials listed ~12 ms sooner, fewer decrypted
        pages held at once."""
        with self._locked_conn() as conn:
            size = conn.execute("PRAGMA cache_size").fetchone()[0]
            conn.execute(f"PRAGMA cache_size = {SCAN_CACHE_PAGES}")
            try:
                return self.query(sql, params)
            finally:
                if self._conn is conn:   # (a damaged page locks the store inside query)
                    conn.execute(f"PRAGMA cache_size = {int(size)}")

    def get_setting(self, name: str, default: str | None = None) -> str | None:
        row = self.query_one("SELECT value FROM settings WHERE name = ?", (name,))
        return row[0] if row else default

    def set_setting(self, name: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO settings(name, value) VALUES (?, ?) "
                         "ON CONFLICT(name) DO UPDATE SET value = excluded.value", (name, value))

    # ---- migrations ----------------------------------------------------------------

    def _migrate(self) -> None:
        conn = self._conn
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema.LATEST:
            raise VaultError(f"This vault has schema version {version}, made by a newer Blocktrack "
                             f"Vault (this one knows up to {schema.LATEST}). Update the app to open it.")
        for target in range(version + 1, schema.LATEST + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(schema.MIGRATIONS[target - 1]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target}")
            except database.DatabaseError as exc:
                conn.execute("ROLLBACK")
                raise VaultError(f"Upgrading the vault to schema version {target} failed ({exc}); "
                                 "nothing was changed. Please report this.") from exc
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # ---- passphrase change ---------------------------------------------------------

    def change_passphrase(self, current: str, new: str, *, kdf_target: float | None = None) -> None:
        """Re-encrypt under a new passphrase (and, given ``kdf_target``, re-tuned KDF cost).

        Crash-safe: see the module docstring.
        """
        check_new_passphrase(new)
        with self._locked_conn() as conn:
            self._check_before_writing()
            if not self.check_passphrase(current):
                raise WrongPassphrase("The current passphrase is wrong; nothing was changed.")
            old = self.header
            params = tune(kdf_target) if kdf_target is not None else old.kdf.with_new_salt()
            new_key = derive_key(new, params)
            new_header = old.next_generation(params, new_key)
            target = self.data_dir / new_header.database_name
            for leftover in self.data_dir.glob(new_header.database_name + "*"):
                leftover.unlink()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            _create_private_file(target)
            database.export(conn, target, new_key, version)
            _checkpoint("exported")
            check = database.connect(target, new_key)
            try:
                errors = database.integrity_errors(check, structure=True)
                check.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                check.close()
            if errors:
                target.unlink()
                raise CorruptVault("Re-encrypting the vault failed its check; nothing was changed.")
            fsync_file(target)
            fsync_dir(self.data_dir)
            _checkpoint("before-header")
            new_header.write(self.data_dir)  # the commit point
            _checkpoint("after-header")
            self.lock()
            self._header = new_header
            self._open_with_key(new_key)

    # ---- backup and restore ----------------------------------------------------------

    def backup(self, out: Path) -> Path:
        """Write an encrypted backup (same passphrase) to ``out``, atomically."""
        import tempfile   # start-up: ~4 ms with zipfile, for backups only
        import zipfile
        out = Path(out)
        with self._locked_conn() as conn, tempfile.TemporaryDirectory(prefix="btv-backup-") as tmp:
            self._check_before_writing()   # never a backup of a damaged vault
            snapshot = Path(tmp) / "snapshot.db"
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            database.export(conn, snapshot, bytes(self._key), version)
            # A fresh random name opened O_EXCL|O_NOFOLLOW (0600): never through a planted symlink.
            fd, name = tempfile.mkstemp(prefix=f".{out.name}.partial-", dir=out.parent)
            partial = Path(name)
            try:
                with os.fdopen(fd, "wb") as fh:
                    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED) as zf:
                        zf.comment = BACKUP_MARKER.encode()
                        zf.writestr(BACKUP_HEADER, self.header.to_bytes())
                        zf.write(snapshot, BACKUP_DATABASE)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(partial, out)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    partial.unlink()
                raise
        fsync_dir(out.parent)
        return out

    @classmethod
    def restore_backup(cls, backup: Path, data_dir: Path, passphrase: str) -> "VaultStore":
        """Restore a backup into an empty data folder and unlock it with its passphrase."""
        data_dir = Path(data_dir)
        if data_dir.exists() and any(p.name != LOG_FOLDER for p in data_dir.iterdir()):  # the log may be there
            raise VaultExists(f"{data_dir} is not empty; restore a backup only into an empty folder.")
        header, db_bytes = read_backup(Path(backup))
        key = derive_key(passphrase, header.kdf)
        if not header.key_matches(key):
            raise WrongPassphrase("Wrong passphrase for this backup (it is the passphrase the vault "
                                  "had when the backup was made).")
        ensure_private_dir(data_dir)
        db_path = data_dir / header.database_name
        try:
            fd = os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            with os.fdopen(fd, "wb") as fh:
                fh.write(db_bytes)
                fh.flush()
                os.fsync(fh.fileno())
            store = cls(data_dir)
            store._header = header
            store._open_with_key(key)
            header.write(data_dir)
        except BaseException:
            for path in data_dir.iterdir():
                if path.name != LOG_FOLDER:
                    path.unlink()
            raise
        return store


# ---- a vault set aside --------------------------------------------------------------

ASIDE_PREFIX = "replaced-vault-"
_VAULT_FILES = ("vault-*.db*", f".{HEADER_NAME}.tmp-*", HEADER_NAME)   # the header last (see set_aside)


@contextlib.contextmanager
def vault_set_aside(data_dir: Path) -> Iterator[Path | None]:
    """Move the vault of ``data_dir`` (its files, untouched) into a new sub-folder
    ``replaced-vault-<time>-…`` for the block, which makes a new vault in its place
    (restoring from the recovery phrase when the passphrase is forgotten). Yields that
    folder (None if there was no vault). Nothing is deleted: if the block fails, its
    half-made vault is removed and the old one is moved back.

    Each file is renamed (atomic, same file system); the header moves last, so a crash
    in between leaves a folder that says its database is missing, next to the aside
    folder that holds it."""
    data_dir = Path(data_dir)
    if not VaultStore.exists_in(data_dir):
        yield None
        return
    import tempfile   # start-up: see backup
    aside = Path(tempfile.mkdtemp(prefix=ASIDE_PREFIX + datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-"),
                                  dir=data_dir))
    _move_vault_files(data_dir, aside)
    try:
        _checkpoint("set-aside")
        yield aside
    except BaseException:
        VaultStore(data_dir).destroy()   # only a half-made new vault is there now
        _move_vault_files(aside, data_dir)
        aside.rmdir()
        raise


def _move_vault_files(source: Path, target: Path) -> None:
    for pattern in _VAULT_FILES:
        for path in sorted(source.glob(pattern)):
            os.replace(path, target / path.name)
    fsync_dir(target)
    fsync_dir(source)


def _create_private_file(path: Path) -> None:
    """An empty 0600 file for SQLite to fill: it is never readable by others, not even
    for a moment, and SQLite gives its -wal and -shm files the same mode."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def read_backup(path: Path) -> tuple[Header, bytes]:
    import zipfile   # start-up: see backup
    damaged = f"The backup file {path.name} is damaged or is not a Blocktrack Vault backup."
    try:
        with zipfile.ZipFile(path) as zf:
            if zf.comment != BACKUP_MARKER.encode() or zf.testzip() is not None:
                raise CorruptVault(damaged)
            header = Header.from_bytes(zf.read(BACKUP_HEADER))
            return header, zf.read(BACKUP_DATABASE)
    except FileNotFoundError:
        raise VaultNotFound(f"There is no backup file at {path}.") from None
    except CorruptVault as exc:
        raise CorruptVault(damaged) from exc
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError,
            # One flipped bit in a zip's flags, version or compression-method field makes
            # zipfile raise these instead (an "encrypted" entry -> RuntimeError, unknown
            # method or version -> NotImplementedError, stored bytes read as deflated ->
            # zlib.error): damage all the same, and it must say CorruptVault.
            RuntimeError, NotImplementedError, zlib.error) as exc:
        raise CorruptVault(damaged) from exc


def _split_sql(script: str) -> list[str]:
    """Migrations hold plain DDL with no ';' inside statements."""
    return [s.strip() for s in script.split(";") if s.strip()]
