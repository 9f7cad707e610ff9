"""Trusting an issuer applies at once, everywhere: from a credential's detail (under a
name the person confirms, never the credential's own unasked) or from Settings, every
card of that issuer on the Credentials and Present lists is named and flagged anew, and
"Re-verify list" counts what changed, warnings included."""

import pytest
from PySide6.QtCore import QItemSelectionModel

from test_ui_credentials_page import (LIST_URL, NORTHSIDE, RIVERSIDE, Issuer, import_files, open_row,  # noqa: F401
                                      page, settle, window, write)
from ui.settings.trust import AddIssuerDialog
from vault.credentials.trust import TrustList

# Anyone can sign a credential that calls its issuer "Harvard University".
HOSTILE = Issuer(13, "Harvard University")


@pytest.fixture
def listed(qtbot, page, tmp_path):
    import_files(qtbot, page, [write(tmp_path, "law.json", HOSTILE.badge("Law Degree")),
                               write(tmp_path, "medicine.json", HOSTILE.badge("Medicine Degree")),
                               write(tmp_path, "python.json", RIVERSIDE.badge("Data Analysis with Python"))])
    assert page.model.rowCount() == 3
    return page


def cards(view_model, source) -> dict:
    """Title -> the Card a list paints (its issuer line, its warning chip)."""
    out = {}
    for row in range(source.rowCount()):
        card = view_model.card(view_model.index(row, 0))
        assert card is not None, "a row not read yet"
        out[card.title] = card
    return out


def warned(view_model, source) -> set[str]:
    return {title for title, card in cards(view_model, source).items() if card.warning is not None}


def test_trust_from_the_detail_asks_for_the_name_then_every_card_of_that_issuer_follows(qtbot, listed, window,
                                                                                          ui_helpers):
    page, h = listed, ui_helpers
    assert warned(page.proxy, page.model) == {"Law Degree", "Medicine Degree", "Data Analysis with Python"}
    assert cards(page.proxy, page.model)["Law Degree"].issuer.startswith("Harvard University (name not verified)")
    query = page.model.last_result
    detail = open_row(qtbot, page, "Law Degree")
    h.click(qtbot, detail.trust_button)

    # The attack: one click would have made the credential's own "Harvard University" a
    # verified name. The dialog shows the DID and asks for the name instead.
    dialog = page.dialog
    assert isinstance(dialog, AddIssuerDialog) and dialog.isVisible()
    assert dialog.did.text() == HOSTILE.did and dialog.did.isReadOnly()
    assert dialog.name.text() == "Harvard University" and dialog.focusWidget() is dialog.name
    assert "the name you will see for this issuer" in dialog.name_hint.text().lower()
    words = " ".join(label.text() for label in dialog.findChildren(type(dialog.name_hint)))
    assert "anyone can write any name" in words and "Name you will see" in words
    h.type_text(qtbot, dialog.name, "Jordan's evening course")
    h.click(qtbot, dialog.add_button)

    # Every card of that issuer drops "Unknown issuer" at once, named as the person said;
    # the other issuer's card keeps its warning; no new search ran.
    qtbot.waitUntil(lambda: warned(page.proxy, page.model) == {"Data Analysis with Python"}, timeout=10_000)
    shown = cards(page.proxy, page.model)
    assert shown["Law Degree"].issuer.startswith("Jordan's evening course · did:key:")
    assert "Harvard" not in shown["Medicine Degree"].issuer
    assert page.model.last_result is query
    assert TrustList(window.store).names()[HOSTILE.did] == "Jordan's evening course"
    qtbot.waitUntil(lambda: detail.verdict_title.text() == "Valid" and not detail.trust_button.isVisible())
    assert detail.issuer_name.text() == "Jordan's evening course" and detail.untrust_button.isVisible()
    assert detail.message.text() == "The issuer is on your trust list: 2 credentials of theirs no longer warn."

    # Untrusting puts the warning back on every card of theirs, with the self-declared name marked.
    h.click(qtbot, detail.untrust_button)
    qtbot.waitUntil(lambda: len(warned(page.proxy, page.model)) == 3, timeout=10_000)
    assert cards(page.proxy, page.model)["Medicine Degree"].issuer.startswith("Harvard University (name not verified)")
    qtbot.waitUntil(lambda: detail.trust_button.isVisible() and not detail.untrust_button.isVisible())
    assert detail.verdict_title.text() == "Valid · Unknown issuer"
    assert not TrustList(window.store).contains(HOSTILE.did)


