"""Enter must not send money (issue 14, item 7): in every dialog whose button sends,
signs, reveals the recovery phrase or re-encrypts the vault, Enter presses Cancel, even
with the focus on the dangerous button; clicking it still does it. Each dialog is opened
through its real page; the list below fails when a new dialog is added unclassified."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

import ui
from tests.chain.conftest import USER_ADDRESS
from ui.widgets.safe_default import enter_is_safe

BTK = 10**18
FRIEND = "0x00000000000000000000000000000000000fE11D"

# The dialog's own button sends, signs, reveals or re-encrypts: make_safe_default.
SAFE_DEFAULT = {
    "ui.chain.write.TransactionDialog": "Confirm and send: every chain write",
    "ui.chain.governance.votes.SignVoteDialog": "Sign: a vote anyone can relay",
    "ui.identity.dialogs.RecoveryPhraseDialog": "Show phrase",
    "ui.settings.change_passphrase.ChangePassphraseDialog": "Change passphrase: re-encrypts the vault",
    "ui.settings.kdf_dialog.RetuneKdfDialog": "Re-tune: re-encrypts the vault",
    "ui.onboarding.restore_phrase.SetAsideDialog": "Set aside and restore: replaces the vault in use",
    "ui.issue.log.RevokeDialog": "Revoke: final, for everyone who checks the credential",
    "ui.credentials.receive_offer.ReceiveOfferDialog": "Accept: signs a proof with the vault's key, imports",
    "ui.present.answer_request.AnswerRequestDialog": "Send: signs a presentation, sends it to the verifier",
    "ui.chain.governance.polls.PollsDialog": "Sign my ballot: a signature anyone may count",
}
# A form: its button only opens TransactionDialog's confirm step (Enter there is tested).
LEADS_TO_CONFIRM = {
    "ui.chain.governance.dialogs.NewProposalDialog", "ui.chain.governance.votes.RelayVoteDialog",
    "ui.chain.market.dialogs.PostOfferDialog", "ui.credentials.soulbound.AnchorDialog",
    "ui.chain.market.bid_form.BidDialog", "ui.chain.governance.constitution.ConstitutionDialog",
    "ui.chain.governance.grants.GrantsDialog", "ui.chain.governance.lock.LockDialog",
    "ui.credentials.talent_type.DeclareTypeDialog", "ui.chain.governance.rewards.RewardsDialog",
    "ui.chain.governance.subdaos.SubDaosDialog",
}
# Sends, signs and reveals nothing (a viewer, a base class, a DID derived in the vault).
NOTHING_TO_CONFIRM = {
    "ui.chain.governance.dialogs.GrowingDialog", "ui.chain.wallet.dialogs.ReceiveDialog",
    "ui.identity.dialogs.DidDocumentDialog", "ui.identity.dialogs.NewDidDialog", "ui.identity.dialogs.QrTextDialog",
    "ui.present.log_dialog.PresentationLogDialog", "ui.settings.trust.AddIssuerDialog",
    "ui.verify.camera.CameraDialog", "ui.verify.request_dialog.RequestDialog",
    # The Issue page's forms keep what the core checked; delivery saves or shows what was signed.
    "ui.issue.dialogs._CoreForm", "ui.issue.dialogs.ProfileDialog", "ui.issue.dialogs.AnchorAccountDialog",
    "ui.issue.dialogs.AchievementDialog", "ui.issue.dialogs.DidDocumentDialog", "ui.issue.deliver.DeliverDialog",
    # The employer's OpenID4VP request: a QR code and a receiver; the answer is only verified.
    "ui.verify.openid4vp_dialog.OpenId4vpDialog",
}


def _dialog_classes() -> dict[str, type]:
    for info in pkgutil.walk_packages(ui.__path__, "ui."):
        if info.name != "ui.__main__":
            importlib.import_module(info.name)
    found, todo = {}, [QDialog]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            if cls.__module__.startswith("ui."):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


def test_every_dialog_is_classified_and_the_dangerous_ones_use_the_safe_default():
    classes = _dialog_classes()
    listed = [*SAFE_DEFAULT, *LEADS_TO_CONFIRM, *NOTHING_TO_CONFIRM]
    assert len(set(listed)) == len(listed)
    assert sorted(classes) == sorted(listed), "classify the new dialog here (does its button send or sign?)"
    for name in SAFE_DEFAULT:
        assert re.search(r"make_safe_default\(self, self\.(cancel|close)_button", inspect.getsource(classes[name])), name
    for name in LEADS_TO_CONFIRM:   # it hands over to the page, which opens the confirm step
        source = inspect.getsource(classes[name])
        assert not re.search(r"start_write|send_steps|\.send\(|sign_vote", source), name
    # A dialog made on the spot (not a class) would escape the list.
    for path in Path(ui.__file__).parent.rglob("*.py"):
        assert not re.search(r"\bQ(Dialog|MessageBox|InputDialog)\(", path.read_text()), path


# ---- the chain writes, through their pages --------------------------------------------------

def enter_presses_cancel(qtbot, dialog, dangerous, safe):
    """Enter, even sent to the dangerous button itself (a person who tabbed to it), presses
    ``safe``; ``dangerous`` is not clicked."""
    assert enter_is_safe(dialog) and safe.isDefault() and safe.autoDefault()
    assert not dangerous.isDefault() and not dangerous.autoDefault() and dangerous.isEnabled()
    clicked = []
    dangerous.clicked.connect(lambda *_: clicked.append(True))
    with qtbot.waitSignal(safe.clicked, timeout=5_000):
        qtbot.keyClick(dangerous, Qt.Key_Return)
    assert clicked == []


def enter_at_confirm_sends_nothing(qtbot, session, flow):
    dialog = flow.dialog
    qtbot.waitUntil(lambda: dialog.stage in ("confirm", "result"), timeout=20_000)
    assert dialog.stage == "confirm", dialog.result.text()
    assert dialog.focusWidget() is dialog.cancel_button   # Enter right away presses Cancel
    before = session.chain.block_number
    with qtbot.waitSignal(flow.finished, timeout=5_000):
        enter_presses_cancel(qtbot, dialog, dialog.confirm_button, dialog.cancel_button)
    session.runner.wait()
    assert not dialog.isVisible() and dialog.stage == "confirm" and not flow.sending
    assert session.chain.block_number == before   # no block: nothing was sent


def confirm_by_click(qtbot, ui_helpers, flow):
    qtbot.waitUntil(lambda: flow.dialog.stage == "confirm", timeout=20_000)
    with qtbot.waitSignal(flow.succeeded, timeout=30_000) as done:
        ui_helpers.click(qtbot, flow.dialog.confirm_button)
    flow.dialog.accept()
    return done.args[0]


def test_enter_sends_nothing_from_the_wallet_staking_and_market_pages(chain_window, qtbot, ui_helpers):
    session = chain_window.chain_session
    held = session.chain.btk_balance(USER_ADDRESS)

    # Wallet: Enter in the amount field opens the confirmation; Enter there cancels.
    chain_window.show_page("Wallet")
    wallet = chain_window.wallet_page
    qtbot.waitUntil(lambda: wallet.holdings is not None, timeout=20_000)
    ui_helpers.type_text(qtbot, wallet.to_field, FRIEND)
    ui_helpers.type_text(qtbot, wallet.amount_field, "12")
    qtbot.keyClick(wallet.amount_field, Qt.Key_Return)
    enter_at_confirm_sends_nothing(qtbot, session, wallet.write_flow)
    assert session.chain.btk_balance(FRIEND) == 0 and session.service.history() == []
    # ... and a click on Confirm still sends.
    ui_helpers.click(qtbot, wallet.send_button)
    record, = confirm_by_click(qtbot, ui_helpers, wallet.write_flow)
    assert record.status == "success" and session.chain.btk_balance(FRIEND) == 12 * BTK

    # Staking: approve + stake, two transactions behind one Confirm.
    chain_window.show_page("Staking")
    staking = chain_window.staking_page
    qtbot.waitUntil(lambda: staking.data is not None, timeout=20_000)
    rect = staking.table.visualRect(staking.model.index(0, 0))
    qtbot.mouseClick(staking.table.viewport(), Qt.LeftButton, pos=rect.center())
    ui_helpers.type_text(qtbot, staking.stake_amount, "100")
    assert staking.stake_button.isEnabled()
    qtbot.keyClick(staking.stake_amount, Qt.Key_Return)
    enter_at_confirm_sends_nothing(qtbot, session, staking.write_flow)

    # Marketplace: Enter in the offer form reviews it; Enter at the review sends nothing.
    chain_window.show_page("Marketplace")
    market = chain_window.pages.currentWidget()
    qtbot.waitUntil(lambda: market.model.rowCount() == 3 and "offers" in market.data["talent"], timeout=20_000)
    ui_helpers.click(qtbot, market.post_button)
    post = market.dialog
    ui_helpers.type_text(qtbot, post.title, "Review my essay")
    ui_helpers.type_text(qtbot, post.budget, "50")
    before = market.write_flow
    qtbot.keyClick(post.budget, Qt.Key_Return)
    qtbot.waitUntil(lambda: market.write_flow is not before, timeout=10_000)
    enter_at_confirm_sends_nothing(qtbot, session, market.write_flow)

    assert [r.kind for r in session.service.history()] == ["btk-transfer"]
    assert session.chain.btk_balance(USER_ADDRESS) == held - 12 * BTK


def test_enter_sends_and_signs_nothing_on_the_governance_page(chain_window, qtbot, ui_helpers):
    session = chain_window.chain_session
    chain_window.show_page("Governance")
    page = chain_window.governance_page
    qtbot.waitUntil(lambda: page.overview is not None, timeout=20_000)

    ui_helpers.click(qtbot, page.delegate_button)
    enter_at_confirm_sends_nothing(qtbot, session, page.write_flow)
    assert page.delegate_banner.isVisible()
    ui_helpers.click(qtbot, page.delegate_button)
    confirm_by_click(qtbot, ui_helpers, page.write_flow)
    qtbot.waitUntil(lambda: page.overview is not None and page.overview["can_propose"], timeout=20_000)

    # A proposal: Enter in the form reviews it, Enter at the review sends nothing, the
    # draft keeps what was typed; a click sends it.
    ui_helpers.click(qtbot, page.new_button)
    draft = page.dialog
    qtbot.waitUntil(lambda: draft.limits is not None, timeout=10_000)
    draft.template_buttons["market-fee"].setChecked(True)
    ui_helpers.type_text(qtbot, draft.title, "Lower the fee")
    before = page.write_flow
    qtbot.keyClick(draft.title, Qt.Key_Return)
    qtbot.waitUntil(lambda: page.write_flow is not before, timeout=10_000)
    enter_at_confirm_sends_nothing(qtbot, session, page.write_flow)
    assert [r.kind for r in session.service.history()] == ["gov-delegate"]
    ui_helpers.click(qtbot, page.new_button)
    assert page.dialog is draft and draft.title.text() == "Lower the fee"
    ui_helpers.click(qtbot, draft.continue_button)
    qtbot.waitUntil(lambda: page.write_flow is not before and page.write_flow.dialog.isVisible(), timeout=10_000)
    confirm_by_click(qtbot, ui_helpers, page.write_flow)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.panel.sign_button.isEnabled(), timeout=20_000)

    # Signing a vote offline: Enter in the reason does nothing, Enter on the dialog
    # cancels; nothing is signed. A click on Sign signs.
    ui_helpers.click(qtbot, page.panel.sign_button)
    dialog = page.dialog
    assert dialog.focusWidget() is dialog.cancel_button
    ui_helpers.click(qtbot, dialog.support_buttons["for"])
    ui_helpers.type_text(qtbot, dialog.reason, "Cheaper gigs")
    qtbot.keyClick(dialog.reason, Qt.Key_Return)
    assert dialog.isVisible() and dialog.vote is None and dialog.reason.text() == "Cheaper gigs"
    with qtbot.waitSignal(dialog.rejected, timeout=5_000):
        enter_presses_cancel(qtbot, dialog, dialog.sign_button, dialog.cancel_button)
    assert dialog.vote is None and not dialog.busy.running
    qtbot.waitUntil(lambda: page.dialog is None)
    ui_helpers.click(qtbot, page.panel.sign_button)
    dialog = page.dialog
    ui_helpers.click(qtbot, dialog.support_buttons["for"])
    ui_helpers.click(qtbot, dialog.sign_button)
    qtbot.waitUntil(lambda: dialog.vote is not None, timeout=10_000)
    assert dialog.vote["support_name"] == "for"
    ui_helpers.click(qtbot, dialog.close_button)


# ---- reveal and re-encrypt, behind the passphrase ------------------------------------------

def _workspace(qtbot, make_window, config, ui_helpers):
    return ui_helpers.unlock_through_ui(qtbot, make_window(config))


def test_enter_does_not_reveal_the_recovery_phrase_unless_typed_after_the_passphrase(
        qtbot, existing_vault, make_window, config, ui_helpers):
    workspace = _workspace(qtbot, make_window, config, ui_helpers)
    workspace.show_page("Identity")
    page = workspace.identity_page
    ui_helpers.click(qtbot, page.phrase_button)
    dialog = page.dialog
    assert dialog.focusWidget() is dialog.passphrase   # to type into first
    ui_helpers.type_text(qtbot, dialog.passphrase, ui_helpers.PASSPHRASE)
    with qtbot.waitSignal(dialog.rejected, timeout=5_000):
        enter_presses_cancel(qtbot, dialog, dialog.show_button, dialog.cancel_button)
    assert not dialog.revealed and not dialog.busy.running
    qtbot.waitUntil(lambda: page.dialog is None)

    # Enter in the field right after typing the passphrase is the consent: it checks it,
    # and does not also press Cancel.
    ui_helpers.click(qtbot, page.phrase_button)
    dialog = page.dialog
    ui_helpers.type_text(qtbot, dialog.passphrase, ui_helpers.PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key_Return)
    qtbot.waitUntil(lambda: dialog.revealed, timeout=10_000)
    assert dialog.isVisible() and [w.text() for w in dialog.grid.word_labels] == existing_vault.split()


def test_enter_on_the_passphrase_dialogs_cancels_and_changes_nothing(
        qtbot, existing_vault, make_window, config, ui_helpers):
    workspace = _workspace(qtbot, make_window, config, ui_helpers)
    window = workspace.window()
    workspace.show_page("Settings")
    page = workspace.settings_page
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    header = window.store.header
    new = "a brand new passphrase for the vault"

    ui_helpers.click(qtbot, page.change_button)
    dialog = page.dialog
    assert dialog.focusWidget() is dialog.current
    ui_helpers.type_text(qtbot, dialog.current, ui_helpers.PASSPHRASE)
    qtbot.keyClick(dialog.current, Qt.Key_Return)          # on to the next field, not Cancel
    assert dialog.isVisible() and dialog.focusWidget() is dialog.form.passphrase
    ui_helpers.type_text(qtbot, dialog.form.passphrase, new)
    ui_helpers.type_text(qtbot, dialog.form.confirm, new)
    with qtbot.waitSignal(dialog.rejected, timeout=5_000):
        enter_presses_cancel(qtbot, dialog, dialog.change_button, dialog.cancel_button)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert window.store.header == header and window.store.check_passphrase(ui_helpers.PASSPHRASE)

    ui_helpers.click(qtbot, page.retune_button)
    dialog = page.dialog
    ui_helpers.type_text(qtbot, dialog.passphrase, ui_helpers.PASSPHRASE)
    with qtbot.waitSignal(dialog.rejected, timeout=5_000):
        enter_presses_cancel(qtbot, dialog, dialog.retune_button, dialog.cancel_button)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert window.store.header == header
