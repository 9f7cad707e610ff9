"""The unlocked vault's connection to the chosen network, shared by every chain page.

One ChainSession per open workspace. It opens the core's vault.chain.session.ChainSession
(identity + network + TxService) off the GUI thread (the embedded chain deploys itself on
first use and funds the vault's accounts from its faucet once; transactions left pending
by an earlier run are settled), and then runs every chain call the pages ask for on ONE
worker thread, in the order asked: reads and writes never overlap, so nonces and the
embedded chain's state are never raced, and a page's read after a write sees it.

    job = session.run(staking.status, address)   # fn(chain, *args) on the chain thread
    job = session.run_service(fn, *args)         # fn(service, *args): history, tests
    job = session.run_plan(build, title, show=…)  # every write: TxService.run (ui.chain.write)

A write's confirmation is asked on the GUI thread while the chain thread waits for the
answer (``ask``), so nothing else runs on the chain between the preview and the send;
closing the session answers no.

Signals tell the pages when to re-read (``changed``: a write was mined, blocks advanced,
the network was switched) and the status bar how many transactions are pending.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from vault.errors import ChainError

from ..workers import Job, TaskRunner


class Question:
    """A confirmation asked from the chain thread (``confirmation``: vault.chain.plan's),
    answered once on the GUI thread."""

    def __init__(self, confirmation):
        self.confirmation = confirmation
        self._answered = threading.Event()
        self.yes = False

    def answer(self, yes: bool) -> None:
        if not self._answered.is_set():
            self.yes = bool(yes)
            self._answered.set()

    def wait(self) -> bool:  # chain thread
        self._answered.wait()
        return self.yes


class ChainSession(QObject):
    connecting = Signal()
    connected = Signal()
    connection_failed = Signal(object)   # the exception
    changed = Signal()                   # the chain state moved on: pages re-read
    pending_changed = Signal(int)        # transactions of this vault not mined yet

    def __init__(self, identity, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.identity = identity
        self.data_dir = Path(data_dir)
        self.runner = TaskRunner(self, max_threads=1)   # the one chain thread (see above)
        # Set on the chain thread by _open (jobs queued behind it see them at once).
        self.core = None        # vault.chain.session.ChainSession
        self.chain = None
        self.service = None
        self.error: BaseException | None = None
        self._questions: set[Question] = set()   # asked on the GUI thread, waited for on the chain thread
        self._guard = threading.Lock()
        self.state = "idle"     # idle / connecting / connected / failed / closed
        self.pending = 0
        self._accounts = [a.address for a in identity.accounts()]

    # ---- connection ------------------------------------------------------------------

    @property
    def accounts(self) -> list[str]:
        return list(self._accounts)

    @property
    def is_embedded(self) -> bool:
        return self.chain is not None and self.chain.embedded is not None

    @property
    def network_name(self) -> str:
        return self.chain.name if self.chain is not None else ""

    def start(self) -> None:
        """Connect (again): after unlock, after a change of network, on Retry."""
        if self.state in ("connecting", "closed"):
            return
        self.state = "connecting"
        self.connecting.emit()
        job = self.runner.run(self._open)
        job.finished.connect(self._on_opened)
        job.failed.connect(self._on_open_failed)

    def reconnect(self) -> None:
        """Another network was chosen in Settings: connect to it (after the calls queued)."""
        if self.state != "closed":
            self.state = "idle"
            self.start()

    def _open(self):  # chain thread
        # start-up: vault.chain.session ~280 ms (client, TxService), paid on the chain thread
        from vault.chain.session import ChainSession as CoreSession

        self._close_chain()
        core = CoreSession(self.data_dir, self.identity, lock_timeout=2.0).open()
        self.core, self.chain, self.service, self.error = core, core.chain, core.service, None
        return self._count_pending()

    def _on_opened(self, pending: int) -> None:
        if self.state == "closed":
            return
        self.state = "connected"
        self._set_pending(pending)
        self.connected.emit()
        self.changed.emit()

    def _on_open_failed(self, exc: BaseException) -> None:
        if self.state == "closed":
            return
        self.error = exc
        self.state = "failed"
        self.connection_failed.emit(exc)
        self.refresh_pending()   # from the vault's history: they are still pending, unconfirmed

    def _not_connected(self) -> ChainError:
        if self.error is not None:
            return self.error if isinstance(self.error, ChainError) else ChainError(
                "not-connected", f"Not connected to the network: {self.error}")
        return ChainError("not-connected", "Not connected to the network yet.")

    # ---- running chain work ----------------------------------------------------------

    def run(self, fn, *args, **kwargs) -> Job:
        """``fn(chain, *args, **kwargs)`` on the chain thread, after the connection."""
        def call():
            if self.chain is None:
                raise self._not_connected()
            return fn(self.chain, *args, **kwargs)
        return self.runner.run(call)

    def run_service(self, fn, *args, **kwargs) -> Job:
        """``fn(service, *args, **kwargs)`` on the chain thread (the TxService signs with
        the vault's keys and keeps the history)."""
        def call():
            if self.service is None:
                raise self._not_connected()
            return fn(self.service, *args, **kwargs)
        return self.runner.run(call)

    def run_plan(self, build, description: str, *, show, progress=None) -> Job:
        """A write on the chain thread: ``build(service)``'s requests as a Plan, run by
        ``TxService.run``. Its confirmation is a Question handed to ``show`` (emit a
        queued signal: it is called on the chain thread) and waited for; ``progress(index,
        stage, detail)`` likewise. The job's result: the records, or None when not confirmed."""
        # start-up: vault.chain.plan ~7 ms; the desktop starts without the chain package
        from vault.chain.plan import as_plan

        def call(service):
            plan = as_plan(build(service), description)
            return service.run(plan, confirm=lambda confirmation: self.ask(confirmation, show), progress=progress)
        return self.run_service(call)

    def ask(self, confirmation, show) -> bool:  # chain thread
        """``show(Question)``, then wait for its answer; no once the session is closed."""
        question = Question(confirmation)
        with self._guard:
            if self.state == "closed":
                return False
            self._questions.add(question)
        try:
            show(question)
            return question.wait()
        finally:
            with self._guard:
                self._questions.discard(question)

    def network_source(self) -> tuple[str, int | None]:
        """For the status bar (runs on its own worker: reading the block is safe there)."""
        chain = self.chain
        if chain is None:
            if self.error is not None:
                raise self.error
            return ("embedded" if self._profile_kind() == "embedded" else "RPC"), None
        return chain.name, chain.block_number

    def _profile_kind(self) -> str:
        # start-up: vault.chain.networks ~8-60 ms (two runs on a busy machine), as above
        from vault.chain import networks
        return networks.load_profile(self.data_dir).kind

    # ---- pending transactions ----------------------------------------------------------

    def _count_pending(self) -> int:  # chain thread
        # start-up: vault.chain.transactions ~250 ms (client), on the chain thread
        from vault.chain.transactions import history

        chain_id = self.chain.chain_id if self.chain is not None else None
        return len(history(self.identity.store, status="pending", chain_id=chain_id))

    def refresh_pending(self) -> None:
        job = self.runner.run(self._count_pending)
        job.finished.connect(self._set_pending)

    def _set_pending(self, count: int) -> None:
        if count != self.pending:
            self.pending = count
            self.pending_changed.emit(count)

    def note_sent(self) -> None:
        """A write left and is not mined yet (the flow calls it from the GUI thread)."""
        self._set_pending(self.pending + 1)

    def note_settled(self) -> None:
        """A write was mined or failed: re-count, and let the pages re-read."""
        self.refresh_pending()
        self.changed.emit()

    # ---- dev chains: advance ---------------------------------------------------------

    def advance(self, blocks: int = 0, seconds: int = 0) -> Job:
        job = self.run(lambda chain: chain.advance(blocks, seconds))
        job.finished.connect(lambda _block: self.changed.emit())
        return job

    # ---- closing ---------------------------------------------------------------------

    def _close_chain(self) -> None:  # chain thread (or after the runner is idle)
        core, self.core, self.chain, self.service = self.core, None, None, None
        if core is not None:
            core.close()

    def close(self) -> None:
        """On lock: let the call in flight finish (a write records its hash before it is
        sent), then release the chain. Pending transactions are settled at the next
        unlock."""
        with self._guard:
            self.state = "closed"
            waiting, self._questions = list(self._questions), set()
        for question in waiting:   # a write waiting for its confirmation: not confirmed, nothing signed
            question.answer(False)
        self.runner.wait()
        self._close_chain()
