"""The trust list: issuers the holder knows. A credential from an issuer not on it still
verifies, with an "unknown issuer" warning; one from an issuer on it, without."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from vault.credentials.trust import TrustList
from vault.safe_text import safe_text

from ..widgets import InlineMessage, button_row, page_subtitle, page_title
from ..widgets.labels import PlainLabel, plain_tip
from ..widgets.layout import primary
from ..widgets.table_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex


# ---- worker calls (each returns the list as it is afterwards) ------------------------------

def load_entries(store) -> list[dict]:
    return TrustList(store).entries()


def add_issuer(store, did: str, name: str) -> list[dict]:
    trust = TrustList(store)
    trust.add(did, name)
    return trust.entries()


def remove_issuer(store, did: str) -> list[dict]:
    trust = TrustList(store)
    trust.remove(did)
    return trust.entries()


class TrustListModel(ListTableModel):
    NAME, DID, ADDED = range(3)
    HEADERS = ("Name", "DID", "Added")

    @property
    def entries(self) -> list[dict]:
        return self.rows

    set_entries = ListTableModel.set_rows

    def row_of(self, did: str) -> int:
        return next((i for i, e in enumerate(self.entries) if e["did"] == did), -1)

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        entry, column = self.entries[index.row()], index.column()
        if role == Qt.DisplayRole:
            if column == self.NAME:   # the holder's name for it (maybe a credential's, confirmed)
                return safe_text(entry["name"]) or "(no name)"
            if column == self.DID:
                return safe_text(entry["did"])
            return (entry["added_at"] or "")[:10]
        if role == Qt.ToolTipRole and column == self.DID:
            return plain_tip(entry["did"])
        if role == Qt.FontRole and column == self.DID:
            return QFontDatabase.systemFont(QFontDatabase.FixedFont)
        return None


class AddIssuerDialog(QDialog):
    """A DID and a name for it. ``submitted(did, name)``; the page adds it and answers
    with ``done()`` or ``failed(message)``.

    With ``did`` ("Trust this issuer" on a credential) the DID is shown, not edited, and
    the name is asked for: pre-filled with ``declared``, the name the credential gives
    itself, which anyone can write into a credential. What the person leaves there is
    the name they will see for this issuer, shown as verified."""

    submitted = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, *, did: str = "", declared: str = ""):
        super().__init__(parent)
        self._fixed_did = did
        title = "Trust this issuer" if did else "Trust an issuer"
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(page_title(title))
        if did:
            intro = PlainLabel(  # quotes the credential: plain text
                f"The credential calls its issuer “{declared or 'nothing'}”, but anyone can write any name "
                "into a credential: only the DID below is proven by the signature. Trust it only if you "
                "know this DID is theirs (from their website, a letter), and give it the name you know "
                "them by.")
            intro.setObjectName("pageSubtitle")
            intro.setWordWrap(True)
        else:
            intro = page_subtitle(
                "Add the DID of a school, employer or other issuer you know. Take it from a source "
                "you trust (their website, a letter), not from a credential you were just sent.")
        layout.addWidget(intro)
        self.did = QLineEdit(safe_text(did))
        self.did.setObjectName("issuerDid")
        self.did.setReadOnly(bool(did))
        self.did.setToolTip(plain_tip(did))
        self.did.setPlaceholderText("did:web:school.example or did:key:z6Mk…")
        self.name = QLineEdit()
        self.name.setObjectName("issuerName")
        self.name.setPlaceholderText("e.g. Riverside Community College")
        self.name.setMaxLength(120)
        self.name.setText(safe_text(declared))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.addRow("DID", self.did)
        form.addRow("Name you will see" if did else "Name", self.name)
        if did:
            self.name_hint = QLabel("The name you will see for this issuer on every credential of theirs, "
                                    "shown as verified. Change it if it is not the name you know.")
            self.name_hint.setObjectName("hintLabel")
            self.name_hint.setWordWrap(True)
            form.addRow("", self.name_hint)
        layout.addLayout(form)
        self.error = InlineMessage()
        layout.addWidget(self.error)
        self.cancel_button = QPushButton("Cancel")
        self.add_button = primary(QPushButton("Trust this issuer" if did else "Add to trust list"))
        layout.addLayout(button_row(self.cancel_button, self.add_button))
        self.did.textChanged.connect(self._update)
        self.did.textEdited.connect(lambda _: self.error.clear())
        self.add_button.clicked.connect(self.submit)
        self.name.returnPressed.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self._update()
        if did:
            self.name.setFocus()
            self.name.selectAll()

    def _update(self) -> None:
        self.add_button.setEnabled(self.did.text().strip().startswith("did:"))

    def submit(self) -> None:
        if self.add_button.isEnabled():
            self.add_button.setEnabled(False)
            self.submitted.emit(self._fixed_did or self.did.text().strip(), self.name.text().strip())

    def failed(self, message: str) -> None:
        self.error.error(message)
        self._update()
        self.did.setFocus()
