"""Reputation: your bond and your trust score, over vault.chain.reputation and
vault.chain.trustscore, as ``vault bond`` and ``vault trust-score`` are. The score is
shown with every part it is made of (docs/reputation.md): never a bare number."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QTableView, QWidget

from vault.chain import reputation
from vault.chain.units import format_amount, format_units, parse_amount
from vault.errors import ChainError

from ...widgets import InlineMessage, section_title
from ...widgets.labels import text_label
from ...widgets.layout import primary
from ...widgets.tables import configure_list_table, fit_columns, rows_height
from ..advance import AdvanceControl
from ..page import ChainPage
from ..staking.panel import Tile, amount_form
from .models import ScorePartModel, read_reputation


class ReputationPage(ChainPage):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, "Reputation", "Bond BTK behind your identity, so that employers and verifiers "
                                                "see you have something to lose; your trust score, part by part.",
                         parent)
        self.data: dict | None = None
        self.withdraw_button = QPushButton("Withdraw")
        self.withdraw_button.setObjectName("bondWithdrawButton")
        self.score_tile = Tile("Trust score")
        self.bonded_tile = Tile("Bonded")
        self.unbonding_tile = Tile("Unbonding", self.withdraw_button)
        self.available_tile = Tile("In your wallet")
        tiles = QGridLayout()
        tiles.setSpacing(10)
        for i, tile in enumerate((self.score_tile, self.bonded_tile, self.unbonding_tile, self.available_tile)):
            tiles.addWidget(tile, 0, i)
            tiles.setColumnStretch(i, 1)
        self.body.addLayout(tiles)
        self.advance = AdvanceControl(self.session)
        self.body.addWidget(self.advance)
        self.action_message = InlineMessage(transient=True)
        self.body.addWidget(self.action_message)

        forms = QHBoxLayout()
        forms.setSpacing(12)
        self.bond_amount = QLineEdit()
        self.bond_amount.setAccessibleName("Amount to bond")
        self.bond_amount.setPlaceholderText("Amount in BTK, e.g. 500")
        self.bond_max = QPushButton("Max")
        self.bond_message = InlineMessage()
        self.bond_button = primary(QPushButton("Bond"))
        self.bond_button.setObjectName("bondButton")
        self.bond_note = text_label("It counts at once; taking it back takes a delay, and governance can slash it "
                                    "for proven fraud.", name="hintLabel")
        forms.addWidget(amount_form("Bond", self.bond_note, self.bond_amount, self.bond_max, self.bond_message,
                                    self.bond_button), 1)
        self.unbond_amount = QLineEdit()
        self.unbond_amount.setAccessibleName("Amount to unbond")
        self.unbond_amount.setPlaceholderText("Amount in BTK")
        self.unbond_all = QPushButton("All")
        self.unbond_message = InlineMessage()
        self.unbond_button = QPushButton("Unbond")
        self.unbond_button.setObjectName("unbondButton")
        self.unbond_note = text_label(name="hintLabel")
        forms.addWidget(amount_form("Unbond", self.unbond_note, self.unbond_amount, self.unbond_all,
                                    self.unbond_message, self.unbond_button), 1)
        self.body.addLayout(forms)

        self.body.addWidget(section_title("Trust score, part by part"))
        self.parts_model = ScorePartModel(self)
        self.parts_table = configure_list_table(QTableView())
        self.parts_table.setObjectName("scoreParts")
        self.parts_table.setAccessibleName("Trust score parts")
        self.parts_table.setModel(self.parts_model)
        fit_columns(self.parts_table, len(ScorePartModel.HEADERS) - 1)   # "From" gives way
        self.parts_table.setFixedHeight(rows_height(self.parts_table, 4) + 2 * self.parts_table.frameWidth())
        self.body.addWidget(self.parts_table)
        self.formula = text_label(name="hintLabel", selectable=True)
        self.slashes = text_label(name="slashList", selectable=True)
        self.body.addWidget(self.formula)
        self.body.addWidget(self.slashes)
        self.body.addStretch(1)

        self.bond_button.clicked.connect(self.bond)
        self.unbond_button.clicked.connect(self.unbond)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.bond_max.clicked.connect(lambda: self.data and self.bond_amount.setText(format_amount(self.data["bond"].available)))
        self.unbond_all.clicked.connect(lambda: self.data and self.unbond_amount.setText(format_amount(self.data["bond"].bonded)))
        self._show()

    def refresh(self) -> None:
        account = self.account
        self.read(read_reputation, account, done=lambda data: self._on_read(account, data))

    def _on_read(self, account: str, data: dict) -> None:
        if account == self.account:
            self.data = data
            self._show()

    def _show(self) -> None:
        d = self.data
        self.withdraw_button.setEnabled(bool(d) and d["bond"].ready)
        if d is None:
            for tile in (self.score_tile, self.bonded_tile, self.unbonding_tile, self.available_tile):
                tile.show_value("…", "")
            return
        b, s = d["bond"], d["score"]
        self.score_tile.show_value(f"{s['score']} / 100", f"as of block {s['block']:,}")
        self.bonded_tile.show_value(format_units(b.bonded), f"since {b.bonded_since[:10]}" if b.bonded_since
                                    else "nothing bonded yet")
        if b.ready_at_block is None:
            self.unbonding_tile.show_value("0 BTK", f"unbonding takes {b.unbonding_blocks} blocks")
        elif b.ready:
            self.unbonding_tile.show_value(format_units(b.unbonding), "ready: withdraw it to your wallet")
        else:
            self.unbonding_tile.show_value(format_units(b.unbonding), f"ready at block {b.ready_at_block:,} "
                                                                     f"({b.blocks_left} blocks left)")
        self.available_tile.show_value(format_units(b.available), "to bond")
        self.unbond_note.setText(f"It stops counting now; you can withdraw it after {b.unbonding_blocks} blocks.")
        self.parts_model.set_rows(s["parts"])
        self.formula.setText(f"Score = {s['formula']}.")
        self.slashes.setText("\n".join(f"Slashed {x['amount']} BTK in block {x['block']:,}: {x['reason']}"
                                       for x in s["slashes"]))

    # ---- writing -----------------------------------------------------------------------

    def _amount(self, field: QLineEdit, message: InlineMessage) -> int | None:
        try:
            amount = parse_amount(field.text())
        except ChainError as exc:
            message.error(str(exc))
            return None
        message.clear()
        return amount

    def bond(self):
        amount = self._amount(self.bond_amount, self.bond_message)
        if amount is None:
            return None
        sender = self.account
        flow = self.write(f"Bond {format_units(amount)}",
                          lambda service: reputation.bond_requests(service, sender, amount),
                          intro=[f"{format_units(amount)} goes into the reputation registry as your bond. "
                                 "Verifiers you present your standing to see it."],
                          success=f"Bonded {format_units(amount)}.")
        if flow is not None:
            flow.succeeded.connect(lambda _r: (self.bond_amount.clear(),
                                               self.action_message.success(f"Bonded {format_units(amount)}.")))
        return flow

    def unbond(self):
        amount = self._amount(self.unbond_amount, self.unbond_message)
        if amount is None:
            return None
        sender = self.account
        flow = self.write(f"Unbond {format_units(amount)}",
                          lambda service: reputation.unbond_request(service, sender, amount),
                          intro=[self.unbond_note.text()], success=f"Unbonding {format_units(amount)}.")
        if flow is not None:
            flow.succeeded.connect(lambda _r: self.unbond_amount.clear())
        return flow

    def withdraw(self):
        sender = self.account
        return self.write("Withdraw unbonded BTK", lambda service: reputation.withdraw_request(service, sender),
                          intro=["The unbonded BTK goes back to your wallet."], success="Withdrawn to your wallet.")
