"""The funding split of a talent-market offer, shown before the client pays: what the
client pays (the price plus the fee), what the talent receives (the whole price) and where
the fee goes (connectors, treasury, burned). The figures are the core's
(``TalentMarket.funding_split``: vault.chain.talent.Split); this only lays them out, in
the order a client reads a bill."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from vault.chain.units import format_units

from ...widgets.labels import text_label

# (key of the core's split, caption)
ROWS = (("pay", "You pay"), ("talent", "Talent receives"), ("connectors", "Connectors"),
        ("treasury", "Treasury"), ("burned", "Burned"))


def _btk(wei: int) -> str:
    return format_units(int(wei), "BTK")


def split_sentence(split) -> str:
    """The core's sentence as a sentence: "You pay 1,000 + 25 fee; talent receives 1,000;
    connectors 20; treasury 5; burned 0 (BTK)." """
    text = split.sentence()
    return text[:1].upper() + text[1:] + " (BTK)."


class FundingSplitView(QFrame):
    """The bill before funding, one row per destination. ``show_split(None)`` says that
    there is nothing to pay yet (no bid accepted)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("fundingSplit")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self.values: dict[str, QLabel] = {}
        for row, (key, caption) in enumerate(ROWS):
            name = QLabel(caption)
            name.setObjectName("factLabel")
            value = text_label(name="splitValue", selectable=True)
            self.values[key] = value
            grid.addWidget(name, row, 0, Qt.AlignTop)
            grid.addWidget(value, row, 1, Qt.AlignTop)
        grid.setColumnStretch(1, 1)
        self.sentence = text_label(name="hintLabel")
        grid.addWidget(self.sentence, len(ROWS), 0, 1, 2)

    def show_split(self, split) -> None:
        if split is None:
            for value in self.values.values():
                value.setText("—")
            self.sentence.setText("Accept a bid first: the price is the accepted bid's.")
            return
        v = self.values
        v["pay"].setText(f"{_btk(split.pay)} (the price {_btk(split.price)} + the fee {_btk(split.fee)})")
        v["talent"].setText(f"{_btk(split.price)}: the whole price")
        v["connectors"].setText(f"{_btk(split.connectors)} (your referrer {_btk(split.client_connector)}, the "
                                f"talent's {_btk(split.talent_connector)})" if split.connectors else
                                f"{_btk(0)}: neither side named a referrer")
        v["treasury"].setText(_btk(split.treasury))
        v["burned"].setText(_btk(split.burned))
        self.sentence.setText(split_sentence(split))
