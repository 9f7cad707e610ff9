"""`vault serve --vc-api`: the verifier as a W3C VC-API service on 127.0.0.1 (vault.serve.vc_api).

Needs no vault and no passphrase, unless --issuer PROFILE also makes it an issuer (POST
/credentials/issue and /credentials/status, signed as that profile of the unlocked vault).
Prints one line with the address (or, with --json, an object with "url"), then answers
until interrupted (Ctrl-C or SIGTERM)."""

from __future__ import annotations

import json
import signal
import sys
import threading

from ...credentials import data_integrity
from ...credentials.service import verification_context
from ...issuing.issuer import Issuer
from ...net.fetch import NetworkUse
from ...presentations.verify import POLICY_PRESENTER_IS_SUBJECT
from ...serve.vc_api import ServeError, VcApiServer
from ...serve.vc_api_issuer import IssuingService
from ..options import command
from ..session import open_identity


def cmd_serve(args) -> int:
    if not args.vc_api:
        raise ServeError("Say which service to run: `vault serve --vc-api` (the only one so far).")
    unknown = set(args.waive_policy) - {POLICY_PRESENTER_IS_SUBJECT}
    if unknown:
        raise ServeError(f"Unknown verifier policy {sorted(unknown)[0][:60]!r}; the policy that can be "
                         f"switched off is {POLICY_PRESENTER_IS_SUBJECT!r}.")
    identity = _issuer_vault(args)
    try:
        issuing = _issuing(args, identity)
        server = VcApiServer(args.port, host=args.host, context=_context(args),
                             waived_policies=frozenset(args.waive_policy), issuing=issuing,
                             log=(lambda line: print(line, file=sys.stderr, flush=True)) if args.verbose else None)
    except BaseException:
        if identity is not None:
            identity.store.lock()
        raise
    if args.json:
        print(json.dumps({"url": server.url, "online": bool(args.online),
                          "waived_policies": sorted(args.waive_policy),
                          "issuer": issuing.profile.did if issuing else None}), flush=True)
    else:
        print(f"VC-API verifier listening on {server.url} (POST /credentials/verify, /presentations/verify"
              + (f"; issuing as {issuing.profile.did}: POST /credentials/issue, /credentials/status"
                 if issuing else "") + f"; {'online' if args.online else 'offline'}). Ctrl-C stops it.", flush=True)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)   # ends as Ctrl-C does: the socket closed, not dropped
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if identity is not None:
            identity.store.lock()
    return 0


def _issuer_vault(args):
    """The unlocked vault an --issuer signs from (None: a verifier only, no passphrase)."""
    if not args.issuer:
        return None
    return open_identity(args)


def _issuing(args, identity):
    if identity is None:
        return None
    suite = data_integrity.JCS if args.issuer_format == "jcs" else data_integrity.RDFC
    return IssuingService(Issuer(identity), args.issuer, suite=suite)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _context(args):
    """Offline unless --online: then status lists within vault.credentials.online's bounds."""
    if not args.online:
        return None
    return lambda: verification_context(network=NetworkUse())


def add_parser(sub) -> None:
    """`vault serve`."""
    p = command(sub, "serve", cmd_serve, "run the verifier as a local W3C VC-API service (127.0.0.1 only; "
                                         "needs no vault)")
    p.add_argument("--vc-api", action="store_true", help="POST /credentials/verify and /presentations/verify")
    p.add_argument("--host", default="127.0.0.1", help="only 127.0.0.1 (or localhost) is accepted")
    p.add_argument("--port", type=int, default=0, help="TCP port (default: a free one, printed at start)")
    p.add_argument("--online", action="store_true",
                   help="fetch the status lists credentials name (at most 8, 10 s each verification); "
                        "default: offline")
    p.add_argument("--waive-policy", action="append", default=[], metavar="NAME",
                   help=f"switch off a verifier policy (repeatable): {POLICY_PRESENTER_IS_SUBJECT} accepts "
                        "credentials presented by someone else than their subject, with a warning")
    p.add_argument("--issuer", metavar="PROFILE", help="also issue as this issuer profile (unlocks the vault): "
                                                       "POST /credentials/issue and /credentials/status")
    p.add_argument("--issuer-format", choices=("di", "jcs"), default="di",
                   help="--issuer signs with eddsa-rdfc-2022 (di, default) or eddsa-jcs-2022 (jcs)")
    p.add_argument("--verbose", action="store_true", help="log each request on stderr")
