"""The Issue page: the vault as an issuer. Mentors, educators and institutions make Open
Badges 3.0 credentials here, deliver them to learners, keep them revocable (status lists
they host) and, if they wish, anchor them as soulbound tokens.

Tabs: Issue (the form), Profiles (who issues, and their achievements), Issued log.
Signing, reading QR images and importing run on the TaskRunner; the core is
vault.issuing (Issuer, Profiles), the chain side ui.issue.chain.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QPushButton, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from vault.anchoring.dao_badge import record_dao_anchors
from vault.chain.soulbound import is_issuer
from vault.chain.units import parse_address
from vault.errors import ChainError, IssuingError
from vault.issuing.batch import issue_csv
from vault.issuing.issuer import DEFAULT_DISCLOSABLE, DISCLOSABLE, Evidence, IssueOptions, Issuer
from vault.safe_text import safe_text

from ..errors import describe
from ..widgets import InlineMessage, open_dialog, page_subtitle, page_title
from .chain import ChainActions, IssuerRolePanel
from .deliver import DeliverDialog
from .form import IssueForm, IssueValues
from .log import IssuedLog, RevokeDialog
from .profiles import ProfilesTab


def _scrolling(widget: QWidget) -> QScrollArea:
    """A tab's content scrolls rather than squeezing its rows on a short window."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.NoFrame)
    scroll.setWidget(widget)
    return scroll


def _when(text: str | None):
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def issue_job(issuer, values: IssueValues):  # worker thread

    evidence = ()
    if values.evidence_url or values.evidence_text:
        evidence = (Evidence(url=values.evidence_url, narrative=values.evidence_text),)
    options = IssueOptions(note=values.note, evidence=evidence, valid_from=_when(values.valid_from),
                           valid_until=_when(values.valid_until))
    kwargs = {"disclosable": values.disclosable} if values.format == "sd-jwt" else {}
    return issuer.issue(values.profile_id, values.achievement_id, values.recipient, fmt=values.format,
                        options=options, **kwargs)


def _can_anchor(chain, account: str, holder: str) -> None:  # chain thread

    parse_address(holder, chain.chain_id)
    if not is_issuer(chain, account):
        raise ChainError("not-issuer", f"{account} does not hold the issuer role on {chain.name}, so it cannot "
                                       "anchor: nothing was issued. Request the role on the Profiles tab, or "
                                       "untick anchoring.")


def batch_job(issuer, profile_id, achievement_id, data: bytes, fmt: str, disclosable):  # worker thread

    extra = {"disclosable": disclosable} if fmt == "sd-jwt" else {}
    return issue_csv(issuer, profile_id, achievement_id, data, fmt=fmt, **extra)


