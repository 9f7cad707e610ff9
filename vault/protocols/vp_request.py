"""OpenID4VP 1.0 authorization requests, wallet side: read one (by value, or by reference
through ``request_uri``), and say who asks and how sure the vault is of it.

Client identifier prefixes (OpenID4VP 1.0 §5.9):

- ``redirect_uri:`` — not authenticated: anyone can write any address there. The request
  must not be signed, and the answer goes only to that very address (its response_uri
  must equal it), so an impostor can read the answer only where the claimed verifier is.
- ``decentralized_identifier:`` — the request object must be signed with a key of that DID
  (did:key, did:jwk resolved offline; other methods from the vault's saved documents).
- ``x509_san_dns:`` — signed, with a certificate chain to one of the certificate
  authorities the user added, whose leaf names that DNS name; the answer goes to that host.

Anything else (a pre-registered client id, federation, attestations) is refused plainly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from ..credentials import jose
from ..credentials.jwt_vc import resolve_jwt_key
from ..credentials.verdict import CredentialFailure
from ..credentials.webkeys import x5c
from ..net.fetch import NetworkUse
from ..safe_text import one_line
from .http import Exchange, ProtocolError, parse_object

REQUEST_SCHEMES = ("openid4vp://", "haip://", "eudi-openid4vp://", "mdoc-openid4vp://", "https://", "http://")
REQUEST_TYP = "oauth-authz-req+jwt"
RESPONSE_MODES = ("direct_post", "direct_post.jwt")
PREFIXES = ("redirect_uri", "decentralized_identifier", "x509_san_dns")


@dataclass(frozen=True)
class Verifier:
    """Who asks, as far as the vault can tell."""
    client_id: str
    prefix: str
    identifier: str                   # the client id without its prefix (a URL, a DID, a DNS name)
    authenticated: bool
    name: str = ""                    # client_metadata.client_name: self-declared

    def sentence(self) -> str:
        said = f" It calls itself {one_line(self.name, 80)} (self-declared)." if self.name else ""
        if self.prefix == "redirect_uri":
            return (f"Not authenticated: this verifier only says it is at {one_line(self.identifier, 160)}; "
                    f"anyone can say that. Your answer goes to that address only.{said}")
        if self.prefix == "decentralized_identifier":
            return f"Authenticated as {one_line(self.identifier, 160)}: the request is signed with its key.{said}"
        return (f"Authenticated as {one_line(self.identifier, 100)} by a certificate from an authority you "
                f"added.{said}")


@dataclass(frozen=True)
class VpRequest:
    verifier: Verifier
    nonce: str
    response_mode: str
    response_uri: str
    state: str | None
    dcql_query: dict
    client_metadata: dict = field(default_factory=dict)
    signed: bool = False


def _params(text: str) -> dict[str, str]:
    text = text.strip()
    if text.startswith("{"):
        document = parse_object(text, "presentation request")
        return {k: v for k, v in document.items()}
    try:
        query = parse_qs(urlsplit(text).query, max_num_fields=40)
    except ValueError:
        raise ProtocolError("This link is not a presentation request (its parameters cannot be read).") from None
    if not query:
        raise ProtocolError("This link is not a presentation request: it has no parameters.")
    return {k: v[0] for k, v in query.items()}


def _split_client_id(client_id: Any) -> tuple[str, str]:
    if not isinstance(client_id, str) or not client_id:
        raise ProtocolError("The presentation request names no verifier (client_id).")
    prefix, colon, rest = client_id.partition(":")
    if not colon or prefix not in PREFIXES:
        raise ProtocolError(f"The verifier {one_line(client_id, 120)} identifies itself in a way the vault cannot "
                            "check (only redirect_uri, decentralized_identifier and x509_san_dns verifiers "
                            "are answered).")
    return prefix, rest


def _request_object(params: dict, exchange: Exchange) -> str | None:
    if "request" in params:
        return params["request"]
    uri = params.get("request_uri")
    if uri is None:
        return None
    method = params.get("request_uri_method", "get")
    if method == "post":
        status, body = exchange.post_form(uri, {}, "request object request",
                                          headers={"Accept": "application/oauth-authz-req+jwt"})
        if status != 200:
            raise ProtocolError(f"The verifier's request could not be read: it answered HTTP {status}.")
        return body.decode("utf-8", "replace").strip()
    if method != "get":
        raise ProtocolError("The request's request_uri_method is neither get nor post.")
    return exchange.get_text(uri, "verifier's request object")


def _verify_signed(jws: jose.CompactJWS, prefix: str, identifier: str, anchors: Callable | None) -> None:
    try:
        if prefix == "decentralized_identifier":
            kid = jws.kid
            if not kid or kid.split("#", 1)[0] != identifier:
                raise ProtocolError(f"The request is signed with a key of {one_line((kid or '?').split('#')[0], 120)}, "
                                    f"not of {one_line(identifier, 120)} who it says asks; nothing was sent.")
            key = resolve_jwt_key(kid, identifier, documents=None, relationship="authentication",
                                  what="request object").public_key
        else:
            key, _ = x5c.chain_key(jws.header.get("x5c"), "https://" + identifier, anchors,
                                   datetime.now(timezone.utc))
        jose.verify_signature(jws, key, "request object")
    except CredentialFailure as exc:
        raise ProtocolError(f"The verifier's request is not signed by {one_line(identifier, 120)}: {exc.message} "
                            "Nothing was sent.") from None


def read_request(link: str, network: NetworkUse, *, anchors: Callable | None = None,
                 exchange: Exchange | None = None) -> VpRequest:
    """The request in ``link`` (already read from a file or an image), authenticated as its
    client identifier prefix requires."""
    exchange = exchange or Exchange(network)
    params = _params(link)
    outer_client = params.get("client_id")
    token = _request_object(params, exchange)
    signed = False
    if token is not None:
        try:
            unsigned = token.count(".") == 2 and token.split(".")[2] == ""
            jws = jose.parse(token, "request object") if not unsigned else None
        except CredentialFailure as exc:
            raise ProtocolError(f"The verifier's request object cannot be read: {exc.message}") from None
        if jws is None:
            payload = parse_object(jose.b64url_decode(token.split(".")[1], "request object"), "request object")
        else:
            if jws.typ not in (None, REQUEST_TYP):
                raise ProtocolError("The verifier's request object is not of the oauth-authz-req+jwt type.")
            payload, signed = jws.payload, True
        if outer_client is not None and payload.get("client_id") != outer_client:
            raise ProtocolError("The request object names another verifier than the link it came in; nothing "
                                "was sent.")
        params = payload
    prefix, identifier = _split_client_id(params.get("client_id"))
    if prefix == "redirect_uri" and signed:
        raise ProtocolError("A verifier identified only by its address (redirect_uri) cannot sign its request; "
                            "this one is signed, which the specification forbids. Nothing was sent.")
    if prefix != "redirect_uri":
        if not signed:
            raise ProtocolError(f"The verifier {one_line(identifier, 120)} must sign its request, and this one is "
                                "not signed: anyone could have made it. Nothing was sent.")
        _verify_signed(jws, prefix, identifier, anchors)
    return _checked(params, prefix, identifier, signed)


def _checked(params: dict, prefix: str, identifier: str, signed: bool) -> VpRequest:
    if params.get("response_type") != "vp_token":
        raise ProtocolError("The verifier's request does not ask for a presentation (response_type vp_token).")
    mode = params.get("response_mode")
    if mode not in RESPONSE_MODES:
        raise ProtocolError(f"The verifier wants the answer by {one_line(mode, 40)}; the vault answers by "
                            "direct_post and direct_post.jwt only.")
    if "presentation_definition" in params or "presentation_definition_uri" in params:
        raise ProtocolError("The verifier asks with Presentation Exchange, which OpenID4VP 1.0 replaced by "
                            "DCQL; the vault answers DCQL queries only.")
    if params.get("transaction_data") is not None:
        raise ProtocolError("The verifier asks you to approve a transaction (transaction_data), which the vault "
                            "does not do yet. Nothing was sent.")
    response_uri = params.get("response_uri")
    if not isinstance(response_uri, str) or not response_uri.startswith(("https://", "http://")):
        raise ProtocolError("The verifier's request has no response_uri to answer to.")
    if prefix == "redirect_uri" and response_uri != identifier:
        raise ProtocolError(f"The verifier says it is {one_line(identifier, 120)} but wants the answer sent to "
                            f"{one_line(response_uri, 120)}: refused, nothing was sent.")
    if prefix == "x509_san_dns" and (urlsplit(response_uri).hostname or "").lower() != identifier.lower():
        raise ProtocolError(f"The verifier's certificate names {one_line(identifier, 80)}, but the answer would go to "
                            f"{one_line(urlsplit(response_uri).hostname, 80)}: refused, nothing was sent.")
    nonce = params.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise ProtocolError("The verifier's request has no nonce: an answer to it could be replayed.")
    query = params.get("dcql_query")
    if isinstance(query, str):
        query = parse_object(query, "verifier's DCQL query")
    if not isinstance(query, dict):
        raise ProtocolError("The verifier's request has no DCQL query (dcql_query).")
    metadata = params.get("client_metadata")
    if isinstance(metadata, str):
        metadata = parse_object(metadata, "verifier's client metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    state = params.get("state") if isinstance(params.get("state"), str) else None
    name = metadata.get("client_name") if isinstance(metadata.get("client_name"), str) else ""
    verifier = Verifier(params["client_id"], prefix, identifier, prefix != "redirect_uri", name[:120])
    return VpRequest(verifier, nonce, mode, response_uri, state, query, metadata, signed)
