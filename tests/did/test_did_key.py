import base64

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.conftest import vector
from vault.did import did_key, multikey, resolve
from vault.errors import InvalidDid

ED25519 = vector("did-key-ed25519-x25519.json")
SECP256K1 = vector("did-key-secp256k1.json")
NIST = vector("did-key-nist-curves.json")


def _published_key(pair: dict) -> bytes:
    """The vectors give a key as publicKeyBase58 or as a JWK; both are the raw key bytes."""
    if "publicKeyBase58" in pair:
        return base58.b58decode(pair["publicKeyBase58"])
    return base64.urlsafe_b64decode(pair["publicKeyJwk"]["x"] + "==")


@pytest.mark.parametrize("did", list(ED25519))
def test_w3c_ccg_ed25519_vectors(did):
    case = ED25519[did]
    public = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(case["seed"])).public_key().public_bytes_raw()
    assert did_key.from_ed25519(public) == did
    assert _published_key(case["verificationKeyPair"]) == public

    doc = resolve(did)
    expected = case["didDocument"]
    assert doc["id"] == expected["id"]
    (method,) = doc["verificationMethod"]
    assert method["id"] == expected["verificationMethod"][0]["id"]
    assert method["type"] == "Multikey" and method["controller"] == did
    assert multikey.decode(method["publicKeyMultibase"]) == ("ed25519-pub", public)
    for relationship in ("authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation"):
        assert doc[relationship] == expected[relationship]


@pytest.mark.parametrize("did", list(SECP256K1))
def test_w3c_ccg_secp256k1_vectors_resolve(did):
    pair = SECP256K1[did]["verificationKeyPair"]
    if "publicKeyJwk" in pair:
        jwk = pair["publicKeyJwk"]
        y = int.from_bytes(base64.urlsafe_b64decode(jwk["y"] + "=="), "big")
        expected_key = bytes([2 + (y & 1)]) + base64.urlsafe_b64decode(jwk["x"] + "==")
    else:
        expected_key = _published_key(pair)
    method = resolve(did)["verificationMethod"][0]
    assert method["id"] == SECP256K1[did]["didDocument"]["verificationMethod"][0]["id"]
    assert multikey.decode(method["publicKeyMultibase"]) == ("secp256k1-pub", expected_key)


@pytest.mark.parametrize("did", list(NIST))
def test_w3c_ccg_nist_vectors_resolve(did):
    method = resolve(did)["verificationMethod"][0]
    assert method["id"] == NIST[did]["didDocument"]["verificationMethod"][0]["id"]
    codec, key = multikey.decode(method["publicKeyMultibase"])
    pair = NIST[did]["verificationMethod"]
    if "publicKeyJwk" in pair:
        crv = pair["publicKeyJwk"]["crv"]
        # the compressed point decodes to the published JWK coordinates
        x = base64.urlsafe_b64decode(pair["publicKeyJwk"]["x"] + "==")
        assert multikey.public_key(codec, key).public_numbers().x == int.from_bytes(x, "big")
    else:
        crv = {"P256Key2021": "P-256", "P384Key2021": "P-384", "P521Key2021": "P-521"}[pair["type"]]
        assert key == _published_key(pair)
    assert codec == {"P-256": "p256-pub", "P-384": "p384-pub", "P-521": "p521-pub"}[crv]


@pytest.mark.parametrize("bad,why", [
    ("did:key:", "not a DID"),
    ("did:key:abc", "base58btc"),
    ("did:key:z0OIl", "base58"),
    ("did:key:z" + base58.b58encode(b"\xed\x01" + b"\x01" * 31).decode(), "must be 32 bytes"),
    ("did:key:" + "z" + base58.b58encode(b"\x99\x99" + b"\x01" * 32).decode(), "not supported"),
    ("did:key:" + multikey.encode("secp256k1-pub", b"\x02" + b"\xff" * 32), "not a valid public key"),
])
def test_malformed_did_key_is_a_clear_error(bad, why):
    with pytest.raises(InvalidDid, match=why):
        resolve(bad)
