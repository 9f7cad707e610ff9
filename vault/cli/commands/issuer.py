"""`vault issuer profile create|list|show|update|did-document`, `vault issuer achievement add|list`,
`vault issuer revoke|suspend|unsuspend ID`, `vault issuer status-list export`, `vault issuer
log`, `vault issuer export ID`, and `vault issue`: the vault as an issuer (vault.issuing)."""

from __future__ import annotations

import json
from pathlib import Path

from ...errors import VaultError
from ...safe_text import safe_text
from ...store.atomic import write_atomic
from ..io import UsageError, emit, read_input, say
from ..options import command
from ..session import unlocked
from . import issue_anchor


def _issuer(identity):
    # start-up: the issuing stack (pyld, sd-jwt, jwcrypto) ~0.4 s, for these commands only
    from ...issuing.issuer import Issuer
    return Issuer(identity)


def _profile_lines(profile) -> list[str]:
    data = profile.to_json()
    lines = [f"#{profile.id}  {safe_text(profile.name)}" + ("  (SAMPLE: its key is public, it proves nothing)"
                                                             if profile.is_sample else ""),
             f"  signs as      {profile.did}", f"  key           {profile.verification_method}"]
    for label, name in (("URL", "url"), ("image", "image"), ("anchors with", "anchor_account")):
        if data[name]:
            lines.append(f"  {label:<13} {safe_text(data[name][:200])}")
    if profile.did_method == "web":
        lines.append(f"  host its DID document at {profile.did_document_url()} "
                     f"(vault issuer profile did-document {profile.id} --out did.json)")
    for purpose, url in data["status_lists"].items():
        lines.append(f"  host the {purpose} list at {url}")
    if not data["status_lists"] and not profile.is_sample:
        lines.append("  no status lists (no URL): its credentials cannot be revoked")
    return lines


def cmd_issuer_profile(args) -> None:
    with unlocked(args) as identity:
        issuer = _issuer(identity)
        if args.action == "create":
            if not args.name:
                raise UsageError("usage: vault issuer profile create NAME [--url URL] [--method key|web --web HOST]")
            profile = issuer.profiles.create(args.name, method=args.method, web=args.web or "", url=args.url or "",
                                             image=args.image or "", description=args.description or "",
                                             email=args.email or "", anchor_account=args.anchor_account or "",
                                             status_base_url=args.status_url or "")
            with identity.store.transaction() as conn:   # its lists exist from the start, to host at once
                issuer.lists.ensure(conn, profile) if issuer.lists.has_lists(profile) else None
            say(f"Created the issuer profile {profile.name!r} (#{profile.id}).")
            return emit(args, profile.to_json(), "\n".join(_profile_lines(profile)))
        if args.action == "list":
            profiles = issuer.profiles.list()
            return emit(args, [p.to_json() for p in profiles],
                        "\n".join(line for p in profiles for line in _profile_lines(p))
                        or "No issuer profile yet: `vault issuer profile create NAME --url https://…`.")
        if not args.name:
            raise UsageError(f"usage: vault issuer profile {args.action} PROFILE")
        profile = issuer.profiles.get(args.name)
        if args.action == "update":
            if args.anchor_account is None:
                raise UsageError("usage: vault issuer profile update PROFILE --anchor-account ADDRESS ('' for none)")
            profile = issuer.profiles.update(profile.id, anchor_account=args.anchor_account)
            return emit(args, profile.to_json(), "\n".join(_profile_lines(profile)))
        if args.action == "show":
            achievements = issuer.profiles.achievements(profile.id)
            data = profile.to_json() | {"achievements": [a.to_json() for a in achievements]}
            return emit(args, data, "\n".join(_profile_lines(profile) + [
                f"  achievement #{a.id}: {safe_text(a.name)}" for a in achievements]))
        document = issuer.profiles.did_document(profile)
    text = json.dumps(document, indent=2)
    if args.out:
        write_atomic(Path(args.out), (text + "\n").encode("utf-8"))
        say(f"Wrote the DID document to {args.out}" + (f": host it at {profile.did_document_url()}"
                                                          if profile.did_method == "web" else "."))
    else:
        print(text)


