"""The `vault` command line: the same core services the desktop app uses.

Exit codes: 0 success, 1 the operation failed (message on stderr), 2 usage error.
With --json, results go to stdout as JSON; messages never do.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from pathlib import Path

from . import __version__, logs, paths, safejson
from .did import resolver
from .errors import VaultError
from .identity import Identity
from .keys import recovery_phrase
from .safe_text import one_line, safe_text
from .store import VaultStore
from .store.kdf import DEFAULT_TARGET_SECONDS
from .store.passphrase_strength import strength

log = logging.getLogger(__name__)

ENV_PASSPHRASE = "BLOCKTRACK_VAULT_PASSPHRASE"


class UsageError(Exception):
    pass


# ---- output ---------------------------------------------------------------------------

def emit(args, data, text: str | None = None) -> None:
    if args.json:
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif text is not None:   # much of it is outside text: no bidi or escape sequence obeyed
        print(safe_text(text, multiline=True))


def say(message: str) -> None:
    """Guidance for a person, on stderr so stdout stays clean for pipes."""
    print(safe_text(message, multiline=True), file=sys.stderr)


# ---- passphrases ----------------------------------------------------------------------

def _read_secret_file(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    return text[:-1] if text.endswith("\n") else text  # one trailing newline from editors/echo


def _prompt(label: str, confirm: bool = False) -> str:
    if not sys.stdin.isatty():
        raise UsageError(f"no passphrase given: use --passphrase-file or set {ENV_PASSPHRASE}")
    value = getpass.getpass(f"{label}: ")
    if confirm and getpass.getpass(f"{label} (again): ") != value:
        raise UsageError("the two passphrases differ")
    return value


def passphrase(args, *, new: bool = False) -> str:
    if args.passphrase_file:
        return _read_secret_file(args.passphrase_file)
    if os.environ.get(ENV_PASSPHRASE):
        return os.environ[ENV_PASSPHRASE]
    return _prompt("New passphrase" if new else "Passphrase", confirm=new)


def has_noninteractive_passphrase(args) -> bool:
    return bool(args.passphrase_file or os.environ.get(ENV_PASSPHRASE))


def warn_if_weak(args, value: str) -> None:
    score = strength(value)
    if score.score < 3 and not args.json:
        say(f"warning: this passphrase is {score.label.lower()}. {score.advice}")


def open_identity(args) -> Identity:
    store = VaultStore(args.data_dir)
    if not store.exists:
        raise VaultError(f"There is no vault in {store.data_dir}. Create one with `vault init`.")
    store.unlock(passphrase(args))
    return Identity(store)


# ---- commands -------------------------------------------------------------------------

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
    phrase = recovery_phrase.validate(_read_secret_file(args.recovery_phrase_file))
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
    new = _read_secret_file(args.new_passphrase_file) if args.new_passphrase_file else _prompt("New passphrase", True)
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
    identity = open_identity(args)
    try:
        out = identity.store.backup(Path(target[0]))
    finally:
        identity.store.lock()
    emit(args, {"backup": str(out)}, f"Encrypted backup written to {out} (it opens with the current passphrase).")


def _did_line(record) -> str:
    mark = "*" if record.is_default else " "
    name = f"  ({record.name})" if record.name else ""
    return f"{mark} {record.did}{name}"


def cmd_did_list(args) -> None:
    identity = open_identity(args)
    records = identity.dids()
    identity.store.lock()
    emit(args, [r.to_json() for r in records],
         "\n".join(_did_line(r) for r in records) + "\n(* = default)")


def cmd_did_create(args) -> None:
    identity = open_identity(args)
    record = identity.create_did(args.method, args.name or "")
    identity.store.lock()
    emit(args, record.to_json(), f"Created {record.did}")


def cmd_did_rename(args) -> None:
    identity = open_identity(args)
    record = identity.rename_did(args.did, args.name)
    identity.store.lock()
    emit(args, record.to_json(), f"Renamed {record.did} to {record.name!r}")


def cmd_did_default(args) -> None:
    identity = open_identity(args)
    record = identity.set_default(args.did)
    identity.store.lock()
    emit(args, record.to_json(), f"Default DID is now {record.did}")


def cmd_did_resolve(args) -> None:
    document = resolver.resolve(args.did)
    emit(args, document, json.dumps(document, indent=2))


def cmd_phrase_show(args) -> None:
    identity = open_identity(args)
    phrase = identity.recovery_phrase()
    identity.store.lock()
    emit(args, {"recovery_phrase": phrase},
         "\n".join(f"  {i:2d}. {w}" for i, w in enumerate(phrase.split(), 1)))


# ---- credentials ----------------------------------------------------------------------

def _read_input(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc


def open_credentials(args):
    from .credentials.service import CredentialService
    identity = open_identity(args)
    return CredentialService(identity.store, network=_network(args))


def _network(args):
    """Offline unless asked: --online, or the app's "check status lists and issuer keys
    online" setting."""
    from .settings import status_network
    return status_network(args.data_dir, getattr(args, "online", None))


