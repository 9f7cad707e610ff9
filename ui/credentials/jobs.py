"""What the Credentials page runs on the TaskRunner's threads: queries, rows, images,
import and re-verification of many credentials (with progress and cancel), details.

Every function here takes the core objects it needs and returns plain data; none touches
a widget. Long loops report through a ``Progress`` and stop when it is cancelled.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from vault.credentials import baked
from vault.credentials.issuer_name import ShownIssuer
from vault.credentials.service import CredentialService
from vault.credentials.verdict import CredentialFailure
from vault.errors import InvalidCredential, VaultError
from vault.identity import Identity
from vault.net.fetch import NetworkUse
from vault.protocols import offer as offers, oid4vci, vcapi
from vault.protocols.inputs import read_link
from vault.qr import scan
from vault.qr.errors import InvalidQr
from vault.settings import load_preferences
from vault.safe_text import safe_text

from ..errors import describe
from . import images

log = logging.getLogger(__name__)

# What a folder dropped or chosen may hold; a file named one by one is always tried.
CREDENTIAL_SUFFIXES = {".json", ".jsonld", ".jwt", ".sd-jwt", ".sdjwt", ".vc", ".txt", ".png", ".svg", ".jpg", ".jpeg"}
MAX_FOLDER_FILES = 100_000


@dataclass(frozen=True)
class Query:
    text: str = ""
    issuer: str | None = None
    type_: str | None = None
    status: str | None = None
    sort: str = "imported"
    descending: bool = True

    @property
    def filtered(self) -> bool:
        return bool(self.text.strip() or self.issuer or self.type_ or self.status)

    def kwargs(self) -> dict:
        return dict(text=self.text, issuer=self.issuer, type_=self.type_, status=self.status,
                    sort=self.sort, descending=self.descending)


@dataclass
class QueryResult:
    query: Query
    keys: list[int]                 # the first keys of the matches, in order (all if ``complete``)
    total: int                      # credentials in the vault, whatever the filter
    rows: dict                      # key -> (CredentialSummary, verdict dict), the first screenful
    seconds: float = 0.0
    complete: bool = True           # ``keys`` holds every match
    matches: int | None = None      # how many match: known when complete, else counted apart
    trusted: dict = field(default_factory=dict)   # the trust list {DID: name}: who issued each


def run_query(service: CredentialService, query: Query, first: int,
              known_total: int | None = None, first_keys: int | None = None) -> QueryResult:
    """The first ``first_keys`` keys of the matches (all if None) and the rows of the
    first ``first`` of them: what a keystroke waits for. The rest of the keys come with
    ``more_keys`` as the list scrolls, the number of matches with ``count_matches``.

    ``known_total``: the vault's count from the previous query, when nothing was added
    or removed since (typing a search): ~10 ms per keystroke saved at 100,000."""
    start = time.perf_counter()
    repository = service.repository
    if first_keys is None:
        keys, complete = repository.keys(**query.kwargs()), True
    else:
        keys = repository.keys(**query.kwargs(), limit=first_keys + 1)
        complete = len(keys) <= first_keys
        keys = keys[:first_keys]
    if not query.filtered and complete:
        total = len(keys)
    else:
        total = known_total if known_total is not None else repository.count()
    matches = len(keys) if complete else (total if not query.filtered else None)
    rows = repository.by_keys(keys[:first])
    return QueryResult(query, keys, total, rows, time.perf_counter() - start, complete, matches,
                       service.trust.names())


def more_keys(service: CredentialService, query: Query, offset: int, limit: int) -> tuple[list[int], bool]:
    """(up to ``limit`` keys from ``offset`` on, whether they are the last ones)."""
    keys = service.repository.keys(**query.kwargs(), limit=limit + 1, offset=offset)
    return keys[:limit], len(keys) <= limit


def prepare_search(service: CredentialService) -> None:
    service.repository.prepare_search()


def count_matches(service: CredentialService, query: Query) -> int:
    return service.repository.count(query.text, issuer=query.issuer, type_=query.type_, status=query.status)


def all_keys(service: CredentialService, query: Query) -> list[int]:
    return service.repository.keys(**query.kwargs())


def fetch_rows(service: CredentialService, keys: list[int]) -> dict:
    return service.repository.by_keys(keys)


def load_filters(service: CredentialService) -> tuple[list[tuple[str, str, int]], list[tuple[str, int]]]:
    repository = service.repository
    return repository.issuers(), repository.types()


def load_images(service: CredentialService, items: list[tuple[int, str]], size: int) -> dict:
    """key -> (state, QImage | None) for the badge image of each (key, credential id)."""
    out = {}
    for key, cid in items:
        try:
            _, checked = service.details(cid)
            uri = checked.display.image if checked.display else None
        except Exception:  # a credential that cannot be read again shows no image, no error
            log.debug("credential %s could not be read again for its image", cid, exc_info=True)
            uri = None
        out[key] = images.thumbnail(uri, size)
    return out


# ---- progress ---------------------------------------------------------------------------

class Progress(QObject):
    """Progress of one long job: ``changed(done, total, what)`` arrives in the GUI thread.

    Created in the GUI thread; ``report`` is called from the worker (a queued signal),
    at most every 50 ms so that 10,000 small files do not flood the event loop.
    """

    changed = Signal(int, int, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._cancel = threading.Event()
        self._last = 0.0

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int, what: str = "") -> None:
        now = time.monotonic()
        if done in (0, total) or now - self._last >= 0.05:
            self._last = now
            self.changed.emit(done, total, what)


# ---- import -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportItem:
    label: str                      # what the person calls it: a file name, "Pasted text"
    path: Path | None = None
    data: bytes | None = None


@dataclass
class ImportReport:
    total: int = 0
    imported: list = field(default_factory=list)   # (label, CredentialSummary)
    present: list = field(default_factory=list)    # (label, CredentialSummary): already in the vault
    refused: list = field(default_factory=list)    # (label, reason sentence)
    cancelled: bool = False

    @property
    def done(self) -> int:
        return len(self.imported) + len(self.present) + len(self.refused)


def items_from_paths(paths) -> tuple[list[ImportItem], list[tuple[str, str]]]:
    """Files as given, folders expanded (credential-looking files only). Also returns
    (label, reason) for what cannot be imported at all (missing paths)."""
    items, problems, seen = [], [], set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and
                           (p.suffix.lower() in CREDENTIAL_SUFFIXES or p.name.lower().endswith(".sd-jwt")))
            if not found:
                problems.append((path.name or str(path), "The folder holds no credential files."))
            for p in found[:MAX_FOLDER_FILES]:
                if p not in seen:
                    seen.add(p)
                    items.append(ImportItem(str(p.relative_to(path.parent)), path=p))
        elif path.is_file():
            if path not in seen:
                seen.add(path)
                items.append(ImportItem(path.name, path=path))
        else:
            problems.append((path.name or str(path), "No such file."))
    return items, problems


def run_import(service: CredentialService, paths: list, texts: list[str], progress: Progress) -> ImportReport:
    """Import files (folders expanded here, off the GUI thread) and pasted or dropped text."""
    items, problems = items_from_paths(paths)
    items += [ImportItem("Pasted text", data=text.strip().encode("utf-8")) for text in texts]
    report = import_items(service, items, progress)
    report.refused[:0] = problems
    report.total += len(problems)
    return report


QR_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}
CREDENTIAL_KINDS = ("vc-json", "sd-jwt", "vc-jwt")   # BTV1 kinds (and plain texts) of one credential


def qr_credential(path: Path) -> bytes | None:
    """The credential in a photo or screenshot of a credential QR code (an issuer's
    delivery: BTV1 VC-JSON / SD-JWT, all its parts in one image), or None when the image
    is a baked badge or holds no code (then it is imported as the file it is)."""
    if path.suffix.lower() not in QR_IMAGE_SUFFIXES:
        return None
    data = path.read_bytes()
    if baked.is_baked_image(data):
        try:
            baked.extract(data)
        except (VaultError, CredentialFailure):   # no credential baked in: perhaps a photo of a code
            pass
        else:
            return None
    try:
        decoded = scan.read_presentation(data)
    except InvalidQr:
        return None
    if decoded.kind not in CREDENTIAL_KINDS:
        raise InvalidCredential("unsupported-format", f"The QR code is a {decoded.kind} code, not a credential: "
                                "a presentation is checked on the Verify page.")
    return decoded.payload


def import_items(service: CredentialService, items: list[ImportItem], progress: Progress) -> ImportReport:
    report = ImportReport(total=len(items))
    progress.report(0, len(items))
    for item in items:
        if progress.cancelled:
            report.cancelled = True
            break
        try:
            scanned = qr_credential(item.path) if item.path is not None else None
            if scanned is not None:
                result = service.import_bytes(scanned)
            elif item.path is not None:
                result = service.import_file(item.path)
            else:
                result = service.import_bytes(item.data or b"")
        except InvalidCredential as exc:
            report.refused.append((item.label, str(exc)))
        except VaultError as exc:
            report.refused.append((item.label, str(exc)))
        except Exception as exc:  # one bad file never ends the import, nor the app
            report.refused.append((item.label, describe(exc)))
        else:
            (report.imported if result.created else report.present).append((item.label, result.summary))
        progress.report(report.done, len(items), item.label)
    return report


# ---- re-verify many ---------------------------------------------------------------------

@dataclass
class ReverifyReport:
    total: int = 0
    checked: int = 0
    changed: list = field(default_factory=list)    # (title, old status, new status)
    flagged: list = field(default_factory=list)    # (title, warning code, now: bool), status unchanged
    failed: list = field(default_factory=list)     # (title, reason)
    cancelled: bool = False


def reverify_query(service: CredentialService, query: Query, progress: Progress) -> ReverifyReport:
    """Re-verify every credential the list's query matches (not only those read so far)."""
    return reverify_keys(service, all_keys(service, query), progress)


