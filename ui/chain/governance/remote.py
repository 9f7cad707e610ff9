"""The selected proposal's votes from another chain (vault/chain/dao/crosschain.py): the
root its proposer recorded (chain, block, total), the against / for / abstain weight cast
from there and by whom, and "Relay a remote ballot…", which checks a signed ballot file
or QR image as the contract will before the page's confirm step (anyone may relay: the
relayer pays the fee, the vote counts as the holder's). Hidden on a network without the
contract and for a proposal without a root. Everything shown comes from the chain or a file: plain text only."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from vault.chain.dao.crosschain import CrossChain
from vault.chain.dao.remote_files import SUPPORT, read_remote_ballot
from vault.chain.units import format_units
from vault.errors import ChainError

from ...errors import describe
from ...widgets import InlineMessage
from ...widgets.labels import text_label


def _btk(wei) -> str:
    return format_units(int(wei), "BTK")


def tally_words(t: dict) -> str:
    if not t["recorded"]:
        return "None: no root of another chain's balances was recorded for this proposal."
    lines = [f"Holders of chain {t['remote_chain_id']} at block {t['remote_block']:,} ({_btk(t['total_wei'])} in "
             f"all; root recorded by {t['set_by']}).",
             f"For {_btk(t['for_wei'])} · Against {_btk(t['against_wei'])} · Abstain {_btk(t['abstain_wei'])}"]
    lines += [f"{v['voter']}: {v['support']} with {_btk(v['weight_wei'])}" for v in t["votes"]]
    return "\n".join(lines)


def ballot_words(b: dict) -> str:
    return (f"{b['voter']} votes {SUPPORT[b['support']].upper()} with {_btk(b['weight'])} held on chain "
            f"{b['remote_chain_id']} at block {b['remote_block']:,}.")


class RemoteVotesBox(QFrame):
    relay_requested = Signal(dict, str)   # the checked ballot, what it does (words)
    loaded = Signal()

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("govRemote")
        self.session = session
        self.proposal_id: str | None = None
        self.tally: dict | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(text_label("Votes from another chain", name="govCaption", wrap=False))
        self.summary = text_label(name="govRemoteSummary", selectable=True)
        layout.addWidget(self.summary)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.relay_button = QPushButton("Relay a remote ballot…")
        self.relay_button.setToolTip("Send a ballot a holder on the other chain signed (a file or QR image): "
                                     "you pay the network fee, the vote counts as theirs")
        row.addWidget(self.relay_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.relay_button.clicked.connect(self.pick_ballot)
        self.hide()

    def show_proposal(self, proposal_id: str) -> None:
        if proposal_id != self.proposal_id:
            self.message.clear()
        self.proposal_id = proposal_id
        job = self.session.run(lambda chain: CrossChain(chain).tally(int(proposal_id)))
        job.finished.connect(lambda t, pid=proposal_id: self._on_tally(pid, t))
        job.failed.connect(self._on_failed)

    def _on_tally(self, proposal_id: str, t: dict) -> None:
        if proposal_id != self.proposal_id:
            return   # another proposal was selected meanwhile
        self.tally = t
        self.summary.setText(tally_words(t))
        self.relay_button.setEnabled(t["recorded"] and t["state"] == "Active")
        self.setVisible(t["recorded"] or self.message.kind == "error")   # most proposals take no remote votes
        self.loaded.emit()

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ChainError) and exc.reason == "not-deployed":
            self.hide()   # a network without cross-chain votes: nothing to show
            return
        self.message.error(describe(exc))
        self.show()

    def pick_ballot(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a remote ballot", "",
                                              "Remote ballots (*.json *.png);;All files (*)")
        if not path:
            return
        self.message.clear()
        job = self.session.run(lambda chain: CrossChain(chain).check_ballot(read_remote_ballot(path)))
        job.finished.connect(lambda b: self.relay_requested.emit(b, ballot_words(b)))
        job.failed.connect(lambda exc: self.message.error(describe(exc)))


__all__ = ["RemoteVotesBox", "tally_words"]
