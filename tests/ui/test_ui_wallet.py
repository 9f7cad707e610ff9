"""The Wallet page through its real widgets on the embedded chain: balances, send and tip
through the form and the one confirmation dialog, inline errors as one types, the
receive QR, and the history with its filters."""

from PySide6.QtCore import QBuffer, QIODevice, Qt

from tests.chain.conftest import USER_ADDRESS
from vault.chain.units import format_units
from vault.did import did_pkh
from vault.qr.scan import read_image

BTK = 10**18
FRIEND = "0x00000000000000000000000000000000000fE11D"
# The user's own address with one capital letter typed small: a checksum typo.
TYPO = USER_ADDRESS.replace("EfFD", "efFD")


def open_wallet(workspace, qtbot):
    workspace.nav.setCurrentRow(workspace.TITLES.index("Wallet"))
    page = workspace.wallet_page
    qtbot.waitUntil(lambda: page.holdings is not None and page.history_loaded, timeout=20_000)
    return page


def send_through_form(page, qtbot, ui_helpers, to, amount, *, asset="BTK", note=""):
    ui_helpers.type_text(qtbot, page.to_field, to)
    page.asset_box.setCurrentText(asset)
    ui_helpers.type_text(qtbot, page.amount_field, amount)
    ui_helpers.type_text(qtbot, page.note_field, note)
    ui_helpers.click(qtbot, page.send_button)
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage == "confirm", timeout=20_000)
    with qtbot.waitSignal(flow.succeeded, timeout=20_000) as done:
        ui_helpers.click(qtbot, flow.dialog.confirm_button)
    flow.dialog.accept()
    return done.args[0]


def test_balances_then_send_and_tip_update_balances_and_history(chain_window, qtbot, ui_helpers):
    page = open_wallet(chain_window, qtbot)
    assert page.btk_value.text() == "5,000,000 BTK"
    assert page.eth_value.text() == "100 ETH"
    assert page.tier_value.text() == "Patron" and "top tier" in page.tier_detail.text()
    assert not page.send_button.isEnabled()
    assert "No transactions yet" in page.history_empty.text()

    # to a did:pkh: the form shows the account it names
    records = send_through_form(page, qtbot, ui_helpers, did_pkh.from_address(FRIEND), "12.5")
    assert records[0].status == "success"
    qtbot.waitUntil(lambda: page.btk_value.text() == "4,999,987.5 BTK", timeout=10_000)
    assert page.amount_field.text() == "" and page.to_field.text() == did_pkh.from_address(FRIEND)
    assert page.session.chain.btk_balance(FRIEND) == 12_500_000_000_000_000_000
    qtbot.waitUntil(lambda: page.history_model.rowCount() == 1)

    records = send_through_form(page, qtbot, ui_helpers, FRIEND, "1", note="thanks for the review")
    assert records[0].kind == "tip"
    qtbot.waitUntil(lambda: page.history_model.rowCount() == 2)
    assert page.btk_value.text() == "4,999,986.5 BTK"

    model = page.history_proxy
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    newest, oldest = rows
    assert "thanks for the review" in newest[1] and newest[2] == "1 BTK" and newest[3] == FRIEND
    assert newest[4] == "✓ Succeeded"
    assert oldest[1] == f"Send 12.5 BTK to {FRIEND}" and oldest[2] == "12.5 BTK"
    assert page.history_count.text() == "2 transactions"

    # the detail of a row: what happened, the note, and its hash to copy
    table = page.history_table
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualRect(model.index(0, 1)).center())
    assert page.detail.isVisible()
    assert "Note: thanks for the review" in page.detail_text.text()
    assert page.detail_hash.text() == records[0].hash
    ui_helpers.click(qtbot, page.copy_hash_button)
    from PySide6.QtGui import QGuiApplication
    assert QGuiApplication.clipboard().text() == records[0].hash


