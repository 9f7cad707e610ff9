"""SD-JWT VC issuers certified by X.509 (EUDI PIDs carry ``x5c``) and disclosures hashed
with sha3-256. A chain counts only when path validation (cryptography's verifier) leads it
to a certificate authority the user added, at the time of verification, and its leaf
names the issuer. Each attack is crafted: a chain to another authority, a leaf for
another host, an expired leaf, a genuine chain pasted onto a token signed by someone
else, a leaf added as if it were an authority."""

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tests.credentials.web_issuer import NOW, Authority, sd_token
from vault.credentials import jose, sd_jwt_vc
from vault.credentials.service import CredentialService, verification_context
from vault.credentials.verdict import Reason
from vault.credentials.verify import check
from vault.credentials.webkeys.anchors import TrustAnchors
from vault.errors import VaultError

ISS = "https://pid.issuer.example/eu"


@pytest.fixture(scope="module")
def authority():
    return Authority()


@pytest.fixture(scope="module")
def issuer_key():
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def anchored(identity, authority):
    """A vault that trusts ``authority``; its verification context."""
    TrustAnchors(identity.store).add(authority.pem())
    return CredentialService(identity.store).context()


def token(authority, key, leaf=None, *, iss=ISS, signer=None, **kw) -> bytes:
    leaf = leaf or authority.leaf(key, dns="pid.issuer.example")
    return sd_token(iss, signer or key, header={"x5c": authority.x5c(leaf)}, **kw).encode()


def test_a_chain_to_an_authority_you_added_verifies(anchored, authority, issuer_key):
    verdict = check(token(authority, issuer_key), anchored).verdict
    assert verdict.valid and verdict.issuer == ISS, verdict.message
    by_uri = token(authority, issuer_key, authority.leaf(issuer_key, uri=ISS))     # SAN URI = iss
    assert check(by_uri, anchored).verdict.valid


def test_without_an_authority_it_is_unverified_and_says_how_to_settle_it(identity, authority, issuer_key):
    for context in (verification_context(), CredentialService(identity.store).context()):
        verdict = check(token(authority, issuer_key), context).verdict
        assert not verdict.valid and verdict.reason is Reason.UNKNOWN_KEY
        assert "vault trust add-ca" in verdict.message and "added no certificate authority" in verdict.message


def test_a_chain_to_another_authority_is_unverified(anchored, issuer_key):
    stranger = Authority("Someone Else Root")
    verdict = check(token(stranger, issuer_key), anchored).verdict
    assert not verdict.valid and verdict.reason is Reason.UNKNOWN_KEY
    assert "does not lead to a certificate authority you added" in verdict.message


def test_a_leaf_for_another_host_is_the_wrong_key(anchored, authority, issuer_key):
    """A genuinely certified issuer (another host) signs a PID naming pid.issuer.example."""
    elsewhere = authority.leaf(issuer_key, dns="shop.example", uri="https://shop.example/pid")
    verdict = check(token(authority, issuer_key, elsewhere), anchored).verdict
    assert not verdict.valid and verdict.reason is Reason.WRONG_KEY
    assert "shop.example" in verdict.message and ISS in verdict.message


def test_an_expired_or_future_certificate_is_refused(anchored, authority, issuer_key):
    expired = authority.leaf(issuer_key, dns="pid.issuer.example", days=(-40, -2))
    verdict = check(token(authority, issuer_key, expired), anchored).verdict
    assert not verdict.valid and verdict.reason is Reason.WRONG_KEY and "expired on" in verdict.message
    future = authority.leaf(issuer_key, dns="pid.issuer.example", days=(3, 30))
    verdict = check(token(authority, issuer_key, future), anchored).verdict
    assert not verdict.valid and verdict.reason is Reason.WRONG_KEY and "valid only from" in verdict.message


