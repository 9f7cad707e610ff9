"""A credential whose every string is HTML and bidi controls, shown through the
Credentials list and detail, the Present page and the Verify page: every widget that
shows it must show it as written (plain text, bidi controls as marks), and the issuer
by the trust list's name or as "(name not verified)" next to its DID."""

import pytest
from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt          # QtGui's Qt namespace has mightBeRichText
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QLabel, QLineEdit, QPlainTextEdit,
                               QTextEdit, QWidget)

from tests.presentations.hostile_text import BIDI, DECLARED, ISSUER, PAYLOAD, hostile_credential
from tests.presentations.vp_fixtures import di_credential
from ui.credentials.model import CredentialCardProxy
from vault.credentials.service import CredentialService
from vault.identity import Identity
from vault.presentations.service import PresentationService

CHALLENGE, DOMAIN = "c-outside-text", "hr.employer.example"
LITERAL = "<b>X</b>"                  # what the payload must look like on screen: as written
ISSUER_LABEL = (f"{DECLARED}⟨U+202E⟩{PAYLOAD}⟨U+202E⟩Issuer⟨U+2066⟩end⟨U+2069⟩ (name not verified)")


@pytest.fixture
def vault(config, ui_helpers):
    """A vault holding the hostile credential and a plain one, both issued to its own DID."""
    identity, _ = Identity.create(config.data_dir, ui_helpers.PASSPHRASE, kdf_target=0)
    holder = identity.default_did().did
    service = CredentialService(identity.store)
    ids = {"hostile": service.import_bytes(hostile_credential(holder)).summary.id,
           "plain": service.import_bytes(di_credential(holder)).summary.id}
    identity.store.lock()
    return ids


@pytest.fixture
def window(qtbot, vault, make_window, config, ui_helpers):
    window = make_window(config)
    ui_helpers.unlock_through_ui(qtbot, window)
    return window


# ---- what Qt would show ----------------------------------------------------------------------

def _shown(text: str) -> str:
    """What a tooltip (or any Qt text that guesses its format) shows of ``text``."""
    if not GuiQt.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


class Walk:
    def __init__(self):
        self.problems: list[str] = []
        self.payloads = 0            # places the payload was seen, shown as written

    def text(self, where: str, text) -> None:
        if isinstance(text, str) and any(c in text for c in BIDI):
            self.problems.append(f"{where}: a raw bidi control in {text[:80]!r}")

    def shown_as_written(self, where: str, source: str, shown: str) -> None:
        self.text(where, shown)
        if "X</b>" in source or "X&lt;/b&gt;" in source:
            if LITERAL in shown:
                self.payloads += 1
            else:
                self.problems.append(f"{where}: the payload was rendered as markup: {source[:100]!r}")

    def tooltip(self, where: str, tip) -> None:
        if isinstance(tip, str) and tip:
            self.shown_as_written(where + " tooltip", tip, _shown(tip))

    def label(self, where: str, label: QLabel) -> None:
        text = label.text()
        self.text(where, text)
        if "<" in text and label.textFormat() != Qt.PlainText and GuiQt.mightBeRichText(text):
            self.problems.append(f"{where}: a label shows {text[:80]!r} as rich text")
        elif LITERAL in text:
            self.payloads += 1

    def model(self, where: str, model, parent=QModelIndex()) -> None:
        columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)   # private there
        tree = not isinstance(model, (QAbstractListModel, QAbstractTableModel))
        for row in range(min(model.rowCount(parent), 300)):
            for column in range(columns):
                index = model.index(row, column, parent)
                for role in (Qt.DisplayRole, Qt.AccessibleTextRole):
                    self.text(f"{where}[{row},{column}]", model.data(index, role))
                self.tooltip(f"{where}[{row},{column}]", model.data(index, Qt.ToolTipRole))
                if isinstance(model, CredentialCardProxy) and column == 0:
                    card = model.card(index)     # what the delegate paints
                    for field in (card.title, card.issuer, card.dates, card.tags, card.reason) if card else ():
                        self.text(f"{where} card {row}", field)
                if tree and column == 0 and model.rowCount(index):
                    self.model(where, model, index)

    def document(self, where: str, view) -> None:
        plain = view.toPlainText()
        self.text(where, plain)
        if isinstance(view, QTextEdit) and not isinstance(view, QPlainTextEdit) and LITERAL in plain:
            html = view.toHtml()
            assert "<img" not in html and "<a " not in html, f"{where}: the payload became markup"
            self.payloads += 1


def walk(root: QWidget) -> Walk:
    """Every label, button, tooltip, item view and text view under ``root``."""
    seen = Walk()
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        seen.tooltip(where, widget.toolTip())
        seen.text(where + " accessible name", widget.accessibleName())
        if isinstance(widget, QLabel):
            seen.label(where, widget)
        elif isinstance(widget, QAbstractButton):
            seen.text(where, widget.text())
        elif isinstance(widget, QLineEdit):
            seen.text(where, widget.text())
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            seen.document(where, widget)
        elif hasattr(widget, "displayed_text"):       # ElidedLabel: paints its text itself
            seen.text(where, widget.text())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            seen.model(where, widget.model())
    seen.text("status bar", root.statusBar().currentMessage())
    return seen


def assert_shown_as_written(root: QWidget, at_least: int) -> None:
    seen = walk(root)
    assert seen.problems == []
    assert seen.payloads >= at_least, f"the payload was seen in {seen.payloads} places only"


# ---- the pages -------------------------------------------------------------------------------

