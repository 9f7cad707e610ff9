"""JSON-LD for credentials, offline: contexts from resources/contexts, safe mode, caching,
and RDF Dataset Canonicalization (RDFC-1.0, the algorithm pyld calls URDNA2015).

Offline. Every context URL is served from ``resources/contexts/index.json``; a URL we
have no copy of is an ``UNKNOWN_CONTEXT`` failure that names the URL, never a fetch.
pyld is imported on first use (it costs ~100 ms), and from then on this loader is also
pyld's process-wide default, so no other pyld call in the app can reach the network.

Safe mode. jsonld.js (Digital Bazaar's verifier) canonicalizes in "safe mode": it fails
when expansion would silently drop data. pyld 3.3 has no such option; it has only an
``on_property_dropped`` hook for one of the cases, so the rest is checked here (see
``_SafeProcessor``). It matters for signatures: anything JSON-LD drops is not in the
canonical N-Quads, so it could be changed after signing without breaking the signature.
We fail on: a property no context defines (VC 1.1 has no ``@vocab``), an ``@type`` or
``@id`` that stays a relative IRI (an undefined type name), a relative datatype, a
relative graph name, and a blank node used as a property.

All signed (``canonize(..., all_signed=True)``, what eddsa-rdfc-2022 uses). An RDF
signature covers the dataset, not the JSON: a member that produces no triple (an
``@index``, a ``@direction``, a null, a value JSON-LD drops as free-floating, a blank-node
property) and the names of terms (the ``@context`` is not signed either) can be changed
after signing without breaking it, yet a display that reads the JSON would show them as
proven. Rather than derive a second, "signed" view for every display, such a document is
refused (MALFORMED, naming the member): then every credential that verifies shows only
signed data, whichever display reads it, and a person learns that something was added.
So with ``all_signed``: every ``@context`` entry must be a published context we hold (as
VC Data Integrity's context validation asks, after w3c/vc-data-integrity#272: with an
inline context, keys could be renamed at will), and nothing may be dropped on the way
to the dataset. ``@json`` literals are signed as canonical JSON text: kept, and their
content is not inspected. eddsa-jcs-2022 and JWTs sign the JSON itself: unaffected.

Plain JSON. ``check_known_contexts`` checks, without JSON-LD processing, that every
context a document names is one we have (for eddsa-jcs-2022, which signs the JSON).

Caching. pyld caches a *processed* context only per active-context object, and every
expansion clones fresh ones, so Open Badges' scoped contexts were re-processed on every
call (~65 % of a verification). ``_SafeProcessing._process_context`` memoizes context
processing by (active context, local context, flags), a pure function of those: ~0.75 ms
per eddsa-rdfc-2022 verification instead of ~2.3 ms.

Bounds. Input deeper than ``MAX_DEPTH`` or larger than ``MAX_VALUES`` is MALFORMED
before pyld (which recurses) sees it. RDFC-1.0 requires a limit on the work of the
Hash N-Degree Quads algorithm (crafted "poison" graphs are exponential); pyld has none,
so ``_BoundedURDNA2015`` adds one.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import uuid
from collections import OrderedDict
from importlib import metadata
from typing import Any

import resources

from .json_bounds import MAX_DEPTH, MAX_VALUES, _too_deep, check_bounds
from .verdict import CredentialFailure, Reason

__all__ = [
    "MAX_DEPTH", "MAX_VALUES", "PYLD_VERSION", "canonize", "check_bounds", "check_known_contexts",
    "clear_caches", "document_loader", "expand", "known_contexts", "load_context",
]

MAX_NDEGREE_CALLS = 2_000        # Hash N-Degree Quads calls per canonicalization
MAX_INDISTINGUISHABLE = 8        # blank nodes in one related-hash group (8! permutations)

# base None, not "": with base "" pyld 3.3 resolves relative IRIs against its made-up
# DEFAULT_BASE_IRI (http://example.org/base/), so an undefined type "Foo" would silently
# become <http://example.org/base/Foo>, which jsonld.js never produces. With None they stay
# relative and safe mode rejects them. (Side effect: an "@base" inside a context is
# ignored, so such rare documents fail as MALFORMED rather than verify differently.)
_RDF_OPTIONS = {"base": None, "processingMode": "json-ld-1.1", "produceGeneralizedRdf": False,
                "extractAllScripts": False, "rdfDirection": None}


# ---------------------------------------------------------------------------- contexts

_lock = threading.Lock()
_index: dict[str, str] | None = None
_documents: dict[str, Any] = {}
_static_ids: set[int] = set()      # ids of every dict/list inside a loaded context document


def _load_index() -> dict[str, str]:
    global _index
    if _index is None:
        with resources.path("contexts", "index.json").open(encoding="utf-8") as f:
            _index = json.load(f)
    return _index


def known_contexts() -> frozenset[str]:
    """The context URLs this vault has copies of."""
    return frozenset(_load_index())


def _unknown(url: object) -> CredentialFailure:
    shown = str(url)[:200]
    return CredentialFailure(
        Reason.UNKNOWN_CONTEXT,
        f"The credential names the JSON-LD context {shown}, which this vault has no copy of; "
        "contexts are never fetched from the network, so it cannot be checked offline. "
        "Update the app to get newer contexts.")


def load_context(url: str) -> Any:
    """The parsed context document for ``url`` (shared: do not modify it)."""
    if not isinstance(url, str):
        raise _unknown(url)
    doc = _documents.get(url)
    if doc is not None:
        return doc
    filename = _load_index().get(url)
    if filename is None:
        raise _unknown(url)
    with _lock:
        doc = _documents.get(url)
        if doc is None:
            with resources.path("contexts", filename).open(encoding="utf-8") as f:
                doc = json.load(f)
            _remember_ids(doc)
            _documents[url] = doc
    return doc


def _remember_ids(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            _static_ids.add(id(item))
            stack.extend(item.values())
        elif isinstance(item, list):
            _static_ids.add(id(item))
            stack.extend(item)


def document_loader(url: str, options: dict | None = None) -> dict:
    """A pyld document loader that serves only vendored contexts.

    The ``static`` tag lets pyld keep the resolved context in its shared cache.
    """
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": load_context(url), "tag": "static"}


# ---------------------------------------------------------------------------- processor

class _UnsafeData(Exception):
    """Expansion would drop or mangle data (raised from inside pyld, mapped to MALFORMED)."""


def _short(value: object) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


_NOT_SIGNED = "which is not part of the signed data, so the signature does not cover it"


def _inline_context(entry: object) -> _UnsafeData:
    if entry is None:
        return _UnsafeData("it resets its JSON-LD context (\"@context\": null), so its keys do not mean "
                           "what the signed data says")
    names = sorted(entry) if isinstance(entry, dict) else []
    terms = [n for n in names if not n.startswith("@")] or names
    shown = ", ".join(repr(t[:60]) for t in terms[:6]) + (" ..." if len(terms) > 6 else "")
    shown = shown or _short(entry)
    return _UnsafeData(f"it defines JSON-LD terms of its own in an inline @context ({shown}); "
                       "a context is not signed, so those names could have been changed after signing. "
                       "Only published contexts this vault holds are accepted")


def _self_naming(entry: object) -> bool:
    """An inline context whose every term maps to an absolute IRI ending in that term
    ({"ExampleType": "https://example.org/#ExampleType"}, as VCDM 2.0 examples and the W3C
    suite use): its keys cannot be renamed or swapped without changing the signed IRIs, so
    it is as safe as a published context (#272's attack relabels, which this forbids)."""
    if isinstance(entry, dict) and set(entry) == {"@context"}:   # {"@context": {...}}, a document's form
        entry = entry["@context"]
    return isinstance(entry, dict) and bool(entry) and all(
        isinstance(term, str) and term and not term.startswith("@") and isinstance(iri, str)
        and _absolute(iri) and (iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]) == term
        for term, iri in entry.items())


