"""The vault's own pages: start, create, recovery phrase, identity, credentials, present,
verify, settings, unlock and restore (the chain pages: tools/screenshots/chain.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .common import PASSPHRASE, SIZE, shoot, wait_until
from .dialogs import shoot_dialogs
from .samples import SampleIssuer, svg_badge


def run(out: Path) -> list[Path]:
    from ui.app import create_application

    from .chain import shoot_chain
    from .issue import shoot_issue
    from .rewards import shoot_rewards

    create_application()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="btv-shots-") as tmp:
        written += shoot_new_user(Path(tmp), out)
        written += shoot_returning_user(Path(tmp), out)
        written += shoot_restore(Path(tmp), out)
        written += shoot_issue(Path(tmp), out)             # the Issue page and its log
        written += shoot_chain(Path(tmp) / "chain", out)   # Wallet, Staking, Governance, Marketplace
        written += shoot_rewards(Path(tmp) / "chain", out)   # Rewards, Reputation
    return written


def _window(data_dir: Path):
    from ui.config import AppConfig
    from ui.main_window import MainWindow

    window = MainWindow(AppConfig(data_dir, kdf_target=0))
    window.resize(*SIZE)
    window.show()
    return window


def shoot_new_user(tmp: Path, out: Path) -> list[Path]:
    """A new user: start screen, create, recovery phrase, confirmation, identity, and then
    the pages of a vault in use."""
    from ui.main_window import Workspace

    written: list[Path] = []
    window = _window(tmp / "new")
    written.append(shoot(window, out / "start.png"))

    window.page.create_button.click()
    step = window.page.passphrase_step
    step.form.passphrase.setText(PASSPHRASE)
    step.form.confirm.setText(PASSPHRASE)
    step.form.passphrase.setFocus()
    written.append(shoot(window, out / "create.png"))

    flow = window.page
    step.create_button.click()
    wait_until(lambda: flow.phrase_step is not None)
    written.append(shoot(window, out / "recovery-phrase.png"))

    words = flow.phrase_step.grid.words
    flow.phrase_step.written.setChecked(True)
    flow.phrase_step.continue_button.click()
    confirm = flow.confirm_step
    for word in words[:5]:
        next(b for b in confirm.word_buttons if b.isEnabled() and b.text() == word).click()
    written.append(shoot(window, out / "confirm-phrase.png"))
    for word in words[5:]:
        next(b for b in confirm.word_buttons if b.isEnabled() and b.text() == word).click()
    confirm.done_button.click()
    wait_until(lambda: isinstance(window.page, Workspace))

    identity = window.identity
    identity.rename_did(identity.default_did().did, "Personal")
    identity.create_did("jwk", "Job applications")
    page = window.workspace.identity_page
    page.refresh()
    page.select_did(identity.dids()[0].did)
    window.workspace.show_page("Identity")
    written.append(shoot(window, out / "identity.png"))
    window.workspace.show_page("Present")      # nothing to present yet: the sample offer
    wait_until(lambda: window.workspace.present_page.sample_offer.isVisible())
    written.append(shoot(window, out / "present-empty.png"))
    written += shoot_credentials(window, tmp / "samples", out)
    written += shoot_present_verify(window, tmp / "present", out)
    written += shoot_dialogs(window, out)   # Receive from an offer, Answer a request, OpenID4VP
    written.append(shoot_settings(window, out))
    window.close()
    return written


def shoot_returning_user(tmp: Path, out: Path) -> list[Path]:
    """A returning user: the unlock screen, after a wrong try."""
    window = _window(tmp / "new")
    unlock = window.page
    unlock.passphrase.setText("correct horse battery stapler")
    unlock.submit()
    wait_until(lambda: not unlock.busy.running)
    written = [shoot(window, out / "unlock.png")]
    window.close()
    return written


def shoot_restore(tmp: Path, out: Path) -> list[Path]:
    """Restore from the phrase, and that vault's first presentation: the sample, ticked,
    marked as a sample."""
    from ui.main_window import Workspace

    window = _window(tmp / "restored")
    window.page.restore_phrase_button.click()
    restore = window.page
    restore.phrase.setPlainText("test test test test test test test test test test test junk")
    restore.form.passphrase.setText(PASSPHRASE)
    restore.form.confirm.setText(PASSPHRASE)
    restore.restore_button.setFocus()
    written = [shoot(window, out / "restore.png")]
    restore.restore_button.click()
    wait_until(lambda: isinstance(window.page, Workspace), 30)
    present = window.workspace.present_page
    window.workspace.show_page("Present")
    wait_until(lambda: present.sample_offer.isVisible())
    present.sample_offer.button.click()
    wait_until(lambda: present.preview is not None and not present.sample_offer.isVisible())
    present.list.setFocus()
    window.statusBar().clearMessage()
    written.append(shoot(window, out / "present-sample.png"))
    window.close()
    return written


def shoot_credentials(window, folder: Path, out: Path) -> list[Path]:
    """The Credentials page with six credentials of every verdict, and one opened."""
    page = window.workspace.credentials_page
    service = page.service
    riverside = SampleIssuer(7, "Riverside Community College")
    northside = SampleIssuer(9, "Northside Trade School")
    lakeside = SampleIssuer(11, "Lakeside Code Academy")
    unknown_key = SampleIssuer(13, "Harbor University", did="did:web:harbor.example")
    status_url = "https://northside.example/status/1"
    service.trust.add(riverside.did, riverside.name)
    service.cache.put_status_list(status_url, northside.status_list(status_url, {3}))
    samples = {   # imported in this order: the last is on top ("Newest first")
        "leadership.json": riverside.badge("Team Leadership", "Leading small project teams.",
                                           image=svg_badge("#1a7f37", "TL"), valid_from="2025-06-02T00:00:00Z"),
        "forklift.json": northside.badge("Forklift Operator", "Safe operation of counterbalance forklifts.",
                                         image=svg_badge("#c0561b", "FO"), valid_from="2025-02-03T00:00:00Z",
                                         status_url=status_url, status_index=3),
        "welding.json": northside.badge("Welding Safety Level 1", "Workshop safety for MIG and TIG welding.",
                                        valid_from="2023-01-10T00:00:00Z", validUntil="2024-06-30T00:00:00Z"),
        "degree.json": unknown_key.badge("Bachelor of Marine Biology", "Four-year degree.",
                                         valid_from="2024-06-14T00:00:00Z"),
        "web.json": lakeside.badge("Web Accessibility Basics", "WCAG 2.2 principles in practice.",
                                   image=svg_badge("#6f42c1", "WA"), valid_from="2025-05-20T00:00:00Z"),
        "python.json": riverside.badge("Data Analysis with Python",
                                       "Cleaning, exploring and visualising data with pandas and matplotlib.",
                                       image=svg_badge("#2f5bd3", "PY"), valid_from="2025-09-20T00:00:00Z",
                                       validUntil="2029-09-20T00:00:00Z"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in samples.items():
        (folder / name).write_bytes(data)
        paths.append(str(folder / name))
    window.workspace.show_page("Credentials")
    page.import_paths(paths)
    wait_until(lambda: not page.working and not page.model.busy and page.model.rowCount() == len(samples))

    def images_known() -> bool:
        rows = range(min(page.model.rowCount(), 5))
        cards = [page.proxy.card(page.proxy.index(r, 0)) for r in rows]
        return all(card is not None and card.image_state for card in cards)
    wait_until(images_known)
    page.notice.clear()
    page.view.setCurrentIndex(page.proxy.index(0, 0))
    written = [shoot(window, out / "credentials.png")]

    page.open_index(page.proxy.index(0, 0))
    wait_until(lambda: page.detail.detail is not None)
    page.detail.tags.setText("data, job applications")
    page.detail.note.setPlainText("Shown to Acme for the analyst role.")
    page.detail.save_button.click()
    wait_until(lambda: page.detail.message.kind == "success")
    page.detail.message.clear()
    written.append(shoot(window, out / "credential-detail.png"))
    page.show_list()
    return written


def shoot_present_verify(window, folder: Path, out: Path) -> list[Path]:
    """Present: an SD-JWT credential revealing three of its claims, its QR on screen beside
    what it discloses. Verify: a presentation of two credentials, checked: valid."""
    import json

    from PySide6.QtCore import Qt

    from vault.credentials import sd_jwt_vc
    from vault.presentations.request import PresentationRequest
    from vault.qr import render
    from vault.qr.parts import encode_parts

    from ui.present import PresentPage
    from ui.verify import VerifyPage

    workspace = window.workspace
    pages = [workspace.pages.widget(i) for i in range(workspace.pages.count())]
    present = next(p for p in pages if isinstance(p, PresentPage))
    verify = next(p for p in pages if isinstance(p, VerifyPage))
    service = present.credentials
    identity = window.identity
    holder = identity.default_did().did
    riverside = SampleIssuer(7, "Riverside Community College")    # trusted by shoot_credentials
    badge = riverside.badge("Data Analysis with Python", "Cleaning, exploring and visualising data.",
                            image=svg_badge("#2f5bd3", "PY"), valid_from="2025-09-20T00:00:00Z")
    document = json.loads(badge)
    document.pop("proof")
    document["credentialSubject"]["id"] = holder
    badge_id = service.import_bytes(riverside.sign(document)).summary.id
    claims = {"vct": "urn:example:vct:course-completion:1", "issuer_name": riverside.name,
              "given_name": "Jordan", "family_name": "Rivera", "email": "jordan.rivera@example.com",
              "birthdate": "1999-04-12", "sub": holder, "grade": "A",
              "achievement": {"name": "SQL for Analysts", "description": "40 hours: joins, window functions, "
                                                                        "query plans."}}
    token = sd_jwt_vc.issue_sd_jwt_vc(claims, riverside.key, kid=riverside.method,
                                      disclosable=("given_name", "family_name", "email", "birthdate", "grade"),
                                      holder_public_key=identity.signing_key(holder).public_key())
    sd_id = service.import_bytes(token.encode()).summary.id

    # The employer's request, handed to the job seeker as a QR image.
    verify.domain.setText("hr.acme.example")
    request = PresentationRequest(verify.challenge.text(), verify.domain.text())
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "request.png").write_bytes(render.png(request.qr_texts()[0]))

    workspace.show_page("Present")
    wait_until(lambda: not present.model.busy and present.model.key_of_id(sd_id) is not None)
    wait_until(lambda: present.choose(sd_id))
    wait_until(lambda: present.claims.isVisible())
    for label in ("given_name", "family_name", "grade"):
        present.claims.claim_item(sd_id, label).setCheckState(0, Qt.Checked)
    present.load_request_file(str(folder / "request.png"))
    wait_until(lambda: present.request_message.kind == "success")
    wait_until(lambda: present.show_button.isEnabled())
    present.show_qr()
    wait_until(lambda: present.qr.complete and present.show_seconds is not None)
    written = [shoot(window, out / "present.png")]
    present.back_to_choose()

    # The employer checks a presentation of both credentials, from a screenshot of the code.
    presentation = present.service.present([badge_id, sd_id], {sd_id: ["given_name", "family_name"]},
                                           request.challenge, request.domain)
    texts = encode_parts(presentation.data, kind=presentation.kind)
    paths = []
    for n, text in enumerate(texts, 1):
        paths.append(folder / f"part-{n}.png")
        paths[-1].write_bytes(render.png(text))
    workspace.show_page("Verify")
    verify.verify_paths([str(p) for p in paths])
    wait_until(lambda: verify.verdict is not None and not verify.working)
    verify.verdict_view.details.setFocus()
    written.append(shoot(window, out / "verify.png"))
    return written


def shoot_settings(window, out: Path) -> Path:
    """Settings, with the issuer trusted while the credentials were shot."""
    page = window.workspace.settings_page
    page.loaded = False
    page.reload()
    wait_until(lambda: page.loaded)
    window.workspace.show_page("Settings")
    window.statusBar().clearMessage()
    return shoot(window, out / "settings.png")
