"""The shell around the pages: sidebar and status bar, the idle lock (driven by a fake
clock), Ctrl+L, the screen-lock listener, 'coming' pages, the secret clipboard."""

import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from ui.main_window import MainWindow, Workspace
from ui.onboarding import UnlockPage
from ui.shell import clipboard as secret
from ui.shell.network_status import network_text
from ui.shell.screen_lock import ScreenLockMonitor, logind_session_path
from vault.settings import VaultSettings

ISSUE_ORDER = ["Credentials", "Present", "Verify", "Issue", "Wallet", "Staking", "Governance", "Marketplace",
               "Rewards", "Reputation", "Peer review", "Identity", "Settings"]
CREDENTIAL = (Path(__file__).resolve().parents[1] / "fixtures" / "interop" / "di-eddsa-jcs-2022"
              / "valid-01-open-badge.json")


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeTimer(QObject):
    """Stands in for the clipboard's QTimer: started and stopped, fired by the test."""

    timeout = Signal()

    def __init__(self):
        super().__init__()
        self.interval, self.running = None, False

    def start(self, ms):
        self.interval, self.running = ms, True

    def stop(self):
        self.running = False

    def isActive(self):
        return self.running

    def fire(self):
        self.running = False
        self.timeout.emit()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def clocked_window(qtbot, existing_vault, config, clock):
    window = MainWindow(config, clock=clock)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.tasks.wait()
    window.store.lock()


@pytest.fixture
def guard():
    """The application's secret clipboard, with a timer the test fires."""
    timer = FakeTimer()
    guard = secret.SecretClipboard(timer=timer)
    previous = secret._guard
    secret.set_secret_clipboard(guard)
    QGuiApplication.clipboard().clear()
    yield guard
    secret.set_secret_clipboard(previous)
    QGuiApplication.clipboard().clear()


def open_vault_with_data(qtbot, window, ui_helpers):
    """Unlock, import a credential and open it: every page holds decrypted data."""
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    page = workspace.credentials_page
    page.import_paths([str(CREDENTIAL)])
    qtbot.waitUntil(lambda: not page.working and page.model.rowCount() == 1
                    and page.model.cached(page.model.keys[0]) is not None, timeout=20_000)
    page.open_index(page.proxy.index(0, 0))
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=10_000)
    assert page.detail.raw.toPlainText()
    assert workspace.identity_page.did_model.rowCount() == 2
    assert workspace.identity_page.account_model.rowCount() == 1
    return workspace


def assert_dropped(window, workspace):
    """Locked: the unlock screen, no key, and the models of the old pages are empty."""
    assert isinstance(window.page, UnlockPage)
    assert not window.store.is_unlocked and window.store._key is None
    assert window.identity is None and window.workspace is None
    credentials = workspace.credentials_page
    assert credentials.model.rowCount() == 0 and credentials.model.cached_count() == 0
    assert credentials.detail.detail is None and credentials.detail.raw.toPlainText() == ""
    assert workspace.identity_page.did_model.rowCount() == 0
    assert workspace.identity_page.account_model.rowCount() == 0
    assert workspace.settings_page.trust_model.rowCount() == 0
    assert window.state_label.text() == "Locked"


# ---- sidebar and status bar ----------------------------------------------------------------

def test_sidebar_in_the_issues_order_lands_on_credentials(qtbot, existing_vault, make_window, config,
                                                          ui_helpers):
    window = make_window(config)
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    titles = workspace.titles
    # Present and Verify come from their own pages; everything else is the shell's.
    assert set(ISSUE_ORDER) - {"Present", "Verify"} <= set(titles)
    assert [t for t in ISSUE_ORDER if t in titles] == titles
    assert workspace.pages.currentWidget() is workspace.credentials_page
    for title in titles:
        workspace.show_page(title)
        assert workspace.pages.currentWidget() is workspace.page_for(title)


def test_sidebar_fits_680_px_in_groups_without_extra_rows(qtbot, existing_vault, make_window, config, ui_helpers):
    from ui.shell.sidebar import GROUPS
    window = make_window(config)
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    assert (window.width(), window.height()) == (1000, 680)
    nav = workspace.nav
    # All thirteen entries are seen at once: no scroll bar, the last one above Lock.
    assert nav.verticalScrollBar().maximum() == 0
    last = nav.visualItemRect(nav.item(nav.count() - 1))
    assert nav.viewport().rect().contains(last)
    # The headers are painted above the groups' first entries, not rows: row n is page n,
    # and the arrow keys go from Issue straight to Wallet.
    assert workspace.titles == list(Workspace.TITLES)
    assert [t for t in Workspace.TITLES if t in GROUPS] == ["Credentials", "Wallet", "Identity"]
    issue, wallet = (nav.visualItemRect(nav.item(Workspace.TITLES.index(t))) for t in ("Issue", "Wallet"))
    assert wallet.height() > issue.height()   # the room of the "BTK economy" header
    workspace.show_page("Issue")
    nav.setFocus()
    QTest.keyClick(nav, Qt.Key_Down)
    assert workspace.pages.currentWidget() is workspace.page_for("Wallet")
    assert nav.item(Workspace.TITLES.index("Wallet")).data(Qt.AccessibleDescriptionRole) == "BTK economy"


