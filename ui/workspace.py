"""The unlocked vault's workspace: the sidebar and its pages, each built on first use
(the chain pages over the one ChainSession)."""

from __future__ import annotations

from importlib import import_module

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QWidget

from vault.settings import status_explorers, status_network

from .identity import IdentityPage
from .chain import ChainSession
from .settings import SettingsPage
from .shell.sidebar import Sidebar
from .workers import TaskRunner


APP_NAME = "Blocktrack Vault"

# The chain pages: title -> (module in ui.chain, class), each built over the ChainSession.
CHAIN_PAGES = {
    "Wallet": ("wallet.page", "WalletPage"),
    "Staking": ("staking.page", "StakingPage"),
    "Governance": ("governance.page", "GovernancePage"),
    "Marketplace": ("market.page", "MarketplacePage"),
    "Rewards": ("rewards.page", "RewardsPage"),
    "Reputation": ("rewards.bond", "ReputationPage"),
    "Peer review": ("rewards.review", "PeerReviewPage"),
}


class _PageStack(QStackedWidget):
    """The workspace's pages, each built the first time it is needed: a placeholder holds
    its place until then. ``widget(i)`` (and so ``currentWidget()`` once shown) returns the
    real page, building it if need be."""

    def __init__(self, build, parent: QWidget | None = None):
        super().__init__(parent)
        self._build = build

    def widget(self, index: int) -> QWidget | None:
        if 0 <= index < self.count():
            return self._build(index)
        return super().widget(index)


