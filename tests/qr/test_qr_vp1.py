"""Learner Credential Wallet ``VP1-`` codes (CBOR-LD, vault.qr.cborld): codes written by
the real libraries decode to exactly the presentation they were made from, in base45 and
base32, in CBOR-LD 1.0 and the legacy format; a signed one verifies, an unsigned one is
said to be unsigned while each credential in it gets its own verdict; damaged, hostile
and foreign codes end in a clear error, fetching nothing."""

from __future__ import annotations

import base64
import json
import os
import socket
from datetime import datetime, timezone

import base45
import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.qr import vp1_codes as V
from vault.credentials.verdict import Reason
from vault.presentations import verify_presentation
from vault.qr import render, scan
from vault.qr.errors import CborldError, InvalidQr

UTC = timezone.utc
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
# challenge, domain and time each signed code was made for
SIGNED = {"signed-vc11.vpqr6-R": (V.CHALLENGE, V.DOMAIN, NOW),
          "signed-vc11.vpqr6-legacy-B": (V.CHALLENGE, V.DOMAIN, NOW),
          "signed-vc20.lcw-B": ("public-challenge-1", "verifier.example", datetime(2025, 2, 1, 10, 1, tzinfo=UTC))}
UNSIGNED = ("unsigned-vc11.vpqr6-R", "unsigned-vc20.lcw-B")


def _verify(text: str, challenge: str = V.CHALLENGE, domain: str = V.DOMAIN, now: datetime = NOW):
    return verify_presentation(scan.read_text(text).payload, challenge=challenge, domain=domain, now=now)


def _vp1(data: bytes, encoding: str = "R") -> str:
    if encoding == "R":
        return "VP1-R" + base45.b45encode(data).decode("ascii")
    return "VP1-B" + base64.b32encode(data).decode("ascii").rstrip("=")


def _cborld(payload, tag: int = 0x0501) -> bytes:
    return cbor2.dumps(cbor2.CBORTag(tag, payload))