def _blank_property(prop: str) -> _UnsafeData:
    return _UnsafeData(f"it uses {prop[:100]!r}, a blank node, as a property, which RDF cannot state, "
                       "so the signature does not cover it")


def _unsigned_markers(expanded: Any) -> None:
    """Fail on ``@index``, ``@direction`` and blank-node properties in an expanded document:
    RDF has none of them, so they are not signed (``@json`` literals are signed whole)."""
    stack = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "@index" in item:
                raise _UnsafeData(f"it carries the index {_short(item['@index'])} (@index), {_NOT_SIGNED}")
            if "@direction" in item:
                raise _UnsafeData(f"it gives {_short(item.get('@value'))} the text direction "
                                  f"{_short(item['@direction'])} (@direction), {_NOT_SIGNED}")
            if "@value" not in item:
                for key, value in item.items():
                    if key.startswith("_:"):
                        raise _blank_property(key)
                    stack.append(value)


def _dropped(expanded_property: object) -> None:
    if expanded_property is None:
        detail = "a property that its JSON-LD context maps to nothing"
    else:
        detail = f"the property {str(expanded_property)[:100]!r}, which none of its JSON-LD contexts defines"
    raise _UnsafeData(f"it uses {detail}, so the signature would not cover it")


# Memo of processed contexts, shared by all processors: (active ctx uuid, local ctx key,
# flags) -> (the local ctx object, kept alive so that its id stays unique; the result).
_CONTEXT_MEMO_SIZE = 256
_context_memo: OrderedDict[tuple, tuple[Any, dict]] = OrderedDict()
_memo_lock = threading.Lock()


