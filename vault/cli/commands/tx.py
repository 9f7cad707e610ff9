"""`vault tx ...`: transactions and the vault's history of them.

    vault tx send --to ADDR --amount X [--asset btk|eth] [--yes]  preview, then sign and send
    vault tx list | vault tx show HASH         the vault's transaction history
"""

from __future__ import annotations

from ...chain import fees, transactions, wallet
from ...chain.fees import signed_text
from ...chain.plan import as_plan
from ...chain.units import format_units
from ...errors import ChainError
from ..io import emit, say
from ..options import command, write_options
from ..session import address_arg, amount_arg, connect, open_session, run_plan, sender_of, unlocked


def cmd_tx_list(args) -> None:
    with unlocked(args) as identity:
        pending = transactions.history(identity.store, status="pending")
        if pending:  # settle them first, if the network answers; the list is shown anyway
            try:
                with connect(args, identity) as chain:
                    transactions.TxService(chain, identity.store, identity.eth_private_key).recover()
            except ChainError as exc:
                say(f"warning: pending transactions were not checked: {exc}")
        records = transactions.history(identity.store, status=args.status, limit=args.limit)
    emit(args, [r.to_json() for r in records],
         "\n".join(r.line() for r in records) or "No transactions yet.")


def cmd_tx_show(args) -> None:
    with unlocked(args) as identity:
        record = transactions.get_record(identity.store, args.hash)
    lines = [record.description or record.kind,
             f"  hash:     {record.hash}",
             f"  status:   {record.status}" + (f" in block {record.block}" if record.block is not None else ""),
             f"  network:  {record.network} (chain {record.chain_id})",
             f"  from:     {record.sender} (nonce {record.nonce})"]
    if record.to:
        lines.append(f"  to:       {record.to}")
    if record.value:
        lines.append(f"  value:    {format_units(record.value, 'ETH')}")
    if record.fee is not None:
        lines.append(f"  fee:      {fees.eth(record.fee)} ({record.gas_used:,} gas)")
    if signed_text(record):
        lines.append(f"  signed:   {signed_text(record)}")
    if record.error:
        lines.append(f"  error:    {record.error}")
    for event in record.events:
        args_text = ", ".join(f"{k}={v}" for k, v in event["args"].items())
        lines.append(f"  event:    {event['contract']}.{event['event']}({args_text})")
    lines.append(f"  sent:     {record.created_at} (updated {record.updated_at})")
    emit(args, record.to_json(), "\n".join(lines))


def cmd_tx_send(args) -> int:
    address_arg(args.to)  # a usage error before the passphrase is asked; checked again against the network
    amount = amount_arg(args.amount)
    with open_session(args) as session:
        plan = wallet.send_request(session.service, sender_of(args, session), args.to, amount, args.asset)
        records, confirm = run_plan(args, session.service, as_plan(plan), wait=not args.no_wait)
    preview = (confirm.last or confirm.first).previews[0]
    if records is None:
        emit(args, {"sent": False, "preview": preview.to_json()}, "Not sent.")
        return 1
    record, = records
    emit(args, record.to_json() | {"preview": preview.to_json()},
         f"{record.status.capitalize()}: {record.hash}" + (f" in block {record.block}" if record.block else "")
         + record.fee_note())
    return 0


def add_parser(sub) -> None:
    """`vault tx ...`."""
    tp = sub.add_parser("tx", help="send transactions; the transaction history").add_subparsers(
        dest="sub", required=True)
    p = command(tp, "list", cmd_tx_list, "the vault's transactions, newest first")
    p.add_argument("--status", choices=("pending", "success", "reverted", "rejected", "dropped", "replaced"))
    p.add_argument("--limit", type=int)
    p = command(tp, "show", cmd_tx_show, "one transaction: what it did, status, block, fee, events, error")
    p.add_argument("hash")
    p = command(tp, "send", cmd_tx_send, "send BTK or ETH: shows the preview, then signs and sends")
    p.add_argument("--to", required=True, metavar="ADDRESS")
    p.add_argument("--amount", required=True, help="in whole units, e.g. 12.5")
    p.add_argument("--asset", choices=("btk", "eth"), default="btk")
    write_options(p)
    p.add_argument("--no-wait", action="store_true", help="return once sent, before it is mined")
