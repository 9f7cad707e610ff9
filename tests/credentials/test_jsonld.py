"""Offline JSON-LD: vendored contexts, the loader, safe mode, caching and bounds."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld as pyld_jsonld

import resources
from vault.credentials import jsonld
from vault.credentials.verdict import CredentialFailure, Reason

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "credentials" / "data-integrity"
CONTEXTS = resources.path("contexts")
V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def load(rel: str):
    return json.loads((FIX / rel).read_text(encoding="utf-8"))


def unsigned(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "proof"}


def reference_nquads(doc) -> str:
    """pyld's own normalize (no safe mode, no memo), with the same offline loader."""
    return pyld_jsonld.normalize(copy.deepcopy(doc), {"algorithm": "URDNA2015", "format": "application/n-quads",
                                                      "documentLoader": jsonld.document_loader})


def reason_of(fn, *args, **kwargs) -> CredentialFailure:
    with pytest.raises(CredentialFailure) as info:
        fn(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------------------- vendored contexts

def test_index_and_files_agree():
    index = json.loads((CONTEXTS / "index.json").read_text())
    files = {p.name for p in CONTEXTS.iterdir() if p.suffix in (".json", ".jsonld")} - {"index.json"}
    assert set(index.values()) == files
    for url, name in index.items():
        assert url.startswith("https://")
        doc = json.loads((CONTEXTS / name).read_text(encoding="utf-8"))
        assert "@context" in doc, name
    sources = (CONTEXTS / "SOURCES.md").read_text(encoding="utf-8")
    for url, name in index.items():
        assert url in sources and name in sources, f"{url} is not documented in SOURCES.md"


def test_needed_contexts_are_vendored():
    known = jsonld.known_contexts()
    for url in [V2, V1, OB303, "https://w3id.org/security/data-integrity/v2",
                "https://w3id.org/security/data-integrity/v1", "https://w3id.org/security/suites/ed25519-2020/v1",
                "https://www.w3.org/ns/credentials/examples/v2", "https://w3id.org/vc/status-list/2021/v1",
                "https://www.w3.org/ns/credentials/undefined-terms/v2", "https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/multikey/v1", "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]:
        assert url in known


def test_examples_context_is_the_published_one():
    assert jsonld.load_context("https://www.w3.org/ns/credentials/examples/v2") == {
        "@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}


def test_vc_v2_defines_bitstring_status_list_terms():
    ctx = jsonld.load_context(V2)["@context"]
    for term in ("BitstringStatusListCredential", "BitstringStatusList", "BitstringStatusListEntry"):
        assert term in ctx


def test_every_vendored_context_processes():
    for url in jsonld.known_contexts():
        jsonld.expand({"@context": url, "@id": "urn:x:1"})


def test_loader_serves_static_copies_and_refuses_the_rest():
    remote = jsonld.document_loader(V2, {})
    assert remote["documentUrl"] == V2 and remote["tag"] == "static"
    assert remote["document"]["@context"]["@protected"] is True
    failure = reason_of(jsonld.document_loader, "https://example.org/nope/v1", {})
    assert failure.reason is Reason.UNKNOWN_CONTEXT
    assert "https://example.org/nope/v1" in failure.message and "no copy" in failure.message


def test_pyld_never_fetches():
    """Once used, the offline loader is pyld's default for every caller too."""
    jsonld.canonize({"@context": {"@vocab": "https://ex.org/"}, "@id": "urn:x", "p": 1})
    assert pyld_jsonld.get_document_loader() is jsonld.document_loader
    with pytest.raises(Exception) as info:
        pyld_jsonld.expand({"@context": "https://example.org/elsewhere", "a": 1})
    chain, exc = [], info.value
    while exc is not None:
        chain.append(exc)
        exc = exc.__cause__
    assert any(isinstance(e, CredentialFailure) and e.reason is Reason.UNKNOWN_CONTEXT for e in chain)


def test_pinned_pyld_version():
    # _SafeProcessor overrides two pyld internals (_process_context, _graph_to_rdf) and
    # _BoundedURDNA2015 two of its canonicalizer's: review them before moving pyld on.
    assert jsonld.PYLD_VERSION.startswith("3.3."), jsonld.PYLD_VERSION


# ---------------------------------------------------------------------------- unknown contexts

@pytest.mark.parametrize("where", ["top", "list", "nested", "import"])
def test_unknown_context_is_named(where):
    url = "https://contexts.example.org/unknown/v9"
    doc = {"@context": [V2], "type": "VerifiableCredential", "issuer": "did:example:1",
           "credentialSubject": {"id": "did:example:2"}}
    if where == "top":
        doc["@context"] = url
    elif where == "list":
        doc["@context"] = [V2, url]
    elif where == "nested":
        doc["credentialSubject"]["@context"] = url
    else:
        doc["@context"] = [V2, {"@import": url}]
    failure = reason_of(jsonld.canonize, doc)
    assert failure.reason is Reason.UNKNOWN_CONTEXT
    assert url in failure.message
    assert reason_of(jsonld.check_known_contexts, doc).reason is Reason.UNKNOWN_CONTEXT


def test_known_and_inline_contexts_pass_the_plain_json_check():
    jsonld.check_known_contexts({"@context": [V2, OB303, {"ex": "https://ex.org/"}],
                                 "credentialSubject": {"@context": {"@vocab": "https://ex.org/"}}})


# ---------------------------------------------------------------------------- safe mode

def _v1(**extra):
    doc = {"@context": [V1], "id": "urn:uuid:1", "type": ["VerifiableCredential"], "issuer": "did:example:1",
           "issuanceDate": "2024-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:2"}}
    doc.update(extra)
    return doc


def test_well_defined_v1_credential_canonicalizes():
    nquads = jsonld.canonize(_v1())
    assert "credentials#credentialSubject> <did:example:2> ." in nquads
    assert "credentials#issuer> <did:example:1> ." in nquads
    assert nquads == reference_nquads(_v1())


def test_undefined_property_fails_instead_of_being_dropped():
    doc = _v1()
    doc["credentialSubject"]["degree"] = "BSc"      # VC 1.1 has no @vocab: would vanish
    failure = reason_of(jsonld.canonize, doc)
    assert failure.reason is Reason.MALFORMED
    assert "degree" in failure.message and "signature" in failure.message
    assert reason_of(jsonld.expand, doc).reason is Reason.MALFORMED


def test_undefined_type_fails():
    failure = reason_of(jsonld.canonize, _v1(type=["VerifiableCredential", "UniversityDegreeCredential"]))
    assert failure.reason is Reason.MALFORMED and "UniversityDegreeCredential" in failure.message


def test_relative_id_fails():
    doc = _v1()
    doc["credentialSubject"]["id"] = "student-42"
    assert reason_of(jsonld.canonize, doc).reason is Reason.MALFORMED


def test_relative_reference_and_datatype_fail():
    ctx = {"@vocab": "https://ex.org/", "ref": {"@type": "@id"}}
    assert reason_of(jsonld.canonize, {"@context": ctx, "@id": "urn:a", "ref": "b"}).reason is Reason.MALFORMED
    value = {"@context": {"when": "https://ex.org/when"}, "@id": "urn:a", "when": {"@value": "x", "@type": "localdate"}}
    assert reason_of(jsonld.canonize, value).reason is Reason.MALFORMED
    typed = {"@context": {"when": {"@id": "https://ex.org/when", "@type": "localdate"}}, "@id": "urn:a", "when": "x"}
    assert reason_of(jsonld.canonize, typed).reason is Reason.MALFORMED


def test_term_mapped_to_null_fails():
    doc = {"@context": [{"@vocab": "https://ex.org/"}, {"secret": None}], "@id": "urn:a", "secret": "x"}
    assert reason_of(jsonld.canonize, doc).reason is Reason.MALFORMED


def test_undefined_terms_context_and_vocab_make_terms_defined():
    doc = {"@context": [V2, "https://www.w3.org/ns/credentials/undefined-terms/v2"],
           "type": ["VerifiableCredential", "MyCredential"], "issuer": "did:example:1",
           "credentialSubject": {"id": "did:example:2", "favourite": "tea"}}
    nquads = jsonld.canonize(doc)
    assert "<https://www.w3.org/ns/credentials/undefined-term#favourite> \"tea\"" in nquads
    assert "undefined-term#MyCredential" in nquads


def test_protected_term_redefinition_is_malformed():
    doc = {"@context": [V2, {"VerifiableCredential": "https://evil.example/Credential"}], "type": "VerifiableCredential",
           "issuer": "did:example:1", "credentialSubject": {"id": "did:example:2"}}
    failure = reason_of(jsonld.canonize, doc)
    assert failure.reason is Reason.MALFORMED and "JSON-LD" in failure.message


def test_invalid_jsonld_is_malformed():
    for doc in ({"@context": 42}, {"@context": V2, "@id": 5}, {"@context": {"@version": 2.0}},
                {"@context": {"a": {"@id": "https://ex.org/a", "@container": "@bogus"}}, "a": 1}):
        assert reason_of(jsonld.canonize, doc).reason is Reason.MALFORMED
    assert reason_of(jsonld.canonize, "not an object").reason is Reason.MALFORMED


# ---------------------------------------------------------------------------- correctness of the cache

CORPUS = [
    "vc-di-eddsa/unsigned.json",
    "vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json",
    "vc-di-eddsa/proof-set-chain/proofChainTempDoc1.json",
    "interop/di-eddsa-rdfc-2022/valid-01-open-badge.json",
    "interop/di-eddsa-jcs-2022/valid-01-open-badge.json",
    "interop/di-vp/valid-01-one-credential.json",
    "ob30/simple.json",
    "ob30/simple-did-key-method.json",
    "ob30/simple-context-version.json",
    "ob30/endorsement-valid.json",
]


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_memoized_canonicalization_equals_plain_pyld(order):
    """The processed-context memo is invisible: same N-Quads as pyld alone, in any order."""
    docs = [unsigned(load(name)) for name in CORPUS]
    expected = [reference_nquads(d) for d in docs]
    jsonld.clear_caches()
    pairs = list(zip(docs, expected))
    for doc, nquads in (pairs if order == "forward" else pairs[::-1]) * 2:
        assert jsonld.canonize(doc) == nquads


def test_w3c_canonical_form_reproduced_cold_and_warm():
    doc = load("vc-di-eddsa/unsigned.json")
    canon = (FIX / "vc-di-eddsa/eddsa-rdfc-2022/canonDocDataInt.txt").read_text()
    jsonld.clear_caches()
    assert jsonld.canonize(doc) == canon
    assert jsonld.canonize(doc) == canon


def test_context_processing_is_cached():
    doc = unsigned(load("interop/di-eddsa-rdfc-2022/valid-01-open-badge.json"))
    jsonld.clear_caches()
    jsonld.canonize(doc)
    entries = len(jsonld._context_memo)
    assert entries > 0
    jsonld.canonize(copy.deepcopy(doc))
    assert len(jsonld._context_memo) == entries        # nothing new was processed


def test_mutated_inline_context_is_not_served_stale():
    ctx = {"name": "https://a.example/name"}
    doc = {"@context": ctx, "@id": "urn:x", "name": "n"}
    assert "https://a.example/name" in jsonld.canonize(doc)
    ctx["name"] = "https://b.example/name"
    out = jsonld.canonize(doc)
    assert "https://b.example/name" in out and "https://a.example/name" not in out


_TEMPLATE = unsigned(load("interop/di-eddsa-rdfc-2022/valid-01-open-badge.json"))
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


@st.composite
def ob_credentials(draw):
    """Open Badges credentials built from defined terms only, with arbitrary values."""
    doc = copy.deepcopy(_TEMPLATE)
    subject = doc["credentialSubject"]
    achievement = subject["achievement"]
    achievement["name"] = draw(_text)
    if draw(st.booleans()):
        achievement["description"] = draw(_text)
    else:
        achievement.pop("description", None)
    if draw(st.booleans()):
        achievement["tag"] = draw(st.lists(_text, max_size=3))
    if draw(st.booleans()):
        achievement["criteria"] = {"narrative": draw(_text)}
    if draw(st.booleans()):
        subject["result"] = [{"type": ["Result"], "value": draw(_text)} for _ in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        doc["name"] = draw(_text)
    if draw(st.booleans()):
        doc["issuer"] = {"id": doc["issuer"]["id"], "type": ["Profile"], "name": draw(_text)}
    if draw(st.booleans()):
        doc["evidence"] = [{"type": ["Evidence"], "name": draw(_text)} for _ in range(draw(st.integers(1, 3)))]
    return doc


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ob_credentials())
def test_canonize_matches_pyld_on_generated_open_badges(doc):
    assert jsonld.canonize(doc) == reference_nquads(doc)


# ---------------------------------------------------------------------------- bounds

def _nested(depth: int, leaf=1):
    value = leaf
    for i in range(depth):
        value = {"a": value} if i % 2 else [value]
    return value


def test_depth_limit():
    ok = {"@context": {"@vocab": "https://ex.org/"}, "@id": "urn:a", "p": _nested(20)}
    jsonld.check_bounds(ok)
    too_deep = {"p": _nested(jsonld.MAX_DEPTH + 5)}
    assert "nested" in reason_of(jsonld.check_bounds, too_deep).message


def test_very_deep_input_is_malformed_not_recursion_error():
    deep = {"@context": {"@vocab": "https://ex.org/"}, "p": _nested(200_000)}
    started = time.perf_counter()
    for fn in (jsonld.canonize, jsonld.expand, jsonld.check_bounds):
        assert reason_of(fn, deep).reason is Reason.MALFORMED
    assert time.perf_counter() - started < 5


def test_size_and_value_limits():
    big = {"p": list(range(jsonld.MAX_VALUES + 1))}
    assert "too large" in reason_of(jsonld.check_bounds, big).message
    for bad in ({"p": float("nan")}, {"p": float("inf")}, {"p": {1: "x"}}, {"p": object()}, {"p": b"x"}):
        assert reason_of(jsonld.check_bounds, bad).reason is Reason.MALFORMED


def test_poison_graph_is_refused_quickly():
    """Many mutually linked, indistinguishable blank nodes: exponential for RDFC-1.0."""
    n = 12
    nodes = [{"@id": f"_:n{i}", "https://ex.org/p": [{"@id": f"_:n{j}"} for j in range(n) if j != i]}
             for i in range(n)]
    started = time.perf_counter()
    failure = reason_of(jsonld.canonize, {"@graph": nodes})
    assert failure.reason is Reason.MALFORMED and "bounded time" in failure.message
    assert time.perf_counter() - started < 5


def test_small_symmetric_graph_still_canonicalizes():
    nodes = [{"@id": "_:a", "https://ex.org/p": {"@id": "_:b"}}, {"@id": "_:b", "https://ex.org/p": {"@id": "_:a"}}]
    assert jsonld.canonize({"@graph": nodes}) == reference_nquads({"@graph": nodes})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text
                    | st.sampled_from([V2, V1, OB303, "@id", "@type", "@context", "@graph", "@list", "_:b0",
                                       "urn:x", "https://ex.org/p"]),
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.sampled_from(["@context", "@id", "@type", "@graph", "@list", "@value",
                                                       "@vocab", "@language", "@reverse", "@nest", "id", "type",
                                                       "name", "https://ex.org/p", "credentialSubject", "x"]),
                                      children, max_size=4),
                    max_leaves=20))
def test_arbitrary_input_only_ever_fails_as_credential_failure(value):
    try:
        jsonld.canonize(value)
    except CredentialFailure as failure:
        assert failure.reason in (Reason.MALFORMED, Reason.UNKNOWN_CONTEXT)
