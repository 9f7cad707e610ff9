"""`vault init | restore | status | check | passphrase change | backup | recovery-phrase
show`: the vault itself."""

from __future__ import annotations

from pathlib import Path

from ...errors import VaultError
from ...identity import Identity
from ...keys import recovery_phrase
from ...store import VaultStore
from ..io import UsageError, emit, has_noninteractive_passphrase, passphrase, prompt_secret, read_secret_file, \
    warn_if_weak
from ..options import command, kdf_option
from ..session import unlocked


def cmd_init(args) -> None:
    if VaultStore.exists_in(args.data_dir):
        raise VaultError(f"A vault already exists in {args.data_dir}.")
    secret = passphrase(args, new=True)
    warn_if_weak(args, secret)
    identity, phrase = Identity.create(args.data_dir, secret, words=args.words, kdf_target=args.kdf_seconds)
    did, address = identity.default_did().did, identity.accounts()[0].address
    identity.store.lock()
    words = phrase.split()
    numbered = "\n".join(f"  {i:2d}. {w}" for i, w in enumerate(words, 1))
    emit(args, {"recovery_phrase": phrase, "did": did, "address": address, "data_dir": str(args.data_dir)},
         f"Vault created in {args.data_dir}\n\nRecovery phrase — write it down and keep it offline. "
         f"It restores every key; it is shown only now:\n\n{numbered}\n\nDID:     {did}\nAccount: {address}")


def cmd_restore(args) -> None:
    if VaultStore.exists_in(args.data_dir):
        raise VaultError(f"A vault already exists in {args.data_dir}; restore into an empty folder.")
    phrase = recovery_phrase.validate(read_secret_file(args.recovery_phrase_file))
    secret = passphrase(args, new=True)
    warn_if_weak(args, secret)
    identity = Identity.restore(args.data_dir, secret, phrase, kdf_target=args.kdf_seconds)
    did, address = identity.default_did().did, identity.accounts()[0].address
    identity.store.lock()
    emit(args, {"did": did, "address": address, "data_dir": str(args.data_dir)},
         f"Vault restored in {args.data_dir}\nDID:     {did}\nAccount: {address}")


def cmd_status(args) -> None:
    store = VaultStore(args.data_dir)
    data = {"data_dir": str(store.data_dir), "exists": store.exists, "locked": True}
    if store.exists:
        header = store.header
        data["kdf"] = {k: v for k, v in header.kdf.to_json().items() if k != "salt"}
        data["created"] = header.created
        if has_noninteractive_passphrase(args) or args.unlock:
            store.unlock(passphrase(args))
            identity = Identity(store)
            data.update(locked=False, integrity="ok", schema_version=store.schema_version,
                        default_did=identity.default_did().did,
                        accounts=[a.address for a in identity.accounts()], dids=len(identity.dids()))
            store.lock()
    lines = [f"Data folder: {data['data_dir']}"]
    if not data["exists"]:
        lines.append("No vault here yet. Create one with `vault init`.")
    else:
        kdf = data["kdf"]
        lines.append(f"Created: {data['created']}")
        lines.append(f"Key derivation: Argon2id, {kdf['memory_kib'] // 1024} MiB, "
                     f"{kdf['iterations']} iterations, {kdf['lanes']} lanes")
        if data["locked"]:
            lines.append("Locked (pass --unlock to check integrity and list identities)")
        else:
            lines += [f"Integrity: ok (schema version {data['schema_version']})",
                      f"Default DID: {data['default_did']}", f"Accounts: {', '.join(data['accounts'])}",
                      f"DIDs: {data['dids']}"]
    emit(args, data, "\n".join(lines))


