"""Issuer keys on the web, over real HTTPS on loopback: did:web documents, Open Badges 3.0
https verification methods (1EdTech's own examples, their issuer profile served), SD-JWT
VC issuer metadata. Fetched only when network use is allowed (requests are counted on the
server), checked like a saved copy, saved with their date and address, and used offline
with that date said. Each attack is crafted: a document for another DID or URL, keys
naming another controller, a key that names the issuer who never listed it, metadata of
another issuer, keys on another host."""

import json
import socket
import time

import pytest
from tests.conftest import FIXTURES
from tests.credentials.web_issuer import (ISSUER_KEY, OTHER_KEY, WebIssuer, did_document, jwks, key_method,
                                          profile, sd_token, signed_badge)
from vault.credentials import online
from vault.credentials.cache import VerificationCache
from vault.credentials.service import CredentialService, key_fetches, verification_context
from vault.credentials.verdict import CredentialFailure, Reason, WarningCode
from vault.credentials.verify import check
from vault.credentials.webkeys.lookup import KeyDocuments
from vault.did.did_web import document_url
from vault.errors import InvalidDid
from vault.net.fetch import FetchError

DAY = time.strftime("%b %Y")


@pytest.fixture
def web(tmp_path):
    web = WebIssuer(tmp_path, names=("localhost", "example.com"))
    yield web
    web.close()


def online_service(identity, web) -> CredentialService:
    return CredentialService(identity.store, network=web.network)


def saved_notes(verdict) -> list[str]:
    return [w.message for w in verdict.warnings if w.code is WarningCode.KEY_SAVED]


# ---- did:web -----------------------------------------------------------------------------------

@pytest.mark.parametrize("did, url", [
    ("did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"),
    ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
    ("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json")])
def test_did_web_addresses_follow_the_method_spec(did, url):
    assert document_url(did) == url


@pytest.mark.parametrize("did", ["did:web:evil.example%2Fpath", "did:web:user@evil.example", "did:web:a.example:..",
                                 "did:web:a.example:%2e%2e:x", "did:web:a.example%3A99999", "did:web:",
                                 "did:web:a.example:b%2Fc", "did:web:a.example?x=1"])
def test_did_web_identifiers_that_would_mean_another_url_are_refused(did):
    with pytest.raises(InvalidDid):
        document_url(did)


def test_did_web_is_fetched_when_allowed_saved_and_used_offline_with_its_date(identity, web):
    web.publish("/.well-known/did.json", did_document(web.did))
    badge = signed_badge(web.did, f"{web.did}#key-1")

    verdict = online_service(identity, web).check(badge).verdict
    assert verdict.valid and verdict.issuer == web.did, verdict.message
    assert web.requests == ["/.well-known/did.json"] and saved_notes(verdict) == []
    cache = VerificationCache(identity.store)
    assert cache.did_document(web.did) == did_document(web.did)
    assert cache.saved(web.did)[1] == web.url("/.well-known/did.json")       # where it came from

    verdict = CredentialService(identity.store).check(badge).verdict          # offline: the saved copy
    assert verdict.valid and web.requests == ["/.well-known/did.json"]
    (note,) = saved_notes(verdict)
    assert note.startswith("Issuer key as fetched on ") and DAY in note and "offline" in note


def test_a_did_web_with_a_path_is_fetched_from_that_path(identity, web):
    did = f"{web.did}:issuers:college"
    web.publish("/issuers/college/did.json", did_document(did))
    verdict = online_service(identity, web).check(signed_badge(did, f"{did}#key-1")).verdict
    assert verdict.valid and web.requests == ["/issuers/college/did.json"], verdict.message


def test_offline_nothing_is_fetched_and_the_verdict_says_how_to_get_the_key(identity, web):
    web.publish("/.well-known/did.json", did_document(web.did))
    for context in (verification_context(), CredentialService(identity.store).context()):
        verdict = check(signed_badge(web.did, f"{web.did}#key-1"), context).verdict
        assert verdict.reason is Reason.UNKNOWN_KEY
        assert "allow network use to fetch the issuer's key" in verdict.message and "vault did cache" in verdict.message
    assert web.requests == []


def test_a_document_for_another_did_served_at_the_address_is_refused(identity, web):
    """The server at the DID's address answers with the document of another DID (whose
    key the attacker holds): refused, not saved, and a good saved copy stays."""
    cache = VerificationCache(identity.store)
    web.publish("/.well-known/did.json", did_document("did:web:attacker.example", OTHER_KEY))
    forged = signed_badge(web.did, f"{web.did}#key-1", OTHER_KEY)
    verdict = online_service(identity, web).check(forged).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "not of " + web.did in verdict.message
    assert cache.did_document(web.did) is None

    cache.put_did_document(web.did, did_document(web.did))          # a good copy saved earlier
    verdict = online_service(identity, web).check(forged).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and cache.did_document(web.did) == did_document(web.did)


