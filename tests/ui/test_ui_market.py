"""The Marketplace page's gigs of the first marketplace through its real widgets on the
embedded chain: they stay readable and finishable beside the talent network
(test_ui_talent). A client's gig (posted before the talent network), a second account of
the same vault accepts it as talent, the client pays into escrow (approve + fund) and
releases it with the fee and referral split shown first; the errors: bad input in the
post dialog (now the talent network's), releasing what is not funded, funding with too
little BTK."""

import re

import pytest
from PySide6.QtWidgets import QLabel

from tests.chain.conftest import PASSPHRASE, USER_ADDRESS, USER_PHRASE, copy_embedded
from vault.chain.governance import with_gas_margin
from vault.chain.marketplace import Market

BTK = 10**18
CONNECTOR = "0x000000000000000000000000000000000000c0DE"


@pytest.fixture
def market(make_window, config, embedded_template, qtbot, ui_helpers):
    """The Marketplace page of a vault with two accounts (the chain tests' user, 5M BTK,
    and a talent the embedded faucet funds at connect). Returns (page, talent address)."""
    from vault.identity import Identity

    identity = Identity.restore(config.data_dir, PASSPHRASE, USER_PHRASE, kdf_target=0)
    talent = identity.add_account("Talent").address
    identity.store.lock()
    copy_embedded(embedded_template, config.data_dir)
    window = make_window(config)
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    workspace.start_chain()
    qtbot.waitUntil(lambda: workspace.chain_session.state == "connected", timeout=30_000)
    workspace.nav.setCurrentRow(workspace.TITLES.index("Marketplace"))
    page = workspace.pages.currentWidget()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)   # the embedded chain's demo offers
    assert page.account_box.isVisible() and page.account == USER_ADDRESS
    return page, talent


def on_chain(qtbot, session, fn, *args):
    """``fn(service, *args)`` on the chain thread (never beside a read of the page)."""
    job = session.run_service(fn, *args)
    with qtbot.waitSignal(job.finished, timeout=20_000) as done:
        pass
    return done.args[0]


def confirm(qtbot, page, ui_helpers, *, steps=1):
    """Wait for the confirm step of the page's write, check it, send, wait until mined."""
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage in ("confirm", "result"), timeout=20_000)
    assert flow.dialog.stage == "confirm", flow.dialog.result.text()
    intro = [label.text() for label in flow.dialog.confirm_page.findChildren(QLabel, "txIntro")]
    assert flow.dialog.confirm_button.text() == ("Confirm and send" if steps == 1
                                                 else f"Confirm and send {steps} transactions")
    with qtbot.waitSignal(flow.succeeded, timeout=30_000) as done:
        ui_helpers.click(qtbot, flow.dialog.confirm_button)
    assert all(r.status == "success" for r in done.args[0])
    flow.dialog.accept()
    return intro, done.args[0]


def use_account(qtbot, page, address):
    page.account_box.setCurrentIndex(page.account_box.findData(address))
    qtbot.waitUntil(lambda: page.model.account == address and page.data["account"] == address)


def status_of(page, gig_id):
    return page.model.rows[page.model.row_of(gig_id)].status


def post_first_marketplace_gig(qtbot, page, **kwargs) -> None:
    """A gig of the first marketplace, posted by its core (the page posts to the talent network)."""
    def post(service):
        request = Market(service.chain).post_request(service, USER_ADDRESS, **kwargs)
        service.send(service.preview(with_gas_margin(service.chain, request)))
    on_chain(qtbot, page.session, post)
    page.session.note_settled()


