"""The vault as an issuer: profiles, achievements, issuing in three formats, the status
lists its own verification reads offline, and the issued log.

Attacks: a recipient string with markup / bidi / invisible characters (refused, nothing
signed), a tampered status list (the revoked bit flipped back: fails closed), a list
re-signed by a key that is not the profile's, revoking a credential of another profile
(refused, nothing changed)."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from vault.credentials import data_integrity
from vault.credentials.bitstring import decode_status_list, encode_status_list, read_status
from vault.credentials.sd_jwt_vc import verify_sd_jwt_vc
from vault.credentials.service import CredentialService, verification_context
from vault.credentials.verdict import Reason
from vault.credentials.verify import VerificationContext, check
from vault.did import did_key
from vault.errors import InvalidDid, IssuingError, NotFound
from vault.identity import Identity
from vault.issuing.issuer import Evidence, Issuer, IssueOptions
from vault.issuing.recipients import recipient_did
from vault.keys import derivation, recovery_phrase
from vault.net.fetch import NetworkUse

HOLDER_ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


@pytest.fixture
def issuer(identity):
    return Issuer(identity)


@pytest.fixture
def club(issuer):
    profile = issuer.profiles.create("Code Club", url="https://codeclub.example", description="Evening classes")
    achievement = issuer.profiles.add_achievement(
        profile.id, "First PR", description="Opened a first pull request", criteria="A merged PR",
        alignment=[{"targetName": "Git", "targetUrl": "https://skills.example/git"}])
    return profile, achievement


def offline(identity) -> CredentialService:
    """The vault's own verification, with no network (the service's default)."""
    return CredentialService(identity.store)


def test_a_profile_signs_with_its_own_branch_of_the_seed_and_is_the_same_after_a_restore(identity, issuer,
                                                                                         tmp_path):
    profile = issuer.profiles.create("Code Club", url="https://codeclub.example")
    seed = recovery_phrase.to_seed(identity.recovery_phrase())
    public = derivation.ed25519_private_key(seed, "m/1031'/2'/0'").public_key().public_bytes_raw()
    assert profile.did == did_key.from_ed25519(public)
    assert profile.did not in {d.did for d in identity.dids()}       # never one of the holder's DIDs
    again = Identity.restore(tmp_path / "again", "another passphrase!", identity.recovery_phrase(), kdf_target=0)
    try:
        assert Issuer(again).profiles.create("Code Club").did == profile.did
    finally:
        again.store.lock()
    assert profile.status_list_url("revocation") == "https://codeclub.example/status/revocation.json"
    second = issuer.profiles.create("Night School")
    assert second.did != profile.did and second.status_base_url == ""
    with pytest.raises(IssuingError, match="already an issuer profile"):
        issuer.profiles.create("code club")
    for bad in ({"url": "http://plain.example"}, {"url": "javascript:alert(1)"}, {"image": "file:///etc/passwd"},
                {"anchor_account": "0x" + "11" * 20}, {"method": "pkh"}):
        with pytest.raises(IssuingError):
            issuer.profiles.create("Bad", **bad)
    assert [p.name for p in issuer.profiles.list()] == ["Code Club", "Night School"]


def test_a_did_web_profile_writes_its_document_and_the_vault_verifies_offline(identity, issuer):
    profile = issuer.profiles.create("Uni", method="web", web="uni.example:issuers:1")
    assert profile.did == "did:web:uni.example:issuers:1"
    assert profile.did_document_url() == "https://uni.example/issuers/1/did.json"
    assert profile.status_list_url("suspension") == "https://uni.example/issuers/1/status/suspension.json"
    document = issuer.profiles.did_document(profile)
    assert document["assertionMethod"] == [profile.did + "#key-1"]
    achievement = issuer.profiles.add_achievement(profile.id, "BSc")
    record = issuer.issue(profile.id, achievement.id, HOLDER_ADDRESS, fmt="jcs")
    assert json.loads(record.content)["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    verdict = offline(identity).check(record.content).verdict
    assert verdict.valid and verdict.issuer == profile.did
    with pytest.raises(InvalidDid):
        issuer.profiles.create("Bad web", method="web", web="uni.example:..:x")


def test_the_sample_profile_is_marked_and_issues_samples(identity, issuer):
    sample = issuer.profiles.sample()
    assert sample.is_sample and "sample issuer" in sample.name and issuer.profiles.sample().id == sample.id
    (achievement,) = issuer.profiles.achievements(sample.id)
    record = issuer.issue(sample.id, achievement.id, identity.default_did().did)
    assert record.status_index is None        # a sample has no status list to host
    verdict = offline(identity).check(record.content).verdict
    assert verdict.valid and "sample-issuer" in [w.code.value for w in verdict.warnings]


def test_issue_di_with_evidence_status_and_dates_then_revoke_reads_revoked_offline(identity, issuer, club):
    profile, achievement = club
    start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)
    record = issuer.issue(profile.id, achievement.id, identity.default_did().did, options=IssueOptions(
        note="Well done", evidence=(Evidence(url="https://git.example/pr/1", narrative="the PR"),),
        valid_from=start, valid_until=start + timedelta(days=365)))
    credential = json.loads(record.content)
    assert credential["issuer"]["id"] == profile.did and credential["description"] == "Well done"
    assert credential["credentialSubject"]["achievement"]["alignment"][0]["targetName"] == "Git"
    assert credential["evidence"][0]["id"] == "https://git.example/pr/1"
    assert {e["statusPurpose"] for e in credential["credentialStatus"]} == {"revocation", "suspension"}
    assert {e["statusListIndex"] for e in credential["credentialStatus"]} == {str(record.status_index)}
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    service = offline(identity)
    checked = service.check(record.content)
    assert checked.verdict.valid and all(r.checked for r in checked.status.entries)

    issuer.suspend(record.id)
    assert service.check(record.content).verdict.reason == Reason.SUSPENDED
    issuer.unsuspend(record.id)
    assert service.check(record.content).verdict.valid
    issuer.revoke(record.id, profile="Code Club")
    assert service.check(record.content).verdict.reason == Reason.REVOKED
    assert issuer.get(record.id).status == "revoked"
    with pytest.raises(IssuingError, match="final"):
        issuer.unsuspend(record.id)


def test_sd_jwt_vc_with_chosen_disclosable_claims_verifies_and_cannot_be_revoked_by_list(identity, issuer, club):
    profile, achievement = club
    holder = identity.default_did().did
    record = issuer.issue(profile.id, achievement.id, holder, fmt="sd-jwt",
                          options=IssueOptions(evidence=(Evidence(narrative="demo day"),)),
                          disclosable=("achievement", "evidence"))
    token = verify_sd_jwt_vc(record.content.decode())
    assert token.issuer == profile.did and token.subject == holder
    assert sorted(p[0] for p in token.paths) == ["achievement", "evidence"]
    assert "achievement" not in token.payload and token.claims["achievement"]["name"] == "First PR"
    assert token.cnf and token.cnf["jwk"]["crv"] == "Ed25519"      # bound to the holder's did:key
    assert offline(identity).check(record.content).verdict.valid
    with pytest.raises(IssuingError, match="SD-JWT"):
        issuer.revoke(record.id)
    with pytest.raises(IssuingError, match="cannot be selectively disclosable"):
        issuer.issue(profile.id, achievement.id, holder, fmt="sd-jwt", disclosable=("iss",))


@pytest.mark.parametrize("hostile", [
    "did:key:z6Mk\u202egnp.exe",                        # a bidi override
    "did:key:<script>alert(1)</script>",                # markup
    "did:web:evil.example\u200b",                       # an invisible character
    "did:key:z6Mkabc\nIssued to: the Dean",             # a second line
    "=HYPERLINK(\"https://evil.example\",\"did\")",     # a spreadsheet formula
    "did:key:z6MkBROKENKEY",                            # a DID that does not resolve
    "did:pkh:eip155:1:0x70997970c51812dc3a010c7d01b50e0d17dc79C8",   # a bad checksum
    "",
])
def test_a_hostile_recipient_is_refused_and_nothing_is_signed(issuer, club, hostile):
    profile, achievement = club
    with pytest.raises(InvalidDid):
        issuer.issue(profile.id, achievement.id, hostile)
    assert issuer.log() == []


def test_recipients_are_dids_or_addresses():
    assert recipient_did(HOLDER_ADDRESS.lower()) == f"did:pkh:eip155:1:{HOLDER_ADDRESS}"
    assert recipient_did(f"ethereum:{HOLDER_ADDRESS}") == f"did:pkh:eip155:1:{HOLDER_ADDRESS}"
    assert recipient_did(" did:example:123 ") == "did:example:123"
    assert recipient_did("did:web:school.example%3A8443:u:alice") == "did:web:school.example%3A8443:u:alice"


def _tampered(signed: bytes, index: int, value: int) -> bytes:
    """The list with entry ``index`` set to ``value`` and its proof left as it was."""
    document = json.loads(signed)
    bits = bytearray(decode_status_list(document["credentialSubject"]["encodedList"]))
    mask = 0x80 >> (index & 7)
    bits[index >> 3] = bits[index >> 3] | mask if value else bits[index >> 3] & ~mask
    document["credentialSubject"]["encodedList"] = encode_status_list(bytes(bits))
    return json.dumps(document).encode()


def test_a_tampered_status_list_fails_closed_it_never_reads_as_not_revoked(identity, issuer, club):
    profile, achievement = club
    record = issuer.issue(profile.id, achievement.id, identity.default_did().did)
    issuer.revoke(record.id)
    hosted = issuer.lists.signed(profile, "revocation")
    assert read_status(decode_status_list(json.loads(hosted)["credentialSubject"]["encodedList"]),
                       record.status_index) == 1
    lists = {profile.status_list_url("suspension"): issuer.lists.signed(profile, "suspension")}

    def verify_with(revocation: bytes):      # a verifier elsewhere, fetching the hosted lists
        served = {**lists, profile.status_list_url("revocation"): revocation}
        return check(record.content, VerificationContext(fetch_status_list=served.get)).verdict

    assert verify_with(hosted).reason == Reason.REVOKED
    forged = verify_with(_tampered(hosted, record.status_index, 0))     # the bit flipped back
    assert not forged.valid and forged.reason == Reason.STATUS_INVALID
    # Re-signed with a key that is not the profile's, still naming the profile's key.
    stranger = Issuer(identity).profiles.create("Stranger")
    document = json.loads(_tampered(hosted, record.status_index, 0))
    document.pop("proof")
    resigned = data_integrity.sign(document, Issuer(identity).profiles.signing_key(stranger),
                                   profile.verification_method)
    forged = verify_with(json.dumps(resigned).encode())
    assert not forged.valid and forged.reason == Reason.STATUS_INVALID


def test_revoking_a_credential_of_another_profile_is_refused_and_changes_nothing(identity, issuer, club):
    profile, achievement = club
    other = issuer.profiles.create("Other School", url="https://other.example")
    record = issuer.issue(profile.id, achievement.id, identity.default_did().did)
    before = {(p.id, purpose): issuer.lists.signed(p, purpose)
              for p in (profile, other) for purpose in ("revocation", "suspension")
              if p is profile or issuer.store.query_one("SELECT 1 FROM issuer_status_lists WHERE profile_id = ?",
                                                        (p.id,))}
    for action in (issuer.revoke, issuer.suspend):
        with pytest.raises(IssuingError, match="was issued by the profile 'Code Club', not 'Other School'"):
            action(record.id, profile="Other School")
    after = {key: issuer.lists.signed(issuer.profiles.get(key[0]), key[1]) for key in before}
    assert after == before and issuer.get(record.id).status == "active"
    assert offline(identity).check(record.content).verdict.valid
    with pytest.raises(NotFound):
        issuer.revoke("urn:uuid:00000000-0000-0000-0000-000000000000")


def test_the_log_searches_filters_and_records_anchoring(identity, issuer, club):
    profile, achievement = club
    first = issuer.issue(profile.id, achievement.id, identity.default_did().did, options=IssueOptions(note="cohort 7"))
    second = issuer.issue(profile.id, achievement.id, HOLDER_ADDRESS, fmt="sd-jwt")
    assert [r.id for r in issuer.log()] == [second.id, first.id]
    assert [r.id for r in issuer.log("cohort 7")] == [first.id]
    assert [r.id for r in issuer.log("0x7099")] == [second.id]
    assert issuer.log("100%_") == []                                  # LIKE wildcards are literal
    issuer.revoke(first.id)
    assert [r.id for r in issuer.log(status="revoked")] == [first.id]
    anchored = issuer.mark_anchored(second.id, chain_id=31337, tx_hash="0x" + "ab" * 32, token_id=7)
    assert anchored.anchored and anchored.to_json()["anchored"] and not issuer.get(first.id).anchored


def test_validity_dates_and_fields_are_checked_before_signing(issuer, club):
    profile, achievement = club
    now = datetime.now(timezone.utc)
    with pytest.raises(IssuingError, match="expire before"):
        issuer.issue(profile.id, achievement.id, HOLDER_ADDRESS,
                     options=IssueOptions(valid_from=now, valid_until=now - timedelta(days=1)))
    with pytest.raises(IssuingError, match="https"):
        issuer.issue(profile.id, achievement.id, HOLDER_ADDRESS,
                     options=IssueOptions(evidence=(Evidence(url="javascript:alert(1)"),)))
    with pytest.raises(IssuingError, match="Unknown format"):
        issuer.issue(profile.id, achievement.id, HOLDER_ADDRESS, fmt="jwt")
    with pytest.raises(IssuingError, match="achievement type"):
        issuer.profiles.add_achievement(profile.id, "X", achievement_type="<b>Badge</b>")
    with pytest.raises(IssuingError, match="targetUrl"):
        issuer.profiles.add_achievement(profile.id, "Y", alignment=[{"targetName": "Git"}])
    assert issuer.log() == []


def test_online_verification_never_fetches_the_vaults_own_lists(identity, issuer, club):
    profile, achievement = club
    record = issuer.issue(profile.id, achievement.id, identity.default_did().did)
    issuer.revoke(record.id)
    fetched = []

    def fetcher(url):
        fetched.append(url)
        raise AssertionError("fetched")

    context = verification_context(store=identity.store, network=NetworkUse(), fetcher=fetcher)
    verdict = check(record.content, context).verdict
    assert verdict.reason == Reason.REVOKED and fetched == []


def test_profile_texts_refuse_invisible_and_control_characters(issuer):
    for name in ("Harvard\u202e", "Code\u200bClub", "Two\nlines", "Tab\x1b[31m"):
        with pytest.raises(IssuingError, match="U\\+"):
            issuer.profiles.create(name)
    profile = issuer.profiles.create("Code Club", description="Evenings.\nWeekends too.")
    with pytest.raises(IssuingError, match="U\\+202E"):
        issuer.profiles.add_achievement(profile.id, "First PR", criteria="merged \u202e")
    web = issuer.profiles.create("Uni", method="web", web="uni.example")
    assert web.status_list_url("revocation") == "https://uni.example/status/revocation.json"


def test_a_verifier_whose_clock_is_behind_still_reads_new_credentials_and_lists(identity, issuer, club, tmp_path):
    profile, achievement = club
    exported = issuer.lists.export(profile, tmp_path / "lists")        # before anything was issued
    assert [url for _, url in exported] == [profile.status_list_url(p) for p in ("revocation", "suspension")]
    fresh = issuer.issue(profile.id, achievement.id, identity.default_did().did)
    revoked = issuer.issue(profile.id, achievement.id, identity.default_did().did)
    issuer.revoke(revoked.id)
    lists = {profile.status_list_url(p): issuer.lists.signed(profile, p) for p in ("revocation", "suspension")}
    behind = datetime.now(timezone.utc) - timedelta(minutes=10)
    if behind.date() != datetime.now(timezone.utc).date():
        pytest.skip("just after midnight UTC, ten minutes behind is another day")
    context = VerificationContext(fetch_status_list=lists.get, now=behind)
    assert check(fresh.content, context).verdict.valid
    assert check(revoked.content, context).verdict.reason == Reason.REVOKED


def test_a_note_or_evidence_with_bidi_or_control_characters_is_refused_before_signing(issuer, club):
    profile, achievement = club
    for options in (IssueOptions(note="Passed \u202eliaF"), IssueOptions(evidence=(Evidence(name="PR\u2066x"),)),
                    IssueOptions(evidence=(Evidence(narrative="\x1b[2Jcleared"),))):
        with pytest.raises(IssuingError, match="U\\+"):
            issuer.issue(profile.id, achievement.id, HOLDER_ADDRESS, options=options)
    assert issuer.log() == []
    record = issuer.issue(profile.id, achievement.id, HOLDER_ADDRESS,
                          options=IssueOptions(note="Two lines:\nfine", evidence=(Evidence(name="مشروع"),)))
    assert json.loads(record.content)["evidence"][0]["name"] == "مشروع"
