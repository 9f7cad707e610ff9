"""Credentials → "Receive from an offer…" through the real widgets, against the OpenID4VCI
issuer (oid4vc-ts) on 127.0.0.1: a QR picture of the offer pasted or opened, the issuer's
details shown before anything is asked of it, the credential imported on Accept; a wrong
transaction code said in the dialog with nothing imported."""

import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "protocols"))
from peer import Peer  # noqa: E402

from ui.credentials.receive_offer import ReceiveOfferDialog  # noqa: E402
from vault.qr.render import png  # noqa: E402
from vault.settings import set_status_checks  # noqa: E402


@pytest.fixture(scope="module")
def issuer():
    peer = Peer("oid4vci_issuer.mjs")
    yield peer
    peer.stop()


@pytest.fixture
def page(qtbot, existing_vault, config, make_window, ui_helpers):
    # the issuer is on loopback: the person allowed private addresses in Settings
    set_status_checks(config.data_dir, online=True, allow_private=True)
    window = make_window(config)
    ui_helpers.unlock_through_ui(qtbot, window)
    window.workspace.show_page("Credentials")
    page = window.workspace.credentials_page
    qtbot.waitUntil(lambda: page.model.last_result is not None, timeout=20_000)
    return page


def _open_dialog(qtbot, page, ui_helpers) -> ReceiveOfferDialog:
    ui_helpers.click(qtbot, page.receive_button)
    dialog = page.dialog
    assert isinstance(dialog, ReceiveOfferDialog) and dialog.isVisible()
    return dialog


def test_paste_a_qr_picture_of_the_offer_then_accept(qtbot, page, issuer, ui_helpers):
    made = issuer.get("/make-offer?config=UniversityDegree_ldp_vc&tx=1")
    tokens = issuer.get("/log")["tokens"]
    dialog = _open_dialog(qtbot, page, ui_helpers)
    QGuiApplication.clipboard().setImage(QImage.fromData(png(made["offer"])))
    ui_helpers.click(qtbot, dialog.paste_button)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20_000)
    assert "Loopback University (self-declared)" in dialog.details.text()
    assert "University degree (Data Integrity) [ldp_vc]" in dialog.details.text()
    assert dialog.tx_code.isVisible() and "PIN from the e-mail" in dialog.tx_label.text()
    assert issuer.get("/log")["tokens"] == tokens          # shown, nothing asked of the issuer yet
    ui_helpers.type_text(qtbot, dialog.tx_code, made["tx_code"])
    ui_helpers.click(qtbot, dialog.accept_button)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=30_000)   # closed (and deleted) on success
    qtbot.waitUntil(lambda: len(page.model.keys) == 1 and page.model.cached(page.model.keys[0]) is not None,
                    timeout=20_000)
    assert page.model.cached(page.model.keys[0])[0].format == "di-vc"
    assert "Received and imported 1 credential" in page.notice.text()


def test_open_a_qr_image_and_a_wrong_code_imports_nothing(qtbot, page, issuer, ui_helpers, tmp_path):
    made = issuer.get("/make-offer?config=Employee_dc_sd_jwt&tx=1")
    image = tmp_path / "offer.png"
    image.write_bytes(png(made["offer"]))
    dialog = _open_dialog(qtbot, page, ui_helpers)
    ui_helpers.click(qtbot, dialog.open_button)
    chooser = dialog.dialog
    assert isinstance(chooser, QFileDialog) and chooser.fileMode() == QFileDialog.ExistingFile
    chooser.fileSelected.emit(str(image))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20_000)
    wrong = str((int(made["tx_code"]) + 1) % 10000).zfill(4)
    ui_helpers.type_text(qtbot, dialog.tx_code, wrong)
    ui_helpers.click(qtbot, dialog.accept_button)
    qtbot.waitUntil(lambda: "refused" in dialog.message.text(), timeout=30_000)
    assert "invalid_grant" in dialog.message.text() and dialog.isVisible()
    assert dialog.accept_button.isEnabled()
    assert page.model.keys == [] or len(page.service.repository.search()) == 0


def test_paste_a_dccrequest_link_then_accept(qtbot, page, ui_helpers):
    exchange = Peer("vcapi_exchange.mjs")
    try:
        made = exchange.get("/make-exchange")
        dialog = _open_dialog(qtbot, page, ui_helpers)
        QGuiApplication.clipboard().setText(made["dccrequest"])
        ui_helpers.click(qtbot, dialog.paste_button)
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20_000)
        assert "Credential exchange with Exchange College (self-declared)" in dialog.details.text()
        assert not dialog.tx_code.isVisible() and exchange.get("/log")["issued"] == 0
        ui_helpers.click(qtbot, dialog.accept_button)
        qtbot.waitUntil(lambda: page.dialog is None, timeout=30_000)
        qtbot.waitUntil(lambda: len(page.service.repository.search()) == 1, timeout=20_000)
        assert exchange.get("/log")["issued"] == 1
    finally:
        exchange.stop()


def test_the_app_opened_with_an_offer_link_shows_it_filled_in_after_unlock(qtbot, existing_vault, config,
                                                                        make_window, ui_helpers):
    """What a registered openid-credential-offer:// scheme hands the app: the dialog opens
    with the link, and nothing is fetched until the person asks."""
    from dataclasses import replace

    from ui.app import parse_args
    link = "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fissuer.example%2Foffer%2F1"
    parsed, _ = parse_args(["--data-dir", str(config.data_dir), link])
    assert parsed.link == link
    window = make_window(replace(config, link=link))
    ui_helpers.unlock_through_ui(qtbot, window)
    dialog = window.workspace.credentials_page.dialog
    assert isinstance(dialog, ReceiveOfferDialog) and dialog.link.toPlainText() == link
    assert dialog.preview is None and not dialog.busy


def test_accept_an_offer_that_signs_in_in_the_browser(qtbot, page, issuer, ui_helpers, monkeypatch):
    """The system browser is the edge: driven to the issuer's page (which approves) and
    back to the vault's loopback receiver, off the GUI thread as a real browser would be."""
    import threading
    import urllib.request
    opened = []

    def browser(url):
        opened.append(url)
        threading.Thread(target=lambda: urllib.request.urlopen(url, timeout=30).read(), daemon=True).start()
        return True
    monkeypatch.setattr("webbrowser.open", browser)
    made = issuer.get("/make-offer?config=UniversityDegree_jwt_vc_json&grant=authorization_code")
    dialog = _open_dialog(qtbot, page, ui_helpers)
    ui_helpers.type_text(qtbot, dialog.link, made["offer"])
    ui_helpers.click(qtbot, dialog.show_button)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20_000)
    assert "sign in at the issuer in your browser" in dialog.details.text()
    assert "sign-in page in your browser" in dialog.message.text() and not dialog.tx_code.isVisible()
    ui_helpers.click(qtbot, dialog.accept_button)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=30_000)
    assert len(opened) == 1
    qtbot.waitUntil(lambda: len(page.service.repository.search()) == 1, timeout=20_000)
