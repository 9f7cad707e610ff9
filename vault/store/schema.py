"""Schema versions of the encrypted database, kept in ``PRAGMA user_version``.

Each migration moves the schema from version N-1 to N and runs in one transaction, so a
crash mid-migration leaves the previous version intact. Append, never edit: a vault made
by any earlier release must still open.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: identity — settings, secrets (recovery phrase), DIDs and accounts.
    """
    CREATE TABLE settings (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE secrets (
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL
    );
    CREATE TABLE dids (
        did        TEXT PRIMARY KEY,
        method     TEXT NOT NULL,
        key_path   TEXT NOT NULL,
        key_index  INTEGER NOT NULL,
        name       TEXT NOT NULL DEFAULT '',
        is_default INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        UNIQUE (method, key_index)
    );
    CREATE TABLE accounts (
        address    TEXT PRIMARY KEY,
        key_path   TEXT NOT NULL,
        key_index  INTEGER NOT NULL UNIQUE,
        name       TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    """,
]

LATEST = len(MIGRATIONS)
