"""The chain session and the one write dialog, through real widgets on the embedded chain."""

import pytest
from PySide6.QtCore import Qt

from tests.chain.conftest import USER_ADDRESS, anvil_deployment, anvil_node  # noqa: F401 - anvil fixtures
from ui.chain.advance import AdvanceControl
from ui.chain.write import start_write
from vault.chain import wallet
from vault.chain.fees import eth
from vault.chain.units import format_units

BTK = 10**18
FRIEND = "0x00000000000000000000000000000000000fE11D"


def test_status_bar_shows_the_network_and_its_block(chain_window, qtbot):
    window = chain_window.window()
    qtbot.waitUntil(lambda: window.block_label.text().startswith("Block: ") and "–" not in window.block_label.text())
    assert window.network_label.text() == "Local test chain: these BTK exist only on this computer"
    assert "Settings → Network" in window.network_label.toolTip()
    block = chain_window.chain_session.chain.block_number
    assert window.block_label.text() == f"Block: {block:,}"


def test_a_transfer_is_confirmed_then_sent_then_mined(chain_window, qtbot, ui_helpers):
    session = chain_window.chain_session
    changes = []
    session.changed.connect(lambda: changes.append(1))
    flow = start_write(session, chain_window, "Send BTK",
                       lambda s: wallet.send_request(s, USER_ADDRESS, FRIEND, 12 * BTK, "BTK"))
    dialog = flow.dialog
    qtbot.waitUntil(lambda: dialog.stage == "confirm")
    texts = [w.text() for w in dialog.confirm_page.findChildren(type(dialog.heading))]
    assert any("12 BTK" in t for t in texts), texts
    preview, = flow.previews   # the network fee as it reads everywhere: 8 decimals, rounded up
    assert f"about {eth(preview.fee_estimate)} (at most {eth(preview.max_fee)}; " in " ".join(texts)
    assert any("embedded" in t for t in texts)                          # the network
    assert session.chain.btk_balance(FRIEND) == 0                       # nothing sent yet
    with qtbot.waitSignal(flow.succeeded, timeout=20_000) as done:
        ui_helpers.click(qtbot, dialog.confirm_button)
    record, = done.args[0]
    assert record.status == "success" and record.block is not None
    assert dialog.stage == "result" and record.hash in dialog.result_details.text()
    assert f"fee {eth(record.fee)}" in dialog.result_details.text()
    assert "mined in block" in dialog.step_labels[0].text()
    assert session.chain.btk_balance(FRIEND) == 12 * BTK
    assert changes
    window = chain_window.window()   # the status bar follows the new block at once
    qtbot.waitUntil(lambda: window.block_label.text() == f"Block: {session.chain.block_number:,}")
    qtbot.waitUntil(lambda: session.pending == 0)
    assert not chain_window.window().pending_label.isVisible()


def test_a_write_that_cannot_succeed_stops_before_signing(chain_window, qtbot):
    session = chain_window.chain_session
    held = session.chain.btk_balance(USER_ADDRESS)
    flow = start_write(session, chain_window, "Send BTK",
                       lambda s: wallet.send_request(s, USER_ADDRESS, FRIEND, held + BTK, "BTK"))
    with qtbot.waitSignal(flow.failed, timeout=20_000) as failed:
        pass
    assert failed.args[0].reason == "insufficient-btk"
    dialog = flow.dialog
    assert dialog.stage == "result" and dialog.result.kind == "error"
    assert format_units(held, "BTK") in dialog.result.text()
    assert "Nothing was signed or sent." in dialog.result_details.text()
    assert dialog.advice.text().startswith("What to do: ")
    assert not dialog.confirm_button.isVisible()
    assert session.service.history(limit=1) == []


def test_cancel_on_the_confirm_step_sends_nothing(chain_window, qtbot):
    session = chain_window.chain_session
    flow = start_write(session, chain_window, "Send BTK",
                       lambda s: wallet.send_request(s, USER_ADDRESS, FRIEND, BTK, "BTK"))
    qtbot.waitUntil(lambda: flow.dialog.stage == "confirm")
    with qtbot.waitSignal(flow.finished):
        qtbot.mouseClick(flow.dialog.cancel_button, Qt.LeftButton)
    session.runner.wait()
    assert session.service.history() == [] and session.chain.btk_balance(FRIEND) == 0


def test_the_advance_control_mines_blocks_on_the_embedded_chain(chain_window, qtbot, ui_helpers):
    session = chain_window.chain_session
    control = AdvanceControl(session)
    qtbot.addWidget(control)
    control.show()
    assert control.isVisible()
    before = session.chain.block_number
    control.blocks.setValue(25)
    with qtbot.waitSignal(session.changed, timeout=10_000):
        ui_helpers.click(qtbot, control.mine_button)
    assert session.chain.block_number == before + 25
    assert control.result.text() == f"Now at block {before + 25:,}."
    stamp = session.chain.latest_timestamp()
    with qtbot.waitSignal(session.changed, timeout=10_000):
        ui_helpers.click(qtbot, control.day_button)
    assert session.chain.latest_timestamp() >= stamp + 86_400


