"""Accessibility of the main pages: every interactive control has a name a screen reader
can say (an accessible name, its own text, or a buddy label), and the keyboard alone
reaches the main controls (Tab) and activates the default button (Enter)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication,
                               QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QScrollBar,
                               QTabBar, QTextEdit, QWidget)

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit, QTextEdit, QCheckBox,
            QAbstractItemView)
# Parts of a composite control: named through the control that holds them.
COMPOSITES = (QComboBox, QAbstractSpinBox, QScrollBar, QTabBar, QAbstractItemView, QLineEdit)


def _buddies(root: QWidget) -> set[int]:
    return {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy() is not None}


def _is_part_of_composite(widget: QWidget, root: QWidget) -> bool:
    if widget.objectName().startswith("qt_"):
        return True
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, COMPOSITES):
            return True
        parent = parent.parentWidget()
    return False


def _named(widget: QWidget, buddies: set[int]) -> bool:
    if widget.accessibleName().strip():
        return True
    if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
        return True
    return id(widget) in buddies


def unnamed_controls(root: QWidget) -> list[str]:
    buddies = _buddies(root)
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or _is_part_of_composite(widget, root):
            continue
        if not _named(widget, buddies):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} "
                           f"(tip {widget.toolTip()!r}, placeholder "
                           f"{getattr(widget, 'placeholderText', lambda: '')()!r})")
    return missing


def tab_reaches(qtbot, window: QWidget, start: QWidget, targets: list[QWidget], limit: int = 200) -> None:
    """Tab from ``start`` reaches every widget in ``targets``."""
    window.activateWindow()
    window.raise_()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    start.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    seen = set()
    for _ in range(limit):
        focus = QApplication.focusWidget()
        seen.add(id(focus))
        if all(id(t) in seen for t in targets):
            return
        qtbot.keyClick(focus, Qt.Key_Tab)
    missing = [f"{type(t).__name__} {getattr(t, 'text', lambda: '')()!r} {t.objectName()!r}"
               for t in targets if id(t) not in seen]
    pytest.fail(f"Tab never reached: {missing}")


# ---- the locked window ------------------------------------------------------------------

def test_unlock_page_is_named_and_enter_unlocks(qtbot, existing_vault, make_window, config, ui_helpers):
    from ui.main_window import Workspace
    window = make_window(config)
    page = window.page
    assert unnamed_controls(page) == []
    tab_reaches(qtbot, window, page.passphrase, [page.passphrase, page.unlock_button])
    page.passphrase.setFocus()
    qtbot.keyClicks(page.passphrase, ui_helpers.PASSPHRASE)
    qtbot.keyClick(page.passphrase, Qt.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.page, Workspace), timeout=10_000)


def test_start_and_create_pages_are_named(qtbot, window, ui_helpers):
    start = window.page
    assert unnamed_controls(start) == []
    tab_reaches(qtbot, window, start.create_button, [start.create_button])
    ui_helpers.click(qtbot, start.create_button)
    flow = window.page
    step = flow.passphrase_step
    assert unnamed_controls(step) == []
    # Keyboard only: type the passphrase, Tab to the confirmation, type it, Enter creates.
    tab_reaches(qtbot, window, step.form.passphrase, [step.form.passphrase, step.form.confirm])
    step.form.passphrase.setFocus()
    qtbot.keyClicks(step.form.passphrase, ui_helpers.PASSPHRASE)
    qtbot.keyClick(step.form.passphrase, Qt.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), ui_helpers.PASSPHRASE)
    assert step.form.confirm.text() == ui_helpers.PASSPHRASE
    assert step.create_button.isEnabled()   # (disabled, and so not in the Tab chain, until they match)
    tab_reaches(qtbot, window, step.form.confirm, [step.create_button])
    step.form.confirm.setFocus()
    qtbot.keyClick(step.form.confirm, Qt.Key_Return)
    qtbot.waitUntil(lambda: flow.phrase_step is not None, timeout=10_000)
    assert unnamed_controls(flow.phrase_step) == []
    assert unnamed_controls(flow.confirm_step) == []


# ---- the workspace ------------------------------------------------------------------------

@pytest.fixture
def workspace(qtbot, existing_vault, make_window, config, ui_helpers):
    window = make_window(config)
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    workspace.window_ = window
    return workspace


@pytest.mark.parametrize("title", ["Credentials", "Present", "Verify", "Identity", "Settings"])
def test_workspace_pages_are_named(qtbot, workspace, title):
    workspace.show_page(title)
    page = workspace.page_for(title)
    qtbot.waitUntil(page.isVisible)
    assert unnamed_controls(page) == []


def test_the_whole_workspace_is_named(workspace):
    """The sidebar and every page, the ones not yet shown and the coming-soon ones too."""
    for title in workspace.titles:   # pages are built on their first visit: build them all
        workspace.page_for(title)
    assert workspace.nav.accessibleName()
    assert unnamed_controls(workspace) == []


def test_tab_reaches_the_main_controls(qtbot, workspace):
    window = workspace.window_
    credentials = workspace.credentials_page
    tab_reaches(qtbot, window, workspace.nav,
                [workspace.nav, credentials.search, credentials.view, credentials.import_button,
                 workspace.lock_button])
    workspace.show_page("Identity")
    identity = workspace.identity_page
    qtbot.waitUntil(identity.isVisible)
    tab_reaches(qtbot, window, workspace.nav,
                [identity.did_table, identity.new_did_button, identity.did_qr_button,
                 identity.account_table, identity.address_qr_button, identity.phrase_button])
    workspace.show_page("Settings")
    settings = workspace.settings_page
    qtbot.waitUntil(settings.isVisible)
    tab_reaches(qtbot, window, workspace.nav, [w for w in _focusable_controls(settings)][:6])


def _focusable_controls(root):
    return [w for w in root.findChildren(QWidget)
            if isinstance(w, CONTROLS) and not _is_part_of_composite(w, root)
            and w.isVisibleTo(root) and w.isEnabled() and w.focusPolicy() & Qt.TabFocus]