def test_chain_pages_are_built_over_the_one_chain_session(qtbot, existing_vault, make_window, config,
                                                         ui_helpers):
    from ui.chain.page import ChainPage
    window = make_window(config)
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    assert workspace.chain_session.state == "idle"       # nothing connects until needed (tests)
    for title in ("Wallet", "Staking", "Governance", "Marketplace"):
        page = workspace.page_for(title)
        assert isinstance(page, ChainPage) and page.session is workspace.chain_session
    assert workspace.chain_session.state in ("connecting", "connected")


def test_status_bar_shows_network_block_and_lock_state(qtbot, existing_vault, make_window, config,
                                                       ui_helpers):
    window = make_window(config)
    qtbot.waitUntil(lambda: window.network_label.text() != "", timeout=5_000)
    assert window.network_label.text() == "Local test chain: these BTK exist only on this computer"
    assert window.block_label.text() == "Block: – (chain not started)"
    assert window.state_label.text() == "Locked"
    ui_helpers.unlock_through_ui(qtbot, window)
    assert window.state_label.text() == "Unlocked"
    assert "5 minutes without use" in window.state_label.toolTip()

    # The chain layer plugs in a source of (network, block).
    window.set_network_source(lambda: ("embedded", 1234))
    qtbot.waitUntil(lambda: window.block_label.text() == "Block: 1,234", timeout=5_000)

    def broken():
        raise OSError(111, "Connection refused")
    window.set_network_source(broken)
    qtbot.waitUntil(lambda: window.network_label.text() == "Network: unavailable", timeout=5_000)
    assert "Connection refused" in window.network_label.toolTip()
    assert network_text("RPC http://127.0.0.1:8545", None) == ("Network: RPC http://127.0.0.1:8545",
                                                               "Block: – (not connected)")


def test_a_slow_source_does_not_block_the_window(qtbot, existing_vault, make_window, config):
    window = make_window(config)
    release = threading.Event()
    window.set_network_source(lambda: (release.wait(10), ("rpc", 7))[1])
    ticks = []
    from PySide6.QtCore import QTimer
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: bool(ticks), timeout=2_000)   # the event loop runs meanwhile
    window.network_status.refresh()                 # one call at a time: not started twice
    release.set()
    qtbot.waitUntil(lambda: window.block_label.text() == "Block: 7", timeout=5_000)


# ---- idle lock ---------------------------------------------------------------------------------

def test_idle_lock_returns_to_unlock_and_drops_the_models(qtbot, clocked_window, clock, ui_helpers):
    window = clocked_window
    workspace = open_vault_with_data(qtbot, window, ui_helpers)
    assert window.idle.active and window.idle.timeout == 5 * 60

    clock.now += 4 * 60
    assert not window.idle.tick()
    assert isinstance(window.page, Workspace)
    # Input resets the count: four more minutes are not five since the last keystroke.
    QTest.keyClick(workspace.credentials_page.detail.raw, Qt.Key_Down)
    clock.now += 4 * 60
    assert not window.idle.tick()
    assert window.store.is_unlocked

    clock.now += 60
    with qtbot.waitSignal(window.locked):
        assert window.idle.tick()
    assert_dropped(window, workspace)
    assert window.page.error.text() == "Locked because it was not used for 5 minutes."
    assert not window.idle.active
    qtbot.waitUntil(lambda: not window.findChildren(Workspace))
    ui_helpers.unlock_through_ui(qtbot, window)   # and it opens again, watching again
    assert window.idle.active


