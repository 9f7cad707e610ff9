"""The one service for every write to the chain.

    request = service.btk_transfer(sender, to, amount)      # or contract_call(...)
    preview = service.preview(request)    # what it does, amounts, gas, fee; checks funds
    record = service.send(preview)        # sign locally, send, wait, decode: a TxRecord

Every transaction the vault signs is in the history table of the vault (schema 4):
inserted as ``pending`` before it is broadcast, then updated to what became of it:

  success    mined, status 1 (events decoded)
  reverted   mined, status 0 (the reason decoded by replaying it on the parent block)
  rejected   the node refused it (never on chain)
  dropped    the node forgot it and its nonce is still free: it will not be mined as is
  replaced   another transaction with the same nonce was mined instead

A transaction still pending when the app stops is picked up by ``recover()`` on the next
start. Nonces come from one queue per account (``NonceManager``): two quick sends from
the same account, even from two threads, get consecutive nonces.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Callable

from ..errors import ChainError, FeeRoseError
from . import fees
from .client import Chain, revert_error
from .fees import fit_to_confirmed
from .nonces import NONCES, NonceManager
from .plan import Confirmation, Plan
from .records import _COLUMNS, TxRecord, get_record, history  # noqa: F401 - the history, read here too
from .revert import is_revert, revert_data
from .units import format_units

logger = logging.getLogger(__name__)

ETH = 10**18
DEFAULT_WAIT = 120.0  # seconds before wait() gives up (the transaction stays pending)
DROPPED_AFTER = 1.0  # seconds a sent transaction may be unknown to the node before "dropped"
STATUSES = ("pending", "success", "reverted", "rejected", "dropped", "replaced")
# A node estimates on the latest block's state; mined in a later block, a write that moves
# votes appends new ERC-5805 checkpoints (a fresh storage slot each for the two delegates)
# where the estimate only updated the latest block's: up to 2 x 22,100 gas more.
CHECKPOINT_GAS = 45_000


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _jsonable(value):
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, bool) or value is None or isinstance(value, (str, float)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "hex") and callable(value.hex):  # HexBytes and the like
        return "0x" + bytes(value).hex()
    return str(value)


@dataclass
class TxRequest:
    """A write before it is signed."""

    kind: str  # "eth-transfer", "btk-transfer", "btk-approve", ... (free text, for history and UI)
    sender: str
    to: str | None
    data: bytes = b""
    value: int = 0  # wei of ETH sent along
    description: str = ""  # what it does, in words
    params: dict = field(default_factory=dict)  # for the history
    btk_amount: int = 0  # BTK (wei) the sender must hold for it
    gas: int | None = None  # a fixed gas limit: skips the estimate (and its revert check)
    # Gas added to the node's estimate wherever the limit is fixed (with_gas_margin): by the
    # builder, or before a later step is signed. Each request carries its own: the staking
    # pool's reward accrual is not a soulbound anchor's vote checkpoint.
    margin: int = CHECKPOINT_GAS


def with_gas_margin(chain: Chain, request: TxRequest, extra: int | None = None) -> TxRequest:
    """Fix ``request``'s gas limit (when it has none) at the node's estimate plus its
    margin (``extra``, when given, becomes its margin). The estimate still raises
    ChainError with the decoded revert reason. Returns the request."""
    if extra is not None:
        request.margin = extra
    if request.gas is None:
        estimate = chain.estimate({"from": request.sender, "to": request.to, "data": request.data,
                                   "value": request.value})
        request.gas = estimate.gas_limit + request.margin
    return request


@dataclass
class Preview:
    request: TxRequest
    network: str
    chain_id: int
    block: int  # the chain's block when previewed
    gas_estimate: int
    gas_limit: int
    max_fee_per_gas: int
    max_priority_fee_per_gas: int
    base_fee: int
    eth_balance: int
    btk_balance: int | None

    @property
    def fee_estimate(self) -> int:
        """Wei the network fee is expected to be (gas used x (base fee + tip))."""
        return self.gas_estimate * min(self.base_fee + self.max_priority_fee_per_gas, self.max_fee_per_gas)

    @property
    def max_fee(self) -> int:
        """Wei the network fee can be at most (gas limit x max fee per gas)."""
        return self.gas_limit * self.max_fee_per_gas

    def lines(self) -> list[str]:
        r = self.request
        out = [f"What:     {r.description or r.kind}",
               f"From:     {r.sender}",
               f"Network:  {self.network} (chain {self.chain_id})"]
        if r.to:
            out.append(f"Contract: {r.to}" if r.data else f"To:       {r.to}")
        if r.btk_amount:
            out.append(f"Amount:   {format_units(r.btk_amount, 'BTK')}")
        if r.value:
            out.append(f"Sends:    {format_units(r.value, 'ETH')}")
        out.append(f"Gas:      about {self.gas_estimate:,} (limit {self.gas_limit:,})")
        out.append(f"Fee:      about {fees.eth(self.fee_estimate)} (at most {fees.eth(self.max_fee)})")
        return out

    def text(self) -> str:
        return "\n".join(self.lines())

    def to_json(self) -> dict:
        r = self.request
        return {"kind": r.kind, "description": r.description, "sender": r.sender, "to": r.to,
                "value": str(r.value), "btk_amount": str(r.btk_amount), "params": _jsonable(r.params),
                "network": self.network, "chain_id": self.chain_id, "gas_estimate": self.gas_estimate,
                "gas_limit": self.gas_limit, "max_fee_per_gas": str(self.max_fee_per_gas),
                "max_priority_fee_per_gas": str(self.max_priority_fee_per_gas),
                "fee_estimate": str(self.fee_estimate), "max_fee": str(self.max_fee),
                "eth_balance": str(self.eth_balance),
                "btk_balance": None if self.btk_balance is None else str(self.btk_balance)}


# ---- the service ------------------------------------------------------------------------

class TxService:
    """Preview, sign, send, wait for and remember transactions of the vault's accounts."""

    def __init__(self, chain: Chain, store, keys: Callable[[str], bytes], *,
                 nonces: NonceManager | None = None):
        """``store``: the unlocked VaultStore (history); ``keys``: address -> private key
        (``Identity.eth_private_key``)."""
        self.chain = chain
        self.store = store
        self._keys = keys
        self._accounts: dict[str, object] = {}
        self.nonces = nonces or NONCES
        self._event_index = None

    @classmethod
    def for_identity(cls, chain: Chain, identity, *, recover: bool = True) -> "TxService":
        service = cls(chain, identity.store, identity.eth_private_key)
        if recover:
            service.recover()
        return service

    def _account(self, address: str):
        # start-up: eth_account ~450 ms, only to sign
        from eth_account import Account

        key = address.lower()
        if key not in self._accounts:
            self._accounts[key] = Account.from_key(self._keys(self.chain.w3.to_checksum_address(address)))
        return self._accounts[key]

    # ---- building requests

    def eth_transfer(self, sender: str, to: str, amount: int) -> TxRequest:
        to = self.chain.w3.to_checksum_address(to)
        return TxRequest("eth-transfer", self._checksum(sender), to, value=amount,
                         description=f"Send {format_units(amount, 'ETH')} to {to}",
                         params={"to": to, "amount": str(amount)})

    def btk_transfer(self, sender: str, to: str, amount: int) -> TxRequest:
        token = self.chain.contracts.token
        to = self.chain.w3.to_checksum_address(to)
        return TxRequest("btk-transfer", self._checksum(sender), token.address,
                         data=bytes.fromhex(token.encode_abi("transfer", [to, amount])[2:]),
                         description=f"Send {format_units(amount, 'BTK')} to {to}",
                         params={"to": to, "amount": str(amount)}, btk_amount=amount)

    def contract_call(self, kind: str, contract, fn_name: str, args: list, sender: str, *,
                      description: str = "", params: dict | None = None, value: int = 0,
                      btk_amount: int = 0) -> TxRequest:
        """A call of ``contract.fn_name(*args)`` (a web3 contract of the suite)."""
        data = contract.encode_abi(fn_name, list(args))
        return TxRequest(kind, self._checksum(sender), contract.address, data=bytes.fromhex(data[2:]),
                         value=value, description=description or f"{fn_name} on {contract.address}",
                         params=params if params is not None else {"function": fn_name, "args": _jsonable(args)},
                         btk_amount=btk_amount)

    def _checksum(self, address: str) -> str:
        return self.chain.w3.to_checksum_address(address)

    # ---- preview

    def preview(self, request: TxRequest) -> Preview:
        """Gas, fee and funds for ``request``; raises ChainError when it cannot succeed
        (revert with its decoded reason, insufficient ETH or BTK)."""
        chain = self.chain
        sender = request.sender
        base_fee, max_fee, tip = chain.fee_quote()
        eth = chain.eth_balance(sender)
        btk = None
        # With an estimate, a BTK shortfall shows as the token's ERC20InsufficientBalance
        # revert (reason insufficient-btk), with the same figures and one call fewer.
        if request.btk_amount and request.gas:
            btk = chain.btk_balance(sender)
            if btk < request.btk_amount:
                raise ChainError("insufficient-btk", f"Not enough BTK: {sender} holds {format_units(btk, 'BTK')}, "
                                                     f"this needs {format_units(request.btk_amount, 'BTK')}.",
                                 balance=str(btk), needed=str(request.btk_amount))
        if eth < request.value:
            raise ChainError("insufficient-eth", f"Not enough ETH: {sender} holds {format_units(eth, 'ETH')}, "
                                                 f"this sends {format_units(request.value, 'ETH')}.",
                             balance=str(eth), needed=str(request.value))
        if request.gas:
            estimate_used, limit = request.gas, request.gas
        else:
            estimate = chain.estimate({"from": sender, "to": request.to, "data": request.data,
                                       "value": request.value})
            estimate_used, limit = estimate.gas_used, estimate.gas_limit
        worst = request.value + limit * max_fee
        if eth < worst:
            sent = f", plus {format_units(request.value, 'ETH')} sent" if request.value else ""
            raise ChainError("insufficient-eth", f"Not enough ETH for the network fee: {sender} holds "
                                                 f"{format_units(eth, 'ETH')}, this needs up to "
                                                 f"{format_units(worst, 'ETH')} ({limit:,} gas at up to "
                                                 f"{max_fee / 1e9:.9g} gwei{sent}).",
                             balance=str(eth), needed=str(worst))
        return Preview(request, chain.name, chain.chain_id, chain.block_number, estimate_used, limit, max_fee, tip,
                       base_fee, eth, btk)

    # ---- send

    def send(self, request: TxRequest | Preview, *, wait: bool = True, timeout: float = DEFAULT_WAIT,
             max_fee: int | None = None, max_fee_per_gas: int | None = None) -> TxRecord:
        """Sign with the vault's key and broadcast; with ``wait``, return once mined.

        ``max_fee`` (default: the preview's) is the most the person confirmed: gas x max fee
        per gas is never signed above it (nor the fee per gas above ``max_fee_per_gas``).
        When the chain moved since the preview and the network now asks more, FeeRoseError
        carries the new quote and nothing is signed. A revert on chain raises
        ChainError("reverted") after the history is updated."""
        preview = request if isinstance(request, Preview) else self.preview(request)
        confirmed = preview.max_fee if max_fee is None else max_fee
        if preview.chain_id != self.chain.chain_id:
            raise ChainError("chain-id-mismatch", "This preview was made on another network; preview again.")
        if preview.block != self.chain.block_number:  # the chain moved on: check again
            preview = self.preview(preview.request)
        preview = fit_to_confirmed(preview, confirmed, max_fee_per_gas)
        req = preview.request
        account = self._account(req.sender)
        with self.nonces.reserve(self.chain, req.sender) as slot:
            fields = {"type": 2, "chainId": self.chain.chain_id, "nonce": slot.nonce, "value": req.value,
                      "data": req.data, "gas": preview.gas_limit, "maxFeePerGas": preview.max_fee_per_gas,
                      "maxPriorityFeePerGas": preview.max_priority_fee_per_gas}
            if req.to:
                fields["to"] = req.to
            signed = account.sign_transaction(fields)
            tx_hash = "0x" + bytes(signed.hash).hex()
            # Recorded before it leaves: a crash after the broadcast cannot lose it.
            record = self._insert(tx_hash, req, slot.nonce, preview, bytes(signed.raw_transaction))
            try:
                self.chain.send_raw(bytes(signed.raw_transaction))
            except ChainError as exc:
                # This very transaction reached the node before (a resend): it is sent.
                if exc.reason != "already-known" or self.chain.find_transaction(tx_hash) is None:
                    if exc.reason in ("node-unreachable", "timeout"):
                        # The node may have got it before the connection failed: it stays
                        # pending, and wait()/recover() find out what became of it.
                        self._update(record, error=f"Not confirmed as sent: {exc}", reason=exc.reason)
                    else:
                        self._update(record, status="rejected", error=str(exc), reason=exc.reason)
                    raise
            slot.sent = True
        if not wait:
            return record
        return self.wait(record, timeout=timeout)

    # ---- several transactions in order (an approval, then the action)

    def preview_steps(self, requests: list[TxRequest]) -> list[Preview | None]:
        """Previews for a sequence: the first always; a later one only while it carries a
        fixed gas placeholder (it depends on the ones before being mined, an approval, so
        the node cannot estimate it yet); None for the rest. ``send_steps`` estimates
        every later one again before signing it."""
        if not requests:
            raise ChainError("nothing-to-do", "There is nothing to send.")
        return [self.preview(requests[0])] + [self.preview(r) if r.gas is not None else None
                                              for r in requests[1:]]

    def send_steps(self, requests: list[TxRequest], previews: list[Preview | None] | None = None, *,
                   margin: Callable | None = None, wait: bool = True,
                   on_step: Callable[[int, str, str], None] | None = None) -> list[TxRecord]:
        """Send ``requests`` in order, each mined before the next is signed. The first goes
        as previewed (``previews[0]``, else previewed now); each later one is estimated
        again once the ones before are mined, with its own margin (``TxRequest.margin``;
        ``margin(service, request)`` instead, when given), so a step that would now fail
        is refused with its reason before it is signed. ``on_step(index, stage, detail)``:
        "signing", "sent" (hash), "mined" (block), for progress. Without ``wait`` the last
        step's record is returned once it is sent (pending), the ones before still mined.

        Fees: each step within the maximum of its preview, a later step that had none at
        no more per gas than the first step's; else FeeRoseError with ``step`` and the
        ``records`` sent before it (send_steps(requests[step:], [exc.preview, ...]) goes on)."""
        if margin is None:
            def margin(service, request):
                return with_gas_margin(service.chain, request)
        step = on_step or (lambda *_: None)
        shown = list(previews or [])
        shown += [None] * (len(requests) - len(shown))
        records = []
        for i, request in enumerate(requests):
            if i == 0:
                preview = shown[0] = shown[0] or self.preview(request)
            else:
                request.gas = None
                preview = self.preview(margin(self, request))
            confirmed = shown[i].max_fee if shown[i] is not None else None
            step(i, "signing", "")
            try:
                record = self.send(preview, wait=False, max_fee=confirmed,
                                   max_fee_per_gas=None if shown[i] is not None else shown[0].max_fee_per_gas)
            except FeeRoseError as exc:
                exc.step, exc.records = i, records
                raise
            step(i, "sent", record.hash)
            if not wait and i == len(requests) - 1:
                records.append(record)
                break
            record = self.wait(record)
            step(i, "mined", str(record.block))
            records.append(record)
        return records

    # ---- a plan: preview, ask, send

    def run(self, plan: Plan, *, confirm: Callable[[Confirmation], bool],
            progress: Callable[[int, str, str], None] | None = None, wait: bool = True) -> list[TxRecord] | None:
        """Every write of the app and the CLI: preview the steps of ``plan``, ask
        ``confirm(Confirmation)``, then send them in order (send_steps). None when the
        answer is no: nothing was signed. When the network fee rose after the yes
        (FeeRoseError), ``confirm`` is asked again with the new figures (``rose``): yes
        sends the steps left at them, no raises the FeeRoseError (``records``: every step
        sent before). ``progress(index, stage, detail)`` as send_steps' ``on_step``, the
        index counting from the first step of the last confirmation; ``wait`` as send_steps'."""
        requests = list(plan.requests)
        ask = Confirmation(plan, requests, self.preview_steps(requests))
        if not confirm(ask):
            return None
        done: list[TxRecord] = []
        while True:
            try:
                return done + self.send_steps(ask.requests, ask.previews, on_step=progress, wait=wait)
            except FeeRoseError as exc:
                done += exc.records
                exc.records = list(done)
                if exc.preview is None:
                    raise
                ask = Confirmation(plan, [exc.preview.request] + ask.requests[exc.step + 1:],
                                   [exc.preview] + list(ask.previews[exc.step + 1:]), list(done), exc)
                if not confirm(ask):
                    raise

    def resend(self, tx_hash: str) -> TxRecord:
        """Broadcast a dropped transaction's signed bytes again (same nonce: it can never
        run twice)."""
        record = self.get(tx_hash)
        if record.status not in ("dropped", "pending"):
            raise ChainError("not-pending", f"Transaction {tx_hash} is {record.status}; only a dropped or "
                                            "pending transaction can be sent again.")
        raw = self.store.query_one("SELECT raw FROM chain_transactions WHERE hash = ?", (record.hash,))[0]
        try:
            self.chain.send_raw(bytes(raw))
        except ChainError as exc:
            if exc.reason != "already-known":  # the node still has it: as good as sent
                raise
        return self._update(record, status="pending", error=None, reason=None)

    # ---- wait and recover

    def wait(self, tx_hash: str | TxRecord, *, timeout: float = DEFAULT_WAIT) -> TxRecord:
        """Until the transaction is mined, replaced or dropped; returns its record, or
        raises ChainError (reverted, replaced, dropped, timeout) with the history updated."""
        record = tx_hash if isinstance(tx_hash, TxRecord) else self.get(tx_hash)
        deadline = time.monotonic() + timeout
        missing_since = None
        delay = 0.0
        while True:
            record, missing = self._check(record, final_check=False)
            if record.status != "pending":
                return self._raise_if_failed(record)
            now = time.monotonic()
            if missing:
                missing_since = missing_since or now
                if now - missing_since >= DROPPED_AFTER:
                    record, _ = self._check(record, final_check=True)
                    return self._raise_if_failed(record)
            else:
                missing_since = None
            if now >= deadline:
                raise ChainError("timeout", f"Transaction {record.hash} is not mined after {timeout:g} s; it "
                                            "stays in the history as pending and is checked again later.",
                                 tx_hash=record.hash)
            time.sleep(delay)
            delay = min(max(delay * 2, 0.01), 1.0)

    def recover(self) -> list[TxRecord]:
        """Settle this chain's pending transactions (after a restart); returns the ones
        whose status changed."""
        changed = []
        for record in self.history(status="pending", chain_id=self.chain.chain_id):
            updated, _ = self._check(record, final_check=True)
            if updated.status != "pending":
                changed.append(updated)
        return changed

    def _check(self, record: TxRecord, *, final_check: bool) -> tuple[TxRecord, bool]:
        """Look the transaction up once. Returns (record, missing): ``missing`` when the
        node does not know it and its nonce is free. With ``final_check`` a missing one is
        marked dropped."""
        chain = self.chain
        receipt = chain.receipt(record.hash)
        if receipt is not None:
            return self._settle(record, receipt), False
        if chain.nonce(record.sender, "latest") > record.nonce:
            receipt = chain.receipt(record.hash)  # mined between the two questions?
            if receipt is not None:
                return self._settle(record, receipt), False
            return self._update(record, status="replaced", reason="replaced",
                                error=f"Another transaction from {record.sender} with the same nonce "
                                      f"({record.nonce}) was mined instead (sped up or cancelled elsewhere?): "
                                      "this one will never be mined and cost nothing."), False
        if chain.find_transaction(record.hash) is not None:
            return record, False  # still waiting in the node's pool
        if final_check:
            return self._update(record, status="dropped", reason="dropped",
                                error=f"The node no longer knows this transaction and its nonce ({record.nonce}) "
                                      "is still free: it was not mined and cost nothing. Send it again, or do "
                                      "the action again."), True
        return record, True

    def _settle(self, record: TxRecord, receipt) -> TxRecord:
        fee = receipt.gasUsed * receipt.get("effectiveGasPrice", 0)
        if receipt.status == 1:
            return self._update(record, status="success", block=receipt.blockNumber, gas_used=receipt.gasUsed,
                                fee=fee, error=None, reason=None, events=self.decode_events(receipt))
        message, reason = self._mined_revert_reason(record, receipt)
        return self._update(record, status="reverted", block=receipt.blockNumber, gas_used=receipt.gasUsed,
                            fee=fee, error=message, reason=reason)

    def _mined_revert_reason(self, record: TxRecord, receipt) -> tuple[str, str]:
        """Why a mined transaction reverted: replayed as a call on its parent block."""
        tx = self.chain.find_transaction(record.hash)
        if tx is None:
            return "The transaction reverted on chain.", "reverted"
        call = {"from": tx["from"], "to": tx["to"], "data": tx["input"], "value": tx["value"], "gas": tx["gas"]}
        try:
            self.chain.w3.eth.call(call, receipt.blockNumber - 1)
        except ChainError:
            raise
        except Exception as exc:
            logger.debug("replaying a reverted transaction", exc_info=True)
            if is_revert(exc):
                error = revert_error(revert_data(exc))
                return str(error), error.reason
            return f"The transaction reverted on chain ({exc}).", "reverted"
        if receipt.gasUsed >= tx["gas"]:
            return "The transaction ran out of gas.", "out-of-gas"
        return "The transaction reverted on chain (replaying it did not; the state had changed).", "reverted"

    @staticmethod
    def _raise_if_failed(record: TxRecord) -> TxRecord:
        if record.status in ("success", "pending"):
            return record
        raise ChainError(record.reason or record.status, record.error or f"Transaction {record.status}.",
                         tx_hash=record.hash, status=record.status)

    # ---- events

    def decode_events(self, receipt) -> list[dict]:
        """The receipt's logs from suite contracts as {contract, event, args}."""
        if self.chain.manifest is None:
            return []
        if self._event_index is None:
            # start-up: eth_utils ~100 ms, only to decode a receipt's events
            from eth_utils import event_abi_to_log_topic

            index = {}
            for key, contract in self.chain.contracts.all():
                for item in contract.abi:
                    if item["type"] == "event":
                        index[(contract.address.lower(), event_abi_to_log_topic(item))] = (key, contract, item["name"])
            self._event_index = index
        events = []
        for log in receipt.logs:
            if not log["topics"]:
                continue
            found = self._event_index.get((log["address"].lower(), bytes(log["topics"][0])))
            if found is None:
                continue
            key, contract, name = found
            try:
                decoded = getattr(contract.events, name)().process_log(log)
            except Exception:  # an anonymous or mismatched log: skip it, keep the others
                logger.debug("a %s log did not decode as %s", key, name, exc_info=True)
                continue
            events.append({"contract": key, "event": name, "args": _jsonable(dict(decoded["args"]))})
        return events

    # ---- history

    def _insert(self, tx_hash: str, req: TxRequest, nonce: int, preview: Preview, raw: bytes) -> TxRecord:
        now = _now()
        params = _jsonable(req.params)
        with self.store.transaction() as conn:
            # The same signed bytes again (the same action after a failed broadcast, same
            # nonce and fee) have the same hash: that row is sent again, not a second one.
            inserted = conn.execute(
                f"INSERT INTO chain_transactions ({_COLUMNS}, raw) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO UPDATE SET "
                "kind = excluded.kind, description = excluded.description, params_json = excluded.params_json, "
                "status = 'pending', error = NULL, reason = NULL, created_at = excluded.created_at, "
                "updated_at = excluded.updated_at WHERE chain_transactions.status NOT IN ('success', 'reverted')",
                (tx_hash, self.chain.chain_id, self.chain.name, req.sender, nonce, req.kind,
                 req.description, json.dumps(params), req.to, str(req.value),
                 preview.gas_limit, str(preview.max_fee), "pending", None, None, None, None, None,
                 "[]", now, now, raw)).rowcount
        if not inserted:
            raise ChainError("already-mined", f"This exact transaction ({tx_hash}) is already mined; it was not "
                                              "sent again.", tx_hash=tx_hash)
        return TxRecord(tx_hash, self.chain.chain_id, self.chain.name, req.sender, nonce, req.kind, req.description,
                        params, req.to, req.value, preview.gas_limit, preview.max_fee, "pending", None, None, None,
                        None, None, [], now, now, preview.max_fee_per_gas, preview.max_priority_fee_per_gas)

    _UPDATABLE = {"status", "block", "gas_used", "fee", "error", "reason", "events"}

    def _update(self, record: TxRecord | str, **values) -> TxRecord:
        """Write ``values`` to the row; returns the updated record (built in memory when
        the caller passes the record it has)."""
        assert set(values) <= self._UPDATABLE, values
        tx_hash = record if isinstance(record, str) else record.hash
        columns, params = [], []
        for name, value in values.items():
            if name == "events":
                name, value = "events_json", json.dumps(value)
            elif name == "fee" and value is not None:
                value = str(value)
            columns.append(f"{name} = ?")
            params.append(value)
        now = _now()
        with self.store.transaction() as conn:
            conn.execute(f"UPDATE chain_transactions SET {', '.join(columns)}, updated_at = ? WHERE hash = ?",
                         (*params, now, tx_hash))
        if isinstance(record, str):
            return self.get(tx_hash)
        return replace(record, **values, updated_at=now)

    def get(self, tx_hash: str) -> TxRecord:
        return get_record(self.store, tx_hash)

    def history(self, *, limit: int | None = None, status: str | None = None,
                chain_id: int | None = None) -> list[TxRecord]:
        return history(self.store, limit=limit, status=status, chain_id=chain_id)
