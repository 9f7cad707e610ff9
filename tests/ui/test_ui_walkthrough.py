"""A new user's first hour (issue 14), one person through the real window: a learner makes
a vault and takes the sample credential; as a job seeker presents it as a QR code for an
employer, whose Verify page reads the code's picture; as a token holder sends BTK (Enter
at the confirmation sends nothing), stakes, activates their votes, proposes a fee change,
lets time pass, votes, and takes a demo gig from acceptance to payment.

Everything is made through widgets, as a person would: no credential, vault or chain
state comes from test code. What the app gives by itself is used: the welcome grant of a
new vault account on the embedded chain and the demo marketplace client."""

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QLabel

from ui.credentials import sample_offer
from ui.main_window import Workspace
from vault.issuing import sample

DOMAIN = "hr.employer.example"
FRIEND = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"   # Hardhat's account 1, checksummed
SAMPLE_LINE = f"{sample.NAME} ({sample.NOTE})"


# ---- what a person does --------------------------------------------------------------------

def go(qtbot, workspace, title: str):
    """Click the page's entry in the sidebar; returns the page shown."""
    nav = workspace.nav
    rect = nav.visualItemRect(nav.item(workspace.TITLES.index(title)))
    qtbot.mouseClick(nav.viewport(), Qt.LeftButton, pos=rect.center())
    assert workspace.TITLES[nav.currentRow()] == title
    return workspace.pages.currentWidget()


def texts(widget) -> str:
    return " | ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def confirm_step(qtbot, flow):
    """The write's confirmation is on screen (fee and all); returns its dialog."""
    qtbot.waitUntil(lambda: flow.dialog.stage in ("confirm", "result"), timeout=20_000)
    assert flow.dialog.stage == "confirm", flow.dialog.result.text()
    return flow.dialog


def click_confirm(qtbot, ui_helpers, flow):
    """Click "Confirm and send", wait until mined, read the result, close it."""
    dialog = confirm_step(qtbot, flow)
    with qtbot.waitSignal(flow.succeeded, timeout=30_000) as done:
        ui_helpers.click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: dialog.stage == "result")
    assert dialog.result.kind == "success", dialog.result.text()
    ui_helpers.click(qtbot, dialog.close_button)
    assert all(record.status == "success" for record in done.args[0])
    return done.args[0]


def wallet_btk(qtbot, workspace, expected: str):
    page = go(qtbot, workspace, "Wallet")
    qtbot.waitUntil(lambda: page.btk_value.text() == expected, timeout=20_000)
    return page


# ---- the story -----------------------------------------------------------------------------

@pytest.fixture
def newcomer(make_window, config, qtbot):
    """A first start on an empty data folder, connecting to the network after unlock as
    the app does (the embedded chain, made on this first start)."""
    from dataclasses import replace
    return make_window(replace(config, connect_chain=True))


def test_a_new_users_first_hour(qtbot, newcomer, ui_helpers, tmp_path):
    workspace = learner(qtbot, newcomer, ui_helpers)
    challenge, code, holder = job_seeker(qtbot, workspace, ui_helpers, tmp_path)
    employer(qtbot, workspace, ui_helpers, challenge, code, holder)
    token_holder(qtbot, workspace, ui_helpers)


def learner(qtbot, window, ui_helpers) -> Workspace:
    """Create a vault (passphrase, the phrase shown then picked back in order), land on
    Credentials, empty, and take the sample: its card says Sample."""
    words = ui_helpers.create_through_ui(qtbot, window)      # the onboarding's own widgets
    assert len(words) == 12 and len(set(words)) > 1
    workspace = window.workspace
    page = workspace.credentials_page
    assert workspace.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.sample_offer.isVisible(), timeout=20_000)
    assert page.model.rowCount() == 0 and page.sample_offer.what.text() == sample_offer.NEW_HERE
    assert page.sample_offer.button.text() == "Try it with a sample credential"

    ui_helpers.click(qtbot, page.sample_offer.button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.model.busy, timeout=20_000)
    qtbot.waitUntil(lambda: page.proxy.card(page.proxy.index(0, 0)) is not None)
    card = page.proxy.card(page.proxy.index(0, 0))
    assert card.title == sample.ACHIEVEMENT.name and card.warning.text == "Sample"
    assert card.issuer.startswith(SAMPLE_LINE)
    assert page.notice.kind == "success" and page.notice.text() == sample_offer.ADDED
    assert not page.sample_offer.isVisible()
    return workspace