def cmd_issuer_achievement(args) -> None:
    with unlocked(args) as identity:
        issuer = _issuer(identity)
        if args.action == "add":
            args.name = args.name or args.name_option
            if not (args.profile and args.name):
                raise UsageError("usage: vault issuer achievement add NAME --profile P [--description …]")
            alignment = []
            for item in args.align or ():
                name, sep, url = item.partition("=")
                if not sep:
                    raise UsageError(f"--align takes NAME=URL, not {item[:60]!r}")
                alignment.append({"targetName": name, "targetUrl": url})
            achievement = issuer.profiles.add_achievement(
                args.profile, args.name, description=args.description or "", criteria=args.criteria or "",
                image=args.image or "", achievement_type=args.type, alignment=alignment, tags=args.tag or ())
            return emit(args, achievement.to_json(), f"Added the achievement #{achievement.id} "
                        f"{safe_text(achievement.name)} ({achievement.uri}).")
        achievements = issuer.profiles.achievements(args.profile)
        names = {p.id: p.name for p in issuer.profiles.list()}
    emit(args, [a.to_json() for a in achievements],
         "\n".join(f"#{a.id}  {safe_text(a.name)}  [{safe_text(names.get(a.profile_id, ''))}]  {a.achievement_type}"
                   for a in achievements) or "No achievement yet: `vault issuer achievement add NAME --profile P`.")


def _date(text: str | None, what: str):
    if not text:
        return None
    # start-up: the issuing stack (pyld, sd-jwt, jwcrypto) ~0.4 s, for these commands only
    from ...issuing.batch import parse_date
    return parse_date(text, what)


def cmd_issue(args) -> None:
    # start-up: the issuing stack (pyld, sd-jwt, jwcrypto) ~0.4 s, for these commands only
    from ...issuing import batch, deliver
    # start-up: the issuing stack (pyld, sd-jwt, jwcrypto) ~0.4 s, for these commands only
    from ...issuing.issuer import Evidence, IssueOptions
    if bool(args.to) == bool(args.csv):
        raise UsageError("give the recipient: --to DID (or address), or --csv FILE for a batch")
    if args.csv and (args.out or args.qr):
        raise UsageError("a batch writes into --out-dir DIR (one file per recipient), not --out/--qr")
    disclosable = tuple(c.strip() for c in args.disclose.split(",") if c.strip()) if args.disclose else None
    if disclosable and args.format != "sd-jwt":
        raise UsageError("--disclose is for --format sd-jwt")
    image = read_input(args.bake) if args.bake else None
    _check_outputs(args)   # before signing: a credential issued is in the log even if its file is not
    with issue_anchor.opened(args) as (identity, session):   # the chain too, for --anchor
        issuer = _issuer(identity)
        account = issue_anchor.check(args, session, issuer) if session else ""   # before signing anything
        extra = {} if disclosable is None else {"disclosable": disclosable}
        if args.csv:
            records = batch.issue_csv(issuer, args.profile, args.achievement, read_input(args.csv),
                                      fmt=args.format, **extra)
        else:
            evidence = ()
            if args.evidence or args.evidence_narrative:
                evidence = (Evidence(url=args.evidence or "", narrative=args.evidence_narrative or ""),)
            options = IssueOptions(note=args.note or "", evidence=evidence,
                                   valid_from=_date(args.valid_from, "--valid-from"),
                                   valid_until=_date(args.valid_until, "--valid-until"))
            records = [issuer.issue(args.profile, args.achievement, args.to, fmt=args.format, options=options,
                                    **extra)]
        if session and issue_anchor.anchor(args, session, issuer, records[0], account):
            records = [issuer.get(records[0].id)]
    written = []
    try:
        for record in records:
            if args.out:
                written.append(str(deliver.write_file(record, Path(args.out), image=image)))
            elif args.out_dir:
                suffix = ".sd-jwt" if record.is_sd_jwt else ".json"
                name = record.id.rsplit(":", 1)[-1] + suffix
                written.append(str(deliver.write_file(record, Path(args.out_dir) / name)))
            if args.qr:
                written += [str(p) for p in _write_qr(record, Path(args.qr))]
    except OSError as exc:
        raise VaultError(f"Issued {len(records)} credential(s) (they are in `vault issuer log`), but writing "
                         f"a file failed: {exc.strerror or exc}. Write them again with `vault issuer export ID`.") \
            from None
    if not args.out and not args.out_dir and not args.json and len(records) == 1:
        print(records[0].content.decode("utf-8"))
    for path in written:
        say(f"Wrote {path}")
    data = [r.to_json(with_content=True) for r in records]
    if args.json:
        emit(args, data[0] if args.to else data)
    else:
        say(f"Issued {len(records)} credential(s): " + ", ".join(f"{r.id} to {r.recipient}" for r in records[:5])
            + (" …" if len(records) > 5 else ""))