@pytest.fixture
def offline(monkeypatch):
    """Any network use fails the test: decoding must fetch nothing."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network used while decoding: {args[:2]}")
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


# ---------------------------------------------------------------------------- real codes

@pytest.mark.parametrize("name", V.VPQR_EXAMPLES)
def test_vpqr_reference_vectors_decode_exactly(name, offline):
    decoded = scan.read_text(V.code(name))
    assert decoded.kind == "vp-json"
    assert json.loads(decoded.payload) == V.presentation("vpqr-example.json")
    verdict = verify_presentation(decoded.payload, challenge="c", domain="d.example",
                                  now=datetime(2021, 5, 1, tzinfo=UTC))          # before it expired
    assert verdict.reason is Reason.NO_PROOF
    # Its Ed25519Signature2020 proof holds where that suite is verified: decoded byte for byte.
    assert [c.reason for c in verdict.credentials] in ([Reason.VALID], [Reason.UNSUPPORTED_CRYPTOSUITE])


@pytest.mark.parametrize("name", list(V.CODES))
def test_library_codes_decode_exactly(name, offline):
    assert json.loads(scan.read_text(V.code(name)).payload) == V.presentation(V.CODES[name][0])


@pytest.mark.parametrize("name", list(SIGNED))
def test_signed_code_verifies(name):
    verdict = _verify(V.code(name), *SIGNED[name])
    assert (verdict.valid, verdict.reason) == (True, Reason.VALID), verdict.message
    assert [c.reason for c in verdict.credentials] == [Reason.VALID]


def test_signed_code_replayed_to_another_verifier_is_refused():
    verdict = _verify(V.code("signed-vc11.vpqr6-R"), challenge="a-new-challenge")
    assert (verdict.valid, verdict.reason) == (False, Reason.WRONG_CHALLENGE)


def test_code_altered_in_transit_is_refused():
    """One letter of the signed presentation changed inside the CBOR-LD (the QR's own
    error correction would not notice a code made so): the signature fails."""
    raw = base45.b45decode(V.code("signed-vc11.vpqr6-R")[5:])
    assert raw.count(b"Data Analysis") == 2          # the credential's name and its achievement's
    verdict = _verify(_vp1(raw.replace(b"Data Analysis", b"Data Analyzis", 1)))
    assert not verdict.valid and Reason.BAD_SIGNATURE in {verdict.reason, *(c.reason for c in verdict.credentials)}


@pytest.mark.parametrize("name", UNSIGNED)
def test_unsigned_code_is_said_unsigned_and_each_credential_judged(name):
    verdict = _verify(V.code(name))
    assert (verdict.valid, verdict.reason) == (False, Reason.NO_PROOF)
    assert verdict.message.startswith("This is an unsigned presentation")
    assert verdict.holder is None                      # nobody is shown as having presented it
    assert [(c.valid, c.reason) for c in verdict.credentials] == [(True, Reason.VALID),
                                                                  (False, Reason.BAD_SIGNATURE)]
    assert verdict.credentials[0].disclosed["achievement"]["name"]   # the genuine one's claims shown
    assert verdict.credentials[1].disclosed == {}                    # the altered one's are not


def test_learncard_and_dcc_codes_decode_and_their_credentials_are_judged():
    """Public base32 codes (LearnCard's test suite, a project importing DCC codes)."""
    learncard = (V.ROOT / "tests" / "qr" / "data" / "vp1-learncard.txt").read_text().strip()
    vp = json.loads(scan.read_text(learncard).payload)
    assert vp["holder"] == "did:key:z6MkvDE4XTatmwifvA8pUiVsqEHrqfVCGM4WG4nXbrJ5ijVp"
    verdict = _verify(learncard)
    assert verdict.reason is Reason.NO_PROOF and len(verdict.credentials) == 1
    dcc = (V.ROOT / "tests" / "qr" / "data" / "vp1-dcc-vpqr.txt").read_text().strip()
    verdict = _verify(dcc)
    assert verdict.reason is Reason.NO_PROOF
    assert [c.reason for c in verdict.credentials] == [Reason.NO_PROOF]   # its credential is unsigned too


def test_vp1_png_is_read_back(tmp_path):
    path = tmp_path / "lcw.png"
    path.write_bytes(render.png(V.code("signed-vc11.vpqr6-R")))
    decoded = scan.read_presentation(path)
    assert json.loads(decoded.payload) == V.presentation("signed-vc11.json")
    verdict = verify_presentation(decoded.payload, challenge=V.CHALLENGE, domain=V.DOMAIN, now=NOW)
    assert verdict.valid, verdict.message


def test_base45_code_with_spaces_read_from_a_text_file(tmp_path):
    """Base45 has a space in its alphabet (never last): the spaces inside are data."""
    text = V.code("vpqr-example.legacy-R")
    assert "  " not in text and " " in text[5:]
    file = tmp_path / "code.txt"
    file.write_text(text + "\r\n")
    assert json.loads(scan.read_presentation(file).payload) == V.presentation("vpqr-example.json")


# ---------------------------------------------------------------------------- hostile codes

@pytest.mark.parametrize("text, match", [
    ("VP1-", "neither base45"),
    ("VP1-X3ECQ", "neither base45"),
    ("VP1-R3E!Q", "base45"),                    # not in the alphabet
    ("VP1-R3ECQ", "base45"),                    # a dangling character
    ("VP1-RGGW", "base45"),                     # a group above 65535
    ("VP1-B3E!Q", "base32"),
    ("VP1-B1", "base32"),
    ("VP1-R" + "0" * 5000, "at most 4296"),
])
def test_damaged_vp1_text(text, match):
    with pytest.raises(InvalidQr, match=match):
        scan.read_text(text)


def test_truncated_code_is_refused():
    raw = base45.b45decode(V.code("signed-vc11.vpqr6-R")[5:])
    with pytest.raises(CborldError, match="not valid CBOR"):
        scan.read_text(_vp1(raw[:-40]))


@pytest.mark.parametrize("data, match", [
    (cbor2.dumps({"@context": "x"}), "not CBOR-LD"),
    (_cborld({}, tag=999), "not CBOR-LD"),
    (_cborld([100, {}], tag=0xCB1D), "registry entry 100"),
    (_cborld({0: 17}) + b"\x00", "followed by other bytes"),
    (b"\xd9\x05\x01" + b"\x81" * 2000 + b"\xa0", "nested|not valid CBOR"),
    (b"\xd9\x05\x01\xd8\x1c\x81\xd8\x1d\x00", "by reference|not valid CBOR"),      # a cycle
    (_cborld({0: 17, 2: 9998}), "term id|URL"),
    (_cborld({0: 17, 9998: "x"}), "term id 9998"),
    (_cborld({0: 99}), "context number 99"),
    (_cborld({0: {"a": "a:b", "x": "a:x"}}), "never ends expanding"),          # a compact IRI loop
    (_cborld({0: {"x": {"@id": "https://e.example/x"}}, 100: b"\x05"}), "value code"),
    (_cborld({0: {"t": {"@id": "https://e.example/t", "@type": "https://w3id.org/security#multibase"}},
              100: b"\x01\x02"}), "bytes"),
    (_cborld({0: {"u": {"@id": "https://e.example/u", "@type": "@id"}}, 100: [99, "x"]}), "compressed URL"),
    (_cborld({0: {"d": {"@id": "https://e.example/d", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"}},
              100: 10 ** 15}), "date out of range"),
])
def test_hostile_cborld_is_refused_clearly(data, match, offline):
    with pytest.raises(CborldError, match=match):
        scan.read_text(_vp1(data))


@pytest.mark.parametrize("context", ["https://evil.example/context", "http://127.0.0.1:8080/ctx"])
def test_unknown_context_is_never_fetched(context, offline):
    with pytest.raises(CborldError, match="no copy"):
        scan.read_text(_vp1(_cborld({0: context, 2: 100})))


@settings(max_examples=300, deadline=None)
@given(position=st.integers(min_value=0), byte=st.integers(min_value=0, max_value=255),
       name=st.sampled_from(list(V.CODES) + list(V.VPQR_EXAMPLES)))
def test_a_garbled_code_ends_in_a_result_or_a_clear_error(position, byte, name):
    text = V.code(name)
    raw = bytearray(base45.b45decode(text[5:]) if text[4] == "R" else
                    base64.b32decode(text[5:] + "=" * (-len(text[5:]) % 8)))
    raw[position % len(raw)] = byte
    try:
        decoded = scan.read_text(_vp1(bytes(raw)))
    except InvalidQr:
        return
    assert isinstance(json.loads(decoded.payload), dict)


# ---------------------------------------------------------------------------- the libraries

def require_vpqr() -> None:
    """Skip without Node and the vpqr packages, except in CI (CI=true), where it fails."""
    if V.node_available():
        return
    reason = "node and tests/node/node_modules (@digitalbazaar/vpqr, @digitalcredentials/vpqr) are needed"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (CI=true: the VP1 interop tests must run)", pytrace=False)
    pytest.skip(reason + ": npm ci --prefix tests/node")


def test_libraries_still_write_the_vendored_codes():
    require_vpqr()
    for name, (source, library, fmt, encoding) in V.CODES.items():
        [made] = V.node_codes(V.presentation(source), [{"library": library, "format": fmt, "encoding": encoding}])
        assert made.get("payload") == V.code(name), name
    specs = [{"library": "vpqr", "format": "cbor-ld-1.0", "encoding": "R"},
             {"library": "vpqr", "format": "legacy-singleton", "encoding": "B"},
             {"library": "vpqr", "format": "legacy-singleton", "encoding": "R"}]
    made = V.node_codes(V.presentation("vpqr-example.json"), specs)
    assert [m.get("payload") for m in made] == [V.code(n) for n in V.VPQR_EXAMPLES]


def test_our_presentation_through_the_wallets_library(identity, tmp_path):
    """The vault's own signed presentation (VC 2.0, an Open Badge) as the Learner
    Credential Wallet's library writes it, as a PNG, read back and verified; and the
    wallet's unsigned VC 1.1 presentation of the same credential."""
    require_vpqr()
    from tests.presentations.vp_fixtures import di_credential
    from vault.credentials.service import CredentialService
    from vault.presentations.service import PresentationService

    credentials = CredentialService(identity.store)
    holder = identity.default_did().did
    subject = {"type": ["AchievementSubject"], "id": holder, "achievement": {   # the libraries need real UUIDs
        "id": "urn:uuid:0f6d2c8e-5b1a-4c3d-9e8f-1a2b3c4d5e6f", "type": ["Achievement"], "name": "Data Analysis",
        "criteria": {"narrative": "Pass the exam."}}}
    cid = credentials.import_bytes(di_credential(holder, credentialSubject=subject)).summary.id
    ours = PresentationService(identity, credentials).present([cid], challenge=V.CHALLENGE, domain=V.DOMAIN,
                                                               now=NOW)
    document = json.loads(ours.payload)
    [made] = V.node_codes(document, [{"library": "lcw", "format": "legacy-singleton", "encoding": "B"}])
    path = tmp_path / "ours.png"
    path.write_bytes(render.png(made["payload"]))
    decoded = scan.read_presentation(path)
    assert json.loads(decoded.payload) == document
    verdict = verify_presentation(decoded.payload, challenge=V.CHALLENGE, domain=V.DOMAIN, now=NOW)
    assert (verdict.valid, verdict.holder) == (True, holder), verdict.message

    unsigned = {"@context": "https://www.w3.org/2018/credentials/v1", "type": "VerifiablePresentation",
                "verifiableCredential": document["verifiableCredential"]}
    [made] = V.node_codes(unsigned, [{"library": "lcw", "format": "legacy-singleton", "encoding": "B"}])
    verdict = _verify(made["payload"])
    assert verdict.reason is Reason.NO_PROOF and [c.reason for c in verdict.credentials] == [Reason.VALID]


@pytest.mark.parametrize("fmt, encoding", [("cbor-ld-1.0", "R"), ("cbor-ld-1.0", "B"),
                                           ("legacy-singleton", "R"), ("legacy-singleton", "B")])
def test_every_vpqr_encoding_round_trips(fmt, encoding):
    require_vpqr()
    for source in ("signed-vc11.json", "unsigned-vc11.json", "vpqr-example.json"):
        document = V.presentation(source)
        [made] = V.node_codes(document, [{"library": "vpqr", "format": fmt, "encoding": encoding}])
        assert made["payload"].startswith(f"VP1-{encoding}")
        assert json.loads(scan.read_text(made["payload"]).payload) == document, source
