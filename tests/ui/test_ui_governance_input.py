"""Hostile signed votes in the Relay dialog: parsed on the chain thread (a worker), where
"[[[[…" used to overflow the C stack and kill the app. Each is a clear error in the dialog,
nothing can be relayed, and the dialog stays usable."""

import json

from PySide6.QtWidgets import QFileDialog

from tests.chain.conftest import USER_ADDRESS
from vault.chain.governance import sign_vote

DEEP = "[" * 100_000 + "]" * 100_000
KEY = bytes.fromhex("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")


def test_hostile_votes_are_clear_errors_in_the_relay_dialog(chain_window, qtbot, ui_helpers, tmp_path,
                                                            monkeypatch):
    session = chain_window.chain_session
    chain_window.nav.setCurrentRow(chain_window.TITLES.index("Governance"))
    page = chain_window.governance_page
    qtbot.waitUntil(lambda: page.overview is not None, timeout=20_000)
    ui_helpers.click(qtbot, page.relay_button)
    relay = page.dialog
    vote = sign_vote(KEY, chain_id=session.chain.chain_id, governor=USER_ADDRESS, proposal_id=12, support="for",
                     nonce=0)
    huge = json.dumps(vote).replace('"nonce": 0', '"nonce": 1' + "0" * 5000)
    pasted = [
        ('{"type": "blocktrack-signed-vote", "reason": ' + DEEP + "}", "nested more than 256 levels"),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, "nested more than 256 levels"),
        (huge, "a number of 5001 digits"),
        (json.dumps(dict(vote, support="1")), "'support' must be 0, 1 or 2"),
        (json.dumps(dict(vote, proposal_id=[12])), "'proposal_id' must be a whole number"),
    ]
    for text, message in pasted:
        relay.paste.setPlainText(text)   # pasted: typing 200,000 brackets is not a thing people do
        ui_helpers.click(qtbot, relay.check_button)
        qtbot.waitUntil(lambda: relay.error.kind == "error" and message in relay.error.text(), timeout=10_000)
        assert not relay.relay_button.isEnabled() and relay.vote is None

    deep_file = tmp_path / "vote.json"
    deep_file.write_text('{"type": "blocktrack-signed-vote", "voter": ' + DEEP + "}")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(deep_file), ""))
    relay.error.clear()
    ui_helpers.click(qtbot, relay.open_button)
    qtbot.waitUntil(lambda: "nested more than 256 levels" in relay.error.text(), timeout=10_000)
    assert relay.error.kind == "error" and not relay.relay_button.isEnabled()

    # still alive and working: a well-formed vote is read, then refused for what it is
    relay.paste.setPlainText(json.dumps(vote))
    ui_helpers.click(qtbot, relay.check_button)
    qtbot.waitUntil(lambda: relay.details.isVisible(), timeout=10_000)
    assert f"Signed by {vote['voter']}" in relay.details.text() and "Vote: FOR" in relay.details.text()
    assert "signed for the governor at" in relay.error.text() and not relay.relay_button.isEnabled()
