"""A Comprehensive Learner Record 2.0 transcript in the real window: its card and detail
titled by the transcript's own name (never its first achievement), "Transcript · N
achievements" with the achievements listed; on the Verify page the same title and list,
a transcript's hostile achievement names shown as text, and a transcript whose nested
achievement was renamed after signing listed as not valid, its achievements not shown."""

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from test_ui_present_support import CHALLENGE, DOMAIN, holder_vault, window  # noqa: F401
from ui.credentials.presentation import FORMAT_WORDS
from ui.verify import VerifyPage
from ui.verify.verdict import NESTED_NOTE
from vault.credentials import data_integrity
from vault.credentials.service import CredentialService
from vault.presentations.service import PresentationService
from vp_fixtures import ISSUER, ISSUER_KEY, ISSUER_METHOD, di_credential

CLR = Path(__file__).resolve().parents[1] / "fixtures" / "credentials" / "clr20"
COURSES = ("Welding I", "Forklift Safety", "First Aid")
PAYLOAD = "<b>X</b><img src=x>\u202e"


def transcript(holder: str, name: str = "Riverside Transcript", courses=COURSES) -> dict:
    """1EdTech's CLR 2.0 example, issued by the test issuer to ``holder``: each course an
    OpenBadgeCredential of its own (signed by its issuer), the whole signed again."""
    document = json.loads((CLR / "simple.json").read_bytes())
    document.pop("proof")
    document["issuer"] = {"id": ISSUER, "type": ["Profile"], "name": "Test College"}
    document["name"] = name
    subject = document["credentialSubject"]
    subject["id"] = holder
    subject["verifiableCredential"] = [json.loads(di_credential(holder, name=course)) for course in courses]
    return data_integrity.sign(document, ISSUER_KEY, ISSUER_METHOD, created="2025-01-01T00:00:00Z")


def settle(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.working and not page.model.busy and page.model.last_result is not None,
                    timeout=20_000)
    qtbot.waitUntil(lambda: all(page.model.cached(k) is not None for k in page.model.keys), timeout=10_000)


def facts(detail) -> dict[str, str]:
    rows = {}
    for row in range(detail.facts.rowCount()):
        label = detail.facts.itemAt(row, detail.facts.ItemRole.LabelRole).widget()
        field = detail.facts.itemAt(row, detail.facts.ItemRole.FieldRole).widget()
        rows[label.text()] = field.text()
    return rows


def test_cards_and_detail_name_the_transcript(qtbot, window, holder_vault, tmp_path):
    (tmp_path / "riverside.json").write_text(json.dumps(transcript(holder_vault["holder"])))
    window.workspace.show_page("Credentials")
    page = window.workspace.credentials_page
    settle(qtbot, page)
    page.import_paths([str(CLR / "simple.json"), str(tmp_path / "riverside.json")])
    settle(qtbot, page)
    cards = {}
    for row in range(page.proxy.rowCount()):
        index = page.proxy.index(row, 0)
        qtbot.waitUntil(lambda: page.proxy.card(index) is not None)
        cards[page.proxy.card(index).title] = (page.proxy.card(index), index)
    # 1EdTech's own example: not "Achievement 1", the first achievement its subject lists.
    assert {"Sample Transcript", "Riverside Transcript"} <= set(cards) and "Achievement 1" not in cards
    sample, index = cards["Sample Transcript"]
    assert sample.chip.text == "Not verified"          # an https key: never fetched offline
    assert index.data(Qt.AccessibleTextRole).startswith("Sample Transcript, ")
    riverside, index = cards["Riverside Transcript"]
    assert riverside.chip.text == "Valid" and riverside.initials == "RT"
    page.view.viewport().grab()                        # every card paints

    page.view.setFocus()
    page.view.setCurrentIndex(index)
    qtbot.keyClick(page.view, Qt.Key_Return)
    detail = page.detail
    qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.summary.title == "Riverside Transcript")
    assert detail.title.text() == "Riverside Transcript"
    assert detail.kind.text() == f"Transcript · 3 achievements · {FORMAT_WORDS['di-vc']}"
    shown = facts(detail)
    assert shown["Achievements"] == "\n".join(COURSES)
    assert "Criteria" not in shown                     # nothing borrowed from the subject's achievement list


