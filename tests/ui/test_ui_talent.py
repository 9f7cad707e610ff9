"""The talent network on the Marketplace page, through its real widgets on the embedded
chain: a client posts an offer gated on a credential; a second account's bid is refused
for the missing credential (the form says which issuer to ask, offers no Bid button, and
nothing is signed); an issuer anchors a credential to it (vault.anchoring's hash of a
credential in the vault) and declares its type; it bids with a stake; a third account
bids without; the client accepts the staked bid (the other stake returned), sees the
split, funds price + fee and releases: the talent receives the whole price and its bond,
and its connector (named in the Connectors section) sees and withdraws its earnings.
Then a stake gate, a hostile bid message, a withdrawn bid and a forced Accept."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from tests.chain.conftest import PASSPHRASE, USER_ADDRESS, USER_PHRASE, copy_embedded
from tests.chain.test_flow_soulbound import CREDENTIAL, OTHER
from vault.chain.contracts import BTK
from vault.chain.embedded import dev_address
from vault.chain.extensions.talent_market import DEMO_OFFERS
from vault.credentials.service import CredentialService

BADGE = "OpenBadgeCredential"   # both fixture credentials are Open Badges
OID = len(DEMO_OFFERS)          # the test's offer: after the embedded chain's demo offers


@pytest.fixture
def talent_page(make_window, config, embedded_template, qtbot, ui_helpers):
    """The Marketplace page of a vault with four accounts (the client, USER_ADDRESS with
    5M BTK; "Talent", "Third" and "Connector", funded by the embedded faucet at connect),
    on the embedded chain, which deploys the talent market with its suite. Returns (page, {name: address})."""
    from vault.identity import Identity

    identity = Identity.restore(config.data_dir, PASSPHRASE, USER_PHRASE, kdf_target=0)
    people = {name: identity.add_account(name).address for name in ("Talent", "Third", "Connector")}
    identity.store.lock()
    copy_embedded(embedded_template, config.data_dir)
    window = make_window(config)
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    workspace.start_chain()
    session = workspace.chain_session
    qtbot.waitUntil(lambda: session.state == "connected", timeout=30_000)
    workspace.nav.setCurrentRow(workspace.TITLES.index("Marketplace"))
    page = workspace.pages.currentWidget()
    qtbot.waitUntil(lambda: page.data is not None and "offers" in page.data["talent"], timeout=20_000)
    return page, people


def anchor(service, holder: str, original: bytes, credential_type: str) -> int:  # chain thread
    """The embedded chain's issuer anchors ``original`` (its vault.anchoring hash) to
    ``holder`` and declares its type on the talent market; returns the token id."""
    from vault.anchoring.hashing import credential_hash
    from vault.chain.embedded import dev_key
    from vault.chain.talent import TalentMarket, credential_type_hash

    chain, key = service.chain, dev_key("issuer")
    sbt, token, market = chain.contracts.soulbound, chain.contracts.token, TalentMarket(chain).m
    chain.transact(key, {"to": token.address, "data": token.encode_abi("approve", [sbt.address, 10 * BTK])})
    chain.transact(key, {"to": sbt.address, "data": sbt.encode_abi("issue", [holder, credential_hash(original), ""])})
    token_id = sbt.functions.totalIssued().call()
    chain.transact(key, {"to": market.address, "data": market.encode_abi(
        "setCredentialType", [token_id, credential_type_hash(credential_type)])})
    return token_id


def on_chain(qtbot, session, fn, *args):
    job = session.run_service(fn, *args)
    with qtbot.waitSignal(job.finished, timeout=30_000) as done:
        pass
    return done.args[0]


def confirm(qtbot, page, ui_helpers, *, steps=1):
    """Wait for the confirm step of the page's write, send, wait until mined; its intro lines."""
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage in ("confirm", "result"), timeout=20_000)
    assert flow.dialog.stage == "confirm", flow.dialog.result.text()
    intro = [label.text() for label in flow.dialog.confirm_page.findChildren(QLabel, "txIntro")]
    assert len(flow.requests) == steps
    ui_helpers.click(qtbot, flow.dialog.confirm_button)
    qtbot.waitUntil(lambda: flow.dialog.stage == "result", timeout=30_000)
    assert flow.records, flow.dialog.result.text()
    flow.dialog.accept()
    return "\n".join(intro), flow.records


