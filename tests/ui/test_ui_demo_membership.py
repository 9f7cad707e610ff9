"""“Get a demo membership” through the real widgets on the embedded chain: offered on the
Governance page and under a quadratic tally that did not count the user; one click runs
the core on the chain thread (never the GUI thread), the power breakdown then says the
user is a member, the offer goes away, and the next quadratic poll counts their ballot."""

import threading

from tests.ui.test_ui_dao import activate_votes, advance
from tests.ui.test_ui_governance import open_page, refreshed
from tests.ui.test_ui_quadratic_polls import create_quadratic, sign_and_tally
from vault.anchoring import demo_membership
from vault.credentials.service import CredentialService


def open_polls(page, qtbot, ui_helpers):
    ui_helpers.click(qtbot, page.polls_button)
    dialog = page.polls_dialog
    qtbot.waitUntil(lambda: dialog.reads == 1, timeout=20_000)
    return dialog


def test_get_a_demo_membership_then_a_quadratic_poll_counts_the_user(chain_window, qtbot, ui_helpers, monkeypatch):
    page = open_page(chain_window, qtbot)
    activate_votes(page, qtbot, ui_helpers)
    advance(chain_window, qtbot, 1)
    account = page.account
    offer = page.membership
    assert "Quadratic proposals: You hold no membership credential" in page.power_detail.text()
    assert offer.isVisible() and offer.button.isVisible() and offer.button.text() == "Get a demo membership"

    # The polls dialog offers it under a tally that did not count the user.
    dialog = open_polls(page, qtbot, ui_helpers)
    assert not dialog.membership.isVisible()
    create_quadratic(page, dialog, qtbot, ui_helpers, "Before the membership?")
    words = sign_and_tally(dialog, qtbot, ui_helpers, 1)
    assert f"Not counted — {account}: no membership credential" in words
    assert dialog.membership.isVisible() and dialog.membership.button.isVisible()
    dialog.reject()

    threads = []
    real = demo_membership.get_demo_membership

    def recorded(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(demo_membership, "get_demo_membership", recorded)
    with qtbot.waitSignal(offer.obtained, timeout=30_000) as got:
        ui_helpers.click(qtbot, offer.button)
    assert threads and threads[0] is not threading.main_thread()
    result = got.args[0]
    assert result["address"] == account and result["token_id"]
    refreshed(page, qtbot, lambda: "You hold a valid membership credential" in page.power_detail.text())
    assert not offer.button.isVisible() and offer.message.kind == "success"
    assert f"{account} is now a member" in offer.message.text()
    stored = CredentialService(chain_window.chain_session.identity.store).repository.get(result["credential_id"])
    assert stored.subject == result["holder_did"]

    # A second click is not offered; the next quadratic poll counts the user's ballot.
    dialog = open_polls(page, qtbot, ui_helpers)
    create_quadratic(page, dialog, qtbot, ui_helpers, "After the membership?")
    dialog.list.setCurrentRow(0)
    words = sign_and_tally(dialog, qtbot, ui_helpers, 1)
    assert f"Counted — {account}: Yes" in words and "(member: credential token" in words
    assert not dialog.membership.isVisible()
    dialog.reject()


def test_not_offered_off_the_embedded_chain_nor_to_a_member(qtbot):
    from ui.chain.governance.membership import DemoMembershipOffer

    offer = DemoMembershipOffer(session=None, account=lambda: "0x00000000000000000000000000000000000A11cE")
    qtbot.addWidget(offer)
    offer.show_for(embedded=True, member=False)
    assert not offer.isHidden()
    offer.show_for(embedded=False, member=False)
    assert offer.isHidden()
    offer.show_for(embedded=True, member=True)
    assert offer.isHidden()
