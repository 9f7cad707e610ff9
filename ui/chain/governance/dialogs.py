"""The Governance page's dialogs: what they share (GrowingDialog, hint) and
a new proposal from a template; votes.py has the vote signed offline and the one to relay.
They open with open_dialog() (never exec()); every chain call runs on the session's chain
thread."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDialog, QDoubleSpinBox, QFormLayout, QFrame, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QRadioButton, QStackedWidget, QVBoxLayout,
                               QWidget)

from vault.chain import templates
from vault.chain.dao.power import mark_quadratic
from vault.chain.governance import Governance
from vault.chain.units import format_units, parse_address, parse_amount, percent
from vault.errors import ChainError

from ...errors import describe
from ...widgets import BusyIndicator, InlineMessage, button_row, reserve_lines
from ...widgets.labels import text_label
from ...widgets.layout import dialog_layout, primary
from .more_templates import RegisteredTemplateForm

# (key, title, what it does): the core's templates (Governance.call_*), in words.
TEMPLATES = (
    ("grant", "Treasury grant", "Pay BTK from the treasury to someone: a scholarship, a bounty."),
    ("market-fee", "Marketplace fee", "Change the share of each paid gig that goes to the treasury."),
    ("reward-rate", "Staking reward rate", "Change how many BTK stakers share per block."),
    ("slash", "Slash a validator", "Take part of a misbehaving validator's stake."),
)
LABEL_WIDTH = 120   # the forms' label column, the same in every form of the dialog


class GrowingDialog(QDialog):
    """Sized before the stylesheet's fonts applied, a dialog would squeeze its content:
    it grows to what the content needs when shown, and when the content changes."""

    def fit(self) -> None:
        self.layout().activate()   # what was just shown or hidden counts
        wanted = self.sizeHint()
        self.resize(max(self.width(), wanted.width()), max(self.height(), wanted.height()))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit()

    def add_status(self, layout) -> QPushButton:
        """The DAO dialogs' foot: ``self.error`` (what went wrong), ``self.busy`` (what is
        being read or sent) and ``self.close_button``, which closes; returns that button
        for the caller's button row."""
        self.error = InlineMessage()
        layout.addWidget(self.error)
        self.busy = BusyIndicator()
        layout.addWidget(self.busy)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        return self.close_button


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setMinimumWidth(LABEL_WIDTH)
    return label


def hint(text: str = "") -> QLabel:
    return text_label(text, name="hintLabel")


def _percent_box(name: str, value: float, accessible: str) -> QDoubleSpinBox:
    """A share in percent, to the hundredth (the contracts' basis point)."""
    box = QDoubleSpinBox()
    box.setObjectName(name)
    box.setRange(0, 100)
    box.setDecimals(2)
    box.setValue(value)
    box.setSuffix(" %")
    box.setAccessibleName(accessible)
    return box


# ---- new proposal ---------------------------------------------------------------------------

