"""`vault receive OFFER`: receive credentials from an issuer's OpenID4VCI offer or a VC-API
exchange link (``dccrequest://``; a link, a text file holding it, or a QR image), after
showing who offers what."""

from __future__ import annotations

import sys

from ...safe_text import safe_text
from ..io import UsageError, confirm, emit, say
from ..options import command
from ..session import credential_service


def protocol_network(args):
    """The network an exchange the user started may use: public addresses; private and
    loopback ones with --allow-private or the app's "allow private addresses" setting."""
    # start-up: the settings and the fetcher (ssl, http.client) only for a command that goes online
    from ...net.fetch import NetworkUse
    from ...settings import load_preferences
    allow = bool(getattr(args, "allow_private", False)) or load_preferences(args.data_dir).allow_private_addresses
    return NetworkUse(allow_private=allow, timeout=10)


def _open_browser(url: str) -> None:
    """The issuer's sign-in page (authorization code flow), in the system browser."""
    import webbrowser   # start-up: only for an offer that signs in (~10 ms)
    say(f"Sign in at the issuer in your browser; if it did not open, open: {url}")
    webbrowser.open(url)


def cmd_receive(args) -> int:
    # start-up: the protocol stack (qr reading, jose) only when receiving
    from ...identity import Identity
    from ...protocols import vcapi
    from ...protocols.inputs import read_link
    from ...protocols.offer import OFFER_SCHEMES, preview
    from ...protocols.oid4vci import receive
    network = protocol_network(args)
    link = read_link(args.offer, OFFER_SCHEMES + vcapi.EXCHANGE_SCHEMES, "a credential offer or exchange link")
    exchange = vcapi.parse_link(link) if vcapi.is_exchange_link(link) else None
    shown = exchange or preview(link, network)
    if not args.json:
        for line in shown.lines():
            say(line)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("add --yes to accept the offer without asking (what it offers is above); there "
                             "is no terminal to ask on")
        if not confirm("Accept these credentials into your vault?"):
            emit(args, {"received": False, "offer": shown.to_json()}, "Not accepted; nothing was sent.")
            return 1
    with credential_service(args) as credentials:
        if exchange is not None:
            received = vcapi.receive(exchange, Identity(credentials.store), credentials, network, did=args.did)
        else:
            received = receive(shown, Identity(credentials.store), credentials, network, tx_code=args.tx_code,
                               did=args.did, open_browser=_open_browser)
    lines = [f"Received for {received.holder}:"]
    for r in received.imported:
        what = "imported" if r.created else "already in the vault"
        lines.append(f"  {r.summary.short_id} — {safe_text(r.summary.title)} ({r.summary.status}), {what}")
        lines += [f"    warning: {safe_text(w.message)}" for w in r.verdict.warnings]
    emit(args, {"received": True, "offer": shown.to_json()} | received.to_json(), "\n".join(lines))
    return 0


def add_parser(sub) -> None:
    """`vault receive`."""
    p = command(sub, "receive", cmd_receive, "receive credentials from an issuer's OpenID4VCI offer or VC-API "
                                             "exchange (openid-credential-offer:// or dccrequest:// link, a file "
                                             "holding it, or a QR image)")
    p.add_argument("offer", metavar="OFFER", help="the offer or exchange link, a text file with it, or a QR image of it")
    p.add_argument("--tx-code", metavar="CODE", help="the transaction code the issuer sent you another way")
    p.add_argument("--did", help="which of this vault's did:key / did:jwk DIDs receives it (default: the default DID)")
    p.add_argument("--yes", action="store_true", help="accept without asking after showing the offer")
    p.add_argument("--allow-private", action="store_true",
                   help="allow loopback and private addresses (an issuer on your own network)")