def test_every_page_shows_credential_text_as_written(qtbot, window, vault, ui_helpers, tmp_path):
    workspace = window.workspace
    # Credentials: the list, then the card opened in full.
    workspace.show_page("Credentials")
    page = workspace.credentials_page
    qtbot.waitUntil(lambda: not page.model.busy and page.model.rowCount() == 2
                    and all(page.model.cached(k) for k in page.model.keys), timeout=20_000)
    page.issuer_filter.showPopup()     # its issuers are read when it is first opened
    qtbot.waitUntil(lambda: page.issuer_filter.findData(ISSUER) > 0)
    page.issuer_filter.hidePopup()
    assert page.issuer_filter.itemText(page.issuer_filter.findData(ISSUER)).endswith("(name not verified) (2)")
    row = next(r for r, k in enumerate(page.model.keys) if page.model.cached(k)[0].id == vault["hostile"])
    page.view.setCurrentIndex(page.proxy.index(row, 0))
    qtbot.keyClick(page.view, Qt.Key_Return)
    detail = page.detail
    qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.summary.id == vault["hostile"])
    assert detail.issuer_name.text() == ISSUER_LABEL and detail.issuer_did.text() == ISSUER
    assert page.proxy.card(page.proxy.index(row, 0)).issuer == f"{ISSUER_LABEL} · {ISSUER}"
    assert detail.title.text().startswith(LITERAL) and detail.title.textFormat() == Qt.PlainText
    assert "\\u202e" in detail.raw.toPlainText()          # the same JSON, the override escaped
    assert_shown_as_written(window, at_least=12)

    # Present: ticked, its claims and what the verifier will see, then the code shown.
    workspace.show_page("Present")
    present = workspace.pages.currentWidget()
    qtbot.waitUntil(lambda: not present.model.busy and present.model.rowCount() == 2
                    and all(present.model.cached(k) for k in present.model.keys), timeout=20_000)
    present.format_combo.setCurrentIndex(1)       # JCS: signs the claims no JSON-LD context defines
    present.picks.set_chosen(present.model.cached(present.model.key_of_id(vault["hostile"]))[0], True)
    ui_helpers.type_text(qtbot, present.challenge, CHALLENGE)
    ui_helpers.type_text(qtbot, present.domain, DOMAIN)
    qtbot.waitUntil(lambda: present.preview is not None, timeout=20_000)
    assert f"{ISSUER_LABEL} · {ISSUER}" in present.summary.toPlainText()
    assert_shown_as_written(window, at_least=16)
    ui_helpers.click(qtbot, present.show_button)
    qtbot.waitUntil(lambda: present.stack.currentWidget() is present.show_page and present.qr.complete,
                    timeout=20_000)
    assert LITERAL in present.shown_summary.toPlainText()
    assert_shown_as_written(window, at_least=17)

    # Verify: the employer reads the presentation; no trust list names this issuer.
    payload = PresentationService(window.identity, CredentialService(window.identity.store)).present(
        [vault["hostile"]], None, CHALLENGE, DOMAIN, cryptosuite="eddsa-jcs-2022").data
    (tmp_path / "vp.json").write_bytes(payload if isinstance(payload, bytes) else payload.encode())
    workspace.show_page("Verify")
    verify = workspace.pages.currentWidget()
    ui_helpers.type_text(qtbot, verify.domain, DOMAIN)
    ui_helpers.type_text(qtbot, verify.challenge, CHALLENGE)
    verify.verify_paths([str(tmp_path / "vp.json")])
    qtbot.waitUntil(lambda: not verify.working and not verify.verdict_view.isHidden(), timeout=30_000)
    text = verify.verdict_view.plain_text()
    assert verify.verdict.valid, text
    assert f"Issued by {ISSUER_LABEL} · {ISSUER}" in text and "Genuine" in text
    assert "⟨U+202E⟩Claim" in text and "⟨U+202E⟩Key" in text
    assert_shown_as_written(window, at_least=20)


def test_a_trusted_issuer_is_named_by_the_trust_list(qtbot, window, vault, ui_helpers, tmp_path):
    """The same issuer, once on the trust list, is named as the holder named it."""
    identity = window.identity
    credentials = CredentialService(identity.store)
    credentials.trust.add(ISSUER, "Test College Registry")
    payload = PresentationService(identity, credentials).present([vault["plain"]], None, CHALLENGE, DOMAIN).data
    (tmp_path / "vp.json").write_bytes(payload if isinstance(payload, bytes) else payload.encode())
    window.workspace.show_page("Verify")
    verify = window.workspace.pages.currentWidget()
    ui_helpers.type_text(qtbot, verify.domain, DOMAIN)
    ui_helpers.type_text(qtbot, verify.challenge, CHALLENGE)
    verify.verify_paths([str(tmp_path / "vp.json")])
    qtbot.waitUntil(lambda: not verify.working and not verify.verdict_view.isHidden(), timeout=30_000)
    text = verify.verdict_view.plain_text()
    assert f"Issued by Test College Registry · {ISSUER}" in text and "not verified" not in text

    window.workspace.show_page("Credentials")
    page = window.workspace.credentials_page
    page.refresh()       # the list was read at unlock, before the issuer was trusted
    qtbot.waitUntil(lambda: not page.model.busy and page.model.rowCount() == 2
                    and all(page.model.cached(k) for k in page.model.keys), timeout=20_000)
    issuers = {page.proxy.card(page.proxy.index(r, 0)).issuer for r in range(2)}
    assert issuers == {f"Test College Registry · {ISSUER}"}
