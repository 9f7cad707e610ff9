"""VCDM 2.0 §4.13 on presentations (signed for real, so each refusal is the data model's),
enveloped presentations (§4.13.2), and the holder-is-subject verifier policy named in the
verdict."""

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vault.credentials import data_integrity, jwt_vc
from vault.credentials.verdict import Reason, WarningCode
from vault.credentials.verify import VerificationContext
from vault.did import did_key
from vault.presentations.verify import POLICY_PRESENTER_IS_SUBJECT, verify_presentation

from vp_fixtures import CHALLENGE, DOMAIN, NOW, STRANGER, di_credential

HOLDER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(50, 82)))
HOLDER = did_key.from_ed25519(HOLDER_KEY.public_key().public_bytes_raw())
HOLDER_METHOD = f"{HOLDER}#{HOLDER.split(':')[-1]}"
V2 = "https://www.w3.org/ns/credentials/v2"


def vp(credentials=(), **changes) -> dict:
    document = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": HOLDER,
                "verifiableCredential": list(credentials)}
    for name, value in changes.items():
        name = "@context" if name == "__context" else name
        if value is ...:
            document.pop(name)
        else:
            document[name] = value
    return document


def signed_vp(document: dict, suite: str = "eddsa-jcs-2022") -> str:
    return json.dumps(data_integrity.sign(document, HOLDER_KEY, HOLDER_METHOD, cryptosuite=suite,
                                          purpose="authentication", challenge=CHALLENGE, domain=DOMAIN))


def verify(data: str, **context):
    return verify_presentation(data, challenge=CHALLENGE, domain=DOMAIN, now=NOW,
                               context=VerificationContext(**context))


def own_credential() -> dict:
    return json.loads(di_credential(HOLDER))


def test_a_conforming_presentation_verifies():
    verdict = verify(signed_vp(vp([own_credential()], id="urn:uuid:9c9a36f8-518f-4976-a934-6649502d0008")))
    assert verdict.valid, verdict.message


PRESENTATION_FAULTS = [
    ({"__context": ["https://www.w3.org/ns/credentials/examples/v2", V2]}, "@context must start with"),
    ({"__context": [V2, 3]}, "@context holds 3"),
    ({"id": "not a url"}, "presentation's id 'not a url' is not a URL"),
    ({"id": ["urn:uuid:1", "urn:uuid:2"]}, "presentation's id has 2 values"),
    ({"holder": {"id": HOLDER, "name": {"text": "me"}}}, "holder's name must be text"),
    # 2.0 carries JWTs enveloped, never as bare strings (1.1 JWT presentations still may).
    ({"verifiableCredential": ["eyJhbGciOiJFZERTQSJ9.e30.c2ln"]}, "verifiableCredential 1"),
    ({"verifiableCredential": [42]}, "verifiableCredential 1 is 42"),
]


@pytest.mark.parametrize("changes,words", PRESENTATION_FAULTS, ids=range(len(PRESENTATION_FAULTS)))
def test_presentation_musts_after_a_genuine_signature(changes, words):
    document = vp([own_credential()], **changes)
    data = signed_vp(document)
    data_integrity.verify_proofs(json.loads(data), expected_purpose="authentication", challenge=CHALLENGE,
                                 domain=DOMAIN, bind_issuer=False)   # the signature itself is genuine
    verdict = verify(data)
    assert (verdict.valid, verdict.reason) == (False, Reason.MALFORMED), verdict.message
    assert words in verdict.message


def test_a_credential_inside_is_held_to_the_model_too():
    bad = own_credential()
    bad["credentialSubject"] = {}
    bad = data_integrity.sign({k: v for k, v in bad.items() if k != "proof"}, *_issuer(), cryptosuite="eddsa-jcs-2022")
    verdict = verify(signed_vp(vp([bad])))
    assert verdict.reason is Reason.MALFORMED and "credentialSubject holds an empty object" in verdict.message
    assert verdict.message.startswith("Credential 1")


def _issuer():
    from vp_fixtures import ISSUER_KEY, ISSUER_METHOD
    return ISSUER_KEY, ISSUER_METHOD


# ----------------------------------------------------------------------------- policy

def test_holder_not_subject_is_refused_citing_the_policy():
    """An employer must see that a credential was issued to someone else."""
    stolen = json.loads(di_credential(STRANGER))
    verdict = verify(signed_vp(vp([stolen])))
    assert (verdict.valid, verdict.reason) == (False, Reason.NOT_HOLDERS)
    assert "verifier policy: the presenter must be the subject" in verdict.message
    assert f"issued to {STRANGER}" in verdict.message


