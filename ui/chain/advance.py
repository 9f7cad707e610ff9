"""Let time pass on the embedded chain, so voting periods, timelocks and unstaking
cooldowns can end in a demo or a test without waiting. Hidden on real networks, where
only the network decides when blocks come."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from ..errors import describe

DAY = 86_400


class AdvanceControl(QWidget):
    """"Embedded chain: [ 10 ] blocks [Mine]  [Skip a day]" and what happened."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("advanceControl")
        self.session = session
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel("Embedded chain, let time pass:")
        self.blocks = QSpinBox()
        self.blocks.setRange(1, 1_000_000)
        self.blocks.setValue(10)
        self.blocks.setSuffix(" blocks")
        self.blocks.setAccessibleName("Blocks to mine")
        self.mine_button = QPushButton("Mine")
        self.mine_button.setToolTip("Mine this many empty blocks at once")
        self.day_button = QPushButton("Skip a day")
        self.day_button.setToolTip("Move the chain's clock 24 hours forward and mine one block")
        self.result = QLabel()
        self.result.setObjectName("advanceResult")
        for w in (self.caption, self.blocks, self.mine_button, self.day_button):
            layout.addWidget(w)
        layout.addWidget(self.result, 1)
        self.mine_button.clicked.connect(lambda: self.advance(self.blocks.value(), 0))
        self.day_button.clicked.connect(lambda: self.advance(1, DAY))
        session.connected.connect(self._update_visibility)
        session.connecting.connect(self._update_visibility)
        self._update_visibility()

    def _update_visibility(self) -> None:
        self.setVisible(self.session.state == "connected" and self.session.is_embedded)

    def advance(self, blocks: int, seconds: int) -> None:
        self.mine_button.setEnabled(False)
        self.day_button.setEnabled(False)
        job = self.session.advance(blocks, seconds)
        job.finished.connect(self._on_done)
        job.failed.connect(self._on_failed)

    def _on_done(self, block: int) -> None:
        self.mine_button.setEnabled(True)
        self.day_button.setEnabled(True)
        self.result.setText(f"Now at block {block:,}.")

    def _on_failed(self, exc: BaseException) -> None:
        self.mine_button.setEnabled(True)
        self.day_button.setEnabled(True)
        self.result.setText(describe(exc))
