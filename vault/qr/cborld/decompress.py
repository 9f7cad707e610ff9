"""Compressed CBOR-LD maps back to JSON-LD objects (``@digitalbazaar/cborld`` 8
``Converter.js`` and ``Decompressor.js``, decoding direction only)."""

from __future__ import annotations

from typing import Any

from ..errors import CborldError
from .contexts import Active, js_order
from .tables import KEYWORDS
from .values import UNDECODED, Tables, decode_value

_CONTEXT, _CONTEXTS = KEYWORDS["@context"], KEYWORDS["@context"] + 1


def _js_truthy(value: Any) -> bool:
    return not (value is None or value is False or value == "" or
                (isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0))


def _inline(value: Any) -> Any:
    """An uncompressed context: URL text, or a context object (string keys)."""
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise CborldError("The CBOR-LD data has an inline JSON-LD context with a non-text key.")
        return {k: _inline(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_inline(v) for v in value]
    return value


class Decompressor:
    def __init__(self, tables: Tables):
        self.tables = tables
        self.ids = tables.ids

    def _context(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            url = self.tables.values["context"].get(value)
            if url is None:
                raise CborldError(f"The CBOR-LD data names context number {value}, which is not in the "
                                  "tables of this CBOR-LD version.")
            return url
        return _inline(value)

    def _contexts(self, data: dict, output: dict) -> None:
        one, many = data.get(_CONTEXT), data.get(_CONTEXTS)
        if _js_truthy(one):
            output["@context"] = self._context(one)
        if _js_truthy(many):
            if _js_truthy(one):
                raise CborldError("The CBOR-LD data gives its JSON-LD context twice.")
            if not isinstance(many, list):
                raise CborldError("The CBOR-LD data's list of JSON-LD contexts is not a list.")
            output["@context"] = [self._context(v) for v in many]

    def _types(self, data: dict, active: Active) -> set[str]:
        types: set[str] = set()
        for type_term in active.type_terms:
            term_id = self.ids.id_for(type_term)
            value = data.get(term_id)
            if value is None and isinstance(term_id, int):
                value = data.get(term_id + 1)
            if value is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                decoded = decode_value(item, type_term, active.definition(type_term), "@vocab", self.tables)
                if not isinstance(decoded, str):
                    raise CborldError("The CBOR-LD data has an object type that is not text.")
                types.add(decoded)
        return types

    def convert(self, data: Any, active: Active) -> dict:
        if not isinstance(data, dict):
            raise CborldError("The CBOR-LD data does not hold a JSON-LD object where one is expected.")
        output: dict = {}
        self._contexts(data, output)
        active = active.embedded(output.get("@context"))
        active = active.type_scoped(self._types(data, active))
        entries = []
        for key, value in data.items():
            if key in (_CONTEXT, _CONTEXTS):
                continue
            term, plural = self.ids.term_for(key)
            entries.append((term, plural, active.definition(term), value))
        entries.sort(key=lambda entry: js_order(entry[0]))
        for term, plural, definition, value in entries:
            inner = active.property_scoped(term)
            if plural and not isinstance(value, list):
                raise CborldError(f"The CBOR-LD data gives {term[:80]!r} one value where it said a list.")
            values = [self._value(inner, term, definition, v) for v in (value if plural else [value])]
            output[term] = values if plural else values[0]
        return output

    def _value(self, active: Active, term: str, definition: dict, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, dict):
            return self.convert(value, active)
        decoded = decode_value(value, term, definition, definition.get("@type"), self.tables)
        if decoded is not UNDECODED:
            return decoded
        return [self._value(active, term, definition, v) for v in value]
