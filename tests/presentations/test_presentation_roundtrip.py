"""Our own presentations end to end: a vault holder presents credentials issued to its
did:key, the verifier (no vault) checks them; expiry, replay, other holders, selective
disclosure, both cryptosuites, JWT VPs, and the log of what was shown."""

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest

from vp_fixtures import (CHALLENGE, DOMAIN, ISSUER, NOW, STRANGER, STRANGER_KEY, di_credential,
                      jwt_credential, sd_jwt_credential)
from tests.conftest import PASSPHRASE
from vault.credentials import data_integrity, jose, sd_jwt_vc
from vault.credentials.verdict import Reason
from vault.presentations import DEFAULT_EXPIRES_IN, PresentationError, verify_presentation
from vault.presentations.log import PresentationLog
from vault.store import VaultStore

SUITES = ["eddsa-rdfc-2022", "eddsa-jcs-2022"]
UTC = timezone.utc


def verify(presentation, *, challenge=CHALLENGE, domain=DOMAIN, now=NOW + timedelta(minutes=1)):
    data = presentation.data if hasattr(presentation, "data") else presentation
    return verify_presentation(data, challenge=challenge, domain=domain, now=now)


def present(wallet, ids, **kwargs):
    kwargs.setdefault("challenge", CHALLENGE)
    kwargs.setdefault("domain", DOMAIN)
    kwargs.setdefault("now", NOW)
    return wallet.presentations.present(ids, **kwargs)


def enveloped_tokens(presentation) -> list[str]:
    document = json.loads(presentation.payload)
    return [c["id"].split(",", 1)[1] for c in document["verifiableCredential"]
            if c.get("type") == "EnvelopedVerifiableCredential"]


# ---------------------------------------------------------------------------- valid

@pytest.mark.parametrize("suite", SUITES)
def test_every_format_in_one_vp_is_valid(wallet, stored, suite):
    ids = [stored["di"], stored["di-jcs"], stored["jwt"], stored["sd"]]
    presentation = present(wallet, ids, cryptosuite=suite)
    assert (presentation.kind, presentation.cryptosuite, presentation.holder) == ("vp-json", suite, wallet.holder)
    assert presentation.expires - presentation.created == timedelta(minutes=10)
    document = json.loads(presentation.payload)
    proof = document["proof"]
    assert (proof["proofPurpose"], proof["challenge"], proof["domain"], proof["cryptosuite"]) == (
        "authentication", CHALLENGE, DOMAIN, suite)
    assert proof["expires"] == "2026-03-01T12:10:00Z" and document["holder"] == wallet.holder
    media = [c["id"].split(",", 1)[0] for c in document["verifiableCredential"][2:]]
    assert media == ["data:application/vc+jwt", "data:application/dc+sd-jwt"]

    verdict = verify(presentation)
    assert verdict.valid, verdict.message
    assert (verdict.reason, verdict.holder, verdict.warnings) == (Reason.VALID, wallet.holder, [])
    assert [c.format for c in verdict.credentials] == ["di-vc", "di-vc", "jwt-vc", "sd-jwt-vc"]
    assert all(c.valid and c.issuer == ISSUER and c.subject == wallet.holder for c in verdict.credentials)
    assert [c.title for c in verdict.credentials] == ["Data Analysis", "Databases", "Statistics",
                                                      "Introduction to Programming"]
    assert verdict.credentials[3].key_bound
    assert verdict.credentials[0].disclosed["achievement"]["name"] == "Data Analysis"
    assert verdict.credentials[2].disclosed["id"] == wallet.holder
    json.dumps(verdict.to_json())


def test_embedded_data_integrity_credential_is_the_stored_one(wallet, stored):
    presentation = present(wallet, [stored["di"]])
    embedded = json.loads(presentation.payload)["verifiableCredential"][0]
    original = json.loads(wallet.credentials.repository.original(stored["di"]))
    assert embedded == original


def test_did_jwk_holder(wallet):
    did = wallet.identity.create_did("jwk", name="work").did
    cid = wallet.store(di_credential(did))
    presentation = present(wallet, [cid], cryptosuite="eddsa-jcs-2022")
    assert presentation.holder == did
    verdict = verify(presentation)
    assert verdict.valid and verdict.holder == did, verdict.message


