import base64
import json

import pytest

from vault.did import did_jwk, did_pkh, method_of, resolve
from vault.errors import InvalidDid, UnsupportedDidMethod

# From the did:jwk specification's P-256 example.
SPEC_DID_JWK = ("did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVV"
                "M3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9")


def test_did_jwk_spec_example():
    doc = resolve(SPEC_DID_JWK)
    method = doc["verificationMethod"][0]
    assert method["id"] == SPEC_DID_JWK + "#0"
    assert method["publicKeyJwk"] == {"crv": "P-256", "kty": "EC",
                                      "x": "acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0",
                                      "y": "_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE"}
    assert doc["assertionMethod"] == [SPEC_DID_JWK + "#0"]
    assert doc["keyAgreement"] == [SPEC_DID_JWK + "#0"]


def test_did_jwk_round_trip_is_member_order_independent():
    key = bytes(range(32))
    jwk = did_jwk.ed25519_jwk(key)
    assert did_jwk.from_jwk(jwk) == did_jwk.from_jwk(dict(reversed(list(jwk.items()))))
    doc = resolve(did_jwk.from_jwk(jwk))
    assert doc["verificationMethod"][0]["publicKeyJwk"] == jwk
    assert "keyAgreement" not in doc  # Ed25519 signs; it cannot agree keys


def test_did_jwk_with_private_key_is_refused():
    value = base64.urlsafe_b64encode(json.dumps({"kty": "OKP", "crv": "Ed25519", "x": "AA", "d": "AA"}).encode())
    with pytest.raises(InvalidDid, match="private key"):
        resolve("did:jwk:" + value.decode().rstrip("="))


@pytest.mark.parametrize("bad", ["did:jwk:!!!", "did:jwk:" + base64.urlsafe_b64encode(b"[1,2]").decode(),
                                 "did:jwk:" + base64.urlsafe_b64encode(b"not json").decode()])
def test_did_jwk_garbage(bad):
    with pytest.raises(InvalidDid):
        resolve(bad)


def test_did_pkh_checksums_and_resolves():
    did = did_pkh.from_address("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")
    assert did == "did:pkh:eip155:1:0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    doc = resolve(did)
    assert doc["verificationMethod"][0]["blockchainAccountId"] == "eip155:1:0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    assert resolve(did.lower().replace("did:pkh:eip155:1:0x", "did:pkh:eip155:1:0x"))["id"] == did


def test_did_pkh_wrong_checksum_is_caught():
    with pytest.raises(InvalidDid, match="checksum"):
        resolve("did:pkh:eip155:1:0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266")


@pytest.mark.parametrize("bad", ["did:pkh:solana:abc:xyz", "did:pkh:eip155:1:0x1234", "did:pkh:eip155:x:0x" + "0" * 40])
def test_did_pkh_garbage(bad):
    with pytest.raises(InvalidDid):
        resolve(bad)


@pytest.mark.parametrize("did", ["did:web:example.com", "did:ion:abc", "did:example:123"])
def test_unknown_methods_are_named(did):
    with pytest.raises(UnsupportedDidMethod, match=did.split(":")[1]):
        resolve(did)


@pytest.mark.parametrize("bad", ["", "did", "did:", "did:key", "key:abc", "DID:key:z6Mk", None, 42])
def test_not_a_did(bad):
    with pytest.raises(InvalidDid):
        method_of(bad)
