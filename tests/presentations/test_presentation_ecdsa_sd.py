"""Presenting an ecdsa-sd-2023 credential: the holder picks claims, the vault derives a
disclosure from the base proof and embeds it, and the verifier checks it; what was not
picked never leaves the vault (nor the base proof with its HMAC key), and the CLI's
--reveal works for it as for SD-JWT."""

import json
from datetime import timedelta

import pytest

from tests.presentations.vp_fixtures import (CHALLENGE, DOMAIN, NOW, SD_ISSUER, SD_SECRET,
                                             ecdsa_sd_credential)
from vault.presentations import PresentationError, verify_presentation

ISSUER, SECRET, sd_credential = SD_ISSUER, SD_SECRET, ecdsa_sd_credential
NAME_CLAIM = "credentialSubject.achievement.name"


def embedded(presentation) -> dict:
    return json.loads(presentation.payload)["verifiableCredential"][0]


def test_only_the_chosen_claims_are_presented_and_it_verifies(wallet):
    cid = wallet.store(sd_credential(wallet.holder))
    assert wallet.credentials.repository.get(cid).status == "valid"     # the base proof verified on import
    preview = wallet.presentations.preview([cid], {cid: [NAME_CLAIM]}, "di")
    shown = preview.credentials[0]
    assert shown.selective and shown.revealed == (NAME_CLAIM,)
    assert "credentialSubject.achievement.description" in shown.withheld
    assert SECRET not in json.dumps(shown.claims)

    presentation = wallet.presentations.present([cid], {cid: [NAME_CLAIM]}, CHALLENGE, DOMAIN, now=NOW)
    assert SECRET not in presentation.payload and "Pass the exam" not in presentation.payload
    credential = embedded(presentation)
    assert credential["proof"]["proofValue"].startswith("u2V0B")          # derived, never the base proof
    assert credential["credentialSubject"]["achievement"]["name"] == "Data Analysis"
    assert credential["credentialSubject"]["id"] == wallet.holder
    assert credential["issuer"]["id"] == ISSUER

    verdict = verify_presentation(presentation.data, challenge=CHALLENGE, domain=DOMAIN,
                                  now=NOW + timedelta(minutes=1))
    assert verdict.valid, verdict.message
    assert verdict.holder == wallet.holder


def test_every_claim_by_default_still_derived(wallet):
    cid = wallet.store(sd_credential(wallet.holder))
    presentation = wallet.presentations.present([cid], None, CHALLENGE, DOMAIN, now=NOW)
    credential = embedded(presentation)
    assert SECRET in presentation.payload and credential["proof"]["proofValue"].startswith("u2V0B")
    assert presentation.credentials[0].withheld == ()
    assert verify_presentation(presentation.data, challenge=CHALLENGE, domain=DOMAIN,
                               now=NOW + timedelta(minutes=1)).valid


def test_a_forged_claim_added_to_the_derived_credential_fails(wallet):
    cid = wallet.store(sd_credential(wallet.holder))
    presentation = wallet.presentations.present([cid], {cid: [NAME_CLAIM]}, CHALLENGE, DOMAIN, now=NOW)
    document = json.loads(presentation.payload)
    document["verifiableCredential"][0]["credentialSubject"]["achievement"]["description"] = "Summa cum laude"
    verdict = verify_presentation(json.dumps(document).encode(), challenge=CHALLENGE, domain=DOMAIN,
                                  now=NOW + timedelta(minutes=1))
    assert not verdict.valid and verdict.reason.value == "bad-signature"


def test_unknown_claim_is_refused_before_signing(wallet):
    cid = wallet.store(sd_credential(wallet.holder))
    with pytest.raises(PresentationError, match="no claim 'credentialSubject.grade'"):
        wallet.presentations.present([cid], {cid: ["credentialSubject.grade"]}, CHALLENGE, DOMAIN, now=NOW)


# ---------------------------------------------------------------------------- CLI


def test_cli_present_reveal_for_ecdsa_sd(cli):
    source = cli.tmp / "badge.json"
    source.write_bytes(sd_credential(cli.did))
    code, out, err = cli("credential", "import", source, "--json", "--offline")
    assert code == 0, err
    cid = json.loads(out)[0]["id"]
    vp = cli.tmp / "vp.json"
    code, out, err = cli("present", "--credential", cid[:8], "--reveal", NAME_CLAIM, "--challenge", CHALLENGE,
                         "--domain", DOMAIN, "--format", "json", "--out", vp, "--json")
    assert code == 0, err
    shown = json.loads(out)["credentials"][0]
    assert shown["revealed"] == [NAME_CLAIM] and "credentialSubject.achievement.description" in shown["withheld"]
    assert SECRET not in vp.read_text()
    code, out, _ = cli("verify", vp, "--challenge", CHALLENGE, "--domain", DOMAIN, "--json", "--offline")
    assert code == 0 and json.loads(out)["valid"]
