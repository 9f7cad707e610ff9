"""The Governance page through its real widgets on the embedded chain: activate votes →
propose a grant → vote → queue → execute with the grant arriving; voting twice and
executing early say why; a vote signed offline travels as a QR image and is relayed."""

import json
import re

from PySide6.QtWidgets import QFileDialog, QLabel

from tests.chain.conftest import USER_ADDRESS
from vault.chain.governance import Governance, load_vote, with_gas_margin

BTK = 10**18
ALICE = "0x00000000000000000000000000000000000A11cE"


def open_page(workspace, qtbot):
    workspace.nav.setCurrentRow(workspace.TITLES.index("Governance"))
    page = workspace.governance_page
    qtbot.waitUntil(lambda: page.overview is not None, timeout=20_000)
    return page


def confirm(page, qtbot, ui_helpers, flow=None):
    """Confirm the write the page just started; returns its records."""
    flow = flow or page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage == "confirm", timeout=20_000)
    with qtbot.waitSignal(flow.succeeded, timeout=30_000) as done:
        ui_helpers.click(qtbot, flow.dialog.confirm_button)
    flow.dialog.accept()
    return done.args[0]


def refreshed(page, qtbot, condition, timeout=20_000):
    qtbot.waitUntil(lambda: page.overview is not None and condition(), timeout=timeout)


def dialog_texts(dialog):
    return " ".join(label.text() for label in dialog.findChildren(QLabel))


