"""BTV single-code format (BTV2 written, BTV1 still read): dictionary pins, round trips, the
size target, hostile input."""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vault.errors import VaultError
from vault.qr import codec
from vault.qr.codec import ALPHANUMERIC, Decoded, decode, encode
from vault.qr.errors import InvalidQr, QrTooLarge
from vault.qr.parts import version_for
from vault.qr.render import qr_version

FIXTURES = Path(__file__).parents[1] / "fixtures"
ONE_CREDENTIAL_VP = FIXTURES / "interop" / "di-vp" / "valid-01-one-credential.json"

# Each format version is defined by its exact dictionary. Changing a file breaks every code
# already shown or printed: a new dictionary needs a new format version (BTV3).
DICTIONARY_SHA256 = {1: "c3c534c8c802ffe53a3b8fa71e6b6b09adada1d0be742a05a49991763bffc530",
                     2: "44b3545300f2babfdbed4991bb06b239d396dde176a7e98853fa744c70458984"}

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("version", [1, 2])
def test_dictionary_is_pinned(version):
    data = codec.dictionary(version)
    assert hashlib.sha256(data).hexdigest() == DICTIONARY_SHA256[version]
    assert codec.dictionary_sha256(version) == DICTIONARY_SHA256[version]
    assert len(data) <= 32 * 1024  # deflate's window: a longer tail would be ignored
    assert codec.dictionary() == codec.dictionary(codec.FORMAT_VERSION) == codec.dictionary(2)


def test_one_credential_vp_fits_one_code_of_version_21():
    """DESIGN.md size target: a signed VP with one OB 3.0 credential, one QR ≤ v21 at M."""
    raw = ONE_CREDENTIAL_VP.read_bytes()
    vp = json.loads(raw)
    assert vp["type"] == ["VerifiablePresentation"] and len(vp["verifiableCredential"]) == 1
    assert "OpenBadgeCredential" in vp["verifiableCredential"][0]["type"]
    assert vp["proof"]["type"] == "DataIntegrityProof"
    for payload in (raw, json.dumps(vp, separators=(",", ":")).encode()):
        text = encode(payload, kind="vp-json")
        assert version_for(text) <= 21
        assert qr_version(text) <= 21
        assert decode(text) == Decoded("vp-json", payload)


def test_dictionary_pays_for_itself():
    raw = ONE_CREDENTIAL_VP.read_bytes()
    plain = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    plain_len = len(plain.compress(raw) + plain.flush())
    ours = codec.b45decode(encode(raw, kind="vp-json").split(":", 2)[2])[5:]
    assert len(ours) < 0.7 * plain_len


@pytest.mark.parametrize("path, kind", [
    ("interop/jwt-vc/valid-01-eddsa.jwt", "vc-jwt"),
    ("interop/jwt-vc/valid-02-es256k.jwt", "vc-jwt"),
    ("interop/sd-jwt-vc/valid-01-eddsa.sd-jwt", "sd-jwt"),
    ("interop/sd-jwt-vc/valid-02-es256.sd-jwt", "sd-jwt"),
    ("interop/di-eddsa-jcs-2022/valid-01-open-badge.json", "vc-json"),
    ("credentials/ob30/complete.json", "vc-json"),
])
def test_round_trip_fixtures(path, kind):
    raw = (FIXTURES / path).read_bytes()
    text = encode(raw, kind=kind)
    assert set(text) <= set(ALPHANUMERIC)
    assert text.startswith(f"BTV2:{kind.upper()}:")
    assert decode(text) == Decoded(kind, raw)


def test_jose_unwrap_shrinks_a_vc_jwt():
    raw = (FIXTURES / "interop/jwt-vc/valid-01-eddsa.jwt").read_bytes().strip()
    text = encode(raw, kind="vc-jwt")
    assert codec.b45decode(text.split(":", 2)[2])[0] in (codec.TRANSFORM_JOSE, codec.TRANSFORM_DIGESTS)
    assert version_for(text) <= 18