def test_a_first_marketplace_gig_is_accepted_funded_and_released_less_fee_and_referral(market, qtbot, ui_helpers):
    page, talent = market
    session = page.session

    # ---- a gig of the client's on the first marketplace, with a referrer who gets 5 %
    post_first_marketplace_gig(qtbot, page, kind="gig", price=1_000 * BTK, details="Grade 30 essays",
                               connector=CONNECTOR, referral_bps=500)
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    assert page.select_gig(3) and page.proxy.rowCount() == 4
    assert page.proxy.index(0, 1).data() == "Grade 30 essays"      # newest first
    assert page.proxy.index(0, 5).data() == "You"                  # client
    assert not page.accept_button.isEnabled()
    assert "You posted this offer" in page.accept_button.toolTip()
    assert not page.release_button.isEnabled() and "nobody has accepted it yet" in page.release_button.toolTip()
    assert page.cancel_button.isEnabled()

    # ---- the vault's second account accepts it as talent
    use_account(qtbot, page, talent)
    page.select_gig(3)
    assert page.accept_button.isEnabled() and not page.fund_button.isEnabled()
    ui_helpers.click(qtbot, page.accept_button)
    intro, _ = confirm(qtbot, page, ui_helpers)
    assert "as its talent, for 1,000 BTK" in intro[0] and "2.5 %" in intro[1]
    qtbot.waitUntil(lambda: status_of(page, 3) == "accepted")
    page.whose_filter.setCurrentIndex(page.whose_filter.findData("talent"))    # "My gigs as talent"
    assert page.proxy.rowCount() == 1 and page.proxy.index(0, 0).data() == "3"
    assert page.proxy.index(0, 6).data() == "You"
    assert "Wait for the client to pay" in page.next_step.text()

    # ---- the client pays into escrow: approve, then fund
    use_account(qtbot, page, USER_ADDRESS)
    assert page.proxy.rowCount() == 0                                # the client is not its talent
    page.whose_filter.setCurrentIndex(page.whose_filter.findData("client"))
    assert [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())] == ["3"]
    page.select_gig(3)
    assert page.fund_button.isEnabled() and not page.release_button.isEnabled()
    ui_helpers.click(qtbot, page.fund_button)
    intro, records = confirm(qtbot, page, ui_helpers, steps=2)
    assert "You pay 1,000 BTK into escrow" in intro[0] and "Two transactions" in intro[1]
    assert [r.kind for r in records] == ["btk-approve", "market-fund"]
    qtbot.waitUntil(lambda: status_of(page, 3) == "funded")
    assert page.status_badge.text() == "In escrow"
    assert "the client can take a refund from" in page.facts["delivery"].text()
    assert re.search(r"2\d\d\d, \d\d:\d\d \(in [67] days", page.facts["delivery"].text())   # date, countdown

    # ---- release: the split is shown before signing, and the talent gets price - fee - referral
    before = on_chain(qtbot, session, lambda s: {a: s.chain.btk_balance(a) for a in (talent, CONNECTOR)})
    assert page.release_button.isEnabled()
    ui_helpers.click(qtbot, page.release_button)
    intro, _ = confirm(qtbot, page, ui_helpers)
    text = "\n".join(intro)
    assert "Fee: 25 BTK (2.5 %) to the treasury" in text
    assert f"Referral: 50 BTK (5 %) to {CONNECTOR}" in text
    assert f"Talent: 925 BTK to {talent}" in text
    after = on_chain(qtbot, session, lambda s: {a: s.chain.btk_balance(a) for a in (talent, CONNECTOR)})
    assert after[talent] - before[talent] == 925 * BTK
    assert after[CONNECTOR] - before[CONNECTOR] == 50 * BTK
    qtbot.waitUntil(lambda: status_of(page, 3) == "released")
    assert not page.release_button.isEnabled() and "already released" in page.release_button.toolTip()


