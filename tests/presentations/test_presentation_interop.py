"""The Digital Bazaar VP of the interop fixtures is refused for another challenge, another
domain, or any change."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from vault.credentials.verdict import Reason
from vault.presentations import verify_presentation

HERE = Path(__file__).resolve()
VP = HERE.parents[1] / "fixtures" / "interop" / "di-vp" / "valid-01-one-credential.json"
CHALLENGE, DOMAIN = "public-challenge-1", "verifier.example"
HOLDER = "did:key:z6MkrQPjZypnfzW4ZNgta9voF1bQhFoVYXVedbRjv5bok6pK"
# Every manifest entry (credentials and presentations) is run by tests/interop/test_manifest.py.


def test_digital_bazaar_vp_is_valid_and_lists_what_it_discloses():
    verdict = verify_presentation(VP.read_bytes(), challenge=CHALLENGE, domain=DOMAIN)
    assert (verdict.valid, verdict.reason, verdict.holder) == (True, Reason.VALID, HOLDER)
    out = verdict.to_json()
    assert set(out) == {"valid", "reason", "message", "holder", "credentials", "warnings"}
    [credential] = out["credentials"]
    assert credential["valid"] and credential["format"] == "di-vc"
    assert credential["issuer_name"] == "Riverside Community College"
    assert credential["title"] == "Introduction to Programming (Python)"
    assert credential["disclosed"]["achievement"]["achievementType"] == "Course"
    assert [w["code"] for w in credential["warnings"]] == ["unknown-issuer"]  # no trust list: no vault
    json.dumps(out)
    # the same from text, and with the verifier's clock anywhere in the fixtures' window
    assert verify_presentation(VP.read_text(), challenge=CHALLENGE, domain=DOMAIN,
                               now=datetime(2098, 12, 1, tzinfo=timezone.utc)).valid


@pytest.mark.parametrize("challenge,domain,reason", [
    ("public-challenge-2", DOMAIN, Reason.WRONG_CHALLENGE),   # a replay for the next verifier request
    ("", DOMAIN, Reason.WRONG_CHALLENGE),
    (CHALLENGE, "evil.example", Reason.WRONG_DOMAIN),
    (CHALLENGE, "verifier.example.evil", Reason.WRONG_DOMAIN),
])
def test_wrong_challenge_or_domain(challenge, domain, reason):
    verdict = verify_presentation(VP.read_bytes(), challenge=challenge, domain=domain)
    assert (verdict.valid, verdict.reason) == (False, reason)
    assert verdict.credentials == []   # nothing inside is looked at for another verifier


def _edit(change):
    document = json.loads(VP.read_text())
    change(document)
    return json.dumps(document).encode()


@pytest.mark.parametrize("change", [
    lambda d: d["verifiableCredential"][0]["credentialSubject"]["achievement"].update(name="Advanced Python"),
    lambda d: d["verifiableCredential"][0]["issuer"].update(name="Harvard"),
    lambda d: d.update(id="urn:uuid:00000000-0000-4000-8000-000000000000"),
    lambda d: d["proof"].update(created="2025-02-01T10:00:01Z"),
    lambda d: d["proof"].update(proofValue=d["proof"]["proofValue"][:-2] + "zz"),
    lambda d: d["verifiableCredential"].append(d["verifiableCredential"][0]),
], ids=["credential-claim", "issuer-name", "vp-id", "proof-created", "proof-value", "added-credential"])
def test_tampered_vp_is_bad_signature(change):
    verdict = verify_presentation(_edit(change), challenge=CHALLENGE, domain=DOMAIN)
    assert (verdict.valid, verdict.reason) == (False, Reason.BAD_SIGNATURE), verdict.message


def test_tampered_byte_is_invalid():
    data = VP.read_bytes()
    position = data.index(b"Foundational") + 1
    tampered = data[:position] + b"O" + data[position + 1:]
    verdict = verify_presentation(tampered, challenge=CHALLENGE, domain=DOMAIN)
    assert (verdict.valid, verdict.reason) == (False, Reason.BAD_SIGNATURE)


def test_replayed_vp_rewritten_for_a_new_challenge_is_bad_signature():
    def rewrite(document):
        document["proof"]["challenge"] = "fresh-challenge"
    verdict = verify_presentation(_edit(rewrite), challenge="fresh-challenge", domain=DOMAIN)
    assert (verdict.valid, verdict.reason) == (False, Reason.BAD_SIGNATURE)


def test_holder_claimed_by_someone_else_is_wrong_key():
    def claim(document):
        document["holder"] = "did:key:z6MkurecYsGdpL1EYa1Azwx1NfuNMcQx2MnfUhzNS1AvY1s8"
    verdict = verify_presentation(_edit(claim), challenge=CHALLENGE, domain=DOMAIN)
    assert not verdict.valid and verdict.reason in (Reason.WRONG_KEY, Reason.BAD_SIGNATURE)


def test_credential_alone_is_not_a_presentation():
    credential = HERE.parents[1] / "fixtures" / "interop" / "di-eddsa-rdfc-2022" / "valid-01-open-badge.json"
    verdict = verify_presentation(credential.read_bytes(), challenge=CHALLENGE, domain=DOMAIN)
    assert (verdict.valid, verdict.reason) == (False, Reason.UNSUPPORTED_FORMAT)
    jwt = HERE.parents[1] / "fixtures" / "interop" / "jwt-vc" / "valid-01-eddsa.jwt"
    verdict = verify_presentation(jwt.read_bytes(), challenge=CHALLENGE, domain=DOMAIN)
    assert (verdict.valid, verdict.reason) == (False, Reason.UNSUPPORTED_FORMAT)


def test_sd_jwt_without_key_binding_proves_no_presentation():
    token = HERE.parents[1] / "fixtures" / "interop" / "sd-jwt-vc" / "valid-01-eddsa.sd-jwt"
    verdict = verify_presentation(token.read_bytes(), challenge=CHALLENGE, domain=DOMAIN)
    assert (verdict.valid, verdict.reason) == (False, Reason.NO_PROOF)
    assert "key-binding" in verdict.message
    assert len(verdict.credentials) == 1 and verdict.credentials[0].issuer.startswith("did:key:")