def test_delegate_propose_vote_queue_execute_and_the_grant_arrives(chain_window, qtbot, ui_helpers):
    session = chain_window.chain_session
    page = open_page(chain_window, qtbot)

    # Tokens but no votes: the banner says so and activates them in one click.
    assert page.delegate_banner.isVisible()
    assert "5,000,000 BTK don't count as votes until you delegate them" in page.delegate_text.text()
    assert page.power_value.text() == "0 votes" and page.empty.isVisible()
    ui_helpers.click(qtbot, page.delegate_button)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: not page.delegate_banner.isVisible())
    assert page.power_value.text() == "5,000,000 votes"
    assert not page.propose_hint.isVisible()

    # A treasury grant from the template; bad input is refused in the dialog, typed text kept.
    ui_helpers.click(qtbot, page.new_button)
    dialog = page.dialog
    qtbot.waitUntil(lambda: dialog.limits is not None)
    ui_helpers.type_text(qtbot, dialog.recipient, ALICE.replace("A11cE", "a11cE"))   # checksum typo
    ui_helpers.type_text(qtbot, dialog.grant_amount, "1000")
    ui_helpers.type_text(qtbot, dialog.title, "Scholarship for Alice")
    ui_helpers.click(qtbot, dialog.continue_button)
    qtbot.waitUntil(lambda: dialog.error.kind == "error")
    assert "typo" in dialog.error.text() and "checksum" in dialog.error.text() and dialog.isVisible()
    ui_helpers.type_text(qtbot, dialog.recipient, ALICE)
    ui_helpers.type_text(qtbot, dialog.grant_amount, "60,000,000")                 # more than the treasury
    ui_helpers.click(qtbot, dialog.continue_button)
    qtbot.waitUntil(lambda: "could not be paid" in dialog.error.text())
    assert "50,000,000 BTK" in dialog.error.text() and dialog.title.text() == "Scholarship for Alice"
    ui_helpers.type_text(qtbot, dialog.grant_amount, "1000")
    before = page.write_flow
    ui_helpers.click(qtbot, dialog.continue_button)
    qtbot.waitUntil(lambda: page.write_flow is not before, timeout=20_000)
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage == "confirm", timeout=20_000)
    assert f"Grant 1,000 BTK from the treasury to {ALICE}" in dialog_texts(flow.dialog)
    confirm(page, qtbot, ui_helpers, flow)
    refreshed(page, qtbot, lambda: page.model.rowCount() == 1 and page.panel.isVisible())
    panel = page.panel
    assert panel.title.text() == "Scholarship for Alice"
    assert panel.actions.text() == f"• Grant 1,000 BTK from the treasury to {ALICE}"
    assert panel.badge.text().startswith("Pending") and not panel.for_button.isEnabled()
    assert not panel.queue_button.isEnabled() and not panel.execute_button.isEnabled()

    # Let the voting delay pass (the control is set to the blocks left), then vote For.
    assert page.advance.isVisible() and page.advance.blocks.value() == 2
    ui_helpers.click(qtbot, page.advance.mine_button)
    refreshed(page, qtbot, lambda: panel.for_button.isEnabled())
    assert panel.badge.text() == "Voting open" and re.match(r"Voting ends in \d+ blocks", panel.next_label.text())
    assert "Your votes on it: 5,000,000 votes" in panel.my_vote.text()
    ui_helpers.type_text(qtbot, panel.reason, "Pays her course")
    ui_helpers.click(qtbot, panel.for_button)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: panel.view.voted)
    assert panel.my_vote.text() == ("You voted For with 5,000,000 votes: “Pays her course”. "
                                    "A vote cannot be changed.")
    assert not any(b.isEnabled() for b in (panel.for_button, panel.against_button, panel.abstain_button))
    assert panel.tallies["for"].amount.text() == "5,000,000 votes (100 %)"
    assert "Quorum reached" in panel.quorum.text()

    # Voting twice (a page that has not caught up yet): refused before signing, with why.
    page.vote("against")
    flow = page.write_flow
    with qtbot.waitSignal(flow.failed, timeout=20_000) as failed:
        pass
    assert failed.args[0].reason == "already-voted"
    assert "already voted" in flow.dialog.result.text() and "cannot be changed" in flow.dialog.result.text()
    assert "Nothing was signed or sent." in flow.dialog.result_details.text()
    flow.dialog.accept()
    p = page.overview["proposals"][0]
    assert p["votes"] == {"for": "5000000", "against": "0", "abstain": "0"}   # the first vote stands

    # The voting period ends: queue is possible, execute not yet.
    blocks = page.advance.blocks.value()
    assert blocks == p["time_left"]["blocks"]
    ui_helpers.click(qtbot, page.advance.mine_button)
    refreshed(page, qtbot, lambda: panel.queue_button.isEnabled())
    assert panel.badge.text() == "Succeeded – awaiting queue" and not panel.execute_button.isEnabled()
    ui_helpers.click(qtbot, panel.queue_button)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: panel.view.state == "queued")
    assert not panel.queue_button.isEnabled() and not panel.execute_button.isEnabled()
    assert re.fullmatch(r"Executable in (\d+ s|1 min) \(at \d\d:\d\d\)\. \(On this embedded chain: Skip a day, "
                        r"below\.\)", panel.next_label.text()), panel.next_label.text()
    assert panel.badge.text().startswith("Queued – executable at ")
    pid = int(panel.view.id)

    # Executing early, forced through the core: its check says why; forced past the core,
    # the contract's revert is decoded.
    page.write("Execute", lambda s: Governance(s.chain).execute_request(s, USER_ADDRESS, pid))
    flow = page.write_flow
    with qtbot.waitSignal(flow.failed, timeout=20_000) as failed:
        pass
    assert failed.args[0].reason == "too-early" and "timelock delay is not over" in flow.dialog.result.text()
    flow.dialog.accept()
    page.write("Execute", lambda s: s.contract_call("gov-execute", s.chain.contracts.governor, "execute",
                                                    Governance(s.chain)._operation(pid), USER_ADDRESS))
    flow = page.write_flow
    with qtbot.waitSignal(flow.failed, timeout=20_000) as failed:
        pass
    assert "timelock operation is not Ready yet" in flow.dialog.result.text(), flow.dialog.result.text()
    flow.dialog.accept()
    assert session.chain.btk_balance(ALICE) == 0

    # A day later the timelock lets anyone execute it; the grant arrives.
    ui_helpers.click(qtbot, page.advance.day_button)
    refreshed(page, qtbot, lambda: panel.execute_button.isEnabled())
    assert panel.badge.text() == "Queued – executable now"
    ui_helpers.click(qtbot, panel.execute_button)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: panel.view.state == "executed")
    assert session.chain.btk_balance(ALICE) == 1_000 * BTK
    assert panel.badge.text() == "Executed" and not panel.execute_button.isVisible()
    assert page.model.data(page.model.index(0, 1)) == "Executed"


