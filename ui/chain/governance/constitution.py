"""The constitution dialog of the Governance page: the text in force with its version and
hash, every earlier version with what changed, the proposals citing each article, and an
amendment drafted on the current text (handed to the page as a new proposal).

Everything is read by vault.chain.dao.constitution on the session's chain thread. The
texts come from the chain's proposals: shown as plain text only (QPlainTextEdit).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QLineEdit, QListWidgetItem, QPlainTextEdit, QPushButton, QStackedWidget,
                               QVBoxLayout, QWidget)

from vault.chain.dao.constitution import Constitution, amendment_description
from vault.chain.governance import Governance

from ...errors import describe
from ...widgets import button_row
from ...widgets.labels import text_label
from ...widgets.layout import dialog_layout, primary
from ...widgets.tables import short_list
from .dialogs import GrowingDialog, hint


def _reader(height_lines: int, name: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setObjectName(name)
    box.setReadOnly(True)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * height_lines + 16)
    return box


def version_words(v: dict) -> str:
    by = f"by proposal {v['proposal_id'][:12]}…" if v["proposal_id"] else "with the deployment"
    return f"Version {v['version']} — block {v['block']:,}, {by}" + ("" if v["text_known"] else " (text unknown)")


def changes_text(v: dict) -> str:
    lines = [v["summary"]] if v["summary"] else []
    if v["version"] == 1:
        lines.append("The text the DAO was deployed with.")
    elif not v["text_known"]:
        lines.append("No text with this version's hash is known: the proposal that enacted it did not carry it.")
    for c in v["changes"]:
        lines.append(f"Article {c['article']} ({c['title']}): {c['change']}")
        lines += [f"   {d}" for d in c["diff"]]
    return "\n".join(lines)


class ConstitutionDialog(GrowingDialog):
    # (gov -> Call), the description, the summary: the page's _propose
    submitted = Signal(object, str, str)
    loaded = Signal()

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.shown: dict | None = None
        self.versions: list[dict] = []
        self.setWindowTitle("Constitution")
        self.setMinimumWidth(680)
        layout = dialog_layout(self, "The DAO constitution",
                               "The rules the DAO gave itself. Only its hash and version are on chain; it "
                               "changes only by a proposal that carries the new text and passes.")
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.stack.addWidget(self._read_page())
        self.stack.addWidget(self._amend_page())
        self.add_status(layout)
        self.amend_button = QPushButton("Propose an amendment…")
        self.back_button = QPushButton("Back")
        self.continue_button = primary(QPushButton("Review and send…"))
        layout.addLayout(button_row(self.close_button, self.amend_button, self.continue_button,
                                    leading=[self.back_button]))
        self.back_button.hide()
        self.continue_button.hide()
        self.amend_button.setEnabled(False)
        self.amend_button.clicked.connect(self.start_amendment)
        self.back_button.clicked.connect(self._back)
        self.continue_button.clicked.connect(self.check)
        self.history.currentRowChanged.connect(self._on_version)
        self.load()

    def _read_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.version_label = text_label(name="constitutionVersion")
        v.addWidget(self.version_label)
        self.text = _reader(14, "constitutionText")
        self.text.setAccessibleName("Constitution text")
        v.addWidget(self.text, 2)
        self.citations = text_label(name="constitutionCitations")
        v.addWidget(self.citations)
        v.addWidget(hint("History — select a version to see what it changed"))
        self.history = short_list("constitutionHistory", "Constitution versions", 5)
        v.addWidget(self.history)
        self.changes = _reader(5, "constitutionChanges")
        self.changes.setAccessibleName("What the selected version changed")
        v.addWidget(self.changes, 1)
        return page

    def _amend_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(hint("Edit the complete text. The proposal carries it in full; voters see what changes."))
        self.title = QLineEdit()
        self.title.setPlaceholderText("Title, e.g. Every grant is paid by milestones")
        self.title.setMaxLength(120)
        self.why = QLineEdit()
        self.why.setPlaceholderText("Why (cite articles as “Article 5”)")
        self.new_text = QPlainTextEdit()
        self.new_text.setObjectName("constitutionNewText")
        self.new_text.setTabChangesFocus(True)
        for w in (self.title, self.why):
            v.addWidget(w)
        v.addWidget(self.new_text, 1)
        return page

    # -- reading

    def load(self) -> None:
        self.busy.start("Reading the constitution…")
        job = self.session.run(lambda chain: (lambda c: (c.show(), c.history()))(Constitution(chain)))
        job.finished.connect(self._on_loaded)
        job.failed.connect(self._on_failed)

    def _on_failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.error.error(describe(exc))
        self.continue_button.setEnabled(True)

    def _on_loaded(self, result) -> None:
        self.busy.stop()
        self.shown, self.versions = result
        s = self.shown
        self.version_label.setText(f"Version {s['version']} in force · keccak-256 {s['hash']}")
        if s["text"] is None:
            self.text.setPlainText("")
            self.error.warning("The text of the version in force is not known to this app: the proposal that "
                               "enacted it did not carry a text with its hash.")
        else:
            self.text.setPlainText(s["text"])
        cites = [f"Article {a['number']} ({a['title']}): " + ", ".join(c["title"] for c in a["cited_by"])
                 for a in s["articles"] if a["cited_by"]]
        self.citations.setText("Cited by proposals — " + "; ".join(cites) if cites else "No proposal cites it yet.")
        self.history.clear()
        for v in self.versions:
            item = QListWidgetItem(version_words(v))
            item.setData(Qt.UserRole, v["version"])
            self.history.addItem(item)
        self.history.setCurrentRow(len(self.versions) - 1)
        self.amend_button.setEnabled(s["text"] is not None)
        self.loaded.emit()

    def _on_version(self, row: int) -> None:
        if 0 <= row < len(self.versions):
            self.changes.setPlainText(changes_text(self.versions[row]))

    # -- amending

    def start_amendment(self) -> None:
        self.error.clear()
        self.new_text.setPlainText(self.shown["text"] if self.shown else "")
        self.stack.setCurrentIndex(1)
        for b, shown in ((self.amend_button, False), (self.back_button, True), (self.continue_button, True)):
            b.setVisible(shown)
        self.title.setFocus()

    def _back(self) -> None:
        self.stack.setCurrentIndex(0)
        for b, shown in ((self.amend_button, True), (self.back_button, False), (self.continue_button, False)):
            b.setVisible(shown)

    def check(self) -> None:
        title, why, text = self.title.text().strip(), self.why.text().strip(), self.new_text.toPlainText()
        if not title:
            self.error.error("Give the amendment a title: it is what voters see first in the list.")
            self.title.setFocus()
            return
        if text and not text.endswith("\n"):
            text += "\n"

        def maker(gov):
            return Constitution(gov.chain).amend_call(gov, text, title)

        self.continue_button.setEnabled(False)
        self.busy.start("Checking the amendment…")
        job = self.session.run(lambda chain: maker(Governance(chain)).summary)
        job.finished.connect(lambda summary: self._checked(maker, amendment_description(title, why, text), summary))
        job.failed.connect(self._on_failed)

    def _checked(self, maker, description: str, summary: str) -> None:
        self.busy.stop()
        self.continue_button.setEnabled(True)
        self.accept()
        self.submitted.emit(maker, description, summary)


__all__ = ["ConstitutionDialog"]
