"""The selective-disclosure functions of W3C vc-di-ecdsa §3.4 ("Selective Disclosure
Functions"), which ecdsa-sd-2023 is built from: JSON pointers that select parts of a
document, skolemization (every blank node gets a temporary IRI, so a selection keeps the
node identities of the whole), canonical N-Quads with blank node labels replaced (HMAC
labels for the issuer and holder, a label map for the verifier), and grouping the
canonical statements by selection.

Written from the specification's algorithms, checked step by step against its test
vectors and against Digital Bazaar's ``@digitalbazaar/di-sd-primitives`` (the reference
implementation, whose choices we follow where the text is silent: lines sorted by UTF-16
code unit, as JavaScript sorts; ``urn:bnid:`` skolem IRIs). JSON-LD processing is the
vault's (offline, safe mode; see ``jsonld`` / ``jsonld_sd``).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac as hmac_
import re
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from .. import jsonld, jsonld_sd
from ..verdict import CredentialFailure, Reason

SKOLEM_PREFIX = "urn:bnid:"
_SKOLEM = re.compile(r"<urn:bnid:([^>]+)>")
_BLANK = re.compile(r"_:(\S+)")
_HOLE = object()        # an array slot not (yet) selected

# A label function maps a canonical label ("c14n3") to its replacement ("u…" HMAC, or the
# label a derived proof's label map gives).
LabelFunction = Callable[[str], str]


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def js_sorted(lines: Iterable[str]) -> list[str]:
    """Sorted as JavaScript sorts strings (UTF-16 code units), as the reference does."""
    return sorted(lines, key=lambda line: line.encode("utf-16-be"))


# ---------------------------------------------------------------------------- labels

def hmac_labels(key: bytes) -> LabelFunction:
    """createHmacIdLabelMapFunction: "u" + base64url(HMAC-SHA-256(key, c14n label))."""
    return lambda label: "u" + b64url(hmac_.new(key, label.encode("utf-8"), hashlib.sha256).digest())


def mapped_labels(label_map: Mapping[str, str], what: str) -> LabelFunction:
    """createLabelMapFunction: the derived proof's map; a label it lacks is a forgery."""
    def label(c14n: str) -> str:
        found = label_map.get(c14n)
        if found is None:
            raise CredentialFailure(Reason.BAD_SIGNATURE, f"The {what} has a blank node ({c14n}) that its "
                                    "proof's label map does not name: it was changed after it was signed.")
        return found
    return label


def relabel(nquads: Iterable[str], labels: Mapping[str, str]) -> list[str]:
    """relabelBlankNodes: every ``_:label`` replaced by ``_:labels[label]``."""
    def replace(match: re.Match) -> str:
        new = labels.get(match.group(1))
        if new is None:
            raise ValueError(f"no label for the blank node _:{match.group(1)[:40]}")
        return "_:" + new
    return [_BLANK.sub(replace, nq) for nq in nquads]


def replace_canonical(canonical: Iterable[str], labels: LabelFunction) -> list[str]:
    """Canonical N-Quads with each c14n label replaced, sorted again."""
    return js_sorted(_BLANK.sub(lambda m: "_:" + labels(m.group(1)), nq) for nq in canonical)


def label_replacement_canonicalize_json_ld(document: dict, labels: LabelFunction, what: str) -> list[str]:
    """labelReplacementCanonicalizeJsonLd: RDFC-1.0 of ``document`` (every member signed,
    as ``jsonld.canonize(all_signed=True)`` requires), labels replaced."""
    canonical = jsonld.canonize(document, what=f"The {what}", all_signed=True)
    return replace_canonical(canonical.splitlines(keepends=True), labels)


def label_replacement_canonicalize_nquads(nquads: list[str], labels: LabelFunction,
                                          what: str) -> tuple[list[str], dict[str, str]]:
    """labelReplacementCanonicalizeNQuads: (canonical N-Quads with replaced labels,
    {input label: replaced label})."""
    canonical, issued = jsonld_sd.canonize_nquads(nquads, what=f"The {what}")
    return replace_canonical(canonical, labels), {old: labels(c14n) for old, c14n in issued.items()}


def hash_mandatory(mandatory: Iterable[str]) -> bytes:
    return hashlib.sha256("".join(mandatory).encode("utf-8")).digest()


# ---------------------------------------------------------------------------- JSON pointers

def parse_pointer(pointer: str) -> list[str | int]:
    """RFC 6901 segments; all-digit segments become array indexes (as the reference)."""
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise ValueError(f"{str(pointer)[:80]!r} is not a JSON pointer.")
    segments: list[str | int] = []
    for raw in pointer.split("/")[1:]:
        if "~" in raw:
            if re.search(r"~(?![01])", raw):
                raise ValueError(f"The JSON pointer {pointer[:80]!r} has an invalid escape.")
            segments.append(raw.replace("~1", "/").replace("~0", "~"))
        else:
            segments.append(int(raw) if raw.isdigit() else raw)
    return segments


def pointer_of(path: Iterable[str | int]) -> str:
    return "".join("/" + str(s).replace("~", "~0").replace("/", "~1") for s in path)


def _init_selection(source: Any, selection: dict | None = None) -> dict:
    selection = {} if selection is None else selection
    if isinstance(source, dict):
        if isinstance(source.get("id"), str) and not source["id"].startswith("_:"):
            selection["id"] = source["id"]
        if "type" in source:
            selection["type"] = source["type"]
    return selection


