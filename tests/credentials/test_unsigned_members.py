"""Claims outside the signature are never shown as proven (security issue 13, item 4).

eddsa-rdfc-2022 signs the RDF dataset, not the JSON: an ``@index``, a null, a value
JSON-LD drops, a blank-node property or the names an inline ``@context`` gives produce
no triple, so they can be added after signing and the signature still matches. Each
attack here is crafted on a genuinely signed credential and first shown to leave the
dataset unchanged (the signature would verify); the vault must then refuse it, naming
the unsigned member, so that no display (``credential show``, ``vault verify``, the
GUI's "What it proves") can show it.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld as pyld_jsonld

from vault.credentials import data_integrity, jsonld
from vault.credentials.verdict import CredentialFailure, Reason
from vault.credentials.verify import VerificationContext, check
from vault.did import did_key
from vault.presentations import verify_presentation

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
ISSUER = did_key.from_ed25519(KEY.public_key().public_bytes_raw())
METHOD = f"{ISSUER}#{ISSUER.split(':')[-1]}"
HOLDER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(40, 72)))
HOLDER = did_key.from_ed25519(HOLDER_KEY.public_key().public_bytes_raw())
HOLDER_METHOD = f"{HOLDER}#{HOLDER.split(':')[-1]}"
NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)
V2 = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_VOCAB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
DCC = Path(__file__).resolve().parents[1] / "fixtures" / "credentials" / "status" / "dcc" / "credentials"
LIE = "CEO of Google"


def badge(**extra) -> dict:
    credential = {
        "@context": [V2, OB],
        "id": "urn:uuid:7e1b3c36-0d2f-4a55-9d5e-2b1b1f0e9a01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Test College"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Data Analysis",
        "credentialSubject": {"type": ["AchievementSubject"], "id": HOLDER,
                              "achievement": {"id": "urn:uuid:a1", "type": ["Achievement"],
                                              "name": "Data Analysis",
                                              "criteria": {"narrative": "Pass the exam."}}},
    }
    credential.update(extra)
    return credential


def signed(document: dict | None = None, suite: str = "eddsa-rdfc-2022") -> dict:
    return data_integrity.sign(document or badge(), KEY, METHOD, cryptosuite=suite,
                               created="2025-01-01T00:00:00Z")


def verdict_of(document: dict):
    return check(json.dumps(document).encode(), VerificationContext(now=NOW))


def same_dataset(a: dict, b: dict) -> bool:
    """Whether both have the same canonical N-Quads by plain pyld (no safe mode): if so,
    the signature over one verifies over the other."""
    def nquads(d):
        unsecured = copy.deepcopy({k: v for k, v in d.items() if k != "proof"})
        return pyld_jsonld.normalize(unsecured, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                                 "documentLoader": jsonld.document_loader, "base": None})
    return nquads(a) == nquads(b)


def subject(d: dict) -> dict:
    return d["credentialSubject"]


def achievement(d: dict) -> dict:
    return d["credentialSubject"]["achievement"]


# ------------------------------------------------------------------------- the attacks

def _index_on_node(d):
    achievement(d)["@index"] = LIE


def _index_on_value(d):
    achievement(d)["name"] = {"@value": "Data Analysis", "@index": LIE}


def _index_container(d):
    # An inline term mapping to the signed achievement property, as an index map: the
    # dataset is unchanged, the display would read "achievementByRole.CEO of Google.name".
    d["@context"] = [V2, OB, {"achievementByRole": {"@id": OB_VOCAB + "achievement", "@container": "@index"}}]
    subject(d)["achievementByRole"] = {LIE: subject(d).pop("achievement")}


def _relabel(d):
    d["@context"] = [V2, OB, {LIE: {"@id": OB_VOCAB + "achievement"}}]
    subject(d)[LIE] = subject(d).pop("achievement")


def _relabel_nested(d):
    subject(d)["@context"] = {"formerRole": {"@id": OB_VOCAB + "achievement"}}
    subject(d)["formerRole"] = subject(d).pop("achievement")


def _null_term(d):
    d["@context"] = [V2, OB, {"@protected": True, "hiredBy": None}]
    subject(d)["hiredBy"] = "Google"


def _null_member(d):
    achievement(d)["description"] = None


def _null_in_list(d):
    achievement(d)["criteria"]["narrative"] = ["Pass the exam.", None]


def _direction(d):
    achievement(d)["name"] = {"@value": "Data Analysis", "@direction": "rtl"}


def _blank_property(d):
    achievement(d)["_:role"] = LIE


def _free_floating(d):
    achievement(d)["@graph"] = [LIE]


def _free_floating_value(d):
    achievement(d)["@graph"] = [{"@value": LIE}]


def _only_language(d):
    achievement(d)["description"] = {"@language": "en"}


ATTACKS = [
    # (name, mutation, text the refusal must name)
    ("index-on-node", _index_on_node, LIE),
    ("index-on-value", _index_on_value, LIE),
    ("index-container", _index_container, "achievementByRole"),
    ("relabel-inline-context", _relabel, LIE),
    ("relabel-nested-inline-context", _relabel_nested, "formerRole"),
    ("term-mapped-to-null", _null_term, "hiredBy"),
    ("null-member", _null_member, "description"),
    ("null-in-list", _null_in_list, "narrative"),
    ("direction", _direction, "rtl"),
    ("blank-node-property", _blank_property, "_:role"),
    ("free-floating-string", _free_floating, LIE),
    ("free-floating-value", _free_floating_value, LIE),
    ("only-language", _only_language, "description"),
]


@pytest.mark.parametrize("name,mutate,named", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_unsigned_member_added_after_signing_is_refused(name, mutate, named):
    original = signed()
    attacked = copy.deepcopy(original)
    mutate(attacked)
    assert same_dataset(original, attacked)      # the signature alone would not notice
    checked = verdict_of(attacked)
    assert not checked.verdict.valid and checked.verdict.reason is Reason.MALFORMED
    assert named in checked.verdict.message
    assert "signature does not cover" in checked.verdict.message or "not signed" in checked.verdict.message \
        or "could have been changed" in checked.verdict.message


@pytest.mark.parametrize("where", ["top", "subject", "achievement"])
def test_undefined_term_is_refused_by_name(where):
    attacked = signed()
    target = {"top": attacked, "subject": subject(attacked), "achievement": achievement(attacked)}[where]
    target["hiredBy"] = "Google"
    checked = verdict_of(attacked)
    assert checked.verdict.reason is Reason.MALFORMED and "hiredBy" in checked.verdict.message


def test_context_reset_is_refused():
    attacked = signed()
    subject(attacked)["@context"] = None
    assert verdict_of(attacked).verdict.reason is Reason.MALFORMED


def test_keyword_lookalike_is_refused_by_name():
    attacked = signed()
    achievement(attacked)["@role"] = LIE
    checked = verdict_of(attacked)
    assert checked.verdict.reason is Reason.MALFORMED and "@role" in checked.verdict.message


def test_with_a_vocab_an_added_term_is_signed_so_adding_one_breaks_the_signature():
    # The undefined-terms context gives every term an IRI: "hiredBy" is then a triple.
    document = badge()
    document["@context"] = [V2, OB, "https://www.w3.org/ns/credentials/undefined-terms/v2"]
    original = signed(document)
    assert verdict_of(original).verdict.valid
    attacked = copy.deepcopy(original)
    subject(attacked)["hiredBy"] = "Google"
    assert not same_dataset(original, attacked)
    assert verdict_of(attacked).verdict.reason is Reason.BAD_SIGNATURE


# ------------------------------------------------------------------------- @json literals

def _with_json_literal() -> dict:
    document = badge()
    achievement(document)["description"] = {"@type": "@json",
                                            "@value": {"role": "Engineer", "note": None, "@index": "x"}}
    return document


def test_json_literal_is_signed_whole_and_shown_as_signed():
    original = signed(_with_json_literal())       # null and "@index" inside are literal text
    checked = verdict_of(original)
    assert checked.verdict.valid, checked.verdict.message
    assert ("achievement.description.@value.role", "Engineer") in checked.display.claims


def test_tampering_inside_a_json_literal_breaks_the_signature():
    attacked = signed(_with_json_literal())
    achievement(attacked)["description"]["@value"]["role"] = LIE
    assert verdict_of(attacked).verdict.reason is Reason.BAD_SIGNATURE


def test_json_literal_relabelled_by_an_inline_context_is_refused():
    # The same signed literal under a name of the attacker's choosing.
    original = signed(_with_json_literal())
    attacked = copy.deepcopy(original)
    attacked["@context"] = [V2, OB, {LIE: {"@id": "https://schema.org/description", "@type": "@json"}}]
    achievement(attacked)[LIE] = achievement(attacked).pop("description")["@value"]
    assert same_dataset(original, attacked)
    checked = verdict_of(attacked)
    assert checked.verdict.reason is Reason.MALFORMED and LIE in checked.verdict.message


# ------------------------------------------------------------------------- what is shown

def _presentation(credential: dict) -> str:
    """A presentation by the holder, signed as JSON (eddsa-jcs-2022), so that the embedded
    credential is judged on its own."""
    vp = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": HOLDER,
          "verifiableCredential": [credential]}
    return json.dumps(data_integrity.sign(vp, HOLDER_KEY, HOLDER_METHOD, cryptosuite="eddsa-jcs-2022",
                                          purpose="authentication", challenge="c-1", domain="hr.example"))


@pytest.mark.parametrize("mutate", [_index_on_node, _index_container, _relabel])
def test_employer_never_sees_the_unsigned_text_as_proven(mutate):
    from ui.verify.verdict import credential_html     # the GUI's "What it proves"
    attacked = signed()
    mutate(attacked)
    verdict = verify_presentation(_presentation(attacked), challenge="c-1", domain="hr.example", now=NOW)
    [result] = verdict.credentials
    assert not verdict.valid and not result.valid and result.reason is Reason.MALFORMED
    assert result.disclosed == {}
    assert LIE not in json.dumps(result.disclosed)
    html = credential_html(result)
    assert "What it proves" not in html


def test_presentation_signed_over_rdf_carrying_the_attack_is_refused_whole():
    attacked = signed()
    _index_on_node(attacked)
    vp = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": HOLDER,
          "verifiableCredential": [attacked]}
    with pytest.raises(CredentialFailure):          # the holder's vault would not sign it either
        data_integrity.sign(vp, HOLDER_KEY, HOLDER_METHOD, purpose="authentication")
    # Signed over the same dataset without the index, then the index added.
    clean = copy.deepcopy(vp)
    achievement(clean["verifiableCredential"][0]).pop("@index")
    proof = data_integrity.sign(clean, HOLDER_KEY, HOLDER_METHOD, purpose="authentication",
                                challenge="c-1", domain="hr.example")["proof"]
    verdict = verify_presentation(json.dumps({**vp, "proof": proof}), challenge="c-1", domain="hr.example",
                                  now=NOW)
    assert not verdict.valid and verdict.reason is Reason.MALFORMED and LIE in verdict.message
    assert verdict.credentials == []


def test_a_normal_open_badge_still_shows_all_its_claims():
    credential = signed()
    checked = verdict_of(credential)
    assert checked.verdict.valid
    claims = dict(checked.display.claims)
    assert claims == {"type[0]": "AchievementSubject", "id": HOLDER, "achievement.id": "urn:uuid:a1",
                      "achievement.type[0]": "Achievement", "achievement.name": "Data Analysis",
                      "achievement.criteria.narrative": "Pass the exam."}
    verdict = verify_presentation(_presentation(credential), challenge="c-1", domain="hr.example", now=NOW)
    assert verdict.valid, verdict.message
    [result] = verdict.credentials
    assert result.disclosed == credential["credentialSubject"]
    from ui.verify.verdict import credential_html
    html = credential_html(result)
    assert "What it proves" in html and "Pass the exam." in html and "achievement.name" in html


# ------------------------------------------------------------------------- scope of the rule

def test_jcs_signs_the_json_itself_so_inline_contexts_and_nulls_stay_valid():
    document = badge()
    document["@context"] = [V2, OB, {"hiredBy": "https://example.org/hiredBy"}]
    achievement(document)["description"] = None
    credential = signed(document, "eddsa-jcs-2022")
    assert verdict_of(credential).verdict.valid
    credential["@context"][2] = {LIE: "https://example.org/hiredBy"}
    assert verdict_of(credential).verdict.reason is Reason.BAD_SIGNATURE


def test_the_vault_does_not_sign_what_it_would_not_verify():
    document = badge()
    achievement(document)["@index"] = LIE
    with pytest.raises(CredentialFailure) as failure:
        signed(document)
    assert failure.value.reason is Reason.MALFORMED and LIE in failure.value.message


def test_issuer_signed_credential_with_an_inline_context_is_refused_once_relabelled():
    # A real credential (Digital Credentials Consortium fixtures), genuinely signed, that
    # defines "issuanceDate" inline as ...v1#issuanceDate: a term naming itself is read.
    # Renamed (key and context together), the RDF and so the signature stay the same, but
    # the JSON now says something else: refused.
    data = (DCC / "twoOIDF-revoked-notExpired-badSchema.json").read_bytes()
    assert check(data, VerificationContext(now=NOW)).verdict.valid
    relabelled = json.loads(data)
    relabelled["@context"][-1] = {"expirationDate": relabelled["@context"][-1]["issuanceDate"]}
    relabelled["expirationDate"] = relabelled.pop("issuanceDate")
    verdict = check(json.dumps(relabelled).encode(), VerificationContext(now=NOW)).verdict
    assert verdict.reason is Reason.MALFORMED and "inline @context ('expirationDate')" in verdict.message


def test_unsigned_member_in_the_proof_options_is_refused():
    attacked = signed()
    attacked["proof"]["@index"] = LIE
    checked = verdict_of(attacked)
    assert checked.verdict.reason is Reason.MALFORMED and LIE in checked.verdict.message
