"""The OpenID4VCI authorization code flow (RFC 6749 §4.1 with PKCE, RFC 7636, for a native
app: RFC 8252): the holder signs in at the issuer in the system browser, which comes back
to a receiver on 127.0.0.1 with the code.

The receiver listens on a free loopback port at an unguessable path, takes one redirect,
checks its ``state`` (and ``iss``, RFC 9207, when given) and is closed again. The code
is worth nothing without the PKCE verifier, which never leaves the vault but in the token
request."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlencode, urlsplit

from ..safe_text import one_line
from .http import ProtocolError

CLIENT_ID = "blocktrack-vault"       # a public native client (RFC 8252 §8.4)
SIGN_IN_SECONDS = 300.0
DONE_PAGE = (b"<!doctype html><meta charset=utf-8><title>Blocktrack Vault</title>"
             b"<p>Signed in. You can close this window and go back to Blocktrack Vault.</p>")


@dataclass(frozen=True)
class Authorization:
    code: str
    code_verifier: str
    redirect_uri: str
    client_id: str = CLIENT_ID


class _Redirect:
    """The one redirect the browser brings back."""

    def __init__(self):
        self.path = "/callback/" + secrets.token_urlsafe(16)
        self.query: dict | None = None
        self.arrived = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                if parts.path != outer.path or outer.arrived.is_set():
                    self.send_response(404)
                    self.end_headers()
                    return
                outer.query = {k: v[0] for k, v in parse_qs(parts.query, max_num_fields=20).items()}
                outer.arrived.set()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(DONE_PAGE)))
                self.end_headers()
                self.wfile.write(DONE_PAGE)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.uri = f"http://127.0.0.1:{self.server.server_address[1]}{self.path}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def sign_in(authorization_endpoint: str, server: str, configuration_ids: tuple[str, ...], issuer_state: str | None,
            open_browser: Callable[[str], object], *, seconds: float = SIGN_IN_SECONDS) -> Authorization:
    """Open the issuer's sign-in page in the browser (``open_browser(url)``) and wait for it
    to come back with a code for these credentials."""
    verifier = secrets.token_urlsafe(48)
    state = secrets.token_urlsafe(16)
    redirect = _Redirect()
    try:
        details = [{"type": "openid_credential", "credential_configuration_id": cid} for cid in configuration_ids]
        params = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": redirect.uri,
                  "code_challenge": _challenge(verifier), "code_challenge_method": "S256", "state": state,
                  "authorization_details": json.dumps(details, separators=(",", ":"))}
        if issuer_state:
            params["issuer_state"] = issuer_state
        joiner = "&" if urlsplit(authorization_endpoint).query else "?"
        open_browser(authorization_endpoint + joiner + urlencode(params))
        if not redirect.arrived.wait(seconds):
            raise ProtocolError(f"The sign-in at the issuer did not come back within {seconds:g} seconds; nothing "
                                "was received.")
        query = redirect.query or {}
    finally:
        redirect.close()
    if query.get("state") != state:
        raise ProtocolError("The sign-in came back for another request (its state differs); refused.")
    if "iss" in query and query["iss"] != server:
        raise ProtocolError(f"The sign-in came back from {one_line(query['iss'], 120)}, not from the issuer's "
                            "authorization server; refused.")
    if "error" in query:
        said = query.get("error_description")
        raise ProtocolError(f"The issuer did not authorize it ({one_line(query['error'], 60)}"
                            + (f": {one_line(said, 200)}" if said else "") + ").", query["error"])
    if not query.get("code"):
        raise ProtocolError("The sign-in came back without a code.")
    return Authorization(query["code"], verifier, redirect.uri)