def test_a_genuine_chain_pasted_onto_a_forged_token_does_not_verify(anchored, authority, issuer_key):
    """The attacker copies the PID provider's x5c into a token they sign themselves."""
    attacker = ec.generate_private_key(ec.SECP256R1())
    forged = token(authority, issuer_key, signer=attacker)
    verdict = check(forged, anchored).verdict
    assert not verdict.valid and verdict.reason is Reason.BAD_SIGNATURE


def test_a_garbled_chain_is_malformed(anchored, authority, issuer_key):
    for x5c in ("MIIB", ["not base64!"], [], ["QUJD"] * 9):
        verdict = check(sd_token(ISS, issuer_key, header={"x5c": x5c}).encode(), anchored).verdict
        assert not verdict.valid and verdict.reason is Reason.MALFORMED, x5c


def test_the_time_of_verification_decides(identity, authority, issuer_key):
    """A verifier judging at a moment after the leaf expired refuses it."""
    TrustAnchors(identity.store).add(authority.pem())
    context = CredentialService(identity.store).context()
    context.now = NOW + timedelta(days=60)
    verdict = check(token(authority, issuer_key), context).verdict
    assert verdict.reason is Reason.WRONG_KEY and "expired on" in verdict.message


def test_only_authorities_are_added_and_they_can_be_removed(identity, authority, issuer_key):
    anchors = TrustAnchors(identity.store)
    leaf = authority.leaf(issuer_key, dns="pid.issuer.example")
    from cryptography.hazmat.primitives.serialization import Encoding
    with pytest.raises(VaultError, match="not a certificate authority"):
        anchors.add(leaf.public_bytes(Encoding.PEM))
    with pytest.raises(VaultError, match="not an X.509 certificate"):
        anchors.add(b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")
    assert anchors.entries() == []
    entry = anchors.add(authority.pem())
    assert anchors.add(authority.pem())["fingerprint"] == entry["fingerprint"] and len(anchors.entries()) == 1
    assert anchors.remove(entry["fingerprint"][:12])["subject"] == entry["subject"]
    assert anchors.entries() == [] and anchors.certificates() == []


# ---- sha3-256 disclosures ------------------------------------------------------------------

def test_sha3_256_disclosures_verify_and_present(anchored, authority, issuer_key):
    holder = ec.generate_private_key(ec.SECP256R1())
    issued = token(authority, issuer_key, hash_alg="sha3-256", holder=holder.public_key()).decode()
    checked = check(issued.encode(), anchored)
    assert checked.verdict.valid, checked.verdict.message
    assert checked.sd_jwt.payload["_sd_alg"] == "sha3-256" and checked.credential["given_name"] == "Erika"
    shown = sd_jwt_vc.present(issued, ["given_name"], holder_key=holder, nonce="n-1", audience="hr.example")
    result = sd_jwt_vc.verify_presentation(shown, nonce="n-1", audience="hr.example",
                                           issuer_key=jose.public_jwk(issuer_key.public_key()))
    assert result.claims.get("given_name") == "Erika" and "family_name" not in result.claims


def test_sha3_digests_catch_a_changed_disclosure_and_a_hash_swap(anchored, authority, issuer_key):
    issued = token(authority, issuer_key, hash_alg="sha3-256").decode()
    jwt, *disclosures, _ = issued.split("~")
    salt, name, value = jose.json_loads(jose.b64url_decode(disclosures[0]))
    changed = jose.b64url_encode(jose.json_dumps([salt, name, "Mallory"]))
    verdict = check("~".join([jwt, changed, *disclosures[1:], ""]).encode(), anchored).verdict
    assert not verdict.valid and verdict.reason is Reason.TAMPERED
    # The same claims hashed with sha-256 under an _sd_alg of sha3-256: not covered.
    plain = token(authority, issuer_key).decode().split("~")
    verdict = check("~".join([jwt, *plain[1:-1], ""]).encode(), anchored).verdict
    assert not verdict.valid and verdict.reason is Reason.TAMPERED

