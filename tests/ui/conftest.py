"""Fixtures for driving the real window with pytest-qt, offscreen, on temporary vaults."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from ui.app import create_application  # noqa: E402
from ui.config import AppConfig  # noqa: E402

PASSPHRASE = "correct horse battery staple"
TEST_PHRASE = "test test test test test test test test test test test junk"
TEST_ACCOUNT = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


@pytest.fixture(scope="session", autouse=True)
def styled_app(qapp):
    """The app exactly as users get it: Fusion, our font and stylesheet."""
    return create_application()


@pytest.fixture
def config(tmp_path):
    # kdf_target=0: Argon2id floor parameters (~0.15 s) instead of tuning to ~0.75 s.
    # connect_chain=False: only tests of chain pages start the embedded chain.
    return AppConfig(tmp_path / "vault", kdf_target=0, connect_chain=False)


@pytest.fixture
def existing_vault(config):
    """A vault made by the core (not the UI) with PASSPHRASE; returns its recovery phrase."""
    from vault.identity import Identity
    identity, phrase = Identity.create(config.data_dir, PASSPHRASE, kdf_target=0)
    identity.store.lock()
    return phrase


@pytest.fixture
def make_window(qtbot):
    from ui.main_window import MainWindow
    windows = []

    def make(config):
        window = MainWindow(config)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.tasks.wait()
        if window.workspace is not None:
            window.workspace.chain_session.close()
        window.store.lock()


@pytest.fixture
def window(make_window, config):
    return make_window(config)


def click(qtbot, button):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QCheckBox, QRadioButton
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    assert button.isVisible(), f"{button.text()!r} is not visible"
    if isinstance(button, (QCheckBox, QRadioButton)):
        # Only the indicator and the label take clicks, not the whole (stretched) width.
        qtbot.mouseClick(button, Qt.LeftButton, pos=QPoint(8, button.height() // 2))
    else:
        qtbot.mouseClick(button, Qt.LeftButton)


def type_text(qtbot, widget, text, clear=True):
    if clear:
        widget.clear()
    qtbot.keyClicks(widget, text)


def unlock_through_ui(qtbot, window, passphrase=PASSPHRASE):
    from ui.main_window import Workspace
    from ui.onboarding import UnlockPage
    page = window.page
    assert isinstance(page, UnlockPage)
    type_text(qtbot, page.passphrase, passphrase)
    qtbot.keyClick(page.passphrase, Qt.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.page, Workspace))
    return window.page


def confirm_phrase(qtbot, confirm_step, words):
    for word in words:
        button = next(b for b in confirm_step.word_buttons if b.isEnabled() and b.text() == word)
        click(qtbot, button)


def create_through_ui(qtbot, window, passphrase=PASSPHRASE, words=12):
    """Start screen -> passphrase -> phrase -> confirm -> workspace. Returns the phrase words."""
    from ui.main_window import Workspace
    click(qtbot, window.page.create_button)
    flow = window.page
    step = flow.passphrase_step
    type_text(qtbot, step.form.passphrase, passphrase)
    type_text(qtbot, step.form.confirm, passphrase)
    if words == 24:
        click(qtbot, step.words24)
    click(qtbot, step.create_button)
    qtbot.waitUntil(lambda: flow.phrase_step is not None, timeout=10_000)
    shown = [label.text() for label in flow.phrase_step.grid.word_labels]
    click(qtbot, flow.phrase_step.written)
    click(qtbot, flow.phrase_step.continue_button)
    confirm_phrase(qtbot, flow.confirm_step, shown)
    click(qtbot, flow.confirm_step.done_button)
    qtbot.waitUntil(lambda: isinstance(window.page, Workspace))
    return shown


@pytest.fixture
def chain_window(make_window, config, embedded_template, qtbot):
    """The window unlocked on a vault of the chain tests' user (5M BTK, 100 ETH on a copy
    of the deployed embedded chain), connected. Returns the Workspace."""
    from tests.chain.conftest import USER_PHRASE, copy_embedded
    from vault.identity import Identity

    Identity.restore(config.data_dir, PASSPHRASE, USER_PHRASE, kdf_target=0).store.lock()
    copy_embedded(embedded_template, config.data_dir)
    window = make_window(config)
    workspace = unlock_through_ui(qtbot, window)
    workspace.start_chain()
    qtbot.waitUntil(lambda: workspace.chain_session.state == "connected", timeout=30_000)
    return workspace


def govern(service, calls, description: str, voter: str):
    """On the chain thread: a whole governance cycle (delegate, propose ``calls``, vote,
    queue, execute) by ``voter``, who holds enough BTK to pass it alone. Returns the
    proposal id. For tests that need what only governance may do (slash, grant a role)."""
    from vault.chain.governance import Governance, with_gas_margin

    chain, gov = service.chain, Governance(service.chain)

    def send(request):
        return service.send(service.preview(with_gas_margin(chain, request)))

    send(gov.delegate_request(service, voter, voter))
    chain.advance(1)
    record = send(gov.propose_request(service, voter, calls, description))
    pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
    chain.advance(2)
    send(gov.vote_request(service, voter, pid, "for"))
    chain.advance(51)
    send(gov.queue_request(service, voter, pid))
    chain.advance(1, 61)
    send(gov.execute_request(service, voter, pid))
    return pid


@pytest.fixture
def ui_helpers():
    """The helpers above, for tests (tests/ui is not a package)."""
    class Helpers:
        pass
    h = Helpers()
    for f in (click, type_text, unlock_through_ui, confirm_phrase, create_through_ui):
        setattr(h, f.__name__, staticmethod(f))
    h.PASSPHRASE, h.TEST_PHRASE, h.TEST_ACCOUNT = PASSPHRASE, TEST_PHRASE, TEST_ACCOUNT
    return h