# pyld's own test for an absolute IRI (or blank node id), precompiled.
_ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")


def _absolute(iri: object) -> bool:
    return isinstance(iri, str) and _ABSOLUTE_IRI.match(iri) is not None


def _check_objects(items: list) -> None:
    stack = list(items)
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        if "@list" in item:
            stack.extend(item["@list"])
        elif "@value" in item:
            datatype = item.get("@type")
            if datatype is not None and datatype != "@json" and not _absolute(datatype):
                raise _UnsafeData(f"a value has the datatype {str(datatype)[:100]!r}, "
                                  "which is not an absolute IRI")
        elif "@id" in item and not _absolute(item["@id"]):
            raise _UnsafeData(f"it refers to {str(item['@id'])[:100]!r}, which is not an absolute IRI")


_SYMMETRIC = "its blank nodes are too symmetric to canonicalize in bounded time"


class _SafeProcessing:
    """Mixed into pyld's processor (``_SafeProcessor``, built with pyld on first use):
    safe-mode checks and a processed-context memo.

    Overrides internal methods of pyld 3.3 (``_process_context``, ``_graph_to_rdf``
    and, for ``all_signed``, ``_expand`` and ``_expand_object``); tests pin the pyld
    version and cover them, and any pyld error still ends as a CredentialFailure.
    """

    def __init__(self, all_signed: bool = False) -> None:
        super().__init__(on_property_dropped=_dropped)
        self.all_signed = all_signed

    def _process_context(self, active_ctx, local_ctx, options, override_protected=False,
                         propagate=True, validate_scoped=True, cycles=None):
        if isinstance(local_ctx, str):
            local_key: object = ("url", local_ctx)
        elif id(local_ctx) in _static_ids:
            local_key = ("static", id(local_ctx))   # part of a vendored context: immutable
        else:
            # The document's own inline context: key it by content (it may be mutated
            # between calls by a caller, so never by identity).
            try:
                local_key = ("json", json.dumps(local_ctx, sort_keys=True))
            except (TypeError, ValueError):
                return super()._process_context(active_ctx, local_ctx, options,
                                                override_protected, propagate, validate_scoped,
                                                cycles)
        if "_uuid" not in active_ctx:
            try:
                active_ctx["_uuid"] = uuid.uuid1().hex
            except TypeError:               # a frozen initial context always has one
                pass
        key = (active_ctx.get("_uuid"), local_key, bool(override_protected), bool(propagate),
               bool(validate_scoped))
        with _memo_lock:
            hit = _context_memo.get(key)
            if hit is not None:
                _context_memo.move_to_end(key)
                return hit[1]
        result = super()._process_context(active_ctx, local_ctx, options, override_protected,
                                          propagate, validate_scoped, cycles)
        with _memo_lock:
            _context_memo[key] = (local_ctx, result)
            if len(_context_memo) > _CONTEXT_MEMO_SIZE:
                _context_memo.popitem(last=False)
        return result

    def _expand(self, active_ctx, active_property, element, options, inside_list=False,
                inside_index=False, type_scoped_ctx=None):
        # With all_signed, whatever pyld would drop silently is an error instead.
        if self.all_signed:
            if element is None:
                raise _UnsafeData(f"its member {str(active_property)[:60]!r} is null, {_NOT_SIGNED}")
            if isinstance(element, dict) and "@context" in element:
                # The document's own contexts (scoped ones come from these): only ours.
                local = element["@context"]
                for entry in local if isinstance(local, list) else [local]:
                    if not isinstance(entry, str) and not _self_naming(entry):
                        raise _inline_context(entry)
        result = super()._expand(active_ctx, active_property, element, options, inside_list,
                                 inside_index, type_scoped_ctx)
        if result is None and self.all_signed:
            where = f"its member {str(active_property)[:60]!r}" if active_property else "it"
            raise _UnsafeData(f"{where} holds {_short(element)}, which JSON-LD drops, so the "
                              "signature does not cover it")
        return result

    def _expand_object(self, active_ctx, active_property, expanded_active_property, element,
                       expanded_parent, options, inside_list=False, type_key=None,
                       type_scoped_ctx=None):
        if self.all_signed:     # null keywords (@language, @id, ...) are dropped too
            for key, value in element.items():
                if key.startswith("@") and self._expand_iri(active_ctx, key, vocab=True) is None:
                    raise _UnsafeData(f"it uses the key {key[:60]!r}, which looks like a JSON-LD "
                                      "keyword but is none, so JSON-LD ignores it and the "
                                      "signature does not cover it")
                if value is None and key != "@context" and self._expand_iri(
                        active_ctx, key, vocab=True) not in ("@value", None) and \
                        self.get_context_value(active_ctx, key, "@type") != "@json":
                    raise _UnsafeData(f"its member {key[:60]!r} is null, {_NOT_SIGNED}")
        return super()._expand_object(active_ctx, active_property, expanded_active_property,
                                      element, expanded_parent, options, inside_list, type_key,
                                      type_scoped_ctx)

    def _graph_to_rdf(self, graph, issuer, options):
        # pyld silently skips triples whose subject, predicate, object or datatype is a
        # relative IRI; in safe mode that is an error.
        for id_, node in graph.items():
            if not _absolute(id_):
                raise _UnsafeData(f"it gives a node the identifier {id_[:100]!r}, "
                                  "which is not an absolute IRI")
            for prop, items in node.items():
                if prop == "@type":
                    for t in items:
                        if not _absolute(t):
                            raise _UnsafeData(f"its type {str(t)[:100]!r} is not defined "
                                              "by any of its JSON-LD contexts")
                    continue
                if prop.startswith("@"):
                    continue
                if prop.startswith("_:"):
                    raise _blank_property(prop)
                if not _absolute(prop):
                    raise _UnsafeData(f"it uses the property {prop[:100]!r}, which none of its "
                                      "JSON-LD contexts defines")
                _check_objects(items)
        return super()._graph_to_rdf(graph, issuer, options)