def _child(node: Any, segment: str | int, pointer: str) -> Any:
    if isinstance(node, list) and isinstance(segment, int) and 0 <= segment < len(node):
        return node[segment]
    if isinstance(node, dict) and str(segment) in node:
        return node[str(segment)]
    raise ValueError(f"The JSON pointer {pointer[:80]!r} does not match the document.")


def _put(container: Any, segment: str | int, value: Any) -> None:
    if isinstance(container, list):
        container.extend([_HOLE] * (int(segment) + 1 - len(container)))
        container[int(segment)] = value
    else:
        container[str(segment)] = value


def _get(container: Any, segment: str | int) -> Any:
    if isinstance(container, list):
        return container[segment] if isinstance(segment, int) and segment < len(container) else _HOLE
    return container.get(str(segment), _HOLE)


def select_json_ld(document: dict, pointers: list[str]) -> dict | None:
    """selectJsonLd: the parts of ``document`` the pointers name, with the ``id`` (not a
    blank node's) and ``type`` of every object on the way; None for no pointers."""
    if not pointers:
        return None
    arrays: list[list] = []
    selection: dict = _init_selection(document, {"@context": copy.deepcopy(document["@context"])}
                                      if "@context" in document else {})
    for pointer in pointers:
        paths = parse_pointer(pointer)
        if not paths:
            return copy.deepcopy(document)
        value: Any = document
        parent_sel: Any = selection
        selected: Any = selection
        for segment in paths:
            parent_sel = selected
            value = _child(value, segment, pointer)
            selected = _get(parent_sel, segment)
            if selected is _HOLE:
                selected = [] if isinstance(value, list) else _init_selection(value)
                if isinstance(selected, list):
                    arrays.append(selected)
                _put(parent_sel, segment, selected)
        if isinstance(value, list):
            selected = copy.deepcopy(value)
        elif isinstance(value, dict):
            selected = {**selected, **copy.deepcopy(value)} if isinstance(selected, dict) else copy.deepcopy(value)
        else:
            selected = value
        _put(parent_sel, paths[-1], selected)
    for array in arrays:        # make the sparse arrays dense
        array[:] = [item for item in array if item is not _HOLE]
    return selection


# ---------------------------------------------------------------------------- skolemization

def skolemize_expanded(expanded: list, labeler: list) -> list:
    """skolemizeExpandedJsonLd: every node object gets an ``@id`` (``urn:bnid:…``; a blank
    node id keeps its label). ``labeler`` is [random part, counter]."""
    out = []
    for element in expanded:
        if not isinstance(element, dict) or "@value" in element:
            out.append(copy.deepcopy(element))
            continue
        node = {prop: skolemize_expanded(value, labeler) if isinstance(value, list)
                else skolemize_expanded([value], labeler)[0] for prop, value in element.items()}
        if "@list" not in node and "@set" not in node:      # lists are not nodes: no @id
            node_id = node.get("@id")
            if node_id is None:
                node["@id"] = f"{SKOLEM_PREFIX}_{labeler[0]}_{labeler[1]}"
                labeler[1] += 1
            elif isinstance(node_id, str) and node_id.startswith("_:"):
                node["@id"] = SKOLEM_PREFIX + node_id[2:]
        out.append(node)
    return out


def deskolemize(nquads: Iterable[str]) -> list[str]:
    return [_SKOLEM.sub(r"_:\1", nq) for nq in nquads]


def to_deskolemized_nquads(document: Any, what: str) -> list[str]:
    return deskolemize(jsonld_sd.to_nquads(document, what=f"The {what}"))


@dataclass
class Group:
    matching: dict[int, str]          # index in the canonical N-Quads -> N-Quad
    non_matching: dict[int, str]
    deskolemized: list[str]           # the selection's N-Quads, skolem labels


@dataclass
class Grouped:
    groups: dict[str, Group]
    label_map: dict[str, str]         # input (skolem) label -> replaced label
    nquads: list[str]                 # canonical, labels replaced, sorted


def canonicalize_and_group(document: dict, labels: LabelFunction, definitions: Mapping[str, list[str]],
                           what: str) -> Grouped:
    """canonicalizeAndGroup: the document's canonical N-Quads (labels replaced) and, per
    named list of JSON pointers, which of them the selection holds."""
    expanded = jsonld_sd.expand_signed(document, what=f"The {what}")
    skolemized = skolemize_expanded(expanded, [uuid.uuid4().hex, 0])
    compact = jsonld_sd.compact(skolemized, document.get("@context"), what=f"The {what}")
    nquads, label_map = label_replacement_canonicalize_nquads(to_deskolemized_nquads(skolemized, what),
                                                              labels, what)
    groups = {}
    for name, pointers in definitions.items():
        try:
            selection = select_json_ld(compact, list(pointers))
        except ValueError as exc:
            raise CredentialFailure(Reason.MALFORMED, f"The {what}: {exc}") from None
        deskolemized = to_deskolemized_nquads(selection, what) if selection is not None else []
        try:
            selected = set(relabel(deskolemized, label_map))
        except ValueError as exc:
            raise CredentialFailure(Reason.MALFORMED, f"The {what} cannot be grouped: {exc}.") from None
        groups[name] = Group({i: nq for i, nq in enumerate(nquads) if nq in selected},
                             {i: nq for i, nq in enumerate(nquads) if nq not in selected}, deskolemized)
    return Grouped(groups, label_map, nquads)
