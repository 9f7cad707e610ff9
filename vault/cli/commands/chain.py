"""`vault chain ...`: the network, the embedded chain.

    vault chain status                         network, chain id, block, contract addresses
    vault chain use embedded                   the in-process chain (the default)
    vault chain use rpc URL --manifest F       any JSON-RPC node with a deployment manifest
    vault chain deploy --rpc URL --deployer-key-file F [--out M]   deploy the suite, write M
    vault chain advance --blocks N [--seconds S]                    mine / move time (dev chains)

Reading the chain needs no passphrase. With a passphrase at hand (--passphrase-file or
the environment), `chain status` also shows the vault's balances, and on the embedded
chain the faucet funds each vault account once.
"""

from __future__ import annotations

from pathlib import Path

from ...chain import client, networks
from ...chain.networks import LOCAL_CHAIN_TEXT
from ...chain.units import format_units
from ...store import VaultStore
from ...store.atomic import ensure_private_dir
from ..io import UsageError, emit, has_noninteractive_passphrase, say
from ..options import command
from ..session import address_arg, connect, open_identity


def _maybe_identity(args):
    """The unlocked identity when a passphrase is at hand without asking, else None."""
    if has_noninteractive_passphrase(args) and VaultStore.exists_in(args.data_dir):
        return open_identity(args)
    return None


def _status_lines(data: dict) -> list[str]:
    lines = [f"Network:   {data['name']} ({data['network']}{', ' + data['url'] if data.get('url') else ''})",
             f"Chain id:  {data['chain_id']}",
             f"Block:     {data['block']}"]
    if data["network"] == "embedded":
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


def cmd_chain_status(args) -> None:
    identity = _maybe_identity(args)
    try:
        with connect(args, identity) as chain:
            data = chain.status()
            if identity is not None:
                data["accounts"] = [{"address": a.address, "eth": str(chain.eth_balance(a.address)),
                                     "btk": str(chain.btk_balance(a.address))} for a in identity.accounts()]
    finally:
        if identity is not None:
            identity.store.lock()
    emit(args, data, "\n".join(_status_lines(data)))


def cmd_chain_use(args) -> None:
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


def _deployer_key(path: str) -> tuple[bytes, str]:
    # start-up: eth_account ~450 ms, only for deploy and upgrade
    from eth_account import Account

    try:
        key_text = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        key = bytes.fromhex(key_text.removeprefix("0x"))
        return key, Account.from_key(key).address
    except ValueError:
        raise UsageError(f"{path} does not hold a private key (64 hex digits)") from None


def cmd_chain_upgrade(args) -> None:
    """Deploy the contracts a manifest lacks (it was made by an older version) and write
    the completed manifest; the embedded chain does this by itself when opened."""
    # start-up: chain.deploy ~870 ms (it loads py-evm), only for deploy and upgrade
    from ...chain.deploy import deploy_missing

    key, deployer = _deployer_key(args.deployer_key_file)
    manifest = networks.Manifest.load(args.manifest)
    chain = client.connect_rpc(args.rpc, manifest)
    try:
        manifest, added = deploy_missing(chain, key, manifest,
                                         progress=None if args.json else (lambda m: say(f"  {m}")))
    finally:
        chain.close()
    out = Path(args.out or networks.resolve_manifest(args.manifest))
    if added:
        manifest.save(out)
    names = [e.key for e in added]
    emit(args, manifest.to_json() | {"manifest_file": str(out), "deployed": names},
         f"Deployed {', '.join(names)} from {deployer}; manifest: {out}" if added
         else "The deployment already has every contract of this version; nothing was sent.")


def cmd_chain_deploy(args) -> None:
    # start-up: chain.deploy ~870 ms (as above)
    from ...chain.deploy import deploy_suite
    from ...chain.embedded import dev_address

    key, deployer = _deployer_key(args.deployer_key_file)
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
    with connect(args) as chain:
        before = chain.block_number
        block = chain.advance(args.blocks, args.seconds)
        stamp = chain.latest_timestamp()
    emit(args, {"block": block, "mined": block - before, "timestamp": stamp},
         f"Mined {block - before} block(s); the chain is at block {block}"
         + (f", its clock moved {args.seconds} s ahead." if args.seconds else "."))


def add_parser(sub) -> None:
    """`vault chain ...`."""
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
    p = command(cp, "upgrade", cmd_chain_upgrade, "deploy the contracts of this version that a JSON-RPC "
                                                  "deployment lacks, and complete its manifest")
    p.add_argument("--rpc", required=True, metavar="URL")
    p.add_argument("--manifest", required=True, help="the deployment's manifest file (rewritten unless --out)")
    p.add_argument("--deployer-key-file", required=True, metavar="F", help="file holding the private key (hex) "
                                                                           "that pays for the new contracts")
    p.add_argument("--out", metavar="M", help="write the completed manifest here instead")
    p = command(cp, "advance", cmd_chain_advance, "mine blocks and/or move time forward (embedded chain or "
                                                  "a development node such as anvil)")
    p.add_argument("--blocks", type=int, default=0, metavar="N")
    p.add_argument("--seconds", type=int, default=0, metavar="S")
