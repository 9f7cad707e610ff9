"""`vault trust add | list | remove`: the issuers you trust; `vault trust add-ca | list-ca |
remove-ca`: the certificate authorities of issuers' X.509 chains."""

from __future__ import annotations

from ...safe_text import safe_text
from ..io import UsageError, emit, read_input, say
from ..options import command
from ..session import credential_service, unlocked


def cmd_trust(args) -> None:
    if args.action.endswith("-ca"):
        return cmd_trust_ca(args)
    with credential_service(args) as service:
        if args.action == "add":
            if not args.did:
                raise UsageError("usage: vault trust add ISSUER_DID [--name NAME]")
            service.trust.add(args.did, args.name or "")
        elif args.action == "remove":
            if not args.did:
                raise UsageError("usage: vault trust remove ISSUER_DID")
            service.trust.remove(args.did)
        entries = service.trust.entries()
    emit(args, entries, "\n".join(f"{safe_text(e['did'])}  {safe_text(e['name'])}" for e in entries)
         or "The trust list is empty.")


def cmd_trust_ca(args) -> None:
    # start-up: credentials.webkeys.anchors ~40 ms; only the CA commands need it
    from ...credentials.webkeys.anchors import TrustAnchors, check_authority, read_certificate
    if args.action in ("add-ca", "remove-ca") and not args.did:
        raise UsageError(f"usage: vault trust {args.action} "
                         + ("CERT.pem" if args.action == "add-ca" else "FINGERPRINT"))
    if args.action == "add-ca":   # read and checked before the vault is opened
        data = read_input(args.did)
        check_authority(read_certificate(data))
    with unlocked(args) as identity:
        anchors = TrustAnchors(identity.store)
        if args.action == "add-ca":
            entry = anchors.add(data)
            say(f"Added the certificate authority {entry['subject']} (sha-256 {entry['fingerprint']}): "
                "SD-JWT credentials whose certificate chain leads to it are checked against it.")
        elif args.action == "remove-ca":
            entry = anchors.remove(args.did)
            say(f"Removed the certificate authority {entry['subject']}.")
        entries = anchors.entries()
    emit(args, entries, "\n".join(f"{e['fingerprint'][:16]}…  {safe_text(e['subject'])}  (added {e['added_at'][:10]})"
                                  for e in entries) or "You have added no certificate authority.")


def add_parser(sub) -> None:
    """`vault trust ...`."""
    p = command(sub, "trust", cmd_trust, "the issuers you trust: add, list, remove; and the certificate "
                                         "authorities for issuers' X.509 chains: add-ca CERT.pem, list-ca, "
                                         "remove-ca FINGERPRINT")
    p.add_argument("action", choices=("add", "list", "remove", "add-ca", "list-ca", "remove-ca"))
    p.add_argument("did", nargs="?", metavar="DID | CERT | FINGERPRINT")
    p.add_argument("--name")