def reverify_keys(service: CredentialService, keys: list[int], progress: Progress,
                  chunk: int = 200) -> ReverifyReport:
    report = ReverifyReport(total=len(keys))
    progress.report(0, len(keys))
    for start in range(0, len(keys), chunk):
        rows = service.repository.by_keys(keys[start:start + chunk])
        for key in keys[start:start + chunk]:
            if progress.cancelled:
                report.cancelled = True
                return report
            if key in rows:
                before = rows[key][0]
                try:
                    after, verdict = service.reverify(before.id)
                except Exception as exc:
                    report.failed.append((before.title, describe(exc)))
                else:
                    if after.status != before.status:
                        report.changed.append((before.title, before.status, after.status))
                    else:
                        _note_warnings(report, before.title, rows[key][1], verdict)
            report.checked += 1
            progress.report(report.checked, len(keys), "")
    return report


def _note_warnings(report: ReverifyReport, title: str, stored: dict, verdict) -> None:
    """A warning that came or went (an issuer trusted meanwhile, a status list now held)."""
    before = {w.get("code") for w in (stored or {}).get("warnings") or [] if isinstance(w, dict)}
    after = {w.code.value for w in verdict.warnings}
    report.flagged += [(title, code, True) for code in sorted(after - before)]
    report.flagged += [(title, code, False) for code in sorted(before - after)]


