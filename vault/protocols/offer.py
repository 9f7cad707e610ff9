"""OpenID4VCI 1.0 credential offers and the issuer's metadata: what the holder sees before
anything is accepted (who offers, which credentials, whether a transaction code is needed).

Everything here comes from the issuer and is hostile until checked: the offer by value or
by reference (``credential_offer_uri``), the credential issuer metadata (its
``credential_issuer`` must be the offer's, OpenID4VCI 1.0 §12.2.2) and the authorization
server metadata (its ``issuer`` must be the server's identifier, RFC 8414 §3.3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from ..credentials.verify import FORMAT_DI, FORMAT_JWT, FORMAT_SD_JWT
from ..net.fetch import NetworkUse
from ..safe_text import one_line
from .http import Exchange, ProtocolError, parse_object, text_field
from .inputs import read_link

OFFER_SCHEMES = ("openid-credential-offer://", "https://", "http://")
PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
AUTHORIZATION_CODE = "authorization_code"
# The credential formats the vault receives, and the vault's name for each (credentials.verify).
FORMATS = {"ldp_vc": FORMAT_DI, "jwt_vc_json": FORMAT_JWT, "dc+sd-jwt": FORMAT_SD_JWT, "vc+sd-jwt": FORMAT_SD_JWT}
PROOF_ALGORITHMS = ("EdDSA", "Ed25519")     # the vault's DID keys are Ed25519
BINDING_DIDS = ("did:key", "did:jwk")
MAX_CONFIGURATIONS = 20


@dataclass(frozen=True)
class TxCode:
    """The transaction code the issuer sent the holder another way (e-mail, SMS)."""
    input_mode: str = "numeric"
    length: int | None = None
    description: str = ""

    def check(self, value: str | None) -> str:
        if not value:
            raise ProtocolError("This offer needs the transaction code the issuer sent you another way"
                                + (f" ({one_line(self.description, 120)})" if self.description else "")
                                + ": give it with --tx-code (or in the dialog).")
        value = value.strip()
        if self.input_mode == "numeric" and not value.isdigit():
            raise ProtocolError("The transaction code of this offer is made of digits only.")
        if self.length is not None and len(value) != self.length:
            raise ProtocolError(f"The transaction code of this offer has {self.length} characters, "
                                f"not {len(value)}.")
        return value


@dataclass(frozen=True)
class Offer:
    credential_issuer: str
    configuration_ids: tuple[str, ...]
    pre_authorized_code: str | None
    tx_code: TxCode | None
    authorization_server: str | None
    by_reference: str | None = None   # the credential_offer_uri it was read from
    issuer_state: str | None = None   # authorization code flow: handed back to the issuer

    @property
    def signs_in(self) -> bool:
        """The authorization code flow: the holder signs in at the issuer in a browser."""
        return self.pre_authorized_code is None


@dataclass(frozen=True)
class Configuration:
    """One credential the issuer offers, as its metadata describes it."""
    id: str
    format: str
    name: str
    binding: tuple[str, ...] = ()
    proof_algorithms: tuple[str, ...] = ()
    problem: str = ""          # why the vault cannot receive it ("" when it can)

    def to_json(self) -> dict:
        return {"id": self.id, "format": self.format, "name": self.name, "supported": not self.problem,
                "problem": self.problem or None}


@dataclass(frozen=True)
class OfferPreview:
    """What the holder is shown before accepting. ``issuer_name`` is what the issuer says
    about itself (self-declared); the URL is what the offer proved by being served there."""
    offer: Offer
    issuer_name: str
    configurations: tuple[Configuration, ...]
    token_endpoint: str
    credential_endpoint: str
    nonce_endpoint: str | None
    metadata: dict = field(repr=False, default_factory=dict)
    authorization_endpoint: str | None = None     # the authorization code flow's sign-in page
    authorization_server: str = ""                # its identifier (the redirect's iss, RFC 9207)

    @property
    def issuer(self) -> str:
        return self.offer.credential_issuer

    @property
    def needs_tx_code(self) -> bool:
        return self.offer.tx_code is not None

    def to_json(self) -> dict:
        tx = self.offer.tx_code
        return {"credential_issuer": self.issuer, "issuer_name_self_declared": self.issuer_name or None,
                "credentials": [c.to_json() for c in self.configurations],
                "flow": "authorization_code" if self.offer.signs_in else "pre-authorized_code",
                "tx_code": None if tx is None else {"input_mode": tx.input_mode, "length": tx.length,
                                                    "description": tx.description or None}}

    def lines(self) -> list[str]:
        name = f"{one_line(self.issuer_name, 80)} (self-declared), " if self.issuer_name else ""
        out = [f"Credential offer from {name}{one_line(self.issuer, 200)}"]
        for c in self.configurations:
            out.append(f"  {one_line(c.name, 80)} [{c.format}]" + (f": cannot be received: {c.problem}"
                                                                     if c.problem else ""))
        if self.offer.signs_in:
            out.append(f"  you sign in at the issuer in your browser ({one_line(self.authorization_endpoint, 120)})")
        if self.offer.tx_code:
            tx = self.offer.tx_code
            out.append("  needs a transaction code" + (f" of {tx.length} characters" if tx.length else "")
                       + (f": {one_line(tx.description, 120)}" if tx.description else ""))
        return out


# ---- the offer ----------------------------------------------------------------------------

def _offer_object(document: dict, by_reference: str | None = None) -> Offer:
    what = "credential offer"
    issuer = text_field(document, "credential_issuer", what)
    if not issuer.startswith(("https://", "http://")):
        raise ProtocolError("The credential offer's issuer is not an https:// URL.")
    ids = document.get("credential_configuration_ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        raise ProtocolError("The credential offer names no credential (credential_configuration_ids).")
    if len(ids) > MAX_CONFIGURATIONS:
        raise ProtocolError(f"The credential offer names more than {MAX_CONFIGURATIONS} credentials.")
    grants = document.get("grants") if isinstance(document.get("grants"), dict) else {}
    pre = grants.get(PRE_AUTHORIZED)
    if not isinstance(pre, dict):
        auth = grants.get(AUTHORIZATION_CODE)
        if not isinstance(auth, dict) and grants:
            raise ProtocolError("The credential offer has neither a pre-authorized code nor an authorization "
                                "code grant.")
        auth = auth if isinstance(auth, dict) else {}
        state, server = auth.get("issuer_state"), auth.get("authorization_server")
        return Offer(_issuer_id(issuer), tuple(ids), None, None, server if isinstance(server, str) else None,
                     by_reference, state if isinstance(state, str) else None)
    code = text_field(pre, "pre-authorized_code", what)
    tx = pre.get("tx_code")
    tx_code = None
    if isinstance(tx, dict):
        length = tx.get("length")
        tx_code = TxCode(input_mode="text" if tx.get("input_mode") == "text" else "numeric",
                         length=length if isinstance(length, int) and 0 < length <= 64 else None,
                         description=tx["description"] if isinstance(tx.get("description"), str) else "")
    elif tx is not None:
        raise ProtocolError("The credential offer's tx_code is not an object.")
    server = pre.get("authorization_server")
    return Offer(_issuer_id(issuer), tuple(ids), code, tx_code, server if isinstance(server, str) else None,
                 by_reference)


def _issuer_id(issuer: str) -> str:
    return issuer.rstrip("/") if issuer.endswith("/") and issuer.count("/") == 3 else issuer


def parse_offer(text: str, exchange: Exchange | None = None) -> Offer:
    """The offer in a link (``openid-credential-offer://?credential_offer=…`` or
    ``…?credential_offer_uri=…``, fetched through ``exchange``) or a JSON object."""
    text = text.strip()
    if text.startswith("{"):
        return _offer_object(parse_object(text, "credential offer"))
    try:
        query = parse_qs(urlsplit(text).query, max_num_fields=20)
    except ValueError:
        raise ProtocolError("This link is not a credential offer (its parameters cannot be read).") from None
    if "credential_offer" in query:
        return _offer_object(parse_object(query["credential_offer"][0], "credential offer"))
    if "credential_offer_uri" in query:
        uri = query["credential_offer_uri"][0]
        if exchange is None:
            raise ProtocolError("This offer is given by reference; reading it needs the network.")
        return _offer_object(exchange.get_json(uri, "credential offer at " + one_line(uri, 120)), uri)
    raise ProtocolError("This link is not a credential offer: it has neither credential_offer nor "
                        "credential_offer_uri.")


# ---- the issuer's metadata --------------------------------------------------------------

def well_known(identifier: str, name: str) -> str:
    """RFC 8615 with the path inserted after the well-known name (OpenID4VCI 1.0 §12.2.2)."""
    parts = urlsplit(identifier)
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}/.well-known/{name}{path}"


def _display_name(entries) -> str:
    if not isinstance(entries, list):
        return ""
    named = [e for e in entries if isinstance(e, dict) and isinstance(e.get("name"), str)]
    english = [e for e in named if str(e.get("locale", "")).lower().startswith("en")]
    return (english or named or [{"name": ""}])[0]["name"][:200]


def _configuration(cid: str, entry) -> Configuration:
    if not isinstance(entry, dict):
        return Configuration(cid, "?", cid, problem="the issuer's metadata does not describe it")
    fmt = entry.get("format") if isinstance(entry.get("format"), str) else "?"
    display = entry.get("credential_metadata", {}).get("display") if isinstance(
        entry.get("credential_metadata"), dict) else entry.get("display")
    name = _display_name(display) or cid
    binding = tuple(m for m in entry.get("cryptographic_binding_methods_supported") or () if isinstance(m, str))
    proofs = entry.get("proof_types_supported")
    algorithms: tuple[str, ...] = ()
    problem = ""
    if fmt not in FORMATS:
        problem = f"the format {one_line(fmt, 40)} is not one the vault reads (ldp_vc, jwt_vc_json, dc+sd-jwt)"
    elif isinstance(proofs, dict):
        jwt = proofs.get("jwt")
        if not isinstance(jwt, dict):
            problem = "the issuer wants a kind of proof other than a signed JWT"
        else:
            algorithms = tuple(a for a in jwt.get("proof_signing_alg_values_supported") or () if isinstance(a, str))
            if algorithms and not set(algorithms) & set(PROOF_ALGORITHMS):
                problem = (f"the issuer accepts proofs signed with {', '.join(algorithms[:4])} only; "
                           "the vault's DID keys sign with EdDSA (Ed25519)")
    if not problem and binding and not ({"jwk", "did"} | set(BINDING_DIDS)) & set(binding):
        problem = f"the issuer binds it to {', '.join(binding[:4])}, not to a did:key, did:jwk or key"
    return Configuration(cid, fmt, name, binding, algorithms, problem)


def _authorization_server(exchange: Exchange, identifier: str) -> dict:
    try:
        document = exchange.get_json(well_known(identifier, "oauth-authorization-server"),
                                     "issuer's authorization server metadata")
    except ProtocolError:
        document = exchange.get_json(identifier.rstrip("/") + "/.well-known/openid-configuration",
                                     "issuer's authorization server metadata")
    if document.get("issuer") != identifier:
        raise ProtocolError(f"The authorization server metadata names {one_line(document.get('issuer'), 120)} "
                            f"as its issuer, not {one_line(identifier, 120)}: it may be an impostor's; "
                            "nothing was sent.")
    return document


def preview(link: str, network: NetworkUse, exchange: Exchange | None = None) -> OfferPreview:
    """Read the offer in ``link`` (a link, a file, a QR image) and the issuer's metadata.
    Nothing is accepted or sent but GET requests for the offer and the metadata."""
    exchange = exchange or Exchange(network)
    offer = parse_offer(read_link(link, OFFER_SCHEMES, "a credential offer"), exchange)
    metadata = exchange.get_json(well_known(offer.credential_issuer, "openid-credential-issuer"),
                                 "credential issuer metadata")
    if metadata.get("credential_issuer") != offer.credential_issuer:
        raise ProtocolError(f"The issuer metadata at {one_line(offer.credential_issuer, 120)} names another "
                            f"issuer ({one_line(metadata.get('credential_issuer'), 120)}): it is not "
                            "this offer's issuer; nothing was accepted.")
    credential_endpoint = text_field(metadata, "credential_endpoint", "credential issuer metadata")
    nonce_endpoint = text_field(metadata, "nonce_endpoint", "credential issuer metadata", required=False)
    servers = [s for s in metadata.get("authorization_servers") or () if isinstance(s, str)]
    server = offer.authorization_server or (servers[0] if servers else offer.credential_issuer)
    if servers and server not in servers:
        raise ProtocolError("The offer names an authorization server the issuer's metadata does not list.")
    server_metadata = _authorization_server(exchange, server)
    token_endpoint = text_field(server_metadata, "token_endpoint", "authorization server metadata")
    authorization_endpoint = None
    if offer.signs_in:
        authorization_endpoint = text_field(server_metadata, "authorization_endpoint",
                                            "authorization server metadata")
        if not authorization_endpoint.startswith(("https://", "http://")):
            raise ProtocolError("The issuer's sign-in page is not an https:// address; it is not opened.")
        if "S256" not in (server_metadata.get("code_challenge_methods_supported") or ["S256"]):
            raise ProtocolError("The issuer's sign-in does not take PKCE with S256, which the vault requires.")
    supported = metadata.get("credential_configurations_supported")
    if not isinstance(supported, dict):
        raise ProtocolError("The credential issuer metadata lists no credential configurations.")
    configurations = tuple(_configuration(cid, supported.get(cid)) for cid in offer.configuration_ids)
    return OfferPreview(offer, _display_name(metadata.get("display")), configurations, token_endpoint,
                        credential_endpoint, nonce_endpoint, metadata, authorization_endpoint, server)