def use_account(qtbot, page, address):
    page.account_box.setCurrentIndex(page.account_box.findData(address))
    qtbot.waitUntil(lambda: page.data["account"] == address and page.talent.model.account == address)


def offer_status(page, offer_id):
    return page.talent.model.rows[page.talent.model.row_of(offer_id)]["status"]


def history_kinds(qtbot, session):
    return on_chain(qtbot, session, lambda s: [r.kind for r in s.history(status=None)])


def open_bid_form(qtbot, page, ui_helpers):
    before = page.dialog
    ui_helpers.click(qtbot, page.talent.panel.bid_button)
    qtbot.waitUntil(lambda: page.dialog is not before and page.dialog is not None and page.dialog.isVisible(),
                    timeout=20_000)
    return page.dialog


def bid(qtbot, page, ui_helpers, price, stake, message, *, steps):
    form = open_bid_form(qtbot, page, ui_helpers)
    assert form.bid_button.isVisible() and not form.gates.text()
    ui_helpers.type_text(qtbot, form.price, price)
    ui_helpers.type_text(qtbot, form.stake, stake)
    form.message.setPlainText(message)
    ui_helpers.click(qtbot, form.bid_button)
    return confirm(qtbot, page, ui_helpers, steps=steps)


def test_gated_offer_bids_accept_fund_release_pay_talent_and_connector(talent_page, qtbot, ui_helpers):
    page, people = talent_page
    session, talent, third, connector = page.session, people["Talent"], people["Third"], people["Connector"]
    tv, issuer = page.talent, dev_address("issuer")

    # ---- the talent names its connector, once (the Connectors section)
    use_account(qtbot, page, talent)
    assert page.connectors.register_row.isVisible() and "1 % of the price" in page.connectors.how.text()
    ui_helpers.type_text(qtbot, page.connectors.referrer_field, connector)
    ui_helpers.click(qtbot, page.connectors.register_button)
    intro, _ = confirm(qtbot, page, ui_helpers)
    assert "You can name a referrer once" in intro
    qtbot.waitUntil(lambda: page.data["talent"]["connector"]["referrer"] == connector)
    assert not page.connectors.register_row.isVisible() and connector in page.connectors.referrer.text()

    # ---- the client posts an offer for holders of an Open Badge from the issuer (typed)
    use_account(qtbot, page, USER_ADDRESS)
    ui_helpers.click(qtbot, page.post_button)
    post = page.dialog
    ui_helpers.type_text(qtbot, post.title, "Audit a token contract")
    ui_helpers.type_text(qtbot, post.budget, "1,000")
    post.gates.need_credential.setChecked(True)
    post.gates.picker.setCurrentIndex(post.gates.picker.count() - 1)   # none anchored yet: type it
    ui_helpers.type_text(qtbot, post.gates.issuer, issuer)
    ui_helpers.click(qtbot, post.post_button)
    assert post.error.text().startswith("Credential type:") and post.focusWidget() is post.gates.credential_type
    ui_helpers.type_text(qtbot, post.gates.credential_type, BADGE)
    ui_helpers.click(qtbot, post.post_button)
    intro, _ = confirm(qtbot, page, ui_helpers)
    assert "You offer up to 1,000 BTK" in intro and f"valid {BADGE} credential from {issuer}" in intro
    qtbot.waitUntil(lambda: tv.model.rowCount() == OID + 1)
    qtbot.waitUntil(lambda: tv.selected_id() == OID)
    assert tv.panel.facts["needs"].text() == f"a credential ({BADGE}) from {issuer}"
    assert not tv.panel.bid_button.isEnabled() and "You posted this offer" in tv.panel.bid_button.toolTip()

    # ---- the talent has no such credential: the form says what is missing, offers no Bid
    use_account(qtbot, page, talent)
    tv.select_offer(OID)
    assert tv.panel.bid_button.isEnabled()
    flow_before = page.write_flow
    form = open_bid_form(qtbot, page, ui_helpers)
    assert "ask that issuer to issue one and anchor it" in form.gates.text() and issuer in form.gates.text()
    assert not form.bid_button.isVisible() and not form.form_box.isVisible()
    form._on_bid()    # even a forced click sends nothing
    assert form.values is None and page.write_flow is flow_before
    ui_helpers.click(qtbot, form.cancel_button)
    assert "talent-bid" not in history_kinds(qtbot, session)

    # ---- an issuer anchors a credential of the vault to the talent, declares its type; it bids with a stake
    original = OTHER.read_bytes()
    CredentialService(session.identity.store).import_bytes(original)   # the vault holds what is anchored
    on_chain(qtbot, session, anchor, talent, original, BADGE)
    session.note_settled()
    held = on_chain(qtbot, session, lambda s: s.chain.btk_balance(talent))
    intro, records = bid(qtbot, page, ui_helpers, "900", "50", "Three days, with tests.\n<b>no markup</b>", steps=2)
    assert [r.kind for r in records] == ["btk-approve", "talent-bid"]
    assert "You stake 50 BTK behind the bid" in intro
    assert on_chain(qtbot, session, lambda s: s.chain.btk_balance(talent)) == held - 50 * BTK

    # ---- a third account (with its own anchored badge) bids without a stake
    use_account(qtbot, page, third)
    on_chain(qtbot, session, anchor, third, CREDENTIAL.read_bytes(), BADGE)
    session.note_settled()
    tv.select_offer(OID)
    bid(qtbot, page, ui_helpers, "700", "", "Cheaper", steps=1)

    # ---- the client sees both bids, the staked one first, and accepts it
    use_account(qtbot, page, USER_ADDRESS)
    tv.select_offer(OID)
    qtbot.waitUntil(lambda: tv.bids.model.rowCount() == 2)
    rows = [[tv.bids.model.index(r, c).data() for c in range(6)] for r in range(2)]
    from vault.chain.talent import TalentMarket   # the page's one read of all bids is the core's per offer
    assert page.data["talent"]["bids"][0] == on_chain(qtbot, session, lambda s: TalentMarket(s.chain).bids(
        0, all_bids=True))
    assert rows[0][1:4] == ["900 BTK", "50 BTK", "new"] and rows[1][1:3] == ["700 BTK", "none"]
    assert rows[0][4] == "Three days, with tests. <b>no markup</b>"          # shown as written, never as rich text
    assert "2 open bids" in tv.panel.next_step.text()
    assert not tv.bids.accept_button.isEnabled()                                # select a bid first
    tv.bids.select_bid(tv.bids.model.rows[0]["bid_id"])
    assert tv.bids.accept_button.isEnabled() and not tv.bids.withdraw_button.isEnabled()
    before_third = on_chain(qtbot, session, lambda s: s.chain.btk_balance(third))
    ui_helpers.click(qtbot, tv.bids.accept_button)
    intro, _ = confirm(qtbot, page, ui_helpers)
    assert f"You accept {talent}'s bid of 900 BTK" in intro and "The other bid gets its stake back at once." in intro
    qtbot.waitUntil(lambda: offer_status(page, OID) == "accepted")
    assert on_chain(qtbot, session, lambda s: s.chain.btk_balance(third)) == before_third   # it staked nothing

    # ---- the split is shown before funding; fund (approve + fund), then release
    assert tv.panel.split.isVisible()
    sentence = "You pay 900 + 22.5 fee; talent receives 900; connectors 9; treasury 13.5; burned 0 (BTK)."
    assert tv.panel.split.sentence.text() == sentence
    assert tv.panel.split.values["pay"].text().startswith("922.5 BTK")
    assert tv.panel.fund_button.isEnabled()
    ui_helpers.click(qtbot, tv.panel.fund_button)
    intro, records = confirm(qtbot, page, ui_helpers, steps=2)
    assert sentence in intro and [r.kind for r in records] == ["btk-approve", "talent-fund"]
    qtbot.waitUntil(lambda: offer_status(page, OID) == "funded")
    assert "the client can take a refund from" in tv.panel.facts["delivery"].text()
    assert tv.ticker.isActive()                        # its countdown moves on while shown
    before = on_chain(qtbot, session, lambda s: s.chain.btk_balance(talent))
    ui_helpers.click(qtbot, tv.panel.release_button)
    intro, _ = confirm(qtbot, page, ui_helpers)
    assert sentence in intro
    qtbot.waitUntil(lambda: offer_status(page, OID) == "released")
    assert on_chain(qtbot, session, lambda s: s.chain.btk_balance(talent)) == before + 950 * BTK   # price + bond

    # ---- the connector sees its earnings and withdraws them
    use_account(qtbot, page, connector)
    qtbot.waitUntil(lambda: "to withdraw: 9 BTK" in page.connectors.earnings.text())
    assert talent in page.connectors.referred.text() and page.connectors.withdraw_button.isEnabled()
    held = on_chain(qtbot, session, lambda s: s.chain.btk_balance(connector))
    ui_helpers.click(qtbot, page.connectors.withdraw_button)
    confirm(qtbot, page, ui_helpers)
    assert on_chain(qtbot, session, lambda s: s.chain.btk_balance(connector)) == held + 9 * BTK
    qtbot.waitUntil(lambda: not page.connectors.withdraw_button.isEnabled())

    # ---- the next offer's gate can be picked from the vault's own anchored credentials
    use_account(qtbot, page, USER_ADDRESS)
    ui_helpers.click(qtbot, page.post_button)
    gates = page.dialog.gates
    gates.need_credential.setChecked(True)
    assert gates.picker.count() == 2 and gates.picker.itemText(0).startswith(f"{BADGE} from 0xFd957e")
    assert (gates.issuer.text(), gates.credential_type.text()) == (issuer, BADGE) and gates.issuer.isReadOnly()
    assert gates.values() == {"issuer": issuer, "credential_type": BADGE, "min_stake": 0}
    ui_helpers.click(qtbot, page.dialog.cancel_button)


