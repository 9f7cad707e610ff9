"""Staking: your position at a glance, the validators, stake / unstake / withdraw / claim.

Over vault.chain.staking, as ``vault stake`` is: the page reads ``staking.status`` and
``staking.validators`` on the chain thread and sends every write through the one
confirm → progress → result dialog (ChainPage.write). Amounts are checked as they are
typed against what the last read said (held, staked), and the core checks them again
before anything is signed.

The unstake cooldown is counted in blocks. Where the network's pace can be measured the
page shows the date it ends and counts down to it (re-reading the chain every few
seconds); on the embedded chain, which makes blocks only when asked, it says what the
wait would be at 12 s a block and offers the control that mines them.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (QApplication, QFrame, QGridLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QStyle, QStyledItemDelegate, QStyleOptionViewItem,
                               QTableView, QVBoxLayout, QWidget)

from vault.chain import staking
from vault.chain.units import format_amount, format_units, glance_units, parse_amount
from vault.errors import ChainError
from vault.safe_text import safe_text

from ..widgets import InlineMessage, section_title
from ..widgets.labels import plain_tip, repolish, text_label
from ..widgets.layout import primary
from ..widgets.table_model import ListTableModel
from ..widgets.tables import configure_list_table, rows_height
from ..widgets.visible_timer import VisibleTimer
from .advance import AdvanceControl
from .page import ChainPage, blocks_text, short_address

_Index = QModelIndex | QPersistentModelIndex
REREAD_SECONDS = 15   # on a live network: re-read the position (rewards, cooldown) this often


# ---- words for amounts and times ---------------------------------------------------------

def wei(amount: str) -> int:
    """A core amount (a decimal string in whole BTK, as staking.status gives) in wei."""
    return parse_amount(amount, allow_zero=True)


def duration_words(seconds: float) -> str:
    """'less than a minute', '8 min', '2 h 5 min', '3 days 4 h'."""
    minutes = round(max(0.0, seconds) / 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")


def local_moment(moment: datetime) -> str:
    """'Sat 21 Nov, 14:05' in the computer's time zone."""
    local = moment.astimezone()
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def cooldown_end(cooldown: dict, read_at: datetime) -> datetime:
    """When the cooldown is expected to end: the core's date where the chain's pace was
    measured, else the read's time plus its 12-s-a-block estimate."""
    if cooldown.get("eta"):
        return datetime.fromisoformat(cooldown["eta"])
    return read_at + timedelta(seconds=cooldown["seconds_estimate"])


def cooldown_words(cooldown: dict, *, read_at: datetime, now: datetime, embedded: bool) -> tuple[str, str]:
    """(headline, detail) of an unstake request: the amount, the countdown in blocks and
    time, the local date it ends, and what makes the blocks come."""
    amount = format_units(wei(cooldown["amount"]))
    at_block = f"block {cooldown['ready_at_block']:,}"
    if cooldown["ready"]:
        return (f"{amount} unstaked: the cooldown is over, withdraw it to your wallet.",
                f"The cooldown ended at {at_block}.")
    left = blocks_text(cooldown["blocks_left"])
    end = cooldown_end(cooldown, read_at)
    if cooldown["block_time_measured"]:
        headline = (f"{amount} unstaking: ready in {left}, about {duration_words((end - now).total_seconds())} "
                    f"({local_moment(end)}).")
        detail = f"Withdraw from {at_block} on; the countdown follows the network's pace."
    else:
        headline = (f"{amount} unstaking: ready in {left}, about {duration_words(cooldown['seconds_estimate'])} "
                    f"at 12 s a block ({local_moment(end)}).")
        detail = (f"Withdraw from {at_block} on. The embedded chain makes blocks only when asked: "
                  "use Mine below." if embedded else
                  f"Withdraw from {at_block} on; the time assumes a block every 12 s.")
    return headline, detail