def test_a_document_whose_key_names_another_controller_is_refused(identity, web):
    web.publish("/.well-known/did.json", did_document(web.did, OTHER_KEY, controller="did:web:trusted.example"))
    verdict = online_service(identity, web).check(signed_badge(web.did, f"{web.did}#key-1", OTHER_KEY)).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "names did:web:trusted.example as its controller" in verdict.message
    assert VerificationCache(identity.store).did_document(web.did) is None


def test_a_failed_fetch_falls_back_to_the_saved_copy_and_says_so(identity, web):
    VerificationCache(identity.store).put_did_document(web.did, did_document(web.did))   # added by hand
    verdict = online_service(identity, web).check(signed_badge(web.did, f"{web.did}#key-1")).verdict
    assert verdict.valid and web.requests == ["/.well-known/did.json"]      # asked: HTTP 404
    (note,) = saved_notes(verdict)
    assert note.startswith("Issuer key as added on ") and "HTTP 404" in note


def test_one_verification_fetches_at_most_eight_key_documents(web):
    run = key_fetches(web.network).run()
    documents = KeyDocuments(None, run)
    dids = [f"{web.did}:issuer:{n}" for n in range(12)]
    outcomes = []
    for did in dids:
        try:
            documents(did)
        except Exception as exc:
            outcomes.append(str(exc))
    assert len(web.requests) == 8
    assert sum("too many issuer keys" in o for o in outcomes) == 4


# ---- https verification methods (Open Badges 3.0) -----------------------------------------------