def test_stake_gate_says_how_much_more_a_bid_is_withdrawn_and_a_forced_accept_signs_nothing(
        talent_page, qtbot, ui_helpers):
    """A minimum-stake gate: the form says how much more to stake; once staked, a bid with
    a hostile message (a bidi override) is shown as written; its bidder withdraws it and
    gets the stake back; the bidder forcing the client's Accept is refused before signing."""
    from vault.chain import staking

    page, people = talent_page
    session, talent, tv = page.session, people["Talent"], page.talent

    # ---- the embedded chain's demo offers are listed, their gates in words
    needs = {o["id"]: tv.model.index(tv.model.row_of(o["id"]), tv.model.NEEDS).data() for o in tv.model.rows}
    assert needs == {0: "anyone may bid", 1: f"a credential (CourseCompletionCredential) from {dev_address('issuer')}",
                     2: "100 BTK staked"}

    # ---- the client asks bidders for 100 BTK staked
    ui_helpers.click(qtbot, page.post_button)
    post = page.dialog
    ui_helpers.type_text(qtbot, post.title, "Mock interview")
    ui_helpers.type_text(qtbot, post.budget, "150")
    post.gates.need_stake.setChecked(True)
    ui_helpers.type_text(qtbot, post.gates.min_stake, "100")
    ui_helpers.click(qtbot, post.post_button)
    intro, _ = confirm(qtbot, page, ui_helpers)
    assert "Bidders need 100 BTK staked." in intro
    qtbot.waitUntil(lambda: tv.selected_id() == OID)
    assert tv.panel.facts["needs"].text() == "100 BTK staked"

    # ---- the talent has nothing staked: how much more, and no Bid
    use_account(qtbot, page, talent)
    tv.select_offer(OID)
    form = open_bid_form(qtbot, page, ui_helpers)
    assert "you have 0 BTK staked: stake 100 BTK more with a validator" in form.gates.text()
    assert not form.bid_button.isVisible()
    ui_helpers.click(qtbot, form.cancel_button)

    on_chain(qtbot, session, lambda s: staking.send_all(s, staking.stake_requests(s, talent, 1, 150 * BTK)))
    session.note_settled()
    held = on_chain(qtbot, session, lambda s: s.chain.btk_balance(talent))
    bid(qtbot, page, ui_helpers, "120", "30", "Fast \u202eevil\u202c reply", steps=2)
    qtbot.waitUntil(lambda: tv.bids.model.rowCount() == 1)
    assert tv.bids.model.index(0, 4).data() == "Fast ⟨U+202E⟩evil⟨U+202C⟩ reply"    # shown, never obeyed

    # ---- the bidder forces the client's Accept (its button is disabled): refused before signing
    own = tv.bids.model.rows[0]
    tv.bids.select_bid(own["bid_id"])
    assert not tv.bids.accept_button.isEnabled() and "Only the client" in tv.bids.accept_button.toolTip()
    tv.accept_bid(own)
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage == "result", timeout=20_000)
    assert "Only the client" in flow.dialog.result.text()
    assert "Nothing was signed or sent." in flow.dialog.result_details.text()
    flow.dialog.accept()
    assert "talent-accept-bid" not in history_kinds(qtbot, session)

    # ---- the bidder withdraws its bid: the stake comes back
    assert tv.bids.withdraw_button.isEnabled()
    ui_helpers.click(qtbot, tv.bids.withdraw_button)
    intro, _ = confirm(qtbot, page, ui_helpers)
    assert "and its 30 BTK stake" in intro
    assert on_chain(qtbot, session, lambda s: s.chain.btk_balance(talent)) == held
    qtbot.waitUntil(lambda: tv.bids.model.rows and tv.bids.model.rows[0]["status"] == "withdrawn")
    assert tv.panel.bid_button.isEnabled()          # it may bid again

    # ---- the client cancels the offer
    use_account(qtbot, page, USER_ADDRESS)
    tv.select_offer(OID)
    ui_helpers.click(qtbot, tv.panel.cancel_button)
    confirm(qtbot, page, ui_helpers)
    qtbot.waitUntil(lambda: offer_status(page, OID) == "cancelled")
    assert not tv.panel.cancel_button.isEnabled() and "it was cancelled" in tv.panel.cancel_button.toolTip()
    use_account(qtbot, page, talent)
    assert not tv.panel.bid_button.isEnabled() and "it was cancelled" in tv.panel.bid_button.toolTip()


