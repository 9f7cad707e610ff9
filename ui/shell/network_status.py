"""The network and block in the status bar.

The chain layer plugs in with one callable::

    window.set_network_source(lambda: ("embedded", chain.block_number))

returning the network's name and the latest block number, or None while the chain is
not started or not reachable. It runs on the TaskRunner (a node can be slow), once at
start, after a change of network, and every ``REFRESH_MS`` while the window is open; a
call still running is never started twice.

Until then ``chosen_network(data_dir)`` only reads which network Settings chose, and the
bar says honestly that nothing is started. The embedded chain is named for what it is: a
local test chain whose BTK exist only on this computer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QTimer, Signal

from vault import settings
from vault.chain.networks import LOCAL_CHAIN_TEXT

from ..errors import describe
from ..workers import TaskRunner

NetworkSource = Callable[[], "tuple[str, int | None]"]
REFRESH_MS = 15_000


def chosen_network(data_dir: Path) -> NetworkSource:
    """The network chosen in Settings, never contacted: block is always None. An RPC
    node is named by its host only (providers put API keys in paths and queries)."""
    def source() -> tuple[str, int | None]:
        profile = settings.network_choice(data_dir)
        if profile.kind == "embedded":
            return "embedded", None
        parts = urlsplit(profile.url)
        host = (parts.hostname or "?") + (f":{parts.port}" if parts.port else "")
        return f"RPC {host}", None
    return source


def network_text(name: str, block: int | None) -> tuple[str, str]:
    """The two status bar texts: network, block."""
    network = LOCAL_CHAIN_TEXT if name == "embedded" else f"Network: {name}"
    if block is None:
        why = "chain not started" if name == "embedded" else "not connected"
        return network, f"Block: – ({why})"
    return network, f"Block: {block:,}"


def network_tip(name: str) -> str:
    """The network label's tooltip ("" for the default one)."""
    if name != "embedded":
        return ""
    return ("The embedded chain: a test network inside this data folder. Its BTK and ETH are test tokens "
            "from a welcome grant, worth nothing anywhere else; another data folder, or this vault restored "
            "elsewhere from its phrase, has a chain of its own. To use a shared network: Settings → Network.")


class NetworkStatus(QObject):
    changed = Signal(str, str, str)   # network text, block text, tooltip

    def __init__(self, tasks: TaskRunner, source: NetworkSource, parent: QObject | None = None):
        super().__init__(parent)
        self.tasks, self.source = tasks, source
        self._job = None
        self.network, self.block = "", ""
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)

    def set_source(self, source: NetworkSource) -> None:
        self.source = source
        self.refresh(force=True)

    def start(self) -> None:
        self.refresh()
        self.timer.start()

    def refresh(self, force: bool = False) -> None:
        if self._job is not None and not force:
            return
        # Bound methods, not lambdas: Qt drops them with this object if the window goes
        # before the answer comes.
        self._job = self.tasks.run(self.source)
        self._job.finished.connect(self._on_result)
        self._job.failed.connect(self._on_failed)

    def _current(self) -> bool:
        if self.sender() is not self._job:
            return False   # the answer of a source since replaced
        self._job = None
        return True

    def _on_result(self, result) -> None:
        if not self._current():
            return
        name, block = result
        self.network, self.block = network_text(name, block)
        self.changed.emit(self.network, self.block, network_tip(name))

    def _on_failed(self, exc: BaseException) -> None:
        if not self._current():
            return
        self.network, self.block = "Network: unavailable", "Block: –"
        self.changed.emit(self.network, self.block, describe(exc))
