"""The status line tells the truth: checked and not revoked (with the saved copy's day),
revoked / suspended, or not checked with the reason; never "genuine and current" when
the status was not checked. Every list here is a real list credential signed with
eddsa-rdfc-2022 and verified by the vault's own credential verifier; only the fetch is
injected (a URL -> bytes map: the network edge)."""

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.presentations.vp_fixtures import ISSUER, ISSUER_KEY, ISSUER_METHOD, STRANGER, STRANGER_KEY
from vault.credentials import data_integrity, status
from vault.credentials.cache import VerificationCache
from vault.credentials.service import CredentialService, verification_context
from vault.credentials.verdict import Reason, StatusState
from vault.credentials.verify import VerificationContext, check

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
URL = "https://issuer.example/status/1"
SUSPEND_URL = "https://issuer.example/status/2"
VC1 = "https://www.w3.org/2018/credentials/v1"
VC2 = "https://www.w3.org/ns/credentials/v2"
DI = "https://w3id.org/security/data-integrity/v2"
SL2021 = "https://w3id.org/vc/status-list/2021/v1"
RL2020 = "https://w3id.org/vc-revocation-list-2020/v1"
FAMILIES = ("bitstring", "statuslist2021", "revocationlist2020")
DCC = Path(__file__).parents[1] / "fixtures" / "credentials" / "status" / "dcc"
OB30 = Path(__file__).parents[1] / "fixtures" / "credentials" / "ob30"
DCC_LIST = DCC / "statusLists" / "e5WK8CbZ1GjycuPombrj"
DCC_URLS = ("https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/"
            "e5WK8CbZ1GjycuPombrj",
            "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/src/"
            "test-fixtures/status/e5WK8CbZ1GjycuPombrj")


def sign(document: dict, key=ISSUER_KEY, method=ISSUER_METHOD) -> dict:
    return data_integrity.sign(document, key, method, cryptosuite="eddsa-rdfc-2022", created="2025-01-01T00:00:00Z")


def signed_list(family: str, bits=(), *, url=URL, purpose="revocation", issuer=ISSUER, key=ISSUER_KEY,
                method=ISSUER_METHOD) -> bytes:
    """A list credential of ``family`` with ``bits`` set, signed by ``key``."""
    encoded = status.encode_status_list(set(bits))
    if family == "bitstring":
        document = status.status_list_credential(id=url, issuer=issuer, encoded_list=encoded, purpose=purpose,
                                                 valid_from="2025-01-01T00:00:00Z")
    elif family == "statuslist2021":
        document = status.status_list_credential(id=url, issuer=issuer, encoded_list=encoded, purpose=purpose,
                                                 valid_from="2025-01-01T00:00:00Z", legacy=True)
        document["@context"].append(DI)
    else:   # RevocationList2020: plain base64url, no purpose
        document = {"@context": [VC1, RL2020, DI], "id": url,
                    "type": ["VerifiableCredential", "RevocationList2020Credential"], "issuer": issuer,
                    "issuanceDate": "2025-01-01T00:00:00Z",
                    "credentialSubject": {"id": f"{url}#list", "type": "RevocationList2020",
                                          "encodedList": encoded[1:]}}
    return json.dumps(sign(document, key, method)).encode()


def entry(family: str, index: int, *, url=URL, purpose="revocation", **extra) -> dict:
    if family == "revocationlist2020":
        return {"id": f"{url}#{index}", "type": "RevocationList2020Status", "revocationListIndex": str(index),
                "revocationListCredential": url}
    kind = "BitstringStatusListEntry" if family == "bitstring" else "StatusList2021Entry"
    return {"id": f"{url}#{index}", "type": kind, "statusPurpose": purpose, "statusListIndex": str(index),
            "statusListCredential": url, **extra}