def test_auto_lock_time_comes_from_the_vault_and_never_means_never(qtbot, existing_vault, config, clock,
                                                                     ui_helpers):
    from vault.store import VaultStore
    store = VaultStore(config.data_dir)
    store.unlock(ui_helpers.PASSPHRASE)
    VaultSettings(store).set_auto_lock_minutes(0)
    store.lock()
    window = MainWindow(config, clock=clock)
    qtbot.addWidget(window)
    window.show()
    ui_helpers.unlock_through_ui(qtbot, window)
    assert not window.idle.active
    clock.now += 10 * 24 * 3600
    assert not window.idle.tick()
    assert window.store.is_unlocked
    assert "only when you lock it" in window.state_label.toolTip()
    window.tasks.wait()
    window.store.lock()


def test_coming_back_to_the_app_checks_the_idle_time_at_once(qtbot, clocked_window, clock, ui_helpers):
    window = clocked_window
    ui_helpers.unlock_through_ui(qtbot, window)
    clock.now += 3600   # e.g. the laptop slept with the window open
    with qtbot.waitSignal(window.locked):
        window.idle._on_state_changed(Qt.ApplicationActive)
    assert isinstance(window.page, UnlockPage)


# ---- manual and screen lock -------------------------------------------------------------------

def test_ctrl_l_drops_everything_and_clears_our_secret(qtbot, clocked_window, guard, ui_helpers):
    window = clocked_window
    workspace = open_vault_with_data(qtbot, window, ui_helpers)
    secret.copy_secret("the raw credential text")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.locked):
        QTest.keyClick(workspace.credentials_page.detail.raw, Qt.Key_L, Qt.ControlModifier)
    assert_dropped(window, workspace)
    assert QGuiApplication.clipboard().text() == ""
    assert not window.idle.active


def test_screen_lock_locks(qtbot, clocked_window, ui_helpers):
    window = clocked_window
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    workspace.show_page("Identity")
    ui_helpers.click(qtbot, workspace.identity_page.phrase_button)
    dialog = workspace.identity_page.dialog
    assert dialog.isVisible()
    window.screen_lock.handle_active_changed(False)   # the screen saver went away: nothing to do
    assert window.store.is_unlocked
    with qtbot.waitSignal(window.locked):
        window.screen_lock.handle_active_changed(True)
    assert_dropped(window, workspace)
    assert not dialog.isVisible()   # the recovery phrase dialog went with it
    assert window.page.error.text() == "Locked because the screen was locked."
    # Locked already: a second report changes nothing.
    window.screen_lock.handle_session_lock()
    assert isinstance(window.page, UnlockPage)


def test_sleep_locks(qtbot, clocked_window, ui_helpers):
    window = clocked_window
    ui_helpers.unlock_through_ui(qtbot, window)
    window.screen_lock.handle_prepare_for_sleep(False)   # woke up
    assert window.store.is_unlocked
    with qtbot.waitSignal(window.locked):
        window.screen_lock.handle_prepare_for_sleep(True)
    assert window.page.error.text() == "Locked because the computer went to sleep."


def test_logind_session_paths():
    assert logind_session_path("2") == "/org/freedesktop/login1/session/_32"
    assert logind_session_path("c12") == "/org/freedesktop/login1/session/c12"
    assert logind_session_path("a-b") == "/org/freedesktop/login1/session/a_2db"


@pytest.fixture
def private_bus():
    if not shutil.which("dbus-daemon"):
        pytest.skip("no dbus-daemon to run a private bus")
    proc = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    address = proc.stdout.readline().strip()
    yield address
    proc.terminate()
    proc.wait(10)


def test_screen_lock_signals_over_a_real_bus(qtbot, private_bus, monkeypatch):
    """The D-Bus wiring end to end, on a private bus standing in for the session and
    system buses: a screen saver's ActiveChanged and logind's Lock of our session."""
    from PySide6.QtDBus import QDBusConnection, QDBusMessage
    monkeypatch.setenv("XDG_SESSION_ID", "7")
    bus = QDBusConnection.connectToBus(private_bus, "btv-test-listener")
    sender = QDBusConnection.connectToBus(private_bus, "btv-test-sender")
    assert bus.isConnected() and sender.isConnected()
    assert sender.registerService("org.freedesktop.login1")
    monitor = ScreenLockMonitor()
    listening = monitor.start(session_bus=bus, system_bus=bus)
    assert "session:org.freedesktop.ScreenSaver.ActiveChanged" in listening
    assert "session:org.gnome.ScreenSaver.ActiveChanged" in listening
    assert "system:org.freedesktop.login1.Session.Lock" in listening
    assert monitor.available

    def signal(path, interface, name, *args):
        message = QDBusMessage.createSignal(path, interface, name)
        if args:
            message.setArguments(list(args))
        assert sender.send(message)

    with qtbot.waitSignal(monitor.screen_locked, timeout=5_000) as blocker:
        signal("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged", True)
    assert blocker.args == ["the screen was locked"]
    with qtbot.waitSignal(monitor.screen_locked, timeout=5_000):
        signal(logind_session_path("7"), "org.freedesktop.login1.Session", "Lock")
    with qtbot.assertNotEmitted(monitor.screen_locked, wait=200):
        signal(logind_session_path("8"), "org.freedesktop.login1.Session", "Lock")   # not ours
        signal("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", False)
    QDBusConnection.disconnectFromBus("btv-test-listener")
    QDBusConnection.disconnectFromBus("btv-test-sender")