def test_a_newcomers_first_gig_on_a_demo_offer_ends_paid(talent_page, qtbot, ui_helpers):
    """On the local test chain, a bid on the demo client's offer is accepted and paid into
    escrow at once; its talent tells the demo client the work is delivered (the button is
    there only for its talent, only once funded) and receives the whole price."""
    page, people = talent_page
    session, talent, tv = page.session, people["Talent"], page.talent
    use_account(qtbot, page, talent)
    tv.select_offer(0)   # "Write unit tests …": anyone may bid
    assert "demo client of your local test chain" in tv.panel.next_step.text()
    assert tv.deliver_button.isVisible() and not tv.deliver_button.isEnabled()
    held = on_chain(qtbot, session, lambda s: s.chain.btk_balance(talent))
    bid(qtbot, page, ui_helpers, "280", "0", "Tests by Friday", steps=1)
    qtbot.waitUntil(lambda: offer_status(page, 0) == "funded", timeout=20_000)
    tv.select_offer(0)
    assert "tell it so, and it releases the payment" in tv.panel.next_step.text()
    assert tv.deliver_button.isEnabled()
    use_account(qtbot, page, USER_ADDRESS)   # not the talent: no button to press
    tv.select_offer(0)
    assert not tv.deliver_button.isEnabled()
    use_account(qtbot, page, talent)
    tv.select_offer(0)
    with qtbot.waitSignal(page.message, timeout=20_000) as said:
        ui_helpers.click(qtbot, tv.deliver_button)
    assert said.args == ["The demo client released offer #0: the whole price to you."]
    qtbot.waitUntil(lambda: offer_status(page, 0) == "released", timeout=20_000)
    assert on_chain(qtbot, session, lambda s: s.chain.btk_balance(talent)) == held + 280 * BTK
