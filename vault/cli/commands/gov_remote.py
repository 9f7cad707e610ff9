"""`vault gov remote root|sign|relay|tally`: votes from BTK holders on another chain
(vault/chain/dao/crosschain.py; docs/governance.md, "Cross-chain votes").

    vault gov remote root --proposal ID (--from-rpc URL | --from-embedded FOLDER) --block N
                          [--token ADDRESS] [--out FILE] [--packages DIR]
                          the proposer records the root of the other chain's balances at
                          block N (while the proposal is Pending) and writes the root file
    vault gov remote sign FILE --support for|against|abstain --out F [--qr OUT]
                          a holder there signs from the root file or their package: offline,
                          no chain is read, nothing is sent
    vault gov remote relay FILE          anyone sends a signed ballot (JSON or QR image) and
                                         pays its gas; checked before anything is signed
    vault gov remote tally ID [--check-rpc URL | --check-embedded FOLDER] [--json]
                          the remote votes; with the other chain reachable, the root
                          recomputed from it and compared
"""

from __future__ import annotations

import json
from pathlib import Path

from ..io import UsageError, emit, read_input, say
from ..options import command, write_options
from ..session import connect, offline_signer, open_session, save_signed, sender_of, unlocked, write


def _wei(text: str) -> str:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.units import format_units

    return format_units(int(text), "BTK")


def cmd_remote_root(args) -> int:
    # start-up: as every chain command (the chain stack, web3 ~0.3 s), only when it runs
    from ...chain.dao.crosschain import CrossChain, open_source
    from ...chain.governance import Governance

    with open_session(args) as s:
        pid = Governance(s.chain).resolve_id(args.proposal)
        xc = CrossChain(s.chain)
        with open_source(rpc=args.from_rpc, embedded=args.from_embedded) as source:
            root = xc.build_root(pid, source, args.block, args.token)
        request = xc.root_request(s.service, sender_of(args, s), root)
        out = Path(args.out or f"remote-root-{str(pid)[:12]}.json")
        intro = [f"Root {root['root']} of {len(root['tree']['values'])} holders ({_wei(root['total'])}) on chain "
                 f"{root['remote_chain_id']} at block {root['remote_block']:,}; the root file goes to {out} once "
                 "it is recorded"]
        files = [str(out)] + ([str(Path(args.packages))] if args.packages else [])
        code = write(args, s, request, intro=intro, data={"root": root["root"], "files": files})
    if code == 0:
        say("Written: " + ", ".join(_root_files(root, out, args)))
    return code


def _root_files(root: dict, out: Path, args) -> list[str]:
    """The root file (and the holders' packages) that holders sign from."""
    # start-up: as every chain command (the chain stack, web3 ~0.3 s), only when it runs
    from ...chain.dao.remote_files import load_root_file, package_for
    from ...store.atomic import write_atomic

    write_atomic(out, json.dumps(root, indent=1).encode() + b"\n")
    written = [str(out)]
    if args.packages:
        header, tree = load_root_file(root)
        folder = Path(args.packages)
        folder.mkdir(parents=True, exist_ok=True)
        for entry in tree.values:
            package = package_for(header, tree, entry["value"][0])
            write_atomic(folder / f"{package['voter']}.json", json.dumps(package, indent=1).encode() + b"\n")
        written.append(f"{folder}/ ({len(tree.values)} packages)")
    return written


def cmd_remote_sign(args) -> None:
    # start-up: as every chain command (the chain stack, web3 ~0.3 s), only when it runs
    from ...chain.dao.remote_files import (ROOT_TYPE, SUPPORT, export_remote_ballot_qr, load_package,
                                           load_root_file, package_for, sign_remote_ballot, support_index)
    from ...errors import ChainError

    if not args.out and not args.qr:
        raise UsageError("give --out FILE and/or --qr OUT")
    support = support_index(args.support)
    raw = read_input(args.file)
    with unlocked(args) as identity:
        voter = offline_signer(args, identity)
        try:
            package = load_package(raw)
        except ChainError:
            if ROOT_TYPE.encode() not in raw:
                raise
            package = package_for(*load_root_file(raw), voter)
        ballot = sign_remote_ballot(identity.eth_private_key(voter), package, support)
    written = save_signed(args, ballot, export_remote_ballot_qr)
    emit(args, ballot | {"files": written},
         f"Signed {voter}'s vote {SUPPORT[support].upper()} on proposal {ballot['proposal_id'][:12]}… with "
         f"{_wei(ballot['weight'])} held on chain {ballot['remote_chain_id']} at block "
         f"{ballot['remote_block']:,} (for the votes contract {ballot['contract']} on chain {ballot['chain_id']}); "
         "anyone can relay it:\n" + "\n".join(f"  {w}" for w in written))