# ---- the secret clipboard -----------------------------------------------------------------------

def test_secret_hints_for_each_platform():
    assert secret.secret_hints("linux") == {"x-kde-passwordManagerHint": b"secret"}
    assert secret.secret_hints("darwin") == {"application/x-nspasteboard-concealed-type": b"secret"}
    windows = secret.secret_hints("win32")
    zero = b"\0\0\0\0"
    assert windows == {
        'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"': zero,
        'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"': zero,
        'application/x-qt-windows-mime;value="CanUploadToCloudClipboard"': zero}
    mime = secret.secret_mime_data("words", "win32")
    assert mime.text() == "words"
    assert set(windows) <= set(mime.formats())


def test_copy_secret_marks_it_and_clears_it_after_30_s(qtbot, guard):
    clipboard = QGuiApplication.clipboard()
    with qtbot.waitSignal(guard.copied):
        secret.copy_secret("abandon ability able")
    assert clipboard.text() == "abandon ability able"
    assert bytes(clipboard.mimeData().data("x-kde-passwordManagerHint")) == b"secret"
    assert guard.timer.running and guard.timer.interval == 30_000 == secret.CLEAR_AFTER_MS
    with qtbot.waitSignal(guard.cleared):
        guard.timer.fire()
    assert clipboard.text() == "" and not guard.pending


def test_what_was_copied_since_is_left_alone(qtbot, guard):
    clipboard = QGuiApplication.clipboard()
    secret.copy_secret("a secret")
    clipboard.setText("something the user copied later")
    with qtbot.assertNotEmitted(guard.cleared):
        guard.timer.fire()
    assert clipboard.text() == "something the user copied later"
    # Copying again restarts the 30 s.
    secret.copy_secret("one")
    guard.timer.stop()
    secret.copy_secret("two")
    assert guard.timer.running
    assert guard.clear_if_ours() and clipboard.text() == ""


def test_secret_text_views_copy_as_secrets(qtbot, guard):
    view = secret.SecretPlainTextEdit()
    qtbot.addWidget(view)
    view.setPlainText('{"credentialSubject": {"name": "Jordan"}}')
    view.setReadOnly(True)
    view.selectAll()
    QTest.keyClick(view, Qt.Key_C, Qt.ControlModifier)
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == view.toPlainText()
    assert clipboard.mimeData().hasFormat("x-kde-passwordManagerHint")
    assert guard.pending and guard.timer.running
    # Drags and the X11 selection carry the mark too.
    mime = view.createMimeDataFromSelection()
    assert isinstance(mime, QMimeData) and mime.hasFormat("x-kde-passwordManagerHint")


def test_raw_credential_and_typed_phrase_are_secret_views(qtbot, existing_vault, make_window, config,
                                                          ui_helpers, guard):
    window = make_window(config)
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    assert isinstance(workspace.credentials_page.detail.raw, secret.SecretPlainTextEdit)
    from ui.onboarding import RestorePhrasePage
    page = RestorePhrasePage(config, window.tasks)
    qtbot.addWidget(page)
    assert isinstance(page.phrase, secret.SecretPlainTextEdit)


def test_addresses_are_not_secrets(qtbot, existing_vault, make_window, config, ui_helpers, guard):
    window = make_window(config)
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    workspace.show_page("Identity")
    page = workspace.identity_page
    ui_helpers.click(qtbot, page.copy_address_button)
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == page.account_model.accounts[0].address
    assert not clipboard.mimeData().hasFormat("x-kde-passwordManagerHint")
    assert not guard.pending


def test_an_rpc_node_is_named_by_its_host_only(tmp_path):
    pytest.importorskip("vault.chain.networks")
    from ui.shell.network_status import chosen_network
    from vault.chain import networks
    networks.save_profile(tmp_path, networks.NetworkProfile(
        "rpc", "https://user:pw@eth.provider.example:8443/v2/API-KEY?token=SECRET", "m.json"))
    assert chosen_network(tmp_path)() == ("RPC eth.provider.example:8443", None)