# ---- one credential ---------------------------------------------------------------------

@dataclass
class Detail:
    key: int | None
    summary: object                 # CredentialSummary
    verdict: dict                   # the stored verdict: what the list shows
    display: object | None          # CredentialDisplay, or None if the vault could not read it
    credential: dict                # the data model (JWT decoded, SD-JWT disclosed claims)
    original: bytes
    image_state: str = images.NONE
    image: object | None = None     # QImage
    issuer: ShownIssuer | None = None   # by the trust list's name, or marked not verified

    @property
    def raw_text(self) -> str:
        """The original as a person can read it: JSON indented; a token, then what it says.
        Bidi controls and invisible characters in JSON are written as \\u escapes (the
        same JSON, nothing hidden); elsewhere as marks."""
        text = self.original.decode("utf-8", errors="replace").strip()
        if text.startswith("{"):
            try:
                return _escaped_hidden(json.dumps(json.loads(text), indent=2, ensure_ascii=False))
            except ValueError:
                return safe_text(text, multiline=True)
        decoded = json.dumps(self.credential, indent=2, ensure_ascii=False) if self.credential else ""
        return safe_text(text, multiline=True) + (
            "\n\n// Decoded payload (what the token says):\n" + _escaped_hidden(decoded) if decoded else "")


def _escaped_hidden(json_text: str) -> str:
    """JSON text whose characters that safe_text would mark are \\u escapes instead (json.dumps
    already escapes control characters; these can only be inside strings)."""
    if safe_text(json_text, multiline=True) == json_text:
        return json_text
    return "".join(json.dumps(c)[1:-1] if safe_text(c, multiline=True) != c else c for c in json_text)