def test_holder_is_the_credentials_subject_not_the_default_did(wallet):
    second = wallet.identity.create_did("key", name="second").did
    cid = wallet.store(di_credential(second))
    assert wallet.identity.default_did().did != second
    presentation = present(wallet, [cid])
    assert presentation.holder == second and verify(presentation).valid


def test_verifier_needs_no_vault(wallet, stored):
    presentation = present(wallet, [stored["di"]])
    wallet.identity.store.lock()
    verdict = verify_presentation(presentation.payload, challenge=CHALLENGE, domain=DOMAIN,
                                  now=NOW + timedelta(minutes=2))
    assert verdict.valid


def test_service_verify_uses_the_vault_trust_list(wallet, stored):
    presentation = present(wallet, [stored["di"]])
    wallet.credentials.trust.add(ISSUER, "Test College")
    verdict = wallet.presentations.verify(presentation.data, challenge=CHALLENGE, domain=DOMAIN,
                                          now=NOW + timedelta(minutes=1))
    assert verdict.valid and verdict.credentials[0].warnings == []


# ---------------------------------------------------------------------------- time, replay

@pytest.mark.parametrize("fmt,key", [("di", "di"), ("jwt", "jwt")])
def test_expired_presentation(wallet, stored, fmt, key):
    presentation = present(wallet, [stored[key]], fmt=fmt, expires_in=timedelta(minutes=5))
    assert verify(presentation, now=NOW + timedelta(minutes=4, seconds=59)).valid
    verdict = verify(presentation, now=NOW + timedelta(minutes=5, seconds=1))
    assert (verdict.valid, verdict.reason) == (False, Reason.EXPIRED)
    assert "presentation expired" in verdict.message and "2026-03-01 12:05:00" in verdict.message


def test_expires_in_seconds_and_bad_lifetimes(wallet, stored):
    presentation = present(wallet, [stored["di"]], expires_in=30)
    assert presentation.expires - presentation.created == timedelta(seconds=30)
    for bad in (0, -5, timedelta(0), "10m"):
        with pytest.raises(PresentationError):
            present(wallet, [stored["di"]], expires_in=bad)


@pytest.mark.parametrize("fmt,key", [("di", "di"), ("di", "sd"), ("jwt", "jwt")])
def test_replay_to_another_request_or_verifier(wallet, stored, fmt, key):
    presentation = present(wallet, [stored[key]], fmt=fmt)
    replayed = verify(presentation, challenge="the-next-challenge")
    assert (replayed.valid, replayed.reason) == (False, Reason.WRONG_CHALLENGE)
    assert "replay" in replayed.message
    elsewhere = verify(presentation, domain="other.example")
    assert (elsewhere.valid, elsewhere.reason) == (False, Reason.WRONG_DOMAIN)


@pytest.mark.parametrize("fmt,key", [("di", "di"), ("di", "sd"), ("jwt", "jwt")])
def test_an_empty_domain_or_challenge_says_what_is_missing(wallet, stored, fmt, key):
    """A verifier who left the domain (or challenge) empty is told to enter it, never
    "made for hr.example, not ''" nor a valid verdict for a presentation made for nobody."""
    presentation = present(wallet, [stored[key]], fmt=fmt)
    for blank in ("", "  "):
        no_domain = verify(presentation, domain=blank)
        assert (no_domain.valid, no_domain.reason) == (False, Reason.WRONG_DOMAIN)
        assert no_domain.message.startswith("No domain was given: enter the domain you asked the presentation for")
        no_challenge = verify(presentation, challenge=blank)
        assert (no_challenge.valid, no_challenge.reason) == (False, Reason.WRONG_CHALLENGE)
        assert no_challenge.message.startswith("No challenge was given")


def test_kb_jwt_of_an_older_presentation_inside_a_fresh_vp_is_wrong_challenge(wallet, stored):
    """The holder's VP proof is fresh, but the SD-JWT's key binding answers an old challenge."""
    old = enveloped_tokens(present(wallet, [stored["sd"]], challenge="old-challenge"))[0]
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                "holder": wallet.holder,
                "verifiableCredential": [{"@context": "https://www.w3.org/ns/credentials/v2",
                                          "id": f"data:application/dc+sd-jwt,{old}",
                                          "type": "EnvelopedVerifiableCredential"}]}
    signed = data_integrity.sign(document, wallet.holder_key, _method(wallet.holder), purpose="authentication",
                                 challenge=CHALLENGE, domain=DOMAIN)
    verdict = verify(json.dumps(signed))
    assert (verdict.valid, verdict.reason) == (False, Reason.WRONG_CHALLENGE)
    assert verdict.message.startswith("Credential 1 (Introduction to Programming)")


