"""VC-API exchanges, wallet side, as the Learner Credential Wallet does them with Digital
Credentials Consortium issuers: a ``dccrequest://request?…&vc_request_url=…`` deep link
(or its https form, or the exchange URL itself) leads to an exchange endpoint; the vault
authenticates with one of its DIDs (a Data Integrity presentation for the exchange's
challenge and domain: "DID authentication") and receives the credentials, which are
verified and imported all or none, like a file.

Steps (VC-API, Exchanges): POST ``{}`` to the exchange → a ``verifiablePresentationRequest``
(query ``DIDAuthentication``, challenge, domain, and maybe an ``interact`` service to
continue at) → POST ``{"verifiablePresentation": <DID auth VP>}`` → a
``verifiablePresentation`` holding the credentials. A legacy DCC endpoint that gives no
request is answered with the link's own challenge, for the endpoint's host as domain."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from ..credentials import data_integrity
from ..credentials.service import CredentialService
from ..credentials.verdict import CredentialFailure
from ..identity import Identity
from ..net.fetch import NetworkUse
from ..safe_text import one_line
from .http import Exchange, ProtocolError, answer
from .oid4vci import Received, holder_for, import_all

EXCHANGE_SCHEMES = ("dccrequest://", "https://", "http://")
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
MAX_CREDENTIALS = 20
MAX_STEPS = 4           # request, answer, and at most two interaction hops


@dataclass(frozen=True)
class ExchangeLink:
    """What a deep link says before anything is fetched: where the exchange is and who
    the link says issues (self-declared)."""
    url: str
    issuer: str = ""
    challenge: str | None = None

    def lines(self) -> list[str]:
        who = f"{one_line(self.issuer, 80)} (self-declared), " if self.issuer else ""
        return [f"Credential exchange with {who}at {one_line(urlsplit(self.url).netloc, 120)}",
                "  The vault proves which DID it is (DID authentication); the issuer then sends the credentials."]

    def to_json(self) -> dict:
        return {"exchange": self.url, "issuer_self_declared": self.issuer or None}


def is_exchange_link(text: str) -> bool:
    text = text.strip()
    if text.lower().startswith("dccrequest://"):
        return True
    try:
        parts = urlsplit(text)
        query = parse_qs(parts.query)
    except ValueError:
        return False
    return parts.scheme in ("https", "http") and ("vc_request_url" in query or "/exchanges/" in parts.path)


def parse_link(text: str) -> ExchangeLink:
    text = text.strip()
    try:
        parts = urlsplit(text)
        query = {k: v[0] for k, v in parse_qs(parts.query, max_num_fields=20).items()}
    except ValueError:
        raise ProtocolError("This link is not a credential exchange (its parameters cannot be read).") from None
    url = query.get("vc_request_url")
    if url is None and parts.scheme in ("https", "http") and "/exchanges/" in parts.path:
        url = text.split("#", 1)[0]
    if not url or not url.startswith(("https://", "http://")):
        raise ProtocolError("This link names no exchange to contact (vc_request_url).")
    return ExchangeLink(url, query.get("issuer", "")[:120], query.get("challenge"))


def _did_auth(identity: Identity, holder: str, challenge: str, domain: str) -> dict:
    key = identity.signing_key(holder)
    method = identity.resolve(holder)["verificationMethod"][0]["id"]
    method = holder + method if method.startswith("#") else method
    document = {"@context": [VC_V2_CONTEXT], "type": ["VerifiablePresentation"], "holder": holder}
    try:
        return data_integrity.sign(document, key, method, purpose="authentication", challenge=challenge,
                                   domain=domain)
    except CredentialFailure as exc:
        raise ProtocolError(f"The DID authentication could not be signed: {exc.message}") from None


def _request_of(document: dict) -> dict | None:
    request = document.get("verifiablePresentationRequest")
    return request if isinstance(request, dict) else None


def _next_endpoint(request: dict, current: str) -> str:
    """Where to answer: the request's unmediated interaction service, else the same URL."""
    services = (request.get("interact") or {}).get("service") if isinstance(request.get("interact"), dict) else None
    for service in services or ():
        if isinstance(service, dict) and service.get("type") == "UnmediatedHttpPresentationService2021" \
                and isinstance(service.get("serviceEndpoint"), str):
            return service["serviceEndpoint"]
    return current


def _credentials_in(document: dict) -> list[bytes]:
    vp = document.get("verifiablePresentation", document)
    items = vp.get("verifiableCredential") if isinstance(vp, dict) else None
    if items is None and isinstance(document.get("credential"), dict):
        items = [document["credential"]]
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or not items:
        raise ProtocolError("The exchange ended without sending a credential.")
    if len(items) > MAX_CREDENTIALS:
        raise ProtocolError(f"The exchange sent more than {MAX_CREDENTIALS} credentials.")
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append(json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        elif isinstance(item, str):
            out.append(item.encode("utf-8"))
        else:
            raise ProtocolError("The exchange sent a credential that is neither JSON nor text.")
    return out


def receive(link: ExchangeLink, identity: Identity, credentials: CredentialService, network: NetworkUse, *,
            did: str | None = None, exchange: Exchange | None = None) -> Received:
    """Run the exchange the holder accepted: DID authentication, then every credential
    verified and imported (or none)."""
    holder, _ = holder_for(identity, (), did)
    exchange = exchange or Exchange(network)
    endpoint = link.url
    document = answer(*exchange.post_json(endpoint, {}, "exchange request"), "exchange request")
    for _ in range(MAX_STEPS):
        request = _request_of(document)
        if request is None:
            break
        query = request.get("query")
        kinds = {q.get("type") for q in (query if isinstance(query, list) else [query]) if isinstance(q, dict)}
        if kinds - {"DIDAuthentication"}:
            raise ProtocolError(f"The exchange asks for {', '.join(sorted(map(str, kinds - {'DIDAuthentication'})))}, "
                                "which the vault does not answer in an exchange yet (only DID authentication).")
        challenge, domain = request.get("challenge"), request.get("domain")
        if not isinstance(challenge, str) or not challenge or not isinstance(domain, str) or not domain:
            raise ProtocolError("The exchange's request has no challenge and domain to authenticate for.")
        endpoint = _next_endpoint(request, endpoint)
        vp = _did_auth(identity, holder, challenge, domain)
        document = answer(*exchange.post_json(endpoint, {"verifiablePresentation": vp}, "DID authentication"),
                          "DID authentication")
    else:
        raise ProtocolError("The exchange keeps asking without ever sending a credential.")
    if "verifiablePresentation" not in document and "verifiableCredential" not in document \
            and "credential" not in document and link.challenge:
        # a legacy endpoint that answered {} with nothing: authenticate for the link's challenge
        vp = _did_auth(identity, holder, link.challenge, urlsplit(endpoint).netloc)
        document = answer(*exchange.post_json(endpoint, {"verifiablePresentation": vp}, "DID authentication"),
                          "DID authentication")
    issuer = link.issuer or urlsplit(link.url).netloc
    return import_all(credentials, [(data, f"a credential from {issuer}", None)
                                    for data in _credentials_in(document)], holder)
