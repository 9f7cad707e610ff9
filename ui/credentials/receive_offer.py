"""Receive from an offer: an issuer's OpenID4VCI credential offer, pasted (a link, or a QR
image on the clipboard) or read from a QR image file, is shown first — who offers which
credentials, whether a transaction code is needed — and only "Accept" asks the issuer for
them. Every network step runs on the TaskRunner (vault.protocols); the credentials are
verified and imported as a file would be, all of them or none.

What the issuer says about itself (its name, the credentials' names) is shown as plain
text and marked self-declared."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from vault.protocols.offer import OfferPreview

from ..errors import describe
from ..widgets import InlineMessage, button_row, make_safe_default, page_subtitle
from ..widgets.labels import text_label
from ..widgets.layout import primary
from ..widgets.link_input import LinkInput
from . import jobs

class ReceiveOfferDialog(QDialog):
    received = Signal(object)     # vault.protocols.oid4vci.Received (from an offer or an exchange)

    def __init__(self, service, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.service, self.tasks = service, tasks
        self.preview: OfferPreview | None = None
        self.dialog = None
        self.busy = False
        self.setWindowTitle("Receive from an offer")
        self.setObjectName("receiveOfferDialog")
        self.resize(520, 460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(page_subtitle("Paste the issuer's credential offer (openid-credential-offer://…) or "
                                       "exchange link (dccrequest://…), paste or open a picture of its QR "
                                       "code. The vault asks the issuer for nothing until you accept."))
        self.input = LinkInput("offerLink", "openid-credential-offer://?credential_offer=…", 80, "Show the offer",
                               "offer")
        layout.addWidget(self.input)
        self.link, self.paste_button = self.input.link, self.input.paste_button
        self.open_button, self.show_button = self.input.open_button, self.input.read_button

        self.details = text_label("", name="offerDetails", selectable=True)
        self.details.hide()
        layout.addWidget(self.details)
        self.tx_label = text_label("", name="hintLabel")
        self.tx_code = QLineEdit()
        self.tx_code.setObjectName("offerTxCode")
        self.tx_code.setPlaceholderText("Transaction code")
        for widget in (self.tx_label, self.tx_code):
            widget.hide()
            layout.addWidget(widget)
        layout.addStretch(1)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.cancel_button = QPushButton("Cancel")
        self.accept_button = primary(QPushButton("Accept"))
        self.accept_button.setEnabled(False)
        layout.addLayout(button_row(self.cancel_button, self.accept_button))

        self.input.chosen.connect(self.show_offer)
        self.input.nothing_pasted.connect(lambda: self.message.hint("The clipboard holds no offer link and no "
                                                                    "picture."))
        self.cancel_button.clicked.connect(self.reject)
        self.accept_button.clicked.connect(self.accept_offer)
        self.link.textChanged.connect(self._link_changed)
        # Accept signs a proof with the vault's key and imports: Enter never presses it.
        make_safe_default(self, self.cancel_button, self.accept_button, focus=self.link)

    # ---- reading the offer (no network until "Show the offer") -----------------------------

    def _link_changed(self) -> None:
        if self.preview is not None and not self.busy:
            self._set_preview(None)

    def show_offer(self, source: str | bytes) -> None:
        """Read the offer and the issuer's metadata (GET requests only), then show them."""
        if isinstance(source, str) and not source.strip():
            self.message.hint("Paste an offer link first.")
            return
        self._busy(True, "Reading the offer and the issuer's details…")
        job = self.tasks.run(jobs.offer_preview, source, self.service.store.data_dir)
        job.finished.connect(self._on_preview)
        job.failed.connect(self._on_failed)

    def _on_preview(self, preview: OfferPreview) -> None:
        if not isValid(self):
            return
        self._busy(False)
        self._set_preview(preview)
        blocked = [c for c in getattr(preview, "configurations", ()) if c.problem]
        if blocked:
            self.message.error(f"{blocked[0].name} cannot be received: {blocked[0].problem}.")
        elif getattr(getattr(preview, "offer", None), "signs_in", False):
            self.message.hint("Check who offers what; Accept opens the issuer's sign-in page in your browser, "
                              "then asks the issuer for it.")
        else:
            self.message.hint("Check who offers what; Accept asks the issuer for it.")

    def _set_preview(self, preview: OfferPreview | None) -> None:
        self.preview = preview
        self.details.setVisible(preview is not None)
        self.details.setText("\n".join(preview.lines()) if preview else "")
        tx = preview.offer.tx_code if isinstance(preview, OfferPreview) else None
        self.tx_label.setText(("The issuer sent you a transaction code another way"
                               + (f": {tx.description}" if tx and tx.description else "") + ".") if tx else "")
        for widget in (self.tx_label, self.tx_code):
            widget.setVisible(tx is not None)
        self.accept_button.setEnabled(preview is not None and not any(
            c.problem for c in getattr(preview, "configurations", ())))

    # ---- accepting -------------------------------------------------------------------------

    def accept_offer(self) -> None:
        if self.preview is None or self.busy:
            return
        self._busy(True, "Receiving from the issuer, then verifying…")
        job = self.tasks.run(jobs.receive_offer, self.service, self.preview, self.tx_code.text().strip() or None)
        job.finished.connect(self._on_received)
        job.failed.connect(self._on_failed)

    def _on_received(self, received) -> None:
        if not isValid(self):
            return
        self._busy(False)
        self.received.emit(received)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        if isValid(self):
            self._busy(False)
            self.accept_button.setEnabled(self.preview is not None)
            self.message.error(describe(exc))

    def _busy(self, on: bool, text: str = "") -> None:
        self.busy = on
        for button in (self.paste_button, self.open_button, self.show_button, self.accept_button):
            button.setEnabled(not on)
        if on:
            self.message.hint(text)
