"""A hostile OpenID4VCI issuer on 127.0.0.1, crafted per test: it answers the protocol's
requests as the test says (lying metadata, a forged or foreign credential, a nonce it
never accepts) and records every request it got, so a test can assert what the vault
sent — and what it did not."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import quote

Answer = tuple[int, object]          # (status, JSON-able body, or bytes sent as they are)


class HostileIssuer:
    def __init__(self, routes: dict[str, Callable[["HostileIssuer", dict], Answer]] | None = None):
        self.requests: list[tuple[str, str, bytes]] = []
        self.routes = dict(routes or {})
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self, method: str):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append((method, self.path, body))
                route = outer.routes.get(f"{method} {self.path.split('?')[0]}")
                status, document = route(outer, {"body": body, "headers": dict(self.headers)}) if route else \
                    (404, {"error": "not_found"})
                raw = isinstance(document, bytes)      # a JWT as it is, not as JSON
                data = document if raw else json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/oauth-authz-req+jwt" if raw else "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    # a well-behaved skeleton the tests then spoil one piece of
    def standard(self, fmt: str = "jwt_vc_json", credential: Callable[[dict], Answer] | None = None) -> "HostileIssuer":
        base = self.base
        self.routes.setdefault("GET /.well-known/openid-credential-issuer", lambda s, r: (200, {
            "credential_issuer": base, "credential_endpoint": f"{base}/credential",
            "nonce_endpoint": f"{base}/nonce", "display": [{"name": "Hostile U"}],
            "credential_configurations_supported": {"Degree": {
                "format": fmt, "cryptographic_binding_methods_supported": ["did:key"],
                "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}}}}}))
        self.routes.setdefault("GET /.well-known/oauth-authorization-server", lambda s, r: (200, {
            "issuer": base, "token_endpoint": f"{base}/token"}))
        self.routes.setdefault("POST /token", lambda s, r: (200, {"access_token": "t", "token_type": "Bearer"}))
        self.routes.setdefault("POST /nonce", lambda s, r: (200, {"c_nonce": "n-1"}))
        if credential is not None:
            self.routes["POST /credential"] = lambda s, r: credential(r)
        return self

    def offer(self, issuer: str | None = None) -> str:
        document = {"credential_issuer": issuer or self.base, "credential_configuration_ids": ["Degree"],
                    "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": {"pre-authorized_code": "c"}}}
        return "openid-credential-offer://?credential_offer=" + quote(json.dumps(document))

    def posted(self) -> list[str]:
        return [path for method, path, _ in self.requests if method == "POST"]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