def _write_qr(record, out: Path) -> list[Path]:
    """The credential as BTV1 QR: one image at ``out``, or a folder of parts, a sheet and a GIF."""
    # start-up: the issuing stack ~0.4 s (loaded already when issuing), for these commands only
    from ...issuing.deliver import qr_kind
    # start-up: segno ~55 ms with parts, only when a QR code is asked for
    from ...qr.output import write_codes
    # start-up: segno ~55 ms with output, only when a QR code is asked for
    from ...qr.parts import encode_parts
    return write_codes(encode_parts(record.content, kind=qr_kind(record)), out)


def _check_outputs(args) -> None:
    if args.out_dir:
        try:
            Path(args.out_dir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot make the folder {args.out_dir}: {exc.strerror or exc}") from None
    for option in (args.out, args.qr):
        if option and not Path(option).resolve().parent.is_dir():
            raise UsageError(f"the folder of {option} does not exist; nothing was issued")


def cmd_issuer_status(args) -> None:
    with unlocked(args) as identity:
        issuer = _issuer(identity)
        record = getattr(issuer, args.sub)(args.id, profile=args.profile)
    emit(args, record.to_json(), f"{record.id} is now {record.status}; the {record.profile_name} status list was "
                                 "re-signed: export it (`vault issuer status-list export`) and host it again.")


def cmd_issuer_status_list(args) -> None:
    with unlocked(args) as identity:
        issuer = _issuer(identity)
        profile = issuer.profiles.get(args.profile)
        written = issuer.lists.export(profile, Path(args.out))
    data = [{"file": str(path), "url": url} for path, url in written]
    emit(args, data, "\n".join(f"{path}  ->  host it at exactly {url}" for path, url in written))


def cmd_issuer_log(args) -> None:
    # start-up: the issuing stack (pyld, sd-jwt, jwcrypto) ~0.4 s, for these commands only
    from ...issuing import deliver
    with unlocked(args) as identity:
        records = _issuer(identity).log(args.search or "", profile=args.profile, status=args.status)
    if args.csv:
        Path(args.csv).write_bytes(deliver.log_csv(records))
        say(f"Wrote {len(records)} row(s) to {args.csv}")
    emit(args, [r.to_json() for r in records],
         "\n".join(f"{r.issued_at[:16]}  {r.status:<9}  {(r.anchor_words if r.anchor_by_dao else 'anchored') if r.anchored else 'not anchored':<12}  "
                   f"{r.format:<15}  {safe_text(r.title)}  ->  {r.recipient}  [{r.id}]" for r in records)
         or "Nothing issued" + (" matches." if args.search or args.status else " yet."))


def cmd_issuer_export(args) -> None:
    # start-up: the issuing stack (pyld, sd-jwt, jwcrypto) ~0.4 s, for these commands only
    from ...issuing import deliver
    with unlocked(args) as identity:
        record = _issuer(identity).get(args.id)
    if not (args.out or args.qr):
        print(record.content.decode("utf-8"))
    if args.out:
        deliver.write_file(record, Path(args.out), image=read_input(args.bake) if args.bake else None)
        say(f"Wrote {args.out}")
    if args.qr:
        for path in _write_qr(record, Path(args.qr)):
            say(f"Wrote {path}")



def add_parser(sub) -> None:
    """`vault issuer ...` and `vault issue`."""
    ip = sub.add_parser("issuer", help="issue credentials: profiles, achievements, status, the issued log"
                        ).add_subparsers(dest="sub", required=True)
    p = command(ip, "profile", cmd_issuer_profile, "issuer profiles: create NAME, list, show P, update P "
                                                   "--anchor-account A, did-document P")
    p.add_argument("action", choices=("create", "list", "show", "update", "did-document"))
    p.add_argument("name", nargs="?", metavar="NAME | PROFILE")
    p.add_argument("--method", choices=("key", "web"), default="key", help="sign as did:key (default) or did:web")
    p.add_argument("--web", metavar="HOST[:PATH]", help="the did:web (e.g. school.example:issuers:1)")
    p.add_argument("--url", help="the issuer's https home page (its status lists go under URL/status)")
    p.add_argument("--image", help="https URL (or data: URI) of the issuer's logo")
    p.add_argument("--description")
    p.add_argument("--email")
    p.add_argument("--anchor-account", metavar="ADDRESS", help="this vault's account that anchors")
    p.add_argument("--status-url", metavar="URL", help="where the status lists are hosted (default URL/status)")
    p.add_argument("--out", metavar="FILE", help="did-document: write it here")

    p = command(ip, "achievement", cmd_issuer_achievement, "achievements: add NAME --profile P, list")
    p.add_argument("action", choices=("add", "list"))
    p.add_argument("name", nargs="?", metavar="NAME", help="right after add (or --name NAME)")
    p.add_argument("--name", dest="name_option", metavar="NAME")
    p.add_argument("--profile", metavar="P")
    p.add_argument("--description")
    p.add_argument("--criteria", help="what earns it (narrative)")
    p.add_argument("--image", help="https URL (or data: URI) of the badge image")
    p.add_argument("--type", default="Badge", help="OB 3.0 achievement type (default Badge)")
    p.add_argument("--align", action="append", metavar="NAME=URL", help="a skill or standard it aligns to")
    p.add_argument("--tag", action="append")

    for action, text in (("revoke", "revoke a credential this vault issued (final)"),
                         ("suspend", "suspend a credential this vault issued"),
                         ("unsuspend", "lift a suspension")):
        p = command(ip, action, cmd_issuer_status, text + ": flips its bit and re-signs the status list")
        p.add_argument("id", metavar="CREDENTIAL_ID")
        p.add_argument("--profile", metavar="P", help="refuse unless P issued it")

    p = command(ip, "status-list", cmd_issuer_status_list, "export a profile's signed status lists to host")
    p.add_argument("action", choices=("export",))
    p.add_argument("--profile", required=True, metavar="P")
    p.add_argument("--out", required=True, metavar="DIR")

    p = command(ip, "log", cmd_issuer_log, "everything this vault issued")
    p.add_argument("--search", metavar="TEXT")
    p.add_argument("--profile", metavar="P")
    p.add_argument("--status", choices=("active", "revoked", "suspended"))
    p.add_argument("--csv", metavar="FILE", help="also write it as CSV (safe to open in a spreadsheet)")

    p = command(ip, "export", cmd_issuer_export, "deliver an issued credential again (file, baked badge, QR)")
    p.add_argument("id", metavar="CREDENTIAL_ID")
    p.add_argument("--out", metavar="FILE", help=".json / .sd-jwt, or .png / .svg to bake it into a badge")
    p.add_argument("--bake", metavar="IMAGE", help="the badge image to bake into (default: a plain badge)")
    p.add_argument("--qr", metavar="PNG", help="BTV1 QR code (a folder of parts when it needs several)")

    p = command(sub, "issue", cmd_issue, "issue an Open Badges 3.0 credential from an issuer profile")
    p.add_argument("--profile", required=True, metavar="P")
    p.add_argument("--achievement", required=True, metavar="A")
    p.add_argument("--to", metavar="DID", help="the recipient's DID or Ethereum address")
    p.add_argument("--csv", metavar="FILE", help="a batch: one recipient per row (column recipient, optional "
                                                 "note, evidence_url, evidence_narrative, valid_from, valid_until)")
    p.add_argument("--format", choices=("di", "jcs", "sd-jwt"), default="di",
                   help="di: eddsa-rdfc-2022 (default), jcs: eddsa-jcs-2022, sd-jwt: SD-JWT VC")
    p.add_argument("--disclose", metavar="CLAIMS", help="sd-jwt: the selectively disclosable claims, comma-"
                                                        "separated (default achievement,evidence)")
    p.add_argument("--note")
    p.add_argument("--evidence", metavar="URL")
    p.add_argument("--evidence-narrative", metavar="TEXT")
    p.add_argument("--valid-from", metavar="DATE")
    p.add_argument("--valid-until", metavar="DATE")
    p.add_argument("--out", metavar="FILE", help=".json / .sd-jwt, or .png / .svg to bake it into a badge")
    p.add_argument("--out-dir", metavar="DIR", help="a batch: one file per credential")
    p.add_argument("--bake", metavar="IMAGE", help="the badge image to bake into (with --out F.png/.svg)")
    p.add_argument("--qr", metavar="PNG", help="BTV1 QR code (a folder of parts when it needs several)")
    p.add_argument("--anchor", action="store_true", help="anchor it as a soulbound token for the learner's "
                                                         "account (the profile's anchoring account pays the fee)")
    p.add_argument("--holder", metavar="ADDRESS", help="--anchor: the learner's account (default: a did:pkh "
                                                       "recipient's)")
    p.add_argument("--yes", action="store_true", help="--anchor: send without asking after the preview")