@pytest.fixture
def verify_page(qtbot, window, ui_helpers) -> VerifyPage:
    window.workspace.show_page("Verify")
    page = window.workspace.pages.currentWidget()
    assert isinstance(page, VerifyPage)
    ui_helpers.type_text(qtbot, page.domain, DOMAIN)
    ui_helpers.type_text(qtbot, page.challenge, CHALLENGE)
    return page


def verify(qtbot, window, page, holder: str, document: dict, tmp_path, tamper=None):
    """The holder presents ``document`` (from the same vault); the employer verifies it."""
    identity = window.identity
    credentials = CredentialService(identity.store)
    cid = credentials.import_bytes(json.dumps(document).encode()).summary.id
    presentation = PresentationService(identity, credentials).present([cid], None, CHALLENGE, DOMAIN)
    payload = presentation.payload
    if tamper:
        payload = tamper(payload)
    (tmp_path / "vp.json").write_text(payload)
    page.verify_paths([str(tmp_path / "vp.json")])
    qtbot.waitUntil(lambda: not page.working and not page.verdict_view.isHidden(), timeout=30_000)
    return page.verdict_view


def test_the_verify_page_titles_a_transcript_and_lists_its_achievements(qtbot, window, verify_page,
                                                                         holder_vault, tmp_path):
    view = verify(qtbot, window, verify_page, holder_vault["holder"], transcript(holder_vault["holder"]),
                  tmp_path)
    assert view.title.text() == "Valid presentation", view.plain_text()
    assert [c.title for c in verify_page.verdict.credentials] == ["Riverside Transcript"]
    lines = view.details.toPlainText().splitlines()
    assert lines[1] == "✓ Riverside Transcript"
    at = lines.index("Transcript · 3 achievements")
    assert lines[at + 1:at + 4] == list(COURSES) and NESTED_NOTE in lines
    # The nested credentials are listed by title, not flattened into "What it proves".
    assert not any(line.startswith("verifiableCredential[") for line in lines)


def test_hostile_achievement_names_are_shown_as_text(qtbot, window, verify_page, holder_vault, tmp_path):
    document = transcript(holder_vault["holder"], courses=(PAYLOAD + "Welding",))
    view = verify(qtbot, window, verify_page, holder_vault["holder"], document, tmp_path)
    assert view.title.text() == "Valid presentation"
    text = view.details.toPlainText()
    assert "<b>X</b><img src=x>⟨U+202E⟩Welding" in text and "\u202e" not in text
    assert "<img" not in view.details.toHtml().replace("&lt;img", "")    # nothing of it became markup


def test_a_renamed_achievement_is_not_listed(qtbot, window, verify_page, holder_vault, tmp_path):
    """A hostile holder renames an achievement inside their transcript and signs the
    presentation again with their own key: the transcript's signature fails, so it is
    listed as not valid and none of its achievements is shown as proven."""
    holder = holder_vault["holder"]

    def rename(payload: str) -> str:
        vp = json.loads(payload)
        vp["verifiableCredential"][0]["credentialSubject"]["verifiableCredential"][0]["name"] = "Brain Surgery"
        proof = vp.pop("proof")
        signed = data_integrity.sign(vp, window.identity.signing_key(holder), proof["verificationMethod"],
                                     cryptosuite=proof["cryptosuite"], purpose=proof["proofPurpose"],
                                     challenge=CHALLENGE, domain=DOMAIN)
        return json.dumps(signed)
    view = verify(qtbot, window, verify_page, holder, transcript(holder), tmp_path, tamper=rename)
    assert view.title.text() == "Not valid"
    [result] = verify_page.verdict.credentials
    assert not result.valid and result.reason.value == "bad-signature"
    text = view.details.toPlainText()
    assert "✗ " in text and "Transcript · " not in text
    assert all(course not in text for course in COURSES) and "Brain Surgery" not in text
