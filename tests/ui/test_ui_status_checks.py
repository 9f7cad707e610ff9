"""Settings → "Check status lists online when I verify" (off by default) and "Allow private
and local addresses": while off, verifying on the Verify page fetches nothing (counted on a
real server on loopback); turned on in the window, the next verification fetches the
issuer's list and its answer (revoked) is the verdict."""

import pytest

from tests.credentials.status_server import StatusServer, entries, status_list
from tests.presentations.vp_fixtures import CHALLENGE, DOMAIN, ISSUER, ISSUER_KEY, ISSUER_METHOD, di_credential
from ui.settings import SettingsPage
from ui.verify import VerifyPage
from vault import settings as vault_settings
from vault.credentials.service import CredentialService
from vault.presentations.service import PresentationService


@pytest.fixture
def server():
    server = StatusServer()
    yield server
    server.close()


@pytest.fixture
def status_vault(config, ui_helpers, server):
    """A vault holding one credential, issued to its did:key, whose (revoked) status sits
    in a list on the loopback server."""
    from vault.identity import Identity
    identity, _ = Identity.create(config.data_dir, ui_helpers.PASSPHRASE, kdf_target=0)
    url = server.url("/list")
    server.serve("/list", status_list(url, ISSUER_KEY, ISSUER_METHOD, ISSUER, revoked={3}))
    badge = di_credential(identity.default_did().did, credentialStatus=entries([url], 3))
    cid = CredentialService(identity.store).import_bytes(badge).summary.id
    identity.store.lock()
    return cid


@pytest.fixture
def window(qtbot, status_vault, make_window, config, ui_helpers):
    window = make_window(config)
    ui_helpers.unlock_through_ui(qtbot, window)
    return window


def show(window, title: str):
    window.workspace.show_page(title)
    return window.workspace.pages.currentWidget()


def test_status_lists_are_fetched_only_once_the_setting_is_on(qtbot, window, status_vault, server, config,
                                                              ui_helpers, tmp_path):
    section = show(window, "Settings").status_checks
    assert not section.online.isChecked()          # both off: the vault is offline
    assert not section.allow_private.isChecked() and not section.allow_private.isEnabled()

    page = show(window, "Verify")
    assert isinstance(page, VerifyPage)
    ui_helpers.type_text(qtbot, page.domain, DOMAIN)
    ui_helpers.type_text(qtbot, page.challenge, CHALLENGE)
    presenter = PresentationService(window.identity, CredentialService(window.identity.store))
    (tmp_path / "vp.json").write_text(presenter.present([status_vault], None, CHALLENGE, DOMAIN).payload)

    page.verify_paths([str(tmp_path / "vp.json")])
    qtbot.waitUntil(lambda: not page.working and not page.verdict_view.isHidden(), timeout=30_000)
    assert page.verdict_view.title.text() == "Valid presentation"
    assert "not checked: offline" in page.verdict_view.plain_text()
    assert server.requests == []

    settings_page = show(window, "Settings")
    assert isinstance(settings_page, SettingsPage)
    ui_helpers.click(qtbot, section.online)
    qtbot.waitUntil(lambda: not section.saving, timeout=10_000)
    assert section.allow_private.isEnabled()
    ui_helpers.click(qtbot, section.allow_private)
    qtbot.waitUntil(lambda: not section.saving, timeout=10_000)
    preferences = vault_settings.load_preferences(config.data_dir)
    assert preferences.check_status_online and preferences.allow_private_addresses

    page = show(window, "Verify")
    page.verdict_view.hide()
    page.verify_paths([str(tmp_path / "vp.json")])
    qtbot.waitUntil(lambda: not page.working and not page.verdict_view.isHidden(), timeout=30_000)
    assert page.verdict_view.title.text() == "Not valid" and page.verdict.reason.value == "revoked"
    assert server.requests == ["/list"]