class Workspace(QWidget):
    """The sidebar of every page, in the order of the issue, and the page shown.

    Only the landing page (Credentials) is built at unlock; every other page is built on
    its first visit, or when code asks for it (``page_for``, ``pages.widget(i)``, the
    ``*_page`` attributes). ``page_built(title, page)`` announces each one.

    Pages that hold vault data have ``drop_vault_data()``, called before the store
    closes; pages with a ``message`` signal send passing notes to the status bar."""

    lock_requested = Signal()
    message = Signal(str)
    page_built = Signal(str, QWidget)

    TITLES = ("Credentials", "Present", "Verify", "Issue", "Wallet", "Staking", "Governance",
              "Marketplace", "Rewards", "Reputation", "Peer review", "Identity", "Settings")

    def __init__(self, identity, tasks: TaskRunner, parent: QWidget | None = None, *, session: str = "",
                 deleted_ids: list[str] | None = None):
        """``session``, ``deleted_ids``: the app run's token and the credentials deleted in
        it, which Undo can put back until the app closes (see CredentialsPage)."""
        super().__init__(parent)
        self.identity = identity
        self._tasks = tasks
        self._session, self._deleted_ids = session, deleted_ids
        self._built: dict[str, QWidget] = {}
        # The network connection of every chain page (connects on start_chain()).
        self.chain_session = ChainSession(identity, identity.store.data_dir, self)
        sidebar = Sidebar(APP_NAME, self.TITLES)
        self.nav, self.lock_button = sidebar.nav, sidebar.lock_button
        sidebar.reselected.connect(self._return_to_start)

        self.pages = _PageStack(self._page_at)
        for title in self.TITLES:
            QStackedWidget.addWidget(self.pages, QWidget())   # placeholder until first needed

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(sidebar)
        layout.addWidget(self.pages, 1)
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setCurrentRow(0)   # Credentials: the landing page, built now
        self.lock_button.clicked.connect(self.lock_requested)

    # ---- building pages on demand ------------------------------------------------------

    def _make(self, title: str) -> QWidget:
        identity, tasks = self.identity, self._tasks
        if title == "Credentials":
            # start-up: the pages' modules (~0.2 s) are imported once unlocked, not on the cold start
            from vault.credentials.service import CredentialService

            from .credentials import CredentialsPage
            # Verifying reads the Settings page's "check status lists and issuer keys online" each time: off, offline.
            service = CredentialService(identity.store, network=lambda: status_network(identity.store.data_dir),
                                        explorers=lambda: status_explorers(identity.store.data_dir))
            page = CredentialsPage(service, tasks, session=self._session, undo_stack=self._deleted_ids)
            page.attach_chain(self.chain_session)   # soulbound chips; asks once connected
            return page
        if title == "Present":
            # start-up: as above
            from .present import PresentPage
            return PresentPage(identity, self.credentials_page.service, tasks)
        if title == "Verify":
            # start-up: as above
            from .verify import VerifyPage
            page = VerifyPage(identity, self.credentials_page.service, tasks)
            page.attach_chain(self.chain_session)   # soulbound anchors, when connected
            return page
        if title == "Issue":   # start-up: ui.issue and the issuing core load on the first visit
            return import_module(".issue", __package__).for_workspace(self)
        if title == "Identity":
            return IdentityPage(identity, tasks)
        if title == "Settings":
            return SettingsPage(identity.store, tasks)
        if title in CHAIN_PAGES:
            module, name = CHAIN_PAGES[title]
            page_class = getattr(import_module(f".chain.{module}", __package__), name)
            self.start_chain()
            return page_class(self.chain_session)
        raise KeyError(title)

    def start_chain(self) -> None:
        """Connect to the chosen network (once; again after a failure via Retry)."""
        if self.chain_session.state == "idle":
            self.chain_session.start()

    def _page_at(self, index: int) -> QWidget:
        title = self.TITLES[index]
        page = self._built.get(title)
        if page is not None:
            return page
        page = self._make(title)
        self._built[title] = page
        placeholder = QStackedWidget.widget(self.pages, index)
        current = self.pages.currentIndex()
        self.pages.removeWidget(placeholder)
        self.pages.insertWidget(index, page)
        if current == index:
            self.pages.setCurrentIndex(index)
        placeholder.deleteLater()
        message = getattr(page, "message", None)
        if message is not None:
            message.connect(self.message)
        trust_changed = getattr(page, "trust_changed", None)
        if trust_changed is not None:
            trust_changed.connect(lambda did, source=page: self._trust_changed(did, source))
        self.page_built.emit(title, page)
        return page

    def _trust_changed(self, did: str, source: QWidget) -> None:
        """An issuer trusted or untrusted on one page: the other built pages show it at once
        (names and warning chips of their lists, the Settings trust table)."""
        for page in self.built_pages():
            update = getattr(page, "on_trust_changed", None)
            if page is not source and update is not None:
                update(did)

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        self._page_at(row)
        self.pages.setCurrentIndex(row)

    def _return_to_start(self, row: int) -> None:
        """The current page's sidebar entry clicked again: the page goes back to its start."""
        back = getattr(self._built.get(self.TITLES[row]), "return_to_start", None)
        if back is not None:
            back()

    def built_pages(self) -> list[QWidget]:
        """The pages built so far, in sidebar order (none is built by asking)."""
        return [self._built[t] for t in self.TITLES if t in self._built]

    @property
    def credentials_page(self):
        return self.page_for("Credentials")

    @property
    def present_page(self):
        return self.page_for("Present")

    @property
    def verify_page(self):
        return self.page_for("Verify")

    @property
    def identity_page(self):
        return self.page_for("Identity")

    @property
    def settings_page(self):
        return self.page_for("Settings")

    @property
    def wallet_page(self):
        return self.page_for("Wallet")

    @property
    def staking_page(self):
        return self.page_for("Staking")

    @property
    def governance_page(self):
        return self.page_for("Governance")

    @property
    def marketplace_page(self):
        return self.page_for("Marketplace")

    # ---- lock and navigation -----------------------------------------------------------

    def drop_vault_data(self) -> None:
        """Before the store closes: pages forget what they decrypted (pages never built
        hold nothing)."""
        for page in self.built_pages():
            drop = getattr(page, "drop_vault_data", None)
            if drop is not None:
                drop()
        self.chain_session.close()

    @property
    def titles(self) -> list[str]:
        return [self.nav.item(row).text() for row in range(self.nav.count())]

    def page_for(self, title: str) -> QWidget:
        return self._page_at(self.TITLES.index(title))

    def show_page(self, title: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).text() == title:
                self.nav.setCurrentRow(row)
                return
        raise KeyError(title)
