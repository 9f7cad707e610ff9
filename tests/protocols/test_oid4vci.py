"""OpenID4VCI 1.0 pre-authorized code flow against a real issuer (oid4vc-ts on 127.0.0.1,
tests/node/oid4vci_issuer.mjs) and against crafted hostile issuers (hostile.py): the
credential arrives verified and imported, or nothing is imported and the error says why."""

from __future__ import annotations

import json
import socket
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hostile import HostileIssuer
from vault.credentials import jose
from vault.credentials.jwt_vc import sign_jwt_vc
from vault.credentials.service import CredentialService
from vault.did import did_jwk
from vault.net.fetch import NetworkUse
from vault.protocols.http import ProtocolError
from vault.protocols.offer import preview
from vault.protocols.oid4vci import receive

CONFIGS = {"UniversityDegree_ldp_vc": "di-vc", "UniversityDegree_jwt_vc_json": "jwt-vc",
           "Employee_dc_sd_jwt": "sd-jwt-vc"}


@pytest.fixture
def credentials(identity):
    return CredentialService(identity.store)


def _count(credentials) -> int:
    return len(credentials.repository.search())


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_each_format_arrives_verified_and_bound_to_the_vault_did(oid4vci_issuer, identity, credentials,
                                                                  loopback, config):
    made = oid4vci_issuer.get(f"/make-offer?config={config}&tx=1")
    shown = preview(made["offer"], loopback)
    assert shown.issuer_name == "Loopback University" and shown.needs_tx_code
    assert [(c.id, c.problem) for c in shown.configurations] == [(config, "")]
    assert "(self-declared)" in shown.lines()[0]
    received = receive(shown, identity, credentials, loopback, tx_code=made["tx_code"])
    (result,) = received.imported
    assert result.created and result.summary.format == CONFIGS[config]
    assert result.summary.issuer in oid4vci_issuer.info["issuer_dids"]
    assert received.holder == identity.default_did().did
    if config != "Employee_dc_sd_jwt":
        assert result.summary.subject == received.holder
    # the stored bytes verify again, offline, as any imported file would
    assert credentials.reverify(result.summary.id)[1].valid


def test_offer_by_reference_and_from_a_qr_image(oid4vci_issuer, identity, credentials, loopback, tmp_path):
    from vault.qr.render import png
    made = oid4vci_issuer.get("/make-offer?config=UniversityDegree_jwt_vc_json&by=reference")
    assert "credential_offer_uri=" in made["offer"]
    image = tmp_path / "offer.png"
    image.write_bytes(png(made["offer"]))
    shown = preview(str(image), loopback)
    assert shown.offer.by_reference and not shown.needs_tx_code
    assert receive(shown, identity, credentials, loopback).imported[0].created


def test_wrong_tx_code_is_refused_by_the_issuer_and_nothing_is_imported(oid4vci_issuer, identity, credentials,
                                                                       loopback):
    made = oid4vci_issuer.get("/make-offer?config=UniversityDegree_jwt_vc_json&tx=1")
    wrong = str((int(made["tx_code"]) + 1) % 10000).zfill(4)
    shown = preview(made["offer"], loopback)
    with pytest.raises(ProtocolError, match="token request was refused") as caught:
        receive(shown, identity, credentials, loopback, tx_code=wrong)
    assert caught.value.code == "invalid_grant"
    assert _count(credentials) == 0


def test_a_missing_or_malformed_tx_code_is_caught_before_anything_is_sent(oid4vci_issuer, identity, credentials,
                                                                         loopback):
    made = oid4vci_issuer.get("/make-offer?config=UniversityDegree_jwt_vc_json&tx=1")
    shown = preview(made["offer"], loopback)
    before = oid4vci_issuer.get("/log")["tokens"], len(oid4vci_issuer.get("/log")["errors"])
    with pytest.raises(ProtocolError, match="--tx-code"):
        receive(shown, identity, credentials, loopback)
    with pytest.raises(ProtocolError, match="digits only"):
        receive(shown, identity, credentials, loopback, tx_code="12a4")
    after = oid4vci_issuer.get("/log")
    assert (after["tokens"], len(after["errors"])) == before
    # the same offer still works with the right code: nothing was spent
    assert receive(shown, identity, credentials, loopback, tx_code=made["tx_code"]).imported


def test_a_replayed_offer_is_refused(oid4vci_issuer, identity, credentials, loopback):
    made = oid4vci_issuer.get("/make-offer?config=UniversityDegree_jwt_vc_json")
    shown = preview(made["offer"], loopback)
    receive(shown, identity, credentials, loopback)
    with pytest.raises(ProtocolError) as caught:
        receive(shown, identity, credentials, loopback)
    assert caught.value.code == "invalid_grant" and _count(credentials) == 1


