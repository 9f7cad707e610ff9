"""Staking: your position at a glance, the validators, stake / unstake / withdraw / claim.

Over vault.chain.staking, as ``vault stake`` is: the page reads ``staking.status`` and
``staking.validator_rows`` (typed, integer wei) on the chain thread and sends every write through the one
confirm → progress → result dialog (ChainPage.write). Amounts are checked as they are
typed against what the last read said (held, staked), with the core's own checks
(``stake_refusal``, ``unstake_refusal``), and the core checks them again before anything
is signed.

The unstake cooldown is counted in blocks. Where the network's pace can be measured the
page shows the date it ends and counts down to it (re-reading the chain every few
seconds); on the embedded chain, which makes blocks only when asked, it says what the
wait would be at 12 s a block and offers the control that mines them.
"""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from vault.chain import staking
from vault.chain.units import format_amount, format_units, glance_units, parse_amount
from vault.errors import ChainError

from ...format import blocks_text
from ...widgets import InlineMessage, section_title
from ...widgets.labels import repolish, text_label
from ...widgets.layout import primary
from ...widgets.tables import rows_height
from ...widgets.visible_timer import VisibleTimer
from ..advance import AdvanceControl
from ..page import ChainPage
from .delegates import validator_table
from .models import ValidatorModel, cooldown_words, read_staking
from .panel import Tile, amount_form

REREAD_SECONDS = 15   # on a live network: re-read the position (rewards, cooldown) this often