_HASH_CONSTRUCTORS = {"sha256": hashlib.sha256, "sha384": hashlib.sha384}


class _BoundedWork:
    """Mixed into pyld's URDNA2015 (``_BoundedURDNA2015``): RDFC-1.0 with the work limit
    the specification asks for (pyld has none), and with its hash algorithm as a parameter
    (RDFC-1.0 §4.2: SHA-256 by default; ecdsa-rdfc-2019 labels blank nodes with SHA-384 for
    P-384 keys, as Digital Bazaar's suite does; pyld hard-codes SHA-256 in ``create_hash``)."""

    def __init__(self, hash_name: str = "sha256") -> None:
        super().__init__()
        self._calls = 0
        self._new_hash = _HASH_CONSTRUCTORS[hash_name]

    def create_hash(self):
        return self._new_hash()

    def hash_n_degree_quads(self, id_, issuer):
        self._calls += 1
        if self._calls > MAX_NDEGREE_CALLS:
            raise _UnsafeData(_SYMMETRIC)
        return super().hash_n_degree_quads(id_, issuer)

    def create_hash_to_related(self, id_, issuer):
        related = super().create_hash_to_related(id_, issuer)
        if any(len(nodes) > MAX_INDISTINGUISHABLE for nodes in related.values()):
            raise _UnsafeData(_SYMMETRIC)
        return related