def read_staking(chain, address: str) -> dict:  # chain thread
    """What the page shows, in one read: the account's staking status and the validators."""
    return {"status": staking.status(chain, address), "validators": staking.validators(chain)}


# ---- the validators table ----------------------------------------------------------------

class ValidatorModel(ListTableModel):
    """staking.validators rows; slashed validators cannot be selected (they take no stake)."""

    NAME, OPERATOR, DELEGATED, UNBONDING, COMMISSION, STATUS = range(6)
    HEADERS = ("Validator", "Operator", "Delegated", "Unstaking", "Commission", "Status")
    BadgeRole = Qt.UserRole + 1      # "slashed" / "yours" / "active" on the Status column
    ValidatorRole = Qt.UserRole + 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self.mine: int | None = None   # the validator the account stakes with

    def set_validators(self, rows: list[dict], mine: int | None) -> None:
        self.mine = mine
        self.set_rows(rows)

    def row_of(self, validator_id: int | None) -> int:
        return next((i for i, v in enumerate(self.rows) if v["id"] == validator_id), -1)

    @staticmethod
    def slashed_reason(v: dict) -> str:
        return (f"{v['name']} was slashed: governance took part of the stake delegated to it as a penalty "
                "for running its node badly, and it takes no new stake. Choose another validator.")

    def _badge(self, v: dict) -> str:
        if v["slashed"]:
            return "slashed"
        return "yours" if v["id"] == self.mine else "active"

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        v, column = self.rows[index.row()], index.column()
        if role == self.ValidatorRole:
            return v
        if role == self.BadgeRole:
            return self._badge(v) if column == self.STATUS else None
        if role in (Qt.DisplayRole, Qt.AccessibleTextRole):
            if column == self.NAME:
                return safe_text(v["name"]) or f"Validator {v['id']}"   # its operator's words
            if column == self.OPERATOR:
                return short_address(v["operator"])
            if column == self.DELEGATED:
                return format_units(wei(v["total_delegated"]))
            if column == self.UNBONDING:
                return format_units(wei(v["total_unbonding"]))
            if column == self.COMMISSION:
                return v["commission"]
            if column == self.STATUS:
                return {"slashed": "Slashed", "yours": "Yours", "active": "Active"}[self._badge(v)]
        if role == Qt.ToolTipRole:
            if v["slashed"]:
                return plain_tip(self.slashed_reason(v))
            if column == self.OPERATOR:
                return f"The validator's operator (its account): {v['operator']}"
            if column == self.COMMISSION:
                return plain_tip(f"{v['name']} keeps {v['commission']} of the rewards of the BTK staked with it")
            if column == self.UNBONDING:
                return "Stake that is being unstaked: it waits out the cooldown and earns nothing"
            if v["id"] == self.mine:
                return plain_tip(f"You stake with {v['name']}")
            return plain_tip(f"Select to stake with {v['name']}")
        if role == Qt.FontRole:
            if column == self.OPERATOR:
                return QFontDatabase.systemFont(QFontDatabase.FixedFont)
            if column == self.NAME and v["id"] == self.mine:
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.TextAlignmentRole and column in (self.DELEGATED, self.UNBONDING, self.COMMISSION):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def flags(self, index: _Index):
        base = super().flags(index)
        if index.isValid() and self.rows[index.row()]["slashed"]:
            return base & ~Qt.ItemIsSelectable
        return base


