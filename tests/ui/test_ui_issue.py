"""The Issue page in two real windows: an educator's vault creates a profile and an
achievement, reads a learner's DID from the pixels of the QR code the learner's Identity
page shows, issues to it and shows the credential as a QR code; the learner's vault
imports it from that code's pixels, presents it, and the educator's Verify page accepts
it. Revoked in the issued log, the learner's re-verify reads it revoked (the list hosted
where the app said, on a loopback HTTPS server: the network is the one edge faked).

Attacks: a QR code that is not a DID (a presentation, markup, two codes) never becomes a
recipient, and nothing is issued."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtWidgets import QDialog

from tests.credentials.web_issuer import WebIssuer
from test_ui_present_support import click_row
from ui.issue import IssuePage
from vault.identity import Identity
from vault.qr import collect, scan

PASSPHRASE = "correct horse battery staple"
DOMAIN = "hr.riverside.example"


def png_of(widget) -> bytes:
    """What ``widget`` paints, as PNG bytes: its own pixels."""
    image = widget.grab().toImage()
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def frames_of(qtbot, view) -> list[bytes]:
    """Each part of a QrView, stepped through by hand and grabbed."""
    qtbot.waitUntil(lambda: view.complete, timeout=20_000)
    view.pause()
    shots = []
    for i in range(view.count):
        view.show_index(i)
        shots.append(png_of(view))
    return shots


def texts_of(shots: list[bytes]) -> list[str]:
    return [t for shot in shots for t in scan.read_image(shot)]


@pytest.fixture
def web(tmp_path):
    web = WebIssuer(tmp_path)
    yield web
    web.close()


@pytest.fixture
def educator(qtbot, existing_vault, make_window, config, ui_helpers):
    window = make_window(config)
    ui_helpers.unlock_through_ui(qtbot, window)
    return window


@pytest.fixture
def learner(qtbot, make_window, tmp_path, ui_helpers):
    from ui.config import AppConfig
    config = AppConfig(tmp_path / "learner", kdf_target=0, connect_chain=False)
    Identity.create(config.data_dir, PASSPHRASE, kdf_target=0)[0].store.lock()
    window = make_window(config)
    ui_helpers.unlock_through_ui(qtbot, window)
    return window


def issue_page(window) -> IssuePage:
    window.workspace.show_page("Issue")
    page = window.workspace.pages.currentWidget()
    assert isinstance(page, IssuePage)
    return page


def create_profile_and_achievement(qtbot, page, ui_helpers, status_url: str) -> None:
    page.show_tab(page.profiles_tab)
    ui_helpers.click(qtbot, page.profiles_tab.new_button)
    dialog = page.profiles_tab.dialog
    ui_helpers.type_text(qtbot, dialog.name, "Riverside Coding Bootcamp")
    ui_helpers.type_text(qtbot, dialog.url, "https://riverside.example")
    ui_helpers.type_text(qtbot, dialog.status_url, status_url)
    ui_helpers.click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.Accepted, dialog.error.text()
    profile = page.profiles_tab.selected()
    assert profile.name == "Riverside Coding Bootcamp" and profile.did.startswith("did:key:")
    assert page.profiles_tab.statuses.text().startswith(status_url + "/revocation.json")

    ui_helpers.click(qtbot, page.profiles_tab.achievement_button)
    dialog = page.profiles_tab.dialog
    ui_helpers.type_text(qtbot, dialog.name, "Data Analysis with Python")
    dialog.description.setPlainText("Cleaned, analysed and charted a public data set with pandas.")
    dialog.criteria.setPlainText("Passed the final project review.")
    ui_helpers.type_text(qtbot, dialog.skill, "Python programming")
    ui_helpers.type_text(qtbot, dialog.skill_url, "https://skills.example/python")
    ui_helpers.click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.Accepted, dialog.error.text()
    assert page.profiles_tab.achievements.count() == 1


def learner_did_qr(qtbot, learner, ui_helpers) -> tuple[str, bytes]:
    learner.workspace.show_page("Identity")
    identity_page = learner.workspace.identity_page
    ui_helpers.click(qtbot, identity_page.did_qr_button)
    dialog = identity_page.dialog
    qtbot.waitExposed(dialog)
    shot = png_of(dialog.qr_label)
    did = dialog.text
    dialog.close()
    return did, shot


def test_issue_to_a_scanned_did_the_learner_presents_it_and_revocation_reaches_them(
        qtbot, educator, learner, ui_helpers, web, tmp_path):
    page = issue_page(educator)
    create_profile_and_achievement(qtbot, page, ui_helpers, web.url("/status"))

    # The learner shows their DID's QR code; the educator's form reads its pixels.
    did, shot = learner_did_qr(qtbot, learner, ui_helpers)
    page.show_tab(page.form)
    from PySide6.QtGui import QImage
    page.form.recipient.read_image(QImage.fromData(shot))
    qtbot.waitUntil(lambda: not page.form.recipient.reading, timeout=10_000)
    assert page.form.recipient.edit.text() == did
    ui_helpers.type_text(qtbot, page.form.evidence_url, "https://github.com/learner/analysis")
    ui_helpers.click(qtbot, page.form.issue_button)
    qtbot.waitUntil(lambda: page.last_record is not None and page.dialog is not None, timeout=30_000)
    record, deliver = page.last_record, page.dialog
    assert record.recipient == did and record.status == "active" and record.status_index is not None
    assert page.log.model.rowCount() == 1 and page.log.selected().id == record.id
    assert not deliver.add_button.isVisible()         # issued to another vault's DID

    # The learner's vault imports it from the code's pixels (every part, one image each).
    shots = frames_of(qtbot, deliver.qr)
    assert collect(texts_of(shots)).payload == record.content
    sheet = tmp_path / "credential-qr.png"
    deliver.save_qr(str(sheet))
    credentials = learner.workspace.credentials_page
    learner.workspace.show_page("Credentials")
    credentials.import_paths([str(sheet)])
    qtbot.waitUntil(lambda: not credentials.working, timeout=30_000)
    assert credentials.notice.text().startswith("Imported 1 credential"), credentials.notice.text()
    deliver.close()

    # The educator's Verify page asks; the learner presents; the educator accepts.
    educator.workspace.show_page("Verify")
    verify = educator.workspace.verify_page
    ui_helpers.type_text(qtbot, verify.domain, DOMAIN)
    challenge = verify.challenge.text()
    learner.workspace.show_page("Present")
    present = learner.workspace.present_page
    qtbot.waitUntil(lambda: not present.model.busy and present.model.rowCount() == 1, timeout=20_000)
    click_row(qtbot, present.list, 0)
    ui_helpers.type_text(qtbot, present.challenge, challenge)
    ui_helpers.type_text(qtbot, present.domain, DOMAIN)
    qtbot.waitUntil(lambda: present.show_button.isEnabled(), timeout=20_000)
    ui_helpers.click(qtbot, present.show_button)
    qtbot.waitUntil(lambda: present.stack.currentWidget() is present.show_page and present.qr.complete,
                    timeout=20_000)
    parts = []
    for i, shot in enumerate(frames_of(qtbot, present.qr)):
        path = tmp_path / f"part-{i}.png"
        path.write_bytes(shot)
        parts.append(str(path))
    with qtbot.waitSignal(verify.verified, timeout=30_000) as got:
        verify.verify_paths(parts)
    verdict = got.args[0]
    assert verdict.valid, verdict.message
    assert verdict.holder == did
    assert [c.title for c in verdict.credentials] == ["Data Analysis with Python"]

    # Revoked in the log: the list is signed again and exported where the app says.
    educator.workspace.show_page("Issue")
    page.show_tab(page.log)
    page.log.select(record.id)
    ui_helpers.click(qtbot, page.log.revoke_button)
    confirm = page.dialog
    qtbot.keyClick(confirm, Qt.Key_Return)            # Enter is Cancel: nothing revoked
    assert page.log.selected().status == "active"
    ui_helpers.click(qtbot, page.log.revoke_button)
    ui_helpers.click(qtbot, page.dialog.revoke_button)   # the confirmation's "Revoke", clicked
    assert page.log.selected().status == "revoked"
    assert not page.log.revoke_button.isEnabled()
    written = page.log.export_lists(str(tmp_path / "lists"))
    assert [url for _path, url in written] == [web.url("/status/revocation.json"),
                                               web.url("/status/suspension.json")]
    assert web.url("/status/revocation.json") in page.log.message.text()
    for path, url in written:            # the educator uploads them to the addresses shown
        web.publish(url[len(web.url("")):], path.read_bytes())

    # The learner re-verifies with status checks online (the test CA trusted: the edge).
    service = credentials.service
    service._network = lambda: web.network
    summary, verdict = service.reverify(service.repository.search()[0].id)
    assert summary.status == "revoked", verdict


def side_by_side(*pngs: bytes) -> bytes:
    import io

    from PIL import Image
    images = [Image.open(io.BytesIO(p)).convert("L") for p in pngs]
    sheet = Image.new("L", (sum(i.width for i in images) + 40, max(i.height for i in images)), 255)
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width + 40
    out = io.BytesIO()
    sheet.save(out, "PNG")
    return out.getvalue()


def test_codes_that_are_not_a_did_never_become_the_recipient(qtbot, educator, ui_helpers, tmp_path):
    """Crafted codes: a presentation, markup, a bidi-reversed DID, two DIDs in one picture,
    a file of junk. Each is refused with what it is, the field stays empty, and Issue
    issues nothing."""
    from PySide6.QtGui import QImage

    from vault.qr import encode, render

    page = issue_page(educator)
    profile = page.profiles.create("Mentors")
    page.profiles.add_achievement(profile.id, "Code review")
    page.reload_profiles()
    field = page.form.recipient
    did_a = educator.identity.default_did().did
    did_b = educator.identity.create_did("key").did
    crafted = {
        "presentation": (render.png(encode(b'{"type": ["VerifiablePresentation"]}', kind="vp-json")),
                         "not a DID or an address"),
        "markup": (render.png('<a href="https://evil.example">did:key:z6Mk</a>'), "not a DID or an address"),
        "bidi": (render.png("did:key:\u202ez6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
                 "not a DID or an address"),
        "two DIDs": (side_by_side(render.png(did_a), render.png(did_b)), "2 different DID"),
        "no code": (png_of(page.form.issue_button), "No QR code was found"),
    }
    for name, (png, words) in crafted.items():
        field.read_image(QImage.fromData(png))
        qtbot.waitUntil(lambda: not field.reading, timeout=10_000)
        assert words in field.message.text(), (name, field.message.text())
        assert field.edit.text() == "", name
    junk = tmp_path / "recipient.txt"
    junk.write_text("did:key:z6Mk <script>alert(1)</script>")
    field.read_path(junk)
    qtbot.waitUntil(lambda: not field.reading, timeout=10_000)
    assert "is not a DID" in field.message.text() and field.edit.text() == ""

    ui_helpers.click(qtbot, page.form.issue_button)
    assert "recipient is empty" in page.form.error.text()
    assert page.issuer.log() == [] and page.log.model.rowCount() == 0

    # The good one, read from its own code: accepted as is.
    field.read_image(QImage.fromData(render.png(did_b)))
    qtbot.waitUntil(lambda: not field.reading, timeout=10_000)
    assert field.edit.text() == did_b


def test_the_learner_refuses_a_presentation_code_offered_as_a_credential(qtbot, learner, tmp_path):
    """A verifier's or a holder's presentation code dropped on the Credentials page is not
    a credential: refused, saying where it belongs; nothing is imported."""
    from vault.qr import encode, render

    image = tmp_path / "vp.png"
    image.write_bytes(render.png(encode(b'{"type": ["VerifiablePresentation"]}', kind="vp-json")))
    credentials = learner.workspace.credentials_page
    credentials.import_paths([str(image)])
    qtbot.waitUntil(lambda: not credentials.working, timeout=20_000)
    assert "not a credential" in credentials.notice.text() and "Verify page" in credentials.notice.text()
    assert credentials.service.repository.count() == 0


def test_the_demo_profile_issues_a_sample_into_this_vault(qtbot, educator, ui_helpers):
    """"Try it": the built-in demo profile (marked a sample) issues to this vault's own DID,
    and "Add to this vault" puts it among the credentials, marked as a sample."""
    page = issue_page(educator)
    page.show_tab(page.profiles_tab)
    ui_helpers.click(qtbot, page.sample_button)
    assert "sample: its key is public" in page.profiles_tab.name.text()
    assert not page.profiles_tab.account_button.isEnabled()      # a sample is never anchored
    page.show_tab(page.form)
    assert "(sample)" in page.form.profile.currentText()
    own = educator.identity.default_did().did
    page.form.recipient.edit.setText(own)
    ui_helpers.click(qtbot, page.form.issue_button)
    qtbot.waitUntil(lambda: page.last_record is not None and page.dialog is not None, timeout=30_000)
    deliver = page.dialog
    assert deliver.add_button.isVisible()
    with qtbot.waitSignal(deliver.added, timeout=20_000) as got:
        ui_helpers.click(qtbot, deliver.add_button)
    assert got.args[0].created and "Added to this vault" in deliver.message.text()
    service = educator.workspace.credentials_page.service
    (summary,) = service.repository.search()
    assert summary.subject == own
    assert page.last_record.status_index is None                # samples carry no status list


def test_did_web_profile_suspend_unsuspend_sd_jwt_and_a_baked_badge(qtbot, educator, ui_helpers, tmp_path):
    page = issue_page(educator)
    page.show_tab(page.profiles_tab)
    ui_helpers.click(qtbot, page.profiles_tab.new_button)
    dialog = page.profiles_tab.dialog
    ui_helpers.type_text(qtbot, dialog.name, "Harbor University")
    ui_helpers.click(qtbot, dialog.as_web)
    ui_helpers.type_text(qtbot, dialog.web, "harbor.example")
    ui_helpers.click(qtbot, dialog.ok_button)
    profile = page.profiles_tab.selected()
    assert profile.did == "did:web:harbor.example"
    assert page.profiles_tab.hosting.text() == "Host at https://harbor.example/.well-known/did.json"
    ui_helpers.click(qtbot, page.profiles_tab.document_button)
    document = page.profiles_tab.dialog
    assert document.where.text() == "Host it at exactly: https://harbor.example/.well-known/did.json"
    document.save(str(tmp_path / "did.json"))
    import json
    assert json.loads((tmp_path / "did.json").read_text()) == page.profiles.did_document(profile)
    document.close()
    page.profiles.add_achievement(profile.id, "Marine Biology")
    page.reload_profiles()

    # An achievement refused by the core: the dialog says why and keeps nothing.
    ui_helpers.click(qtbot, page.profiles_tab.achievement_button)
    dialog = page.profiles_tab.dialog
    ui_helpers.type_text(qtbot, dialog.name, "Marine Biology")
    ui_helpers.click(qtbot, dialog.ok_button)
    assert "already has an achievement named" in dialog.error.text() and dialog.isVisible()
    dialog.close()

    learner = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    page.show_tab(page.form)
    page.form.recipient.edit.setText(learner)
    ui_helpers.click(qtbot, page.form.issue_button)
    qtbot.waitUntil(lambda: page.last_record is not None, timeout=30_000)
    first = page.last_record
    baked = page.dialog.save(str(tmp_path / "badge.png"))
    from vault.credentials import baked as baking
    assert baking.extract(baked.read_bytes()).strip() == first.content.strip()
    page.dialog.close()

    page.show_tab(page.log)
    page.log.select(first.id)
    ui_helpers.click(qtbot, page.log.suspend_button)
    assert page.log.selected().status == "suspended" and page.log.unsuspend_button.isEnabled()
    assert "https://harbor.example/status/suspension.json" in page.log.message.text()
    ui_helpers.click(qtbot, page.log.unsuspend_button)
    assert page.log.selected().status == "active"

    # SD-JWT VC: the claims ticked become disclosable; it has no status entry to flip.
    page.show_tab(page.form)
    page.form.set_format("sd-jwt")
    assert page.form.claims_box.isVisible()
    page.form.claim_checks["name"].setChecked(True)
    page.last_record = None
    ui_helpers.click(qtbot, page.form.issue_button)
    qtbot.waitUntil(lambda: page.last_record is not None, timeout=30_000)
    sd = page.last_record
    import base64
    parts = [d for d in sd.content.decode().split("~")[1:] if d]
    disclosed = [json.loads(base64.urlsafe_b64decode(d + "=" * (-len(d) % 4)))[1] for d in parts]
    assert sd.is_sd_jwt and sorted(disclosed) == ["achievement", "name"]   # the default one and the one ticked
    page.dialog.close()
    page.show_tab(page.log)
    page.log.search.setText("did:key:z6MkhaX")
    assert page.log.model.rowCount() == 2
    page.log.select(sd.id)
    assert not page.log.revoke_button.isEnabled() and "no status list entry" in page.log.message.text()
    page.log.search.setText("nobody")
    assert page.log.model.rowCount() == 0


def test_a_hostile_csv_issues_nothing_and_names_its_bad_lines(qtbot, educator, ui_helpers, tmp_path):
    """Crafted rows: a formula cell (CSV injection, for whoever opens the log in a
    spreadsheet) and a recipient hiding a bidi override. The batch is refused whole, each
    bad row named by its line; the good CSV then issues every row."""
    page = issue_page(educator)
    profile = page.profiles.create("Mentors", url="https://mentors.example")
    page.profiles.add_achievement(profile.id, "Code review")
    page.reload_profiles()
    a, b = ("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG")
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(f'recipient,note\n{a},fine\n{b},"=HYPERLINK(""https://evil.example"")"\n'
                       f'did:key:\u202ez6Mk,bidi\n', encoding="utf-8")
    page.issue_batch(str(hostile))
    qtbot.waitUntil(lambda: page.form.issue_button.isEnabled(), timeout=20_000)
    text = page.form.error.text()
    assert "nothing was issued" in text and "line 3" in text and "formula" in text and "line 4" in text, text
    assert page.issuer.log() == []

    good = tmp_path / "cohort.csv"
    good.write_text(f"recipient,note\n{a},Spring cohort\n{b},Spring cohort\n", encoding="utf-8")
    page.issue_batch(str(good))
    qtbot.waitUntil(lambda: page.log.model.rowCount() == 2, timeout=30_000)
    assert page.tabs.currentIndex() == page.LOG and "Issued 2 credentials" in page.log.message.text()
    assert {r.recipient for r in page.issuer.log()} == {a, b}


def test_locking_closes_the_delivery_and_forgets_the_log(qtbot, educator, ui_helpers):
    from shiboken6 import isValid

    page = issue_page(educator)
    profile = page.profiles.create("Mentors")
    page.profiles.add_achievement(profile.id, "Code review")
    page.reload_profiles()
    page.form.recipient.edit.setText("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
    ui_helpers.click(qtbot, page.form.issue_button)
    qtbot.waitUntil(lambda: page.dialog is not None, timeout=30_000)
    deliver = page.dialog
    assert page.log.model.rowCount() == 1
    page.show_tab(page.profiles_tab)
    ui_helpers.click(qtbot, page.profiles_tab.new_button)     # a form left open, too
    form = page.profiles_tab.dialog
    educator.lock()
    qtbot.waitUntil(lambda: not isValid(deliver) or not deliver.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: not isValid(form) or not form.isVisible(), timeout=10_000)
    assert page.log.model.rowCount() == 0 and page.last_record is None