def job_seeker(qtbot, workspace, ui_helpers, tmp_path):
    """The employer says their domain and challenge (read off their Verify page); on
    Present the sample is ticked by its check box, the claims shown, the request typed,
    the QR made, and its picture taken from the screen into a PNG."""
    verify = go(qtbot, workspace, "Verify")
    ui_helpers.type_text(qtbot, verify.domain, DOMAIN)
    challenge = verify.challenge.text()
    assert len(challenge) >= 16             # the page's fresh random challenge

    page = go(qtbot, workspace, "Present")
    qtbot.waitUntil(lambda: not page.model.busy and page.model.rowCount() == 1, timeout=20_000)
    qtbot.waitUntil(lambda: page.model.cached(page.model.keys[0]) is not None, timeout=10_000)
    assert not page.sample_offer.isVisible()          # the vault holds something to present now
    index = page.picks.index(0, 0)
    card = page.picks.card(index)
    assert card.title == sample.ACHIEVEMENT.name and card.warning.text == "Sample"
    assert not page.show_button.isEnabled() and "tick a credential" in page.show_hint.text()
    option = page.list.viewOptions()
    option.rect = page.list.visualRect(index)
    box = page.list.itemDelegate().check_rect(option)
    qtbot.mouseClick(page.list.viewport(), Qt.LeftButton, pos=box.center())   # the check box itself
    assert index.data(Qt.CheckStateRole) == Qt.Checked and len(page.picks.chosen) == 1

    # The claims: a badge (not SD-JWT) is shown whole, and the page says so before the QR.
    assert page.claims_hint.isVisible() and "shown whole" in page.claims_hint.text()
    qtbot.waitUntil(lambda: page.preview is not None, timeout=20_000)
    summary = page.summary.toPlainText()
    assert sample.ACHIEVEMENT.name in summary and "Shows every claim" in summary
    assert sample.NOTE in summary

    ui_helpers.type_text(qtbot, page.challenge, challenge)
    ui_helpers.type_text(qtbot, page.domain, DOMAIN)
    ui_helpers.click(qtbot, page.show_button)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.show_page and page.qr.complete, timeout=20_000)
    assert page.for_label.text() == f"For {DOMAIN}" and page.qr.count == 1
    assert "left)" in page.expiry_label.text()
    assert page.holder_label.text().startswith("Signed by did:key:")
    holder = page.holder_label.text().removeprefix("Signed by ")

    code = tmp_path / "qr-from-the-screen.png"
    assert page.qr.grab().save(str(code), "PNG")     # what the screen shows, as a photo of it would
    return challenge, code, holder


def employer(qtbot, workspace, ui_helpers, challenge: str, code, holder: str) -> None:
    """Verify: Open file… picks the PNG; the verdict is valid, names the holder, and says
    the issuer is the sample issuer, not a real institution."""
    page = go(qtbot, workspace, "Verify")
    assert page.domain.text() == DOMAIN and page.challenge.text() == challenge
    assert page.placeholder.isVisible()
    ui_helpers.click(qtbot, page.open_button)
    dialog = page.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    dialog.selectFile(str(code))
    dialog.accept()                                    # as "Open" does
    qtbot.waitUntil(lambda: not page.working and not page.verdict_view.isHidden(), timeout=30_000)
    view = page.verdict_view
    text = view.plain_text()
    assert view.title.text() == "Valid presentation", text
    assert view.holder.text() == f"Presented by {holder}"
    assert f"Issued by {SAMPLE_LINE}" in text and "Sample only" in text
    assert "It includes a sample credential, which proves nothing." in view.text.text()
    assert sample.ACHIEVEMENT.name in text
    assert "Genuine: signed by its issuer" not in text     # a sample is not a real issuer's word


