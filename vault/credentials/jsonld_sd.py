"""JSON-LD for the selective-disclosure cryptosuite (ecdsa-sd-2023, see
``suites/sd_primitives``): the N-Quads of a document without canonicalizing them, RDFC-1.0
of N-Quads with the canonical issuer's map, and compaction. The same offline, safe-mode
pyld engine as ``jsonld`` (whose internals it shares: one engine, one document loader).

Why the map: ecdsa-sd-2023 relabels blank nodes after canonicalization (HMAC labels) and
must know which input blank node got which canonical label. pyld's ``normalize()`` does
not return that map, but its URDNA2015 object keeps it (``canonical_issuer.existing``),
so ``canonize_nquads`` runs the canonicalizer itself and reads it.
"""

from __future__ import annotations

from typing import Any

from .jsonld import _dataset, _engine, _fail, _options, _UnsafeData, _unsigned_markers, check_bounds
from .verdict import CredentialFailure

__all__ = ["canonize_nquads", "compact", "expand_signed", "to_nquads"]



def expand_signed(document: Any, *, what: str = "The credential") -> list:
    """Safe-mode expansion that also refuses what would not be signed (``canonize``'s
    ``all_signed``): the skolemized form of a document must carry all of it."""
    check_bounds(document, what)
    try:
        engine = _engine()
        expanded = engine.Processor(True).expand(document, _options(engine))
        _unsigned_markers(expanded)
        return expanded
    except CredentialFailure:
        raise
    except Exception as exc:
        raise _fail(exc, what) from exc


def to_nquads(document: Any, *, what: str = "The credential", all_signed: bool = False) -> list[str]:
    """The N-Quads of ``document`` (compact or expanded), one string per quad with its
    newline, not canonicalized; safe mode as ``canonize``."""
    check_bounds(document, what)
    try:
        engine = _engine()
        dataset = _dataset(engine, engine.Processor(all_signed), document, _options(engine), all_signed)
        return [engine.jsonld.JsonLdProcessor.to_nquad(triple, None if name == "@default" else name)
                for name, triples in dataset.items() for triple in triples]
    except CredentialFailure:
        raise
    except Exception as exc:
        raise _fail(exc, what) from exc


def canonize_nquads(nquads: list[str], *, what: str = "The credential") -> tuple[list[str], dict[str, str]]:
    """RDFC-1.0 of N-Quads: (the canonical quads, sorted; {input label: c14n label}, no "_:")."""
    try:
        engine = _engine()
        dataset = engine.jsonld.JsonLdProcessor.parse_nquads("".join(nquads))
        # Input labels renamed first: pyld's URDNA2015 (step 7) leaves a label that already
        # starts with "_:c14n" as it is, so an input label "c14n3" would survive unrenamed.
        renamed: dict[str, str] = {}
        for triples in dataset.values():
            for triple in triples:
                for part in ("subject", "object"):
                    if triple[part]["type"] == "blank node":
                        triple[part]["value"] = renamed.setdefault(triple[part]["value"], f"_:i{len(renamed)}")
        if any(name.startswith("_:") for name in dataset):
            raise _UnsafeData("it names a graph with a blank node")
        canonicalizer = engine.Canonicalizer()
        text = canonicalizer.main(dataset, {"format": "application/n-quads"})
        issued = canonicalizer.canonical_issuer.existing
        return text.splitlines(keepends=True), {old[2:]: issued[new][2:] for old, new in renamed.items()}
    except CredentialFailure:
        raise
    except Exception as exc:
        raise _fail(exc, what) from exc


def compact(expanded: Any, context: Any, *, what: str = "The credential") -> dict:
    """``expanded`` compacted with ``context`` (an ``@context`` value), offline."""
    try:
        engine = _engine()
        return engine.Processor().compact(expanded, {"@context": context}, _options(engine))
    except CredentialFailure:
        raise
    except Exception as exc:
        raise _fail(exc, what) from exc