def credential(family: str, entries) -> bytes:
    contexts = {"bitstring": [VC2], "statuslist2021": [VC1, SL2021, DI], "revocationlist2020": [VC1, RL2020, DI]}
    document = {"@context": contexts[family], "type": ["VerifiableCredential"], "issuer": ISSUER,
                "credentialSubject": {"id": "did:example:holder"}, "credentialStatus": entries}
    document["validFrom" if family == "bitstring" else "issuanceDate"] = "2025-01-01T00:00:00Z"
    return json.dumps(sign(document)).encode()


def verify(data: bytes, lists: dict[str, bytes] | None = None, now=NOW):
    fetched = []

    def fetch(url):
        fetched.append(url)
        return (lists or {}).get(url)
    checked = check(data, VerificationContext(fetch_status_list=fetch, now=now))
    checked.fetched = fetched
    return checked.verdict


def never_current(verdict) -> None:
    """A status that was not checked never reads as genuine and current."""
    assert verdict.status is not None
    if verdict.status.state is StatusState.UNCHECKED:
        assert "current" not in verdict.message and "not checked" in verdict.message
        assert verdict.status.message.startswith("Status not checked: ") and verdict.status.reason


# ---- the three lines, for each family ---------------------------------------------------

@pytest.mark.parametrize("family", FAMILIES)
def test_checked_and_not_revoked(family):
    verdict = verify(credential(family, entry(family, 5)), {URL: signed_list(family, {4, 6})})
    assert verdict.valid and verdict.message == "The credential is genuine and current."
    assert verdict.status.state is StatusState.CHECKED
    assert verdict.status.message == "Status checked: not revoked."
    assert verdict.to_json()["status"] == {"state": "checked", "message": "Status checked: not revoked."}


@pytest.mark.parametrize("family", FAMILIES)
def test_revoked(family):
    verdict = verify(credential(family, entry(family, 5)), {URL: signed_list(family, {5})})
    assert not verdict.valid and verdict.reason is Reason.REVOKED
    assert verdict.status.state is StatusState.REVOKED and verdict.status.message.startswith("Revoked")
    assert verdict.to_json()["status"]["state"] == "revoked"


@pytest.mark.parametrize("family", FAMILIES)
def test_offline_is_not_checked_with_the_reason(family):
    verdict = verify(credential(family, entry(family, 5)))        # nothing can be fetched
    assert verdict.valid and verdict.reason is Reason.VALID
    never_current(verdict)
    assert verdict.status.state is StatusState.UNCHECKED
    assert "could not be fetched (offline?)" in verdict.status.reason and URL in verdict.status.reason


def test_suspension_and_both_purposes():
    both = [entry("bitstring", 5), entry("bitstring", 7, url=SUSPEND_URL, purpose="suspension")]
    lists = {URL: signed_list("bitstring", {4}),
             SUSPEND_URL: signed_list("bitstring", {7}, url=SUSPEND_URL, purpose="suspension")}
    verdict = verify(credential("bitstring", both), lists)
    assert not verdict.valid and verdict.reason is Reason.SUSPENDED
    assert verdict.status.state is StatusState.SUSPENDED and "suspended" in verdict.status.message

    lists[SUSPEND_URL] = signed_list("bitstring", set(), url=SUSPEND_URL, purpose="suspension")
    verdict = verify(credential("bitstring", both), lists)
    assert verdict.valid and verdict.status.message == "Status checked: not revoked or suspended."

    lists[URL] = signed_list("bitstring", {5})                    # revoked and not suspended
    assert verify(credential("bitstring", both), lists).status.state is StatusState.REVOKED


def test_one_list_unreachable_is_not_checked_even_when_the_other_says_not_revoked():
    both = [entry("bitstring", 5), entry("bitstring", 7, url=SUSPEND_URL, purpose="suspension")]
    verdict = verify(credential("bitstring", both), {URL: signed_list("bitstring")})
    assert verdict.valid and verdict.status.state is StatusState.UNCHECKED and SUSPEND_URL in verdict.status.reason
    never_current(verdict)


