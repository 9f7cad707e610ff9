"""What every chain page shares: the connection state, the account, reads and writes.

A ChainPage shows a banner while the network connects or when it cannot be reached
(with Retry), re-reads its data whenever the chain moves on (a write mined, blocks
advanced, another network chosen) and while it is visible only, and starts every write
through the one confirm → progress → result dialog (ui.chain.write).

Subclasses fill ``self.body`` and implement ``refresh()`` with ``self.read(...)``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ..errors import describe
from ..widgets import InlineMessage, scrolling_page
from .session import ChainSession
from .write import start_write


class ChainPage(QWidget):
    message = Signal(str)   # passing notes for the status bar

    def __init__(self, session: ChainSession, title: str, subtitle: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.dialog = None
        self.write_flow = None
        self._stale = True
        self.body = scrolling_page(self, title, subtitle)

        top = QHBoxLayout()
        self.account_label = QLabel("Account")
        self.account_box = QComboBox()
        self.account_box.setAccessibleName("Account")
        self.account_box.setMinimumContentsLength(24)
        for address in session.accounts:
            self.account_box.addItem(address, address)
        many = len(session.accounts) > 1
        self.account_label.setVisible(many)
        self.account_box.setVisible(many)
        top.addWidget(self.account_label)
        top.addWidget(self.account_box)
        top.addStretch(1)
        self.body.addLayout(top)

        banner = QHBoxLayout()
        self.banner = InlineMessage()
        self.retry_button = QPushButton("Retry")
        self.retry_button.hide()
        banner.addWidget(self.banner, 1)
        banner.addWidget(self.retry_button)
        self.body.addLayout(banner)

        self.retry_button.clicked.connect(self.session.start)
        self.account_box.currentIndexChanged.connect(lambda _i: self.refresh_now())
        session.connecting.connect(self._on_connecting)
        session.connection_failed.connect(self._on_connection_failed)
        session.connected.connect(self._on_connected)
        session.changed.connect(self._on_chain_changed)
        self._show_connection_state()

    # ---- connection --------------------------------------------------------------------

    def _show_connection_state(self) -> None:
        state = self.session.state
        if state == "connected":
            self.banner.clear()
            self.retry_button.hide()
        elif state == "failed":
            self._on_connection_failed(self.session.error)
        else:
            self._on_connecting()

    def _on_connecting(self) -> None:
        self.retry_button.hide()
        self.banner.hint("Connecting to the network… (the first start of the embedded chain sets it "
                         "up, which takes a few seconds)")

    def _on_connection_failed(self, exc) -> None:
        self.banner.error(f"Cannot reach the network: {describe(exc)} Check Settings → Network, then Retry.")
        self.retry_button.show()

    def _on_connected(self) -> None:
        self.banner.clear()
        self.retry_button.hide()

    @property
    def connected(self) -> bool:
        return self.session.state == "connected"

    # ---- refreshing --------------------------------------------------------------------

    @property
    def account(self) -> str:
        return self.account_box.currentData() or (self.session.accounts or [""])[0]

    def _on_chain_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh_now()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh_now()

    def refresh_now(self) -> None:
        if not self.connected:
            return
        self._stale = False
        self.refresh()

    def refresh(self) -> None:
        """Read what the page shows (with self.read); called when visible and stale."""

    def read(self, fn, *args, done, **kwargs):
        """``fn(chain, *args)`` on the chain thread; ``done(result)`` in the GUI thread; a
        failure goes to the banner."""
        job = self.session.run(fn, *args, **kwargs)
        job.finished.connect(done)
        job.failed.connect(self._on_read_failed)
        return job

    def _on_read_failed(self, exc: BaseException) -> None:
        self.banner.error(describe(exc))

    # ---- writing -----------------------------------------------------------------------

    def write(self, title: str, build, **kwargs):
        """The confirm → progress → result dialog for ``build(service)``'s requests."""
        if not self.connected:
            self._show_connection_state()
            return None
        return start_write(self.session, self, title, build, **kwargs)

    def drop_vault_data(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()
