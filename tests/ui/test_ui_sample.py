"""A newcomer's first presentation in the real window: the Present page says why nothing
can be presented and issues a sample on a click, ticked in the picker, shown as a QR
code that verifies; the Credentials page's empty list offers the same; the card and the
detail say "Sample"; the Verify page says "sample issuer, not a real institution", also
for a "Harvard" badge forged with the published sample key (the attack)."""

import json

import pytest

from test_ui_present_support import CHALLENGE, DOMAIN, STRANGER, read_widget
from ui.credentials import sample_offer
from vault.credentials.service import CredentialService
from vault.identity import Identity
from vault.issuing import badge as ob, sample
from vault.presentations import verify_presentation
from vault.presentations.service import PresentationService
from vault.qr import render
from vault.qr.parts import encode_parts
from vp_fixtures import badge, di_credential     # on the path: test_ui_present_support puts it there


@pytest.fixture
def newcomer(config, ui_helpers):
    """A vault holding one credential, issued to someone else: nothing it can present."""
    identity, _ = Identity.create(config.data_dir, ui_helpers.PASSPHRASE, kdf_target=0)
    CredentialService(identity.store).import_bytes(di_credential(STRANGER, name="Someone Else's Badge"))
    holder = identity.default_did().did
    identity.store.lock()
    return holder


@pytest.fixture
def window(qtbot, newcomer, make_window, config, ui_helpers):
    window = make_window(config)
    ui_helpers.unlock_through_ui(qtbot, window)
    return window


def test_present_says_why_and_a_click_gives_a_sample_to_present(qtbot, window, newcomer, ui_helpers):
    window.workspace.show_page("Present")
    page = window.workspace.present_page
    qtbot.waitUntil(lambda: page.sample_offer.isVisible(), timeout=20_000)
    assert page.model.rowCount() == 1          # a credential, but not one of the holder's
    assert page.sample_offer.why.text() == sample_offer.WHY
    assert "sample issuer, not a real institution" in page.sample_offer.what.text()

    ui_helpers.click(qtbot, page.sample_offer.button)
    qtbot.waitUntil(lambda: len(page.picks.chosen) == 1, timeout=20_000)
    ((cid, summary),) = page.picks.chosen.items()
    assert summary.issuer == sample.DID and summary.subject == newcomer
    qtbot.waitUntil(lambda: not page.sample_offer.isVisible(), timeout=10_000)
    card = page.picks.card(page.picks.index(page.model.row_of_key(page.model.key_of_id(cid)), 0))
    assert card.warning.text == "Sample" and "sample issuer, not a real institution" in card.issuer

    qtbot.waitUntil(lambda: page.preview is not None, timeout=20_000)
    assert "sample issuer, not a real institution" in page.summary.toPlainText()
    ui_helpers.type_text(qtbot, page.challenge, CHALLENGE)
    ui_helpers.type_text(qtbot, page.domain, DOMAIN)
    ui_helpers.click(qtbot, page.show_button)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.show_page and page.qr.complete, timeout=20_000)
    verdict = verify_presentation(read_widget(page.qr).payload, challenge=CHALLENGE, domain=DOMAIN)
    assert verdict.valid and verdict.holder == newcomer, verdict.message
    assert [w.code.value for w in verdict.credentials[0].warnings] == ["sample-issuer"]


def test_the_empty_credentials_list_offers_a_sample_and_its_card_and_detail_say_sample(qtbot, window):
    page = window.workspace.credentials_page
    qtbot.waitUntil(lambda: page.model.last_result is not None and not page.model.busy, timeout=20_000)
    assert not page.sample_offer.isVisible()      # a credential is listed: the list is not empty
    page.delete_selected()                        # now it is
    qtbot.waitUntil(lambda: page.model.rowCount() == 0 and page.sample_offer.isVisible(), timeout=20_000)
    assert page.sample_offer.what.text() == sample_offer.NEW_HERE

    page.sample_offer.button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.model.busy, timeout=20_000)
    qtbot.waitUntil(lambda: page.proxy.card(page.proxy.index(0, 0)) is not None)
    card = page.proxy.card(page.proxy.index(0, 0))
    assert card.title == sample.ACHIEVEMENT.name and card.warning.text == "Sample"
    assert card.issuer.startswith("Blocktrack Sample Issuer (sample issuer, not a real institution)")
    assert "Sample issuer, not a real institution" in card.reason and "trust" not in card.reason
    assert not page.sample_offer.isVisible() and page.notice.kind == "success"

    page.open_index(page.proxy.index(0, 0))
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    detail = page.detail
    assert detail.verdict_title.text() == "Valid · Sample"
    assert detail.issuer_name.text() == sample.LABEL
    assert "proves nothing" in detail.warnings.text()
    assert detail.trust_button.isHidden()          # never offered: it could not be trusted


def _verify_file(qtbot, window, data: bytes, tmp_path, ui_helpers):
    window.workspace.show_page("Verify")
    page = window.workspace.verify_page
    ui_helpers.type_text(qtbot, page.domain, DOMAIN)
    ui_helpers.type_text(qtbot, page.challenge, CHALLENGE)
    path = tmp_path / "code.png"
    path.write_bytes(data)
    page.verify_paths([str(path)])
    qtbot.waitUntil(lambda: not page.working and not page.verdict_view.isHidden(), timeout=30_000)
    return page.verdict_view


def test_verify_page_says_sample_issuer_not_a_real_institution(qtbot, window, tmp_path, ui_helpers):
    presenter = PresentationService(window.identity, CredentialService(window.identity.store))
    cid = presenter.add_sample().summary.id
    made = presenter.present([cid], None, CHALLENGE, DOMAIN)
    view = _verify_file(qtbot, window, render.png(encode_parts(made.data, kind=made.kind)[0]), tmp_path,
                        ui_helpers)
    text = view.plain_text()
    assert view.title.text() == "Valid presentation", text
    assert "Blocktrack Sample Issuer (sample issuer, not a real institution)" in text
    assert "Sample only" in text and "It proves nothing about the holder." in text
    assert "It includes a sample credential, which proves nothing." in view.text.text()
    assert "Genuine: signed by its issuer" not in text


def test_a_harvard_badge_forged_with_the_published_key_shows_as_a_sample(qtbot, window, newcomer, tmp_path,
                                                                        ui_helpers):
    # The holder signs a "Harvard" MBA to themselves with the sample key (it is public)...
    credential = badge(newcomer, "MBA")
    credential["issuer"] = {"id": sample.DID, "type": ["Profile"], "name": "Harvard University"}
    forged = json.dumps(ob.sign(credential, sample.key())).encode()
    credentials = CredentialService(window.identity.store)
    cid = credentials.import_bytes(forged).summary.id
    made = PresentationService(window.identity, credentials).present([cid], None, CHALLENGE, DOMAIN)
    # ... and the employer's Verify page names the sample issuer, not Harvard.
    view = _verify_file(qtbot, window, render.png(encode_parts(made.data, kind=made.kind)[0]), tmp_path,
                        ui_helpers)
    text = view.plain_text()
    assert "Issued by Blocktrack Sample Issuer (sample issuer, not a real institution)" in text
    assert "Harvard" not in text.split("What it proves")[0] and "Sample only" in text
