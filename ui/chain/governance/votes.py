"""The Governance page's vote dialogs: a vote signed offline (shown as a QR code, saved as
a file or an image) and a signed vote to relay. Opened with open_dialog() (never exec());
every chain call runs on the session's chain thread, where the key stays."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QButtonGroup, QFileDialog, QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton,
                               QRadioButton, QStackedWidget, QVBoxLayout, QWidget)

from vault.chain.governance import (SUPPORT_NAMES, Governance, export_vote_qr, read_vote_source, read_vote_text,
                                    short_id, vote_qr_texts)
from vault.errors import ChainError
from vault.store.atomic import write_atomic

from ...errors import describe
from ...widgets import BusyIndicator, InlineMessage, button_row, make_safe_default, on_enter
from ...widgets.labels import text_label
from ...widgets.layout import dialog_layout, primary
from .dialogs import GrowingDialog, hint

SUPPORTS = (("for", "For"), ("against", "Against"), ("abstain", "Abstain"))


# ---- sign a vote offline --------------------------------------------------------------------

class SignVoteDialog(GrowingDialog):
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
        layout = dialog_layout(self, "Sign your vote offline",
                               f"On “{title}”. Signing sends nothing and costs nothing: anyone can later "
                               "relay the signed vote while voting is open, and it counts as yours.")
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.stack.addWidget(self._choose_page(reason))
        self.stack.addWidget(self._shown_page())

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

    def _choose_page(self, reason: str) -> QWidget:
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
        c.addWidget(hint("The signature uses your account's current signature number: if you have another "
                         "signed vote relayed first, this one must be signed again."))
        c.addStretch(1)
        return choose

    def _shown_page(self) -> QWidget:
        # start-up: ui.present.qr ~380 ms (the QR view and its codec), only once a vote is a code
        from ...present.qr import QrView

        shown = QWidget()
        s = QVBoxLayout(shown)
        s.setContentsMargins(0, 0, 0, 0)
        self.qr = QrView(minimum=300)
        s.addWidget(self.qr, 1)
        self.summary = text_label(name="govSignedSummary", selectable=True)
        s.addWidget(self.summary)
        return shown

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
            # start-up: ui.present.qr, as above
            from ...present.qr import qr_image
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
        vote = self.vote

        def write():
            write_atomic(path, json.dumps(vote, indent=2).encode() + b"\n")
            return [path]
        self._save(write)

    def save_image(self, path: Path) -> None:
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

class RelayVoteDialog(GrowingDialog):
    """Open a signed vote (a .json file or a QR image) or paste it; see who signed what;
    then relay it (the page opens the confirmation: the relayer pays the fee)."""

    relay = Signal(dict)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.vote: dict | None = None
        self.setWindowTitle("Relay a signed vote")
        self.setMinimumWidth(580)
        layout = dialog_layout(self, "Relay a signed vote",
                               "Someone signed their vote without sending it. You send it for them and pay "
                               "the network fee; it counts as their vote.")
        row = QHBoxLayout()
        self.open_button = QPushButton("Open a file or QR image…")
        row.addWidget(self.open_button)
        row.addWidget(hint("or paste it below (the JSON, or the code's text)"), 1)
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


__all__ = ["RelayVoteDialog", "SignVoteDialog"]