@pytest.fixture
def example_com(web, monkeypatch):
    """example.com (the 1EdTech examples' issuer host) answers from the loopback server:
    only the name lookup is redirected; TLS, HTTP and the checks are real."""
    real = socket.getaddrinfo

    def lookup(host, port, *args, **kwargs):
        if host == "example.com":
            return real("127.0.0.1", web.server.port, *args, **kwargs)
        return real(host, port, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return web


@pytest.mark.parametrize("name", ["simple.json", "simple-context-version.json"])
def test_1edtech_examples_verify_once_their_issuer_profile_is_fetched(identity, example_com, name):
    data = (FIXTURES / "credentials/data-integrity/ob30" / name).read_bytes()
    method = json.loads(data)["proof"][0]["verificationMethod"]
    issuer, fragment = method.split("#")
    example_com.publish("/issuers/876543", profile(issuer, [key_method(f"#{fragment}", issuer) | {
        "publicKeyMultibase": fragment}]))
    verdict = online_service(identity, example_com).check(data).verdict
    assert verdict.valid and verdict.issuer == issuer, verdict.message
    assert example_com.requests == ["/issuers/876543"]
    verdict = CredentialService(identity.store).check(data).verdict           # offline, the saved profile
    assert verdict.valid and saved_notes(verdict)[0].startswith("Issuer key as fetched on ")


def test_a_key_published_on_its_own_counts_when_the_issuer_profile_lists_it(identity, web):
    issuer, key_url = web.url("/issuers/1"), web.url("/keys/1")
    web.publish("/issuers/1", profile(issuer, references=[key_url]))
    web.publish("/keys/1", key_method(key_url, issuer) | {"@context": "https://w3id.org/security/multikey/v1"})
    verdict = online_service(identity, web).check(signed_badge(issuer, key_url)).verdict
    assert verdict.valid and verdict.issuer == issuer, verdict.message
    assert sorted(web.requests) == ["/issuers/1", "/keys/1"]


def test_a_key_naming_the_issuer_who_never_listed_it_is_the_wrong_key(identity, web):
    """Anyone can publish a key document saying "controlled by the university"."""
    issuer, key_url = web.url("/issuers/1"), web.url("/attacker/key")
    web.publish("/issuers/1", profile(issuer, [key_method(f"{issuer}#key-1", issuer)]))
    web.publish("/attacker/key", key_method(key_url, issuer, OTHER_KEY))
    verdict = online_service(identity, web).check(signed_badge(issuer, key_url, OTHER_KEY)).verdict
    assert verdict.reason is Reason.WRONG_KEY and "does not list it" in verdict.message


def test_a_key_whose_controller_is_not_the_issuer_is_the_wrong_key(identity, web):
    issuer, attacker, key_url = web.url("/issuers/1"), web.url("/attacker"), web.url("/attacker/key")
    web.publish("/attacker", profile(attacker, references=[key_url]))
    web.publish("/attacker/key", key_method(key_url, attacker, OTHER_KEY))
    verdict = online_service(identity, web).check(signed_badge(issuer, key_url, OTHER_KEY)).verdict
    assert verdict.reason is Reason.WRONG_KEY and attacker in verdict.message


def test_a_profile_served_for_another_address_is_refused(identity, web):
    issuer = web.url("/issuers/1")
    web.publish("/issuers/1", profile(web.url("/issuers/2"), [key_method(web.url("/issuers/2#key-1"),
                                                                         web.url("/issuers/2"))]))
    verdict = online_service(identity, web).check(signed_badge(issuer, f"{issuer}#key-1")).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "not of the address it was published at" in verdict.message
    assert VerificationCache(identity.store).did_document(issuer) is None


def test_an_https_key_offline_without_a_copy_names_what_to_do(web):
    issuer = web.url("/issuers/1")
    verdict = check(signed_badge(issuer, f"{issuer}#key-1"), verification_context()).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "allow network use to fetch the issuer's key" in verdict.message
    assert web.requests == []


# ---- SD-JWT VC issuer metadata -----------------------------------------------------------------

def test_issuer_metadata_with_inline_keys(identity, web):
    iss = web.url("/tenant/7")
    web.publish("/.well-known/jwt-vc-issuer/tenant/7", {"issuer": iss, "jwks": jwks(ISSUER_KEY)})
    credential = sd_token(iss, ISSUER_KEY, kid="k1").encode()
    verdict = online_service(identity, web).check(credential).verdict
    assert verdict.valid and verdict.issuer == iss, verdict.message
    verdict = CredentialService(identity.store).check(credential).verdict
    assert verdict.valid and saved_notes(verdict)[0].startswith("Issuer key as fetched on ")
    assert web.requests == ["/.well-known/jwt-vc-issuer/tenant/7"]


def test_issuer_metadata_with_keys_on_the_same_host_is_saved_with_them(identity, web):
    iss = web.url("")
    web.publish("/.well-known/jwt-vc-issuer", {"issuer": iss, "jwks_uri": web.url("/jwks.json")})
    web.publish("/jwks.json", jwks(OTHER_KEY, ISSUER_KEY, kids=("old", "k1")))
    credential = sd_token(iss, ISSUER_KEY, kid="k1").encode()
    assert online_service(identity, web).check(credential).verdict.valid
    assert web.requests == ["/.well-known/jwt-vc-issuer", "/jwks.json"]
    saved = VerificationCache(identity.store).issuer_metadata(iss)
    assert "jwks_uri" not in saved and len(saved["jwks"]["keys"]) == 2        # one copy verifies offline
    assert CredentialService(identity.store).check(credential).verdict.valid
    verdict = CredentialService(identity.store).check(sd_token(iss, ISSUER_KEY, kid="k9").encode()).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "no signing key with the id 'k9'" in verdict.message


def test_keys_on_another_host_and_metadata_of_another_issuer_are_refused(identity, web):
    iss = web.url("/a")
    web.publish("/.well-known/jwt-vc-issuer/a", {"issuer": iss, "jwks_uri": "https://127.0.0.2/jwks.json"})
    verdict = online_service(identity, web).check(sd_token(iss, ISSUER_KEY, kid="k1").encode()).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "issuer's own host" in verdict.message
    iss = web.url("/b")
    web.publish("/.well-known/jwt-vc-issuer/b", {"issuer": web.url("/attacker"), "jwks": jwks(OTHER_KEY)})
    verdict = online_service(identity, web).check(sd_token(iss, OTHER_KEY, kid="k1").encode()).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "it is the metadata of " + web.url("/attacker") in verdict.message
    assert web.requests == ["/.well-known/jwt-vc-issuer/a", "/.well-known/jwt-vc-issuer/b"]
    assert VerificationCache(identity.store).issuer_metadata(iss) is None


def test_a_forged_token_for_a_published_key_does_not_verify(identity, web):
    iss = web.url("/tenant/7")
    web.publish("/.well-known/jwt-vc-issuer/tenant/7", {"issuer": iss, "jwks": jwks(ISSUER_KEY)})
    verdict = online_service(identity, web).check(sd_token(iss, OTHER_KEY, kid="k1").encode()).verdict
    assert verdict.reason is Reason.BAD_SIGNATURE


def test_a_bulk_reverify_asks_the_issuer_once(identity, web):
    """A bulk re-verify asks the issuer once (the fetched bytes are remembered for minutes)."""
    web.publish("/.well-known/did.json", did_document(web.did))
    service = online_service(identity, web)
    for _ in range(3):
        assert service.check(signed_badge(web.did, f"{web.did}#key-1")).verdict.valid
    assert web.requests == ["/.well-known/did.json"]


def test_issuer_keys_and_status_lists_share_one_deadline(web, monkeypatch):
    """A did:web server that never answers uses up the verification's time: the status
    list asked for afterwards is not fetched at all."""
    monkeypatch.setattr(online, "DEADLINE_SECONDS", 0.5)
    web.server.hang("/.well-known/did.json")
    context = verification_context(network=web.network)
    with pytest.raises(CredentialFailure, match="could not be fetched"):
        context.documents(web.did)
    with pytest.raises(FetchError, match="ran out"):
        context.fetch_status_list(web.url("/status/1"))
    assert web.requests == ["/.well-known/did.json"]