def test_the_form_explains_each_mistake_as_it_is_typed(chain_window, qtbot, ui_helpers):
    page = open_wallet(chain_window, qtbot)
    ui_helpers.type_text(qtbot, page.amount_field, "5")
    ui_helpers.type_text(qtbot, page.to_field, TYPO)
    assert page.to_message.kind == "error" and "typo" in page.to_message.text()
    assert "capital letters" in page.to_message.text()
    assert not page.send_button.isEnabled()
    ui_helpers.type_text(qtbot, page.to_field, "0x12345")
    assert "not an Ethereum address" in page.to_message.text() and "this has 5" in page.to_message.text()
    ui_helpers.type_text(qtbot, page.to_field, FRIEND.lower())     # no checksum at all: fine
    assert not page.to_message.isVisible() and page.send_button.isEnabled()

    for amount, why in (("abc", "not an amount"), ("0", "more than zero"),
                        ("0.0000000000000000001", "more than 18 decimals"),
                        ("5000000.1", "more than the 5,000,000 BTK you hold")):
        ui_helpers.type_text(qtbot, page.amount_field, amount)
        assert page.amount_message.kind == "error" and why in page.amount_message.text(), amount
        assert not page.send_button.isEnabled()
    page.asset_box.setCurrentText("ETH")
    ui_helpers.type_text(qtbot, page.amount_field, "100.5")
    assert "more than the 100 ETH you hold" in page.amount_message.text()
    ui_helpers.type_text(qtbot, page.note_field, "x" * 281)
    ui_helpers.type_text(qtbot, page.amount_field, "1")
    assert "at most 280 characters" in page.note_message.text() and not page.send_button.isEnabled()
    ui_helpers.type_text(qtbot, page.note_field, "")
    assert page.send_button.isEnabled() and page.send_button.text() == "Send ETH…"


def test_insufficient_balance_for_the_fee_is_refused_by_the_dialog_and_nothing_is_sent(
        chain_window, qtbot, ui_helpers):
    page = open_wallet(chain_window, qtbot)
    # All 100 ETH: not more than held, so the form allows it; but the fee comes on top.
    ui_helpers.type_text(qtbot, page.to_field, FRIEND)
    page.asset_box.setCurrentText("ETH")
    ui_helpers.type_text(qtbot, page.amount_field, "100")
    assert page.send_button.isEnabled()
    ui_helpers.click(qtbot, page.send_button)
    flow = page.write_flow
    qtbot.waitUntil(lambda: flow.dialog.stage == "result", timeout=20_000)
    dialog = flow.dialog
    assert dialog.result.kind == "error" and "Not enough ETH for the network fee" in dialog.result.text()
    assert "Nothing was signed or sent." in dialog.result_details.text()
    assert dialog.advice.text().startswith("What to do: ")
    dialog.accept()
    assert page.amount_field.text() == "100" and page.to_field.text() == FRIEND   # nothing lost
    assert page.session.chain.eth_balance(FRIEND) == 0


def test_receive_shows_the_address_and_a_qr_that_decodes_to_it(chain_window, qtbot, ui_helpers):
    page = open_wallet(chain_window, qtbot)
    ui_helpers.click(qtbot, page.receive_button)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.text_label.text() == USER_ADDRESS
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    assert dialog.qr_label.grab().save(buffer, "PNG")             # what is on screen
    assert read_image(bytes(buffer.data())) == [USER_ADDRESS]
    ui_helpers.click(qtbot, dialog.copy_button)
    from PySide6.QtGui import QGuiApplication
    assert QGuiApplication.clipboard().text() == USER_ADDRESS
    ui_helpers.click(qtbot, dialog.close_button)
    assert page.dialog is None