def test_loopback_issuer_is_refused_unless_private_addresses_are_allowed(oid4vci_issuer):
    made = oid4vci_issuer.get("/make-offer?config=UniversityDegree_jwt_vc_json&by=reference")
    with pytest.raises(ProtocolError, match="loopback address"):
        preview(made["offer"], NetworkUse())


def test_issuer_down_is_a_clear_error(loopback):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]      # closed again: nothing listens there
    offer = {"credential_issuer": f"http://127.0.0.1:{port}", "credential_configuration_ids": ["X"],
             "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": {"pre-authorized_code": "c"}}}
    with pytest.raises(ProtocolError, match="credential issuer metadata could not be read"):
        preview("openid-credential-offer://?credential_offer=" + quote(json.dumps(offer)), loopback)


def test_an_offer_with_an_unknown_grant_is_refused_plainly(loopback):
    offer = {"credential_issuer": "https://issuer.example", "credential_configuration_ids": ["X"],
             "grants": {"urn:example:magic": {}}}
    with pytest.raises(ProtocolError, match="neither a pre-authorized code nor an authorization code"):
        preview(json.dumps(offer), loopback)


# ---- hostile issuers ------------------------------------------------------------------------

@pytest.fixture
def hostile():
    made = []

    def make(**kwargs) -> HostileIssuer:
        server = HostileIssuer().standard(**kwargs)
        made.append(server)
        return server
    yield make
    for server in made:
        server.stop()


def _jwt_vc(subject: str) -> str:
    key = Ed25519PrivateKey.generate()
    did = did_jwk.from_jwk(jose.public_jwk(key))
    return sign_jwt_vc({"@context": ["https://www.w3.org/2018/credentials/v1"],
                        "type": ["VerifiableCredential", "UniversityDegreeCredential"],
                        "credentialSubject": {"id": subject, "degree": "BSc"}}, key, kid=did + "#0")


def test_metadata_naming_another_issuer_stops_before_any_request(hostile, loopback):
    server = hostile()
    server.routes["GET /.well-known/openid-credential-issuer"] = lambda s, r: (200, {
        "credential_issuer": "https://university.example", "credential_endpoint": f"{s.base}/credential",
        "credential_configurations_supported": {"Degree": {"format": "jwt_vc_json"}}})
    with pytest.raises(ProtocolError, match="names another issuer"):
        preview(server.offer(), loopback)
    assert server.posted() == []


def test_authorization_server_posing_as_another_is_refused(hostile, loopback):
    server = hostile()
    server.routes["GET /.well-known/oauth-authorization-server"] = lambda s, r: (200, {
        "issuer": "https://login.example", "token_endpoint": "https://login.example/token"})
    with pytest.raises(ProtocolError, match="impostor"):
        preview(server.offer(), loopback)
    assert server.posted() == []


def test_forged_credential_is_not_imported(hostile, identity, credentials, loopback):
    def forged(request):
        head, payload, signature = _jwt_vc(identity.default_did().did).split(".")
        claims = json.loads(jose.b64url_decode(payload))
        claims["vc"]["credentialSubject"]["degree"] = "PhD"   # changed after signing
        return 200, {"credentials": [{"credential": f"{head}.{jose.b64url_encode(json.dumps(claims).encode())}."
                                                    f"{signature}"}]}
    server = hostile(credential=forged)
    with pytest.raises(ProtocolError, match="does not verify"):
        receive(preview(server.offer(), loopback), identity, credentials, loopback)
    assert _count(credentials) == 0


def test_credential_issued_to_someone_else_is_not_imported(hostile, identity, credentials, loopback):
    stranger = did_jwk.from_jwk(jose.public_jwk(Ed25519PrivateKey.generate()))
    server = hostile(credential=lambda r: (200, {"credentials": [{"credential": _jwt_vc(stranger)}]}))
    with pytest.raises(ProtocolError, match="not to did:key"):
        receive(preview(server.offer(), loopback), identity, credentials, loopback)
    assert _count(credentials) == 0


def test_credential_in_another_format_than_offered_is_not_imported(hostile, identity, credentials, loopback):
    server = hostile(fmt="ldp_vc", credential=lambda r: (200, {"credentials": [
        {"credential": _jwt_vc(identity.default_did().did)}]}))
    with pytest.raises(ProtocolError, match="another format than it offered"):
        receive(preview(server.offer(), loopback), identity, credentials, loopback)
    assert _count(credentials) == 0


def test_a_nonce_the_issuer_never_accepts_is_retried_once_not_forever(hostile, identity, credentials, loopback):
    fresh = iter(range(100))
    server = hostile(credential=lambda r: (400, {"error": "invalid_nonce", "error_description": "stale"}))
    server.routes["POST /nonce"] = lambda s, r: (200, {"c_nonce": f"n-{next(fresh)}"})
    with pytest.raises(ProtocolError, match="invalid_nonce"):
        receive(preview(server.offer(), loopback), identity, credentials, loopback)
    assert server.posted().count("/credential") == 2 and _count(credentials) == 0


