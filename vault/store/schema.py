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
    # 2: credentials — original bytes, verdict, display fields, tags, note; full-text index;
    #    trust list and cached DID documents / status lists for offline verification.
    """
    CREATE TABLE credentials (
        id          TEXT PRIMARY KEY,
        format      TEXT NOT NULL,
        issuer      TEXT NOT NULL DEFAULT '',
        issuer_name TEXT NOT NULL DEFAULT '',
        subject     TEXT NOT NULL DEFAULT '',
        types       TEXT NOT NULL DEFAULT '',
        title       TEXT NOT NULL DEFAULT '',
        valid_from  TEXT,
        valid_until TEXT,
        status      TEXT NOT NULL,
        checked_at  TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        tags        TEXT NOT NULL DEFAULT '[]',
        note        TEXT NOT NULL DEFAULT '',
        -- the bulky columns last: listing summaries never reads through them
        verdict     TEXT NOT NULL,
        search_text TEXT NOT NULL DEFAULT '',
        original    BLOB NOT NULL
    );
    CREATE INDEX credentials_issuer ON credentials(issuer, issuer_name);
    CREATE INDEX credentials_status ON credentials(status, imported_at);
    CREATE INDEX credentials_imported ON credentials(imported_at);
    CREATE INDEX credentials_title ON credentials(title COLLATE NOCASE);
    CREATE VIRTUAL TABLE credentials_fts USING fts5(
        title, issuer, types, claims, tags, note,
        content = '', contentless_delete = 1, prefix = '1 2 3', tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TABLE trusted_issuers (
        did      TEXT PRIMARY KEY,
        name     TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL
    );
    CREATE TABLE did_documents (
        did        TEXT PRIMARY KEY,
        document   TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE status_lists (
        url        TEXT PRIMARY KEY,
        content    BLOB NOT NULL,
        fetched_at TEXT NOT NULL
    );
    """,
    # 3: presentations log — every presentation made: to which domain, when, by which
    #    holder DID, which credentials and which of their claims (no payload, no signature).
    """
    CREATE TABLE presentations (
        id                TEXT PRIMARY KEY,
        created_at        TEXT NOT NULL,
        holder            TEXT NOT NULL,
        domain            TEXT NOT NULL,
        challenge         TEXT NOT NULL,
        kind              TEXT NOT NULL,
        credentials_json  TEXT NOT NULL,
        expires_at        TEXT NOT NULL
    );
    CREATE INDEX presentations_created ON presentations(created_at);
    CREATE INDEX presentations_domain ON presentations(domain);
    """,
    # 4: chain transaction history — every transaction the vault signed: on which chain,
    #    from which account with which nonce, what it does (kind, words, parameters), the
    #    signed bytes (public once sent; kept to re-send one a node dropped), and what
    #    became of it: pending | success | reverted | rejected | dropped | replaced.
    """
    CREATE TABLE chain_transactions (
        hash         TEXT PRIMARY KEY,
        chain_id     INTEGER NOT NULL,
        network      TEXT NOT NULL,
        sender       TEXT NOT NULL,
        nonce        INTEGER NOT NULL,
        kind         TEXT NOT NULL,
        description  TEXT NOT NULL DEFAULT '',
        params_json  TEXT NOT NULL DEFAULT '{}',
        to_address   TEXT,
        value        TEXT NOT NULL DEFAULT '0',
        gas_limit    INTEGER NOT NULL,
        max_fee      TEXT NOT NULL,
        raw          BLOB NOT NULL,
        status       TEXT NOT NULL,
        block        INTEGER,
        gas_used     INTEGER,
        fee          TEXT,
        error        TEXT,
        reason       TEXT,
        events_json  TEXT NOT NULL DEFAULT '[]',
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
    );
    CREATE INDEX chain_transactions_created ON chain_transactions(created_at);
    CREATE INDEX chain_transactions_status ON chain_transactions(status, chain_id);
    CREATE INDEX chain_transactions_nonce ON chain_transactions(chain_id, sender, nonce);
    """,
    # 5: soulbound anchors — what the vault last learned from each chain about the tokens
    #    anchoring credentials (so cards say "anchored on chain" offline), and each stored
    #    credential's on-chain hash (keccak-256 of its bytes, filled when first needed).
    """
    ALTER TABLE credentials ADD COLUMN chain_hash TEXT;
    CREATE INDEX credentials_chain_hash ON credentials(chain_hash);
    CREATE TABLE credential_anchors (
        chain_id        INTEGER NOT NULL,
        credential_hash TEXT NOT NULL,
        token_id        INTEGER NOT NULL,
        holder          TEXT NOT NULL,
        issuer          TEXT NOT NULL,
        revoked         INTEGER NOT NULL,
        issued_at       TEXT,
        revoked_at      TEXT,
        checked_at      TEXT NOT NULL,
        PRIMARY KEY (chain_id, credential_hash)
    );
    """,
    # 6: the desktop's trash — a credential deleted in the app waits here (encrypted like
    #    everything else) so that Undo can put it back until the app closes; ``session``
    #    is the app run that deleted it: a run that ended without emptying it (a crash) has
    #    its rows emptied at the next unlock.
    """
    CREATE TABLE credential_trash (
        id         TEXT PRIMARY KEY,
        session    TEXT NOT NULL,
        title      TEXT NOT NULL,
        tags       TEXT NOT NULL,
        note       TEXT NOT NULL,
        deleted_at TEXT NOT NULL,
        original   BLOB NOT NULL
    );
    """,
    # 7: issuer keys from the web and X.509 — where a cached DID or key document was fetched
    #    from (NULL: added by hand), so verifying offline can say "as fetched on ..."; and the
    #    certificate authorities the user trusts for SD-JWT VC certificate chains (x5c).
    """
    ALTER TABLE did_documents ADD COLUMN fetched_from TEXT;
    CREATE TABLE trust_anchors (
        fingerprint TEXT PRIMARY KEY,
        subject     TEXT NOT NULL,
        certificate BLOB NOT NULL,
        added_at    TEXT NOT NULL
    );
    """,
    # 8: issuing — the vault as an issuer: profiles (who signs: a DID from the vault's seed,
    #    on its own derivation branch, as did:key or did:web; the account that anchors),
    #    their OB 3.0 achievements, per profile a status list per purpose (the bits and the
    #    last signed list credential, served to our own verification offline), and the
    #    log of everything issued (the credential's bytes, its status index, whether it
    #    was anchored; no achievement for a credential given whole, through the VC-API).
    """
    CREATE TABLE issuer_profiles (
        id              INTEGER PRIMARY KEY,
        name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
        url             TEXT NOT NULL DEFAULT '',
        image           TEXT NOT NULL DEFAULT '',
        description     TEXT NOT NULL DEFAULT '',
        email           TEXT NOT NULL DEFAULT '',
        did             TEXT NOT NULL,
        did_method      TEXT NOT NULL,
        key_path        TEXT NOT NULL,
        key_index       INTEGER,
        anchor_account  TEXT NOT NULL DEFAULT '',
        status_base_url TEXT NOT NULL DEFAULT '',
        is_sample       INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL
    );
    CREATE UNIQUE INDEX issuer_profiles_key ON issuer_profiles(key_index);
    CREATE TABLE issuer_achievements (
        id               INTEGER PRIMARY KEY,
        profile_id       INTEGER NOT NULL REFERENCES issuer_profiles(id),
        uri              TEXT NOT NULL UNIQUE,
        name             TEXT NOT NULL COLLATE NOCASE,
        description      TEXT NOT NULL DEFAULT '',
        criteria         TEXT NOT NULL DEFAULT '',
        image            TEXT NOT NULL DEFAULT '',
        achievement_type TEXT NOT NULL DEFAULT 'Badge',
        alignment_json   TEXT NOT NULL DEFAULT '[]',
        tags_json        TEXT NOT NULL DEFAULT '[]',
        created_at       TEXT NOT NULL,
        UNIQUE (profile_id, name)
    );
    CREATE TABLE issuer_status_lists (
        profile_id INTEGER NOT NULL REFERENCES issuer_profiles(id),
        purpose    TEXT NOT NULL,
        url        TEXT NOT NULL UNIQUE,
        bits       BLOB NOT NULL,
        signed     BLOB NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (profile_id, purpose)
    );
    CREATE TABLE issued_credentials (
        id              TEXT PRIMARY KEY,
        profile_id      INTEGER NOT NULL REFERENCES issuer_profiles(id),
        achievement_id  INTEGER REFERENCES issuer_achievements(id),
        recipient       TEXT NOT NULL,
        format          TEXT NOT NULL,
        title           TEXT NOT NULL,
        status_index    INTEGER,
        status          TEXT NOT NULL DEFAULT 'active',
        note            TEXT NOT NULL DEFAULT '',
        batch           TEXT,
        valid_from      TEXT,
        valid_until     TEXT,
        issued_at       TEXT NOT NULL,
        anchor_chain_id INTEGER,
        anchor_tx       TEXT,
        anchor_token_id INTEGER,
        anchored_at     TEXT,
        content         BLOB NOT NULL,
        UNIQUE (profile_id, status_index)
    );
    CREATE INDEX issued_credentials_issued ON issued_credentials(issued_at);
    CREATE INDEX issued_credentials_recipient ON issued_credentials(recipient);
    """,
    # 9: `vault credential list` reads one covering index instead of every ~4 kB row (and
    #    the verdict's overflow pages): the verdict's status line gets a column of its own,
    #    written with the verdict, and the index holds every column a listed summary shows.
    """
    ALTER TABLE credentials ADD COLUMN status_line TEXT;
    UPDATE credentials SET status_line = json_extract(verdict, '$.status');
    CREATE INDEX credentials_list ON credentials(imported_at, id, format, issuer, issuer_name, subject, types,
                                                 title, valid_from, valid_until, status, checked_at, tags, note,
                                                 status_line);
    """,
    # 10: the issued log says who anchored a credential: its issuer's account (the default)
    #     or the DAO, by an executed proposal (vault/anchoring/dao_badge.py).
    """
    ALTER TABLE issued_credentials ADD COLUMN anchor_by_dao INTEGER NOT NULL DEFAULT 0;
    """,
]

LATEST = len(MIGRATIONS)