class StakingPage(ChainPage):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, "Staking",
                         "Stake BTK with a validator to earn rewards every block; unstaking takes a cooldown.",
                         parent)
        self.data: dict | None = None      # the last read (read_staking)
        self.read_at = datetime.now(timezone.utc)
        self._chosen: int | None = None    # the validator chosen to stake with
        self._restoring = False

        self._build_position()
        self._build_validators()
        self._build_forms()
        self._wire()

        # On a live network blocks come by themselves: count down, and re-read now and then.
        self.ticker = VisibleTimer(self, 1000, self._tick,
                                   wanted=lambda: self.connected and not self.session.is_embedded)
        self._show()

    def _build_position(self) -> None:
        """The position at a glance: four tiles, the cooldown, the Mine control."""
        self.claim_button = QPushButton("Claim rewards")
        self.claim_button.setObjectName("claimButton")
        self.withdraw_button = QPushButton("Withdraw")
        self.withdraw_button.setObjectName("withdrawButton")
        self.staked_tile = Tile("Staked")
        self.rewards_tile = Tile("Rewards to claim", self.claim_button)
        self.unstaking_tile = Tile("Unstaking", self.withdraw_button)
        self.available_tile = Tile("In your wallet")
        tiles = QGridLayout()
        tiles.setSpacing(10)
        for i, tile in enumerate((self.staked_tile, self.rewards_tile, self.unstaking_tile, self.available_tile)):
            tiles.addWidget(tile, 0, i)
            tiles.setColumnStretch(i, 1)
        self.body.addLayout(tiles)
        self.withdraw_reason = self.unstaking_tile.note

        self.cooldown_box = QFrame()
        self.cooldown_box.setObjectName("cooldownBox")
        box = QVBoxLayout(self.cooldown_box)
        box.setContentsMargins(12, 8, 12, 8)
        box.setSpacing(2)
        self.cooldown_label = text_label(name="cooldownHeadline")
        self.cooldown_detail = text_label(name="cooldownDetail")
        box.addWidget(self.cooldown_label)
        box.addWidget(self.cooldown_detail)
        self.cooldown_box.hide()
        self.body.addWidget(self.cooldown_box)

        self.advance = AdvanceControl(self.session)
        self.body.addWidget(self.advance)
        self.action_message = InlineMessage(transient=True)
        self.body.addWidget(self.action_message)

    def _build_validators(self) -> None:
        self.body.addSpacing(4)
        heading = QHBoxLayout()
        heading.setSpacing(12)
        heading.addWidget(section_title("Validators"))
        intro = text_label("They run the network with the BTK staked with them, and keep a commission of its "
                           "rewards.", name="hintLabel")
        heading.addWidget(intro, 1, Qt.AlignBottom)
        self.body.addLayout(heading)
        self.model = ValidatorModel(self)
        self.table = validator_table(self.model)
        self._fit_table()
        self.body.addWidget(self.table)
        self.validator_message = InlineMessage()
        self.body.addWidget(self.validator_message)

    def _build_forms(self) -> None:
        """Stake and unstake."""
        forms = QHBoxLayout()
        forms.setSpacing(12)
        self.stake_amount = QLineEdit()
        self.stake_amount.setAccessibleName("Amount to stake")
        self.stake_amount.setPlaceholderText("Amount in BTK, e.g. 250")
        self.stake_max = QPushButton("Max")
        self.stake_max.setToolTip("All the BTK in your wallet")
        self.stake_target = text_label(name="hintLabel")
        self.stake_message = InlineMessage(reserve=True)
        self.stake_button = primary(QPushButton("Stake"))
        self.stake_button.setObjectName("stakeButton")
        forms.addWidget(amount_form("Stake", self.stake_target, self.stake_amount, self.stake_max,
                                    self.stake_message, self.stake_button), 1)

        self.unstake_amount = QLineEdit()
        self.unstake_amount.setAccessibleName("Amount to unstake")
        self.unstake_amount.setPlaceholderText("Amount in BTK")
        self.unstake_all = QPushButton("All")
        self.unstake_all.setToolTip("Everything you have staked")
        self.unstake_note = text_label(name="hintLabel")
        self.unstake_message = InlineMessage(reserve=True)
        self.unstake_button = QPushButton("Start unstaking")
        self.unstake_button.setObjectName("unstakeButton")
        forms.addWidget(amount_form("Unstake", self.unstake_note, self.unstake_amount, self.unstake_all,
                                    self.unstake_message, self.unstake_button), 1)
        self.body.addLayout(forms)
        self.body.addStretch(1)

    def _wire(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.clicked.connect(self._explain_row)
        self.table.selectionModel().currentChanged.connect(lambda current, _prev: self._explain_row(current))
        self.stake_amount.textChanged.connect(self._check_stake)
        self.unstake_amount.textChanged.connect(self._check_unstake)
        self.stake_amount.returnPressed.connect(self.stake)
        self.unstake_amount.returnPressed.connect(self.unstake)
        self.stake_button.clicked.connect(self.stake)
        self.unstake_button.clicked.connect(self.unstake)
        self.stake_max.clicked.connect(self._fill_max_stake)
        self.unstake_all.clicked.connect(self._fill_all_unstake)
        self.claim_button.clicked.connect(self.claim)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.account_box.currentIndexChanged.connect(self._on_account_changed)

    # ---- reading -----------------------------------------------------------------------

    def refresh(self) -> None:
        account = self.account
        self.read(read_staking, account, done=lambda data: self._on_read(account, data))

    def _on_read(self, account: str, data: dict) -> None:
        if account != self.account:   # another account was chosen meanwhile: its read follows
            return
        self.data = data
        self.read_at = datetime.now(timezone.utc)
        status = data["status"]
        if status.validator is not None:
            self._chosen = status.validator
        self._restoring = True
        self.model.set_validators(data["validators"], status.validator)
        self._fit_table()
        row = self.model.row_of(self._chosen)
        if row >= 0 and not self.model.rows[row].slashed:
            self.table.selectionModel().select(self.model.index(row, 0),
                                               QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
        else:
            self._chosen = None
        self._restoring = False
        self._show()
        self.ticker.update_running()

    def _on_account_changed(self, _index: int) -> None:
        self.data = None
        self._chosen = None
        self.stake_amount.clear()
        self.unstake_amount.clear()
        self.action_message.clear()
        self._show()

    def _fit_table(self) -> None:
        """As tall as its rows (at least two, at most six; more scroll)."""
        rows = min(max(self.model.rowCount(), 2), 6)
        self.table.setFixedHeight(rows_height(self.table, rows) + 2 * self.table.frameWidth())

    @property
    def status(self) -> staking.StakingStatus | None:
        return self.data["status"] if self.data else None

    def _validator(self, validator_id: int | None) -> staking.Validator | None:
        if self.data is None or validator_id is None:
            return None
        return next((v for v in self.data["validators"] if v.id == validator_id), None)

    @property
    def chosen(self) -> staking.Validator | None:
        """The validator to stake with (selected in the table)."""
        return self._validator(self._chosen)

    # ---- showing -------------------------------------------------------------------------

    def _show(self) -> None:
        s = self.status
        if s is None:
            for tile in (self.staked_tile, self.rewards_tile, self.unstaking_tile, self.available_tile):
                tile.show_value("…", "")
            self.cooldown_box.hide()
            for button in (self.claim_button, self.withdraw_button):
                button.setEnabled(False)
            self._show_forms()
            return
        staked, rewards, available = s.staked, s.pending_rewards, s.available
        mine = self._validator(s.validator)
        if staked:
            where = f"with {mine.name}" if mine else ""
            if mine and mine.slashed:
                where += " (slashed: it earns nothing more; unstake to move on)"
            self.staked_tile.show_value(glance_units(staked), where, format_units(staked))
        else:
            self.staked_tile.show_value("Nothing", "Stake below to start earning.")
        if rewards:
            self.rewards_tile.show_value(glance_units(rewards), "Claiming sends them to your wallet.",
                                         format_units(rewards))
        else:
            self.rewards_tile.show_value("None yet", "They grow with every block while you stake."
                                         if staked else "Stake to start earning.")
        self.claim_button.setEnabled(bool(rewards))
        self.claim_button.setToolTip("" if rewards else "There are no rewards to claim yet")

        self.available_tile.show_value(glance_units(available), "Available to stake." if available else
                                       "Receive BTK first (Wallet shows your address).", format_units(available))
        self._show_cooldown()
        self._show_forms()

    def _show_cooldown(self) -> None:
        s = self.status
        cooldown = s.cooldown if s else None
        if not cooldown:
            self.unstaking_tile.show_value("Nothing", f"Unstaking takes a cooldown of "
                                           f"{blocks_text(s.cooldown_blocks)}." if s else "")
            self.withdraw_button.setEnabled(False)
            self.withdraw_button.setToolTip("Nothing is being unstaked")
            self.cooldown_box.hide()
            return
        amount = cooldown.amount
        headline, detail = cooldown_words(cooldown, read_at=self.read_at, now=datetime.now(timezone.utc),
                                          embedded=self.session.is_embedded)
        self.cooldown_label.setText(headline)
        self.cooldown_detail.setText(detail)
        if self.cooldown_box.property("ready") != cooldown.ready:
            self.cooldown_box.setProperty("ready", cooldown.ready)
            repolish(self.cooldown_box, self.cooldown_label, self.cooldown_detail)   # the colours follow it
        self.cooldown_box.show()
        if cooldown.ready:
            reason = "Ready: the cooldown is over."
        else:
            reason = f"Withdraw in {blocks_text(cooldown.blocks_left)}."
        self.unstaking_tile.show_value(glance_units(amount), reason, format_units(amount))
        self.withdraw_button.setEnabled(cooldown.ready)
        self.withdraw_button.setToolTip("" if cooldown.ready else
                                        "Possible once the cooldown is over, in "
                                        f"{blocks_text(cooldown.blocks_left)} "
                                        f"(from block {cooldown.ready_at_block:,} on)")

    def _show_forms(self) -> None:
        s = self.status
        chosen = self.chosen
        if chosen is None:
            self.stake_target.setText("Select a validator in the table to stake with.")
        else:
            self.stake_target.setText(f"With {chosen.name}, who keeps {chosen.commission} of your rewards.")
        if s is None:
            self.unstake_note.setText("")
        else:
            note = f"Earning stops at once; withdraw after a cooldown of {blocks_text(s.cooldown_blocks)}."
            if s.cooldown:
                note += " Unstaking more restarts the cooldown for all of it."
            self.unstake_note.setText(note)
        self.stake_max.setEnabled(bool(s and s.available))
        self.unstake_all.setEnabled(bool(s and s.staked))
        self._check_stake()
        self._check_unstake()

    def _tick(self) -> None:
        if self.ticker.ticks % REREAD_SECONDS == 0:
            self.refresh_now()
        elif self.status and self.status.cooldown:
            self._show_cooldown()   # the time left, by the clock

    # ---- choosing a validator --------------------------------------------------------

    def _on_selection(self, *_args) -> None:
        if self._restoring:
            return
        rows = self.table.selectionModel().selectedRows()
        self._chosen = self.model.rows[rows[0].row()].id if rows else None
        self._show_forms()

    def _explain_row(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        v = self.model.rows[index.row()]
        if v.slashed:
            self.validator_message.warning(ValidatorModel.slashed_reason(v))
        else:
            self.validator_message.clear()

    # ---- checking amounts as they are typed --------------------------------------------

    @staticmethod
    def _amount(field: QLineEdit) -> tuple[int | None, str]:
        """(wei, "") for a good amount, (None, why) for a bad one, (None, "") for none."""
        text = field.text().strip()
        if not text:
            return None, ""
        try:
            return parse_amount(text), ""
        except ChainError as exc:
            return None, str(exc)

    def _stake_problem(self) -> tuple[int | None, str, str]:
        """(amount, problem kind, message): kind "" when the stake can go ahead."""
        s = self.status
        amount, error = self._amount(self.stake_amount)
        if error:
            return None, "error", f"{error} Type an amount of BTK, such as 250 or 12.5."
        if s is None:
            return amount, "wait", ""
        chosen, available = self.chosen, s.available
        refusal = staking.stake_refusal(chosen, s.validator, available, amount)   # the core's checks
        if refusal == "validator-slashed":
            return amount, "error", ValidatorModel.slashed_reason(chosen)
        if refusal == "already-delegated":
            mine = self._validator(s.validator)
            return amount, "error", (f"You stake with {mine.name if mine else s.validator}: an account stakes "
                                     f"with one validator at a time. To move to {chosen.name}, unstake "
                                     "everything and withdraw it first.")
        if amount is None:
            return None, "empty", ""
        if refusal == "insufficient-btk":
            return amount, "error", (f"That is more than you hold: your wallet has {format_units(available)} "
                                     f"to stake, not {format_units(amount)}.")
        if chosen is None:
            return amount, "hint", "Select a validator in the table above to stake with."
        return amount, "", ""

    def _check_stake(self) -> None:
        _amount, kind, text = self._stake_problem()
        if kind in ("error", "hint"):
            self.stake_message.show_message(kind, text)
        else:
            self.stake_message.clear()
        self.stake_button.setEnabled(kind == "" and self.connected)
        chosen = self.chosen
        self.stake_button.setText(f"Stake with {chosen.name}" if chosen else "Stake")

    def _unstake_problem(self) -> tuple[int | None, str, str]:
        s = self.status
        amount, error = self._amount(self.unstake_amount)
        if error:
            return None, "error", f"{error} Type an amount of BTK, such as 250 or 12.5."
        if s is None:
            return amount, "wait", ""
        staked = s.staked
        if not staked:
            return amount, "hint", "You have nothing staked to unstake."
        if amount is None:
            return None, "empty", ""
        if staking.unstake_refusal(staked, amount):
            return amount, "error", (f"That is more than you have staked: you can unstake up to "
                                     f"{format_units(staked)}, not {format_units(amount)}.")
        return amount, "", ""

    def _check_unstake(self) -> None:
        _amount, kind, text = self._unstake_problem()
        if kind in ("error", "hint"):
            self.unstake_message.show_message(kind, text)
        else:
            self.unstake_message.clear()
        self.unstake_button.setEnabled(kind == "" and self.connected)

    def _fill_max_stake(self) -> None:
        if self.status:
            self.stake_amount.setText(format_amount(self.status.available))

    def _fill_all_unstake(self) -> None:
        if self.status:
            self.unstake_amount.setText(format_amount(self.status.staked))

    # ---- writing ---------------------------------------------------------------------

    def _done(self, flow, field: QLineEdit | None, note: str) -> None:
        if flow is None:
            return

        def succeeded(_records):
            if field is not None:
                field.clear()
            self.action_message.success(note)
            self.message.emit(note)
        flow.succeeded.connect(succeeded)

    def stake(self) -> None:
        amount, kind, text = self._stake_problem()
        if kind != "":
            if kind in ("error", "hint"):
                self.stake_message.show_message(kind, text)
            return   # nothing is sent
        s, v, sender = self.status, self.chosen, self.account
        vid, cooldown = v.id, s.cooldown_blocks
        intro = [f"Your BTK goes into the staking pool, delegated to {v.name}, who keeps {v.commission} of "
                 "the rewards it earns. Rewards start with the next block.",
                 f"To get it back later: unstake, wait the cooldown of {blocks_text(cooldown)}, then withdraw."]
        approval = ("First you allow the staking pool to take this amount from your wallet (step 1), "
                    "then it takes it (step 2).")

        def lines():   # once the requests are built: is an approval among them?
            flow = self.write_flow
            return intro + ([approval] if flow is not None and len(flow.requests) > 1 else [])
        flow = self.write(f"Stake {format_units(amount)}",
                          lambda service: staking.stake_requests(service, sender, vid, amount),
                          intro=lines,
                          success=f"Staked {format_units(amount)} with {v.name}: it earns rewards from "
                                  "the next block.")
        self._done(flow, self.stake_amount, f"Staked {format_units(amount)} with {v.name}.")

    def unstake(self) -> None:
        amount, kind, text = self._unstake_problem()
        if kind != "":
            if kind in ("error", "hint"):
                self.unstake_message.show_message(kind, text)
            return
        s, sender = self.status, self.account
        intro = [f"{format_units(amount)} stops earning rewards now. After a cooldown of "
                 f"{blocks_text(s.cooldown_blocks)} you can withdraw it to your wallet (Withdraw, above)."]
        if s.cooldown:
            intro.append(f"You are already unstaking {format_units(s.cooldown.amount)}: this adds to it, "
                         "and the cooldown starts again for all of it.")
        flow = self.write(f"Unstake {format_units(amount)}",
                          lambda service: staking.unstake_request(service, sender, amount), intro=intro,
                          success=f"Unstaking {format_units(amount)}: the cooldown has started.")
        self._done(flow, self.unstake_amount, f"The cooldown for {format_units(amount)} has started.")

    def withdraw(self) -> None:
        s = self.status
        if not s or not s.cooldown or not s.cooldown.ready:
            return
        sender, amount = self.account, format_units(s.cooldown.amount)
        flow = self.write(f"Withdraw {amount}", lambda service: staking.withdraw_request(service, sender),
                          intro=[f"The unstaked {amount} goes back to your wallet."],
                          success=f"The {amount} is back in your wallet.")
        self._done(flow, None, f"Withdrew {amount} to your wallet.")

    def claim(self) -> None:
        s = self.status
        if not s or not s.pending_rewards:
            return
        sender = self.account
        flow = self.write("Claim rewards", lambda service: staking.claim_request(service, sender),
                          intro=["Your rewards go to your wallet; what you staked stays staked and keeps earning."],
                          success="Your rewards are in your wallet.")
        self._done(flow, None, "Rewards claimed: they are in your wallet.")
