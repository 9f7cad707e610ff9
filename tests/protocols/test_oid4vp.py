"""OpenID4VP 1.0 wallet side against a real verifier (oid4vc-ts on 127.0.0.1, which checks
the answer against its request and verifies each presentation independently), with the
credentials received from the real OpenID4VCI issuer; and against crafted hostile
verifiers: a forged or re-pointed request is refused before anything is signed or sent."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hostile import HostileIssuer
from peer import Peer
from vault.credentials import jose
from vault.credentials.service import CredentialService
from vault.did import did_jwk
from vault.presentations.log import PresentationLog
from vault.protocols import offer, oid4vci, oid4vp
from vault.protocols.http import ProtocolError
from vault.protocols.vp_request import read_request


@pytest.fixture(scope="module")
def verifier():
    peer = Peer("oid4vp_verifier.mjs")
    yield peer
    peer.stop()


@pytest.fixture
def wallet(identity, oid4vci_issuer, loopback):
    """A vault holding the three credentials the issuer peer issues, bound to its DID."""
    credentials = CredentialService(identity.store)
    for config in ("UniversityDegree_ldp_vc", "UniversityDegree_jwt_vc_json", "Employee_dc_sd_jwt"):
        made = oid4vci_issuer.get(f"/make-offer?config={config}")
        oid4vci.receive(offer.preview(made["offer"], loopback), identity, credentials, loopback)
    return identity, credentials


def _answer(request, identity, credentials, loopback):
    prepared = oid4vp.prepare(request, identity, credentials, oid4vp.matches(request, credentials))
    return prepared, oid4vp.respond(prepared, identity, credentials, loopback)


@pytest.mark.parametrize("query,client,mode", [("sd", "redirect_uri", "direct_post"),
                                               ("jwt", "did", "direct_post.jwt"),
                                               ("ldp", "did", "direct_post")])
def test_the_verifier_accepts_the_answer(verifier, wallet, loopback, query, client, mode):
    identity, credentials = wallet
    made = verifier.get(f"/make-request?query={query}&client={client}&mode={mode}")
    request = read_request(made["request"], loopback)
    assert request.verifier.authenticated == (client == "did") and request.signed == (client == "did")
    prepared, _ = _answer(request, identity, credentials, loopback)
    result = verifier.get(f"/result/{made['id']}")
    assert result["verified"], result["errors"]
    assert result["encrypted"] == (mode == "direct_post.jwt")
    (logged,) = PresentationLog(identity.store).entries()
    assert logged.domain == request.verifier.client_id and logged.challenge == request.nonce
    assert logged.credentials[0]["id"] == prepared.choices[0].candidate.id


def test_only_the_claims_asked_for_are_disclosed(verifier, wallet, loopback):
    identity, credentials = wallet
    made = verifier.get("/make-request?query=sd")
    request = read_request(made["request"], loopback)
    prepared = oid4vp.prepare(request, identity, credentials, oid4vp.matches(request, credentials))
    (choice,) = prepared.choices
    assert choice.disclosed.revealed == ("given_name", "employee_id")
    assert choice.disclosed.withheld == ("family_name",)
    assert "Not authenticated" in prepared.lines()[0] and "Loopback Employer (self-declared)" in prepared.lines()[0]
    oid4vp.respond(prepared, identity, credentials, loopback)
    seen = verifier.get(f"/result/{made['id']}")["presentations"]["employee"]
    assert seen["given_name"] == "Ada" and "family_name" not in seen


def test_a_credential_the_vault_lacks_is_said_and_nothing_is_sent(verifier, identity, loopback):
    credentials = CredentialService(identity.store)
    made = verifier.get("/make-request?query=jwt")
    request = read_request(made["request"], loopback)
    with pytest.raises(ProtocolError, match="a credential you do not have"):
        oid4vp.prepare(request, identity, credentials, oid4vp.matches(request, credentials))
    assert verifier.get(f"/result/{made['id']}")["received"] is False


# ---- hostile verifiers ---------------------------------------------------------------------

@pytest.fixture
def hostile():
    made = []

    def make() -> HostileIssuer:
        made.append(HostileIssuer())
        return made[-1]
    yield make
    for server in made:
        server.stop()


def _b64(document) -> str:
    return jose.b64url_encode(json.dumps(document).encode())


def test_a_signed_request_repointed_to_an_attacker_is_refused(verifier, wallet, hostile, loopback):
    """The attacker copies the verifier's signed request, changes where the answer goes and
    serves it from its own request_uri: the signature no longer holds."""
    identity, credentials = wallet
    made = verifier.get("/make-request?query=sd&client=did")
    real = read_request(made["request"], loopback)
    attacker = hostile()
    head, payload, signature = verifier_jwt(verifier, made).split(".")
    claims = json.loads(jose.b64url_decode(payload))
    claims["response_uri"] = f"{attacker.base}/steal"
    forged = f"{head}.{_b64(claims)}.{signature}"
    attacker.routes["GET /request"] = lambda s, r: (200, forged.encode())
    link = f"openid4vp://?client_id={quote(real.verifier.client_id)}&request_uri={quote(attacker.base + '/request')}"
    with pytest.raises(ProtocolError, match="not signed by"):
        read_request(link, loopback)
    assert attacker.posted() == [] and PresentationLog(identity.store).entries() == []


def verifier_jwt(verifier, made) -> str:
    import urllib.request
    from urllib.parse import parse_qs, urlsplit
    uri = parse_qs(urlsplit(made["request"]).query)["request_uri"][0]
    with urllib.request.urlopen(uri, timeout=30) as answer:
        return answer.read().decode()


def test_a_request_signed_by_another_did_than_it_names_is_refused(verifier, hostile, loopback):
    made = verifier.get("/make-request?query=sd&client=did")
    victim = read_request(made["request"], loopback).verifier.client_id
    key = Ed25519PrivateKey.generate()
    impostor = did_jwk.from_jwk(jose.public_jwk(key))
    attacker = hostile()
    claims = {"client_id": victim, "response_type": "vp_token", "response_mode": "direct_post", "nonce": "n",
              "response_uri": f"{attacker.base}/steal", "dcql_query": {"credentials": [
                  {"id": "x", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://credentials.example/employee"]}}]}}
    token = jose.sign(claims, key, header={"typ": "oauth-authz-req+jwt", "kid": impostor + "#0"})
    with pytest.raises(ProtocolError, match="signed with a key of did:jwk"):
        read_request(f"openid4vp://?client_id={quote(victim)}&request={token}", loopback)
    assert attacker.posted() == []


def test_an_unsigned_request_posing_as_a_did_verifier_is_refused(loopback):
    claims = {"client_id": "decentralized_identifier:did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
              "response_type": "vp_token", "response_mode": "direct_post", "nonce": "n",
              "response_uri": "https://verifier.example/post", "dcql_query": {"credentials": []}}
    link = "openid4vp://?" + "&".join(f"{k}={quote(json.dumps(v) if isinstance(v, dict) else v)}"
                                       for k, v in claims.items())
    with pytest.raises(ProtocolError, match="must sign its request"):
        read_request(link, loopback)


def test_a_redirect_uri_verifier_cannot_send_the_answer_elsewhere(loopback):
    link = ("openid4vp://?client_id=" + quote("redirect_uri:https://employer.example/cb") +
            "&response_type=vp_token&response_mode=direct_post&nonce=n&response_uri=" +
            quote("https://attacker.example/steal") + "&dcql_query=" + quote(json.dumps({"credentials": []})))
    with pytest.raises(ProtocolError, match="wants the answer sent to https://attacker.example"):
        read_request(link, loopback)


def test_presentation_exchange_and_transaction_data_are_refused_plainly(loopback):
    base = ("openid4vp://?client_id=" + quote("redirect_uri:https://employer.example/cb") +
            "&response_type=vp_token&response_mode=direct_post&nonce=n&response_uri=" +
            quote("https://employer.example/cb"))
    with pytest.raises(ProtocolError, match="Presentation Exchange"):
        read_request(base + "&presentation_definition=" + quote("{}"), loopback)
    with pytest.raises(ProtocolError, match="transaction"):
        read_request(base + "&dcql_query=" + quote('{"credentials":[]}') + "&transaction_data=" + quote('["e30"]'),
                     loopback)


def test_an_encrypted_answer_without_a_key_is_refused_before_signing(verifier, wallet, loopback):
    identity, credentials = wallet
    query = {"credentials": [{"id": "employee", "format": "dc+sd-jwt",
                              "meta": {"vct_values": ["https://credentials.example/employee"]}}]}
    link = ("openid4vp://?client_id=" + quote("redirect_uri:https://employer.example/cb") +
            "&response_type=vp_token&response_mode=direct_post.jwt&nonce=n&response_uri=" +
            quote("https://employer.example/cb") + "&dcql_query=" + quote(json.dumps(query)))
    request = read_request(link, loopback)
    with pytest.raises(ProtocolError, match="no P-256 key"):
        oid4vp.prepare(request, identity, credentials, oid4vp.matches(request, credentials))
    assert PresentationLog(identity.store).entries() == []


def test_a_malformed_dcql_query_is_a_clear_error(wallet, loopback):
    identity, credentials = wallet
    for query, said in (({"credentials": [{"id": "a", "format": "dc+sd-jwt", "claims": [{"path": [{"x": 1}]}]}]},
                         "claim path"),
                        ({"credentials": [{"id": "a"}]}, "no id or format"),
                        ({"credentials": [{"id": "a", "format": "mso_mdoc"}]}, "do not have")):
        link = ("openid4vp://?client_id=" + quote("redirect_uri:https://employer.example/cb") +
                "&response_type=vp_token&response_mode=direct_post&nonce=n&response_uri=" +
                quote("https://employer.example/cb") + "&dcql_query=" + quote(json.dumps(query)))
        request = read_request(link, loopback)
        with pytest.raises(ProtocolError, match=said):
            oid4vp.prepare(request, identity, credentials, oid4vp.matches(request, credentials))


# ---- x509_san_dns verifiers -------------------------------------------------------------------

def _x509_request(authority, key, dns: str, response_uri: str) -> str:
    claims = {"client_id": f"x509_san_dns:{dns}", "response_type": "vp_token", "response_mode": "direct_post",
              "nonce": "n-x509", "response_uri": response_uri, "client_metadata": {"client_name": "Acme HR"},
              "dcql_query": {"credentials": [{"id": "employee", "format": "dc+sd-jwt",
                                              "meta": {"vct_values": ["https://credentials.example/employee"]}}]}}
    leaf = authority.leaf(key, dns=dns)
    token = jose.sign(claims, key, header={"typ": "oauth-authz-req+jwt", "x5c": authority.x5c(leaf)})
    return f"openid4vp://?client_id={quote(claims['client_id'])}&request={token}"


@pytest.fixture(scope="module")
def authority():
    from tests.credentials.web_issuer import Authority
    return Authority("Test Verifier Root")


def test_an_x509_san_dns_verifier_is_authenticated_by_a_ca_you_added(identity, authority, loopback):
    from cryptography.hazmat.primitives.asymmetric import ec
    from vault.credentials.webkeys.anchors import TrustAnchors
    key = ec.generate_private_key(ec.SECP256R1())
    link = _x509_request(authority, key, "hr.acme.example", "https://hr.acme.example/answer")
    anchors = TrustAnchors(identity.store)
    with pytest.raises(ProtocolError, match="not signed by hr.acme.example"):     # no CA added yet
        read_request(link, loopback, anchors=anchors.certificates)
    anchors.add(authority.pem())
    request = read_request(link, loopback, anchors=anchors.certificates)
    assert request.verifier.authenticated and request.verifier.identifier == "hr.acme.example"
    assert "certificate from an authority you added" in request.verifier.sentence()
    assert "Acme HR (self-declared)" in request.verifier.sentence()


def test_an_x509_verifier_cannot_send_the_answer_to_another_host(identity, authority, loopback):
    from cryptography.hazmat.primitives.asymmetric import ec
    from vault.credentials.webkeys.anchors import TrustAnchors
    anchors = TrustAnchors(identity.store)
    anchors.add(authority.pem())
    key = ec.generate_private_key(ec.SECP256R1())
    link = _x509_request(authority, key, "hr.acme.example", "https://collector.example/answer")
    with pytest.raises(ProtocolError, match="the answer would go to collector.example"):
        read_request(link, loopback, anchors=anchors.certificates)
    # a certificate for another name than the client id claims
    other = _x509_request(authority, key, "hr.acme.example", "https://hr.acme.example/answer").replace(
        quote("x509_san_dns:hr.acme.example"), quote("x509_san_dns:bank.example"))
    with pytest.raises(ProtocolError):
        read_request(other, loopback, anchors=anchors.certificates)


def test_request_uri_method_post_fetches_the_signed_request_by_post(verifier, hostile, loopback):
    made = verifier.get("/make-request?query=sd&client=did")
    signed = verifier_jwt(verifier, made).encode()
    host = hostile()
    host.routes["POST /request"] = lambda s, r: (200, signed)
    client_id = read_request(made["request"], loopback).verifier.client_id
    link = (f"openid4vp://?client_id={quote(client_id)}&request_uri={quote(host.base + '/request')}"
            "&request_uri_method=post")
    request = read_request(link, loopback)
    assert request.verifier.authenticated and host.posted() == ["/request"]


def test_only_what_the_credential_sets_require_is_disclosed(wallet, loopback):
    identity, credentials = wallet
    degree = {"meta": {"type_values": [["VerifiableCredential", "UniversityDegreeCredential"]]}}
    query = {"credentials": [
        {"id": "employee", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://credentials.example/employee"]}},
        {"id": "degree_jwt", "format": "jwt_vc_json", **degree},
        {"id": "degree_ldp", "format": "ldp_vc", **degree},
        {"id": "passport", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://passport.example"]}}],
        "credential_sets": [{"options": [["passport"], ["employee"]]},
                            {"options": [["degree_jwt"]], "required": False},
                            {"options": [["degree_ldp"], ["degree_jwt"]]}]}
    link = ("openid4vp://?client_id=" + quote("redirect_uri:https://employer.example/cb") +
            "&response_type=vp_token&response_mode=direct_post&nonce=n&response_uri=" +
            quote("https://employer.example/cb") + "&dcql_query=" + quote(json.dumps(query)))
    request = read_request(link, loopback)
    prepared = oid4vp.prepare(request, identity, credentials, oid4vp.matches(request, credentials))
    assert sorted(c.query_id for c in prepared.choices) == ["degree_ldp", "employee"]
