"""Status lists from the network: only when the user asked, and bounded.

A ``StatusLists`` lives as long as whatever verifies (a CLI command, the app's session):
it holds what the user allowed (``NetworkUse``) and what was fetched in the last minutes,
so a bulk re-verify asks each list once. Each verification takes a ``run()`` with a
budget of its own: at most ``MAX_LISTS`` distinct URLs, fetched in parallel, all within
``DEADLINE_SECONDS`` of its first request. A presentation naming hundreds of lists thus
costs at most eight requests and ten seconds; the rest are "not checked: too many
status lists", never a request.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Iterable

from ..net.fetch import Cancel, FetchError, NetworkUse, get

log = logging.getLogger(__name__)

MAX_LISTS = 8
DEADLINE_SECONDS = 10.0
REMEMBER_SECONDS = 300.0        # a list fetched this recently is not asked for again
REMEMBER_FAILED_SECONDS = 60.0  # nor a URL that just failed (a bulk re-verify, a dead server)

Get = Callable[[str, float, Cancel], bytes]   # (url, monotonic deadline, cancel) -> body or FetchError


class StatusLists:
    def __init__(self, network: NetworkUse, *, max_lists: int | None = None,
                 deadline: float | None = None, fetch: Get | None = None, noun: str = "status list"):
        """``noun``: what is fetched, in the sentences (issuer keys use the same bounds)."""
        self.network, self.noun = network, noun
        self.max_lists = MAX_LISTS if max_lists is None else max_lists
        self.deadline = DEADLINE_SECONDS if deadline is None else deadline
        self._get = fetch or (lambda url, ends, cancel: get(url, network, deadline=ends, cancel=cancel))
        self._recent: dict[str, tuple[float, bytes | FetchError]] = {}
        self._lock = threading.Lock()   # the app's jobs may verify on several threads

    def run(self, with_run: "StatusRun | None" = None) -> StatusRun:
        """One verification's share; ``with_run``: another run of the same verification
        (issuer keys beside status lists), whose deadline this one shares."""
        return StatusRun(self, with_run._clock if with_run is not None else None)

    def recent(self, url: str) -> bytes | FetchError | None:
        with self._lock:
            item = self._recent.get(url)
        if item is None:
            return None
        age = time.monotonic() - item[0]
        return item[1] if age < (REMEMBER_FAILED_SECONDS if isinstance(item[1], FetchError)
                                 else REMEMBER_SECONDS) else None

    def remember(self, url: str, outcome: bytes | FetchError) -> None:
        with self._lock:
            self._recent[url] = (time.monotonic(), outcome)


class StatusRun:
    """One verification's share of the network: ``prefetch`` the URLs it will need (in
    parallel), then call it with a URL for the body, or a FetchError saying why not."""

    def __init__(self, lists: StatusLists, clock: "_Deadline | None" = None):
        self.lists = lists
        self._spent: dict[str, bytes | FetchError] = {}   # the URLs this run used its budget on
        self._clock = clock or _Deadline()

    @property
    def _ends(self) -> float | None:
        return self._clock.ends

    def prefetch(self, urls: Iterable[str]) -> None:
        wanted = []
        for url in dict.fromkeys(urls):
            if len(self._spent) + len(wanted) >= self.lists.max_lists:
                break
            if url not in self._spent and self.lists.recent(url) is None:
                wanted.append(url)
        if not wanted:
            return
        if self._clock.ends is None:
            self._clock.ends = time.monotonic() + self.lists.deadline
        for url, outcome in self._fetch_all(wanted).items():
            self._spent[url] = outcome
            self.lists.remember(url, outcome)

    def __call__(self, url: str) -> bytes:
        outcome = self._spent[url] if url in self._spent else self.lists.recent(url)
        if outcome is None:
            self.prefetch([url])
            outcome = self._spent.get(url)
        if outcome is None:
            noun = self.lists.noun
            raise FetchError(f"the {noun} at {url[:200]} was not checked: too many {noun}s "
                             f"(one verification fetches at most {self.lists.max_lists}).")
        if isinstance(outcome, FetchError):
            raise outcome
        return outcome

    def _fetch_all(self, urls: list[str]) -> dict[str, bytes | FetchError]:
        def late(url: str) -> FetchError:
            return FetchError(f"{url[:200]} was not fetched: the {self.lists.deadline:g} s one "
                              "verification may spend on the network ran out.")

        if time.monotonic() >= self._ends:
            return {url: late(url) for url in urls}
        box: dict[str, bytes | FetchError] = {}
        cancel = Cancel()

        def work(url: str) -> None:
            try:
                box[url] = self.lists._get(url, self._ends, cancel)
            except FetchError as exc:
                box[url] = exc
            except Exception as exc:  # a fetcher's bug must not end the verification
                log.warning("fetching a status list failed unexpectedly", exc_info=True)
                box[url] = FetchError(f"{url[:200]} could not be fetched ({type(exc).__name__}).")

        # Daemon threads rather than a ThreadPoolExecutor, whose workers are joined when
        # the process exits: a name lookup stuck past the deadline must not hold
        # `vault verify` open. Sockets still open at the deadline are shut down.
        threads = [threading.Thread(target=work, args=(url,), name="status-list", daemon=True)
                   for url in urls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, self._ends - time.monotonic()))
        if any(thread.is_alive() for thread in threads):
            cancel.cancel()
        return {url: box[url] if url in box else late(url) for url in urls}


class _Deadline:
    """When a verification's network time ends: set by its first request."""
    ends: float | None = None