# ---------------------------------------------------------------------------- holders

def _method(did):
    return f"{did}#{did.split(':')[-1]}"


def _vp(credentials, holder):
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
            "holder": holder, "verifiableCredential": credentials}


def test_credential_issued_to_another_did_cannot_be_presented(wallet):
    cid = wallet.store(di_credential(STRANGER))
    with pytest.raises(PresentationError, match="not a DID of this vault"):
        present(wallet, [cid])


def test_verifier_refuses_a_credential_issued_to_someone_else(wallet):
    """A holder embedding someone else's credential in their own signed VP."""
    stolen = json.loads(di_credential(STRANGER))
    signed = data_integrity.sign(_vp([stolen], wallet.holder), wallet.holder_key, _method(wallet.holder),
                                 purpose="authentication", challenge=CHALLENGE, domain=DOMAIN)
    verdict = verify(json.dumps(signed))
    assert (verdict.valid, verdict.reason) == (False, Reason.NOT_HOLDERS)
    assert f"issued to {STRANGER}" in verdict.message and f"presented by {wallet.holder}" in verdict.message
    assert verdict.credentials[0].reason == Reason.NOT_HOLDERS


def test_vp_signed_by_someone_else_than_its_holder(wallet):
    credential = json.loads(di_credential(wallet.holder))
    signed = data_integrity.sign(_vp([credential], wallet.holder), STRANGER_KEY, _method(STRANGER),
                                 purpose="authentication", challenge=CHALLENGE, domain=DOMAIN)
    verdict = verify(json.dumps(signed))
    assert (verdict.valid, verdict.reason) == (False, Reason.WRONG_KEY)
    assert STRANGER in verdict.message


def test_assertion_proof_is_not_a_presentation_proof(wallet):
    credential = json.loads(di_credential(wallet.holder))
    signed = data_integrity.sign(_vp([credential], wallet.holder), wallet.holder_key, _method(wallet.holder),
                                 challenge=CHALLENGE, domain=DOMAIN)  # proofPurpose assertionMethod
    verdict = verify(json.dumps(signed))
    assert (verdict.valid, verdict.reason) == (False, Reason.WRONG_KEY)


def test_credentials_of_two_dids_are_refused(wallet, stored):
    second = wallet.identity.create_did("key").did
    other = wallet.store(di_credential(second, name="Other"))
    with pytest.raises(PresentationError, match="different DIDs"):
        present(wallet, [stored["di"], other])


def test_embedded_invalid_credential_makes_the_presentation_invalid(wallet):
    expired = wallet.store(di_credential(wallet.holder, validUntil="2025-06-01T00:00:00Z"))
    assert any("expired" in w for w in wallet.presentations.preview([expired]).warnings)
    verdict = verify(present(wallet, [expired]))
    assert (verdict.valid, verdict.reason) == (False, Reason.EXPIRED)
    assert verdict.message.startswith("Credential 1 (Data Analysis): The credential expired")


def test_tampered_own_vp(wallet, stored):
    presentation = present(wallet, [stored["di"], stored["sd"]])
    changed = presentation.payload.replace("Data Analysis", "Data Science")
    assert changed != presentation.payload
    assert verify(changed).reason == Reason.BAD_SIGNATURE
    document = json.loads(presentation.payload)
    document["proof"]["expires"] = "2026-03-02T12:10:00Z"       # stretch its lifetime
    assert verify(json.dumps(document), now=NOW + timedelta(hours=2)).reason == Reason.BAD_SIGNATURE


# ---------------------------------------------------------------------------- SD-JWT

