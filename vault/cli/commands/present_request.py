"""`vault present --request REQUEST`: answer a verifier's OpenID4VP request (a link, a file
holding it, or a QR image) with credentials of the vault, after showing who asks, whether
that is authenticated, and exactly what each credential discloses."""

from __future__ import annotations

import sys

from ..io import UsageError, confirm, emit, say
from ..session import credential_service
from .receive import protocol_network


def _picks(values: list[str] | None) -> dict[str, str]:
    picks = {}
    for value in values or ():
        query, sep, cid = value.partition("=")
        if not sep or not query or not cid:
            raise UsageError("--pick is QUERY=ID: the verifier's credential query id and one of your credential ids")
        picks[query] = cid
    return picks


def cmd_present_request(args) -> int:
    # start-up: the protocol stack only when answering a request
    from ...credentials.webkeys.anchors import TrustAnchors
    from ...identity import Identity
    from ...protocols import oid4vp
    from ...protocols.inputs import read_link
    from ...protocols.vp_request import REQUEST_SCHEMES, read_request
    network = protocol_network(args)
    link = read_link(args.request, REQUEST_SCHEMES, "a presentation request")
    with credential_service(args) as credentials:
        identity = Identity(credentials.store)
        request = read_request(link, network, anchors=TrustAnchors(credentials.store).certificates)
        found = oid4vp.matches(request, credentials)
        prepared = oid4vp.prepare(request, identity, credentials, found, _picks(args.pick))
        if not args.json:
            for line in prepared.lines():
                say(line)
            for query in found.queries:
                others = found.candidates.get(query.id) or []
                if len(others) > 1:
                    say(f"  [{query.id}] also answered by: " + ", ".join(f"{c.id[:12]} {c.title}" for c in others[1:])
                        + f" (choose with --pick {query.id}=ID)")
        if not args.yes:
            if not sys.stdin.isatty():
                raise UsageError("add --yes to send this answer without asking (what it discloses is above); there "
                                 "is no terminal to ask on")
            if not confirm("Send this to the verifier?"):
                emit(args, {"sent": False} | prepared.to_json(), "Not sent; nothing was signed.")
                return 1
        reply = oid4vp.respond(prepared, identity, credentials, network)
    redirect = reply.get("redirect_uri") if isinstance(reply.get("redirect_uri"), str) else None
    emit(args, {"sent": True, "redirect_uri": redirect} | prepared.to_json(),
         "Sent; the verifier accepted the answer." + (f"\nIt asks you to continue at {redirect}" if redirect else ""))
    return 0