def _online_option(p) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--online", dest="online", action="store_const", const=True,
                       help="fetch the status lists (revocation) the credentials name and the issuers' keys "
                            "(did:web, https): at most 8 of each, 10 s in all")
    group.add_argument("--offline", dest="online", action="store_const", const=False,
                       help="use only status lists and issuer keys saved in the vault (the default)")


def _anchor_check(args):
    """Ask the chain about soulbound anchors: with --chain always (an unreachable network is
    said plainly), by default only when this data folder already uses a chain (never
    creating one: a verification changes nothing)."""
    if args.chain is False:
        return None
    from .chain.networks import CONFIG_NAME, chain_dir
    from .anchoring.verify import chain_anchor_check
    folder = chain_dir(args.data_dir)
    has_chain = (folder / CONFIG_NAME).exists() or (folder / "embedded.sqlite").exists()
    if args.chain is None and not has_chain:
        return None
    if not has_chain:
        return lambda original: (None, "could not check the chain: this data folder uses no network yet")
    return chain_anchor_check(args.data_dir)


def _verification_context(args, store=None):
    """``store``: the vault whose saved keys and lists are used (cli_keys.saved_keys)."""
    from .credentials.service import verification_context
    context = verification_context(store=store, network=_network(args))
    context.anchor_status = _anchor_check(args)
    return context


def cmd_credential_verify(args) -> int:
    from .cli_keys import saved_keys
    from .credentials.issuer_name import shown_issuer
    from .credentials.trust import TrustList
    from .credentials.verify import check
    data = _read_input(args.file)
    with saved_keys(args) as store:
        checked = check(data, _verification_context(args, store))
        trusted = TrustList(store).names() if store else {}
    verdict = checked.verdict
    lines = [("VALID: " if verdict.valid else "INVALID: ") + safe_text(verdict.message)]
    if verdict.issuer:   # without your trust list, a name is only what the issuer says
        shown = shown_issuer(verdict.issuer, getattr(checked.display, "issuer_name", ""), trusted)
        lines.append(f"Issuer: {shown.line}")
    if verdict.status:
        lines.append(safe_text(verdict.status.message))
    if verdict.anchor:
        lines.append(f"Soulbound: {verdict.anchor}")
    lines += [f"Warning: {safe_text(w.message)}" for w in verdict.warnings]
    emit(args, verdict.to_json(), "\n".join(lines))
    return 0 if verdict.valid else 1


def _summary_line(s, trusted: dict, check: dict | None = None) -> str:
    from .credentials.issuer_name import shown_issuer
    issuer = shown_issuer(s.issuer, s.issuer_name, trusted)
    unchecked = "  (status not checked)" if (check or {}).get("state") == "unchecked" else ""
    return f"{s.short_id}  {s.status:<13} {safe_text(s.title[:48]):<48}  {issuer.line}{unchecked}"


