"""VC-API exchanges as the Learner Credential Wallet does them: a dccrequest:// link, DID
authentication for the exchange's challenge and domain (verified by Digital Bazaar's vc in
the peer), the credential imported; crafted hostile exchanges import nothing."""

from __future__ import annotations

import json

import pytest

from hostile import HostileIssuer
from peer import Peer
from vault.credentials.service import CredentialService
from vault.protocols import vcapi
from vault.protocols.http import ProtocolError


@pytest.fixture(scope="module")
def exchanges():
    peer = Peer("vcapi_exchange.mjs")
    yield peer
    peer.stop()


@pytest.fixture
def credentials(identity):
    return CredentialService(identity.store)


def test_a_dccrequest_link_brings_the_diploma(exchanges, identity, credentials, loopback):
    made = exchanges.get("/make-exchange")
    assert vcapi.is_exchange_link(made["dccrequest"])
    link = vcapi.parse_link(made["dccrequest"])
    assert link.issuer == "Exchange College" and "(self-declared)" in link.lines()[0]
    received = vcapi.receive(link, identity, credentials, loopback)
    (result,) = received.imported
    assert result.created and result.summary.subject == identity.default_did().did
    assert result.summary.issuer == exchanges.info["issuer"] and result.verdict.valid


def test_the_exchange_url_itself_works_and_is_used_once(exchanges, identity, credentials, loopback):
    made = exchanges.get("/make-exchange")
    link = vcapi.parse_link(made["exchange"])
    vcapi.receive(link, identity, credentials, loopback)
    with pytest.raises(ProtocolError, match="refused .unknown or finished exchange"):
        vcapi.receive(link, identity, credentials, loopback)
    assert len(credentials.repository.search()) == 1


@pytest.fixture
def hostile():
    made = []

    def make() -> HostileIssuer:
        made.append(HostileIssuer())
        return made[-1]
    yield make
    for server in made:
        server.stop()


def _vpr(query_type="DIDAuthentication"):
    return {"verifiablePresentationRequest": {"query": [{"type": query_type}], "challenge": "c", "domain": "d"}}


def test_a_credential_for_someone_else_is_not_imported(exchanges, hostile, identity, credentials, loopback):
    """The hostile exchange passes on a real credential the peer issued to another DID."""
    from vault.identity import Identity
    other_credentials = CredentialService(identity.store)
    stranger_dir = identity.store.data_dir.parent / "stranger"
    stranger, _ = Identity.create(stranger_dir, "correct horse battery staple 9", kdf_target=0)
    stolen = vcapi.receive(vcapi.parse_link(exchanges.get("/make-exchange")["exchange"]), stranger,
                           CredentialService(stranger.store), loopback).imported[0]
    original = json.loads(CredentialService(stranger.store).repository.original(stolen.summary.id))
    stranger.store.lock()
    server = hostile()
    server.routes["POST /x"] = lambda s, r: (200, _vpr()) if json.loads(r["body"]) == {} else (
        200, {"verifiablePresentation": {"verifiableCredential": [original]}})
    with pytest.raises(ProtocolError, match="not to did:key"):
        vcapi.receive(vcapi.parse_link(f"{server.base}/x?vc_request_url={server.base}/x"), identity,
                      other_credentials, loopback)
    assert credentials.repository.search() == []


def test_an_exchange_asking_for_more_than_did_auth_is_refused_before_signing(hostile, identity, credentials,
                                                                              loopback):
    server = hostile()
    server.routes["POST /x"] = lambda s, r: (200, _vpr("QueryByExample"))
    with pytest.raises(ProtocolError, match="QueryByExample"):
        vcapi.receive(vcapi.parse_link(f"dccrequest://request?vc_request_url={server.base}/x"), identity,
                      credentials, loopback)
    assert server.posted() == ["/x"]          # the first POST {} only: no presentation was sent


def test_an_exchange_that_never_ends_is_cut_short(hostile, identity, credentials, loopback):
    server = hostile()
    server.routes["POST /x"] = lambda s, r: (200, _vpr())
    with pytest.raises(ProtocolError, match="keeps asking"):
        vcapi.receive(vcapi.parse_link(f"dccrequest://request?vc_request_url={server.base}/x"), identity,
                      credentials, loopback)
    assert len(server.posted()) == 1 + vcapi.MAX_STEPS and credentials.repository.search() == []


def test_receive_cli_takes_a_dccrequest_link(exchanges, cli):
    made = exchanges.get("/make-exchange")
    code, out, err = cli("receive", made["dccrequest"], "--yes", "--allow-private", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["offer"]["issuer_self_declared"] == "Exchange College"
    assert result["credentials"][0]["format"] == "di-vc"
