from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QWidget


def columns_for(count: int) -> int:
    return 4 if count > 12 else 3


class PhraseGrid(QFrame):
    """The recovery phrase as numbered words, read across the rows: 1 2 3 / 4 5 6 …

    Not selectable: the phrase belongs on paper, not in the clipboard.
    """

    def __init__(self, words: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("phraseGrid")
        self.words = list(words)
        grid = QGridLayout(self)
        grid.setContentsMargins(16, 14, 16, 14)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        columns = columns_for(len(words))
        self.word_labels: list[QLabel] = []
        for i, word in enumerate(words):
            cell = QFrame()
            cell.setObjectName("phraseCell")
            row = QHBoxLayout(cell)
            row.setContentsMargins(8, 4, 8, 4)
            number = QLabel(f"{i + 1}.")
            number.setObjectName("phraseNumber")
            number.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            number.setMinimumWidth(28)
            label = QLabel(word)
            label.setObjectName("phraseWord")
            row.addWidget(number)
            row.addWidget(label, 1)
            self.word_labels.append(label)
            grid.addWidget(cell, i // columns, i % columns)
        for column in range(columns):
            grid.setColumnStretch(column, 1)
