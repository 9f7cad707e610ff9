"""The Issued log tab: everything this vault issued, to whom, its status, whether it is
anchored on chain; search; revoke, suspend, unsuspend; deliver again; and the status
lists exported as the files to host, each with exactly the address to host it at.

Revoking a credential that is anchored also revokes its token on chain (its own confirm
step: the status list is changed at once, the chain only once the person confirms)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLineEdit, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from vault.safe_text import safe_text

from ..errors import describe
from ..widgets import InlineMessage, button_row, make_safe_default, page_subtitle, page_title
from ..widgets.labels import text_label
from ..widgets.table_model import Index, ListTableModel
from ..widgets.tables import configure_list_table

FORMAT_NAMES = {"eddsa-rdfc-2022": "DI rdfc", "eddsa-jcs-2022": "DI jcs", "sd-jwt-vc": "SD-JWT VC"}


class RevokeDialog(QDialog):
    """Revoking is final: Enter presses Cancel; Revoke takes a click."""

    def __init__(self, record, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Revoke the credential")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(page_title("Revoke the credential?"))
        layout.addWidget(text_label(f"{record.title}\nfor {record.recipient}", name="revokeWhat"))
        layout.addWidget(page_subtitle(
            "Revoking is final: anyone who checks it against your status list sees it revoked."
            + (" Its soulbound token stays valid on chain: the DAO anchored it, so only a DAO proposal revokes "
               "it." if record.anchor_by_dao else
               " Its soulbound token is revoked on chain too: you confirm that next, with its fee."
               if record.anchored else "")))
        self.cancel_button = QPushButton("Cancel")
        self.revoke_button = QPushButton("Revoke")
        layout.addLayout(button_row(self.cancel_button, self.revoke_button))
        self.cancel_button.clicked.connect(self.reject)
        self.revoke_button.clicked.connect(self.accept)
        make_safe_default(self, self.cancel_button, self.revoke_button)


class IssuedModel(ListTableModel):
    HEADERS = ("Issued", "Credential", "Recipient", "Profile", "Format", "Status", "On chain")

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid() or role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        r = self.rows[index.row()]
        anchored = r.anchor_words   # "token N", or "anchored by the DAO (token N)"
        cells = (r.issued_at[:10] if role == Qt.DisplayRole else r.issued_at, safe_text(r.title), safe_text(r.recipient),
                 safe_text(r.profile_name), FORMAT_NAMES.get(r.format, r.format), r.status, anchored)
        return cells[index.column()]


class IssuedLog(QWidget):
    """``deliver(record)`` asks the page to show a record's delivery dialog again."""

    deliver = Signal(object)

    def __init__(self, page, parent: QWidget | None = None):
        super().__init__(parent)
        self.page = page
        self.dialog = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 0)   # off the tab frame
        self.search = QLineEdit()
        self.search.setObjectName("issuedSearch")
        self.search.setPlaceholderText("Search by recipient, credential, profile, note or id")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the issued log")
        layout.addWidget(self.search)
        self.model = IssuedModel(self)
        self.table = configure_list_table(QTableView())
        self.table.setObjectName("issuedTable")
        self.table.setAccessibleName("Issued credentials")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        for column in (0, 4, 5, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        for column in (1, 2, 3):   # the profile's name is elided no sooner than the others
            header.setSectionResizeMode(column, QHeaderView.Stretch)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.revoke_button = QPushButton("Revoke…")
        self.suspend_button = QPushButton("Suspend")
        self.unsuspend_button = QPushButton("Unsuspend")
        self.anchor_button = QPushButton("Anchor…")
        self.export_button = QPushButton("Deliver again…")
        self.lists_button = QPushButton("Export status lists…")
        for b in (self.revoke_button, self.suspend_button, self.unsuspend_button, self.anchor_button,
                  self.export_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.lists_button)
        layout.addLayout(row)
        self.message = InlineMessage()
        self.message.setObjectName("issuedMessage")
        layout.addWidget(self.message)

        self.search.textChanged.connect(lambda _t: self.reload())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.deliver_again())
        self.revoke_button.clicked.connect(lambda: self.change("revoke"))
        self.suspend_button.clicked.connect(lambda: self.change("suspend"))
        self.unsuspend_button.clicked.connect(lambda: self.change("unsuspend"))
        self.anchor_button.clicked.connect(self.anchor_selected)
        self.export_button.clicked.connect(self.deliver_again)
        self.lists_button.clicked.connect(lambda: self.export_lists())
        self._update_buttons()

    # ---- rows ----------------------------------------------------------------------------

    def reload(self, select_id: str | None = None) -> None:
        current = self.selected()
        select_id = select_id or (current.id if current else None)
        self.model.set_rows(self.page.issuer.log(self.search.text().strip()))
        for i, r in enumerate(self.model.rows):
            if r.id == select_id:
                self.table.selectRow(i)
        self._update_buttons()

    def selected(self):
        index = self.table.selectionModel().currentIndex()
        rows = self.model.rows
        return rows[index.row()] if index.isValid() and index.row() < len(rows) else None

    def select(self, credential_id: str) -> None:
        for i, r in enumerate(self.model.rows):
            if r.id == credential_id:
                self.table.setCurrentIndex(self.model.index(i, 0))
                return
        raise KeyError(credential_id)

    def _update_buttons(self) -> None:
        r = self.selected()
        can_change = r is not None and r.status_index is not None and r.status != "revoked"
        self.revoke_button.setEnabled(can_change)
        self.suspend_button.setEnabled(can_change and r.status == "active")
        self.unsuspend_button.setEnabled(can_change and r.status == "suspended")
        self.anchor_button.setEnabled(r is not None and not r.anchored and r.status != "revoked")
        self.export_button.setEnabled(r is not None)
        if r is not None and r.status_index is None:
            self.message.hint("This credential has no status list entry (SD-JWT, or a profile without a status "
                              "list address): it cannot be revoked or suspended by list.")
        else:
            self.message.clear()

    # ---- actions -------------------------------------------------------------------------

    def change(self, action: str) -> None:
        """Revoke (asked first) / suspend / unsuspend in the core (the list re-signed),
        then, for a revoked credential with a token, the token on chain too."""
        r = self.selected()
        if r is None:
            return
        if action == "revoke":
            self.page.ask_revoke(r, lambda: self.apply(r.id, action))
        else:
            self.apply(r.id, action)

    def apply(self, credential_id: str, action: str) -> None:
        try:
            updated = getattr(self.page.issuer, action)(credential_id)
        except Exception as exc:   # IssuingError: said why, nothing changed
            self.message.error(describe(exc))
            return
        self.reload(updated.id)
        words = {"revoke": "Revoked", "suspend": "Suspended", "unsuspend": "Active again"}[action]
        where = self.page.issuer.profiles.get(updated.profile_id).status_list_url(
            "revocation" if action == "revoke" else "suspension")
        self.message.success(f"{words}: the status list is signed again. Upload it (Export status lists) to "
                             f"{where} so that others see it; this vault sees it now.")
        if action == "revoke" and updated.anchored and not updated.anchor_by_dao:   # the DAO's: by proposal
            self.page.revoke_on_chain(updated)

    def anchor_selected(self) -> None:
        r = self.selected()
        if r is not None:   # the log's rows leave the credential's bytes out: read it whole
            self.page.anchor_record(self.page.issuer.get(r.id))

    def deliver_again(self) -> None:
        r = self.selected()
        if r is not None:
            self.deliver.emit(self.page.issuer.get(r.id))

    def export_lists(self, folder: str | None = None) -> list:
        """The selected credential's profile's lists (else the Issue tab's profile)."""
        r = self.selected()
        profile_id = r.profile_id if r is not None else self.page.form.profile.currentData()
        if profile_id is None:
            self.message.error("Choose a credential (or a profile on the Issue tab) first.")
            return []
        profile = self.page.issuer.profiles.get(profile_id)
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, f"Folder for the status lists of {profile.name}")
        if not folder:
            return []
        try:
            written = self.page.issuer.lists.export(profile, folder)
        except Exception as exc:
            self.message.error(describe(exc))
            return []
        self.message.success("Host each file at exactly this address (it is in every credential; verifiers "
                             "fetch it there):\n" + "\n".join(f"{path.name}  →  {url}" for path, url in written))
        return written

    def current_index(self) -> QModelIndex:
        return self.table.selectionModel().currentIndex()