class _Engine:
    """pyld and our subclasses of it, built on first use: importing pyld costs ~100 ms
    (it pulls in requests, aiohttp and lxml), which code that never verifies should not pay."""

    def __init__(self) -> None:
        from pyld import jsonld as pyld_jsonld  # start-up: see the docstring (~100 ms)
        from pyld.canon import URDNA2015
        from pyld.identifier_issuer import IdentifierIssuer

        # Nothing in this process may make pyld fetch a URL.
        pyld_jsonld.set_document_loader(document_loader)
        self.jsonld = pyld_jsonld
        self.IdentifierIssuer = IdentifierIssuer

        # The overrides live in module-level mixins; only the pyld base classes are late.
        class _SafeProcessor(_SafeProcessing, pyld_jsonld.JsonLdProcessor):
            pass

        class _BoundedURDNA2015(_BoundedWork, URDNA2015):
            pass

        self.Processor = _SafeProcessor
        self.Canonicalizer = _BoundedURDNA2015


_engine_lock = threading.Lock()
_engine_instance: _Engine | None = None


def _engine() -> _Engine:
    global _engine_instance
    if _engine_instance is None:
        with _engine_lock:
            if _engine_instance is None:
                _engine_instance = _Engine()
    return _engine_instance


# ---------------------------------------------------------------------------- API