def token_holder(qtbot, workspace, ui_helpers) -> None:
    session = workspace.chain_session
    qtbot.waitUntil(lambda: session.state == "connected", timeout=60_000)   # connected after unlock

    # ---- Wallet: the welcome grant, said to be test tokens; a send, Enter cancels first
    wallet = wallet_btk(qtbot, workspace, "5,000 BTK")
    assert wallet.eth_value.text() == "1 ETH"
    assert wallet.local_chain.isVisible() and "Welcome grant on the local test chain" in wallet.local_chain.body.text()
    ui_helpers.type_text(qtbot, wallet.to_field, FRIEND)
    ui_helpers.type_text(qtbot, wallet.amount_field, "100")
    assert not wallet.to_message.isVisible() and wallet.send_button.text() == "Send BTK…"
    ui_helpers.click(qtbot, wallet.send_button)
    dialog = confirm_step(qtbot, wallet.write_flow)
    shown = texts(dialog.confirm_page)
    assert "100 BTK" in shown and FRIEND in shown
    assert dialog.focusWidget() is dialog.cancel_button
    with qtbot.waitSignal(wallet.write_flow.finished, timeout=5_000):
        qtbot.keyClick(dialog.confirm_button, Qt.Key_Return)     # Enter: Cancel, even on Confirm
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: wallet.holdings is not None)
    assert wallet.btk_value.text() == "5,000 BTK" and "No transactions yet" in wallet.history_empty.text()
    ui_helpers.click(qtbot, wallet.send_button)
    click_confirm(qtbot, ui_helpers, wallet.write_flow)
    qtbot.waitUntil(lambda: wallet.btk_value.text() == "4,900 BTK", timeout=20_000)
    qtbot.waitUntil(lambda: wallet.history_proxy.rowCount() == 1, timeout=10_000)
    row = [wallet.history_proxy.index(0, c).data() for c in range(wallet.history_proxy.columnCount())]
    assert row[1] == f"Send 100 BTK to {FRIEND}" and row[4] == "✓ Succeeded"

    # ---- Staking: 1,000 BTK with the first validator (approve + stake, one confirmation)
    staking = go(qtbot, workspace, "Staking")
    qtbot.waitUntil(lambda: staking.data is not None, timeout=20_000)
    assert staking.staked_tile.value.text() == "Nothing" and staking.available_tile.value.text() == "4,900 BTK"
    rect = staking.table.visualRect(staking.model.index(0, 0))
    qtbot.mouseClick(staking.table.viewport(), Qt.LeftButton, pos=rect.center())
    validator = staking.chosen.name
    ui_helpers.type_text(qtbot, staking.stake_amount, "1000")
    assert staking.stake_button.text() == f"Stake with {validator}"
    ui_helpers.click(qtbot, staking.stake_button)
    dialog = confirm_step(qtbot, staking.write_flow)
    assert "1,000 BTK" in texts(dialog.confirm_page) and validator in texts(dialog.confirm_page)
    records = click_confirm(qtbot, ui_helpers, staking.write_flow)
    assert [r.kind for r in records] == ["btk-approve", "stake"]
    qtbot.waitUntil(lambda: staking.staked_tile.value.text() == "1,000 BTK", timeout=20_000)
    assert staking.staked_tile.note.text() == f"with {validator}"
    assert staking.available_tile.value.text() == "3,900 BTK"

    # ---- Governance: activate the votes, propose a lower marketplace fee, let the voting
    # delay pass with the page's own control, vote For
    gov = go(qtbot, workspace, "Governance")
    qtbot.waitUntil(lambda: gov.overview is not None, timeout=20_000)
    assert gov.delegate_banner.isVisible() and gov.power_value.text() == "0 votes"
    assert "3,900 BTK don't count as votes until you delegate them" in gov.delegate_text.text()
    ui_helpers.click(qtbot, gov.delegate_button)
    click_confirm(qtbot, ui_helpers, gov.write_flow)
    qtbot.waitUntil(lambda: gov.overview is not None and not gov.delegate_banner.isVisible(), timeout=20_000)
    assert gov.power_value.text() == "3,900 votes"

    ui_helpers.click(qtbot, gov.new_button)
    draft = gov.dialog
    qtbot.waitUntil(lambda: draft.limits is not None, timeout=10_000)
    ui_helpers.click(qtbot, draft.template_buttons["market-fee"])
    assert draft.fee_bps.isVisible() and "(now 2.5 %)" in draft.fee_hint.text()
    ui_helpers.type_text(qtbot, draft.fee_bps.lineEdit(), "2")
    ui_helpers.type_text(qtbot, draft.title, "Lower the marketplace fee to 2 %")
    before = gov.write_flow
    ui_helpers.click(qtbot, draft.continue_button)
    qtbot.waitUntil(lambda: gov.write_flow is not before, timeout=20_000)
    dialog = confirm_step(qtbot, gov.write_flow)
    assert "2 %" in texts(dialog) and "bps" not in texts(dialog)
    click_confirm(qtbot, ui_helpers, gov.write_flow)
    qtbot.waitUntil(lambda: gov.model.rowCount() == 1 and gov.panel.isVisible(), timeout=20_000)
    panel = gov.panel
    assert panel.title.text() == "Lower the marketplace fee to 2 %"
    assert panel.badge.text().startswith("Pending") and not panel.for_button.isEnabled()

    assert gov.advance.isVisible() and gov.advance.blocks.value() == 2   # set to the blocks left
    ui_helpers.click(qtbot, gov.advance.mine_button)
    qtbot.waitUntil(lambda: panel.for_button.isEnabled(), timeout=20_000)
    assert gov.advance.result.text().startswith("Now at block ")
    assert panel.badge.text() == "Voting open" and "Your votes on it: 3,900 votes" in panel.my_vote.text()
    ui_helpers.click(qtbot, panel.for_button)
    click_confirm(qtbot, ui_helpers, gov.write_flow)
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.voted, timeout=20_000)
    assert panel.my_vote.text().startswith("You voted For with 3,900 votes")
    assert panel.tallies["for"].amount.text() == "3,900 votes (100 %)"
    assert panel.badge.text() == "Voting open" and re.match(r"Voting ends in \d+ blocks", panel.next_label.text())
    assert panel.quorum.text().startswith("Quorum not reached yet: 3,900 votes of 4,000,000 votes needed")
    # A newcomer's votes alone do not pass it: when the voting period ends, the page says why.
    left = int(re.match(r"Voting ends in (\d+) blocks", panel.next_label.text()).group(1))
    assert gov.advance.blocks.value() == left
    ui_helpers.click(qtbot, gov.advance.mine_button)
    qtbot.waitUntil(lambda: panel.badge.text() == "Defeated", timeout=20_000)
    assert gov.model.index(0, 1).data() == "Defeated"
    assert "Quorum not reached" in texts(gov)

    # ---- Marketplace: accept a demo offer, the demo client pays into escrow, say it is
    # delivered, and it pays (the Wallet shows the BTK)
    market = go(qtbot, workspace, "Marketplace")
    qtbot.waitUntil(lambda: market.model.rowCount() == 3, timeout=20_000)
    assert market.select_gig(0)
    assert "demo client of your local test chain" in market.next_step.text()
    assert market.deliver_button.isVisible() and not market.deliver_button.isEnabled()
    ui_helpers.click(qtbot, market.accept_button)
    dialog = confirm_step(qtbot, market.write_flow)
    assert "250 BTK" in texts(dialog) and "2.5 %" in texts(dialog)
    click_confirm(qtbot, ui_helpers, market.write_flow)
    qtbot.waitUntil(lambda: market.status_badge.text() == "In escrow", timeout=20_000)
    assert "tell it so, and it releases the payment" in market.next_step.text()
    assert market.deliver_button.isEnabled()
    with qtbot.waitSignal(market.message, timeout=20_000) as said:
        ui_helpers.click(qtbot, market.deliver_button)
    assert said.args[0] == "The demo client released offer #0: 243.75 BTK to you."
    assert market.window().statusBar().currentMessage() == said.args[0]      # where it is said
    qtbot.waitUntil(lambda: market.status_badge.text() == "Paid", timeout=20_000)
    assert not market.deliver_button.isEnabled()
    wallet_btk(qtbot, workspace, "4,143.75 BTK")       # 3,900 + 250 - 2.5 % fee