def cmd_credential_import(args) -> int:
    from .errors import InvalidCredential
    service = open_credentials(args)
    results, failed, readable = [], 0, []
    try:
        for path in args.files:
            try:
                readable.append((path, Path(path).read_bytes()))
            except OSError as exc:
                failed += 1
                results.append({"file": path, "imported": False, "reason": "unreadable",
                                "error": f"cannot read {path}: {exc.strerror or exc}"})
                say(f"{path}: not imported: cannot read it ({exc.strerror or exc})")
        outcomes = service.import_many([data for _, data in readable])
    finally:
        service.store.lock()
    for (path, _), outcome in zip(readable, outcomes):
        if isinstance(outcome, InvalidCredential):
            failed += 1
            results.append({"file": path, "imported": False, "reason": outcome.reason, "error": str(outcome)})
            say(f"{path}: not imported: {outcome}")
            continue
        s = outcome.summary
        results.append({"file": path, "imported": True, "created": outcome.created, "id": s.id,
                        "status": s.status, "verdict": outcome.verdict.to_json()})
        if not args.json:
            what = "imported" if outcome.created else "already in the vault"
            print(safe_text(f"{path}: {what} as {s.short_id} — {safe_text(s.title)} ({s.status})"))
            if outcome.verdict.status and outcome.verdict.status.state.value != "none":
                print(f"  {safe_text(outcome.verdict.status.message)}")
            for w in outcome.verdict.warnings:
                print(f"  warning: {safe_text(w.message)}")
    emit(args, results)
    return 1 if failed else 0


def cmd_credential_sample(args) -> None:
    from .presentations.service import PresentationService
    credentials = open_credentials(args)
    try:
        result = PresentationService(Identity(credentials.store), credentials).add_sample(args.did)
        issuer = credentials.issuer(result.summary.issuer, result.summary.issuer_name)
    finally:
        credentials.store.lock()
    s = result.summary
    emit(args, s.to_json() | {"created": result.created, "verdict": result.verdict.to_json(),
                              "issuer_shown": issuer.to_json()},
         f"{'Issued and imported' if result.created else 'Already in the vault:'} {s.short_id} — {s.title} "
         f"({s.status}), to {s.subject}\n  issuer: {issuer.line}\n  It proves nothing: it is for trying "
         f"`vault present --credential {s.short_id} --challenge C --domain D --out code.png`.")


def cmd_credential_list(args) -> None:
    service = open_credentials(args)
    try:
        found = service.repository.search(args.search or "", issuer=args.issuer, type_=args.type,
                                          status=args.status, sort=args.sort,
                                          descending=not args.ascending, limit=args.limit)
        checks = service.repository.status_checks([c.id for c in found])
        trusted = service.trust.names()
    finally:
        service.store.lock()
    emit(args, [c.to_json() | {"status_check": checks.get(c.id)} for c in found],
         "\n".join(_summary_line(c, trusted, checks.get(c.id)) for c in found) if found else "No credentials match.")


def _claim_lines(claims, indent: str) -> list[str]:
    """Flattened claims (path, value) as `path = value` lines, each value on one line,
    cut with "…" (credential show, verify)."""
    return [f"{indent}{safe_text(path)} = {one_line(value, 100)}" for path, value in claims]


