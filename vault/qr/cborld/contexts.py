"""Which term an integer stands for, and which definition a term has where it appears.

CBOR-LD numbers terms as it meets their contexts: every context, when first loaded, gives
each of its terms not numbered yet the next even id (from 100), in sorted order. So the
decoder must load the same contexts in the same order as the encoder did: the document's
own contexts, then the type-scoped contexts of each object's types (sorted), then, term
by term in sorted order, property-scoped contexts. This follows ``@digitalbazaar/cborld``
8 (``ContextLoader.js``, ``ActiveContext.js``), which decodes what versions 4 to 8 wrote;
where 8 would fail on what 4 (the Learner Credential Wallet's) wrote, 4 is followed:
a term definition without an ``@id`` (``@reverse``), a scoped ``"@context": null`` (VC 2.0
presentations) and protected terms redefined (VC 2.0 credentials in the wallet's VC 1.1
presentation). Judging JSON-LD is not the decoder's job: verification canonicalizes what
is signed with pyld, which refuses such redefinitions where they matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..errors import CborldError
from .tables import FIRST_TERM_ID, KEYWORDS

MAX_CONTEXTS = 200          # distinct contexts one document may bring in (URLs and inline)
MAX_CURIE_STEPS = 16        # prefix:suffix expansions of one IRI (a context can loop)
_MISSING = object()


def js_order(text: str) -> bytes:
    """Sort key of JavaScript's default sort (UTF-16 code units), which the encoder used."""
    return text.encode("utf-16-be", "surrogatepass")


class Entry:
    __slots__ = ("context", "terms", "source")

    def __init__(self, context: dict, terms: dict[str, dict], source: Any):
        self.context, self.terms, self.source = context, terms, source


class TermIds:
    """Term ↔ id, and the contexts loaded so far (each once)."""

    def __init__(self, load_context: Callable[[str], Any]):
        self._load_context = load_context
        self.term_to_id: dict[str, int] = dict(KEYWORDS)
        self.id_to_term: dict[int, str] = {v: k for k, v in KEYWORDS.items()}
        self._next = FIRST_TERM_ID
        self._entries: dict[Any, Entry] = {}

    def term_for(self, key: Any) -> tuple[str, bool]:
        """(term, plural) of a map key: an uncompressed key is itself, an odd id is plural."""
        if isinstance(key, str):
            return key, False
        term = self.id_to_term.get(key & ~1)
        if term is None:
            raise CborldError(f"The CBOR-LD data uses term id {key}, which none of its contexts "
                              "defines: it was made with other contexts than the ones this vault has.")
        return term, bool(key & 1)

    def id_for(self, term: str) -> int | str:
        return self.term_to_id.get(term, term)

    def load(self, context: Any) -> Entry:
        key = context if isinstance(context, str) else id(context)
        entry = self._entries.get(key)
        if entry is not None:
            return entry
        if isinstance(context, str):
            return self._add(self._document(context), context)
        if isinstance(context, dict):
            return self._add(context, context)
        raise CborldError("The CBOR-LD data has a JSON-LD context that is neither a URL nor an object.")

    def _document(self, url: str) -> dict:
        document = self._load_context(url)
        inner = document.get("@context") if isinstance(document, dict) else None
        if not isinstance(inner, dict):
            raise CborldError(f"The JSON-LD context {url[:200]} is not a single context object.")
        return inner

    def _add(self, context: dict, source: Any) -> Entry:
        if len(self._entries) >= MAX_CONTEXTS:
            raise CborldError("The CBOR-LD data brings in too many JSON-LD contexts.")
        imported = context.get("@import")
        if isinstance(imported, str):
            base = self._entries.get(imported) or self._add(self._document(imported), imported)
            context = {**base.context, **context}
        terms: dict[str, dict] = {}
        for term in sorted(context, key=js_order):
            definition = context[term]
            if term in KEYWORDS or definition is None:
                continue
            if isinstance(definition, str):
                definition = {"@id": definition}
            elif not isinstance(definition, dict):
                raise CborldError(f"The JSON-LD context defines {term[:80]!r} as neither text nor an object.")
            terms[term] = dict(definition)
            if term not in self.term_to_id:
                self.term_to_id[term] = self._next
                self.id_to_term[self._next] = term
                self._next += 2
        entry = Entry(context, terms, source)   # source keeps an inline context alive: its id stays its key
        self._entries[source if isinstance(source, str) else id(source)] = entry
        return entry


