"""Dialogs of the Governance page: a new proposal from a template, a vote signed offline
(shown as a QR code, saved as a file), and a signed vote to relay. They open with
open_dialog() (never exec()); every chain call runs on the session's chain thread."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton,
                               QStackedWidget, QVBoxLayout, QWidget)

from vault.chain.governance import (SUPPORT_NAMES, Governance, read_vote_source, read_vote_text, short_id,
                                    vote_qr_texts)
from vault.chain.units import format_units, parse_address, parse_amount, percent
from vault.errors import ChainError

from ..errors import describe
from ..widgets import (BusyIndicator, InlineMessage, button_row, make_safe_default, on_enter, page_subtitle,
                       page_title, reserve_lines)
from ..widgets.labels import text_label
from ..widgets.layout import primary

# (key, title, what it does): the core's templates (Governance.call_*), in words.
TEMPLATES = (
    ("grant", "Treasury grant", "Pay BTK from the treasury to someone: a scholarship, a bounty."),
    ("market-fee", "Marketplace fee", "Change the share of each paid gig that goes to the treasury."),
    ("reward-rate", "Staking reward rate", "Change how many BTK stakers share per block."),
    ("slash", "Slash a validator", "Take part of a misbehaving validator's stake."),
)
LABEL_WIDTH = 120   # the forms' label column, the same in every form of the dialog

SUPPORTS = (("for", "For"), ("against", "Against"), ("abstain", "Abstain"))


class _Dialog(QDialog):
    """Sized before the stylesheet's fonts applied, a dialog would squeeze its content:
    it grows to what the content needs when shown, and when the content changes."""

    def fit(self) -> None:
        self.layout().activate()   # what was just shown or hidden counts
        hint = self.sizeHint()
        self.resize(max(self.width(), hint.width()), max(self.height(), hint.height()))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit()


def _dialog_layout(dialog: QDialog, title: str, subtitle: str) -> QVBoxLayout:
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(10)
    layout.addWidget(page_title(title))
    if subtitle:
        layout.addWidget(page_subtitle(subtitle))
    return layout


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setMinimumWidth(LABEL_WIDTH)
    return label


def _hint(text: str = "") -> QLabel:
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

class NewProposalDialog(_Dialog):
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
        layout = _dialog_layout(self, "New proposal", "Choose what the DAO should do. Holders vote on it; "
                                "if it passes, the timelock does it after a delay.")
        self.template_group = QButtonGroup(self)
        self.template_buttons: dict[str, QRadioButton] = {}
        choices = QFrame()
        choices.setObjectName("govTemplates")
        grid = QVBoxLayout(choices)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(3)
        for i, (key, title, hint) in enumerate(TEMPLATES):
            button = QRadioButton(title)
            button.setObjectName(f"template_{key}")
            grid.addWidget(button)
            note = _hint(hint)
            note.setWordWrap(False)   # one line each (a wrapped label here gets the height of fewer lines)
            note.setIndent(26)        # under its button's text
            grid.addWidget(note)
            self.template_group.addButton(button, i)
            self.template_buttons[key] = button
        layout.addWidget(choices)

        self.forms = QStackedWidget()
        self.forms.addWidget(self._grant_form())
        self.forms.addWidget(self._fee_form())
        self.forms.addWidget(self._rate_form())
        self.forms.addWidget(self._slash_form())
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
        self.treasury_hint = reserve_lines(_hint())   # filled in later: nothing jumps then
        form.addRow(_label("Pay to"), self.recipient)
        form.addRow(_label("Amount (BTK)"), self.grant_amount)
        form.addRow(_label(""), self.treasury_hint)
        return page

    def _fee_form(self) -> QWidget:
        page, form = self._form()
        self.fee_bps = _percent_box("govFeeBps", 2.5, "Marketplace fee in percent")
        self.fee_hint = reserve_lines(_hint())
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
        self.rate_hint = reserve_lines(_hint())
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
        self.slash_hint = reserve_lines(_hint())
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
        return TEMPLATES[self.template_group.checkedId()][0]

    # -- checking

    def _call_maker(self):
        """The template's call as a function of a Governance (run on the chain thread);
        raises ChainError for what can be told without the chain."""
        t = self.template
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
        if t == "grant":
            return self.recipient if reason == "invalid-recipient" else self.grant_amount
        return {"market-fee": self.fee_bps, "reward-rate": self.reward_rate,
                "slash": self.slash_bps if reason != "unknown-validator" else self.validator}.get(t)

    def description(self) -> str:
        title, details = self.title.text().strip(), self.details.toPlainText().strip()
        return f"{title}\n\n{details}" if details else title

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


# ---- sign a vote offline --------------------------------------------------------------------

class SignVoteDialog(_Dialog):
    """Choose For / Against / Abstain, sign (nothing is sent, no fee), then show the signed
    vote as a QR code and save it as a file or an image for whoever relays it."""

    saved = Signal(str)

    def __init__(self, session, account: str, proposal_id: str, title: str, reason: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.account, self.proposal_id = session, account, proposal_id
        self.vote: dict | None = None
        self.texts: list[str] = []
        self.setWindowTitle("Sign your vote offline")
        self.setMinimumWidth(560)
        layout = _dialog_layout(self, "Sign your vote offline",
                                f"On “{title}”. Signing sends nothing and costs nothing: anyone can later "
                                "relay the signed vote while voting is open, and it counts as yours.")
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)

        choose = QWidget()
        c = QVBoxLayout(choose)
        c.setContentsMargins(0, 0, 0, 0)
        self.support_group = QButtonGroup(self)
        self.support_buttons: dict[str, QRadioButton] = {}
        row = QHBoxLayout()
        for i, (key, label) in enumerate(SUPPORTS):
            button = QRadioButton(label)
            button.setObjectName(f"sign_{key}")
            self.support_group.addButton(button, i)
            self.support_buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        c.addLayout(row)
        self.reason = QLineEdit(reason)
        self.reason.setPlaceholderText("Reason (optional; public once relayed)")
        self.reason.setAccessibleName("Reason for your vote")
        self.reason.setMaxLength(500)
        c.addWidget(self.reason)
        c.addWidget(_hint("The signature uses your account's current signature number: if you have another "
                          "signed vote relayed first, this one must be signed again."))
        c.addStretch(1)
        self.stack.addWidget(choose)

        shown = QWidget()
        s = QVBoxLayout(shown)
        s.setContentsMargins(0, 0, 0, 0)
        from ..present.qr import QrView
        self.qr = QrView(minimum=300)
        s.addWidget(self.qr, 1)
        self.summary = text_label(name="govSignedSummary", selectable=True)
        s.addWidget(self.summary)
        self.stack.addWidget(shown)

        self.error = InlineMessage()
        layout.addWidget(self.error)
        self.busy = BusyIndicator()
        layout.addWidget(self.busy)
        self.cancel_button = QPushButton("Cancel")
        self.sign_button = primary(QPushButton("Sign"))
        self.save_button = QPushButton("Save as file…")
        self.save_qr_button = QPushButton("Save QR image…")
        self.copy_button = QPushButton("Copy code text")
        self.close_button = QPushButton("Close")
        layout.addLayout(button_row(self.cancel_button, self.sign_button, self.close_button,
                                    leading=[self.save_button, self.save_qr_button, self.copy_button]))
        make_safe_default(self, self.cancel_button, self.sign_button)   # Enter never signs
        on_enter(self.reason)   # nor closes away the reason being typed
        for b in (self.save_button, self.save_qr_button, self.copy_button, self.close_button):
            b.hide()
        self.cancel_button.clicked.connect(self.reject)
        self.close_button.clicked.connect(self.accept)
        self.sign_button.clicked.connect(self.sign)
        self.save_button.clicked.connect(self.choose_file)
        self.save_qr_button.clicked.connect(self.choose_image)
        self.copy_button.clicked.connect(self.copy_text)

    @property
    def support(self) -> str | None:
        checked = self.support_group.checkedId()
        return SUPPORTS[checked][0] if checked >= 0 else None

    def sign(self) -> None:
        support = self.support
        if support is None:
            self.error.error("Choose For, Against or Abstain first.")
            return
        self.error.clear()
        self.sign_button.setEnabled(False)
        self.busy.start("Signing…")
        identity, account, pid, reason = self.session.identity, self.account, int(self.proposal_id), \
            self.reason.text().strip()

        def sign(chain):   # chain thread: the key never leaves it
            from ..present.qr import qr_image
            vote = Governance(chain).sign_vote_offline(identity.eth_private_key(account), pid, support, reason)
            texts = vote_qr_texts(vote)
            return vote, texts, [qr_image(t) for t in texts]

        job = self.session.run(sign)
        job.finished.connect(self._signed)
        job.failed.connect(self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.sign_button.setEnabled(True)
        self.error.error(describe(exc))

    def _signed(self, result) -> None:
        self.vote, self.texts, images = result
        self.busy.stop()
        self.qr.set_frames(images)
        v = self.vote
        reason = f" — “{v['reason']}”" if v.get("reason") else ""
        self.summary.setText(f"{v['voter']} votes {v['support_name'].upper()} on proposal "
                             f"{short_id(v['proposal_id'])}{reason}. Signature number {v['nonce']}. "
                             "Scan it, or save it and hand the file over, to have it relayed.")
        self.stack.setCurrentIndex(1)
        self.cancel_button.hide()
        self.sign_button.hide()
        for b in (self.save_button, self.save_qr_button, self.copy_button, self.close_button):
            b.show()
        self.close_button.setDefault(True)
        self.fit()

    def _suggested(self, suffix: str) -> str:
        return str(Path.home() / f"vote-{short_id(self.proposal_id).rstrip('…')}{suffix}")

    def choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the signed vote", self._suggested(".json"),
                                              "Signed vote (*.json);;All files (*)")
        if path:
            self.save_file(Path(path))

    def choose_image(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the QR code", self._suggested(".png"),
                                              "PNG image (*.png);;SVG image (*.svg)")
        if path:
            self.save_image(Path(path))

    def save_file(self, path: Path) -> None:
        from vault.store.atomic import write_atomic
        vote = self.vote

        def write():
            write_atomic(path, json.dumps(vote, indent=2).encode() + b"\n")
            return [path]
        self._save(write)

    def save_image(self, path: Path) -> None:
        from vault.chain.governance import export_vote_qr
        vote = self.vote
        self._save(lambda: export_vote_qr(vote, path))

    def _save(self, fn) -> None:
        job = self.session.runner.run(fn)
        job.finished.connect(lambda written: self._saved(written))
        job.failed.connect(lambda exc: self.error.error(describe(exc)))

    def _saved(self, written) -> None:
        names = ", ".join(str(p) for p in written)
        self.error.success(f"Saved: {names}")
        self.saved.emit(names)

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(self.texts))   # a signed vote is no secret
        self.error.success("The code's text is on the clipboard: paste it in Relay a signed vote.")


# ---- relay a signed vote --------------------------------------------------------------------

class RelayVoteDialog(_Dialog):
    """Open a signed vote (a .json file or a QR image) or paste it; see who signed what;
    then relay it (the page opens the confirmation: the relayer pays the fee)."""

    relay = Signal(dict)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.vote: dict | None = None
        self.setWindowTitle("Relay a signed vote")
        self.setMinimumWidth(580)
        layout = _dialog_layout(self, "Relay a signed vote",
                                "Someone signed their vote without sending it. You send it for them and pay "
                                "the network fee; it counts as their vote.")
        row = QHBoxLayout()
        self.open_button = QPushButton("Open a file or QR image…")
        row.addWidget(self.open_button)
        row.addWidget(_hint("or paste it below (the JSON, or the code's text)"), 1)
        layout.addLayout(row)
        self.paste = QPlainTextEdit()
        self.paste.setObjectName("govRelayPaste")
        self.paste.setAccessibleName("Signed vote text")
        self.paste.setPlaceholderText('{"type": "blocktrack-signed-vote", …}  or  BTV1:VOTE:…')
        self.paste.setFixedHeight(self.paste.fontMetrics().lineSpacing() * 4 + 16)
        self.paste.setTabChangesFocus(True)
        layout.addWidget(self.paste)
        self.check_button = QPushButton("Check the pasted vote")
        layout.addLayout(button_row(self.check_button))
        self.details = text_label(name="govRelayDetails", plain=True, selectable=True)
        self.details.hide()
        layout.addWidget(self.details)
        self.error = InlineMessage()
        layout.addWidget(self.error)
        self.busy = BusyIndicator()
        layout.addWidget(self.busy)
        self.cancel_button = QPushButton("Cancel")
        self.relay_button = primary(QPushButton("Relay it…"))
        self.relay_button.setEnabled(False)
        layout.addLayout(button_row(self.cancel_button, self.relay_button))
        self.cancel_button.clicked.connect(self.reject)
        self.open_button.clicked.connect(self.choose_file)
        self.check_button.clicked.connect(self.check_pasted)
        self.relay_button.clicked.connect(self._relay)
        self.paste.textChanged.connect(self._forget)

    def _forget(self) -> None:
        self.vote = None
        self.relay_button.setEnabled(False)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a signed vote", str(Path.home()),
                                              "Signed votes (*.json *.png *.jpg *.jpeg);;All files (*)")
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> None:
        self._start(lambda chain: self._checked(chain, read_vote_source(path)))

    def check_pasted(self) -> None:
        text = self.paste.toPlainText()
        self._start(lambda chain: self._checked(chain, read_vote_text(text)))

    @staticmethod
    def _checked(chain, vote: dict):   # chain thread
        gov = Governance(chain)
        try:
            gov.check_signed_vote(vote)
        except ChainError as exc:
            return vote, None, exc
        return vote, gov.label(int(vote["proposal_id"])), None

    def _start(self, fn) -> None:
        self.error.clear()
        self.details.hide()
        self.vote = None
        self.relay_button.setEnabled(False)
        self.busy.start("Reading and checking the signed vote…")
        job = self.session.run(fn)
        job.finished.connect(self._on_checked)
        job.failed.connect(self._on_failed)

    def _on_failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.error.error(describe(exc))
        self.fit()

    def _on_checked(self, result) -> None:
        self.busy.stop()
        vote, label, problem = result
        reason = f"\nReason: “{vote['reason']}”" if vote.get("reason") else ""
        what = label[0].upper() + label[1:] if label else f"Proposal {short_id(vote['proposal_id'])}"
        support = SUPPORT_NAMES.get(int(vote["support"]), str(vote["support"])).upper()
        self.details.setText(f"Signed by {vote['voter']}\n{what}\nVote: {support}{reason}")
        self.details.show()
        if problem is not None:
            self.error.error(describe(problem))
        else:
            self.vote = vote
            self.error.success("The signature is valid and the vote can still be counted.")
            self.relay_button.setEnabled(True)
            self.relay_button.setFocus()
        self.fit()

    def _relay(self) -> None:
        if self.vote is None:
            return
        vote = self.vote
        self.accept()
        self.relay.emit(vote)


__all__ = ["NewProposalDialog", "RelayVoteDialog", "SignVoteDialog"]
