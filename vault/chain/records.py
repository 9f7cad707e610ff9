"""The rows of the vault's transaction history (table ``chain_transactions``, schema 4) as
``TxRecord``s: reading them by hash or as a list. TxService (transactions.py) writes them.

The fee a transaction was signed with (max fee per gas, tip) is read back from its signed
bytes, which the row keeps: what is shown is what was signed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ..errors import NotFound
from .fees import eth, signed_fees


@dataclass
class TxRecord:
    """One row of the transaction history."""

    hash: str
    chain_id: int
    network: str
    sender: str
    nonce: int
    kind: str
    description: str
    params: dict
    to: str | None
    value: int
    gas_limit: int
    max_fee: int
    status: str
    block: int | None
    gas_used: int | None
    fee: int | None
    error: str | None
    reason: str | None
    events: list
    created_at: str
    updated_at: str
    max_fee_per_gas: int | None = None  # as signed (read back from the signed bytes)
    priority_fee_per_gas: int | None = None

    def to_json(self) -> dict:
        d = asdict(self)
        for key in ("value", "max_fee", "fee", "max_fee_per_gas", "priority_fee_per_gas"):
            d[key] = None if d[key] is None else str(d[key])
        return d

    def fee_note(self) -> str:
        """", fee 0.00004641 ETH" once mined (fees.eth, as every fee reads); "" before."""
        return "" if self.fee is None else f", fee {eth(self.fee)}"

    def line(self) -> str:
        where = f"block {self.block}" if self.block is not None else "not mined"
        text = f"{self.created_at}  {self.hash[:12]}…  {self.status:<9} {self.network:<12} {where:<13} " \
               f"{self.description}{self.fee_note()}"
        return text + (f"\n    {self.error}" if self.error else "")


_COLUMNS = ("hash, chain_id, network, sender, nonce, kind, description, params_json, to_address, value, "
            "gas_limit, max_fee, status, block, gas_used, fee, error, reason, events_json, created_at, updated_at")
_READ = _COLUMNS + ", raw"


def _record(row) -> TxRecord:
    (h, chain_id, network, sender, nonce, kind, description, params, to, value, gas_limit, max_fee, status,
     block, gas_used, fee, error, reason, events, created, updated, raw) = row
    per_gas, tip = signed_fees(raw) or (None, None)
    return TxRecord(h, chain_id, network, sender, nonce, kind, description, json.loads(params), to, int(value),
                    gas_limit, int(max_fee), status, block, gas_used, None if fee is None else int(fee), error,
                    reason, json.loads(events), created, updated, per_gas, tip)


def get_record(store, tx_hash: str) -> TxRecord:
    """One history row by hash (or a unique prefix of at least 6 hex digits)."""
    tx_hash = tx_hash.lower()
    if not tx_hash.startswith("0x"):
        tx_hash = "0x" + tx_hash
    rows = store.query(f"SELECT {_READ} FROM chain_transactions WHERE hash = ?", (tx_hash,))
    if not rows and len(tx_hash) >= 8:
        rows = store.query(f"SELECT {_READ} FROM chain_transactions WHERE hash LIKE ? LIMIT 2",
                           (tx_hash.replace("%", "").replace("_", "") + "%",))
        if len(rows) > 1:
            raise NotFound(f"{tx_hash} matches several transactions; give more of the hash.")
    if not rows:
        raise NotFound(f"No transaction {tx_hash} in this vault's history.")
    return _record(rows[0])


def history(store, *, limit: int | None = None, status: str | None = None,
            chain_id: int | None = None) -> list[TxRecord]:
    """History rows, newest first."""
    where, params = [], []
    if status:
        where.append("status = ?")
        params.append(status)
    if chain_id is not None:
        where.append("chain_id = ?")
        params.append(chain_id)
    sql = f"SELECT {_READ} FROM chain_transactions"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY created_at DESC, rowid DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [_record(r) for r in store.query(sql, params)]