def test_jose_unwrap_nested_and_non_canonical():
    inner = base64.urlsafe_b64encode(b'{"a":"b"}').rstrip(b"=")
    outer = base64.urlsafe_b64encode(b'{"vp":["' + inner + b'"]}').rstrip(b"=")
    payload = outer + b"." + inner + b".sig~WyJzYWx0IiwibmFtZSIsIngiXQ~"
    assert decode(encode(payload, kind="vp-jwt")).payload == payload
    # "eyJ" followed by stray bits: not canonical base64url, kept as text
    for odd in (b"eyJhIjoxfR", b"eyJhIjoxfQ=", b"eyJ", b"eyJh", b"xeyJhIjoxfQ", b"\x01eyJhIjoxfQ"):
        assert decode(encode(odd, kind="jwt")).payload == odd


@pytest.mark.parametrize("kind", ["vp-json", "vote", "a", "sd-jwt", "x" * 16, "0-1"])
def test_open_kinds(kind):
    assert decode(encode(b"{}", kind=kind)).kind == kind


@pytest.mark.parametrize("kind", ["", "VP", "vp json", "-vp", "x" * 17, "vp:json", None, "é"])
def test_bad_kind_is_a_programming_error(kind):
    with pytest.raises(ValueError):
        encode(b"{}", kind=kind)


def test_empty_and_binary_payloads():
    for payload in (b"", b"\x00\x01\x02\xff" * 50, bytes(range(256))):
        assert decode(encode(payload, kind="blob")).payload == payload


def test_too_large_payload():
    with pytest.raises(QrTooLarge):
        encode(b"x" * (codec.MAX_PAYLOAD + 1), kind="vp-json")


def test_decompression_bomb_is_refused_without_inflating_it_all():
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = bomb.compress(b"\0" * (8 << 20)) + bomb.flush()  # 8 MiB of zeros in ~8 kB
    text = "BTV1:VP-JSON:" + codec.b45encode(b"\x00\0\0\0\0" + data)
    with pytest.raises(InvalidQr, match="1 MiB"):
        decode(text)


def test_jose_expansion_bomb_is_refused():
    # deeply nested markers whose re-encoding would grow by 4/3 per level
    payload = b"\x01" * 9 + b"x" + b"\x02" * 9
    comp = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zdict=codec.dictionary())
    text = "BTV1:X:" + codec.b45encode(b"\x01\0\0\0\0" + comp.compress(payload) + comp.flush())
    with pytest.raises(InvalidQr, match="nested"):
        decode(text)


@pytest.mark.parametrize("text, match", [
    ("", "not a Blocktrack"),
    ("hello", "not a Blocktrack"),
    ("HC1:6BFOXN%TS3DHPVO13J", "EU Digital COVID"),
    ("VP1-B3ECQDIYACEMHIGDODB6KQ", "Learner Credential Wallet"),
    ("BTV3:VP-JSON:ABC", "BTV3"),
    ("BTV1:VP-JSON:", "no data"),
    ("BTV1:VP-JSON:A", "base45"),
    ("BTV1:VP-JSON:GGW", "base45"),          # group above 65535
    ("BTV1:VP-JSON:abc", "character"),
    ("BTV1:vp-json:ABC", "header"),
    ("BTV1:VP-JSON", "header"),
    ("BTV1/1/2/0123456789ABCDEF:AB", "part"),
    ("BTV1:VP-JSON:" + codec.b45encode(b"\x07abcdefg"), "feature"),
    ("BTV1:VP-JSON:" + codec.b45encode(b"\x00\0\0\0\0\xff\xff"), "decompress"),
    ("BTV1:VP-JSON:" + codec.b45encode(b"\x00\0\0\0\1\x03\x00"), "checksum"),
])
def test_foreign_and_garbled_texts(text, match):
    with pytest.raises(InvalidQr, match=match):
        decode(text)


