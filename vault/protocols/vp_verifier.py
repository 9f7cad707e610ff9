"""OpenID4VP 1.0, verifier side (the employer): make a request other wallets answer, and
verify their answer.

The request is by value with a ``redirect_uri:`` client id (it cannot be signed: the
vault has no certificate for a name; OpenID4VP 1.0 §5.9.3), a fresh nonce and state, a
DCQL query and ``response_mode=direct_post`` to a ``response_uri``: either the loopback
receiver (a wallet on this machine posts there), or an HTTPS endpoint the employer runs
(a phone on another device cannot reach this computer's loopback address); a wallet that
can only show its answer is verified from the pasted response ("paste the response").

Every presentation in the answer is verified by the vault's own presentation verifier for
this nonce (challenge) and client id (domain / audience); the state must be this
request's and every credential query it requires must be answered."""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

from .. import safejson
from ..credentials.verify import VerificationContext
from ..presentations.verify import PresentationVerdict, verify_presentation
from ..safe_text import one_line
from .dcql import parse as parse_query
from .http import ProtocolError

MAX_RESPONSE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class VerifierSession:
    """One request made: what its answer must match."""
    response_uri: str
    nonce: str
    state: str
    dcql_query: dict
    client_name: str = ""

    @property
    def client_id(self) -> str:
        return f"redirect_uri:{self.response_uri}"

    def link(self) -> str:
        params = {"client_id": self.client_id, "response_type": "vp_token", "response_mode": "direct_post",
                  "response_uri": self.response_uri, "nonce": self.nonce, "state": self.state,
                  "dcql_query": json.dumps(self.dcql_query, separators=(",", ":"))}
        if self.client_name:
            params["client_metadata"] = json.dumps({"client_name": self.client_name})
        return "openid4vp://?" + urlencode(params)

    def to_json(self) -> dict:
        return {"response_uri": self.response_uri, "nonce": self.nonce, "state": self.state,
                "dcql_query": self.dcql_query, "client_name": self.client_name}

    @classmethod
    def from_json(cls, data: Any) -> "VerifierSession":
        if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("response_uri", "nonce",
                                                                                       "state")):
            raise ProtocolError("This is not a request session the vault saved.")
        return cls(data["response_uri"], data["nonce"], data["state"], data.get("dcql_query") or {},
                   data.get("client_name") or "")


def query_for(fmt: str, *, vct: str | None = None, types: list[str] | None = None,
              claims: list[str] | None = None) -> dict:
    """A one-credential DCQL query: ``fmt`` (dc+sd-jwt, jwt_vc_json, ldp_vc), its vct or
    types, and claims as dotted paths (``credentialSubject.degree.name``)."""
    entry: dict[str, Any] = {"id": "credential", "format": fmt}
    if vct:
        entry["meta"] = {"vct_values": [vct]}
    elif types:
        entry["meta"] = {"type_values": [types]}
    if claims:
        entry["claims"] = [{"path": c.split(".")} for c in claims]
    return {"credentials": [entry]}


def new_session(response_uri: str, dcql_query: dict, client_name: str = "") -> VerifierSession:
    parse_query(dcql_query)     # a query the vault itself could not read is refused before it is shown
    return VerifierSession(response_uri, secrets.token_urlsafe(24), secrets.token_urlsafe(12), dcql_query,
                           client_name)


@dataclass
class ResponseVerdict:
    valid: bool
    message: str
    answers: dict[str, list[PresentationVerdict]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"valid": self.valid, "message": self.message,
                "answers": {q: [v.to_json() for v in verdicts] for q, verdicts in self.answers.items()}}


def _fields(body: bytes | str | dict) -> dict:
    if isinstance(body, dict):
        return body
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = text.strip()
    if len(text) > MAX_RESPONSE_BYTES:
        raise ProtocolError("The response is too large to be a wallet's answer.")
    if text.startswith("{"):
        try:
            value = safejson.loads(text)
        except (ValueError, RecursionError):
            raise ProtocolError("The response is not JSON.") from None
        if not isinstance(value, dict):
            raise ProtocolError("The response is not a JSON object.")
        return value
    try:
        return {k: v[0] for k, v in parse_qs(text, max_num_fields=10, strict_parsing=True).items()}
    except ValueError:
        raise ProtocolError("The response is neither JSON nor a form (vp_token=…&state=…).") from None


def verify_response(session: VerifierSession, body: bytes | str | dict,
                    context: VerificationContext | None = None) -> ResponseVerdict:
    """The wallet's answer (the form it posted, or its JSON) checked against ``session``."""
    fields = _fields(body)
    if "response" in fields:
        raise ProtocolError("The answer is encrypted (direct_post.jwt), which this request did not ask for.")
    if "error" in fields:
        said = fields.get("error_description")
        return ResponseVerdict(False, f"The wallet declined ({one_line(fields['error'], 60)}"
                               + (f": {one_line(said, 200)}" if isinstance(said, str) else "") + ").")
    if fields.get("state") != session.state:
        return ResponseVerdict(False, "The answer is not to this request (its state differs): it may be replayed "
                               "from another request.")
    token = fields.get("vp_token")
    if isinstance(token, str):
        try:
            token = safejson.loads(token)
        except (ValueError, RecursionError):
            return ResponseVerdict(False, "The answer's vp_token is not JSON.")
    if not isinstance(token, dict) or not token:
        return ResponseVerdict(False, "The answer holds no presentation (vp_token).")
    queries, required = parse_query(session.dcql_query)
    known = {q.id for q in queries}
    unknown = set(token) - known
    if unknown:
        return ResponseVerdict(False, f"The answer holds presentations nobody asked for ({one_line(', '.join(unknown), 80)}).")
    verdict = ResponseVerdict(True, "Every credential asked for was presented and verifies.")
    for query_id, entries in token.items():
        entries = entries if isinstance(entries, list) else [entries]
        for entry in entries[:10]:
            data = entry if isinstance(entry, str) else json.dumps(entry)
            result = verify_presentation(data, challenge=session.nonce, domain=session.client_id, context=context)
            verdict.answers.setdefault(query_id, []).append(result)
            if not result.valid:
                verdict.valid = False
                verdict.message = f"The presentation for {one_line(query_id, 40)} does not verify: {result.message}"
    missing = [options for options in required if not any(all(q in token for q in o) for o in options)]
    if verdict.valid and missing:
        verdict.valid = False
        verdict.message = (f"The answer leaves out {', '.join(sorted({q for o in missing[0] for q in o}))}, "
                           "which the request requires.")
    return verdict


class LoopbackReceiver:
    """Where a wallet on this machine posts its answer: 127.0.0.1 on a free port, one
    unguessable path, the first answer kept, bounded in size."""

    def __init__(self, on_answer=None):
        """``on_answer()``: called (on the receiver's thread) once the answer is in."""
        self.path = "/response/" + secrets.token_urlsafe(16)
        self.body: bytes | None = None
        self.received = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                if self.path != outer.path or outer.received.is_set() or length > MAX_RESPONSE_BYTES:
                    self.send_response(404 if self.path != outer.path else 409)
                    self.end_headers()
                    return
                outer.body = self.rfile.read(length)
                outer.received.set()
                if on_answer is not None:
                    on_answer()
                data = b"{}"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.response_uri = f"http://127.0.0.1:{self.server.server_address[1]}{self.path}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def wait(self, seconds: float) -> bytes:
        if not self.received.wait(seconds):
            raise ProtocolError(f"No wallet answered within {seconds:g} seconds.")
        return self.body or b""

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