class BadgeDelegate(QStyledItemDelegate):
    """The Status column as a coloured pill, readable on the light and the dark theme."""

    # kind: (light background, text, border), (dark background, text, border)
    COLORS = {
        "slashed": (("#fdecea", "#a11c12", "#f5b5ae"), ("#3d1a1a", "#ffb4ab", "#7d2f2a")),
        "yours": (("#eef3fe", "#1b3d99", "#b6c9f5"), ("#18243d", "#9dbaf7", "#2f4878")),
        "active": (("#eef8f0", "#1a7f37", "#b7dfc0"), ("#15301e", "#8fd9a4", "#2c6a3f")),
    }
    PAD = 10

    def _font(self, option: QStyleOptionViewItem) -> QFont:
        font = QFont(option.font)
        font.setBold(True)
        return font

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(ValidatorModel.BadgeRole):
            metrics = QFontMetrics(self._font(option))
            size.setWidth(max(size.width(), metrics.horizontalAdvance(index.data()) + 2 * self.PAD + 16))
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        kind = index.data(ValidatorModel.BadgeRole)
        if not kind:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, opt.widget)   # row background, selection
        dark = option.palette.color(QPalette.Base).lightness() < 128
        background, foreground, border = self.COLORS[kind][1 if dark else 0]
        font = self._font(option)
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        height = metrics.height() + 6
        width = metrics.horizontalAdvance(text) + 2 * self.PAD
        rect = QRect(option.rect.left() + 6, option.rect.center().y() - height // 2 + 1, width, height)
        painter.setPen(QPen(QColor(border), 1))
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), height / 2, height / 2)
        painter.setPen(QColor(foreground))
        painter.drawText(rect, Qt.AlignCenter, text)
        painter.restore()


def _table(model: ValidatorModel) -> QTableView:
    table = QTableView()
    table.setObjectName("validatorTable")
    table.setAccessibleName("Validators")
    table.setModel(model)
    table.setItemDelegateForColumn(ValidatorModel.STATUS, BadgeDelegate(table))
    configure_list_table(table, row_padding=16)   # room for the status pill
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeToContents)
    header.setSectionResizeMode(ValidatorModel.STATUS, QHeaderView.Stretch)
    header.setMinimumSectionSize(60)
    return table


# ---- the page ----------------------------------------------------------------------------

class _Tile(QFrame):
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