def test_truncated_and_trailing_garbage():
    for version in (1, 2):
        text = encode(ONE_CREDENTIAL_VP.read_bytes(), kind="vp-json", version=version)
        body = codec.b45decode(text.split(":", 2)[2])
        with pytest.raises(InvalidQr, match="cut short"):
            decode(f"BTV{version}:VP-JSON:" + codec.b45encode(body[:-40]))
        with pytest.raises(InvalidQr, match="extra data"):
            decode(f"BTV{version}:VP-JSON:" + codec.b45encode(body + b"\x00\x00"))


def test_whitespace_around_the_text_is_ignored():
    text = encode(b'{"type":"VerifiablePresentation"}', kind="vp-json")
    assert decode("\n  " + text + " \r\n").payload == b'{"type":"VerifiablePresentation"}'
    assert decode(text.encode()).kind == "vp-json"


def test_invalid_qr_is_a_vault_error():
    assert issubclass(InvalidQr, VaultError)
    with pytest.raises(VaultError):
        decode("nope")


# ---------------------------------------------------------------------------- properties

def _expect_payload_or_invalid(text: str, payloads: tuple[bytes, ...]) -> None:
    try:
        result = decode(text)
    except InvalidQr:
        return
    assert result.payload in payloads


_SAMPLE = ONE_CREDENTIAL_VP.read_bytes()
_SAMPLE_TEXT = encode(_SAMPLE, kind="vp-json")


@FAST
@given(st.binary(max_size=600), st.sampled_from(["vp-json", "vp-jwt", "sd-jwt", "vote"]))
def test_property_round_trip(payload, kind):
    assert decode(encode(payload, kind=kind)) == Decoded(kind, payload)


@FAST
@given(st.text(alphabet="eyJWAbc0123_-.~{}\"[]x\x01", max_size=300))
def test_property_round_trip_jose_like(text):
    payload = text.encode()
    assert decode(encode(payload, kind="sd-jwt")).payload == payload


@FAST
@given(st.data())
def test_property_garbled_text(data):
    text = list(_SAMPLE_TEXT)
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(text) - 1))
        text[i] = data.draw(st.sampled_from(ALPHANUMERIC + "ab\x00é"))
    _expect_payload_or_invalid("".join(text), (_SAMPLE,))


@FAST
@given(st.integers(0, len(_SAMPLE_TEXT) - 1))
def test_property_truncated_text(cut):
    with pytest.raises(InvalidQr):
        decode(_SAMPLE_TEXT[:cut])


@FAST
@given(st.text(max_size=400))
def test_property_foreign_text(text):
    _expect_payload_or_invalid(text, ())


@FAST
@given(st.binary(max_size=400), st.sampled_from(["BTV1", "BTV2"]))
def test_property_random_body(body, prefix):
    _expect_payload_or_invalid(f"{prefix}:VP-JSON:" + codec.b45encode(body), tuple())


@FAST
@given(st.text(alphabet=ALPHANUMERIC, max_size=400))
def test_property_random_alphanumeric_body(body):
    try:
        decode("BTV1:VOTE:" + body)
    except InvalidQr:
        pass


def test_worked_example_in_the_spec():
    """docs/qr-format.md section 4, byte for byte."""
    payload = (b'{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],'
               b'"holder":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}')
    text = encode(payload, kind="vp-json", version=1)
    assert text == ("BTV1:VP-JSON:B20Z547/5P5MWB4/%NW79B79RMHYC5+:5.NP.96SF641AG*PII5NYE5VE*C1MQU"
                    "+DE499IWPT EKB9KK93CVAML00")
    assert qr_version(text) == 5
    from vault.qr.parts import collect, split

    assert split(text, max_version=4) == [
        "BTV1/1/2/D82011F9E32D2C3A:BTV1:VP-JSON:B20Z547/5P5MWB4/%NW79B79RMHYC5+:5.NP.9",
        "BTV1/2/2/D82011F9E32D2C3A:6SF641AG*PII5NYE5VE*C1MQU+DE499IWPT EKB9KK93CVAML00",
    ]
    assert collect(reversed(split(text, max_version=4))).payload == payload