def cmd_credential_show(args) -> None:
    service = open_credentials(args)
    try:
        summary, checked = service.details(args.id)
        stored = service.repository.verdict(summary.id)
        issuer = service.issuer(summary.issuer, summary.issuer_name)
    finally:
        service.store.lock()
    d = checked.display
    data = summary.to_json() | {"verdict": stored, "claims": [[p, v] for p, v in (d.claims if d else ())],
                                "issuer_shown": issuer.to_json()}
    if d:
        data["display"] = {"title": d.title, "description": d.description, "criteria": d.criteria_narrative,
                           "criteria_url": d.criteria_url, "image": d.image, "issuer_name": d.issuer_name,
                           "issuer_logo": d.issuer_logo, "subject_name": d.subject_name,
                           "achievement_type": d.achievement_type,
                           "alignments": [list(a) for a in d.alignments]}
    lines = [safe_text(summary.title), f"  id:       {summary.id}", f"  format:   {summary.format}",
             f"  issuer:   {issuer.line}", f"  status:   {summary.status} — {safe_text(stored.get('message', ''))}"]
    if isinstance(stored.get("status"), dict):
        lines.append(f"  revocation: {safe_text(str(stored['status'].get('message', '')))}")
    if d and d.description:
        lines.append(f"  about:    {safe_text(d.description)}")
    if d and d.criteria_narrative:
        lines.append(f"  criteria: {safe_text(d.criteria_narrative)}")
    for w in stored.get("warnings", []):
        lines.append(f"  warning:  {safe_text(w['message'])}")
    lines.append("  claims:")
    lines += _claim_lines(d.claims if d else (), "    ")
    emit(args, data, "\n".join(lines))


def cmd_credential_reverify(args) -> int:
    service = open_credentials(args)
    try:
        ids = [c.id for c in service.repository.search()] if args.id == "all" else [args.id]
        results = [service.reverify(cid) for cid in ids]
        trusted = service.trust.names()
    finally:
        service.store.lock()
    emit(args, [s.to_json() | {"verdict": v.to_json()} for s, v in results],
         "\n".join(f"{_summary_line(s, trusted)}\n  {safe_text(v.message)}"
                   + (f"\n  {safe_text(v.status.message)}" if v.status else "") for s, v in results))
    return 0 if all(v.valid for _, v in results) else 1


def cmd_credential_delete(args) -> None:
    service = open_credentials(args)
    try:
        summary = service.repository.get(args.id)
        service.delete(summary.id)
    finally:
        service.store.lock()
    emit(args, {"deleted": summary.id}, f"Deleted {summary.short_id} — {summary.title}")


def cmd_credential_export(args) -> None:
    service = open_credentials(args)
    try:
        out = service.export(args.id, Path(args.out))
    finally:
        service.store.lock()
    emit(args, {"exported": str(out)}, f"Written to {out} (the original bytes, as received).")


def cmd_credential_tag(args) -> None:
    service = open_credentials(args)
    try:
        summary = service.repository.set_tags(args.id, args.tags)
    finally:
        service.store.lock()
    emit(args, summary.to_json(), f"Tags of {summary.short_id}: {', '.join(summary.tags) or '(none)'}")


def cmd_credential_note(args) -> None:
    service = open_credentials(args)
    try:
        summary = service.repository.set_note(args.id, args.text)
    finally:
        service.store.lock()
    emit(args, summary.to_json(), f"Note of {summary.short_id} saved.")


def cmd_trust(args) -> None:
    if args.action.endswith("-ca"):
        from .cli_keys import cmd_trust_ca
        return cmd_trust_ca(args)
    service = open_credentials(args)
    try:
        if args.action == "add":
            if not args.did:
                raise UsageError("usage: vault trust add ISSUER_DID [--name NAME]")
            service.trust.add(args.did, args.name or "")
        elif args.action == "remove":
            if not args.did:
                raise UsageError("usage: vault trust remove ISSUER_DID")
            service.trust.remove(args.did)
        entries = service.trust.entries()
    finally:
        service.store.lock()
    emit(args, entries, "\n".join(f"{safe_text(e['did'])}  {safe_text(e['name'])}" for e in entries)
         or "The trust list is empty.")