def test_sd_jwt_reveals_only_the_chosen_claims(wallet, stored):
    reveal = {stored["sd"]: ["given_name"]}
    preview = wallet.presentations.preview([stored["sd"]], reveal)
    [shown] = preview.credentials
    assert shown.revealed == ("given_name",)
    assert set(shown.withheld) == {"family_name", "email", "achievement.description"}
    assert shown.claims == {"given_name": "Jordan", "achievement": {"name": "Introduction to Programming"}}

    presentation = present(wallet, [stored["sd"]], reveal=reveal)
    assert presentation.credentials == preview.credentials
    [token] = enveloped_tokens(presentation)
    assert token.count("~") == 2                                 # issuer JWT ~ one disclosure ~ KB-JWT
    assert "Rivera" not in base64.urlsafe_b64decode(token.split("~")[1] + "==").decode()

    verdict = verify(presentation)
    assert verdict.valid, verdict.message
    [credential] = verdict.credentials
    assert credential.disclosed == {"given_name": "Jordan", "achievement": {"name": "Introduction to Programming"}}
    assert credential.revealed == ["given_name"] and credential.key_bound


def test_sd_jwt_reveal_nothing_or_a_nested_claim(wallet, stored):
    verdict = verify(present(wallet, [stored["sd"]], reveal={stored["sd"]: []}))
    assert verdict.valid and verdict.credentials[0].disclosed == {"achievement": {"name": "Introduction to Programming"}}
    verdict = verify(present(wallet, [stored["sd"][:12]], reveal={stored["sd"][:12]: ["achievement.description"]}))
    assert verdict.valid and verdict.credentials[0].disclosed["achievement"]["description"] == "Python basics."


def test_reveal_mistakes_are_clear(wallet, stored):
    with pytest.raises(PresentationError, match="no claim 'phone'"):
        present(wallet, [stored["sd"]], reveal={stored["sd"]: ["phone"]})
    with pytest.raises(PresentationError, match="shown whole"):
        present(wallet, [stored["di"]], reveal={stored["di"]: ["achievement"]})
    with pytest.raises(PresentationError, match="not among"):
        present(wallet, [stored["di"]], reveal={stored["sd"]: ["email"]})


def test_bare_sd_jwt_with_key_binding(wallet, stored):
    token = wallet.credentials.repository.original(stored["sd"]).decode()
    kb = sd_jwt_vc.present(token, ["email"], holder_key=wallet.holder_key, nonce=CHALLENGE, audience=DOMAIN,
                           issued_at=NOW)
    verdict = verify(kb)
    assert verdict.valid and verdict.holder == wallet.holder, verdict.message
    assert verdict.credentials[0].disclosed["email"] == "jordan@example.edu"
    assert "given_name" not in verdict.credentials[0].disclosed
    assert verify(kb, challenge="other").reason == Reason.WRONG_CHALLENGE
    assert verify(kb, domain="other.example").reason == Reason.WRONG_DOMAIN
    # the disclosures changed after the holder bound them
    assert verify(kb.replace("~", "~" + token.split("~")[1] + "~", 1)).reason == Reason.TAMPERED


# A KB-JWT's iat is signed by the holder key like the rest; only the verifier's window
# (RFC 9901 §7.3) keeps one made long ago, or "in the future" to stay fresh, from passing.
KB_YEARS = [(datetime(2001, 1, 1, tzinfo=UTC), Reason.EXPIRED, "was made at 2001-01-01 00:00:00 UTC"),
            (datetime(2100, 1, 1, tzinfo=UTC), Reason.NOT_YET_VALID, "made at 2100-01-01 00:00:00 UTC, which is "
                                                                     "in the future")]


@pytest.mark.parametrize("made, reason, says", KB_YEARS)
def test_bare_sd_jwt_with_a_key_binding_from_another_time_is_refused(wallet, stored, made, reason, says):
    token = wallet.credentials.repository.original(stored["sd"]).decode()
    kb = sd_jwt_vc.present(token, ["email"], holder_key=wallet.holder_key, nonce=CHALLENGE, audience=DOMAIN,
                           issued_at=made)
    verdict = verify(kb)
    assert (verdict.valid, verdict.reason) == (False, reason)
    assert verdict.message.startswith("Credential 1 (Introduction to Programming): The key-binding JWT")
    assert says in verdict.message and verdict.credentials[0].disclosed   # signed: shown, marked