def load_detail(service: CredentialService, cid: str, key: int | None, image_size: int) -> Detail:
    summary, checked = service.details(cid)
    verdict = service.repository.verdict(summary.id)
    state, image = images.thumbnail(checked.display.image if checked.display else None, image_size)
    return Detail(key, summary, verdict, checked.display, checked.credential or {}, checked.original,
                  state, image, service.issuer(summary.issuer, summary.issuer_name))


def reverify_one(service: CredentialService, cid: str):
    """(summary, verdict, the trust list {DID: name}: who issued it may read otherwise now)."""
    summary, verdict = service.reverify(cid)
    return summary, verdict.to_json(), service.trust.names()


def trust_issuer(service: CredentialService, did: str, name: str | None) -> list[str]:
    """Trust ``did`` under ``name`` (None: stop trusting it). The ids of the credentials
    whose stored verdict changed (the core updates them; nothing is verified again)."""
    return service.trust.add(did, name) if name is not None else service.trust.remove(did)


def issuer_rows(service: CredentialService, keys: list[int]) -> tuple[dict, dict]:
    """(the rows of ``keys`` as ``by_keys`` reads them, the trust list {DID: name})."""
    return service.repository.by_keys(keys), service.trust.names()


def stored_verdict(service: CredentialService, cid: str):
    """(summary, the stored verdict, the trust list {DID: name}): what the detail shows."""
    summary = service.repository.get(cid)
    return summary, service.repository.verdict(summary.id), service.trust.names()


def save_annotations(service: CredentialService, cid: str, tags: list[str], note: str):
    repository = service.repository
    repository.set_tags(cid, tags)
    return repository.set_note(cid, note)


def export_credential(service: CredentialService, cid: str, out: Path) -> Path:
    return service.export(cid, out)


# ---- receiving from an issuer's offer (OpenID4VCI) -------------------------------------------

def protocol_network(data_dir):
    """An exchange the person started: public addresses; private and loopback ones when
    Settings allows private addresses (an issuer on their own network)."""
    return NetworkUse(allow_private=load_preferences(data_dir).allow_private_addresses, timeout=10)


def offer_preview(source, data_dir):
    """The offer in ``source`` (a link, a file path, image bytes) and its issuer's metadata,
    or the exchange a ``dccrequest://`` link leads to (read, not yet contacted)."""
    link = read_link(source, offers.OFFER_SCHEMES + vcapi.EXCHANGE_SCHEMES, "a credential offer or exchange link")
    if vcapi.is_exchange_link(link):
        return vcapi.parse_link(link)
    return offers.preview(link, protocol_network(data_dir))


def receive_offer(service: CredentialService, preview, tx_code: str | None):
    """Accept the offer or run the exchange: the credentials verified and imported, all or none."""
    network = protocol_network(service.store.data_dir)
    if isinstance(preview, vcapi.ExchangeLink):
        return vcapi.receive(preview, Identity(service.store), service, network)
    return oid4vci.receive(preview, Identity(service.store), service, network, tx_code=tx_code,
                           open_browser=webbrowser.open)
