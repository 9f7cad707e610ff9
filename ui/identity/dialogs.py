"""Dialogs of the Identity page. All open window-modal with ``open()``, never ``exec()``,
so the event loop (and a running worker) keeps going."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QPixmap, QTextOption
from PySide6.QtWidgets import (QButtonGroup, QDialog, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QRadioButton, QStackedWidget,
                               QVBoxLayout, QWidget)

from vault.store import VaultStore

from ..errors import describe
from ..widgets import (BusyIndicator, InlineMessage, PassphraseField, PhraseGrid, button_row,
                       make_safe_default, on_enter, page_subtitle, page_title)
from ..widgets.layout import primary
from ..workers import TaskRunner

METHODS = (
    ("key", "did:key", "An Ed25519 key. The most widely accepted; good for most credentials."),
    ("jwk", "did:jwk", "The same kind of key written as a JSON Web Key, for JOSE / JWT issuers."),
    ("pkh", "did:pkh", "A new Ethereum account, and its DID. Soulbound credentials are held "
                       "by an account."),
)


class NewDidDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New DID")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(page_title("New DID"))
        layout.addWidget(page_subtitle(
            "Derived from your recovery phrase: restoring the phrase brings it back."))
        self.method_group = QButtonGroup(self)
        self.method_buttons: dict[str, QRadioButton] = {}
        for i, (method, title, description) in enumerate(METHODS):
            button = QRadioButton(title)
            button.setObjectName(f"method_{method}")
            hint = QLabel(description)
            hint.setObjectName("radioHint")
            hint.setWordWrap(True)
            layout.addWidget(button)
            layout.addWidget(hint)
            self.method_group.addButton(button, i)
            self.method_buttons[method] = button
        self.method_buttons["key"].setChecked(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Job applications")
        self.name.setMaxLength(80)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.addRow("Name", self.name)
        layout.addSpacing(4)
        layout.addLayout(form)
        self.cancel_button = QPushButton("Cancel")
        self.create_button = primary(QPushButton("Create DID"))
        layout.addLayout(button_row(self.cancel_button, self.create_button))
        self.cancel_button.clicked.connect(self.reject)
        self.create_button.clicked.connect(self.accept)
        self.name.setFocus()

    def method(self) -> str:
        return METHODS[self.method_group.checkedId()][0]

    def did_name(self) -> str:
        return self.name.text().strip()


class DidDocumentDialog(QDialog):
    """The resolved DID document as pretty JSON."""

    copied = Signal(str)

    def __init__(self, did: str, document: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("DID document")
        self.resize(760, 560)
        self.document_text = json.dumps(document, indent=2, ensure_ascii=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(page_title("DID document"))
        layout.addWidget(page_subtitle("Resolved offline, from the identifier alone."))
        self.did_view = QPlainTextEdit(did)
        self.did_view.setObjectName("didView")
        self.did_view.setAccessibleName("DID")
        self.did_view.setReadOnly(True)
        self.did_view.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.did_view.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        self.did_view.setWordWrapMode(QTextOption.WrapAnywhere)
        lines = 3 if len(did) > 80 else 1
        self.did_view.setFixedHeight(self.did_view.fontMetrics().lineSpacing() * lines + 16)
        layout.addWidget(self.did_view)
        self.json_view = QPlainTextEdit(self.document_text)
        self.json_view.setObjectName("jsonView")
        self.json_view.setAccessibleName("DID document JSON")
        self.json_view.setReadOnly(True)
        self.json_view.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.json_view.setLineWrapMode(QPlainTextEdit.NoWrap)
        layout.addWidget(self.json_view, 1)
        self.copy_button = QPushButton("Copy JSON")
        self.close_button = primary(QPushButton("Close"))
        layout.addLayout(button_row(self.close_button, leading=[self.copy_button]))
        self.copy_button.clicked.connect(self._copy)
        self.close_button.clicked.connect(self.accept)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.document_text)
        self.copied.emit("DID document copied to the clipboard.")


class QrTextDialog(QDialog):
    """A plain QR code of a DID or an address (not our BTV1 format: any wallet or phone
    camera reads it), the text below it, and Copy. Neither is a secret: a plain copy."""

    copied = Signal(str)

    def __init__(self, title: str, text: str, what: str, parent: QWidget | None = None):
        """``what`` names the text in messages: "DID", "Address"."""
        super().__init__(parent)
        # start-up: vault.qr.render (zxing-cpp, PIL: ~20 ms) only when a code is shown
        from vault.qr import render

        self.text, self.what = text, what
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(page_title(title))
        # the PNG at whole pixels per module, shown 1:1 (never smoothed), on white with
        # its quiet zone: what a camera, or a screenshot, reads.
        self.pixmap = QPixmap()
        self.pixmap.loadFromData(render.png(text))
        self.qr_label = QLabel()
        self.qr_label.setObjectName("qrImage")
        self.qr_label.setPixmap(self.pixmap)
        self.qr_label.setAlignment(Qt.AlignCenter)
        self.qr_label.setAccessibleName(f"QR code of the {what.lower()}")
        self.qr_label.setAccessibleDescription(text)
        layout.addWidget(self.qr_label, 0, Qt.AlignHCenter)
        self.text_label = QLabel(text)
        self.text_label.setObjectName("qrText")
        self.text_label.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.text_label.setTextFormat(Qt.PlainText)
        self.text_label.setWordWrap(True)
        self.text_label.setAlignment(Qt.AlignCenter)
        self.text_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.text_label.setMaximumWidth(max(self.pixmap.width(), 420))
        layout.addWidget(self.text_label, 0, Qt.AlignHCenter)
        self.copy_button = QPushButton(f"Copy {what.lower()}")
        self.close_button = primary(QPushButton("Close"))
        self.close_button.setDefault(True)
        layout.addLayout(button_row(self.close_button, leading=[self.copy_button]))
        self.copy_button.clicked.connect(self.copy)
        self.close_button.clicked.connect(self.accept)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text)
        self.copied.emit(f"{self.what} copied to the clipboard.")


class RecoveryPhraseDialog(QDialog):
    """Asks for the passphrase again (checked off the GUI thread), then shows the phrase."""

    def __init__(self, store: VaultStore, read_phrase, tasks: TaskRunner,
                 parent: QWidget | None = None):
        """``read_phrase()`` returns the phrase; called only after the passphrase checks out."""
        super().__init__(parent)
        self.store, self.read_phrase, self.tasks = store, read_phrase, tasks
        self.setWindowTitle("Recovery phrase")
        self.setMinimumWidth(560)
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.stack)

        ask = QWidget()
        ask_layout = QVBoxLayout(ask)
        ask_layout.setContentsMargins(0, 0, 0, 0)
        ask_layout.setSpacing(10)
        ask_layout.addWidget(page_title("Show recovery phrase"))
        ask_layout.addWidget(page_subtitle(
            "Anyone who sees these words can take your identity. Make sure no one is looking "
            "and no one shares your screen, then enter your passphrase."))
        self.passphrase = PassphraseField()
        self.passphrase.setObjectName("phrasePassphrase")
        self.error = InlineMessage(reserve=True)
        self.busy = BusyIndicator()
        self.cancel_button = QPushButton("Cancel")
        self.show_button = primary(QPushButton("Show phrase"))
        ask_layout.addWidget(self.passphrase)
        ask_layout.addWidget(self.error)
        ask_layout.addWidget(self.busy)
        ask_layout.addStretch(1)
        ask_layout.addLayout(button_row(self.cancel_button, self.show_button))
        self.stack.addWidget(ask)

        self.reveal_page = QWidget()
        self.reveal_layout = QVBoxLayout(self.reveal_page)
        self.reveal_layout.setContentsMargins(0, 0, 0, 0)
        self.reveal_layout.setSpacing(10)
        self.stack.addWidget(self.reveal_page)
        self.grid: PhraseGrid | None = None

        # Enter on the dialog cancels; Enter in the field, right after typing the
        # passphrase (the consent, asked with the warning above), checks it.
        make_safe_default(self, self.cancel_button, self.show_button, focus=self.passphrase)
        on_enter(self.passphrase, self.submit)
        self.show_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.passphrase.textEdited.connect(lambda _: self.error.clear())

    def submit(self) -> None:
        if self.busy.running:
            return
        if not self.passphrase.text():
            self.error.hint("Enter your passphrase.")
            return
        self.error.clear()
        self.busy.start("Checking the passphrase…")
        self.passphrase.setReadOnly(True)
        self.show_button.setEnabled(False)
        job = self.tasks.run(self.store.check_passphrase, self.passphrase.text())
        job.finished.connect(self._on_checked)
        job.failed.connect(self._on_failed)

    def _on_checked(self, ok: bool) -> None:
        self.busy.stop()
        self.passphrase.setReadOnly(False)
        self.show_button.setEnabled(True)
        if not ok:
            self._retry("Wrong passphrase. The recovery phrase stays hidden.")
            return
        try:
            words = self.read_phrase().split()
        except Exception as exc:
            self._retry(describe(exc))
            return
        self.passphrase.clear()
        self._reveal(words)

    def _on_failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.passphrase.setReadOnly(False)
        self.show_button.setEnabled(True)
        self._retry(describe(exc))

    def _retry(self, message: str) -> None:
        self.error.error(message)
        self.passphrase.setFocus()
        self.passphrase.selectAll()

    def _reveal(self, words: list[str]) -> None:
        self.reveal_layout.addWidget(page_title("Your recovery phrase"))
        warning = QLabel(f"These {len(words)} words restore every DID and account of this "
                         "vault. Keep them on paper, offline; never type them into a website.")
        warning.setObjectName("warningBox")
        warning.setWordWrap(True)
        self.reveal_layout.addWidget(warning)
        self.grid = PhraseGrid(words)
        self.reveal_layout.addWidget(self.grid)
        self.done_button = primary(QPushButton("Done"))
        self.done_button.clicked.connect(self.accept)
        self.reveal_layout.addLayout(button_row(self.done_button))
        self.stack.setCurrentWidget(self.reveal_page)
        self.done_button.setFocus()
        self.adjustSize()

    @property
    def revealed(self) -> bool:
        return self.grid is not None