def test_cancelling_the_dialog_trusts_nobody(qtbot, listed, window, ui_helpers):
    detail = open_row(qtbot, listed, "Law Degree")
    ui_helpers.click(qtbot, detail.trust_button)
    dialog = listed.dialog
    ui_helpers.click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: listed.dialog is None)
    assert not TrustList(window.store).contains(HOSTILE.did)
    assert detail.trust_button.isVisible() and len(warned(listed.proxy, listed.model)) == 3


def test_trust_edited_in_settings_updates_the_credentials_and_present_lists(qtbot, listed, window, ui_helpers):
    page, h, workspace = listed, ui_helpers, window.workspace
    workspace.show_page("Present")
    present = workspace.present_page
    qtbot.waitUntil(lambda: present.model.rowCount() == 3 and
                    all(present.model.cached(k) is not None for k in present.model.keys), timeout=20_000)
    assert warned(present.picks, present.model) == {"Law Degree", "Medicine Degree", "Data Analysis with Python"}
    workspace.show_page("Settings")
    settings = workspace.settings_page
    qtbot.waitUntil(lambda: settings.loaded, timeout=10_000)

    h.click(qtbot, settings.add_issuer_button)
    dialog = settings.dialog
    h.type_text(qtbot, dialog.did, HOSTILE.did)
    h.type_text(qtbot, dialog.name, "Known law school")
    h.click(qtbot, dialog.add_button)
    both = ((page.proxy, page.model), (present.picks, present.model))
    qtbot.waitUntil(lambda: all(warned(*lists) == {"Data Analysis with Python"} for lists in both), timeout=10_000)
    for lists in both:
        assert cards(*lists)["Law Degree"].issuer.startswith("Known law school · ")

    settings.trust_table.selectionModel().select(settings.trust_model.index(settings.trust_model.row_of(HOSTILE.did), 0),
                                                 QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
    h.click(qtbot, settings.remove_issuer_button)
    qtbot.waitUntil(lambda: all(len(warned(*lists)) == 3 for lists in both), timeout=10_000)

    # And the other way: trusted from a credential, the Settings table shows it.
    workspace.show_page("Credentials")
    detail = open_row(qtbot, page, "Data Analysis with Python")
    h.click(qtbot, detail.trust_button)
    h.click(qtbot, page.dialog.add_button)
    qtbot.waitUntil(lambda: settings.trust_model.row_of(RIVERSIDE.did) >= 0, timeout=10_000)
    assert settings.trust_model.entries[settings.trust_model.row_of(RIVERSIDE.did)]["name"] == RIVERSIDE.name
    qtbot.waitUntil(lambda: warned(present.picks, present.model) == {"Law Degree", "Medicine Degree"})


def test_reverify_list_counts_warnings_that_came_or_went(qtbot, page, tmp_path):
    """A credential with a status entry, imported while the vault held no copy of the list:
    valid, "status not checked". With the list held, "Re-verify list" says so, where it
    used to say "none changed"."""
    import_files(qtbot, page, [write(tmp_path, "forklift.json", NORTHSIDE.badge("Forklift Operator", status_index=3)),
                               write(tmp_path, "crane.json", NORTHSIDE.badge("Crane Operator", status_index=5))])
    page.service.cache.put_status_list(LIST_URL, NORTHSIDE.status_list({5}))
    page.reverify_all_button.click()
    settle(qtbot, page)
    assert page.notice.kind == "success"
    assert page.notice.text() == ("Checked 2 credentials; 1 now revoked, 1 now flagged “Revocation status from a "
                                  "saved copy of its list”, 1 no longer flagged “Revocation status not checked "
                                  "(offline, or its list could not be had)”.")