def test_locking_closes_the_chain_and_unlocking_reconnects(chain_window, qtbot, ui_helpers):
    window = chain_window.window()
    session = chain_window.chain_session
    window.lock()
    assert session.state == "closed" and session.chain is None
    workspace = ui_helpers.unlock_through_ui(qtbot, window)
    workspace.start_chain()
    qtbot.waitUntil(lambda: workspace.chain_session.state == "connected", timeout=30_000)
    assert workspace.chain_session.chain.btk_balance(USER_ADDRESS) > 0


def test_text_from_the_chain_is_never_read_as_rich_text(chain_window, qtbot):
    """A proposal title or an offer ends up in a confirm dialog's words: markup stays text."""
    from PySide6.QtWidgets import QLabel
    session = chain_window.chain_session
    spoof = "<b>Send 0 BTK</b><br><a href='x'>safe</a>"

    def build(service):
        request = wallet.send_request(service, USER_ADDRESS, FRIEND, BTK, "BTK")
        request.description = spoof
        return request
    flow = start_write(session, chain_window, "Send BTK", build)
    qtbot.waitUntil(lambda: flow.dialog.stage == "confirm")
    labels = [w for w in flow.dialog.confirm_page.findChildren(QLabel) if w.text() == spoof]
    assert labels and all(label.textFormat() == Qt.PlainText for label in labels)
    flow.dialog.reject()


def test_a_pending_transaction_shows_in_the_status_bar_across_a_restart(chain_window, qtbot, ui_helpers):
    window = chain_window.window()
    session = chain_window.chain_session

    def send_without_waiting(service):   # as if the app stopped before it was mined
        return service.send(wallet.send_request(service, USER_ADDRESS, FRIEND, BTK, "BTK"), wait=False)
    with qtbot.waitSignal(session.run_service(send_without_waiting).finished):
        pass
    session.refresh_pending()
    qtbot.waitUntil(lambda: window.pending_label.isVisible())
    assert window.pending_label.text() == "1 transaction pending"

    window.lock()
    assert not window.pending_label.isVisible()
    workspace = ui_helpers.unlock_through_ui(qtbot, window)   # the network is not asked yet (tests)
    qtbot.waitUntil(lambda: window.pending_label.isVisible())
    assert window.pending_label.text() == "1 transaction pending"
    workspace.start_chain()                                   # connecting settles it: mined
    qtbot.waitUntil(lambda: not window.pending_label.isVisible(), timeout=20_000)
    assert workspace.chain_session.service.history(limit=1)[0].status == "success"


def test_an_unreachable_node_is_said_on_every_chain_page_and_retry_reconnects(chain_window, qtbot, ui_helpers):
    """Settings → another network whose node does not answer: the pages say so with a
    Retry, nothing is lost; back to the embedded chain, Retry connects again."""
    from tests.chain.conftest import closed_port
    from vault import settings

    window = chain_window.window()
    session = chain_window.chain_session
    data_dir = window.config.data_dir
    chain_window.show_page("Wallet")
    page = chain_window.wallet_page
    settings.use_rpc_network(data_dir, f"http://127.0.0.1:{closed_port()}", "anvil-local")
    window._on_network_changed()                       # what Settings' network_changed does
    qtbot.waitUntil(lambda: session.state == "failed", timeout=30_000)
    assert page.banner.kind == "error" and "Cannot reach the network" in page.banner.text()
    assert page.retry_button.isVisible()
    qtbot.waitUntil(lambda: window.network_label.text() == "Network: unavailable", timeout=10_000)
    flow = page.write("Send BTK", lambda s: wallet.send_request(s, USER_ADDRESS, FRIEND, BTK, "BTK"))
    assert flow is None                                # no dialog that cannot work

    settings.use_embedded_network(data_dir)
    ui_helpers.click(qtbot, page.retry_button)
    qtbot.waitUntil(lambda: session.state == "connected", timeout=30_000)
    assert not page.banner.isVisible() and session.chain.btk_balance(USER_ADDRESS) > 0


