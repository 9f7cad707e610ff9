"""The Verify page in the real window: the employer's request (fresh challenge, request
QR read back from the dialog's pixels), then presentations from an image file, a folder
of part images, several images at once, a JSON file, pasted text, a pasted image, a drop,
and frames fed as a camera would; the verdict large with the holder and each credential;
a wrong challenge, a garbage image and a request code each say why."""

import json

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from test_ui_present_support import (CHALLENGE, DOMAIN, click_row, holder_vault, png_bytes,  # noqa: F401
                                     window)
from ui.verify import VerifyPage, camera
from ui.verify.request_dialog import RequestDialog
from vault.credentials.service import CredentialService
from vault.presentations.request import read_request
from vault.presentations.service import PresentationService
from vault.qr import render
from vault.qr.parts import encode_parts


@pytest.fixture
def page(qtbot, window, ui_helpers) -> VerifyPage:
    window.workspace.show_page("Verify")
    page = window.workspace.pages.currentWidget()
    assert isinstance(page, VerifyPage)
    ui_helpers.type_text(qtbot, page.domain, DOMAIN)
    ui_helpers.type_text(qtbot, page.challenge, CHALLENGE)
    return page


@pytest.fixture
def presenter(window):
    """The holder's side, through the core, in the same vault."""
    identity = window.identity
    return PresentationService(identity, CredentialService(identity.store))


def present(presenter, holder_vault, *kinds, challenge=CHALLENGE, domain=DOMAIN):
    ids = [holder_vault["ids"][k] for k in kinds]
    return presenter.present(ids, None, challenge, domain)


def wait_verdict(qtbot, page):
    qtbot.waitUntil(lambda: not page.working and not page.verdict_view.isHidden(), timeout=30_000)
    return page.verdict_view


def assert_valid(view, holder, *titles):
    text = view.plain_text()
    assert view.title.text() == "Valid presentation", text
    assert view.banner.property("look") == "good"
    assert f"Presented by {holder}" == view.holder.text() and view.holder.isVisible()
    for title in titles:
        assert title in text
    assert text.count("✓") == len(titles) and "✗" not in text


def test_a_qr_image_file_gives_a_large_plain_verdict(qtbot, page, presenter, holder_vault, tmp_path):
    presentation = present(presenter, holder_vault, "di")
    texts = encode_parts(presentation.data, kind=presentation.kind)
    assert len(texts) == 1
    (tmp_path / "screenshot.png").write_bytes(render.png(texts[0]))
    assert page.placeholder.isVisible()
    page.verify_paths([str(tmp_path / "screenshot.png")])
    view = wait_verdict(qtbot, page)
    assert_valid(view, holder_vault["holder"], "Data Analysis")
    assert not page.placeholder.isVisible()
    text = view.plain_text()
    assert "Issued by Test College" in text and "What it proves:" in text
    assert "achievement.name" in text and "Pass the exam." in text
    assert "Issuer not in your trust list" in text          # a warning, not a failure
    # Large: the headline's font is far above the body's.
    assert view.title.font().pointSizeF() >= 1.8 * page.font().pointSizeF()
    assert page.verdict.valid


def test_a_folder_of_part_images_and_the_images_given_together(qtbot, page, presenter, holder_vault, tmp_path):
    presentation = present(presenter, holder_vault, "sd", "di", "jwt")
    texts = encode_parts(presentation.data, kind=presentation.kind)
    assert len(texts) >= 2
    folder = tmp_path / "parts"
    folder.mkdir()
    for i, text in enumerate(reversed(texts)):
        (folder / f"photo-{i}.png").write_bytes(render.png(text))
    page.verify_paths([str(folder)])
    view = wait_verdict(qtbot, page)
    assert_valid(view, holder_vault["holder"], "Introduction to Programming", "Data Analysis", "Statistics")
    assert "Bound to the holder's key, for this request." in view.plain_text()
    assert "given_name" in view.plain_text()        # the holder revealed everything (no choice given)

    view.hide()
    page.verify_paths(sorted(str(p) for p in folder.iterdir()))
    assert_valid(wait_verdict(qtbot, page), holder_vault["holder"], "Introduction to Programming", "Data Analysis",
                 "Statistics")


def test_a_json_file_and_pasted_text(qtbot, page, presenter, holder_vault, tmp_path):
    presentation = present(presenter, holder_vault, "jwt")
    (tmp_path / "vp.json").write_text(presentation.payload)
    page.verify_paths([str(tmp_path / "vp.json")])
    assert_valid(wait_verdict(qtbot, page), holder_vault["holder"], "Statistics")

    page.verdict_view.hide()
    QGuiApplication.clipboard().setText(presentation.payload)
    page.paste_button.click()
    assert_valid(wait_verdict(qtbot, page), holder_vault["holder"], "Statistics")

    page.verdict_view.hide()   # the code's text, parts one per line, pasted with Ctrl+V
    QGuiApplication.clipboard().setText("\n".join(encode_parts(presentation.data, kind=presentation.kind)))
    page.setFocus()
    qtbot.keyClick(page, Qt.Key_V, Qt.ControlModifier)
    assert_valid(wait_verdict(qtbot, page), holder_vault["holder"], "Statistics")


