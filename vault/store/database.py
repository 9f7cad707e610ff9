"""Open a SQLCipher 4 database with a raw 32-byte key and classify what goes wrong."""

from __future__ import annotations

from pathlib import Path

import sqlcipher3

from ..errors import CorruptVault

DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError   # a UNIQUE or foreign key constraint refused a write


def connect(path: Path, key: bytes) -> "sqlcipher3.Connection":
    """Open and key the database, proving it decrypts. Raises CorruptVault if it does not.

    Call only with a key already proven by the header's key check: then a database that
    will not decrypt is damaged, not locked with another passphrase.
    """
    if len(key) != 32:
        raise ValueError("SQLCipher raw keys are 32 bytes")
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA cipher_memory_security = ON")
        # Temporary tables and sort spills stay in memory: never a plaintext temp file.
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        # FULL: a commit is on disk when it returns, so a kill or a power cut keeps it.
        conn.execute("PRAGMA synchronous = FULL")
    except DatabaseError as exc:
        conn.close()
        raise CorruptVault(f"The vault database is damaged and cannot be decrypted ({exc}). "
                           "Restore it from a backup.") from exc
    return conn


# SQLITE_CORRUPT, SQLITE_NOTADB: what SQLCipher answers when a page it reads fails its HMAC
_DAMAGE_CODES = (11, 26)


def is_damage(exc: BaseException) -> bool:
    """True if ``exc`` is SQLCipher refusing a damaged page (not a bad statement)."""
    return isinstance(exc, DatabaseError) and getattr(exc, "sqlite_errorcode", None) in _DAMAGE_CODES


def integrity_errors(conn, *, structure: bool = False) -> list[str]:
    """Every page's HMAC (and with ``structure`` the b-trees); an empty list means intact.

    The HMAC check catches any changed byte. The structural check finds only what a
    bug could do, and costs twice as much, so unlock skips it.
    """
    try:
        errors = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
        if structure:
            errors += [row[0] for row in conn.execute("PRAGMA quick_check") if row[0] != "ok"]
    except DatabaseError as exc:
        return [str(exc)]
    return errors


def export(conn, target: Path, key: bytes, user_version: int) -> None:
    """Copy the whole database, WAL included, into a new file under ``key``."""
    conn.execute(f"ATTACH DATABASE ? AS export KEY \"x'{key.hex()}'\"", (str(target),))
    try:
        conn.execute("SELECT sqlcipher_export('export')").fetchall()
        conn.execute(f"PRAGMA export.user_version = {int(user_version)}")
    finally:
        conn.execute("DETACH DATABASE export")
