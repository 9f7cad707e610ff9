"""A new user's first hour, the small things: the sidebar entry of the page shown takes
it back to its start, notices about what was just done do not outlive the visit, and
hints appearing under a field move nothing."""

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from test_ui_credentials_page import RIVERSIDE, import_files, open_row, page, settle, window, write  # noqa: F401
from ui.widgets import InlineMessage


def click_nav(qtbot, workspace, title: str) -> None:
    nav = workspace.nav
    rect = nav.visualItemRect(nav.item(workspace.TITLES.index(title)))
    qtbot.mouseClick(nav.viewport(), Qt.LeftButton, pos=rect.center())


def test_clicking_credentials_in_the_sidebar_on_a_detail_returns_to_the_list(qtbot, page, window, tmp_path):
    import_files(qtbot, page, [write(tmp_path, "python.json", RIVERSIDE.badge("Data Analysis with Python"))])
    open_row(qtbot, page, "Data Analysis with Python")
    assert page.stack.currentWidget() is page.detail
    click_nav(qtbot, window.workspace, "Credentials")
    assert page.stack.currentWidget() is page.list_page
    # Another page's entry is a page switch, not a reset of the page left.
    open_row(qtbot, page, "Data Analysis with Python")
    click_nav(qtbot, window.workspace, "Settings")
    assert window.workspace.pages.currentWidget() is window.workspace.settings_page
    click_nav(qtbot, window.workspace, "Credentials")
    assert page.stack.currentWidget() is page.detail


def test_a_notice_is_gone_after_leaving_the_page_and_one_not_seen_yet_waits(qtbot, page, window, tmp_path):
    workspace = window.workspace
    import_files(qtbot, page, [write(tmp_path, "a.json", RIVERSIDE.badge("Team Leadership"))])
    assert page.notice.isVisible() and page.notice.text().startswith("Imported 1 credential")
    workspace.show_page("Settings")
    workspace.show_page("Credentials")
    assert not page.notice.isVisible() and page.notice.text() == "" and page.notice.kind == ""

    # An import that ends while the person is on another page: its report waits for them.
    page.import_paths([str(write(tmp_path, "b.json", RIVERSIDE.badge("Public Speaking")))])
    workspace.show_page("Settings")
    qtbot.waitUntil(lambda: not page.working, timeout=20_000)
    workspace.show_page("Credentials")
    settle(qtbot, page)
    assert page.notice.isVisible() and page.notice.text().startswith("Imported 1 credential")

    # A message that is not a notice (under a field, about what it holds) stays.
    kept = InlineMessage(workspace.settings_page)
    kept.error("Still true")
    workspace.show_page("Settings")
    workspace.show_page("Credentials")
    assert kept.text() == "Still true"


def _column(qtbot, message: InlineMessage) -> tuple[QWidget, QLineEdit]:
    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    layout.addWidget(QLineEdit())
    layout.addWidget(message)
    below = QLineEdit()
    layout.addWidget(below)
    layout.addStretch(1)
    box.resize(420, 300)
    box.show()
    qtbot.waitExposed(box)
    return box, below


def lay_out() -> None:
    """Run the layout passes that changes have asked for (no waiting on a clock)."""
    QApplication.sendPostedEvents(None, QEvent.LayoutRequest)
    QApplication.processEvents()


def _moves_when_a_hint_appears(qtbot, message: InlineMessage) -> int:
    box, below = _column(qtbot, message)
    lay_out()
    before = below.geometry()
    message.hint("At least 8 characters: 3 more to go.")
    lay_out()
    after = below.geometry()
    message.clear()
    lay_out()
    assert below.geometry() == before    # and back
    return after.y() - before.y()


def test_a_reserved_hint_line_keeps_the_field_below_in_place(qtbot):
    assert _moves_when_a_hint_appears(qtbot, InlineMessage(reserve=True)) == 0
    assert _moves_when_a_hint_appears(qtbot, InlineMessage()) > 0    # what it was: a jump


def test_typing_a_new_passphrase_moves_no_field(qtbot, make_window, config, ui_helpers):
    """The create flow: the strength advice and the "n more to go" hint appear as the
    first characters are typed; the repeat field and the Create button stay put."""
    window = make_window(config)     # no vault yet: the start page
    ui_helpers.click(qtbot, window.page.create_button)
    form = window.page.passphrase_step.form
    button = window.page.passphrase_step.create_button

    def places():
        return form.confirm.mapTo(window, QPoint(0, 0)), button.mapTo(window, QPoint(0, 0))

    before = places()
    ui_helpers.type_text(qtbot, form.passphrase, "abc")
    qtbot.waitUntil(lambda: form.message.isVisible() and form.meter.advice.isVisible())
    lay_out()
    assert places() == before
    assert "more to go" in form.message.text() and "easy to guess" in form.meter.advice.text()