def test_bad_input_unfunded_release_and_too_little_btk_each_say_why(market, qtbot, ui_helpers):
    page, talent = market
    session = page.session

    # ---- the post dialog checks what was typed, keeps it, and names the field
    ui_helpers.click(qtbot, page.post_button)
    dialog = page.dialog
    ui_helpers.click(qtbot, dialog.post_button)
    assert "Give the offer a title" in dialog.error.text()
    ui_helpers.type_text(qtbot, dialog.title, "Logo")
    ui_helpers.type_text(qtbot, dialog.budget, "12,5x")
    ui_helpers.click(qtbot, dialog.post_button)
    assert dialog.error.text() == "Budget: '12,5x' is not an amount." and dialog.focusWidget() is dialog.budget
    ui_helpers.type_text(qtbot, dialog.budget, "12.5")
    gates = dialog.gates
    gates.need_credential.setChecked(True)
    assert gates.picker.count() == 1 and not gates.issuer.isReadOnly()    # nothing anchored: type it
    ui_helpers.type_text(qtbot, gates.issuer, USER_ADDRESS.replace("EfFD", "efFD"))   # a mistyped letter
    ui_helpers.type_text(qtbot, gates.credential_type, "BachelorDegree")
    ui_helpers.click(qtbot, dialog.post_button)
    assert dialog.error.text().startswith("Issuer: ") and dialog.focusWidget() is gates.issuer
    ui_helpers.type_text(qtbot, gates.issuer, USER_ADDRESS)
    gates.need_stake.setChecked(True)
    ui_helpers.type_text(qtbot, gates.min_stake, "-5")
    ui_helpers.click(qtbot, dialog.post_button)
    assert dialog.error.text().startswith("Minimum stake: ") and dialog.focusWidget() is gates.min_stake
    assert dialog.title.text() == "Logo" and dialog.budget.text() == "12.5" and dialog.isVisible()  # nothing lost
    ui_helpers.click(qtbot, dialog.cancel_button)
    assert page.write_flow is None

    # ---- an offer dearer than the client's 5M BTK, accepted by the talent (set up by the core)
    def setup(service):
        m = Market(service.chain)
        price = service.chain.btk_balance(USER_ADDRESS) + BTK
        for sender, request in ((USER_ADDRESS, lambda: m.post_request(service, USER_ADDRESS, kind="mentoring",
                                                                      price=price, details="A year of lessons")),
                                (talent, lambda: m.accept_request(service, talent, 3))):
            service.send(service.preview(with_gas_margin(service.chain, request())))
    on_chain(qtbot, session, setup)
    session.note_settled()
    qtbot.waitUntil(lambda: page.model.rowCount() == 4 and status_of(page, 3) == "accepted")

    # ---- search as you type, kind and status filters
    ui_helpers.type_text(qtbot, page.search, "lessons")
    assert page.proxy.rowCount() == 1 and page.proxy.index(0, 0).data() == "3"
    page.search.clear()
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("mentoring"))
    assert sorted(page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())) == ["1", "3"]
    page.status_filter.setCurrentIndex(page.status_filter.findData("open"))
    assert [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())] == ["1"]
    ui_helpers.type_text(qtbot, page.search, "no such offer")
    assert page.proxy.rowCount() == 0 and "None of the 4 offers match" in page.count_label.text()
    page.search.clear()
    page.status_filter.setCurrentIndex(0)
    page.kind_filter.setCurrentIndex(0)

    # ---- releasing before anything is in escrow: not offered, and why
    assert page.select_gig(3)
    assert not page.release_button.isEnabled()
    assert "not funded yet" in page.release_button.toolTip()
    assert "Receive more BTK first" in page.next_step.text() and page.next_step.kind == "warning"

    # ---- funding with too little BTK stops before anything is signed (not after the approval)
    ui_helpers.click(qtbot, page.fund_button)
    flow = page.write_flow
    with qtbot.waitSignal(flow.failed, timeout=20_000) as failed:
        pass
    assert failed.args[0].reason == "insufficient-btk"
    assert "Not enough BTK to fund gig 3: you hold 5,000,000 BTK" in flow.dialog.result.text()
    assert "Nothing was signed or sent." in flow.dialog.result_details.text()
    assert flow.dialog.advice.text().startswith("What to do: ")
    assert on_chain(qtbot, session, lambda s: s.history(status=None)[0].kind) == "market-accept"
    flow.dialog.accept()

    # ---- the client cancels it instead
    assert page.cancel_button.isEnabled()
    ui_helpers.click(qtbot, page.cancel_button)
    confirm(qtbot, page, ui_helpers)
    qtbot.waitUntil(lambda: status_of(page, 3) == "cancelled")
    assert not page.fund_button.isEnabled() and "cancelled" in page.fund_button.toolTip()

    # ---- a funded offer: the client may refund only after the delivery window, the talent at once
    def funded(service):
        m = Market(service.chain)
        steps = [lambda: m.post_request(service, USER_ADDRESS, kind="gig", price=40 * BTK, details="Proofread"),
                 lambda: m.accept_request(service, talent, 4)]
        for make in steps:
            service.send(service.preview(with_gas_margin(service.chain, make())))
        for request in m.fund_requests(service, USER_ADDRESS, 4):
            service.send(service.preview(with_gas_margin(service.chain, request)))
    on_chain(qtbot, session, funded)
    session.note_settled()
    qtbot.waitUntil(lambda: page.model.rowCount() == 5 and status_of(page, 4) == "funded")
    assert page.select_gig(4)
    assert not page.refund_button.isEnabled() and "after the delivery window" in page.refund_button.toolTip()
    use_account(qtbot, page, talent)
    page.select_gig(4)
    assert page.refund_button.isEnabled() and not page.release_button.isEnabled()
    ui_helpers.click(qtbot, page.refund_button)
    intro, _ = confirm(qtbot, page, ui_helpers)
    assert "you will not be paid" in intro[0]
    qtbot.waitUntil(lambda: status_of(page, 4) == "refunded")


def test_a_demo_offer_is_paid_into_escrow_on_accept_and_paid_out_on_delivery(market, qtbot, ui_helpers):
    """The newcomer's first gig ends: the talent (a fresh account, the welcome grant only)
    accepts a demo offer, the demo client pays into escrow at once, the talent says the
    work is delivered, and the demo client releases it."""
    page, talent = market
    session = page.session
    use_account(qtbot, page, talent)
    assert page.select_gig(2)
    assert "demo client of your local test chain" in page.next_step.text()
    assert page.deliver_button.isVisible() and not page.deliver_button.isEnabled()
    ui_helpers.click(qtbot, page.accept_button)
    confirm(qtbot, page, ui_helpers)
    qtbot.waitUntil(lambda: status_of(page, 2) == "funded", timeout=10_000)
    page.select_gig(2)
    assert "tell it so, and it releases the payment" in page.next_step.text()
    assert page.deliver_button.isEnabled() and not page.release_button.isEnabled()

    # another account of the vault is not its talent: it cannot claim the work
    use_account(qtbot, page, USER_ADDRESS)
    page.select_gig(2)
    assert not page.deliver_button.isEnabled()

    use_account(qtbot, page, talent)
    page.select_gig(2)
    before = on_chain(qtbot, session, lambda s: s.chain.btk_balance(talent))
    with qtbot.waitSignal(page.message, timeout=20_000) as said:
        ui_helpers.click(qtbot, page.deliver_button)
    assert "The demo client released offer #2: 58.5 BTK to you." == said.args[0]
    qtbot.waitUntil(lambda: status_of(page, 2) == "released", timeout=10_000)
    after = on_chain(qtbot, session, lambda s: s.chain.btk_balance(talent))
    assert after - before == 585 * BTK // 10
    assert not page.deliver_button.isEnabled() and page.status_badge.text() == "Paid"