def test_history_filters_by_status_kind_and_text(chain_window, qtbot, ui_helpers):
    from vault.chain import staking, wallet

    page = open_wallet(chain_window, qtbot)

    def sends(s):   # history of three kinds, made by the core on the chain thread
        s.send(s.preview(wallet.send_request(s, USER_ADDRESS, FRIEND, 3 * BTK)))
        s.send(s.preview(wallet.tip_request(s, USER_ADDRESS, FRIEND, BTK, "coffee")))
        for request in staking.stake_requests(s, USER_ADDRESS, 1, 50 * BTK):
            s.send(s.preview(request))

    job = page.session.run_service(sends)
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    page.session.changed.emit()
    qtbot.waitUntil(lambda: page.history_model.rowCount() == 4, timeout=10_000)
    assert page.btk_detail.text() == f"plus {format_units(50 * BTK, 'BTK')} staked"
    proxy = page.history_proxy

    def whats():
        return [proxy.index(r, 1).data() for r in range(proxy.rowCount())]

    page.kind_filter.setCurrentIndex(page.kind_filter.findData("send"))
    assert len(whats()) == 2 and all(w.startswith(("Send", "Tip")) for w in whats())
    assert page.history_count.text() == "2 of 4 transactions"
    ui_helpers.type_text(qtbot, page.search_field, "COFFEE")
    assert len(whats()) == 1 and "coffee" in whats()[0]
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("staking"))
    assert whats() == [] and page.history_empty.text() == "No transaction matches these filters."
    ui_helpers.type_text(qtbot, page.search_field, "")
    assert len(whats()) == 1 and proxy.index(0, 3).data() == "validator 1"
    page.kind_filter.setCurrentIndex(0)
    page.status_filter.setCurrentIndex(page.status_filter.findData("failed"))
    assert whats() == []

    # a transaction sent without waiting stays pending in the history until it is
    # settled: it is marked, and found by the Pending filter
    page.status_filter.setCurrentIndex(page.status_filter.findData("pending"))
    job = page.session.run_service(
        lambda s: s.send(s.preview(wallet.send_request(s, USER_ADDRESS, FRIEND, BTK)), wait=False))
    with qtbot.waitSignal(job.finished, timeout=20_000) as sent:
        pass
    record = sent.args[0]
    assert record.status == "pending"
    page.session.changed.emit()
    qtbot.waitUntil(lambda: whats() == [record.description], timeout=10_000)
    assert proxy.index(0, 4).data() == "⏳ Pending"
    assert proxy.index(0, 4).data(Qt.FontRole).bold()


def test_the_tier_line_says_what_is_missing_to_the_next():
    from ui.chain.wallet.models import tier_explanation, tier_thresholds

    assert tier_explanation("basic", "premium", 250 * BTK) == \
        "Counts the BTK you hold and stake. 250 BTK more to reach Premium."
    assert tier_explanation("patron", None, None).endswith("You are in the top tier.")
    assert "Premium from 1,000 BTK, Patron from 10,000 BTK" in tier_thresholds()


from tests.chain.conftest import anvil_deployment, anvil_node  # noqa: E402,F401 - a JSON-RPC network


def test_the_local_test_chain_says_what_it_is_and_a_shared_network_does_not(chain_window, qtbot, anvil_node,
                                                                               anvil_deployment):
    from vault import settings
    from vault.chain.networks import FAUCET_GRANT_BTK, FAUCET_GRANT_ETH

    window, session = chain_window.window(), chain_window.chain_session
    page = open_wallet(chain_window, qtbot)
    local = "Local test chain: these BTK exist only on this computer"
    assert page.local_chain.isVisible() and page.local_chain.title.text() == local
    body = page.local_chain.body.text()
    grant = f"{format_units(FAUCET_GRANT_BTK, 'BTK')} and {format_units(FAUCET_GRANT_ETH, 'ETH')}"
    assert f"Welcome grant on the local test chain: {grant}" in body and grant == "5,000 BTK and 1 ETH"
    assert "restored elsewhere from its recovery phrase" in body
    assert "Settings → Network" in body and "vault chain use rpc URL --manifest F" in body
    qtbot.waitUntil(lambda: window.network_label.text() == local, timeout=10_000)

    _manifest, deployer = anvil_deployment
    snapshot = deployer._dev_rpc("evm_snapshot", [])
    try:
        settings.use_rpc_network(window.config.data_dir, anvil_node.url, "anvil-local")
        window._on_network_changed()                   # what Settings' network_changed does
        qtbot.waitUntil(lambda: session.state == "connected" and not session.is_embedded, timeout=30_000)
        qtbot.waitUntil(lambda: page.holdings is not None and page.holdings.chain_id == 31337, timeout=20_000)
        assert not page.local_chain.isVisible()
        qtbot.waitUntil(lambda: window.network_label.text() == "Network: anvil-local", timeout=10_000)
        assert "test chain" not in window.network_label.toolTip()
    finally:
        session.close()
        deployer._dev_rpc("evm_revert", [snapshot])