def cmd_remote_relay(args) -> int:
    # start-up: as every chain command (the chain stack, web3 ~0.3 s), only when it runs
    from ...chain.dao.crosschain import CrossChain
    from ...chain.dao.remote_files import read_remote_ballot

    ballot = read_remote_ballot(args.file)
    with open_session(args) as s:
        request = CrossChain(s.chain).relay_request(s.service, sender_of(args, s), ballot)
        return write(args, s, request, data={"voter": ballot["voter"], "proposal_id": ballot["proposal_id"]})


def _tally_text(t: dict) -> str:
    if not t["recorded"]:
        return f"Proposal {t['proposal_id'][:12]}… ({t['state']}) has no root of another chain's balances: it " \
               "takes no remote votes."
    lines = [f"Proposal {t['proposal_id'][:12]}… ({t['state']}): votes from chain {t['remote_chain_id']}, balances "
             f"at block {t['remote_block']:,} ({_wei(t['total_wei'])} in all; root by {t['set_by']})",
             f"  for {_wei(t['for_wei'])}, against {_wei(t['against_wei'])}, abstain {_wei(t['abstain_wei'])}"]
    lines += [f"  {v['voter']}: {v['support']} with {_wei(v['weight_wei'])} (relayed by {v['relayer']})"
              for v in t["votes"]]
    check = t["root_check"]
    if check is None:
        lines.append("  root not checked: give --check-rpc URL or --check-embedded FOLDER to recompute it from "
                     "the other chain")
    elif check["matches"]:
        lines.append("  root checked: the other chain's balances give the same root")
    else:
        lines.append(f"  ROOT DOES NOT MATCH the other chain: its balances give {check['recomputed_root']}, "
                     f"not {t['root']}. The root's author recorded other balances: do not trust these votes.")
    return "\n".join(lines)


def cmd_remote_tally(args) -> None:
    # start-up: as every chain command (the chain stack, web3 ~0.3 s), only when it runs
    from contextlib import nullcontext

    # start-up: as every chain command (the chain stack, web3 ~0.3 s), only when it runs
    from ...chain.dao.crosschain import CrossChain, open_source
    from ...chain.governance import Governance

    checking = args.check_rpc or args.check_embedded
    with connect(args) as chain:
        pid = Governance(chain).resolve_id(args.proposal)
        with open_source(rpc=args.check_rpc, embedded=args.check_embedded) if checking else nullcontext() as source:
            result = CrossChain(chain).tally(pid, source=source, token=args.token)
    emit(args, result, _tally_text(result))


def add_remote_commands(gp) -> None:
    """Under `vault gov`."""
    rp = gp.add_parser("remote", help="votes from BTK holders on another chain (Merkle proof + signature)"
                       ).add_subparsers(dest="remote_sub", required=True)
    p = command(rp, "root", cmd_remote_root, "record the root of another chain's BTK balances for your proposal "
                                             "(while it is Pending) and write the root file")
    p.add_argument("--proposal", required=True, metavar="ID", help="the proposal (its id or the start of it)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--from-rpc", metavar="URL", help="the other chain's JSON-RPC node")
    src.add_argument("--from-embedded", metavar="FOLDER", help="another embedded chain (a vault data folder)")
    p.add_argument("--block", type=int, required=True, metavar="N", help="the snapshot block on the other chain")
    p.add_argument("--token", metavar="ADDRESS", help="the BTK token there (default: its network's manifest)")
    p.add_argument("--out", metavar="FILE", help="the root file (default remote-root-<id>.json)")
    p.add_argument("--packages", metavar="DIR", help="also one package per holder, <address>.json")
    write_options(p)
    p = command(rp, "sign", cmd_remote_sign, "sign your vote from the root file or your package (offline, no fee)")
    p.add_argument("file", help="the root file or your package")
    p.add_argument("--support", required=True, help="for, against or abstain")
    p.add_argument("--from", dest="sender", metavar="ADDRESS", help="which vault account (default: the first)")
    p.add_argument("--out", metavar="FILE", help="write the signed ballot as JSON here")
    p.add_argument("--qr", metavar="OUT", help="also as a QR code (a .png/.svg file, or a folder)")
    p = command(rp, "relay", cmd_remote_relay, "send a signed remote ballot (you pay its gas)")
    p.add_argument("file", help="the ballot: JSON or a QR image")
    write_options(p)
    p = command(rp, "tally", cmd_remote_tally, "the votes from the other chain, and the root checked against it")
    p.add_argument("proposal", metavar="ID")
    chk = p.add_mutually_exclusive_group()
    chk.add_argument("--check-rpc", metavar="URL", help="recompute the root from this node of the other chain")
    chk.add_argument("--check-embedded", metavar="FOLDER", help="recompute it from this embedded chain")
    p.add_argument("--token", metavar="ADDRESS", help="the BTK token there (default: its network's manifest)")