class NewProposalDialog(GrowingDialog):
    """Pick a template, fill it in, give a title: checked on the chain thread by the core's
    template (a bad address, an amount the treasury cannot pay, a fee above the ceiling),
    then handed to the page, which opens the confirmation."""

    # (gov -> Call) made again on the chain thread at sending, the description, the summary
    submitted = Signal(object, str, str)

    def __init__(self, session, overview: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("New proposal")
        self.setMinimumWidth(620)
        self.limits: dict | None = None
        layout = dialog_layout(self, "New proposal", "Choose what the DAO should do. Holders vote on it; "
                               "if it passes, the timelock does it after a delay.")
        self.template_group = QButtonGroup(self)
        self.template_buttons: dict[str, QRadioButton] = {}
        choices = QFrame()
        choices.setObjectName("govTemplates")
        grid = QVBoxLayout(choices)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(3)
        for i, (key, title, words) in enumerate(TEMPLATES):
            button = QRadioButton(title)
            button.setObjectName(f"template_{key}")
            grid.addWidget(button)
            note = hint(words)
            note.setWordWrap(False)   # one line each (a wrapped label here gets the height of fewer lines)
            note.setIndent(26)        # under its button's text
            grid.addWidget(note)
            self.template_group.addButton(button, i)
            self.template_buttons[key] = button
        self.more = RegisteredTemplateForm(LABEL_WIDTH) if templates.registered() else None
        if self.more is not None:   # the core's registered templates, behind one choice
            button = QRadioButton("Another action")
            button.setObjectName("template_more")
            grid.addWidget(button)
            note = hint("Issuer roles and the settings of the newer contracts.")
            note.setIndent(26)
            grid.addWidget(note)
            self.template_group.addButton(button, len(TEMPLATES))
            self.template_buttons["more"] = button
        layout.addWidget(choices)

        self.forms = QStackedWidget()
        self.forms.addWidget(self._grant_form())
        self.forms.addWidget(self._fee_form())
        self.forms.addWidget(self._rate_form())
        self.forms.addWidget(self._slash_form())
        if self.more is not None:
            self.forms.addWidget(self.more)
        layout.addWidget(self.forms)

        texts, text = self._form()
        self.title = QLineEdit()
        self.title.setObjectName("govProposalTitleField")
        self.title.setPlaceholderText("e.g. Scholarship for the spring cohort")
        self.title.setMaxLength(120)
        self.details = QPlainTextEdit()
        self.details.setObjectName("govProposalDetails")
        self.details.setPlaceholderText("Why: what it is for, who asked, links. Voters read this.")
        self.details.setFixedHeight(self.details.fontMetrics().lineSpacing() * 4 + 16)
        self.details.setTabChangesFocus(True)
        text.addRow(_label("Title"), self.title)
        text.addRow(_label("Details"), self.details)
        self.quadratic = QCheckBox("One person one square root: each member's vote counts √ of their power; "
                                   "only holders of a membership credential vote")
        self.quadratic.setObjectName("govQuadratic")
        text.addRow(_label("Counting"), self.quadratic)
        layout.addWidget(texts)

        self.error = InlineMessage()
        layout.addWidget(self.error)
        self.busy = BusyIndicator()
        layout.addWidget(self.busy)
        self.cancel_button = QPushButton("Cancel")
        self.continue_button = primary(QPushButton("Review and send…"))
        layout.addLayout(button_row(self.cancel_button, self.continue_button))
        self.cancel_button.clicked.connect(self.reject)
        self.continue_button.clicked.connect(self.check)
        self.template_group.idToggled.connect(self._on_template)
        self.template_buttons["grant"].setChecked(True)
        self.update_overview(overview)
        self._load_limits()

    # -- the forms

    def _form(self) -> tuple[QWidget, QFormLayout]:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 4, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        return page, form

    def _grant_form(self) -> QWidget:
        page, form = self._form()
        self.recipient = QLineEdit()
        self.recipient.setObjectName("govGrantRecipient")
        self.recipient.setPlaceholderText("0x… address or did:pkh")
        self.recipient.setAccessibleName("Grant recipient")
        self.grant_amount = QLineEdit()
        self.grant_amount.setObjectName("govGrantAmount")
        self.grant_amount.setPlaceholderText("e.g. 1000")
        self.grant_amount.setAccessibleName("Grant amount in BTK")
        self.treasury_hint = reserve_lines(hint())   # filled in later: nothing jumps then
        form.addRow(_label("Pay to"), self.recipient)
        form.addRow(_label("Amount (BTK)"), self.grant_amount)
        form.addRow(_label(""), self.treasury_hint)
        return page

    def _fee_form(self) -> QWidget:
        page, form = self._form()
        self.fee_bps = _percent_box("govFeeBps", 2.5, "Marketplace fee in percent")
        self.fee_hint = reserve_lines(hint())
        self.fee_bps.valueChanged.connect(self._fee_words)
        form.addRow(_label("New fee"), self.fee_bps)
        form.addRow(_label(""), self.fee_hint)
        return page

    def _rate_form(self) -> QWidget:
        page, form = self._form()
        self.reward_rate = QLineEdit()
        self.reward_rate.setObjectName("govRewardRate")
        self.reward_rate.setPlaceholderText("e.g. 2")
        self.reward_rate.setAccessibleName("Reward rate in BTK per block")
        self.rate_hint = reserve_lines(hint())
        form.addRow(_label("BTK per block"), self.reward_rate)
        form.addRow(_label(""), self.rate_hint)
        return page

    def _slash_form(self) -> QWidget:
        page, form = self._form()
        self.validator = QComboBox()
        self.validator.setObjectName("govSlashValidator")
        self.validator.setAccessibleName("Validator to slash")
        self.validator.addItem("Loading the validators…", None)
        self.slash_bps = _percent_box("govSlashBps", 5, "Share of the stake to slash in percent")
        self.slash_hint = reserve_lines(hint())
        self.slash_bps.valueChanged.connect(self._slash_words)
        form.addRow(_label("Validator"), self.validator)
        form.addRow(_label("Slash"), self.slash_bps)
        form.addRow(_label(""), self.slash_hint)
        return page

    def _fee_words(self) -> None:
        now = f" (now {percent(self.limits['fee_bps'])})" if self.limits else ""
        ceiling = f"; at most {percent(self.limits['max_fee_bps'])}" if self.limits else ""
        self.fee_hint.setText(f"Of each gig's price{now}{ceiling}.")

    def _slash_words(self) -> None:
        ceiling = f"; at most {percent(self.limits['max_slash_bps'])}" if self.limits else ""
        self.slash_hint.setText(f"Of the validator's stake{ceiling}.")

    def update_overview(self, overview: dict) -> None:
        self.overview = overview
        treasury = format_units(int(overview["treasury"]["btk_wei"]), "BTK")
        self.treasury_hint.setText(f"The treasury holds {treasury}.")
        if not overview["can_propose"]:
            self.error.warning(f"Proposing needs {format_units(int(overview['threshold_wei']), 'votes')}; you "
                               f"have {format_units(int(overview['power']['votes_wei']), 'votes')}. Activate "
                               "your votes on the Governance page first.")

    def _load_limits(self) -> None:
        job = self.session.run(lambda chain: Governance(chain).template_limits())
        job.finished.connect(self._on_limits)
        job.failed.connect(lambda exc: self.error.error(describe(exc)))

    def _on_limits(self, limits: dict) -> None:
        self.limits = limits
        self.validator.clear()
        for v in limits["validators"]:
            suffix = " — already slashed" if v["slashed"] else ""
            self.validator.addItem(f"{v['id']}: {v['name']}{suffix}", v["id"])
        self.treasury_hint.setText(f"The treasury holds {format_units(int(limits['treasury_wei']), 'BTK')}.")
        self.rate_hint.setText(f"Shared by everyone staking, every block (now {limits['reward_rate']} BTK "
                               "per block).")
        self._fee_words()
        self._slash_words()

    def _on_template(self, index: int, checked: bool) -> None:
        if checked:
            self.forms.setCurrentIndex(index)
            if not self.error.kind == "warning":
                self.error.clear()

    @property
    def template(self) -> str:
        index = self.template_group.checkedId()
        return TEMPLATES[index][0] if index < len(TEMPLATES) else self.more.key

    # -- checking

    def _call_maker(self):
        """The template's call as a function of a Governance (run on the chain thread);
        raises ChainError for what can be told without the chain."""
        t = self.template
        if self.more is not None and self.template_group.checkedId() == len(TEMPLATES):
            return self.more.call_maker()
        if t == "grant":
            recipient = self.recipient.text().strip()
            if not recipient:
                raise ChainError("invalid-recipient", "Enter who receives the grant: an address (0x…) or a did:pkh.")
            amount = parse_amount(self.grant_amount.text())

            def grant(gov):
                return gov.call_grant(parse_address(recipient, gov.chain.chain_id), amount)
            return grant
        if t == "market-fee":
            bps = round(self.fee_bps.value() * 100)
            return lambda gov: gov.call_market_fee(bps)
        if t == "reward-rate":
            rate = parse_amount(self.reward_rate.text(), allow_zero=True)
            return lambda gov: gov.call_reward_rate(rate)
        validator = self.validator.currentData()
        if validator is None:
            raise ChainError("unknown-validator", "Choose the validator to slash (the list is still loading).")
        bps = round(self.slash_bps.value() * 100)
        return lambda gov: gov.call_slash(validator, bps)

    def _field_for(self, reason: str) -> QWidget | None:
        t = self.template
        if self.more is not None and self.template_group.checkedId() == len(TEMPLATES):
            return self.more.field_for(reason)
        if t == "grant":
            return self.recipient if reason == "invalid-recipient" else self.grant_amount
        return {"market-fee": self.fee_bps, "reward-rate": self.reward_rate,
                "slash": self.slash_bps if reason != "unknown-validator" else self.validator}.get(t)

    def description(self) -> str:
        title, details = self.title.text().strip(), self.details.toPlainText().strip()
        text = f"{title}\n\n{details}" if details else title
        return mark_quadratic(text) if self.quadratic.isChecked() else text

    def check(self) -> None:
        self.error.clear()
        try:
            maker = self._call_maker()
        except ChainError as exc:
            self._refuse(exc)
            return
        if not self.title.text().strip():
            self.error.error("Give the proposal a title: it is what voters see first in the list.")
            self.title.setFocus()
            return
        self.continue_button.setEnabled(False)
        self.busy.start("Checking the proposal…")
        job = self.session.run(lambda chain: maker(Governance(chain)).summary)
        job.finished.connect(lambda summary: self._checked(maker, summary))
        job.failed.connect(self._check_failed)

    def _refuse(self, exc: BaseException) -> None:
        self.error.error(describe(exc))
        field = self._field_for(getattr(exc, "reason", ""))
        if field is not None:
            field.setFocus()

    def _checked(self, maker, summary: str) -> None:
        self.busy.stop()
        self.continue_button.setEnabled(True)
        self.accept()
        self.submitted.emit(maker, self.description(), summary)

    def _check_failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.continue_button.setEnabled(True)
        self._refuse(exc)


__all__ = ["GrowingDialog", "NewProposalDialog", "hint"]
