"""The Staking page's building blocks: a tile of the position at a glance, and the frame
of the stake and unstake forms."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from ...widgets import InlineMessage, section_title
from ...widgets.labels import text_label


class Tile(QFrame):
    """One figure of the position: caption, value, a note, and maybe a button."""

    def __init__(self, caption: str, button: QPushButton | None = None):
        super().__init__()
        self.setObjectName("stakingTile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(2)
        self.caption = QLabel(caption)
        self.caption.setObjectName("stakingTileCaption")
        self.value = text_label("…", name="stakingTileValue", wrap=False, selectable=True)
        self.note = text_label(name="stakingTileNote")
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note)
        layout.addStretch(1)
        if button is not None:
            layout.addSpacing(4)
            layout.addWidget(button, 0, Qt.AlignLeft)

    def show_value(self, value: str, note: str, exact: str = "") -> None:
        self.value.setText(value)
        self.value.setToolTip(exact if exact and exact != value else "")
        self.note.setText(note)


def amount_form(title: str, note: QLabel, amount: QLineEdit, fill: QPushButton, message: InlineMessage,
                button: QPushButton) -> QFrame:
    """Title, a note, "[amount] BTK [fill]", the message the checks give, the button."""
    frame = QFrame()
    frame.setObjectName("stakingForm")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(6)
    layout.addWidget(section_title(title))
    layout.addWidget(note)
    row = QHBoxLayout()
    row.setSpacing(6)
    row.addWidget(amount, 1)
    row.addWidget(QLabel("BTK"))
    row.addWidget(fill)
    layout.addLayout(row)
    layout.addWidget(message)
    layout.addStretch(1)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    buttons.addWidget(button)
    layout.addLayout(buttons)
    return frame