class StakingPage(ChainPage):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, "Staking",
                         "Stake BTK with a validator to earn rewards every block; unstaking takes a cooldown.",
                         parent)
        self.data: dict | None = None      # the last read (read_staking)
        self.read_at = datetime.now(timezone.utc)
        self._chosen: int | None = None    # the validator chosen to stake with
        self._restoring = False

        # ---- the position at a glance
        self.claim_button = QPushButton("Claim rewards")
        self.claim_button.setObjectName("claimButton")
        self.withdraw_button = QPushButton("Withdraw")
        self.withdraw_button.setObjectName("withdrawButton")
        self.staked_tile = _Tile("Staked")
        self.rewards_tile = _Tile("Rewards to claim", self.claim_button)
        self.unstaking_tile = _Tile("Unstaking", self.withdraw_button)
        self.available_tile = _Tile("In your wallet")
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

        self.advance = AdvanceControl(session)
        self.body.addWidget(self.advance)
        self.action_message = InlineMessage(transient=True)
        self.body.addWidget(self.action_message)

        # ---- validators
        self.body.addSpacing(4)
        heading = QHBoxLayout()
        heading.setSpacing(12)
        heading.addWidget(section_title("Validators"))
        intro = text_label("They run the network with the BTK staked with them, and keep a commission of its "
                           "rewards.", name="hintLabel")
        heading.addWidget(intro, 1, Qt.AlignBottom)
        self.body.addLayout(heading)
        self.model = ValidatorModel(self)
        self.table = _table(self.model)
        self._fit_table()
        self.body.addWidget(self.table)
        self.validator_message = InlineMessage()
        self.body.addWidget(self.validator_message)

        # ---- stake and unstake
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
        forms.addWidget(self._form("Stake", self.stake_target, self.stake_amount, self.stake_max,
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
        forms.addWidget(self._form("Unstake", self.unstake_note, self.unstake_amount, self.unstake_all,
                                   self.unstake_message, self.unstake_button), 1)
        self.body.addLayout(forms)
        self.body.addStretch(1)

        # ---- wiring
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

        # On a live network blocks come by themselves: count down, and re-read now and then.
        self.ticker = VisibleTimer(self, 1000, self._tick,
                                   wanted=lambda: self.connected and not self.session.is_embedded)
        self._show()

    @staticmethod
    def _form(title: str, note: QLabel, amount: QLineEdit, fill: QPushButton, message: InlineMessage,
              button: QPushButton) -> QFrame:
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
        if status["validator"] is not None:
            self._chosen = status["validator"]
        self._restoring = True
        self.model.set_validators(data["validators"], status["validator"])
        self._fit_table()
        row = self.model.row_of(self._chosen)
        if row >= 0 and not self.model.rows[row]["slashed"]:
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
    def status(self) -> dict | None:
        return self.data["status"] if self.data else None

    def _validator(self, validator_id: int | None) -> dict | None:
        if self.data is None or validator_id is None:
            return None
        return next((v for v in self.data["validators"] if v["id"] == validator_id), None)

    @property
    def chosen(self) -> dict | None:
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
        staked, rewards, available = wei(s["staked"]), wei(s["pending_rewards"]), wei(s["available"])
        mine = self._validator(s["validator"])
        if staked:
            where = f"with {mine['name']}" if mine else ""
            if mine and mine["slashed"]:
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
        cooldown = s["cooldown"] if s else None
        if not cooldown:
            self.unstaking_tile.show_value("Nothing", f"Unstaking takes a cooldown of "
                                           f"{blocks_text(s['cooldown_blocks'])}." if s else "")
            self.withdraw_button.setEnabled(False)
            self.withdraw_button.setToolTip("Nothing is being unstaked")
            self.cooldown_box.hide()
            return
        amount = wei(cooldown["amount"])
        headline, detail = cooldown_words(cooldown, read_at=self.read_at, now=datetime.now(timezone.utc),
                                          embedded=self.session.is_embedded)
        self.cooldown_label.setText(headline)
        self.cooldown_detail.setText(detail)
        if self.cooldown_box.property("ready") != cooldown["ready"]:
            self.cooldown_box.setProperty("ready", cooldown["ready"])
            repolish(self.cooldown_box, self.cooldown_label, self.cooldown_detail)   # the colours follow it
        self.cooldown_box.show()
        if cooldown["ready"]:
            reason = "Ready: the cooldown is over."
        else:
            reason = f"Withdraw in {blocks_text(cooldown['blocks_left'])}."
        self.unstaking_tile.show_value(glance_units(amount), reason, format_units(amount))
        self.withdraw_button.setEnabled(cooldown["ready"])
        self.withdraw_button.setToolTip("" if cooldown["ready"] else
                                        "Possible once the cooldown is over, in "
                                        f"{blocks_text(cooldown['blocks_left'])} "
                                        f"(from block {cooldown['ready_at_block']:,} on)")

    def _show_forms(self) -> None:
        s = self.status
        chosen = self.chosen
        if chosen is None:
            self.stake_target.setText("Select a validator in the table to stake with.")
        else:
            self.stake_target.setText(f"With {chosen['name']}, who keeps {chosen['commission']} of your rewards.")
        if s is None:
            self.unstake_note.setText("")
        else:
            note = f"Earning stops at once; withdraw after a cooldown of {blocks_text(s['cooldown_blocks'])}."
            if s["cooldown"]:
                note += " Unstaking more restarts the cooldown for all of it."
            self.unstake_note.setText(note)
        self.stake_max.setEnabled(bool(s and wei(s["available"])))
        self.unstake_all.setEnabled(bool(s and wei(s["staked"])))
        self._check_stake()
        self._check_unstake()

    def _tick(self) -> None:
        if self.ticker.ticks % REREAD_SECONDS == 0:
            self.refresh_now()
        elif self.status and self.status["cooldown"]:
            self._show_cooldown()   # the time left, by the clock

    # ---- choosing a validator --------------------------------------------------------

    def _on_selection(self, *_args) -> None:
        if self._restoring:
            return
        rows = self.table.selectionModel().selectedRows()
        self._chosen = self.model.rows[rows[0].row()]["id"] if rows else None
        self._show_forms()

    def _explain_row(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        v = self.model.rows[index.row()]
        if v["slashed"]:
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
        chosen = self.chosen
        if s["validator"] is not None and chosen is not None and chosen["id"] != s["validator"]:
            mine = self._validator(s["validator"])
            return amount, "error", (f"You stake with {mine['name'] if mine else s['validator']}: an account stakes "
                                     f"with one validator at a time. To move to {chosen['name']}, unstake "
                                     "everything and withdraw it first.")
        if amount is None:
            return None, "empty", ""
        available = wei(s["available"])
        if amount > available:
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
        self.stake_button.setText(f"Stake with {chosen['name']}" if chosen else "Stake")

    def _unstake_problem(self) -> tuple[int | None, str, str]:
        s = self.status
        amount, error = self._amount(self.unstake_amount)
        if error:
            return None, "error", f"{error} Type an amount of BTK, such as 250 or 12.5."
        if s is None:
            return amount, "wait", ""
        staked = wei(s["staked"])
        if not staked:
            return amount, "hint", "You have nothing staked to unstake."
        if amount is None:
            return None, "empty", ""
        if amount > staked:
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
            self.stake_amount.setText(format_amount(wei(self.status["available"])))

    def _fill_all_unstake(self) -> None:
        if self.status:
            self.unstake_amount.setText(self.status["staked"])

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
        vid, cooldown = v["id"], s["cooldown_blocks"]
        intro = [f"Your BTK goes into the staking pool, delegated to {v['name']}, who keeps {v['commission']} of "
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
                          success=f"Staked {format_units(amount)} with {v['name']}: it earns rewards from "
                                  "the next block.")
        self._done(flow, self.stake_amount, f"Staked {format_units(amount)} with {v['name']}.")

    def unstake(self) -> None:
        amount, kind, text = self._unstake_problem()
        if kind != "":
            if kind in ("error", "hint"):
                self.unstake_message.show_message(kind, text)
            return
        s, sender = self.status, self.account
        intro = [f"{format_units(amount)} stops earning rewards now. After a cooldown of "
                 f"{blocks_text(s['cooldown_blocks'])} you can withdraw it to your wallet (Withdraw, above)."]
        if s["cooldown"]:
            intro.append(f"You are already unstaking {format_units(wei(s['cooldown']['amount']))}: this adds to it, "
                         "and the cooldown starts again for all of it.")
        flow = self.write(f"Unstake {format_units(amount)}",
                          lambda service: staking.unstake_request(service, sender, amount), intro=intro,
                          success=f"Unstaking {format_units(amount)}: the cooldown has started.")
        self._done(flow, self.unstake_amount, f"The cooldown for {format_units(amount)} has started.")

    def withdraw(self) -> None:
        s = self.status
        if not s or not s["cooldown"] or not s["cooldown"]["ready"]:
            return
        sender, amount = self.account, format_units(wei(s["cooldown"]["amount"]))
        flow = self.write(f"Withdraw {amount}", lambda service: staking.withdraw_request(service, sender),
                          intro=[f"The unstaked {amount} goes back to your wallet."],
                          success=f"The {amount} is back in your wallet.")
        self._done(flow, None, f"Withdrew {amount} to your wallet.")

    def claim(self) -> None:
        s = self.status
        if not s or not wei(s["pending_rewards"]):
            return
        sender = self.account
        flow = self.write("Claim rewards", lambda service: staking.claim_request(service, sender),
                          intro=["Your rewards go to your wallet; what you staked stays staked and keeps earning."],
                          success="Your rewards are in your wallet.")
        self._done(flow, None, "Rewards claimed: they are in your wallet.")
