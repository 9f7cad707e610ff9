"""ecdsa-sd-2023 both ways with Digital Bazaar's ``@digitalbazaar/ecdsa-sd-2023-cryptosuite``
3.4.1 (the reference implementation; exact versions in tests/node/package-lock.json):

* Digital Bazaar issues a base proof and derives a disclosure: the vault verifies both,
  and derives its own disclosure from their base proof that their verifier accepts;
* the vault issues and derives: their verifier accepts the derivation, and they derive
  from our base proof a disclosure the vault verifies;
* a presentation the vault makes with chosen claims verifies with their verifier;
* changed derived credentials fail on both sides.
Skips without node and the npm packages, except under CI=true, where it fails.
"""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from node import node_derive, node_sign, node_verify_many, require_node
from vault.credentials import data_integrity as di
from vault.credentials import ecdsa_sd
from tests.presentations.vp_fixtures import CHALLENGE, DOMAIN, NOW, Wallet
from vault.credentials.service import CredentialService
from vault.credentials.verdict import CredentialFailure, Reason
from vault.did import multikey
from vault.presentations.service import PresentationService

VC_V2, OB_303 = "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
KEY = ec.derive_private_key(0xD1_5D_2023, ec.SECP256R1())
_POINT = KEY.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
DID = "did:key:" + multikey.encode("p256-pub", _POINT)
METHOD = f"{DID}#{DID.split(':')[-1]}"
SELECTIVE = ["/credentialSubject/achievement/name", "/validFrom"]


@pytest.fixture(autouse=True)
def _node_peer():
    require_node()


def badge(issuer: str = DID) -> dict:
    return {"@context": [VC_V2, OB_303], "id": "urn:uuid:5d2023aa-0b1c-4d2e-8f3a-4b5c6d7e8f90",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": issuer, "type": ["Profile"], "name": "Test College"},
            "validFrom": "2025-01-01T00:00:00Z", "name": "Data Analysis",
            "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"],
                                  "achievement": {"id": "urn:uuid:a1", "type": ["Achievement"],
                                                  "name": "Data Analysis", "description": "Statistics.",
                                                  "criteria": {"narrative": "Pass the exam."}}}}


def node_verdicts(*documents) -> list[dict]:
    return node_verify_many([{"kind": "credential", "document": d} for d in documents])


def ours(**kwargs) -> dict:
    return di.sign(badge(), KEY, METHOD, cryptosuite="ecdsa-sd-2023", created="2025-01-01T00:00:00Z", **kwargs)


def changed(document: dict) -> dict:
    forged = copy.deepcopy(document)
    forged["credentialSubject"]["achievement"]["name"] = "Advanced Data Analysis"
    return forged


def test_we_verify_what_digital_bazaar_issues_and_derives():
    base = node_sign("ecdsa-sd-2023", badge(), mandatory_pointers=["/issuer", "/credentialSubject/id"])
    assert di.verify_proofs(base).suites == ["ecdsa-sd-2023"]               # their base proof, bound to its issuer
    derived = node_derive(base, SELECTIVE)
    assert "description" not in derived["credentialSubject"]["achievement"]
    assert di.verify_proofs(derived).suites == ["ecdsa-sd-2023"]
    with pytest.raises(CredentialFailure) as info:
        di.verify_proofs(changed(derived))
    assert info.value.reason is Reason.BAD_SIGNATURE
    # From their base proof we derive, and their verifier agrees.
    mine = ecdsa_sd.disclose(base, ["credentialSubject.achievement.description"]).credential
    assert "validFrom" not in mine and mine["credentialSubject"]["achievement"]["description"] == "Statistics."
    assert [v["verified"] for v in node_verdicts(derived, mine, changed(mine))] == [True, True, False]


def test_digital_bazaar_verifies_what_we_derive_and_derives_from_our_base_proof():
    base = ours()
    derived = ecdsa_sd.disclose(base, ["credentialSubject.achievement.name", "validFrom"]).credential
    everything = ecdsa_sd.disclose(base, None).credential
    nothing = ecdsa_sd.disclose(base, []).credential                      # the issuer and subject id only
    theirs = node_derive(base, SELECTIVE)
    verdicts = node_verdicts(derived, everything, nothing, changed(derived))
    assert [v["verified"] for v in verdicts] == [True, True, True, False], verdicts
    assert di.verify_proofs(theirs).suites == ["ecdsa-sd-2023"]
    # The same selection gives the same disclosure, proof value included: the base
    # signatures are reused and the label map and indexes are deterministic.
    assert theirs == derived


@pytest.fixture
def wallet(identity) -> Wallet:
    credentials = CredentialService(identity.store)
    return Wallet(identity, credentials, PresentationService(identity, credentials), identity.default_did().did)


def test_a_vault_presentation_with_chosen_claims_verifies_with_digital_bazaar(wallet):
    credential = badge()
    credential["credentialSubject"]["id"] = wallet.holder
    signed = di.sign(credential, KEY, METHOD, cryptosuite="ecdsa-sd-2023", created="2025-01-01T00:00:00Z")
    cid = wallet.store(json.dumps(signed).encode())
    presentation = wallet.presentations.present([cid], {cid: ["credentialSubject.achievement.name"]}, CHALLENGE,
                                                DOMAIN, now=NOW)
    assert "Statistics." not in presentation.payload
    document = json.loads(presentation.payload)
    forged = copy.deepcopy(document)
    forged["verifiableCredential"][0]["credentialSubject"]["achievement"]["description"] = "Top marks."
    now = (NOW + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    good, bad = node_verify_many([{"kind": "presentation", "document": d, "challenge": CHALLENGE, "domain": DOMAIN,
                                   "now": now} for d in (document, forged)])
    assert good["verified"] and good["credentials_verified"] == [True], good
    assert not bad["verified"] and bad["credentials_verified"] == [False]