def cmd_did_cache(args) -> None:
    from .credentials.cache import VerificationCache
    from .credentials.keys import check_document
    try:
        document = safejson.loads(_read_input(args.file))
    except (ValueError, RecursionError) as exc:
        raise UsageError(f"{args.file} is not JSON: {exc}") from exc
    try:   # refused before the vault is opened: nothing is stored
        did = check_document(document)
    except VaultError as exc:
        raise VaultError(f"{args.file} was not cached: {exc}") from exc
    identity = open_identity(args)
    try:
        VerificationCache(identity.store).put_did_document(did, document)
    finally:
        identity.store.lock()
    emit(args, {"cached": did}, f"Cached the DID document of {did}: its credentials now verify offline.")


# ---- presentations --------------------------------------------------------------------

def _selective(repository, cid: str) -> bool:
    from .presentations.build import PresentationError, selective
    try:
        return selective(repository, cid)
    except PresentationError:
        return False        # the build says why, with the other errors


def _reveal_choices(values: list[str] | None, repository, ids: list[str]) -> dict | None:
    """--reveal CLAIM (every selective credential) or --reveal ID:CLAIM (one of them)."""
    if not values:
        return None
    reveal: dict[str, list[str]] = {}
    for value in values:
        prefix, _, claim = value.partition(":")
        if claim and len(prefix) >= 4 and all(c in "0123456789abcdef" for c in prefix.lower()):
            reveal.setdefault(repository.resolve_id(prefix), []).append(claim)
        else:
            selective = [cid for cid in ids if _selective(repository, cid)]
            if not selective:
                raise UsageError("--reveal applies to SD-JWT and ecdsa-sd-2023 credentials, and none was chosen")
            for cid in selective:
                reveal.setdefault(cid, []).append(value)
    return reveal


def cmd_present(args) -> None:
    from .presentations.service import PresentationService
    from .qr import output
    from .qr.parts import encode_parts
    credentials = open_credentials(args)
    try:
        ids = [credentials.repository.resolve_id(c) for c in args.credential]
        reveal = _reveal_choices(args.reveal, credentials.repository, ids)
        service = PresentationService(Identity(credentials.store), credentials)
        presentation = service.present(ids, reveal, args.challenge, args.domain,
                                       fmt="jwt" if args.format == "jwt" else "di",
                                       cryptosuite=args.cryptosuite, expires_in=args.expires_in * 60)
        issuers = [credentials.issuer(c.issuer, c.issuer_name) for c in presentation.credentials]
    finally:
        credentials.store.lock()
    out = Path(args.out)
    if args.format == "qr":
        codes = encode_parts(presentation.data, kind=presentation.kind)
        written = output.write_codes(codes, out)
    else:
        from .store.atomic import write_atomic
        write_atomic(out, presentation.data)
        codes, written = [], [out]
    summary = presentation.to_json() | {"files": [str(p) for p in written], "qr_parts": len(codes)}
    lines = [f"Presentation for {presentation.domain}, signed by {presentation.holder}, valid until "
             f"{presentation.expires}."]
    for c, issuer in zip(presentation.credentials, issuers):
        shown = ", ".join(map(safe_text, c.revealed)) if c.selective else "every claim"
        lines.append(f"  {safe_text(c.title)} ({issuer.line}): discloses {shown}")
        if c.withheld:
            lines.append(f"    withheld: {', '.join(map(safe_text, c.withheld))}")
    lines.append(f"Written: {', '.join(str(p) for p in written[:4])}" + (" …" if len(written) > 4 else ""))
    emit(args, summary, "\n".join(lines))


