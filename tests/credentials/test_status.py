"""Bitstring Status List: the 1EdTech, DCC and W3C fixtures, plus made-up lists."""

import copy
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vault.credentials.status import (
    MIN_LIST_BITS, StatusWarning, check_status, decode_status_list, encode_status_list,
    read_status, status_entries, status_list_credential,
)
from vault.credentials.verdict import CredentialFailure, Reason, WarningCode

FIXTURES = Path(__file__).parents[1] / "fixtures" / "credentials"
OB30 = FIXTURES / "ob30"
STATUS = FIXTURES / "status"
DCC_LISTS = STATUS / "dcc" / "statusLists"
DCC_CREDENTIALS = STATUS / "dcc" / "credentials"
NOW = datetime(2025, 11, 21, 12, 0, tzinfo=timezone.utc)
DCC_FIXTURE_URLS = ("https://digitalcredentials.github.io/vc-test-fixtures/statusLists/"
                    "didkey-ed25519Signature2020/")
VERIFIER_CORE_URL = ("https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/"
                     "heads/main/src/test-fixtures/status/e5WK8CbZ1GjycuPombrj")
OB30_TESTLIST_URL = ("https://raw.githubusercontent.com/1EdTech/digital-credentials-public-"
                     "validator/refs/heads/main/inspector-vc/src/test/resources/ob30/"
                     "bit-string-list/testlist")


def load(path: Path) -> dict:
    return json.loads(path.read_bytes())


def mapped_fetch(mapping: dict[str, Path | bytes]):
    """A fetch that serves a fixed URL -> file (or bytes) map, and records its calls."""
    calls = []

    def fetch(url):
        calls.append(url)
        item = mapping.get(url)
        if item is None:
            return None
        return item if isinstance(item, bytes) else item.read_bytes()

    fetch.calls = calls
    return fetch


def dcc_fetch():
    mapping = {DCC_FIXTURE_URLS + p.name: p for p in DCC_LISTS.iterdir()}
    mapping[VERIFIER_CORE_URL] = DCC_LISTS / "e5WK8CbZ1GjycuPombrj"
    return mapped_fetch(mapping)


def accept(_raw: bytes) -> None:
    """verify_list stand-in: the proofs are checked by the Data Integrity verifier."""


def codes(result):
    return [w.code for w in result.warnings]


def credential_with_status(url="https://issuer.example/status/1", index="5",
                           purpose="revocation", issuer="did:example:issuer", **extra):
    entry = {"id": f"{url}#{index}", "type": "BitstringStatusListEntry",
             "statusPurpose": purpose, "statusListIndex": index,
             "statusListCredential": url, **extra}
    return {"@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"], "issuer": issuer,
            "credentialSubject": {"id": "did:example:holder"}, "credentialStatus": entry}


def list_bytes(bits=(), length=MIN_LIST_BITS, purpose="revocation",
               issuer="did:example:issuer", url="https://issuer.example/status/1", **kw) -> bytes:
    document = status_list_credential(id=url, issuer=issuer, purpose=purpose,
                                      encoded_list=encode_status_list(set(bits), length), **kw)
    return json.dumps(document).encode()


# ----------------------------------------------------------------------- fixtures

def test_ob30_testlist_bit_23_revokes_the_1edtech_credential():
    credential = load(OB30 / "bit-string-list" / "credential-status-revoked.json")
    fetch = mapped_fetch({OB30_TESTLIST_URL: OB30 / "bit-string-list" / "testlist"})
    result = check_status(credential, fetch=fetch, verify_list=accept, now=NOW)
    assert result.revoked and not result.suspended and result.checked
    assert result.warnings == []        # same issuer, 131,072 bits
    [entry] = result.entries
    assert entry.entry.index == 23 and entry.value == 1 and entry.set
    assert entry.list_issuer == "https://1edtech.edu/issuers/565049"
    assert fetch.calls == [OB30_TESTLIST_URL]


def test_ob30_blank_node_variant_is_revoked_too():
    credential = load(OB30 / "bit-string-list" / "credential-status-revoked-blank-nodes.json")
    fetch = mapped_fetch({OB30_TESTLIST_URL: OB30 / "bit-string-list" / "testlist"})
    assert check_status(credential, fetch=fetch, verify_list=accept, now=NOW).revoked