def test_a_vote_signed_offline_is_saved_as_a_qr_image_and_relayed(chain_window, qtbot, ui_helpers, tmp_path,
                                                                   monkeypatch):
    session = chain_window.chain_session

    def setup(s):
        gov = Governance(s.chain)
        s.send(s.preview(with_gas_margin(s.chain, gov.delegate_request(s, USER_ADDRESS, USER_ADDRESS))))
        s.send(s.preview(gov.propose_request(s, USER_ADDRESS, [gov.call_market_fee(200)], "Lower the fee")))

    job = session.run_service(setup)
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    page = open_page(chain_window, qtbot)
    refreshed(page, qtbot, lambda: page.model.rowCount() == 1)
    panel = page.panel
    assert panel.sign_button.isEnabled() and not panel.for_button.isEnabled()   # pending: sign ahead

    ui_helpers.click(qtbot, panel.sign_button)
    dialog = page.dialog
    ui_helpers.click(qtbot, dialog.sign_button)
    assert dialog.error.text() == "Choose For, Against or Abstain first."
    ui_helpers.click(qtbot, dialog.support_buttons["against"])
    ui_helpers.type_text(qtbot, dialog.reason, "Keep the treasury's share")
    ui_helpers.click(qtbot, dialog.sign_button)
    qtbot.waitUntil(lambda: dialog.qr.count == 1 and dialog.save_qr_button.isVisible(), timeout=10_000)
    assert "votes AGAINST" in dialog.summary.text()
    file, image = tmp_path / "vote.json", tmp_path / "vote.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(file), ""))
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        ui_helpers.click(qtbot, dialog.save_button)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(image), ""))
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        ui_helpers.click(qtbot, dialog.save_qr_button)
    vote = load_vote(file.read_bytes())
    assert vote["voter"] == USER_ADDRESS and vote["support_name"] == "against"
    assert vote["reason"] == "Keep the treasury's share" and image.stat().st_size > 0
    ui_helpers.click(qtbot, dialog.close_button)

    # Voting opens; anyone relays the vote from the QR image (a pasted junk text first).
    page.advance.blocks.setValue(2)
    ui_helpers.click(qtbot, page.advance.mine_button)
    refreshed(page, qtbot, lambda: panel.for_button.isEnabled())
    ui_helpers.click(qtbot, page.relay_button)
    relay = page.dialog
    ui_helpers.type_text(qtbot, relay.paste, json.dumps(dict(vote, support=1)))   # tampered: For
    ui_helpers.click(qtbot, relay.check_button)
    qtbot.waitUntil(lambda: relay.error.kind == "error")
    assert "signature is not" in relay.error.text() and not relay.relay_button.isEnabled()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(image), ""))
    ui_helpers.click(qtbot, relay.open_button)
    qtbot.waitUntil(lambda: relay.relay_button.isEnabled(), timeout=10_000)
    assert f"Signed by {USER_ADDRESS}" in relay.details.text() and "Vote: AGAINST" in relay.details.text()
    assert "“Lower the fee”" in relay.details.text()
    ui_helpers.click(qtbot, relay.relay_button)
    confirm(page, qtbot, ui_helpers)
    refreshed(page, qtbot, lambda: panel.view.voted)
    assert panel.my_vote.text().startswith("You voted Against with 5,000,000 votes: “Keep the treasury's share”")
    assert panel.tallies["against"].amount.text() == "5,000,000 votes (100 %)"


def _proposal(state, **extra):
    data = {"proposal_id": "1234567890123456789", "state": state, "title": "Grant", "description": "Grant",
            "proposer": USER_ADDRESS, "snapshot": 10, "deadline": 60, "quorum_reached": True, "eta": None,
            "eta_in_seconds": None, "time_left": None, "my_vote": {"voted": False}}
    return data | extra


