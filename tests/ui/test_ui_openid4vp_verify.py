"""Verify → "Ask with OpenID4VP…" through the real widgets: the request's QR code is made,
another wallet (the oid4vc-ts client with an SD-JWT VC, tests/node/oid4vp_wallet.mjs)
answers to the loopback receiver or shows its answer to paste, and the verdict is shown."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "protocols"))
from peer import NODE_DIR, require_peer  # noqa: E402

from ui.verify.openid4vp_dialog import OpenId4vpDialog  # noqa: E402


def wallet(link: str, submit: bool) -> dict:
    require_peer()
    done = subprocess.run(["node", str(NODE_DIR / "oid4vp_wallet.mjs")], cwd=NODE_DIR, capture_output=True,
                          text=True, timeout=120, input=json.dumps({"request": link, "submit": submit}))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def dialog(qtbot, existing_vault, config, make_window, ui_helpers):
    window = make_window(config)
    ui_helpers.unlock_through_ui(qtbot, window)
    window.workspace.show_page("Verify")
    page = window.workspace.pages.currentWidget()
    ui_helpers.click(qtbot, page.openid4vp_button)
    assert isinstance(page.dialog, OpenId4vpDialog)
    return page.dialog


def test_a_wallet_on_this_computer_answers_and_the_verdict_shows(qtbot, dialog, ui_helpers):
    ui_helpers.click(qtbot, dialog.make_button)
    qtbot.waitUntil(lambda: dialog.session is not None, timeout=10_000)
    assert dialog.link.text().startswith("openid4vp://") and dialog.copy_button.isEnabled()
    assert wallet(dialog.session.link(), submit=True)["status"] == 200
    qtbot.waitUntil(lambda: dialog.verdict is not None, timeout=30_000)
    assert dialog.verdict.valid and dialog.result.text().startswith("VALID")
    assert "given_name = Grace" in dialog.result.text() and "Hopper" not in dialog.result.text()


def test_a_pasted_answer_is_verified_and_a_replay_refused(qtbot, dialog, ui_helpers):
    ui_helpers.click(qtbot, dialog.make_button)
    qtbot.waitUntil(lambda: dialog.session is not None, timeout=10_000)
    form = wallet(dialog.session.link(), submit=False)["form"]
    dialog.pasted.setPlainText(json.dumps(form))
    ui_helpers.click(qtbot, dialog.verify_button)
    qtbot.waitUntil(lambda: dialog.verdict is not None, timeout=30_000)
    assert dialog.verdict.valid
    first = dialog.session
    ui_helpers.click(qtbot, dialog.make_button)               # a new request: the old answer is a replay
    qtbot.waitUntil(lambda: dialog.session is not first, timeout=10_000)
    dialog.verdict = None
    ui_helpers.click(qtbot, dialog.verify_button)
    qtbot.waitUntil(lambda: dialog.verdict is not None, timeout=30_000)
    assert not dialog.verdict.valid and "state differs" in dialog.result.text()


def test_each_request_gets_its_own_receiver(qtbot, dialog, ui_helpers):
    for _ in range(2):
        dialog.verdict = None
        previous = dialog.session
        ui_helpers.click(qtbot, dialog.make_button)
        qtbot.waitUntil(lambda: dialog.session is not None and dialog.session is not previous, timeout=10_000)
        assert wallet(dialog.session.link(), submit=True)["status"] == 200
        qtbot.waitUntil(lambda: dialog.verdict is not None, timeout=30_000)
        assert dialog.verdict.valid