def cmd_verify(args) -> int:
    from .credentials.issuer_name import shown_issuer
    from .credentials.openbadges import flatten_claims
    from .presentations import verify_presentation
    from .qr.scan import read_presentation
    source = Path(args.input)
    if not source.exists():
        raise UsageError(f"{args.input} does not exist")
    try:
        decoded = read_presentation(source)
    except VaultError as exc:
        data = {"valid": False, "reason": "malformed", "message": str(exc), "holder": "", "credentials": [],
                "warnings": []}
        emit(args, data, f"INVALID: {exc}")
        return 1
    from .cli_keys import saved_keys
    with saved_keys(args) as store:
        verdict = verify_presentation(decoded.payload, challenge=args.challenge, domain=args.domain,
                                      context=_verification_context(args, store))
    lines = [("VALID: " if verdict.valid else "INVALID: ") + safe_text(verdict.message)]
    if verdict.holder:
        lines.append(f"Holder: {safe_text(verdict.holder)}")
    for c in verdict.credentials:   # no trust list here: an issuer's name is its own claim
        mark = "ok " if c.valid else "BAD"
        lines.append(f"  [{mark}] {safe_text(c.title)} — {shown_issuer(c.issuer, c.issuer_name).line}: "
                     f"{safe_text(c.message)}" + (f" ({c.anchor})" if c.anchor else ""))
        if c.status:
            lines.append(f"        {safe_text(c.status.message)}")
        lines += _claim_lines([(p, v) for p, v in flatten_claims(c.disclosed)
                               if p.split(".")[-1].split("[")[0] not in ("@context", "proof", "type", "@type")],
                              "        ")
        lines += [f"        warning: {safe_text(w.message)}" for w in c.warnings]
    lines += [f"Warning: {safe_text(w.message)}" for w in verdict.warnings]
    emit(args, verdict.to_json(), "\n".join(lines))
    return 0 if verdict.valid else 1


def cmd_presentation_log(args) -> None:
    from .presentations.log import PresentationLog
    identity = open_identity(args)
    try:
        entries = PresentationLog(identity.store).entries(domain=args.domain, limit=args.limit)
    finally:
        identity.store.lock()
    lines = []
    for e in entries:
        titles = "; ".join(safe_text(c.get("title", "?")) for c in e.credentials)
        lines.append(f"{e.created_at}  to {safe_text(e.domain)}  ({e.kind})  {titles}")
    emit(args, [e.to_json() for e in entries], "\n".join(lines) or "No presentations made yet.")


# ---- parser ---------------------------------------------------------------------------