def cmd_passphrase_change(args) -> None:
    store = VaultStore(args.data_dir)
    current = passphrase(args)
    new = read_secret_file(args.new_passphrase_file) if args.new_passphrase_file else \
        prompt_secret("New passphrase", True)
    warn_if_weak(args, new)
    store.unlock(current)
    try:
        store.change_passphrase(current, new, kdf_target=args.kdf_seconds)
    finally:
        store.lock()
    emit(args, {"changed": True}, "Passphrase changed. Backups made before now still open with the old one.")


def cmd_backup(args) -> None:
    target = args.target
    if target and target[0] == "restore":
        if len(target) != 2:
            raise UsageError("usage: vault backup restore IN")
        source = Path(target[1])
        store = VaultStore.restore_backup(source, args.data_dir, passphrase(args))
        did = Identity(store).default_did().did
        store.lock()
        emit(args, {"restored": str(source), "data_dir": str(args.data_dir), "did": did},
             f"Backup {source} restored into {args.data_dir}\nDefault DID: {did}")
        return
    if len(target) != 1:
        raise UsageError("usage: vault backup OUT  |  vault backup restore IN")
    with unlocked(args) as identity:
        out = identity.store.backup(Path(target[0]))
    emit(args, {"backup": str(out)}, f"Encrypted backup written to {out} (it opens with the current passphrase).")


def cmd_check(args) -> int:
    """Every page's HMAC, then the b-trees: what the other commands postpone (they read
    only pages SQLCipher authenticates as it reads them, and check in full before writing)."""
    store = VaultStore(args.data_dir)
    if not store.exists:
        raise VaultError(f"There is no vault in {store.data_dir}. Create one with `vault init`.")
    store.unlock(passphrase(args), check_integrity=False)
    try:
        store.check_integrity(structure=True)
        size = sum(p.stat().st_size for p in store.data_dir.glob(f"{store.header.database_name}*"))
    finally:
        store.lock()
    emit(args, {"integrity": "ok", "bytes": size},
         f"Integrity: ok (every page of the vault database, {size / 1e6:.1f} MB, authenticated; structure checked)")
    return 0


def cmd_phrase_show(args) -> None:
    with unlocked(args) as identity:
        phrase = identity.recovery_phrase()
    emit(args, {"recovery_phrase": phrase},
         "\n".join(f"  {i:2d}. {w}" for i, w in enumerate(phrase.split(), 1)))


def add_parser(sub) -> None:
    """`vault init`, `restore`, `status`, `check`, `passphrase change`, `backup`."""
    p = command(sub, "init", cmd_init, "create a new vault and print its recovery phrase once")
    p.add_argument("--words", type=int, choices=(12, 24), default=12)
    kdf_option(p)
    p = command(sub, "restore", cmd_restore, "create a vault from a recovery phrase")
    p.add_argument("--recovery-phrase-file", required=True)
    kdf_option(p)
    p = command(sub, "status", cmd_status, "where the vault is, its state and its identities")
    p.add_argument("--unlock", action="store_true", help="ask for the passphrase and check integrity")
    command(sub, "check", cmd_check, "check every page of the vault database for damage or tampering "
                                     "(other commands check in full before they write)")

    pp = sub.add_parser("passphrase", help="change the passphrase").add_subparsers(dest="sub", required=True)
    p = command(pp, "change", cmd_passphrase_change, "re-encrypt the vault under a new passphrase")
    p.add_argument("--new-passphrase-file")
    p.add_argument("--kdf-seconds", type=float, default=None, help="also re-tune the key derivation")

    p = command(sub, "backup", cmd_backup, "write an encrypted backup (backup OUT) or restore one "
                                          "into an empty data folder (backup restore IN)")
    p.add_argument("target", nargs="+", metavar="OUT | restore IN")


def add_phrase_parser(sub) -> None:
    """`vault recovery-phrase show` (last in `vault --help`, after the credential commands)."""
    rp = sub.add_parser("recovery-phrase", help="show the recovery phrase").add_subparsers(dest="sub", required=True)
    command(rp, "show", cmd_phrase_show, "print the recovery phrase (asks for the passphrase)")
