"""What the vault knows about its credentials' soulbound tokens, kept so that a card can
say "anchored on chain" or "revoked on chain" without a network (schema v5).

The chain is asked in three cheap ways, never once per stored credential:
- ``refresh``: the tokens issued to the vault's own accounts (``tokensOf``), matched to
  stored credentials by their on-chain hash (keccak-256 of the exact bytes, computed once
  per credential and kept in ``credentials.chain_hash``);
- ``check``: one credential, on request (the detail view, and after the vault's own
  issue or revoke is mined).

Every answer is stored per chain id: another network has other tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from . import soulbound

ANCHORED, REVOKED, NOT_ANCHORED = soulbound.ANCHORED, soulbound.REVOKED, soulbound.NOT_ANCHORED


@dataclass(frozen=True)
class AnchorState:
    credential_id: str
    credential_hash: str
    token_id: int
    holder: str
    issuer: str
    revoked: bool
    issued_at: str | None
    revoked_at: str | None
    checked_at: str

    @property
    def status(self) -> str:
        return REVOKED if self.revoked else ANCHORED

    @property
    def sentence(self) -> str:
        return soulbound.anchor_sentence(self.status)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def fill_hashes(store, *, batch: int = 500) -> int:
    """Compute ``chain_hash`` for credentials that lack it (new since the last time);
    returns how many. Reads the originals in batches, writes once per batch."""
    done = 0
    while True:
        rows = store.query("SELECT id, original FROM credentials WHERE chain_hash IS NULL LIMIT ?", (batch,))
        if not rows:
            return done
        with store.transaction() as conn:
            conn.executemany("UPDATE credentials SET chain_hash = ? WHERE id = ?",
                             [("0x" + soulbound.credential_hash(bytes(original)).hex(), cid)
                              for cid, original in rows])
        done += len(rows)


def record_tokens(store, chain_id: int, tokens: list[dict]) -> None:
    """Store tokens as ``soulbound.token`` returns them."""
    if not tokens:
        return
    now = _now()
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO credential_anchors (chain_id, credential_hash, token_id, holder, issuer, revoked, "
            "issued_at, revoked_at, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (chain_id, credential_hash) DO UPDATE SET token_id = excluded.token_id, "
            "holder = excluded.holder, issuer = excluded.issuer, revoked = excluded.revoked, "
            "issued_at = excluded.issued_at, revoked_at = excluded.revoked_at, checked_at = excluded.checked_at",
            [(chain_id, t["credential_hash"].lower(), t["token_id"], t["holder"], t["issuer"], int(t["revoked"]),
              t["issued_at"], t["revoked_at"], now) for t in tokens])


def _forget(store, chain_id: int, credential_hash: str) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM credential_anchors WHERE chain_id = ? AND credential_hash = ?",
                     (chain_id, credential_hash.lower()))


_SELECT = ("SELECT c.id, a.credential_hash, a.token_id, a.holder, a.issuer, a.revoked, a.issued_at, a.revoked_at, "
           "a.checked_at FROM credential_anchors a JOIN credentials c ON c.chain_hash = a.credential_hash "
           "WHERE a.chain_id = ?")


def _state(row) -> AnchorState:
    return AnchorState(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6], row[7], row[8])


def states(store, chain_id: int) -> dict[str, AnchorState]:
    """Every stored credential known to be anchored (or revoked) on ``chain_id``."""
    return {row[0]: _state(row) for row in store.query(_SELECT, (chain_id,))}


def state_of(store, chain_id: int, credential_id: str) -> AnchorState | None:
    row = store.query_one(_SELECT + " AND c.id = ?", (chain_id, credential_id))
    return _state(row) if row else None


def chosen_chain_id(data_dir) -> int:
    """The chain id of the network the data folder uses, without contacting it (the
    embedded chain's, or the one in the RPC network's manifest)."""
    from . import networks
    from .embedded import EMBEDDED_CHAIN_ID

    profile = networks.load_profile(data_dir)
    if profile.kind == networks.EMBEDDED:
        return EMBEDDED_CHAIN_ID
    return networks.Manifest.load(profile.manifest).chain_id


def stored_states(store, data_dir) -> tuple[int, dict[str, AnchorState]]:
    """Offline: what was learned last time on the network chosen now."""
    chain_id = chosen_chain_id(data_dir)
    return chain_id, states(store, chain_id)


def refresh(chain, store, accounts: list[str]) -> dict[str, AnchorState]:
    """Ask the chain for the tokens of ``accounts``, store them, return ``states``."""
    fill_hashes(store)
    record_tokens(store, chain.chain_id, soulbound.scan(chain, accounts))
    return states(store, chain.chain_id)


def holder_view(chain, store, accounts: list[str]) -> tuple[int, dict[str, AnchorState], list[str]]:
    """What the credentials page needs from the chain: its id, the stored credentials'
    anchor states (``refresh``), and which of ``accounts`` may anchor (the issuer role)."""
    states = refresh(chain, store, accounts)
    return chain.chain_id, states, [a for a in accounts if soulbound.is_issuer(chain, a)]


def check(chain, store, credential_id: str) -> AnchorState | None:
    """Ask the chain about one stored credential (whoever holds its token); None when
    it is not anchored on this chain."""
    fill_hashes(store)
    row = store.query_one("SELECT chain_hash FROM credentials WHERE id = ?", (credential_id,))
    if row is None:
        return None
    chash = row[0]
    token_id, _, _ = chain.contracts.soulbound.functions.tokenOfCredential(bytes.fromhex(chash[2:])).call()
    if not token_id:
        _forget(store, chain.chain_id, chash)
        return None
    record_tokens(store, chain.chain_id, [soulbound.token(chain, token_id)])
    return state_of(store, chain.chain_id, credential_id)
