"""DCQL (OpenID4VP 1.0 §6): which of the vault's credentials answer a verifier's query.

The query is the verifier's data: it is read strictly (sizes bounded, unknown formats said
plainly) and only matched against the vault, never executed. A credential matches a
credential query when its format and type (``vct_values`` / ``type_values``) fit and every
claim path asked for exists in it (with one of the ``values`` when given; the first
``claim_sets`` option it satisfies when there are several)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..credentials.service import CredentialService
from ..credentials.verify import FORMAT_DI, FORMAT_JWT, FORMAT_SD_JWT
from ..safe_text import one_line
from .http import ProtocolError

FORMATS = {"dc+sd-jwt": FORMAT_SD_JWT, "vc+sd-jwt": FORMAT_SD_JWT, "jwt_vc_json": FORMAT_JWT, "ldp_vc": FORMAT_DI}
MAX_QUERIES = 20
MAX_CLAIMS = 100
MAX_PATH = 16


@dataclass(frozen=True)
class ClaimQuery:
    path: tuple                       # strings (keys), ints (array indexes), None (every element)
    values: tuple = ()
    id: str | None = None

    @property
    def dotted(self) -> str:
        return ".".join("*" if p is None else str(p) for p in self.path)


@dataclass(frozen=True)
class CredentialQuery:
    id: str
    format: str                       # the verifier's word: dc+sd-jwt, jwt_vc_json, ldp_vc
    vct_values: tuple[str, ...] = ()
    type_values: tuple[tuple[str, ...], ...] = ()
    claims: tuple[ClaimQuery, ...] = ()
    claim_sets: tuple[tuple[str, ...], ...] = ()
    problem: str = ""                 # why the vault cannot answer it ("" when it can try)


@dataclass(frozen=True)
class Candidate:
    """A credential of the vault that answers a query, and the claims it would show."""
    id: str
    title: str
    status: str
    claims: tuple[ClaimQuery, ...]    # what the verifier asked of it (SD-JWT: only these are disclosed)


@dataclass
class Matches:
    queries: tuple[CredentialQuery, ...]
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    # each required credential set: its options, one of which must be answered in full
    required: tuple[tuple[tuple[str, ...], ...], ...] = ()

    def needed(self) -> list[str] | None:
        """The query ids to answer: for each required set, its first option the vault can
        answer in full (nothing more is disclosed); None when a required set cannot be met."""
        ids: list[str] = []
        for options in self.required:
            option = next((o for o in options if all(self.candidates.get(q) for q in o)), None)
            if option is None:
                return None
            ids += [q for q in option if q not in ids]
        return ids

    def missing(self) -> list[CredentialQuery]:
        return [q for q in self.queries if not self.candidates.get(q.id)]


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProtocolError(f"The verifier's query is malformed: {what} is not a list of text.")
    return tuple(value)


def _claim(entry: Any) -> ClaimQuery:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), list) or not entry["path"]:
        raise ProtocolError("The verifier's query is malformed: a claim has no path.")
    path = tuple(entry["path"])
    if len(path) > MAX_PATH or not all(p is None or isinstance(p, str) or (isinstance(p, int) and
                                                                              not isinstance(p, bool) and p >= 0)
                                       for p in path):
        raise ProtocolError("The verifier's query is malformed: a claim path holds something other than "
                            "names, indexes and null.")
    values = entry.get("values")
    if values is not None and not isinstance(values, list):
        raise ProtocolError("The verifier's query is malformed: a claim's values are not a list.")
    return ClaimQuery(path, tuple(values or ()), entry.get("id") if isinstance(entry.get("id"), str) else None)


def _credential_query(entry: Any) -> CredentialQuery:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not isinstance(entry.get("format"), str):
        raise ProtocolError("The verifier's query is malformed: a credential query has no id or format.")
    meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
    claims = entry.get("claims") or []
    if not isinstance(claims, list) or len(claims) > MAX_CLAIMS:
        raise ProtocolError("The verifier's query is malformed: its claims are not a list (or too many).")
    types = meta.get("type_values") or []
    if not isinstance(types, list) or not all(isinstance(t, list) for t in types):
        raise ProtocolError("The verifier's query is malformed: type_values is not a list of lists.")
    sets = entry.get("claim_sets") or []
    fmt = entry["format"]
    problem = "" if fmt in FORMATS else (f"it asks for the format {one_line(fmt, 40)}, which the vault does "
                                         "not hold (it holds dc+sd-jwt, jwt_vc_json and ldp_vc)")
    if entry.get("trusted_authorities") is not None and not problem:
        problem = ""   # a filter the verifier applies again itself; not a reason to refuse
    return CredentialQuery(entry["id"], fmt, _strings(meta.get("vct_values"), "vct_values"),
                           tuple(_strings(t, "type_values") for t in types), tuple(_claim(c) for c in claims),
                           tuple(_strings(s, "claim_sets") for s in sets if isinstance(s, list)), problem)


def parse(query: Any) -> tuple[tuple[CredentialQuery, ...], tuple[tuple[str, ...], ...]]:
    """The credential queries and the required choices of ``query`` (a dcql_query)."""
    if not isinstance(query, dict) or not isinstance(query.get("credentials"), list) or not query["credentials"]:
        raise ProtocolError("The verifier's request has no DCQL query asking for a credential.")
    if len(query["credentials"]) > MAX_QUERIES:
        raise ProtocolError(f"The verifier asks for more than {MAX_QUERIES} credentials at once.")
    queries = tuple(_credential_query(e) for e in query["credentials"])
    ids = {q.id for q in queries}
    if len(ids) != len(queries):
        raise ProtocolError("The verifier's query is malformed: two credential queries share an id.")
    required = []
    for entry in query.get("credential_sets") or ():
        if not isinstance(entry, dict) or not isinstance(entry.get("options"), list):
            raise ProtocolError("The verifier's query is malformed: a credential set has no options.")
        if entry.get("required", True) is False:
            continue
        options = [tuple(_strings(o, "options")) for o in entry["options"]]
        if not all(set(o) <= ids for o in options):
            raise ProtocolError("The verifier's query is malformed: a credential set names an unknown query.")
        required.append(tuple(options))
    if not query.get("credential_sets"):
        required = [((q.id,),) for q in queries]
    return queries, tuple(required)


def _values_at(node: Any, path: tuple) -> list:
    if not path:
        return [node]
    head, rest = path[0], path[1:]
    if head is None:
        return [v for item in node for v in _values_at(item, rest)] if isinstance(node, list) else []
    if isinstance(head, int):
        return _values_at(node[head], rest) if isinstance(node, list) and head < len(node) else []
    return _values_at(node[head], rest) if isinstance(node, dict) and head in node else []


def _claims_met(document: dict, query: CredentialQuery) -> tuple[ClaimQuery, ...] | None:
    def met(claim: ClaimQuery) -> bool:
        found = _values_at(document, claim.path)
        return bool(found) and (not claim.values or any(v in claim.values for v in found))
    if query.claim_sets:
        by_id = {c.id: c for c in query.claims if c.id}
        for option in query.claim_sets:
            chosen = tuple(by_id[i] for i in option if i in by_id)
            if len(chosen) == len(option) and all(met(c) for c in chosen):
                return chosen
        return None
    return query.claims if all(met(c) for c in query.claims) else None


def _type_fits(query: CredentialQuery, fmt: str, types: list[str], document: dict) -> bool:
    if fmt == FORMAT_SD_JWT:
        return not query.vct_values or document.get("vct") in query.vct_values
    return not query.type_values or any(set(wanted) <= set(types) for wanted in query.type_values)


def match(query: Any, credentials: CredentialService) -> Matches:
    """Every stored credential that answers each credential query, valid ones first."""
    queries, required = parse(query)
    result = Matches(queries, required=required)
    summaries = credentials.repository.search()
    for q in queries:
        found: list[Candidate] = []
        if q.problem:
            result.candidates[q.id] = found
            continue
        for summary in summaries:
            if summary.format != FORMATS[q.format]:
                continue
            _, checked = credentials.details(summary.id)
            document = checked.credential if isinstance(checked.credential, dict) else {}
            if not _type_fits(q, summary.format, list(checked.types or summary.types), document):
                continue
            claims = _claims_met(document, q)
            if claims is not None:
                found.append(Candidate(summary.id, summary.title, summary.status, claims))
        found.sort(key=lambda c: c.status != "valid")
        result.candidates[q.id] = found
    return result