def test_message_purpose_is_read_and_said_without_failing():
    messages = [{"status": "0x0", "message": "pending review"}, {"status": "0x1", "message": "accepted"},
                {"status": "0x2", "message": "rejected"}]
    data = credential("bitstring", entry("bitstring", 3, purpose="message", statusSize=2, statusMessage=messages))
    verdict = verify(data, {URL: signed_list("bitstring", {3 * 2 + 1}, purpose="message")})   # value 0b01
    assert verdict.valid and verdict.status.state is StatusState.CHECKED
    assert verdict.status.message == "Status checked: its status list was read; status message: accepted."
    verdict = verify(data, {URL: signed_list("bitstring", set(), purpose="message")})        # value 0
    assert verdict.valid and verdict.status.message == "Status checked: its status list was read."


# ---- the list's own proof ----------------------------------------------------------------

def test_a_forged_list_that_hides_a_revocation_is_not_checked_and_not_valid():
    """The attack: the issuer's list revokes index 5; a copy with that bit cleared is
    served under the same signature. It must not read as checked-and-not-revoked."""
    genuine = json.loads(signed_list("bitstring", {5}))
    forged = copy.deepcopy(genuine)
    forged["credentialSubject"]["encodedList"] = status.encode_status_list(set())
    verdict = verify(credential("bitstring", entry("bitstring", 5)), {URL: json.dumps(forged).encode()})
    assert not verdict.valid and verdict.reason is Reason.STATUS_INVALID
    assert verdict.status.state is StatusState.UNCHECKED
    assert "failed verification" in verdict.status.reason and URL in verdict.status.reason


def test_an_unsigned_list_is_not_checked_and_not_valid():
    unsigned = json.loads(signed_list("bitstring"))
    unsigned.pop("proof")
    verdict = verify(credential("bitstring", entry("bitstring", 5)), {URL: json.dumps(unsigned).encode()})
    assert not verdict.valid and verdict.status.state is StatusState.UNCHECKED


def test_a_list_whose_suite_is_not_supported_is_not_checked_with_that_reason():
    document = json.loads(signed_list("bitstring"))
    document["proof"]["cryptosuite"] = "made-up-2099"
    verdict = verify(credential("bitstring", entry("bitstring", 5)), {URL: json.dumps(document).encode()})
    assert verdict.valid and verdict.status.state is StatusState.UNCHECKED
    assert "the status list's own proof could not be verified (unsupported suite)" in verdict.status.reason
    never_current(verdict)


def test_a_list_signed_by_someone_else_is_said_so_on_the_line():
    stranger = signed_list("bitstring", issuer=STRANGER, key=STRANGER_KEY,
                           method=f"{STRANGER}#{STRANGER.split(':')[-1]}")
    verdict = verify(credential("bitstring", entry("bitstring", 5)), {URL: stranger})
    assert verdict.status.state is StatusState.CHECKED
    assert "someone other than the credential's issuer" in verdict.status.message


def test_no_status_entry_is_a_line_of_its_own():
    document = json.loads(credential("bitstring", entry("bitstring", 1)))
    document.pop("credentialStatus")
    document.pop("proof")
    verdict = verify(json.dumps(sign(document)).encode())
    assert verdict.valid and verdict.message == "The credential is genuine and current."
    assert verdict.status.state is StatusState.NONE


def test_an_unknown_status_method_is_not_checked():
    document = json.loads(credential("bitstring", entry("bitstring", 1)))
    document["credentialStatus"] = {"id": "https://x.example/r/1", "type": "1EdTechRevocationList"}
    document.pop("proof")
    data = json.dumps(data_integrity.sign(document, ISSUER_KEY, ISSUER_METHOD, cryptosuite="eddsa-jcs-2022"))
    verdict = verify(data.encode())
    assert verdict.valid and verdict.status.state is StatusState.UNCHECKED
    assert "1EdTechRevocationList" in verdict.status.reason
    never_current(verdict)


