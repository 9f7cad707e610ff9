"""BTV2: every one-credential presentation the app makes fits one code (level M, version ≤ 25),
read back from real pixels by zxing-cpp; BTV1 codes made by the previous release still read;
crafted codes (bombs, references to nothing or to themselves, fields cut short, swapped
digests) are each a clear InvalidQr."""

from __future__ import annotations

import zlib
from datetime import timedelta
from pathlib import Path

import pytest

from bench import qr_fit
from vault.presentations.verify import verify_presentation
from vault.qr import codec, digests, render, scan
from vault.qr.codec import Decoded, decode, encode
from vault.qr.errors import InvalidQr
from vault.qr.parts import MAX_VERSION, collect, split, version_for

FIXTURES = Path(__file__).parents[1] / "fixtures"
BTV1 = FIXTURES / "qr" / "btv1"     # texts written by the BTV1 encoder (before BTV2), vendored


@pytest.fixture(scope="module")
def presentations() -> list[tuple[str, str, bytes]]:
    return qr_fit.cases()


def test_every_one_credential_presentation_is_one_code_read_from_pixels(presentations):
    assert {label.split(",")[0] for label, _, _ in presentations} == {
        "DI VP", "JWT VP (VC-JWT)", "SD-JWT + KB in a DI VP"}
    for label, kind, payload in presentations:
        text = encode(payload, kind=kind)
        assert text.startswith(f"BTV2:{kind.upper()}:")
        assert split(text) == [text], label
        assert render.qr_version(text) <= MAX_VERSION, label
        assert scan.read_presentation(render.png(text)) == Decoded(kind, payload), label


def test_the_measured_presentations_are_valid_ones_and_the_bench_passes(presentations):
    """The bench measures real presentations (each verifies, the SD-JWT one key-bound), not
    look-alikes, and ``python -m bench.qr_fit`` exits 0 only when all fit."""
    for label, _, payload in presentations:
        verdict = verify_presentation(payload, challenge=qr_fit.CHALLENGE, domain=qr_fit.DOMAIN,
                                      now=qr_fit.NOW + timedelta(minutes=1))
        assert verdict.valid, (label, verdict.message)
        if label.startswith("SD-JWT"):
            assert verdict.credentials[0].key_bound
    assert qr_fit.main(["--json"]) == 0


def test_the_sd_jwt_presentation_drops_its_digests_and_was_two_codes_in_btv1(presentations):
    for label, kind, payload in presentations:
        if not label.startswith("SD-JWT"):
            continue
        text = encode(payload, kind=kind)
        assert codec.b45decode(text.split(":", 2)[2])[0] == codec.TRANSFORM_DIGESTS
        assert len(split(encode(payload, kind=kind, version=1))) == 2
        assert version_for(text) <= MAX_VERSION


@pytest.mark.parametrize("name, source, kind", [
    ("vp-json.txt", "interop/di-vp/valid-01-one-credential.json", "vp-json"),
    ("sd-jwt.txt", "interop/sd-jwt-vc/valid-01-eddsa.sd-jwt", "sd-jwt"),
    ("vc-jwt.txt", "interop/jwt-vc/valid-01-eddsa.jwt", "vc-jwt"),
])
def test_btv1_codes_of_the_previous_release_still_read(name, source, kind):
    text = (BTV1 / name).read_text().strip()
    assert text.startswith("BTV1:")
    expected = Decoded(kind, (FIXTURES / source).read_bytes())
    assert decode(text) == expected
    assert scan.read_presentation(render.png(text)) == expected   # from pixels too


def test_btv1_parts_of_the_previous_release_still_join(tmp_path):
    lines = (BTV1 / "vc-json-parts.txt").read_text().splitlines()
    assert len(lines) == 4 and all(line.startswith("BTV1/") for line in lines)
    expected = (FIXTURES / "credentials" / "ob30" / "complete.json").read_bytes()
    assert collect(reversed(lines)).payload == expected
    assert scan.read_text("\n".join(lines)).payload == expected
    # and from the images of the parts, in any order
    files = []
    for i, line in enumerate(reversed(lines)):
        files.append(tmp_path / f"part-{i}.png")
        files[-1].write_bytes(render.png(line))
    assert scan.read_presentation_files(files).payload == expected


def test_writers_make_btv2_and_its_parts():
    big = (FIXTURES / "credentials" / "ob30" / "complete.json").read_bytes()
    texts = split(encode(big, kind="vc-json"))
    assert len(texts) > 1 and all(t.startswith("BTV2/") for t in texts)
    assert collect(texts).payload == big