def _fail(exc: BaseException, what: str) -> CredentialFailure:
    """Map anything raised while processing JSON-LD to a CredentialFailure."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, CredentialFailure):
            if cause.reason is Reason.UNKNOWN_CONTEXT and what != "The credential":
                return CredentialFailure(cause.reason, cause.message.replace("The credential", what, 1))
            return cause
        if isinstance(cause, _UnsafeData):
            return CredentialFailure(Reason.MALFORMED, f"{what} cannot be verified safely: {cause}.")
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, RecursionError):
        return _too_deep(what)
    if type(exc).__name__ == "JsonLdError":
        detail = _innermost_jsonld_message(exc)
        return CredentialFailure(Reason.MALFORMED, f"{what} is not valid JSON-LD: {detail}")
    return CredentialFailure(Reason.MALFORMED, f"{what} could not be processed as JSON-LD "
                             f"({type(exc).__name__}).")


def _innermost_jsonld_message(exc: BaseException) -> str:
    message = str(getattr(exc, "message", "") or exc)
    cause = exc.__cause__
    depth = 0
    while cause is not None and depth < 20:
        if type(cause).__name__ == "JsonLdError":
            message = str(getattr(cause, "message", "") or cause)
            code = getattr(cause, "code", None)
            if code:
                message = f"{message} ({code})"
        cause = cause.__cause__
        depth += 1
    return message[:300]


def _options(engine: _Engine) -> dict:
    options = dict(_RDF_OPTIONS)
    options["documentLoader"] = document_loader
    options["contextResolver"] = engine.jsonld.ContextResolver(engine.jsonld._resolved_context_cache,
                                                               document_loader)
    return options


def expand(document: Any, *, what: str = "The credential") -> list:
    """Safe-mode JSON-LD expansion of ``document`` (offline; raises CredentialFailure)."""
    check_bounds(document, what)
    if not isinstance(document, (dict, list)):
        raise CredentialFailure(Reason.MALFORMED, f"{what} is not a JSON object.")
    try:
        engine = _engine()
        return engine.Processor().expand(document, _options(engine))
    except CredentialFailure:
        raise
    except Exception as exc:        # pyld raises many types on hostile input
        raise _fail(exc, what) from exc


def canonize(document: Any, *, what: str = "The credential", checked: bool = False,
             all_signed: bool = False, hash_name: str = "sha256") -> str:
    """RDFC-1.0 canonical N-Quads of ``document``, in safe mode, offline; blank nodes are
    labelled with ``hash_name`` (sha256, or sha384 for ecdsa-rdfc-2019 with a P-384 key).

    The same pipeline as pyld's ``normalize(algorithm='URDNA2015')``: expand, node map,
    RDF dataset, canonicalize; but expanding only once, with the checks above.
    ``checked=True`` skips ``check_bounds`` when the caller has just run it.
    ``all_signed=True`` (for signatures) also fails unless every member of the document
    reaches the N-Quads, see "All signed" above.
    """
    if not checked:
        check_bounds(document, what)
    if not isinstance(document, (dict, list)):
        raise CredentialFailure(Reason.MALFORMED, f"{what} is not a JSON object.")
    try:
        engine = _engine()
        processor = engine.Processor(all_signed)
        options = _options(engine)
        return engine.Canonicalizer(hash_name).main(_dataset(engine, processor, document, options, all_signed),
                                           {"format": "application/n-quads"})
    except CredentialFailure:
        raise
    except Exception as exc:
        raise _fail(exc, what) from exc


def _dataset(engine: _Engine, processor, document: Any, options: dict, all_signed: bool) -> dict:
    """Expand once (safe mode), node map, RDF dataset: pyld's toRDF with our checks."""
    expanded = processor.expand(document, options)
    if all_signed:
        _unsigned_markers(expanded)
    issuer = engine.IdentifierIssuer("_:b")
    node_map: dict = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    dataset = {}
    for graph_name, graph in sorted(node_map.items()):
        if graph_name != "@default" and not _absolute(graph_name):
            raise _UnsafeData(f"it names a graph {graph_name[:100]!r}, which is not an absolute IRI")
        dataset[graph_name] = processor._graph_to_rdf(graph, issuer, options)
    return dataset


def check_known_contexts(document: Any) -> None:
    """UNKNOWN_CONTEXT unless every context URL ``document`` names (at any depth, and in
    ``@import``) is one we have.

    For processing a credential as plain JSON (eddsa-jcs-2022): VC Data Model 2.0 asks
    such verifiers to accept only ``@context`` values they know, since the meaning of
    every claim depends on them. Inline context objects are allowed.
    """
    known = _load_index()
    stack = [document]
    while stack:   # containers only: a scalar names no context (pushing each was ~5 % of a jcs check)
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    for entry in value if isinstance(value, list) else [value]:
                        if isinstance(entry, str) and entry not in known:
                            raise _unknown(entry)
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(value for value in item if isinstance(value, (dict, list)))


def clear_caches() -> None:
    """Forget parsed and processed contexts (for cold-start measurements and tests)."""
    global _index
    with _lock:
        _context_memo.clear()
        _documents.clear()
        _static_ids.clear()
        _index = None
        if _engine_instance is not None:
            _engine_instance.jsonld._resolved_context_cache.clear()


PYLD_VERSION: str = metadata.version("PyLD")