def test_the_policy_waived_by_name_accepts_with_a_warning():
    stolen = json.loads(di_credential(STRANGER))
    verdict = verify(signed_vp(vp([stolen])), waived_policies=frozenset({POLICY_PRESENTER_IS_SUBJECT}))
    assert verdict.valid, verdict.message
    [warning] = [w for w in verdict.credentials[0].warnings if w.code is WarningCode.PRESENTED_BY_OTHER]
    assert f"issued to {STRANGER}" in warning.message and "policy is off" in warning.message
    # Waiving another name changes nothing.
    assert verify(signed_vp(vp([stolen])), waived_policies=frozenset({"something-else"})).reason \
        is Reason.NOT_HOLDERS


# --------------------------------------------------------------------------- envelopes

def vp_jwt(credentials=(), audience=DOMAIN, nonce=CHALLENGE) -> str:
    return jwt_vc.sign_jwt_vp(list(credentials), HOLDER_KEY, kid=HOLDER_METHOD, audience=audience, nonce=nonce,
                              now=NOW)


def enveloped_vp(token: str, media: str = "application/vp+jwt", **changes) -> str:
    document = {"@context": V2, "type": "EnvelopedVerifiablePresentation", "id": f"data:{media},{token}"}
    for name, value in changes.items():
        name = "@context" if name == "__context" else name
        if value is ...:
            document.pop(name)
        else:
            document[name] = value
    return json.dumps(document)


@pytest.mark.parametrize("media", ["application/vp+jwt", "application/jwt", "application/vp+ld+jwt"])
def test_an_enveloped_presentation_verifies(media):
    verdict = verify(enveloped_vp(vp_jwt(), media))
    assert verdict.valid and verdict.format == "jwt-vp", verdict.message


ENVELOPE_FAULTS = [
    ({"__context": []}, Reason.MALFORMED, "@context is missing"),
    ({"__context": ["https://www.w3.org/ns/credentials/examples/v2"]}, Reason.MALFORMED, "must start with"),
    ({"type": ["VerifiablePresentation"]}, Reason.MALFORMED, "type must be EnvelopedVerifiablePresentation"),
    ({"type": ["EnvelopedVerifiablePresentation", "Extra"]}, Reason.MALFORMED, "type must be"),
    ({"holder": STRANGER}, Reason.MALFORMED, "outside its signed payload"),
    ({"verifiableCredential": [{"id": "urn:x"}]}, Reason.MALFORMED, "outside its signed payload"),
]


@pytest.mark.parametrize("changes,reason,words", ENVELOPE_FAULTS, ids=range(len(ENVELOPE_FAULTS)))
def test_enveloped_presentation_rules(changes, reason, words):
    verdict = verify(enveloped_vp(vp_jwt(), **changes))
    assert (verdict.valid, verdict.reason) == (False, reason) and words in verdict.message, verdict.message


def test_enveloped_presentation_id_and_media_type():
    token = vp_jwt()
    document = json.loads(enveloped_vp(token))
    document["id"] = token                            # the data: URL part removed
    verdict = verify(json.dumps(document))
    assert verdict.reason is Reason.MALFORMED and "not a data: URL" in verdict.message
    verdict = verify(enveloped_vp(token, "application/vc+jwt"))   # a credential's media type
    assert verdict.reason is Reason.UNSUPPORTED_FORMAT and "application/vc+jwt" in verdict.message
    verdict = verify(enveloped_vp(token + "~", "application/vp+jwt"))
    assert verdict.reason is Reason.MALFORMED and "is not a JWT" in verdict.message


def test_enveloped_presentation_keeps_replay_protection():
    verdict = verify(enveloped_vp(vp_jwt(nonce="an-older-challenge")))
    assert verdict.reason is Reason.WRONG_CHALLENGE


def test_enveloped_credentials_inside_a_presentation_follow_the_envelope_rules():
    from vp_fixtures import ISSUER_KEY, ISSUER_METHOD, badge
    token = jwt_vc.sign_jwt_vc(badge(HOLDER), ISSUER_KEY, kid=ISSUER_METHOD, data_model="2.0")
    good = {"@context": V2, "type": "EnvelopedVerifiableCredential", "id": f"data:application/vc+jwt,{token}"}
    assert verify(signed_vp(vp([good]))).valid
    # Unsigned claims beside the envelope would be shown as if the issuer said them.
    padded = dict(good, credentialSubject={"id": HOLDER, "degree": "PhD"})
    verdict = verify(signed_vp(vp([padded])))
    assert verdict.reason is Reason.MALFORMED and "outside its signed payload" in verdict.message
    untyped = {k: v for k, v in good.items() if k != "type"}
    assert not verify(signed_vp(vp([untyped]))).valid