def test_countdowns_tick_but_only_the_chain_enables_execute(monkeypatch):
    from datetime import datetime

    from ui.chain.governance import models as gp

    assert [gp.duration(s) for s in (5, 250, 600, 7140, 2 * 86400 + 3600)] == \
        ["5 s", "4 min 10 s", "10 min", "1 h 59 min", "2 d 1 h"]
    now = datetime(2026, 3, 10, 14, 0)
    assert gp.clock_in(3840, now) == "15:04" and gp.clock_in(86400, now) == "Wed 11 Mar 14:00"

    clock = [1000.0]
    monkeypatch.setattr(gp.time, "monotonic", lambda: clock[0])
    view = gp.ProposalView(_proposal("queued", eta_in_seconds=90, time_left={"until": "executable"}),
                           embedded=True, read_at=1000.0)
    assert view.next_step() == "Executable in 1 min 30 s" and not view.can_execute
    assert view.countdown().startswith("Executable in 1 min 30 s (at ")
    clock[0] += 60
    assert view.next_step() == "Executable in 30 s"
    clock[0] += 31   # the delay is over by the clock, but the chain has not said so yet
    assert view.remaining == 0 and not view.can_execute
    assert view.next_step() == "Executable from the next block"
    assert "mine 1 block below" in view.countdown()
    ready = gp.ProposalView(_proposal("queued", eta_in_seconds=0), embedded=False, read_at=clock[0])
    assert ready.can_execute and ready.badge() == "Queued – executable now"

    active = gp.ProposalView(_proposal("active", time_left={"until": "voting ends", "blocks": 12,
                                                             "seconds_estimate": 144}),
                             embedded=False, read_at=clock[0])
    assert active.can_vote and active.next_step() == "Voting ends in 12 blocks"
    assert active.countdown().startswith("Voting ends in 12 blocks (about 2 min 24 s, around ")
    defeated = gp.ProposalView(_proposal("defeated", quorum_reached=False), embedded=True, read_at=0)
    assert defeated.badge() == "Defeated" and "quorum was not reached" in defeated.countdown()


def test_the_voting_blocks_read_the_same_in_the_panel_the_countdown_and_the_cli(run, qtbot, embedded_template):
    """One block range everywhere, taken from the governor's own snapshot and deadline:
    the panel's line, the countdown (pending and active) and `vault gov show`."""
    import time

    from tests.chain.conftest import USER_PHRASE, copy_embedded
    from ui.chain.governance import panel as gp

    copy_embedded(embedded_template, run.data)
    phrase = run.tmp / "phrase"
    phrase.write_text(USER_PHRASE)
    assert run("restore", "--recovery-phrase-file", str(phrase), "--kdf-seconds", "0")[0] == 0
    assert run("gov", "delegate", "--yes")[0] == 0
    assert run("gov", "propose", "--template", "market-fee", "--bps", "300", "--description", "Fee 3 %",
               "--yes")[0] == 0
    code, rows, _ = run("gov", "proposals")
    pid = rows[0]["proposal_id"]
    code, pending, _ = run("gov", "show", pid)
    code, cli_text, _ = run("gov", "show", pid, json_out=False)
    run("chain", "advance", "--blocks", "2", passphrase=False)
    code, active, _ = run("gov", "show", pid)
    assert (pending["state"], active["state"]) == ("pending", "active")

    from vault.chain import client
    with client.connect(None, run.data) as chain:
        g = chain.contracts.governor.functions
        expected = (f"{g.proposalSnapshot(int(pid)).call() + 1:,}", f"{g.proposalDeadline(int(pid)).call():,}")
    pattern = re.compile(r"votes count from block ([\d,]+) to block ([\d,]+)")

    panel = gp.ProposalPanel()
    qtbot.addWidget(panel)
    panel.show_view(gp.ProposalView(active, embedded=True, read_at=time.monotonic()))
    texts = {"cli": cli_text, "panel": panel.meta.text(),
             "pending countdown": gp.ProposalView(pending, embedded=True, read_at=0).countdown(),
             "active countdown": gp.ProposalView(active, embedded=False, read_at=0).countdown()}
    for where, text in texts.items():
        assert pattern.findall(text) == [expected], (where, text)
    assert "block " + f"{int(expected[1].replace(',', '')) + 1:,}" not in " ".join(texts.values())