def test_ob30_testlist_decodes_to_131072_bits_with_only_bit_23():
    bits = decode_status_list(load(OB30 / "bit-string-list" / "testlist")
                              ["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == MIN_LIST_BITS
    assert [i for i in range(len(bits) * 8) if read_status(bits, i)] == [23]


@pytest.mark.parametrize("name,revoked", [
    ("twoOIDF-validStatus-expired.json", False),             # index 7
    ("twoOIDF-revoked-notExpired-badSchema.json", True),      # index 8
    ("noRegistry-revokedStatus-noExpiry.json", True),
    ("noRegistry-revokedStatus-notExpired.json", True),
])
def test_dcc_lists_index_8_revoked_index_7_not(name, revoked):
    result = check_status(load(DCC_CREDENTIALS / name), fetch=dcc_fetch(), verify_list=accept,
                          now=NOW)
    assert result.checked and result.revoked is revoked
    # 100,000-bit lists are read, with a warning; their issuer is not the badge issuer.
    assert StatusWarning.SHORT_LIST in codes(result)
    assert StatusWarning.ISSUER_MISMATCH in codes(result)
    assert "100,000" in next(w.message for w in result.warnings
                             if w.code is StatusWarning.SHORT_LIST)


def test_dcc_list_bits_are_2_6_8():
    bits = decode_status_list(load(DCC_LISTS / "e5WK8CbZ1GjycuPombrj")
                              ["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == 100_000
    assert [i for i in range(100_000) if read_status(bits, i)] == [2, 6, 8]


@pytest.mark.parametrize("name,words", [
    ("legacy-expiredStatus-noExpiry.json", "expired"),
    ("legacy-notYetValidStatus-noExpiry.json", "not valid until"),
    ("legacy-missingTypeStatus-noExpiry.json", "not a status list credential"),
    ("legacy-tamperedStatus-noExpiry.json", "cannot be decoded"),
])
def test_dcc_bad_lists_are_status_invalid(name, words):
    with pytest.raises(CredentialFailure) as failure:
        check_status(load(DCC_CREDENTIALS / name), fetch=dcc_fetch(), verify_list=accept, now=NOW)
    assert failure.value.reason is Reason.STATUS_INVALID
    assert words in failure.value.message


def test_dcc_list_issuer_matches_its_own_credentials_without_warning():
    # legacy-* credentials are issued by the list's own issuer: no mismatch warning.
    credential = load(DCC_CREDENTIALS / "legacy-expiredStatus-noExpiry.json")
    credential["credentialStatus"]["statusListCredential"] = VERIFIER_CORE_URL
    result = check_status(credential, fetch=dcc_fetch(), verify_list=accept, now=NOW)
    assert not result.revoked
    assert codes(result) == [StatusWarning.SHORT_LIST]


def test_w3c_spec_list_is_131072_zero_bits():
    document = load(STATUS / "w3c-spec-examples" / "status-list-credential.json")
    bits = decode_status_list(document["credentialSubject"]["encodedList"])
    assert len(bits) == MIN_LIST_BITS // 8 and not any(bits)
    credential = load(STATUS / "w3c-spec-examples" / "revocable-credential.json")
    fetch = mapped_fetch({"https://example.com/credentials/status/3":
                          STATUS / "w3c-spec-examples" / "status-list-credential.json"})
    result = check_status(credential, fetch=fetch, verify_list=accept, now=NOW)
    assert result.checked and not result.revoked and result.warnings == []
    assert result.entries[0].entry.index == 94567 and result.entries[0].value == 0


def test_w3c_two_entries_one_list_missing_offline():
    credential = load(STATUS / "w3c-spec-examples" /
                      "credential-revocation-and-suspension-entries.json")
    fetch = mapped_fetch({"https://example.com/credentials/status/3":
                          STATUS / "w3c-spec-examples" / "status-list-credential.json"})
    result = check_status(credential, fetch=fetch, verify_list=accept, now=NOW)
    assert not result.checked and not result.revoked and not result.suspended
    assert [e.checked for e in result.entries] == [True, False]
    assert codes(result) == [WarningCode.STATUS_UNCHECKED]
    assert "https://example.com/credentials/status/4" in result.warnings[0].message


# -------------------------------------------------------------------- offline / cache

def test_unreachable_list_is_unchecked_with_a_warning():
    credential = load(OB30 / "bit-string-list" / "credential-status-revoked.json")
    result = check_status(credential, fetch=lambda url: None, verify_list=accept, now=NOW)
    assert result.checked is False and result.revoked is False
    assert codes(result) == [WarningCode.STATUS_UNCHECKED]
    assert result.to_json()["warnings"][0]["code"] == "status-unchecked"


def test_fetch_oserror_counts_as_offline():
    def fetch(url):
        raise ConnectionError("no network")
    result = check_status(credential_with_status(), fetch=fetch, verify_list=accept, now=NOW)
    assert not result.checked and codes(result) == [WarningCode.STATUS_UNCHECKED]


def test_unsupported_status_type_is_a_warning_not_a_failure():
    credential = load(OB30 / "credential-status-revoked.json")       # 1EdTechRevocationList
    result = check_status(credential, fetch=mapped_fetch({}), verify_list=accept, now=NOW)
    assert not result.checked and not result.revoked
    assert codes(result) == [WarningCode.STATUS_UNCHECKED]
    assert "1EdTechRevocationList" in result.warnings[0].message


def test_no_status_is_checked_and_clean():
    result = check_status({"type": ["VerifiableCredential"]}, fetch=mapped_fetch({}),
                          verify_list=accept, now=NOW)
    assert result.checked and not result.revoked and result.entries == [] == result.warnings


def test_one_fetch_and_one_signature_check_per_list():
    url = "https://issuer.example/status/1"
    credential = credential_with_status(url)
    second = dict(credential["credentialStatus"], statusListIndex="6", statusPurpose="suspension")
    credential["credentialStatus"] = [credential["credentialStatus"], second]
    verified = []
    raw = list_bytes({6}, purpose=["revocation", "suspension"])
    fetch = mapped_fetch({url: raw})
    result = check_status(credential, fetch=fetch, verify_list=verified.append, now=NOW)
    assert fetch.calls == [url] and verified == [raw]
    assert not result.revoked and result.suspended


# -------------------------------------------------------------------- bad lists

def test_bad_signature_is_status_invalid():
    def reject(_raw):
        raise CredentialFailure(Reason.BAD_SIGNATURE, "The signature does not verify.")
    fetch = mapped_fetch({"https://issuer.example/status/1": list_bytes()})
    with pytest.raises(CredentialFailure) as failure:
        check_status(credential_with_status(), fetch=fetch, verify_list=reject, now=NOW)
    assert failure.value.reason is Reason.STATUS_INVALID
    assert "signature does not verify" in failure.value.message


@pytest.mark.parametrize("reason", [Reason.UNKNOWN_KEY, Reason.UNKNOWN_CONTEXT,
                                    Reason.UNSUPPORTED_CRYPTOSUITE])
def test_list_that_cannot_be_verified_offline_is_unchecked(reason):
    def cannot(_raw):
        raise CredentialFailure(reason, "The key did:web:issuer.example#1 is not cached.")
    fetch = mapped_fetch({"https://issuer.example/status/1": list_bytes({5})})
    result = check_status(credential_with_status(), fetch=fetch, verify_list=cannot, now=NOW)
    assert not result.checked and not result.revoked         # its bits are not trusted
    assert codes(result) == [WarningCode.STATUS_UNCHECKED]
    assert "not cached" in result.warnings[0].message


@pytest.mark.parametrize("reason", [Reason.NO_PROOF, Reason.WRONG_KEY, Reason.TAMPERED,
                                    Reason.MALFORMED])
def test_list_with_a_bad_or_missing_proof_is_status_invalid(reason):
    def reject(_raw):
        raise CredentialFailure(reason, "Nope.")
    fetch = mapped_fetch({"https://issuer.example/status/1": list_bytes()})
    with pytest.raises(CredentialFailure) as failure:
        check_status(credential_with_status(), fetch=fetch, verify_list=reject, now=NOW)
    assert failure.value.reason is Reason.STATUS_INVALID


def test_purpose_mismatch_is_status_invalid():
    fetch = mapped_fetch({"https://issuer.example/status/1": list_bytes(purpose="suspension")})
    with pytest.raises(CredentialFailure) as failure:
        check_status(credential_with_status(), fetch=fetch, verify_list=accept, now=NOW)
    assert failure.value.reason is Reason.STATUS_INVALID and "suspension" in failure.value.message


def test_index_beyond_the_list_is_status_invalid():
    fetch = mapped_fetch({"https://issuer.example/status/1": list_bytes()})
    with pytest.raises(CredentialFailure) as failure:
        check_status(credential_with_status(index=str(MIN_LIST_BITS)), fetch=fetch,
                     verify_list=accept, now=NOW)
    assert failure.value.reason is Reason.STATUS_INVALID and "outside" in failure.value.message


@pytest.mark.parametrize("raw", [b"not json", b"\xff\xfe", b"[1, 2]", b"{",
                                 b"a.b.c", json.dumps({"type": "VerifiableCredential"}).encode()])
def test_garbage_list_is_status_invalid(raw):
    fetch = mapped_fetch({"https://issuer.example/status/1": raw})
    with pytest.raises(CredentialFailure) as failure:
        check_status(credential_with_status(), fetch=fetch, verify_list=accept, now=NOW)
    assert failure.value.reason is Reason.STATUS_INVALID


@pytest.mark.parametrize("change", [
    lambda d: d["credentialSubject"].update(encodedList="uH4sIAAAAAAAA"),       # truncated gzip
    lambda d: d["credentialSubject"].update(encodedList="u" + "A" * 40),        # not gzip
    lambda d: d["credentialSubject"].update(encodedList=42),
    lambda d: d["credentialSubject"].pop("statusPurpose"),
    lambda d: d["credentialSubject"].update(type="SomethingElse"),
    lambda d: d.update(validUntil="not a date"),
    lambda d: d.update(expirationDate="2020-01-01T00:00:00Z"),                  # VC 1.1 name
    lambda d: d.update(issuanceDate="2999-01-01T00:00:00Z"),
    lambda d: d.update(credentialSubject=[]),
])
def test_damaged_list_is_status_invalid(change):
    document = json.loads(list_bytes())
    change(document)
    fetch = mapped_fetch({"https://issuer.example/status/1": json.dumps(document).encode()})
    with pytest.raises(CredentialFailure) as failure:
        check_status(credential_with_status(), fetch=fetch, verify_list=accept, now=NOW)
    assert failure.value.reason is Reason.STATUS_INVALID


@pytest.mark.parametrize("entry_change", [
    {"statusListIndex": "-1"}, {"statusListIndex": "12a"}, {"statusListIndex": 1.5},
    {"statusListIndex": True}, {"statusListIndex": None}, {"statusListCredential": ""},
    {"statusPurpose": None}, {"statusSize": 0},
])
def test_malformed_entry_is_status_invalid(entry_change):
    credential = credential_with_status()
    credential["credentialStatus"].update(entry_change)
    with pytest.raises(CredentialFailure) as failure:
        check_status(credential, fetch=mapped_fetch({}), verify_list=accept, now=NOW)
    assert failure.value.reason is Reason.STATUS_INVALID


def test_zip_bomb_is_refused():
    import base64
    import gzip
    bomb = gzip.compress(bytes(64 * 1024 * 1024), mtime=0)     # 64 MiB of zeros, ~64 kB
    encoded = "u" + base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()
    with pytest.raises(ValueError, match="expands beyond"):
        decode_status_list(encoded)


# -------------------------------------------------------------------- features

def test_integer_and_string_indexes_and_legacy_names():
    url = "https://issuer.example/status/legacy"
    document = status_list_credential(id=url, issuer={"id": "did:example:issuer"},
                                      encoded_list=encode_status_list({5}), legacy=True,
                                      valid_from=NOW - timedelta(days=1),
                                      valid_until=NOW + timedelta(days=1))
    # StatusList2021 published plain base64url (no multibase prefix).
    document["credentialSubject"]["encodedList"] = \
        document["credentialSubject"]["encodedList"][1:]
    assert document["type"][-1] == "StatusList2021Credential"
    for index in (5, "5"):
        credential = credential_with_status(url, index=index)
        credential["credentialStatus"]["type"] = "StatusList2021Entry"
        fetch = mapped_fetch({url: json.dumps(document).encode()})
        result = check_status(credential, fetch=fetch, verify_list=accept, now=NOW)
        assert result.revoked and result.warnings == []


def test_issuer_mismatch_is_a_warning():
    fetch = mapped_fetch({"https://issuer.example/status/1":
                          list_bytes({5}, issuer="did:example:someone-else")})
    result = check_status(credential_with_status(), fetch=fetch, verify_list=accept, now=NOW)
    assert result.revoked and codes(result) == [StatusWarning.ISSUER_MISMATCH]
    assert result.warnings[0].to_json()["code"] == "status-issuer-mismatch"


def test_suspension_and_message_purposes():
    url = "https://issuer.example/status/msg"
    suspended = check_status(
        credential_with_status(purpose="suspension"),
        fetch=mapped_fetch({"https://issuer.example/status/1": list_bytes({5}, purpose="suspension")}),
        verify_list=accept, now=NOW)
    assert suspended.suspended and not suspended.revoked

    # A 2-bit message status: entry 5 is bits 10-11; set bit 11 -> value 0b01.
    messages = [{"status": "0x0", "message": "pending"}, {"status": "0x1", "message": "accepted"},
                {"status": "0x2", "message": "rejected"}]
    credential = credential_with_status(url, purpose="message", statusSize=2,
                                        statusMessage=messages)
    fetch = mapped_fetch({url: list_bytes({11}, purpose="message", url=url)})
    result = check_status(credential, fetch=fetch, verify_list=accept, now=NOW)
    assert not result.revoked and not result.suspended and result.checked
    assert result.entries[0].value == 1 and result.entries[0].message == "accepted"
    assert result.messages == ["accepted"]
    assert codes(result) == [StatusWarning.STATUS_MESSAGE]


def test_list_validity_window_is_checked_against_now():
    raw = list_bytes(valid_from=NOW - timedelta(days=2), valid_until=NOW - timedelta(days=1))
    fetch = mapped_fetch({"https://issuer.example/status/1": raw})
    with pytest.raises(CredentialFailure, match="expired"):
        check_status(credential_with_status(), fetch=fetch, verify_list=accept, now=NOW)
    earlier = check_status(credential_with_status(), fetch=fetch, verify_list=accept,
                           now=NOW - timedelta(days=1, hours=12))
    assert earlier.checked and earlier.entries[0].list_valid_until == NOW - timedelta(days=1)


def test_list_secured_as_a_jwt_is_read_after_verify_list():
    import base64
    document = json.loads(list_bytes({5}))
    payload = base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=")
    jwt = b"eyJhbGciOiJFZERTQSJ9." + payload + b".c2ln"
    fetch = mapped_fetch({"https://issuer.example/status/1": jwt})
    seen = []
    result = check_status(credential_with_status(), fetch=fetch, verify_list=seen.append, now=NOW)
    assert result.revoked and seen == [jwt]


def test_status_entries_lists_urls_to_cache():
    credential = load(STATUS / "w3c-spec-examples" /
                      "credential-revocation-and-suspension-entries.json")
    assert [(e.purpose, e.index, e.list_url) for e in status_entries(credential)] == [
        ("revocation", 94567, "https://example.com/credentials/status/3"),
        ("suspension", 23452, "https://example.com/credentials/status/4")]


# -------------------------------------------------------------------- encoder

def test_encode_decode_round_trip_and_bit_order():
    encoded = encode_status_list({0, 9, MIN_LIST_BITS - 1})
    assert encoded.startswith("uH4sI") and encode_status_list({0, 9, MIN_LIST_BITS - 1}) == encoded
    bits = decode_status_list(encoded)
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01     # bit 0 = left-most
    assert decode_status_list(encode_status_list(bits)) == bits


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(0, 4095)), st.integers(1, 8).map(lambda n: n * 512))
def test_round_trip_property(positions, length):
    positions = {p for p in positions if p < length}
    bits = decode_status_list(encode_status_list(positions, length))
    assert len(bits) * 8 == length
    assert {i for i in range(length) if read_status(bits, i)} == positions


@pytest.mark.parametrize("bad", [{-1}, {MIN_LIST_BITS}, {True}])
def test_encoder_refuses_bad_positions(bad):
    with pytest.raises((ValueError, TypeError)):
        encode_status_list(bad)


def test_read_status_multi_bit():
    bits = bytes([0b10110000])
    assert [read_status(bits, i, 2) for i in range(4)] == [0b10, 0b11, 0, 0]
    with pytest.raises(IndexError):
        read_status(bits, 4, 2)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_decode_never_raises_anything_but_valueerror(text):
    try:
        decode_status_list(text)
    except ValueError:
        pass


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["type", "statusPurpose", "statusListIndex",
                                        "statusListCredential", "statusSize", "statusMessage"]),
                       st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6),
                                 st.text(max_size=12), st.lists(st.text(max_size=5), max_size=3))))
def test_random_entries_give_a_result_or_status_invalid(entry):
    entry = copy.deepcopy(entry)
    entry.setdefault("type", "BitstringStatusListEntry")
    credential = {"issuer": "did:example:issuer", "credentialStatus": entry}
    raw = list_bytes({1, 2, 3}, length=4096)
    try:
        check_status(credential, fetch=lambda url: raw, verify_list=accept, now=NOW)
    except CredentialFailure as failure:
        assert failure.reason is Reason.STATUS_INVALID