def test_a_pasted_and_a_dropped_image(qtbot, page, presenter, holder_vault, tmp_path):
    presentation = present(presenter, holder_vault, "di")
    png = render.png(encode_parts(presentation.data, kind=presentation.kind)[0])
    QGuiApplication.clipboard().setImage(QImage.fromData(png))
    page.paste_button.click()
    assert_valid(wait_verdict(qtbot, page), holder_vault["holder"], "Data Analysis")

    page.verdict_view.hide()
    (tmp_path / "drop.png").write_bytes(png)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "drop.png"))])
    enter = QDragEnterEvent(QPoint(100, 100), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(page, enter)
    assert enter.isAccepted() and page.drop_zone.property("active")
    drop = QDropEvent(QPointF(100, 100), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(page, drop)
    assert drop.isAccepted() and not page.drop_zone.property("active")
    assert_valid(wait_verdict(qtbot, page), holder_vault["holder"], "Data Analysis")


def test_a_wrong_challenge_is_not_valid_and_says_why(qtbot, page, presenter, holder_vault, tmp_path):
    presentation = present(presenter, holder_vault, "di", challenge="an-older-challenge")
    (tmp_path / "vp.json").write_text(presentation.payload)
    page.verify_paths([str(tmp_path / "vp.json")])
    view = wait_verdict(qtbot, page)
    assert view.title.text() == "Not valid" and view.banner.property("look") == "bad"
    assert "an-older-challenge" in view.text.text() and "replay" in view.text.text()
    assert f"Presented by {holder_vault['holder']}" == view.holder.text()
    assert not page.verdict.valid and page.verdict.reason.value == "wrong-challenge"

    # Another domain: the same, with its own reason.
    presentation = present(presenter, holder_vault, "di", domain="other.example")
    (tmp_path / "vp2.json").write_text(presentation.payload)
    page.verify_paths([str(tmp_path / "vp2.json")])
    qtbot.waitUntil(lambda: page.verdict is not None and page.verdict.reason.value == "wrong-domain",
                    timeout=30_000)
    assert "other.example" in view.text.text()


def test_a_tampered_credential_is_listed_with_its_reason(qtbot, page, presenter, holder_vault, tmp_path):
    presentation = present(presenter, holder_vault, "di")
    document = json.loads(presentation.payload)
    document["verifiableCredential"][0]["credentialSubject"]["achievement"]["name"] = "Rocket Science"
    (tmp_path / "vp.json").write_text(json.dumps(document))
    page.verify_paths([str(tmp_path / "vp.json")])
    view = wait_verdict(qtbot, page)
    assert view.title.text() == "Not valid"
    # The holder's proof covers the whole presentation: its signature fails first.
    assert "signature" in view.text.text().lower()


def test_garbage_gives_a_clear_error_and_no_crash(qtbot, page, tmp_path):
    noise = QImage(300, 300, QImage.Format_Grayscale8)
    for y in range(300):
        for x in range(0, 300, 7):
            noise.setPixel(x, y, (x * 31 + y * 17) % 255)
    (tmp_path / "noise.png").write_bytes(png_bytes(noise))
    page.verify_paths([str(tmp_path / "noise.png")])
    view = wait_verdict(qtbot, page)
    assert view.title.text() == "No presentation found" and view.banner.property("look") == "neutral"
    assert "No QR code could be read" in view.text.text()
    assert page.verdict is None and view.holder.isHidden()

    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    page.verify_paths([str(tmp_path / "broken.png")])
    qtbot.waitUntil(lambda: "not an image this app can read" in view.text.text(), timeout=10_000)

    page.verify_text("just some words")
    qtbot.waitUntil(lambda: "neither a Blocktrack Vault code nor a presentation" in view.text.text(),
                    timeout=10_000)

    request_code = tmp_path / "request.png"
    request_code.write_bytes(render.png(read_request('{"challenge":"c","domain":"d.example"}').qr_texts()[0]))
    page.verify_paths([str(request_code)])
    qtbot.waitUntil(lambda: "verifier's request code" in view.text.text(), timeout=10_000)


def test_verifying_needs_a_domain_and_a_challenge(qtbot, page, tmp_path, ui_helpers):
    page.domain.clear()
    page.verify_text("{}")
    assert page.verdict_view.title.text() == "Enter the domain you asked the presentation for"
    assert page.verdict_view.banner.property("look") == "neutral"
    assert "Enter the domain and the challenge" in page.verdict_view.text.text()
    assert page.request_message.kind == "error" and "Enter your domain" in page.request_message.text()
    assert not page.working
    page.domain.setText(DOMAIN)
    page.challenge.clear()
    page.verify_text("{}")
    assert page.verdict_view.title.text() == "Enter the challenge of your request"


def test_the_request_qr_holds_the_domain_and_a_fresh_challenge(qtbot, page, ui_helpers):
    first = page.challenge.text()
    ui_helpers.click(qtbot, page.new_button)
    assert page.challenge.text() != first and len(page.challenge.text()) >= 24
    ui_helpers.click(qtbot, page.request_button)
    dialog = page.dialog
    assert isinstance(dialog, RequestDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.ready, timeout=10_000)
    request = read_request(png_bytes(dialog.qr.grab().toImage()))     # the dialog's own pixels
    assert (request.domain, request.challenge) == (DOMAIN, page.challenge.text())
    dialog.close_button.click()
    qtbot.waitUntil(lambda: page.dialog is None)
    page.domain.clear()
    ui_helpers.click(qtbot, page.request_button)
    assert page.dialog is None and "Enter your domain" in page.request_message.text()


def test_frames_fed_as_a_camera_would_join_a_multi_part_code(qtbot, window, page, holder_vault, ui_helpers):
    """The live-scan path without a camera: the Present page's own frames, grabbed off the
    screen part after part (with repeats, as a camera sees them), into the Verify page's
    FrameScanner, which decodes them off the GUI thread and joins the parts."""
    present_page = window.workspace.pages.widget(
        [window.workspace.nav.item(r).text() for r in range(window.workspace.nav.count())].index("Present"))
    window.workspace.show_page("Present")
    qtbot.waitUntil(lambda: not present_page.model.busy and present_page.model.rowCount() == 4, timeout=20_000)
    qtbot.waitUntil(lambda: all(present_page.model.cached(k) is not None for k in present_page.model.keys))
    for kind in ("sd", "di"):
        row = present_page.model.row_of_key(present_page.model.key_of_id(holder_vault["ids"][kind]))
        click_row(qtbot, present_page.list, row)
    present_page.set_request(page.challenge.text(), page.domain.text())
    qtbot.waitUntil(lambda: present_page.show_button.isEnabled(), timeout=20_000)
    ui_helpers.click(qtbot, present_page.show_button)
    qtbot.waitUntil(lambda: present_page.qr.complete, timeout=20_000)
    present_page.qr.pause()
    count = present_page.qr.count
    assert count >= 2
    frames = []
    for index in [0, 0, 1, 1] + list(range(count)):
        present_page.qr.show_index(index)
        frames.append(present_page.qr.grab().toImage())
    window.workspace.show_page("Verify")
    progress = []
    page.scanner.progress.connect(progress.append)
    for frame in frames:
        qtbot.waitUntil(lambda: not page.scanner.busy, timeout=10_000)
        if page.scanner.finished:
            break
        assert page.scanner.feed(frame)
        assert not page.scanner.feed(frame)            # one frame at a time: the next is dropped
    assert_valid(wait_verdict(qtbot, page), holder_vault["holder"], "Introduction to Programming",
                 "Data Analysis")
    assert progress and progress[0].startswith("1 of ")


def test_no_camera_button_that_does_nothing(page):
    available, why = camera.availability()
    assert page.camera_button.isHidden() == (not available)
    if not available:
        assert "Qt Multimedia" in why or "camera" in why
        assert why in page.drop_hint.toolTip() and why in page.open_button.toolTip()


def test_a_cached_did_web_document_cannot_sign_for_the_holder(qtbot, window, page, presenter, holder_vault,
                                                               tmp_path):
    """The holder's own credentials, re-signed by a stranger's key that a stored did:web
    document claims the holder controls: the page says it is not valid, and why."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from vault.credentials import data_integrity
    from vault.did import multikey

    holder, attacker, evil = holder_vault["holder"], Ed25519PrivateKey.generate(), "did:web:evil.example"
    method = {"id": f"{evil}#key-1", "type": "Multikey", "controller": holder,
              "publicKeyMultibase": multikey.encode("ed25519-pub", attacker.public_key().public_bytes_raw())}
    document = {"id": evil, "verificationMethod": [method], "authentication": [method["id"]]}
    with window.identity.store.transaction() as conn:     # a stored row, bypassing `did cache`
        conn.execute("INSERT INTO did_documents(did, document, updated_at) VALUES (?, ?, '2024-01-01')",
                     (evil, json.dumps(document)))
    stolen = json.loads(present(presenter, holder_vault, "di").payload)
    stolen.pop("proof")
    forged = data_integrity.sign(stolen, attacker, method["id"], purpose="authentication", challenge=CHALLENGE,
                                 domain=DOMAIN)
    (tmp_path / "vp.json").write_text(json.dumps(forged))
    page.verify_paths([str(tmp_path / "vp.json")])
    view = wait_verdict(qtbot, page)
    assert view.title.text() == "Not valid" and not page.verdict.valid
    assert f"names {holder} as its controller" in view.text.text()


def test_request_buttons_are_not_cut_at_the_default_window_size(qtbot, page, window):
    # Four in one row were cut to "ew challeng" at 1000 px; a label past its edge misleads.
    assert (window.width(), window.height()) == (1000, 680)
    for button in (page.new_button, page.request_button, page.openid4vp_button, page.policy_button):
        qtbot.waitUntil(button.isVisible)
        assert button.width() >= button.sizeHint().width(), button.text()