# ---- the vault's saved copy --------------------------------------------------------------

def test_offline_without_a_saved_copy_is_not_checked(identity):
    data = credential("bitstring", entry("bitstring", 5))
    verdict = check(data, verification_context(store=identity.store)).verdict
    assert verdict.valid and verdict.status.state is StatusState.UNCHECKED
    assert "not checked: offline (checking status lists online is off)" in verdict.status.reason
    never_current(verdict)


def test_offline_with_a_saved_copy_is_checked_with_its_day(identity):
    VerificationCache(identity.store).put_status_list(URL, signed_list("bitstring", {9}))
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    verdict = check(credential("bitstring", entry("bitstring", 5)), verification_context(store=identity.store)).verdict
    assert verdict.valid and verdict.status.state is StatusState.CHECKED and verdict.status.checked_on == day
    assert verdict.status.message == f"Status checked on {day} (saved copy): not revoked."
    assert verdict.to_json()["status"]["checked_on"] == day

    verdict = check(credential("bitstring", entry("bitstring", 9)), verification_context(store=identity.store)).verdict
    assert verdict.reason is Reason.REVOKED and verdict.status.checked_on == day
    assert f"(status checked on {day}, saved copy)" in verdict.status.message


def test_stored_verdicts_keep_the_line(identity):
    service = CredentialService(identity.store)
    summary = service.import_bytes(credential("bitstring", entry("bitstring", 5))).summary
    stored = service.repository.verdict(summary.id)
    assert summary.status == "valid" and stored["status"]["state"] == "unchecked"
    assert service.repository.status_checks([summary.id]) == {summary.id: stored["status"]}


# ---- published fixtures: revoked, and never "genuine and current" ----------------------------

DCC_REVOKED = [("noRegsitry-revokedStatus-notExpired.json", NOW),
               ("oidf-revokedStatus-noExpiry.json", NOW),
               # VC 1.1, valid for 77 minutes on 2025-01-09: checked inside that window
               ("oidf-revokedStatus-expired.json", datetime(2025, 1, 9, 16, 0, tzinfo=timezone.utc))]


@pytest.mark.parametrize("name, now", DCC_REVOKED)
def test_dcc_revoked_credentials_read_revoked_or_not_checked(name, now):
    """Issue 15: these read "genuine and current" while their (revoking) list went
    unchecked. With their list at hand they are revoked, or, while its Ed25519Signature2020
    proof cannot be verified here, not checked for that reason: never valid and current."""
    data = (DCC / "credentials" / name).read_bytes()
    verdict = verify(data, {url: DCC_LIST.read_bytes() for url in DCC_URLS}, now=now)
    assert verdict.status is not None and verdict.status.state in (StatusState.REVOKED, StatusState.UNCHECKED)
    if verdict.status.state is StatusState.REVOKED:
        assert not verdict.valid and verdict.reason is Reason.REVOKED
    else:
        assert "the status list's own proof could not be verified (unsupported suite)" in verdict.status.reason
        never_current(verdict)

    offline = verify(data, now=now)
    assert offline.valid and offline.status.state is StatusState.UNCHECKED
    never_current(offline)


@pytest.mark.parametrize("path", [OB30 / "credential-status-revoked.json",
                                  OB30 / "bit-string-list" / "credential-status-revoked.json",
                                  OB30 / "bit-string-list" / "credential-status-revoked-blank-nodes.json"])
def test_1edtech_revoked_credentials_never_read_current(path):
    url = json.loads(path.read_bytes())["credentialStatus"].get("statusListCredential")
    verdict = verify(path.read_bytes(), {url: (OB30 / "bit-string-list" / "testlist").read_bytes()})
    assert not (verdict.valid and verdict.message == "The credential is genuine and current.")
    if verdict.valid:
        never_current(verdict)
