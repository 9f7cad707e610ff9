"""The Present page offers the claims of an ecdsa-sd-2023 credential as it does an SD-JWT's:
ticked claims only reach the verifier (the preview, then the code read back off the
screen); a Data Integrity credential without ecdsa-sd-2023 offers none and shows whole."""

import json

import pytest
from PySide6.QtCore import Qt

from test_ui_present_support import CHALLENGE, DOMAIN, click_row, read_widget, texts_of_widget
from tests.presentations.vp_fixtures import SD_SECRET as SECRET
from tests.presentations.vp_fixtures import di_credential
from tests.presentations.vp_fixtures import ecdsa_sd_credential as sd_credential
from ui.present import PresentPage
from vault.presentations import verify_presentation
from vault.qr import parts

NAME = "credentialSubject.achievement.name"
DESCRIPTION = "credentialSubject.achievement.description"


@pytest.fixture
def sd_vault(config, ui_helpers):
    from vault.credentials.service import CredentialService
    from vault.identity import Identity
    identity, _ = Identity.create(config.data_dir, ui_helpers.PASSPHRASE, kdf_target=0)
    holder = identity.default_did().did
    service = CredentialService(identity.store)
    ids = {"sd": service.import_bytes(sd_credential(holder)).summary.id,
           "di": service.import_bytes(di_credential(holder, name="Databases")).summary.id}
    identity.store.lock()
    return ids


@pytest.fixture
def page(qtbot, sd_vault, make_window, config, ui_helpers) -> PresentPage:
    window = make_window(config)
    ui_helpers.unlock_through_ui(qtbot, window)
    window.workspace.show_page("Present")
    page = window.workspace.pages.currentWidget()
    qtbot.waitUntil(lambda: not page.model.busy and page.model.rowCount() == 2, timeout=20_000)
    qtbot.waitUntil(lambda: all(page.model.cached(k) is not None for k in page.model.keys), timeout=10_000)
    return page


def tick(qtbot, page, cid: str) -> None:
    click_row(qtbot, page.list, page.model.row_of_key(page.model.key_of_id(cid)))
    assert cid in page.picks.chosen


def test_ecdsa_sd_claims_are_offered_and_only_the_ticked_ones_are_shown(qtbot, page, sd_vault, ui_helpers):
    tick(qtbot, page, sd_vault["sd"])
    tick(qtbot, page, sd_vault["di"])
    qtbot.waitUntil(lambda: page.claims.isVisible(), timeout=10_000)
    assert page.claims.claim_item(sd_vault["sd"], DESCRIPTION) is not None
    assert page.claims.claim_item(sd_vault["sd"], "issuer.name") is None       # always shown, not a choice
    assert page.claims.topLevelItemCount() == 1                                # the plain DI offers nothing
    qtbot.waitUntil(lambda: page.preview is not None, timeout=20_000)
    assert SECRET not in page.summary.toPlainText() and "Withheld:" in page.summary.toPlainText()

    page.claims.claim_item(sd_vault["sd"], NAME).setCheckState(0, Qt.Checked)
    qtbot.waitUntil(lambda: page.preview is not None and NAME in page.preview.credentials[0].revealed,
                    timeout=20_000)
    assert SECRET not in page.summary.toPlainText()
    assert page.preview.credentials[1].selective is False                      # the plain DI, whole

    ui_helpers.type_text(qtbot, page.challenge, CHALLENGE)
    ui_helpers.type_text(qtbot, page.domain, DOMAIN)
    ui_helpers.click(qtbot, page.show_button)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.show_page and page.qr.complete, timeout=30_000)
    if page.qr.count == 1:
        payload = read_widget(page.qr).payload            # the widget's own pixels
    else:
        ui_helpers.click(qtbot, page.pause_button)
        seen = {}
        for _ in range(page.qr.count):
            seen[page.qr.index] = texts_of_widget(page.qr)[0]
            with qtbot.waitSignal(page.qr.frame_changed, timeout=1000):
                ui_helpers.click(qtbot, page.next_button)
        payload = parts.collect(seen.values()).payload
    verdict = verify_presentation(payload, challenge=CHALLENGE, domain=DOMAIN)
    assert verdict.valid, verdict.message
    document = json.loads(payload)
    assert SECRET not in json.dumps(document)
    assert document["verifiableCredential"][0]["proof"]["proofValue"].startswith("u2V0B")
