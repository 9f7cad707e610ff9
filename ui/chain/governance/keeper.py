"""The Governance page's opt-in keeper: a check box that turns it on (kept in the vault:
vault.chain.dao.keeper) and, while the app runs and it is on, a timer that queues and
executes what is due from the selected account, paying its fees, with no question asked
each time: ticking the box is the consent, and its words say so."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from vault.chain.dao.keeper import keeper_enabled, keeper_step, set_keeper

from ...errors import describe
from ...widgets.labels import text_label

INTERVAL_MS = 5_000   # a queued proposal becomes executable on the clock: checked this often


class KeeperControl(QWidget):
    acted = Signal(list)   # the transactions one round sent (never empty)
    changed = Signal(bool)

    def __init__(self, session, account, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self._account = session, account   # account: a callable, the page's current one
        self.enabled = False
        self._running = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox("Queue and execute passed proposals automatically while the app runs")
        self.box.setObjectName("govKeeper")
        self.box.setToolTip("Anyone may queue and execute a proposal that passed. With this on, the app does it "
                            "for everyone from your account, which pays the network fees. It never votes.")
        self.status = text_label(name="hintLabel")
        self.status.hide()
        layout.addWidget(self.box)
        layout.addWidget(self.status)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self.box.toggled.connect(self._toggled)
        job = session.runner.run(lambda: keeper_enabled(session.identity.store))
        job.finished.connect(self._loaded)

    def _loaded(self, on: bool) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(on)
        self.box.blockSignals(False)
        self._apply(on)

    def _toggled(self, on: bool) -> None:
        store = self.session.identity.store
        job = self.session.runner.run(lambda: set_keeper(store, on))
        job.finished.connect(self._apply)
        job.failed.connect(lambda exc: self._say(describe(exc)))

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _apply(self, on: bool) -> None:
        self.enabled = bool(on)
        self._say("On: your account pays the fees of what it queues and executes." if on else "")
        if on:
            self.timer.start()
            self.tick()
        else:
            self.timer.stop()
        self.changed.emit(self.enabled)

    def tick(self) -> None:
        if not self.enabled or self._running or self.session.state != "connected":
            return
        self._running = True
        account = self._account()
        job = self.session.run_service(lambda service: keeper_step(service, account))
        job.finished.connect(self._done)
        job.failed.connect(self._failed)

    def _done(self, records: list) -> None:
        self._running = False
        if records:
            self._say("Keeper: " + "; ".join(r.description.removeprefix("Keeper: ") for r in records) + ".")
            self.acted.emit(records)

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self._say(f"Keeper: {describe(exc)}")