def _expand(iri: Any, terms: dict[str, dict], context: dict) -> Any:
    """prefix:suffix → the prefix's IRI + suffix, as cborld resolves compact IRIs."""
    for _ in range(MAX_CURIE_STEPS):
        if not isinstance(iri, str) or ":" not in iri:
            return iri
        prefix, _, suffix = iri.partition(":")
        found = context.get(prefix)
        if found is None:
            found = terms.get(prefix)
        if found is None:
            return iri
        base = found if isinstance(found, str) else found.get("@id") if isinstance(found, dict) else None
        if not isinstance(base, str):
            return iri
        iri = base + suffix
    raise CborldError("A JSON-LD context defines a compact IRI that never ends expanding.")


class Active:
    """The term definitions in force on one object (``previous``: where it came from)."""

    def __init__(self, ids: TermIds, terms: dict[str, dict], previous: Active | None = None):
        self.ids, self.terms, self.previous = ids, terms, previous
        self.type_terms = ["@type"] + [t for t, d in terms.items() if d.get("@id") == "@type"]

    def definition(self, term: str) -> dict:
        return self.terms.get(term) or {}

    def embedded(self, contexts: Any) -> Active:
        return Active(self.ids, self._update(self.terms, contexts), self)

    def type_scoped(self, types: Iterable[str]) -> Active:
        terms = self.terms
        for name in sorted(types, key=js_order):
            terms = self._update(terms, (terms.get(name) or {}).get("@context"), type_scope=True)
        return Active(self.ids, terms, self)

    def property_scoped(self, term: str) -> Active:
        scoped = (self.terms.get(term) or {}).get("@context")
        return Active(self.ids, self._update(self._propagating(), scoped), self)

    def _propagating(self) -> dict[str, dict]:
        """The terms that reach into a property's value: type-scoped terms do not, unless
        an earlier context defined the same term (that definition comes back)."""
        terms = {}
        for term, definition in self.terms.items():
            if definition.get("propagate", True):
                terms[term] = definition
                continue
            here = self.previous
            while here is not None:
                older = here.terms.get(term)
                if older is None:
                    break
                if older.get("propagate", True):
                    terms[term] = older
                    break
                here = here.previous
        return terms

    def _update(self, active: dict[str, dict], contexts: Any, *, type_scope: bool = False) -> dict[str, dict]:
        if contexts is None:
            return active
        for context in contexts if isinstance(contexts, list) else [contexts]:
            if context is None:
                raise CborldError("The CBOR-LD data resets its JSON-LD context (null), which CBOR-LD cannot.")
            entry = self.ids.load(context)
            raw = entry.context
            stated = raw.get("@propagate")
            propagate = (not type_scope) if stated is None else bool(stated)
            new = {term: {**d, "propagate": propagate} for term, d in entry.terms.items()}
            for term, d in new.items():
                if "@id" in d:
                    d["@id"] = _expand(d["@id"], active, raw)
                else:
                    expanded = _expand(term, active, raw)
                    if ":" in expanded:
                        d["@id"] = expanded
                if "@type" in d:
                    d["@type"] = _expand(d["@type"], active, raw)
            for term, old in active.items():    # a redefinition wins, even of a protected term
                if term not in new and raw.get(term, _MISSING) is not None:
                    new[term] = dict(old)
            active = new
        return active