@pytest.mark.parametrize("made, reason, says", KB_YEARS)
def test_kb_jwt_from_another_time_inside_a_fresh_vp_is_refused(wallet, stored, made, reason, says):
    token = wallet.credentials.repository.original(stored["sd"]).decode()
    kb = sd_jwt_vc.present(token, ["email"], holder_key=wallet.holder_key, nonce=CHALLENGE, audience=DOMAIN,
                           issued_at=made)
    envelope = {"@context": "https://www.w3.org/ns/credentials/v2", "id": f"data:application/dc+sd-jwt,{kb}",
                "type": "EnvelopedVerifiableCredential"}
    signed = data_integrity.sign(_vp([envelope], wallet.holder), wallet.holder_key, _method(wallet.holder),
                                 purpose="authentication", challenge=CHALLENGE, domain=DOMAIN,
                                 created="2026-03-01T12:00:00Z", expires="2026-03-01T12:10:00Z")
    verdict = verify(json.dumps(signed))
    assert (verdict.valid, verdict.reason) == (False, reason) and says in verdict.message


def test_bare_kb_jwt_window_is_the_default_presentation_lifetime_and_a_minute_of_skew(wallet, stored):
    token = wallet.credentials.repository.original(stored["sd"]).decode()

    def verdict(made, at):
        kb = sd_jwt_vc.present(token, ["email"], holder_key=wallet.holder_key, nonce=CHALLENGE,
                               audience=DOMAIN, issued_at=made)
        return verify(kb, now=at)
    assert DEFAULT_EXPIRES_IN == timedelta(minutes=10)
    assert verdict(NOW, NOW + timedelta(minutes=9, seconds=59)).valid
    late = verdict(NOW, NOW + timedelta(minutes=10, seconds=1))
    assert late.reason == Reason.EXPIRED and "more than 10 minutes ago" in late.message
    assert verdict(NOW + timedelta(seconds=59), NOW).valid                    # the holder's clock a bit ahead
    assert verdict(NOW + timedelta(minutes=2), NOW).reason == Reason.NOT_YET_VALID


def test_kb_jwt_lives_as_long_as_the_presentation_that_carries_it(wallet, stored):
    presentation = present(wallet, [stored["sd"]], expires_in=timedelta(hours=1))
    [token] = enveloped_tokens(presentation)
    assert jose.parse(token.rsplit("~", 1)[1]).payload["iat"] == int(NOW.timestamp())   # made with the VP
    assert verify(presentation, now=NOW + timedelta(minutes=59)).valid
    assert verify(presentation, now=NOW + timedelta(minutes=61)).reason == Reason.EXPIRED


def test_sd_jwt_without_cnf_is_bound_by_the_vp_proof(wallet):
    cid = wallet.store(sd_jwt_credential(wallet.holder, holder_public_key=None))
    presentation = present(wallet, [cid], reveal={cid: ["email"]})
    [token] = enveloped_tokens(presentation)
    assert token.endswith("~")                                   # no KB-JWT: there is no cnf key
    verdict = verify(presentation)
    assert verdict.valid and verdict.warnings == []
    assert [w.code.value for w in verdict.credentials[0].warnings] == ["unknown-issuer"]   # bound: no warning
    assert not verdict.credentials[0].key_bound and verdict.credentials[0].subject == wallet.holder


def test_bearer_sd_jwt_is_valid_with_a_warning(wallet):
    cid = wallet.store(sd_jwt_credential(None))
    assert any("not bound" in w for w in wallet.presentations.preview([cid]).warnings)
    presentation = present(wallet, [cid])
    assert presentation.holder == wallet.identity.default_did().did
    verdict = verify(presentation)
    assert verdict.valid
    assert "not-holder-bound" in [w.code for w in verdict.credentials[0].warnings]


def test_sd_jwt_bound_by_cnf_only(wallet):
    """No sub: the cnf key decides who the holder is, on both sides."""
    cid = wallet.store(sd_jwt_credential(None, holder_public_key=wallet.holder_key.public_key()))
    presentation = present(wallet, [cid])
    assert presentation.holder == wallet.holder
    assert verify(presentation).valid
    # bound to someone else's key: this vault cannot present it
    foreign = wallet.store(sd_jwt_credential(None, holder_public_key=STRANGER_KEY.public_key()))
    with pytest.raises(PresentationError, match="cnf"):
        present(wallet, [foreign])