class IssuePage(QWidget):
    message = Signal(str)
    issued = Signal(object)     # the IssuedRecord, once signed and logged

    def __init__(self, identity, credentials, tasks, chain_session=None, parent: QWidget | None = None):
        super().__init__(parent)

        self.identity, self.credentials, self.tasks = identity, credentials, tasks
        self.issuer = Issuer(identity)
        self.profiles = self.issuer.profiles
        self.session = chain_session
        self.dialog = None
        self.write_flow = None
        self.last_record = None
        self._closed = False
        self.chain = ChainActions(chain_session, self)
        self.chain.anchored.connect(self._on_anchored)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 14)
        layout.addWidget(page_title("Issue"))
        layout.addWidget(page_subtitle("Sign Open Badges 3.0 credentials for the people you teach, mentor or "
                                       "certify: they keep them in their own vault and show them to anyone."))
        self.notice = InlineMessage()
        layout.addWidget(self.notice)
        self.tabs = QTabWidget()
        self.form = IssueForm(tasks)
        self.form.set_claims(list(DISCLOSABLE), DEFAULT_DISCLOSABLE)
        self.profiles_tab = ProfilesTab(self)
        self.role = IssuerRolePanel(chain_session)
        self.profiles_tab.layout().itemAt(1).layout().insertWidget(3, self.role)
        self.log = IssuedLog(self)
        self.tabs.addTab(_scrolling(self.form), "Issue")
        self.tabs.addTab(_scrolling(self.profiles_tab), "Profiles")
        self.tabs.addTab(self.log, "Issued log")
        layout.addWidget(self.tabs, 1)
        self.sample_button = QPushButton("Add the demo profile (samples only)")
        self.sample_button.setToolTip("The app's built-in demo issuer: its key is public, so what it issues "
                                      "proves nothing; for trying Present and Verify")
        self.profiles_tab.layout().itemAt(0).layout().addWidget(self.sample_button)

        self.form.issue_requested.connect(self.issue)
        self.form.batch_requested.connect(self.issue_batch)
        # The role may have changed on another page (the Governance page executed it): asked again.
        self.tabs.currentChanged.connect(lambda i: self.role.refresh() if i == self.PROFILES else None)
        self.profiles_tab.changed.connect(self.reload_profiles)
        self.profiles_tab.list.currentRowChanged.connect(lambda _r: self._show_role())
        self.log.deliver.connect(self.show_delivery)
        self.sample_button.clicked.connect(self.add_sample_profile)
        self.reload_profiles()
        self.log.reload()
        if chain_session is not None:   # connected, or a write mined (an executed proposal among them)
            chain_session.changed.connect(self.learn_dao_anchors)
            self.learn_dao_anchors()   # a page built after the execution

    ISSUE, PROFILES, LOG = range(3)   # the tabs

    def show_tab(self, widget: QWidget) -> None:
        """Show the tab holding ``widget`` (self.form, self.profiles_tab, self.log)."""
        self.tabs.setCurrentIndex({id(self.form): self.ISSUE, id(self.profiles_tab): self.PROFILES,
                                   id(self.log): self.LOG}[id(widget)])

    # ---- profiles ------------------------------------------------------------------------

    def reload_profiles(self) -> None:
        self.profiles_tab.reload()
        self.form.set_profiles(self.profiles.list(), lambda pid: self.profiles.achievements(pid))
        self._show_role()

    def _show_role(self) -> None:
        p = self.profiles_tab.selected()
        self.role.show_account("" if p is None or p.is_sample else p.anchor_account)

    def add_sample_profile(self) -> None:
        profile = self.profiles.sample()
        self.reload_profiles()
        self.profiles_tab.reload(profile.id)

    # ---- issuing -------------------------------------------------------------------------

    def issue(self, values: IssueValues) -> None:
        profile = self.profiles.get(values.profile_id)
        if values.anchor:   # checked before signing: nothing is issued that then cannot be anchored
            problem = self._anchor_problem(profile)
            if problem:
                self.form.error.error(problem)
                return
        self.form.set_busy(True)
        if values.anchor:   # the account must be able to anchor, and the holder be an account
            job = self.session.run(_can_anchor, profile.anchor_account, values.holder)
            job.finished.connect(lambda _ok: self._sign(values))
            job.failed.connect(self._on_issue_failed)
            return
        self._sign(values)

    def _sign(self, values: IssueValues) -> None:
        job = self.tasks.run(issue_job, self.issuer, values)
        job.finished.connect(lambda record: self._on_issued(record, values))
        job.failed.connect(self._on_issue_failed)

    def issue_batch(self, path: str) -> None:
        """One credential per row of the CSV, in the form's profile, achievement and format:
        all rows or none (the core's BatchError names each bad row by its line)."""

        if self.form.profile.currentData() is None or self.form.achievement.currentData() is None:
            self.form.error.error("Choose the issuer profile and the achievement first.")
            return
        if self.form.anchor.isChecked():
            self.form.error.error("A batch is not anchored: untick anchoring (then anchor rows from the log).")
            return
        try:
            with open(path, "rb") as fh:
                data = fh.read(4 * 1024 * 1024 + 1)
        except OSError as exc:
            self.form.error.error(f"Cannot read {path}: {exc.strerror or exc}.")
            return
        if len(data) > 4 * 1024 * 1024:
            self.form.error.error(describe(IssuingError("The CSV is larger than 4 MB: split it into batches.")))
            return
        self.form.set_busy(True)
        job = self.tasks.run(batch_job, self.issuer, self.form.profile.currentData(),
                             self.form.achievement.currentData(), data, self.form.format(),
                             [n for n, b in self.form.claim_checks.items() if b.isChecked()])
        job.finished.connect(self._on_batch)
        job.failed.connect(self._on_issue_failed)

    def _on_batch(self, records) -> None:
        if self._closed:
            return
        self.form.set_busy(False)
        self.form.error.clear()
        self.show_tab(self.log)
        self.log.reload()
        self.log.message.success(f"Issued {len(records)} credentials from the CSV: deliver each (Deliver again…) "
                                 "or export them.")

    def _anchor_problem(self, profile) -> str:
        if profile.is_sample:
            return "The demo profile's credentials are samples: they are never anchored on chain."
        if not profile.anchor_account:
            return (f"The profile {safe_text(profile.name)} has no anchoring account: choose one on the "
                    "Profiles tab (Anchoring account…), or untick anchoring.")
        if not self.chain.connected:
            return "Anchoring needs the network: open a chain page (e.g. Wallet) to connect, then issue."
        return ""

    def _on_issue_failed(self, exc: BaseException) -> None:
        self.form.set_busy(False)
        self.form.error.error(describe(exc))

    def _on_issued(self, record, values: IssueValues) -> None:
        if self._closed:
            return
        self.form.set_busy(False)
        self.last_record = record
        self.log.reload(record.id)
        self.form.error.success(f"Issued “{safe_text(record.title)}” to {record.recipient}.")
        self.issued.emit(record)
        if values.anchor:
            flow = self.anchor_record(record, holder=values.holder)
            if flow is None:   # (checked before signing; the network may have gone meanwhile)
                self._not_anchored(record)
                return
            anchored = []
            flow.succeeded.connect(anchored.append)
            # Cancelled or failed: the credential is issued all the same; it is delivered, and
            # the log's Anchor… tries again.
            flow.finished.connect(lambda: None if anchored else self._not_anchored(record))
        else:
            self.show_delivery(record)

    def _not_anchored(self, record) -> None:
        self.form.error.warning(f"Issued, not anchored: “{safe_text(record.title)}” is in the issued log, where "
                                "Anchor… tries again.")
        self.show_delivery(record)

    def show_delivery(self, record) -> DeliverDialog:
        own = record.recipient in {d.did for d in self.identity.dids()}
        dialog = DeliverDialog(record, self.tasks, own=own, import_bytes=self.credentials.import_bytes, parent=self)
        open_dialog(self, dialog, delete_on_close=True)
        return dialog

    # ---- chain ---------------------------------------------------------------------------

    def anchor_record(self, record, holder: str = ""):
        """The anchoring write for ``record`` (its WriteFlow), or None with the reason shown."""
        if record is None:
            return None
        profile = self.profiles.get(record.profile_id)
        problem = self._anchor_problem(profile)
        holder = holder or (record.recipient if record.recipient.startswith("did:pkh:") else "")
        if not problem and not holder:
            problem = ("The recipient is not an account (did:pkh): anchor from the Issue tab, giving the "
                       "learner's account.")
        if problem:
            self.log.message.error(problem)
            return None
        fee = (self.role.status or {}).get("fee") if self.role.account == profile.anchor_account else None
        return self.chain.anchor(record.id, profile.anchor_account, holder, record.content, fee)

    def _on_anchored(self, issued_id: str, records) -> None:
        issue_tx = records[-1]
        token_id = next((int(e["args"]["tokenId"]) for e in issue_tx.events
                         if e.get("event") == "CredentialIssued"), None)
        record = self.issuer.mark_anchored(issued_id, chain_id=issue_tx.chain_id, tx_hash=issue_tx.hash,
                                           token_id=token_id)
        self.log.reload(issued_id)
        self.message.emit(f"Anchored as token {token_id}.")
        self.show_delivery(record)

    def learn_dao_anchors(self):
        """The log learns which credentials it issued the DAO has anchored since (a badge's
        proposal executed, by whoever sent it): "anchored by the DAO (token N)"."""
        if self._closed or not self.chain.connected:
            return None
        job = self.session.run(record_dao_anchors, self.issuer)
        job.finished.connect(lambda marked: marked and not self._closed and self.log.reload())
        return job

    def ask_revoke(self, record, then) -> RevokeDialog:
        """Revoking is final: asked first (Enter presses Cancel); ``then()`` on Revoke."""
        dialog = RevokeDialog(record, self)
        dialog.accepted.connect(then)
        open_dialog(self, dialog, delete_on_close=True)
        return dialog

    def revoke_on_chain(self, record) -> None:
        profile = self.profiles.get(record.profile_id)
        if not self.chain.connected:
            self.log.message.warning("Revoked in the status list. Its token is still valid on chain: connect to "
                                     "the network and revoke it again to revoke the token.")
            return
        self.chain.revoke(record.id, profile.anchor_account, record.content)

    # ---- lock ------------------------------------------------------------------------------

    def drop_vault_data(self) -> None:
        self._closed = True
        self.last_record = None
        self.log.model.set_rows([])
        for host in (self, self.profiles_tab, self.log, self.form.recipient):
            if getattr(host, "dialog", None) is not None:   # a form, a delivery, a revoke question
                host.dialog.close()