@pytest.fixture
def hostile_window(make_window, config, qtbot, anvil_node, anvil_deployment, tmp_path, ui_helpers):  # noqa: F811
    """The window unlocked on the chain tests' user, whose network is anvil reached only
    through a hostile JSON-RPC proxy (tests/chain/hostile_node.py). Returns (workspace,
    proxy, the deployer's direct Chain on anvil)."""
    from tests.chain.conftest import PASSPHRASE, USER_PHRASE, restore_anvil
    from tests.chain.hostile_node import HostileNode, set_base_fee
    from vault.chain import networks
    from vault.identity import Identity

    manifest, deployer = anvil_deployment
    snapshot = deployer._dev_rpc("evm_snapshot", [])
    set_base_fee(deployer)
    node = HostileNode(anvil_node.url)
    manifest.save(tmp_path / "anvil.json")
    Identity.restore(config.data_dir, PASSPHRASE, USER_PHRASE, kdf_target=0).store.lock()
    networks.save_profile(config.data_dir, networks.NetworkProfile(networks.RPC, node.url,
                                                                   str(tmp_path / "anvil.json")))
    workspace = ui_helpers.unlock_through_ui(qtbot, make_window(config))
    workspace.start_chain()
    qtbot.waitUntil(lambda: workspace.chain_session.state == "connected", timeout=30_000)
    try:
        yield workspace, node, deployer
    finally:
        workspace.chain_session.runner.wait()
        node.close()
        restore_anvil(deployer, snapshot)


def test_a_fee_that_rose_before_sending_is_asked_again(hostile_window, qtbot, ui_helpers):
    from tests.chain.hostile_node import signed_fields
    from vault.chain.fees import eth as _fee, gwei

    workspace, node, deployer = hostile_window
    flow = start_write(workspace.chain_session, workspace, "Send BTK",
                       lambda s: wallet.send_request(s, USER_ADDRESS, FRIEND, 12 * BTK, "BTK"))
    dialog = flow.dialog
    qtbot.waitUntil(lambda: dialog.stage == "confirm", timeout=20_000)
    confirmed = flow.previews[0]
    deployer.advance(1)            # while the person reads, the chain moves on
    node.base_fee_factor = 100     # and its fee spikes
    ui_helpers.click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: dialog.stage == "confirm" and flow.previews[0] is not confirmed, timeout=20_000)
    new = flow.previews[0]
    assert node.raw_sent == [] and workspace.chain_session.service.history() == []   # nothing signed
    warning = dialog.fee_warning
    assert warning.isVisible() and warning.kind == "warning" and warning.textFormat() == Qt.PlainText
    assert "The network fee rose after you confirmed" in warning.text() and "Nothing was signed" in warning.text()
    texts = [w.text() for w in dialog.confirm_page.findChildren(type(dialog.heading))]
    assert any(f"at most {_fee(new.max_fee)}" in t for t in texts)            # the new fee, to confirm
    assert not any(f"at most {_fee(confirmed.max_fee)};" in t for t in texts)  # the old one is gone
    assert dialog.confirm_button.isEnabled() and dialog.cancel_button.isVisible()

    with qtbot.waitSignal(flow.succeeded, timeout=20_000) as done:
        ui_helpers.click(qtbot, dialog.confirm_button)
    record, = done.args[0]
    signed, = map(signed_fields, node.raw_sent)
    assert signed["gas"] * signed["maxFeePerGas"] <= new.max_fee and record.status == "success"
    shown = f"{signed['gas']:,} gas at up to {gwei(signed['maxFeePerGas'])}, tip {gwei(signed['maxPriorityFeePerGas'])}"
    assert "signed for at most" in dialog.result_details.text() and shown in dialog.result_details.text()
    assert len(dialog.step_labels) == 1 and "mined in block" in dialog.step_labels[0].text()


def test_a_later_step_whose_fee_rose_is_asked_again_alone(hostile_window, qtbot, ui_helpers):
    """Approve, then stake: the fee spikes once the approval is sent. The approval stays
    done; the dialog asks again for the stake only, then shows both."""
    from vault.chain import staking

    workspace, node, _ = hostile_window

    def spike(method):
        if method == "eth_sendRawTransaction":
            node.on_answered = None
            node.base_fee_factor = 100
    flow = start_write(workspace.chain_session, workspace, "Stake",
                       lambda s: staking.stake_requests(s, USER_ADDRESS, 0, 10 * BTK))
    dialog = flow.dialog
    qtbot.waitUntil(lambda: dialog.stage == "confirm", timeout=20_000)
    assert len(flow.requests) == 2
    node.on_answered = spike
    ui_helpers.click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: dialog.stage == "confirm" and len(flow.requests) == 1, timeout=20_000)
    assert len(node.raw_sent) == 1 and flow.requests[0].kind == "stake"
    assert "The network fee rose after you confirmed" in dialog.fee_warning.text()
    assert dialog.confirm_button.text() == "Confirm and send"
    with qtbot.waitSignal(flow.succeeded, timeout=20_000) as done:
        ui_helpers.click(qtbot, dialog.confirm_button)
    assert [r.kind for r in done.args[0]] == ["btk-approve", "stake"] and len(node.raw_sent) == 2
    assert all(r.hash in dialog.result_details.text() for r in done.args[0])