# ---------------------------------------------------------------------------- attacks

def _craft(body: bytes, *, transform: int = codec.TRANSFORM_DIGESTS, payload: bytes = b"") -> str:
    """A BTV2 code around ``body`` (the deflated bytes as a writer would make them), with
    the CRC of ``payload``."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zdict=codec.dictionary(2))
    data = comp.compress(body) + comp.flush()
    return "BTV2:VP-JSON:" + codec.b45encode(bytes([transform]) + zlib.crc32(payload).to_bytes(4, "big") + data)


def test_decompression_bomb_is_refused():
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zdict=codec.dictionary(2))
    data = bomb.compress(b"\0" * (8 << 20)) + bomb.flush()        # 8 MiB of zeros in ~8 kB
    with pytest.raises(InvalidQr, match="1 MiB"):
        decode("BTV2:VP-JSON:" + codec.b45encode(b"\x02\0\0\0\0" + data))


def test_digest_expansion_bomb_is_refused():
    # 0.9 MiB inflates within the limit; its base64url re-encoding (4/3) is beyond it
    with pytest.raises(InvalidQr, match="beyond the size"):
        decode(_craft(b"\x01" + b"A" * 900_000 + b"\x02"))
    # one big segment digested over and over: every digest is computed once, work is bounded
    refs = b"".join(b"\x04\x00\x00" for _ in range(2000))
    with pytest.raises(InvalidQr, match="checksum"):
        decode(_craft(b"\x01" + b"A" * 200_000 + b"\x02." + refs))


@pytest.mark.parametrize("body, says", [
    (b"\x01x\x02.\x03\x07", "segment 7, which does not exist"),   # a reference to nothing
    (b"\x03\x00", "segment 0, which does not exist"),
    (b"\x01\x03\x00\x02", "a digest of itself"),                   # a group holding its own digest
    (b"\x01x\x02.\x04\x00\x01.\x01y\x02", "a digest of itself"),     # a span holding its own digest
    (b"\x01x\x02.\x01y\x02~\x04\x01\x00", "do not follow"),        # a span running backwards
    (b"\x01\x01x\x02\x02.\x01y\x02\x04\x01\x02", "do not follow"),  # a span across levels
    (b"\x01x\x02.\x03", "cut short"),                              # fields cut short
    (b"\x01x\x02.\x04\x00", "cut short"),
    (b"\x01x\x02.\x04", "cut short"),
    (b"\x01x", "unclosed"),
    (b"x\x02", "unmatched"),
    (b"\x01" * 9 + b"x" + b"\x02" * 9, "nested too deeply"),
])
def test_crafted_references_are_refused(body, says):
    with pytest.raises(InvalidQr, match=says):
        decode(_craft(body))


def test_reference_chain_is_bounded():
    # group i holds the digest of group i+1: a long chain of references
    body = b"".join(b"\x01" + bytes([3, i + 1]) + b"\x02" for i in range(200)) + b"\x01x\x02"
    with pytest.raises(InvalidQr, match="nested too deeply"):
        decode(_craft(body))


def test_swapped_digest_references_are_a_checksum_error(presentations):
    label, kind, payload = next(c for c in presentations if c[0].startswith("SD-JWT"))
    dropped = digests.drop(codec._unwrap(payload))
    at = dropped.index(b"\x03")
    swapped = dropped[:at + 1] + bytes([dropped[at + 1] ^ 1]) + dropped[at + 2:]
    assert digests.expand(swapped) != payload           # a valid reference, to another disclosure
    with pytest.raises(InvalidQr, match="checksum"):
        decode(_craft(swapped, payload=payload))
    assert decode(_craft(dropped, payload=payload)) == Decoded("vp-json", payload)


@pytest.mark.parametrize("text, says", [
    ("BTV7:VP-JSON:ABC", "BTV7, which this version .* does not read .*BTV1 and BTV2"),
    ("BTV1:VP-JSON:" + codec.b45encode(b"\x02\0\0\0\0\x03\x00"), "feature"),  # transform 2 is BTV2's
    ("BTV2:VP-JSON:" + codec.b45encode(b"\x03\0\0\0\0\x03\x00"), "feature"),
])
def test_unknown_versions_and_transforms_are_refused(text, says):
    with pytest.raises(InvalidQr, match=says):
        decode(text)


def test_payloads_with_marker_bytes_still_round_trip():
    for payload in (b"\x03\x00eyJhIjoxfQ", b"eyJhIjoxfQ.\x04\x01\x02", bytes(range(256))):
        assert decode(encode(payload, kind="blob")).payload == payload
