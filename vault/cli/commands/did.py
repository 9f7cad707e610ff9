"""`vault did list | create | rename | default | resolve | cache`: this vault's DIDs, any
did:key / did:jwk / did:pkh resolved offline, and issuers' DID documents kept for offline
checks."""

from __future__ import annotations

import json

from ... import safejson
from ...did import resolver
from ...errors import VaultError
from ..io import UsageError, emit, read_input
from ..options import command
from ..session import unlocked


def _did_line(record) -> str:
    mark = "*" if record.is_default else " "
    name = f"  ({record.name})" if record.name else ""
    return f"{mark} {record.did}{name}"


def cmd_did_list(args) -> None:
    with unlocked(args) as identity:
        records = identity.dids()
    emit(args, [r.to_json() for r in records],
         "\n".join(_did_line(r) for r in records) + "\n(* = default)")


def cmd_did_create(args) -> None:
    with unlocked(args) as identity:
        record = identity.create_did(args.method, args.name or "")
    emit(args, record.to_json(), f"Created {record.did}")


def cmd_did_rename(args) -> None:
    with unlocked(args) as identity:
        record = identity.rename_did(args.did, args.name)
    emit(args, record.to_json(), f"Renamed {record.did} to {record.name!r}")


def cmd_did_default(args) -> None:
    with unlocked(args) as identity:
        record = identity.set_default(args.did)
    emit(args, record.to_json(), f"Default DID is now {record.did}")


def cmd_did_resolve(args) -> None:
    document = resolver.resolve(args.did)
    emit(args, document, json.dumps(document, indent=2))


def cmd_did_cache(args) -> None:
    # start-up: credentials.cache ~45 ms, credentials.keys ~9 ms; only `did cache` needs them
    from ...credentials.cache import VerificationCache
    from ...credentials.keys import check_document
    try:
        document = safejson.loads(read_input(args.file))
    except (ValueError, RecursionError) as exc:
        raise UsageError(f"{args.file} is not JSON: {exc}") from exc
    try:   # refused before the vault is opened: nothing is stored
        did = check_document(document)
    except VaultError as exc:
        raise VaultError(f"{args.file} was not cached: {exc}") from exc
    with unlocked(args) as identity:
        VerificationCache(identity.store).put_did_document(did, document)
    emit(args, {"cached": did}, f"Cached the DID document of {did}: its credentials now verify offline.")


def add_parser(sub) -> None:
    """`vault did ...`."""
    dp = sub.add_parser("did", help="list, create and resolve DIDs").add_subparsers(dest="sub", required=True)
    command(dp, "list", cmd_did_list, "list this vault's DIDs")
    p = command(dp, "create", cmd_did_create, "derive a new DID from the recovery phrase")
    p.add_argument("--method", choices=("key", "jwk", "pkh"), required=True)
    p.add_argument("--name")
    p = command(dp, "rename", cmd_did_rename, "name a DID")
    p.add_argument("did")
    p.add_argument("name")
    p = command(dp, "default", cmd_did_default, "make a DID the default")
    p.add_argument("did")
    p = command(dp, "resolve", cmd_did_resolve, "resolve any did:key, did:jwk or did:pkh offline")
    p.add_argument("did")

    p = command(dp, "cache", cmd_did_cache, "keep an issuer's DID document (e.g. a did:web) so its "
                                            "credentials verify offline")
    p.add_argument("file")
