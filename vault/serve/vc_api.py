"""The verifier as a W3C VC-API service on loopback: ``vault serve --vc-api``.

Two endpoints (W3C CCG "VC API", verifier service), so that conformance test suites and
a verifier's own back office can ask this verifier what it thinks of a document:

    POST /credentials/verify     {"verifiableCredential": {...}, "options": {...}}
    POST /presentations/verify   {"verifiablePresentation": {...}, "options": {"challenge", "domain"}}

answered ``200 {"verified": true, "checks", "warnings", "errors": []}`` or ``400`` with the
refusal in ``errors`` (a problem detail naming our reason and the VCDM 2.0 §7.1 error type).
Started with an issuing service (``vault serve --vc-api --issuer PROFILE``), it also answers
POST /credentials/issue and /credentials/status (vault.serve.vc_api_issuer).

Safety: bound to 127.0.0.1 only (any other address is refused: this is not a public
service); a request must say ``Content-Type: application/json`` (a web page cannot send
that across origins without a preflight we never answer) and name this host in ``Host``
(no DNS rebinding); bodies are capped, sockets time out, at most ``MAX_CONCURRENT``
verifications run at once (more get 503). Verification is offline, as everywhere in the
vault, unless the server was started ``online``: then status lists may be fetched within
``vault.credentials.online``'s bounds.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from .. import safejson
from ..credentials.verdict import Reason
from ..credentials.verify import VerificationContext, check
from ..errors import VaultError
from ..presentations.verify import verify_presentation

__all__ = ["LOOPBACK", "MAX_BODY_BYTES", "MAX_CONCURRENT", "MAX_CONNECTIONS", "VcApiServer", "verify_credential_body",
           "verify_presentation_body"]

LOOPBACK = "127.0.0.1"
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_CONCURRENT = 4
MAX_CONNECTIONS = 32       # open connections (each a thread); more are closed at once
SOCKET_TIMEOUT = 10.0      # each read of a request; a silent client does not hold a thread longer

# VCDM 2.0 §7.1 "Verification": the error types a conforming verifier reports.
_VCDM_ERRORS = "https://www.w3.org/TR/vc-data-model#"
_ERROR_TYPES = {
    Reason.MALFORMED: ("MALFORMED_VALUE_ERROR", -66),
    Reason.UNSUPPORTED_FORMAT: ("PARSING_ERROR", -64),
    Reason.UNKNOWN_CONTEXT: ("PARSING_ERROR", -64),
    Reason.EXPIRED: ("RANGE_ERROR", -67),
    Reason.NOT_YET_VALID: ("RANGE_ERROR", -67),
}
_CRYPTO = ("CRYPTOGRAPHIC_SECURITY_ERROR", -65)


class ServeError(VaultError):
    """The service cannot start as asked."""


def _problem(reason: Reason, message: str) -> dict:
    name, code = _ERROR_TYPES.get(reason, _CRYPTO)
    return {"type": _VCDM_ERRORS + name, "code": code, "title": reason.value, "detail": message}


def _refused(message: str, reason: Reason = Reason.MALFORMED) -> tuple[int, dict]:
    return 400, {"verified": False, "checks": [], "warnings": [], "errors": [_problem(reason, message)]}


def _answer(valid: bool, reason: Reason, message: str, warnings: list, checks: list[str]) -> tuple[int, dict]:
    shown = [{"type": "urn:blocktrack:vault:warning:" + w.code.value, "title": w.code.value, "detail": w.message}
             for w in warnings]
    if not valid:
        return 400, {"verified": False, "checks": [], "warnings": shown, "errors": [_problem(reason, message)]}
    return 200, {"verified": True, "checks": checks, "warnings": shown, "errors": []}


def _options(body: dict) -> dict | None:
    options = body.get("options", {})
    return options if isinstance(options, dict) else None


def verify_credential_body(body: Any, context: VerificationContext) -> tuple[int, dict]:
    """(HTTP status, response) for a /credentials/verify request body."""
    if not isinstance(body, dict) or _options(body) is None:
        return _refused("The request must be a JSON object with verifiableCredential and optional options.")
    credential = body.get("verifiableCredential")
    if not isinstance(credential, dict):    # a JWT comes as an EnvelopedVerifiableCredential
        return _refused("verifiableCredential must be a credential object (a JWT comes enveloped, as an "
                        "EnvelopedVerifiableCredential).", Reason.UNSUPPORTED_FORMAT)
    data = json.dumps(credential, ensure_ascii=False).encode("utf-8")
    verdict = check(data, context).verdict
    return _answer(verdict.valid, verdict.reason, verdict.message, verdict.warnings,
                   ["proof", "status", "validity"])


def verify_presentation_body(body: Any, context: VerificationContext) -> tuple[int, dict]:
    """(HTTP status, response) for a /presentations/verify request body."""
    options = _options(body) if isinstance(body, dict) else None
    if options is None:
        return _refused("The request must be a JSON object with verifiablePresentation and options.")
    presentation = body.get("verifiablePresentation")
    if not isinstance(presentation, dict):
        return _refused("verifiablePresentation must be a presentation object (a JWT comes enveloped, as an "
                        "EnvelopedVerifiablePresentation).", Reason.UNSUPPORTED_FORMAT)
    data = json.dumps(presentation, ensure_ascii=False)
    challenge, domain = options.get("challenge"), options.get("domain")
    for name, value in (("challenge", challenge), ("domain", domain)):
        if not isinstance(value, str) or not value:
            return _refused(f"options.{name} is required: this verifier accepts only presentations made "
                            "for its own challenge and domain (replay protection).")
    verdict = verify_presentation(data, challenge=challenge, domain=domain, context=context)
    warnings = list(verdict.warnings) + [w for c in verdict.credentials for w in c.warnings]
    return _answer(verdict.valid, verdict.reason, verdict.message, warnings, ["proof", "challenge", "domain"])


_ROUTES: dict[str, Callable[[Any, VerificationContext], tuple[int, dict]]] = {
    "/credentials/verify": verify_credential_body,
    "/presentations/verify": verify_presentation_body,
}
# Answered only when the server has an issuing service: its method for each path.
_ISSUER_ROUTES = {"/credentials/issue": "issue_body", "/credentials/status": "status_body"}


class _Handler(BaseHTTPRequestHandler):
    server: "VcApiServer"
    timeout = SOCKET_TIMEOUT
    protocol_version = "HTTP/1.1"
    server_version = "BlocktrackVault-VCAPI"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:   # noqa: A002 - the base class's name
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")

    def _send(self, status: int, payload: dict) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        if self.close_connection:   # a request we did not read to its end: the client must not reuse it
            self.send_header("Connection", "close")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: HTTPStatus, detail: str) -> None:
        self.close_connection = True
        self._send(status, {"verified": False, "checks": [], "warnings": [],
                            "errors": [{"type": "about:blank", "title": status.phrase, "detail": detail}]})

    def do_GET(self) -> None:   # noqa: N802 - http.server's naming
        self._error(HTTPStatus.METHOD_NOT_ALLOWED if self.path in _ROUTES else HTTPStatus.NOT_FOUND,
                    "This service answers POST /credentials/verify and POST /presentations/verify.")

    def do_POST(self) -> None:   # noqa: N802
        path = self.path.split("?", 1)[0]
        route = _ROUTES.get(path)
        if route is None and path in _ISSUER_ROUTES and self.server.issuing is not None:
            method = getattr(self.server.issuing, _ISSUER_ROUTES[path])
            route = lambda body, context: method(body)   # noqa: E731 - issuing needs no verification context
        if route is None:
            return self._error(HTTPStatus.NOT_FOUND, "This service answers POST /credentials/verify and "
                               "POST /presentations/verify.")
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        if host not in ("127.0.0.1", "localhost"):
            return self._error(HTTPStatus.FORBIDDEN, "This service answers only requests addressed to "
                               "127.0.0.1 or localhost.")
        kind = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if kind != "application/json":
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Send the request as application/json.")
        if self.headers.get("Transfer-Encoding"):
            return self._error(HTTPStatus.LENGTH_REQUIRED, "Send a Content-Length, not a chunked body.")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return self._error(HTTPStatus.LENGTH_REQUIRED, "The request has no valid Content-Length.")
        if length < 0 or length > self.server.max_body:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"The request is larger than "
                               f"{self.server.max_body} bytes, the most this service reads.")
        raw = self.rfile.read(length)
        if len(raw) != length:
            return self._error(HTTPStatus.BAD_REQUEST, "The request body ended early.")
        if not self.server.slots.acquire(blocking=False):
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, "Too many verifications at once; try again.")
        try:
            try:
                body = safejson.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                status, payload = _refused("The request body is not valid JSON.", Reason.UNSUPPORTED_FORMAT)
            else:
                status, payload = route(body, self.server.context())
        finally:
            self.server.slots.release()
        if self.server.log is not None:   # the operator sees why, not only the status
            said = "; ".join(f"{e['title']}: {e['detail']}" for e in payload.get("errors", [])) or "verified"
            self.server.log(f"{self.path[:60]} -> {status} {said[:300]}")
        self._send(status, payload)


class VcApiServer(ThreadingHTTPServer):
    """``VcApiServer(port)``: bound at once; ``serve_forever()`` answers until ``shutdown()``.
    ``context`` makes each request's VerificationContext (default: offline, no vault)."""

    daemon_threads = True
    request_queue_size = 16

    def __init__(self, port: int = 0, *, host: str = LOOPBACK,
                 context: Callable[[], VerificationContext] | None = None,
                 waived_policies: frozenset[str] = frozenset(), max_body: int = MAX_BODY_BYTES,
                 max_concurrent: int = MAX_CONCURRENT, max_connections: int = MAX_CONNECTIONS,
                 log: Callable[[str], None] | None = None, issuing=None):
        if host not in (LOOPBACK, "localhost"):
            raise ServeError(f"The VC-API service binds to {LOOPBACK} only, not {host[:80]!r}: it is for this "
                             "machine's own programs, not a public service.")
        if not 0 <= port <= 65535:
            raise ServeError(f"{port} is not a TCP port (0-65535; 0 picks a free one).")
        make = context or VerificationContext
        self.context = lambda: replace(make(), waived_policies=frozenset(waived_policies))
        self.max_body = max_body
        self.slots = threading.BoundedSemaphore(max_concurrent)
        self.connections = threading.BoundedSemaphore(max_connections)
        self.log = log
        self.issuing = issuing   # vault.serve.vc_api_issuer.IssuingService, or None: a verifier only
        try:
            super().__init__((LOOPBACK, port), _Handler)
        except OSError as exc:
            raise ServeError(f"Cannot listen on {LOOPBACK}:{port}: {exc.strerror or exc}.") from None

    def process_request(self, request, client_address) -> None:
        if not self.connections.acquire(blocking=False):   # a flood of idle sockets costs no threads
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.connections.release()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.server_address[1]}"