def test_the_proof_is_bound_to_the_issuer_and_its_nonce(hostile, identity, credentials, loopback):
    """What the vault signs: typ, its DID's key, the issuer as audience, the issuer's nonce."""
    seen = {}

    def capture(request):
        seen.update(json.loads(request["body"]))
        return 200, {"credentials": [{"credential": _jwt_vc(identity.default_did().did)}]}
    server = hostile(credential=capture)
    server.routes["POST /nonce"] = lambda s, r: (200, {"c_nonce": "the-nonce"})
    receive(preview(server.offer(), loopback), identity, credentials, loopback)
    (proof,) = seen["proofs"]["jwt"]
    parsed = jose.parse(proof)
    assert parsed.header["typ"] == "openid4vci-proof+jwt" and parsed.kid.startswith(identity.default_did().did)
    assert parsed.payload["aud"] == server.base and parsed.payload["nonce"] == "the-nonce"
    assert jose.verify(proof, identity.signing_key(identity.default_did().did).public_key())


def test_huge_or_deep_metadata_is_refused(hostile, loopback):
    server = hostile()
    server.routes["GET /.well-known/openid-credential-issuer"] = lambda s, r: (200, json.loads(
        "[" * 300 + "]" * 300))
    with pytest.raises(ProtocolError, match="not JSON"):
        preview(server.offer(), loopback)


def test_an_unsupported_format_or_proof_algorithm_is_said_before_anything_is_sent(hostile, identity, credentials,
                                                                                 loopback):
    server = hostile(fmt="mso_mdoc")
    shown = preview(server.offer(), loopback)
    assert "mso_mdoc is not one the vault reads" in shown.lines()[1]
    with pytest.raises(ProtocolError, match="cannot be received: the format mso_mdoc"):
        receive(shown, identity, credentials, loopback)
    es256 = hostile()
    metadata = es256.routes["GET /.well-known/openid-credential-issuer"](es256, {})[1]
    metadata["credential_configurations_supported"]["Degree"]["proof_types_supported"]["jwt"][
        "proof_signing_alg_values_supported"] = ["ES256"]
    es256.routes["GET /.well-known/openid-credential-issuer"] = lambda s, r: (200, metadata)
    with pytest.raises(ProtocolError, match="ES256 only"):
        receive(preview(es256.offer(), loopback), identity, credentials, loopback)
    assert server.posted() == [] and es256.posted() == [] and _count(credentials) == 0


# ---- the authorization code flow ----------------------------------------------------------------

def browser(seen: list):
    """The system browser, at the edge: it opens the sign-in page, whose user approves at
    once (the issuer peer), and follows the redirect back to the vault's loopback receiver."""
    import urllib.request

    def open_url(url: str) -> None:
        seen.append(url)
        with urllib.request.urlopen(url, timeout=30) as page:
            page.read()
    return open_url


def test_sign_in_at_the_issuer_then_receive(oid4vci_issuer, identity, credentials, loopback):
    made = oid4vci_issuer.get("/make-offer?config=UniversityDegree_jwt_vc_json&grant=authorization_code")
    shown = preview(made["offer"], loopback)
    assert shown.offer.signs_in and "sign in at the issuer" in "\n".join(shown.lines())
    opened: list = []
    received = receive(shown, identity, credentials, loopback, open_browser=browser(opened))
    assert received.imported[0].created
    (url,) = opened
    assert "code_challenge_method=S256" in url and "redirect_uri=http%3A%2F%2F127.0.0.1" in url
    assert "code_verifier" not in url


def test_a_sign_in_redirect_for_another_request_is_refused(oid4vci_issuer, identity, credentials, loopback):
    """An attacker's page sends the browser back to the vault's receiver with its own code
    and state: the state differs, nothing is asked of the issuer."""
    import urllib.request
    from urllib.parse import parse_qs, urlsplit
    made = oid4vci_issuer.get("/make-offer?config=UniversityDegree_jwt_vc_json&grant=authorization_code")
    shown = preview(made["offer"], loopback)
    tokens = oid4vci_issuer.get("/log")["tokens"]

    def attacker(url: str) -> None:
        back = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        with urllib.request.urlopen(back + "?code=stolen&state=attacker", timeout=30) as page:
            page.read()
    with pytest.raises(ProtocolError, match="state differs"):
        receive(shown, identity, credentials, loopback, open_browser=attacker)
    assert oid4vci_issuer.get("/log")["tokens"] == tokens and _count(credentials) == 0
