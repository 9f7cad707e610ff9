"""The holder's credentials service: import, re-verify, show, export and delete, over the
vault's repository, trust list and offline caches. The CLI and the GUI both use this."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import InvalidCredential, VaultError
from ..store import VaultStore
from ..store.atomic import write_atomic
from ..net.fetch import FetchError, NetworkUse
from . import blockcerts_anchor, online, openbadges2_hosted
from .hosted_copies import HostedCopies
from .cache import VerificationCache
from .issuer_name import ShownIssuer, shown_issuer
from .repository import CredentialRepository, CredentialSummary, NewCredential
from .trust import TrustList
from .verdict import Reason, Verdict
from .verify import CheckedCredential, VerificationContext, check
from .webkeys.anchors import TrustAnchors
from .webkeys.lookup import KEY_DOCUMENTS, KeyDocuments

# What a stored credential's verdict means for the list's status column.
_STATUS = {Reason.VALID: "valid", Reason.EXPIRED: "expired", Reason.NOT_YET_VALID: "not-yet-valid",
           Reason.REVOKED: "revoked", Reason.SUSPENDED: "suspended"}
# Kept, but marked: the vault could not decide (issuer key or context unknown here, a bad
# status list). Re-verifying after adding the issuer's DID document can settle it.
_UNDECIDED = {Reason.UNKNOWN_KEY, Reason.UNKNOWN_CONTEXT, Reason.UNSUPPORTED_CRYPTOSUITE,
              Reason.STATUS_INVALID}


ANCHOR_FETCHES = 4   # a transaction and an issuer profile; a retry elsewhere at most


def status_of(verdict: Verdict) -> str:
    if verdict.reason in _STATUS:
        return _STATUS[verdict.reason]
    return "unverified" if verdict.reason in _UNDECIDED else "invalid"


@dataclass(frozen=True)
class ImportResult:
    summary: CredentialSummary
    created: bool
    verdict: Verdict


def key_fetches(network: NetworkUse, fetcher: Callable[[str], bytes] | None = None) -> online.StatusLists:
    """The bounds issuer keys are fetched within: as for status lists, with their own count."""
    return online.StatusLists(network, max_lists=KEY_DOCUMENTS, noun="issuer key",
                              fetch=fetcher and (lambda url, ends, cancel: fetcher(url)))


def anchor_fetches(network: NetworkUse, fetcher: Callable[[str], bytes] | None = None) -> online.StatusLists:
    """The bounds Blockcerts anchors (and their issuer profiles) are fetched within."""
    return online.StatusLists(network, max_lists=ANCHOR_FETCHES, noun=blockcerts_anchor.NOUN,
                              fetch=(fetcher and (lambda url, ends, cancel: fetcher(url))) or
                              (lambda key, ends, cancel: blockcerts_anchor.fetch_key(key, network, ends, cancel)))


def hosted_fetches(network: NetworkUse, fetcher: Callable[[str], bytes] | None = None) -> online.StatusLists:
    """The bounds an Open Badges 2.0 hosted badge (with its BadgeClass and issuer) is fetched within."""
    return online.StatusLists(network, max_lists=openbadges2_hosted.FETCHES, noun=openbadges2_hosted.NOUN,
                              fetch=fetcher and (lambda url, ends, cancel: fetcher(url)))


def verification_context(*, store: VaultStore | None = None, network: NetworkUse | None = None,
                         lists: online.StatusLists | None = None, keys: online.StatusLists | None = None,
                         fetcher: Callable[[str], bytes] | None = None, anchors: online.StatusLists | None = None,
                         explorers: dict[str, str] | None = None,
                         hosted: online.StatusLists | None = None) -> VerificationContext:
    """Status lists and issuer keys for one verification. Offline (no ``network``, the
    default): the copies saved in the vault, their date said. Online: fetched within
    ``lists``' and ``keys``' bounds (made here unless given; ``fetcher`` replaces the
    network); status lists saved once they verify, issuer key documents once they are
    consistent; the saved copy when a fetch fails."""
    cache = VerificationCache(store) if store else None
    trust = TrustList(store) if store else None
    if network is not None and lists is None:
        lists = online.StatusLists(network, fetch=fetcher and (lambda url, ends, cancel: fetcher(url)))
    if network is not None and keys is None:
        keys = key_fetches(network, fetcher)
    if network is not None and anchors is None:
        anchors = anchor_fetches(network, fetcher)
    if network is not None and hosted is None:
        hosted = hosted_fetches(network, fetcher)
    run = lists.run() if network is not None else None
    documents = KeyDocuments(cache, keys.run(run) if network is not None else None)   # one deadline for all
    chain = blockcerts_anchor.Anchors(cache, anchors.run(run) if network is not None else None, explorers)
    fresh: dict[str, bytes] = {}
    saved: dict[str, str] = {}   # url -> the sentence saying a list came from the vault, and its date
    saved_on: dict[str, str] = {}   # url -> that date (YYYY-MM-DD), for the status line

    def fetch(url: str) -> bytes:
        own = cache.own_status_list(url) if cache else None
        if own is not None:   # our own, as last signed: newer than any hosted copy
            saved[url] = f"The status comes from this vault's own status list (you issue it): {url[:200]}."
            return own
        failure = None
        if run is not None:
            try:
                fresh[url] = run(url)
                return fresh[url]
            except FetchError as exc:
                failure = exc
        data = cache.status_list(url) if cache else None
        if data is None:
            raise failure or FetchError(f"the status list at {url[:200]} was not checked: offline "
                                        "(checking status lists online is off).")
        day = saved_on[url] = (cache.status_list_fetched_at(url) or "")[:10]
        saved[url] = (f"The status comes from the copy of the status list at {url[:200]} saved on "
                      f"{day}" + (f"; fetching a fresh one failed: {failure}" if failure else
                                  " (offline: not checked online)."))
        return data

    def verified(data: bytes) -> None:
        for url, fetched in fresh.items():
            if cache and fetched == data:
                cache.put_status_list(url, data)

    return VerificationContext(documents=documents, key_notes=documents.take_notes,
                               trust_anchors=TrustAnchors(store).certificates if store else None,
                               is_trusted=trust.contains if trust else None,
                               fetch_status_list=fetch, status_list_verified=verified,
                               prefetch_status_lists=_not_own(run.prefetch, cache) if run else None,
                               status_list_saved=saved.get, status_list_saved_on=saved_on.get,
                               blockchain_anchors=chain,
                               hosted_badges=HostedCopies(cache, hosted.run(run) if network is not None else None))


def _not_own(prefetch, cache: VerificationCache | None):
    """``prefetch`` without the lists this vault issues itself: those are never fetched."""
    if cache is None:
        return prefetch
    return lambda urls: prefetch([url for url in urls if cache.own_status_list(url) is None])


class CredentialService:
    def __init__(self, store: VaultStore, *,
                 network: NetworkUse | Callable[[], NetworkUse | None] | None = None,
                 explorers: dict[str, str] | Callable[[], dict[str, str]] | None = None):
        """``network``: what verification may fetch; None is offline, a callable is asked
        at each verification (the app's setting, changed while it runs). ``explorers``:
        where Blockcerts anchors are read (blockcerts_anchor.EXPLORERS by default; a
        callable is asked at each verification, as ``network`` is)."""
        self.store = store
        self.explorers = explorers
        self.repository = CredentialRepository(store)
        self.trust = TrustList(store)
        self.cache = VerificationCache(store)
        self._network = network
        self._lists: online.StatusLists | None = None   # what was fetched lately, for the same network use
        self._keys: online.StatusLists | None = None
        self._anchors: online.StatusLists | None = None
        self._hosted: online.StatusLists | None = None

    def network(self) -> NetworkUse | None:
        return self._network() if callable(self._network) else self._network

    def context(self) -> VerificationContext:
        return self._context(self.network())

    def _context(self, network: NetworkUse | None) -> VerificationContext:
        if network is not None and (self._lists is None or self._lists.network != network):
            self._lists, self._keys = online.StatusLists(network), key_fetches(network)
            self._anchors, self._hosted = anchor_fetches(network), hosted_fetches(network)
        return verification_context(store=self.store, network=network, lists=self._lists, keys=self._keys,
                                    anchors=self._anchors,
                                    explorers=self.explorers() if callable(self.explorers) else self.explorers,
                                    hosted=self._hosted)

    def check(self, data: bytes) -> CheckedCredential:
        return check(data, self.context())

    def issuer(self, did: str | None, declared: str | None) -> ShownIssuer:
        """Who issued it, as the holder should see it: by their trust list's name."""
        return shown_issuer(did, declared, self.trust.names())

    def import_bytes(self, data: bytes) -> ImportResult:
        """Verify and store. A credential that is forged, tampered or not a credential at
        all is refused with the reason; an expired or revoked one is kept, marked."""
        result = self.import_many([data])[0]
        if isinstance(result, InvalidCredential):
            raise result
        return result

    def import_many(self, items: list[bytes], *, batch: int = 500) -> list["ImportResult | InvalidCredential"]:
        """Verify each and store the acceptable ones, many per transaction (one disk sync per
        batch). Returns, in order, an ImportResult or the InvalidCredential saying why not."""
        results: list = []
        network = self.network()   # once per batch: the app's setting is read from a file
        pending: list[tuple[int, NewCredential, Verdict]] = []

        def flush():
            stored = self.repository.add_many([new for _, new, _ in pending])
            for (index, _, verdict), (summary, created) in zip(pending, stored):
                results[index] = ImportResult(summary, created, verdict)
            pending.clear()

        for data in items:
            results.append(None)
            checked = check(data, self._context(network))
            state = status_of(checked.verdict)
            if state == "invalid":
                results[-1] = InvalidCredential(checked.verdict.reason.value, checked.verdict.message)
                continue
            pending.append((len(results) - 1, self._new_credential(checked, state), checked.verdict))
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
        return results

    @staticmethod
    def _new_credential(checked: CheckedCredential, state: str) -> NewCredential:
        verdict, display = checked.verdict, checked.display
        return NewCredential(
            format=checked.format, original=checked.original, verdict=verdict.to_json(), status=state,
            issuer=checked.issuer, issuer_name=(display.issuer_name or "") if display else "",
            subject=checked.subject or "", types=tuple(checked.types),
            title=(display.title if display else "") or "Credential",
            valid_from=checked.valid_from.isoformat() if checked.valid_from else None,
            valid_until=checked.valid_until.isoformat() if checked.valid_until else None,
            search_text=display.search_text() if display else "")

    def import_file(self, path: Path) -> ImportResult:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise VaultError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        return self.import_bytes(data)

    def reverify(self, cid: str) -> tuple[CredentialSummary, Verdict]:
        checked = self.check(self.repository.original(cid))
        summary = self.repository.update_verdict(cid, checked.verdict.to_json(), status_of(checked.verdict))
        return summary, checked.verdict

    def details(self, cid: str) -> tuple[CredentialSummary, CheckedCredential]:
        """The stored summary and the credential read again from its bytes (for display);
        the stored verdict is what ``checked.verdict`` holds until ``reverify``."""
        summary = self.repository.get(cid)
        checked = check(self.repository.original(summary.id), self._context(None))  # display: never online
        return summary, checked

    def export(self, cid: str, out: Path) -> Path:
        """Write the original bytes, exactly as received."""
        write_atomic(Path(out), self.repository.original(cid))
        return Path(out)

    def delete(self, cid: str) -> None:
        self.repository.delete(cid)


