"""`vault chain ...` and `vault tx ...`: the network, the embedded chain, transactions.

    vault chain status                         network, chain id, block, contract addresses
    vault chain use embedded                   the in-process chain (the default)
    vault chain use rpc URL --manifest F       any JSON-RPC node with a deployment manifest
    vault chain deploy --rpc URL --deployer-key-file F [--out M]   deploy the suite, write M
    vault chain advance --blocks N [--seconds S]                    mine / move time (dev chains)
    vault tx send --to ADDR --amount X [--asset btk|eth] [--yes]  preview, then sign and send
    vault tx list | vault tx show HASH         the vault's transaction history

Reading the chain needs no passphrase; anything that signs or reads the history unlocks
the vault. With a passphrase at hand (--passphrase-file or the environment), `chain
status` also shows the vault's balances, and on the embedded chain the faucet funds
each vault account once.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .cli import UsageError, emit, has_noninteractive_passphrase, open_identity, say
from .errors import ChainError, VaultError
from .store import VaultStore


def register(sub, command, common) -> None:
    """Add the `chain` and `tx` command groups to the `vault` parser."""
    cp = sub.add_parser("chain", help="the blockchain network: status, choose, deploy, advance").add_subparsers(
        dest="sub", required=True)
    command(cp, "status", cmd_chain_status, "network, chain id, block and contract addresses (no passphrase "
                                            "needed; with one, also your balances)")
    p = command(cp, "use", cmd_chain_use, "choose the network: `embedded` (default) or `rpc URL --manifest F`")
    p.add_argument("network", choices=("embedded", "rpc"))
    p.add_argument("url", nargs="?", help="JSON-RPC URL (rpc)")
    p.add_argument("--manifest", help="deployment manifest file, or the name of one in resources/networks/")
    p.add_argument("--no-check", action="store_true", help="save without connecting to the node")
    p = command(cp, "deploy", cmd_chain_deploy, "deploy the contract suite to a JSON-RPC node and write its "
                                                "manifest")
    p.add_argument("--rpc", required=True, metavar="URL")
    p.add_argument("--deployer-key-file", required=True, metavar="F",
                   help="file holding the deployer's private key (hex); it pays for the deployment and "
                        "receives the distributable half of the BTK supply")
    p.add_argument("--out", metavar="M", help="manifest file to write (default: "
                                              "<data dir>/chain/manifests/<name or chain id>.json)")
    p.add_argument("--name", default="", help="a name for the network, kept in the manifest")
    p.add_argument("--operators", metavar="A,B", help="operators of the initial validators (default: the "
                                                      "public demo operators of the embedded chain)")
    p.add_argument("--issuers", metavar="A,...", help="credential issuers (default: the deployer)")
    p.add_argument("--use", action="store_true", help="also switch the vault to this network")
    p = command(cp, "advance", cmd_chain_advance, "mine blocks and/or move time forward (embedded chain or "
                                                  "a development node such as anvil)")
    p.add_argument("--blocks", type=int, default=0, metavar="N")
    p.add_argument("--seconds", type=int, default=0, metavar="S")

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
    p.add_argument("--from", dest="sender", metavar="ADDRESS", help="which vault account (default: the first)")
    p.add_argument("--yes", action="store_true", help="send without asking after the preview")
    p.add_argument("--no-wait", action="store_true", help="return once sent, before it is mined")


# ---- helpers ----------------------------------------------------------------------------

def _connect(args, identity=None):
    from .chain import client, networks

    profile = networks.load_profile(args.data_dir)
    accounts = [a.address for a in identity.accounts()] if identity is not None else None
    return client.connect(profile, args.data_dir, accounts=accounts)


def _maybe_identity(args):
    """The unlocked identity when a passphrase is at hand without asking, else None."""
    if has_noninteractive_passphrase(args) and VaultStore.exists_in(args.data_dir):
        return open_identity(args)
    return None


def amount_arg(text: str) -> int:
    """An amount argument in whole tokens, by the one parser (chain.units.parse_amount)."""
    from .chain.units import parse_amount

    try:
        return parse_amount(text)
    except ChainError as exc:
        raise UsageError(str(exc)) from None


def address_arg(text: str, chain_id: int | None = None) -> str:
    """An address argument, 0x… or did:pkh, by the one parser (chain.units.parse_address)."""
    from .chain.units import parse_address

    try:
        return parse_address(text, chain_id)
    except ChainError as exc:
        raise UsageError(str(exc)) from None


def open_session(args, *, sign: bool = True):
    """The vault unlocked (asking for the passphrase when needed), its network and its
    TxService, opened once (vault.chain.session.ChainSession); locked again on close."""
    from .chain.session import ChainSession

    identity = open_identity(args)
    try:
        session = ChainSession(args.data_dir, identity, sign=sign, lock_identity=True)
    except BaseException:
        identity.store.lock()
        raise
    return session.open()


def sender_of(args, session) -> str:
    """The vault account --from names (an address or did:pkh), else the first."""
    try:
        return session.account(getattr(args, "sender", None))
    except ChainError as exc:
        raise UsageError(str(exc)) from None


class Confirm:
    """The command line's answer to TxService.run: the previews on stderr, then a question
    on the terminal; --yes answers yes, no terminal and no --yes refuses (exit 2). When the
    fee rose after the yes, the new figures are asked about again on a terminal, and refused
    with --yes or without one (nothing more is signed). ``last``: the confirmation answered yes."""

    def __init__(self, args, intro=(), question: str = "Send it?"):
        self.args, self.intro, self.question = args, list(intro), question
        self.first = self.last = None

    def __call__(self, ask) -> bool:
        self.first = self.first or ask
        yes = self._again(ask) if ask.rose is not None else self._ask(ask)
        if yes:
            self.last = ask
        return yes

    def _ask(self, ask) -> bool:
        args = self.args
        if not args.json:
            for line in self.intro:
                say(line)
            steps = len(ask.requests)
            for n, (request, preview) in enumerate(zip(ask.requests, ask.previews)):
                if steps > 1:
                    say(f"Step {n + 1} of {steps}:")
                say(preview.text() if preview is not None else f"What:     {request.description or request.kind}")
            if steps > 1:
                say("(a later step is estimated again once the one before is mined, and refused with its "
                    "reason if it would fail)")
        if args.yes:
            return True
        if not sys.stdin.isatty():
            raise UsageError("add --yes to send it without asking (the preview is above); there is no terminal "
                             "to ask on")
        return input(f"{self.question} [y/N] ").strip().lower() in ("y", "yes")

    def _again(self, ask) -> bool:
        if self.args.yes or not sys.stdin.isatty():
            return False
        say(str(ask.rose))
        say(ask.previews[0].text())
        return input("Send it with the new fee? [y/N] ").strip().lower() in ("y", "yes")


def run_plan(args, service, plan, *, intro=(), wait: bool = True):
    """TxService.run with the command line's Confirm: (records or None when not sent, the
    Confirm). A failed transaction says where its details are."""
    confirm = Confirm(args, intro)
    try:
        return service.run(plan, confirm=confirm, wait=wait), confirm
    except ChainError as exc:
        if exc.details.get("tx_hash"):
            say(f"Transaction {exc.details['tx_hash']} failed; `vault tx show` has the details.")
        raise


def write(args, session, plan, *, intro=(), data: dict | None = None) -> int:
    """Run ``plan`` (a Plan, or the requests of one) on the session's TxService and print
    what became of it: exit 0 sent, 1 not sent."""
    from .chain.plan import as_plan

    records, confirm = run_plan(args, session.service, as_plan(plan), intro=intro)
    shown = confirm.last or confirm.first
    previews = [p.to_json() for p in shown.previews if p is not None]
    if records is None:
        emit(args, {"sent": False, "preview": previews[0], "previews": previews}, "Not sent.")
        return 1
    emit(args, {"sent": True, "transactions": [r.to_json() for r in records], "preview": previews[0],
                "previews": previews} | (data or {}),
         "\n".join(f"{r.status.capitalize()}: {r.description} — {r.hash}"
                   + (f" in block {r.block}" if r.block is not None else "") + r.fee_note() for r in records))
    return 0


def _status_lines(data: dict) -> list[str]:
    from .chain.units import format_units

    lines = [f"Network:   {data['name']} ({data['network']}{', ' + data['url'] if data.get('url') else ''})",
             f"Chain id:  {data['chain_id']}",
             f"Block:     {data['block']}"]
    if data["network"] == "embedded":
        from .chain.networks import LOCAL_CHAIN_TEXT

        lines[1:1] = [f"           {LOCAL_CHAIN_TEXT} (in this data folder); for a shared network: "
                      "vault chain use rpc URL --manifest F"]
    if data.get("time_offset"):
        lines.append(f"Clock:     {data['time_offset']} s ahead of real time (advanced)")
    if data["contracts"]:
        lines.append(f"Contracts (deployed at block {data['deployment_block']}):")
        lines += [f"  {k:<12} {v}" for k, v in data["contracts"].items()]
    for account in data.get("accounts", []):
        lines.append(f"Account {account['address']}: {format_units(int(account['eth']), 'ETH')}, "
                     f"{format_units(int(account['btk']), 'BTK')}")
    return lines


# ---- chain ------------------------------------------------------------------------------

def cmd_chain_status(args) -> None:
    identity = _maybe_identity(args)
    try:
        chain = _connect(args, identity)
        try:
            data = chain.status()
            if identity is not None:
                data["accounts"] = [{"address": a.address, "eth": str(chain.eth_balance(a.address)),
                                     "btk": str(chain.btk_balance(a.address))} for a in identity.accounts()]
        finally:
            chain.close()
    finally:
        if identity is not None:
            identity.store.lock()
    emit(args, data, "\n".join(_status_lines(data)))


def cmd_chain_use(args) -> None:
    from .chain import client, networks

    if args.network == "embedded":
        if args.url or args.manifest:
            raise UsageError("`vault chain use embedded` takes no URL or manifest")
        profile = networks.NetworkProfile()
    else:
        if not args.url or not args.manifest:
            raise UsageError("usage: vault chain use rpc URL --manifest FILE")
        manifest_path = networks.resolve_manifest(args.manifest)
        manifest = networks.Manifest.load(manifest_path)
        stored = args.manifest if manifest_path.parent == networks.NETWORKS_DIR else str(manifest_path.resolve())
        profile = networks.NetworkProfile(networks.RPC, args.url, stored)
        if not args.no_check:
            client.connect_rpc(args.url, manifest).close()
    if args.network == "embedded" and not args.no_check:
        client.connect(profile, args.data_dir).close()
    networks.save_profile(args.data_dir, profile)
    shown = "the embedded chain" if args.network == "embedded" else f"{profile.display_url} ({args.manifest})"
    emit(args, profile.to_json() | ({"url": profile.display_url} if profile.url else {}),
         f"The vault now uses {shown}.")


def cmd_chain_deploy(args) -> None:
    from eth_account import Account

    from .chain import client, networks
    from .chain.deploy import deploy_suite
    from .chain.embedded import dev_address

    try:
        key_text = Path(args.deployer_key_file).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise UsageError(f"cannot read {args.deployer_key_file}: {exc.strerror}") from exc
    try:
        key = bytes.fromhex(key_text.removeprefix("0x"))
        deployer = Account.from_key(key).address
    except ValueError:
        raise UsageError(f"{args.deployer_key_file} does not hold a private key (64 hex digits)") from None
    operators = [address_arg(a) for a in args.operators.split(",")] if args.operators else \
        [dev_address("operator-a"), dev_address("operator-b")]
    issuers = [address_arg(a) for a in args.issuers.split(",")] if args.issuers else [deployer]
    chain = client.connect_rpc(args.rpc, None)
    try:
        if not args.json:
            say(f"Deploying the Blocktrack suite to chain {chain.chain_id} from {deployer} …")
        manifest = deploy_suite(chain, key, operators=operators, issuers=issuers, name=args.name,
                                progress=None if args.json else (lambda m: say(f"  {m}")))
    finally:
        chain.close()
    out = Path(args.out) if args.out else \
        networks.chain_dir(args.data_dir) / "manifests" / f"{args.name or manifest.chain_id}.json"
    if not args.out:
        from .store.atomic import ensure_private_dir

        ensure_private_dir(args.data_dir)
        ensure_private_dir(networks.chain_dir(args.data_dir))
        ensure_private_dir(out.parent)
    manifest.save(out)
    if args.use:
        networks.save_profile(args.data_dir, networks.NetworkProfile(networks.RPC, args.rpc, str(out.resolve())))
    lines = [f"Deployed on chain {manifest.chain_id} from block {manifest.deployment_block}; manifest: {out}"]
    lines += [f"  {k:<12} {v}" for k, v in manifest.contracts.items()]
    if not args.use:
        lines.append(f"Use it with: vault chain use rpc {networks.redact_url(args.rpc)} --manifest {out}")
    emit(args, manifest.to_json() | {"manifest_file": str(out)}, "\n".join(lines))


def cmd_chain_advance(args) -> None:
    if args.blocks < 0 or args.seconds < 0:
        raise UsageError("--blocks and --seconds must be zero or more")
    if not args.blocks and not args.seconds:
        raise UsageError("give --blocks N and/or --seconds S")
    chain = _connect(args)
    try:
        before = chain.block_number
        block = chain.advance(args.blocks, args.seconds)
        stamp = chain.latest_timestamp()
    finally:
        chain.close()
    emit(args, {"block": block, "mined": block - before, "timestamp": stamp},
         f"Mined {block - before} block(s); the chain is at block {block}"
         + (f", its clock moved {args.seconds} s ahead." if args.seconds else "."))


# ---- tx ---------------------------------------------------------------------------------

def cmd_tx_list(args) -> None:
    from .chain import transactions

    identity = open_identity(args)
    try:
        pending = transactions.history(identity.store, status="pending")
        if pending:  # settle them first, if the network answers; the list is shown anyway
            try:
                chain = _connect(args, identity)
                try:
                    transactions.TxService(chain, identity.store, identity.eth_private_key).recover()
                finally:
                    chain.close()
            except ChainError as exc:
                say(f"warning: pending transactions were not checked: {exc}")
        records = transactions.history(identity.store, status=args.status, limit=args.limit)
    finally:
        identity.store.lock()
    emit(args, [r.to_json() for r in records],
         "\n".join(r.line() for r in records) or "No transactions yet.")


def cmd_tx_show(args) -> None:
    from .chain import fees, transactions
    from .chain.fees import signed_text
    from .chain.units import format_units

    identity = open_identity(args)
    try:
        record = transactions.get_record(identity.store, args.hash)
    finally:
        identity.store.lock()
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
    from .chain import wallet
    from .chain.plan import as_plan

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


__all__ = ["register", "VaultError"]
