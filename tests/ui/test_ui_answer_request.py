"""Present → "Answer a request…" through the real widgets: a credential received from the
OpenID4VCI issuer peer, then a verifier's (oid4vc-ts) request QR pasted as a picture, the
credential picked, what it discloses seen, and the answer accepted by that verifier."""

import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication, QImage

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "protocols"))
from peer import Peer  # noqa: E402

from ui.present.answer_request import AnswerRequestDialog  # noqa: E402
from vault.credentials.service import CredentialService  # noqa: E402
from vault.identity import Identity  # noqa: E402
from vault.net.fetch import NetworkUse  # noqa: E402
from vault.presentations.log import PresentationLog  # noqa: E402
from vault.protocols import offer, oid4vci  # noqa: E402
from vault.qr.render import png  # noqa: E402
from vault.settings import set_status_checks  # noqa: E402

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def peers():
    issuer, verifier = Peer("oid4vci_issuer.mjs"), Peer("oid4vp_verifier.mjs")
    yield issuer, verifier
    issuer.stop()
    verifier.stop()


@pytest.fixture
def page(qtbot, config, make_window, ui_helpers, peers):
    issuer, _ = peers
    identity, _ = Identity.create(config.data_dir, PASSPHRASE, kdf_target=0)
    network = NetworkUse(allow_private=True)
    credentials = CredentialService(identity.store)
    for config_id in ("Employee_dc_sd_jwt", "Employee_dc_sd_jwt"):    # two to pick from
        made = issuer.get(f"/make-offer?config={config_id}")
        oid4vci.receive(offer.preview(made["offer"], network), identity, credentials, network)
    identity.store.lock()
    set_status_checks(config.data_dir, online=False, allow_private=True)   # the verifier is on loopback
    window = make_window(config)
    ui_helpers.unlock_through_ui(qtbot, window)
    window.workspace.show_page("Present")
    return window.workspace.pages.currentWidget()


def test_scan_a_request_pick_and_the_verifier_accepts(qtbot, page, peers, ui_helpers):
    _, verifier = peers
    made = verifier.get("/make-request?query=sd&client=did&mode=direct_post.jwt")
    ui_helpers.click(qtbot, page.answer_button)
    dialog = page.dialog
    assert isinstance(dialog, AnswerRequestDialog)
    QGuiApplication.clipboard().setImage(QImage.fromData(png(made["request"])))
    ui_helpers.click(qtbot, dialog.paste_button)
    qtbot.waitUntil(lambda: dialog.prepared is not None, timeout=30_000)
    assert "Authenticated as did:jwk:" in dialog.who.text() and "Loopback Employer (self-declared)" in dialog.who.text()
    picker = dialog.pickers["employee"]
    assert picker.count() == 2
    first = dialog.prepared.choices[0].candidate.id
    picker.setCurrentIndex(1)                                   # the holder picks the other one
    qtbot.waitUntil(lambda: not dialog.busy and dialog.prepared.choices[0].candidate.id != first, timeout=20_000)
    assert "discloses given_name, employee_id" in dialog.disclosed.text()
    assert "withheld: family_name" in dialog.disclosed.text()
    assert verifier.get(f"/result/{made['id']}")["received"] is False     # nothing sent before Send
    chosen = dialog.prepared.choices[0].candidate.id
    ui_helpers.click(qtbot, dialog.send_button)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=30_000)
    result = verifier.get(f"/result/{made['id']}")
    assert result["verified"] and result["encrypted"], result["errors"]
    (entry,) = PresentationLog(page.service.identity.store).entries()
    assert entry.credentials[0]["id"] == chosen


def test_a_forged_request_is_refused_in_the_dialog(qtbot, page, ui_helpers):
    ui_helpers.click(qtbot, page.answer_button)
    dialog = page.dialog
    link = ("openid4vp://?client_id=redirect_uri%3Ahttps%3A%2F%2Femployer.example%2Fcb&response_type=vp_token"
            "&response_mode=direct_post&nonce=n&response_uri=https%3A%2F%2Fattacker.example%2Fsteal"
            "&dcql_query=%7B%22credentials%22%3A%5B%5D%7D")
    ui_helpers.type_text(qtbot, dialog.link, link)
    ui_helpers.click(qtbot, dialog.read_button)
    qtbot.waitUntil(lambda: "refused" in dialog.message.text(), timeout=20_000)
    assert not dialog.send_button.isEnabled() and dialog.prepared is None