def _chain_option(p) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--chain", dest="chain", action="store_true", default=None,
                       help="check soulbound anchors on the network this data folder uses "
                            "(default: when it uses one)")
    group.add_argument("--no-chain", dest="chain", action="store_false", help="do not ask the chain")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an option given before the command is not reset by the subparser's default.
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="vault data folder "
                        f"(default: ${paths.ENV_HOME} or the platform's user data folder)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="machine-readable output on stdout")
    common.add_argument("--passphrase-file", default=argparse.SUPPRESS,
                        help=f"read the passphrase from this file (or set ${ENV_PASSPHRASE})")

    parser = argparse.ArgumentParser(prog="vault", parents=[common],
                                     description="Blocktrack Vault: credentials, DIDs and keys, encrypted on this machine.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="show debug messages on stderr and "
                        "keep them in the data folder's logs/vault.log (never secrets)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(parent, name, func, help_text):
        p = parent.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    def kdf_option(p):
        p.add_argument("--kdf-seconds", type=float, default=DEFAULT_TARGET_SECONDS,
                       help="tune the key derivation to take about this long here "
                            "(default %(default)s; 0 = the floor, 64 MiB and 3 passes)")

    p = command(sub, "init", cmd_init, "create a new vault and print its recovery phrase once")
    p.add_argument("--words", type=int, choices=(12, 24), default=12)
    kdf_option(p)
    p = command(sub, "restore", cmd_restore, "create a vault from a recovery phrase")
    p.add_argument("--recovery-phrase-file", required=True)
    kdf_option(p)
    p = command(sub, "status", cmd_status, "where the vault is, its state and its identities")
    p.add_argument("--unlock", action="store_true", help="ask for the passphrase and check integrity")

    pp = sub.add_parser("passphrase", help="change the passphrase").add_subparsers(dest="sub", required=True)
    p = command(pp, "change", cmd_passphrase_change, "re-encrypt the vault under a new passphrase")
    p.add_argument("--new-passphrase-file")
    p.add_argument("--kdf-seconds", type=float, default=None, help="also re-tune the key derivation")

    p = command(sub, "backup", cmd_backup, "write an encrypted backup (backup OUT) or restore one "
                                          "into an empty data folder (backup restore IN)")
    p.add_argument("target", nargs="+", metavar="OUT | restore IN")

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
    kp = sub.add_parser("key", help="issuer keys kept for offline checks").add_subparsers(dest="sub", required=True)
    from .cli_keys import cmd_key_cache
    p = command(kp, "cache", cmd_key_cache, "keep an issuer key given by hand (an Open Badges 2.0 CryptographicKey, "
                                            "an https key or issuer profile, SD-JWT VC issuer metadata) so its "
                                            "credentials verify offline")
    p.add_argument("file")

    cp = sub.add_parser("credential", help="import, verify, list and show credentials").add_subparsers(
        dest="sub", required=True)
    p = command(cp, "verify", cmd_credential_verify, "verify a credential file without storing it "
                                                     "(needs no vault); exit 0 valid, 1 invalid")
    p.add_argument("file")
    _online_option(p)
    _chain_option(p)
    p = command(cp, "import", cmd_credential_import, "import credentials (JSON, JWT, SD-JWT, baked PNG/SVG)")
    p.add_argument("files", nargs="+", metavar="FILE")
    _online_option(p)
    p = command(cp, "sample", cmd_credential_sample, "issue yourself a sample credential to try presenting "
                                                     "(from the app's demo issuer, not a real institution)")
    p.add_argument("--did", help="one of this vault's did:key / did:jwk DIDs (default: the default DID)")
    p = command(cp, "list", cmd_credential_list, "list or search stored credentials")
    p.add_argument("--search", metavar="Q", help="full-text search (issuer, type, achievement, claims)")
    p.add_argument("--issuer", metavar="DID")
    p.add_argument("--type", metavar="TYPE")
    p.add_argument("--status", choices=("valid", "expired", "not-yet-valid", "revoked", "suspended",
                                        "unverified", "invalid"))
    p.add_argument("--sort", choices=("imported", "title", "issuer", "valid_from", "valid_until"),
                   default="imported")
    p.add_argument("--ascending", action="store_true")
    p.add_argument("--limit", type=int)
    p = command(cp, "show", cmd_credential_show, "show a credential with all its claims")
    p.add_argument("id")
    p = command(cp, "reverify", cmd_credential_reverify, "verify a stored credential again (ID or 'all')")
    p.add_argument("id")
    _online_option(p)
    p = command(cp, "delete", cmd_credential_delete, "delete a credential (final)")
    p.add_argument("id")
    p = command(cp, "export", cmd_credential_export, "write a credential's original bytes to a file")
    p.add_argument("id")
    p.add_argument("out")
    p = command(cp, "tag", cmd_credential_tag, "set a credential's tags")
    p.add_argument("id")
    p.add_argument("tags", nargs="*")
    p = command(cp, "note", cmd_credential_note, "set a credential's note")
    p.add_argument("id")
    p.add_argument("text")

    p = command(sub, "present", cmd_present, "sign a presentation of stored credentials for a verifier")
    p.add_argument("--credential", action="append", required=True, metavar="ID")
    p.add_argument("--reveal", action="append", metavar="CLAIM",
                   help="claim to disclose of an SD-JWT or ecdsa-sd-2023 credential (CLAIM or ID:CLAIM; "
                        "repeat; ecdsa-sd-2023 paths start at the credential: credentialSubject.name); "
                        "default: every claim")
    p.add_argument("--challenge", required=True, help="the verifier's challenge (nonce)")
    p.add_argument("--domain", required=True, help="the verifier's domain (audience)")
    p.add_argument("--format", choices=("qr", "json", "jwt"), default="qr")
    p.add_argument("--cryptosuite", choices=("eddsa-rdfc-2022", "eddsa-jcs-2022"), default="eddsa-rdfc-2022")
    p.add_argument("--expires-in", type=float, default=10, metavar="MINUTES")
    p.add_argument("--out", required=True, help="file (one QR code, JSON or JWT) or folder (QR parts)")
    p = command(sub, "verify", cmd_verify, "verify a presentation (image, folder of QR parts, JSON or "
                                           "JWT file); needs no vault; exit 0 valid, 1 invalid")
    p.add_argument("input")
    p.add_argument("--challenge", required=True)
    p.add_argument("--domain", required=True)
    _online_option(p)
    _chain_option(p)
    pl = sub.add_parser("presentation", help="the presentations you made").add_subparsers(dest="sub", required=True)
    p = command(pl, "log", cmd_presentation_log, "list presentations made: what, to whom, when")
    p.add_argument("--domain")
    p.add_argument("--limit", type=int)

    p = command(sub, "trust", cmd_trust, "the issuers you trust: add, list, remove; and the certificate "
                                         "authorities for issuers' X.509 chains: add-ca CERT.pem, list-ca, "
                                         "remove-ca FINGERPRINT")
    p.add_argument("action", choices=("add", "list", "remove", "add-ca", "list-ca", "remove-ca"))
    p.add_argument("did", nargs="?", metavar="DID | CERT | FINGERPRINT")
    p.add_argument("--name")

    rp = sub.add_parser("recovery-phrase", help="show the recovery phrase").add_subparsers(dest="sub", required=True)
    command(rp, "show", cmd_phrase_show, "print the recovery phrase (asks for the passphrase)")
    from .cli_chain import register as register_chain  # `vault chain ...`, `vault tx ...`
    register_chain(sub, command, common)
    from .cli_wallet import register as register_wallet  # `vault wallet|stake|soulbound ...`
    register_wallet(sub, command, common)
    from .cli_gov import register as register_gov  # `vault gov ...`, `vault market ...`
    register_gov(sub, command, common)
    from .cli_serve import register as register_serve  # `vault serve --vc-api`
    register_serve(sub, command, common)
    return parser


def _node_answer_error(exc: BaseException):
    if "web3" not in sys.modules and "eth_abi" not in sys.modules:  # no node was asked
        return None
    from .chain.rpc_guard import as_chain_error

    return as_chain_error(exc)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.json = getattr(args, "json", False)
    args.passphrase_file = getattr(args, "passphrase_file", None)
    args.data_dir = paths.data_dir(getattr(args, "data_dir", None))
    command = " ".join(str(name) for name in (args.command, getattr(args, "sub", None)) if name)
    logs.setup(args.data_dir, verbose=args.verbose)
    log.debug("vault %s %s", command, __version__)
    try:
        code = args.func(args)
    except UsageError as exc:
        say(f"vault: error: {exc}")
        return 2
    except VaultError as exc:
        say(f"vault: {exc}")
        return 1
    except KeyboardInterrupt:
        print("vault: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `vault credential list | head`: the reader left, not an error
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug: one line saying so, not a traceback (unless debugging)
        log.error("unexpected error in `vault %s`", command, exc_info=True)   # the traceback, in the log file
        if (said := _node_answer_error(exc)) is not None:  # a node's answer web3 could not decode
            print(f"vault: {said}", file=sys.stderr)
            return 1
        if os.environ.get("BLOCKTRACK_VAULT_DEBUG"):
            raise
        detail = (str(exc).splitlines() or [""])[0][:300]
        print(f"vault: Unexpected error: {type(exc).__name__}: {detail}. This is a bug; please report it "
              "with the command you ran (BLOCKTRACK_VAULT_DEBUG=1 shows where it happened).", file=sys.stderr)
        return 1
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
