"""Multi-part sequences: splitting, collecting in any order, mixing, damage."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vault.qr import parts
from vault.qr.codec import Decoded, encode
from vault.qr.errors import ForeignPart, InvalidQr, QrTooLarge
from vault.qr.parts import Collector, capacity, checksum, collect, encode_parts, split, version_for

FIXTURES = Path(__file__).parents[1] / "fixtures"
BIG = (FIXTURES / "credentials" / "ob30" / "complete.json").read_bytes()          # ~26 kB
SMALL = (FIXTURES / "interop" / "di-vp" / "valid-01-one-credential.json").read_bytes()
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("version", [1, 5, 10, 20, 21, 25, 27, 40])
def test_capacity_table_matches_the_writer(version):
    cap = capacity(version)
    qr = zxingcpp.BarcodeFormat.QRCode
    assert zxingcpp.create_barcode("A" * cap, qr, ec_level="M", version=version)
    with pytest.raises(ValueError):
        zxingcpp.create_barcode("A" * (cap + 1), qr, ec_level="M", version=version)


def test_small_payload_is_one_code():
    texts = encode_parts(SMALL, kind="vp-json")
    assert len(texts) == 1 and texts[0].startswith("BTV2:VP-JSON:")


def test_big_payload_is_split_into_parts_of_at_most_version_25():
    texts = encode_parts(BIG, kind="vc-json")
    assert len(texts) >= 2
    whole = encode(BIG, kind="vc-json")
    for i, text in enumerate(texts, 1):
        assert text.startswith(f"BTV2/{i}/{len(texts)}/{checksum(whole)}:")
        assert version_for(text) <= parts.MAX_VERSION
    sizes = [len(t) for t in texts]
    assert max(sizes) - min(sizes) <= 8  # near-equal slices: similar versions
    assert collect(texts) == Decoded("vc-json", BIG)


def test_collector_any_order_with_duplicates():
    texts = encode_parts(BIG, kind="vc-json", max_version=12)
    assert len(texts) > 5
    shuffled = texts + texts[:3]
    random.Random(7).shuffle(shuffled)
    collector = Collector()
    done = None
    for text in shuffled:
        result = collector.add(text)
        if result is not None:
            done = result
            break
    assert done == Decoded("vc-json", BIG)


def test_collector_progress_and_missing():
    texts = encode_parts(BIG, kind="vc-json", max_version=15)
    collector = Collector()
    assert collector.add(texts[2]) is None
    assert collector.add(texts[2]) is None  # duplicate: ignored
    assert collector.count == len(texts)
    assert collector.received == [3]
    assert collector.progress == f"1 / {len(texts)}"
    assert 1 in collector.missing and 3 not in collector.missing
    with pytest.raises(InvalidQr, match="missing"):
        collect(texts[1:])


def test_parts_of_two_messages_mixed_is_a_clear_error():
    a = encode_parts(BIG, kind="vc-json", max_version=15)
    b = encode_parts(BIG.replace(b"Example", b"Exempel"), kind="vc-json", max_version=15)
    collector = Collector()
    collector.add(a[0])
    with pytest.raises(ForeignPart, match="another code"):
        collector.add(b[1])
    # the collection is kept: the right parts still complete it
    result = None
    for text in a[1:]:
        result = collector.add(text)
    assert result == Decoded("vc-json", BIG)
    with pytest.raises(ForeignPart):
        collect(a[:2] + b[2:])


def test_single_code_while_collecting_parts():
    texts = encode_parts(BIG, kind="vc-json")
    collector = Collector()
    collector.add(texts[0])
    with pytest.raises(ForeignPart, match="single code"):
        collector.add(encode(SMALL, kind="vp-json"))
    with pytest.raises(InvalidQr, match="more than one code"):
        collect([texts[0], encode(SMALL, kind="vp-json")])


def test_inconsistent_count_and_conflicting_duplicate():
    texts = encode_parts(BIG, kind="vc-json", max_version=15)
    n = len(texts)
    collector = Collector()
    collector.add(texts[0])
    lying = texts[1].replace(f"/{n}/", f"/{n + 1}/", 1)
    with pytest.raises(InvalidQr, match="disagree"):
        collector.add(lying)
    changed = texts[0][:-1] + ("A" if texts[0][-1] != "A" else "B")
    with pytest.raises(InvalidQr, match="twice"):
        collector.add(changed)


def test_misread_slice_fails_the_checksum():
    texts = encode_parts(BIG, kind="vc-json", max_version=15)
    bad = texts[1][:-1] + ("A" if texts[1][-1] != "A" else "B")
    with pytest.raises(InvalidQr, match="checksum"):
        collect([texts[0], bad, *texts[2:]])


@pytest.mark.parametrize("text", [
    "BTV1/0/2/0123456789ABCDEF:AB", "BTV1/3/2/0123456789ABCDEF:AB", "BTV1/1/1/0123456789ABCDEF:AB",
    "BTV1/01/2/0123456789ABCDEF:AB", "BTV1/1/2/0123456789abcdef:AB", "BTV1/1/2/0123:AB",
    "BTV1/1/100/0123456789ABCDEF:AB", "BTV1/1/2", "BTV1/",
])
def test_damaged_part_headers(text):
    with pytest.raises(InvalidQr):
        Collector().add(text)


def test_slices_never_end_in_a_space():
    text = "BTV1:X:" + "A B " * 600 + "AB"
    for version in (5, 10, 25):
        pieces = split(text, max_version=version)
        assert len(pieces) > 1
        assert not any(p.endswith(" ") for p in pieces)
        assert "".join(p.split(":", 1)[1] for p in pieces) == text


def test_line_ends_and_leading_blanks_are_ignored():
    payload = bytes(range(256)) * 4
    texts = encode_parts(payload, kind="blob", max_version=6)
    assert len(texts) > 3
    assert collect([" " + t + "\r\n" for t in texts]).payload == payload


def test_too_many_parts():
    with pytest.raises(QrTooLarge):
        split("BTV1:X:" + "A" * 100_000, max_version=5)


@FAST
@given(st.binary(min_size=0, max_size=3000), st.randoms(use_true_random=False),
       st.integers(4, 25))
def test_property_reordered_duplicated_parts(payload, rnd, max_version):
    texts = encode_parts(payload, kind="vote", max_version=max_version)
    if len(texts) > parts.MAX_PARTS:
        return
    seq = texts + [rnd.choice(texts) for _ in range(3)]
    rnd.shuffle(seq)
    collector = Collector()
    for text in seq:
        result = collector.add(text)
        if result is not None:
            break
    assert result == Decoded("vote", payload)


@FAST
@given(st.binary(min_size=400, max_size=1500), st.data())
def test_property_damaged_parts(payload, data):
    texts = encode_parts(payload, kind="vote", max_version=8)
    i = data.draw(st.integers(0, len(texts) - 1))
    j = data.draw(st.integers(0, len(texts[i]) - 1))
    char = data.draw(st.sampled_from("0AZ:/ $%.x"))
    texts[i] = texts[i][:j] + char + texts[i][j + 1:]
    try:
        result = collect(texts)
    except InvalidQr:
        return
    assert result.payload == payload
