"""A credential whose status list could not be checked (the vault is offline, nothing is
saved) says "Status not checked" everywhere it is shown: its card (a chip, painted, and
the accessible text), its detail, and the employer's Verify page, which never calls it
current. The list sits on a real loopback server that must get no request."""

import pytest
from PySide6.QtCore import Qt

from tests.credentials.status_server import StatusServer, entries, status_list
from tests.presentations.vp_fixtures import CHALLENGE, DOMAIN, ISSUER, ISSUER_KEY, ISSUER_METHOD, di_credential
from vault.credentials.service import CredentialService
from vault.presentations.service import PresentationService


@pytest.fixture
def server():
    server = StatusServer()
    yield server
    server.close()


@pytest.fixture
def window(qtbot, config, ui_helpers, server, make_window):
    """A vault holding one credential whose (revoking) list is on the server, never fetched."""
    from vault.identity import Identity
    identity, _ = Identity.create(config.data_dir, ui_helpers.PASSPHRASE, kdf_target=0)
    url = server.url("/list")
    server.serve("/list", status_list(url, ISSUER_KEY, ISSUER_METHOD, ISSUER, revoked={3}))
    badge = di_credential(identity.default_did().did, credentialStatus=entries([url], 3))
    CredentialService(identity.store).import_bytes(badge)
    identity.store.lock()
    window = make_window(config)
    ui_helpers.unlock_through_ui(qtbot, window)
    return window


def test_card_detail_and_verify_page_say_status_not_checked(qtbot, window, server, ui_helpers, tmp_path):
    window.workspace.show_page("Credentials")
    page = window.workspace.credentials_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.proxy.card(page.proxy.index(0, 0)) is not None,
                    timeout=20_000)
    card = page.proxy.card(page.proxy.index(0, 0))
    assert card.chip.text == "Valid" and card.status is not None and card.status.text == "Status not checked"
    assert card.status.look == "warn"
    assert "Status not checked" in page.model.data(page.model.index(0, 0), Qt.AccessibleTextRole)
    assert not page.view.grab().isNull()         # the delegate paints the extra chip

    page.view.setFocus()
    page.view.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.keyClick(page.view, Qt.Key_Return)
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=10_000)
    message = page.detail.verdict_message.text()
    assert "current" not in message and "\nStatus not checked: " in message and "offline" in message
    assert page.detail.verdict_message.textFormat() == Qt.PlainText

    window.workspace.show_page("Verify")
    verify = window.workspace.pages.currentWidget()
    ui_helpers.type_text(qtbot, verify.domain, DOMAIN)
    ui_helpers.type_text(qtbot, verify.challenge, CHALLENGE)
    presenter = PresentationService(window.identity, CredentialService(window.identity.store))
    cid = page.model.cached(page.model.keys[0])[0].id
    (tmp_path / "vp.json").write_text(presenter.present([cid], None, CHALLENGE, DOMAIN).payload)
    verify.verify_paths([str(tmp_path / "vp.json")])
    qtbot.waitUntil(lambda: not verify.working and not verify.verdict_view.isHidden(), timeout=30_000)
    shown = verify.verdict_view.plain_text()
    assert verify.verdict_view.title.text() == "Valid presentation"
    assert "Status not checked for 1 of 1: whether it was revoked is unknown." in shown
    assert "Status not checked: the status list at" in shown and "current" not in shown
    assert server.requests == []
