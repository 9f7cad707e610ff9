"""vault.jcs: the stdlib fast path writes what rfc8785 writes, byte for byte, and every value
outside its conditions (keys beyond the BMP or with surrogates, floats, big integers, lone
surrogates, other types) goes to rfc8785, errors included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vault import jcs

W3C = Path(__file__).parent / "fixtures" / "credentials" / "data-integrity" / "vc-di-eddsa" / "eddsa-jcs-2022"
INTEROP = Path(__file__).parent / "fixtures" / "interop"


def _outcome(fn, value):
    try:
        return fn(value)
    except Exception as exc:   # the same refusal on both sides: compare the exception type
        return type(exc)


def _same(value) -> None:
    assert _outcome(jcs.dumps, value) == _outcome(rfc8785.dumps, value), value


# Characters that matter here: ASCII and its escapes, controls, DEL, U+2028, the top of the
# BMP (U+E000-U+FFFF sorts after a surrogate pair in UTF-16, before it by code point),
# astral characters, lone surrogates.
_CHARS = st.one_of(
    st.characters(codec="ascii"),
    st.sampled_from(["\x00", "\x1f", "\x7f", "\u2028", "\u00e9", "\ue000", "\uffff", "\ufb33",
                     "\U0001f600", "\U00010000", "\ud800", "\udfff", '"', "\\", "\b", "\f", "\n", "\r", "\t"]),
    st.characters(categories=["Cs", "Co", "So", "Lo", "Cc"]),
)
_TEXT = st.text(_CHARS, max_size=8)
_SCALARS = st.one_of(
    st.none(), st.booleans(), _TEXT,
    st.integers(min_value=-(2**53) - 3, max_value=2**53 + 3),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1.0, 1e21, 1e-7, 5e-324, 123456789012345680000.0, 0.1, 2**53 + 0.0]),
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(_TEXT, inner, max_size=6)), max_leaves=30)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_VALUES)
def test_generated_values_canonicalise_as_rfc8785_does(value):
    _same(value)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.text(st.characters(codec="ascii") | st.sampled_from(["\u00e9", "\ue000", "\uffff",
                                                                                 "\U0001f600", "\U00010000"]),
                               max_size=4), st.integers(-5, 5), min_size=2, max_size=8))
def test_key_order_around_the_top_of_the_bmp(value):
    """Keys mixing U+E000-U+FFFF with astral characters are where UTF-16 order and code
    point order part: such keys take rfc8785, the others the fast path, same bytes."""
    _same(value)


CORPUS = [
    {"\uffff": 1, "\U0001f600": 2},            # UTF-16: the astral key first; code points: last
    {"\ue000": 1, "\U00010000": 2, "a": 3},
    {"\ud800": 1},                              # lone surrogate key: refused by both
    {"a": "\udfff"},                            # lone surrogate value: refused by both
    {"b": 1.0, "a": 1e21, "c": 1e-7, "d": -0.0, "e": 5e-324},
    [2**53 - 1, -(2**53 - 1)], [2**53], [-(2**53)], 10**30,
    {"esc": "\"\\\b\f\n\r\t\x00\x01\x1f\x7f\u2028\u2029 é 😀"},
    {"\n": {"\t": []}, "": {}, "é": [None, True, False, ""]},
    float("nan"), float("inf"), (1, 2), {1: "int key"}, {"a": {1, 2}}, b"bytes",
    True, None, "top-level string", 7,
]


@pytest.mark.parametrize("value", CORPUS, ids=lambda v: repr(v)[:40])
def test_corpus(value):
    _same(value)


def test_fast_path_conditions_are_exactly_the_listed_ones():
    plain = [{"a": [1, "x", None, True, {"é": "😀"}]}, {"\uffff": 1, "\ue000": 2}, 2**53 - 1, "\udfff"]
    assert all(jcs._plain(v) for v in plain)   # (the lone surrogate string is caught by UTF-8)
    for value in ({"\U0001f600": 1}, {"\ud800": 1}, [1.0], [2**53], {"a": [-(2**53)]}, (1,), {1: 1},
                  [bytearray()]):
        assert not jcs._plain(value), value


def test_a_cycle_ends_on_rfc8785s_own_error():
    loop: list = []
    loop.append(loop)
    with pytest.raises(RecursionError):
        jcs.dumps(loop)


def test_the_w3c_eddsa_jcs_vector_takes_the_fast_path_byte_for_byte():
    signed = json.loads((W3C / "signedJCS.json").read_text(encoding="utf-8"))
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    assert jcs._plain(unsecured)
    assert jcs.dumps(unsecured) == (W3C / "canonDocJCS.txt").read_bytes().strip()
    config = json.loads((W3C / "proofConfigJCS.json").read_text(encoding="utf-8"))
    assert jcs.dumps(config) == (W3C / "proofCanonJCS.txt").read_bytes().strip() == rfc8785.dumps(config)


@pytest.mark.parametrize("path", sorted(INTEROP.glob("*/*.json")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_interop_fixture_canonicalises_alike(path):
    value = json.loads(path.read_text(encoding="utf-8"))
    _same(value)