# ---------------------------------------------------------------------------- JWT VP

def test_jwt_vp(wallet, stored):
    presentation = present(wallet, [stored["jwt"]], fmt="jwt")
    assert presentation.kind == "vp-jwt" and presentation.cryptosuite is None
    assert presentation.payload.count(".") == 2
    verdict = verify(presentation)
    assert verdict.valid and verdict.holder == wallet.holder, verdict.message
    assert verdict.credentials[0].title == "Statistics" and verdict.credentials[0].format == "jwt-vc"
    with pytest.raises(PresentationError, match="VC-JWT credentials only"):
        present(wallet, [stored["jwt"], stored["di"]], fmt="jwt")


def test_jwt_vp_tampered(wallet, stored):
    token = present(wallet, [stored["jwt"]], fmt="jwt").payload
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["nonce"] = "the-next-challenge"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    verdict = verify(f"{header}.{forged}.{signature}", challenge="the-next-challenge")
    assert (verdict.valid, verdict.reason) == (False, Reason.BAD_SIGNATURE)


def test_jwt_credential_issued_to_another_did_in_a_jwt_vp(wallet):
    from vault.credentials import jwt_vc
    other = jwt_credential(STRANGER).decode()
    token = jwt_vc.sign_jwt_vp([other], wallet.holder_key, kid=_method(wallet.holder), audience=DOMAIN,
                               nonce=CHALLENGE, now=NOW)
    verdict = verify(token)
    assert (verdict.valid, verdict.reason) == (False, Reason.NOT_HOLDERS)
    assert "issued to" in verdict.message


# ---------------------------------------------------------------------------- requests

def test_bad_requests(wallet, stored):
    for kwargs in ({"challenge": ""}, {"domain": "  "}, {"fmt": "cbor"}, {"cryptosuite": "ecdsa-rdfc-2019"}):
        with pytest.raises(PresentationError):
            present(wallet, [stored["di"]], **kwargs)
    with pytest.raises(PresentationError, match="at least one"):
        present(wallet, [])
    with pytest.raises(PresentationError, match="No credential"):
        present(wallet, ["abcdef0123"])
    with pytest.raises(PresentationError):
        wallet.presentations.present([stored["di"]])      # no challenge / domain given


# ---------------------------------------------------------------------------- the log

def test_every_presentation_is_logged(wallet, stored, tmp_path):
    log = wallet.presentations.log
    wallet.presentations.preview([stored["di"]])
    assert log.entries() == []                                   # a preview shows nothing to anyone

    present(wallet, [stored["di"]], domain="first.example", now=NOW)
    present(wallet, [stored["sd"], stored["jwt"]], domain="second.example", reveal={stored["sd"]: ["email"]},
            now=NOW + timedelta(hours=1))
    newest, oldest = log.entries()
    assert (newest.domain, oldest.domain) == ("second.example", "first.example")
    assert newest.created_at == "2026-03-01T13:00:00+00:00" and newest.expires_at == "2026-03-01T13:10:00+00:00"
    assert (newest.holder, newest.challenge, newest.kind) == (wallet.holder, CHALLENGE, "vp-json")
    sd, jwt = newest.credentials
    assert (sd["id"], sd["title"], jwt["id"]) == (stored["sd"], "Introduction to Programming", stored["jwt"])
    assert sd["revealed"] == ["email"] and "family_name" in sd["withheld"]
    assert "email" in sd["claims"] and "family_name" not in sd["claims"]
    assert "achievement.name" in jwt["claims"]
    assert [e.domain for e in log.entries(credential_id=stored["di"])] == ["first.example"]
    assert log.get(oldest.id) == oldest

    # kept in the encrypted vault across a lock
    store = wallet.identity.store
    store.lock()
    reopened = VaultStore(store.data_dir)
    reopened.unlock(PASSPHRASE)
    try:
        assert [e.id for e in PresentationLog(reopened).entries()] == [newest.id, oldest.id]
    finally:
        reopened.lock()


def test_a_failed_presentation_is_not_logged(wallet, stored):
    with pytest.raises(PresentationError):
        present(wallet, [stored["sd"]], reveal={stored["sd"]: ["phone"]})
    assert wallet.presentations.history() == []
