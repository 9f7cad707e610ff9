"""Hostile links, queries and answers end as a ProtocolError (a VaultError with a sentence),
never as a library's exception, and read nothing from the network."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from vault.errors import VaultError
from vault.net.fetch import NetworkUse
from vault.protocols import dcql, vcapi, vp_verifier
from vault.protocols.offer import parse_offer
from vault.protocols.vp_request import read_request

DEEP = "[" * 400 + "]" * 400
JUNK = ["", "{", "[]", "null", DEEP, '{"a":' * 300, "x" * 70_000, "\u202e{}", "openid-credential-offer://",
        "openid-credential-offer://?credential_offer=" + quote(DEEP),
        "openid-credential-offer://?credential_offer=" + quote('{"credential_issuer": 5}'),
        "openid-credential-offer://?credential_offer=" + quote(json.dumps({
            "credential_issuer": "https://i.example", "credential_configuration_ids": ["a"] * 50})),
        "openid-credential-offer://?credential_offer=" + quote(json.dumps({
            "credential_issuer": "https://i.example", "credential_configuration_ids": ["a"],
            "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": {"pre-authorized_code": 7}}})),
        "openid-credential-offer://?credential_offer=" + quote(json.dumps({
            "credential_issuer": "javascript:alert(1)", "credential_configuration_ids": ["a"]}))]


@pytest.mark.parametrize("text", JUNK)
def test_junk_offers(text):
    with pytest.raises(VaultError):
        parse_offer(text)


@pytest.mark.parametrize("text", JUNK + [
    "openid4vp://?client_id=x", "openid4vp://?request=a.b.c&client_id=redirect_uri%3Ahttps%3A%2F%2Fa",
    "openid4vp://?client_id=" + quote("redirect_uri:https://a.example") + "&response_type=vp_token"
    "&response_mode=fragment&nonce=n&response_uri=https://a.example",
    "openid4vp://?client_id=" + quote("redirect_uri:https://a.example") + "&response_type=vp_token"
    "&response_mode=direct_post&response_uri=https%3A%2F%2Fa.example&dcql_query=" + quote(DEEP)])
def test_junk_requests(text):
    with pytest.raises(VaultError):
        read_request(text, NetworkUse())


@pytest.mark.parametrize("query", [None, [], {"credentials": "x"}, {"credentials": [None]},
                                   {"credentials": [{"id": "a", "format": "ldp_vc", "claims": "x"}]},
                                   {"credentials": [{"id": "a", "format": "ldp_vc", "meta": {"type_values": "x"}}]},
                                   {"credentials": [{"id": "a", "format": "ldp_vc"}],
                                    "credential_sets": [{"options": [["b"]]}]},
                                   {"credentials": [{"id": f"q{i}", "format": "ldp_vc"} for i in range(50)]}])
def test_junk_dcql(query):
    with pytest.raises(VaultError):
        dcql.parse(query)


@pytest.mark.parametrize("body", ["", "{", DEEP, "vp_token", "x" * (3 * 1024 * 1024), '{"vp_token": 5}',
                                  "vp_token=" + quote(DEEP) + "&state=s"])
def test_junk_answers_to_the_employer(body):
    session = vp_verifier.new_session("https://hr.example/a", vp_verifier.query_for("ldp_vc", types=["VerifiableCredential"]))
    try:
        verdict = vp_verifier.verify_response(session, body)
    except VaultError:
        return
    assert not verdict.valid


@pytest.mark.parametrize("text", ["dccrequest://request", "dccrequest://request?vc_request_url=ftp://x",
                                  "https://a.example/nothing"])
def test_junk_exchange_links(text):
    with pytest.raises(VaultError):
        vcapi.parse_link(text)
