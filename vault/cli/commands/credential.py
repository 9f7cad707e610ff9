"""`vault credential verify | import | sample | list | show | reverify | delete | export |
tag | note`: the credentials in the vault, and any credential file verified standalone."""

from __future__ import annotations

from pathlib import Path

from ...credentials.issuer_name import shown_issuer
from ...credentials.repository import CredentialRepository
from ...credentials.trust import TrustList
from ...errors import InvalidCredential
from ...safe_text import safe_text
from ..io import claim_lines, emit, read_input, say
from ..options import chain_option, command, online_option
from ..session import credential_service, saved_keys, unlocked_store, verification_context


def cmd_credential_verify(args) -> int:
    # start-up: credentials.verify ~170 ms (every verifier), only for `credential verify`
    from ...credentials.verify import check
    data = read_input(args.file)
    with saved_keys(args) as store:
        checked = check(data, verification_context(args, store))
        trusted = TrustList(store).names() if store else {}
    verdict = checked.verdict
    lines = [("VALID: " if verdict.valid else "INVALID: ") + safe_text(verdict.message)]
    if verdict.issuer:   # without your trust list, a name is only what the issuer says
        shown = shown_issuer(verdict.issuer, getattr(checked.display, "issuer_name", ""), trusted)
        lines.append(f"Issuer: {shown.line}")
    if verdict.status:
        lines.append(safe_text(verdict.status.message))
    if verdict.anchor:
        lines.append(f"{'Blockchain anchor' if verdict.format == 'blockcerts' else 'Soulbound'}: "
                     f"{safe_text(verdict.anchor)}")
    lines += [f"Warning: {safe_text(w.message)}" for w in verdict.warnings]
    emit(args, verdict.to_json(), "\n".join(lines))
    return 0 if verdict.valid else 1


def _summary_line(s, trusted: dict, check: dict | None = None, issuers: dict | None = None) -> str:
    return _list_line(s.id, s.status, s.title, s.issuer, s.issuer_name, check, trusted, issuers)


def _list_line(cid: str, status: str, title: str, issuer: str, issuer_name: str, check: dict | None,
               trusted: dict, issuers: dict | None = None) -> str:
    """``issuers``: a cache of issuer lines by (DID, declared name), shared by the lines of
    one listing (a vault holds many credentials of few issuers)."""
    key = (issuer, issuer_name)
    line = issuers.get(key) if issuers is not None else None
    if line is None:
        line = shown_issuer(issuer, issuer_name, trusted).line
        if issuers is not None:
            issuers[key] = line
    unchecked = "  (status not checked)" if (check or {}).get("state") == "unchecked" else ""
    return f"{cid[:12]}  {status:<13} {safe_text(title[:48]):<48}  {line}{unchecked}"


def cmd_credential_import(args) -> int:
    results, failed, readable = [], 0, []
    with credential_service(args) as service:
        for path in args.files:
            try:
                readable.append((path, Path(path).read_bytes()))
            except OSError as exc:
                failed += 1
                results.append({"file": path, "imported": False, "reason": "unreadable",
                                "error": f"cannot read {path}: {exc.strerror or exc}"})
                say(f"{path}: not imported: cannot read it ({exc.strerror or exc})")
        outcomes = service.import_many([data for _, data in readable])
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
    # start-up: presentations.service ~320 ms, only for `credential sample`
    from ...identity import Identity
    from ...presentations.service import PresentationService
    with credential_service(args) as credentials:
        result = PresentationService(Identity(credentials.store), credentials).add_sample(args.did)
        issuer = credentials.issuer(result.summary.issuer, result.summary.issuer_name)
    s = result.summary
    emit(args, s.to_json() | {"created": result.created, "verdict": result.verdict.to_json(),
                              "issuer_shown": issuer.to_json()},
         f"{'Issued and imported' if result.created else 'Already in the vault:'} {s.short_id} — {s.title} "
         f"({s.status}), to {s.subject}\n  issuer: {issuer.line}\n  It proves nothing: it is for trying "
         f"`vault present --credential {s.short_id} --challenge C --domain D --out code.png`.")


def cmd_credential_list(args) -> None:
    filters = dict(issuer=args.issuer, type_=args.type, status=args.status, sort=args.sort,
                   descending=not args.ascending, limit=args.limit)
    with unlocked_store(args) as store:
        repository = CredentialRepository(store)
        if args.json:
            found = repository.search_with_status_lines(args.search or "", **filters)
        else:   # what a line shows only: no summaries to build (10,000 of them cost ~60 ms)
            listed = repository.listed(args.search or "", **filters)
        trusted = TrustList(store).names()
    if args.json:
        emit(args, [c.to_json() | {"status_check": line} for c, line in found])
        return
    issuers: dict = {}
    emit(args, None, "\n".join(_list_line(*row, trusted, issuers) for row in listed) if listed
         else "No credentials match.")


def cmd_credential_show(args) -> None:
    with credential_service(args) as service:
        summary, checked = service.details(args.id)
        stored = service.repository.verdict(summary.id)
        issuer = service.issuer(summary.issuer, summary.issuer_name)
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
    lines += claim_lines(d.claims if d else (), "    ")
    emit(args, data, "\n".join(lines))


def cmd_credential_reverify(args) -> int:
    with credential_service(args) as service:
        ids = [c.id for c in service.repository.search()] if args.id == "all" else [args.id]
        results = [service.reverify(cid) for cid in ids]
        trusted = service.trust.names()
    emit(args, [s.to_json() | {"verdict": v.to_json()} for s, v in results],
         "\n".join(f"{_summary_line(s, trusted)}\n  {safe_text(v.message)}"
                   + (f"\n  {safe_text(v.status.message)}" if v.status else "") for s, v in results))
    return 0 if all(v.valid for _, v in results) else 1


def cmd_credential_delete(args) -> None:
    with credential_service(args) as service:
        summary = service.repository.get(args.id)
        service.delete(summary.id)
    emit(args, {"deleted": summary.id}, f"Deleted {summary.short_id} — {summary.title}")


def cmd_credential_export(args) -> None:
    with credential_service(args) as service:
        out = service.export(args.id, Path(args.out))
    emit(args, {"exported": str(out)}, f"Written to {out} (the original bytes, as received).")


def cmd_credential_tag(args) -> None:
    with credential_service(args) as service:
        summary = service.repository.set_tags(args.id, args.tags)
    emit(args, summary.to_json(), f"Tags of {summary.short_id}: {', '.join(summary.tags) or '(none)'}")


def cmd_credential_note(args) -> None:
    with credential_service(args) as service:
        summary = service.repository.set_note(args.id, args.text)
    emit(args, summary.to_json(), f"Note of {summary.short_id} saved.")


def add_parser(sub) -> None:
    """`vault credential ...`."""
    cp = sub.add_parser("credential", help="import, verify, list and show credentials").add_subparsers(
        dest="sub", required=True)
    p = command(cp, "verify", cmd_credential_verify, "verify a credential file without storing it "
                                                     "(needs no vault); exit 0 valid, 1 invalid")
    p.add_argument("file")
    online_option(p)
    chain_option(p)
    p = command(cp, "import", cmd_credential_import, "import credentials (JSON, JWT, SD-JWT, baked PNG/SVG)")
    p.add_argument("files", nargs="+", metavar="FILE")
    online_option(p)
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
    online_option(p)
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
