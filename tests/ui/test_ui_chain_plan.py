"""The desktop and the command line reach the same plan for the same action: both run it
through TxService.run (seen by a spy that records the plan and runs the real one), the
desktop from its page on the chain thread, the CLI in-process; each answers no at its
confirmation and nothing is signed."""

import pytest
from PySide6.QtCore import Qt

from tests.chain.conftest import USER_ADDRESS
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI fixtures (a copy of the same chain)
from vault.chain.staking import POOL_UPDATE_GAS
from vault.chain.transactions import CHECKPOINT_GAS, TxService
from vault.did import did_pkh

FRIEND = "0x00000000000000000000000000000000000fE11D"


@pytest.fixture
def plans(monkeypatch):
    """Every plan TxService.run is given, in order; the real run goes on."""
    seen = []
    real = TxService.run

    def spy(self, plan, **kwargs):
        seen.append(plan)
        return real(self, plan, **kwargs)
    monkeypatch.setattr(TxService, "run", spy)
    return seen


@pytest.fixture
def declining_terminal(monkeypatch):
    """A person on a terminal who answers no to every question; the questions asked."""
    asked = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "n")
    return asked


def _cancel_at_confirm(qtbot, session, flow):
    qtbot.waitUntil(lambda: flow.dialog.stage in ("confirm", "result"), timeout=20_000)
    assert flow.dialog.stage == "confirm", flow.dialog.result.text()
    with qtbot.waitSignal(flow.finished, timeout=5_000):
        qtbot.mouseClick(flow.dialog.cancel_button, Qt.LeftButton)
    session.runner.wait()   # the chain thread was told no: run() returned, nothing signed


def test_staking_10_btk_with_validator_1_is_the_same_plan_in_the_app_and_the_cli(
        chain_window, qtbot, ui_helpers, vault, plans, declining_terminal):  # noqa: F811
    session = chain_window.chain_session
    chain_window.show_page("Staking")
    page = chain_window.staking_page
    qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)
    row = page.model.row_of(1)
    rect = page.table.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.LeftButton, pos=rect.center())
    ui_helpers.type_text(qtbot, page.stake_amount, "10")
    ui_helpers.click(qtbot, page.stake_button)
    _cancel_at_confirm(qtbot, session, page.write_flow)
    app, = plans
    assert page.write_flow.plan is app

    code, out, err = vault("stake", "stake", "--validator", "1", "--amount", "10", json_out=False)
    assert code == 1 and "Not sent." in out and declining_terminal == ["Send it? [y/N] "]
    _, cli = plans

    assert [r.kind for r in app.requests] == ["btk-approve", "stake"]
    assert cli.requests == app.requests   # calldata, amounts, gas placeholders, margins, words
    # Each step carries its own margin: the pool's for the stake, the default for the approval.
    assert [r.margin for r in cli.requests] == [CHECKPOINT_GAS, POOL_UPDATE_GAS]
    assert app.requests[1].params == {"validator": 1, "amount": str(10 * 10**18)}
    # Nothing was signed by either.
    assert session.service.history() == []
    assert vault("tx", "list")[1] == []


def test_a_send_to_a_did_pkh_is_the_same_plan_in_the_app_tx_send_and_wallet_send(
        chain_window, qtbot, ui_helpers, vault, plans, declining_terminal):  # noqa: F811
    """`vault tx send` refused a did:pkh the desktop accepts; now one parser reads both."""
    session = chain_window.chain_session
    to = did_pkh.from_address(FRIEND)
    chain_window.show_page("Wallet")
    page = chain_window.wallet_page
    qtbot.waitUntil(lambda: page.holdings is not None, timeout=20_000)
    ui_helpers.type_text(qtbot, page.to_field, to)
    ui_helpers.type_text(qtbot, page.amount_field, "12.5")
    ui_helpers.click(qtbot, page.send_button)
    _cancel_at_confirm(qtbot, session, page.write_flow)

    for command in ("tx", "wallet"):
        code, out, err = vault(command, "send", "--to", to, "--amount", "12.5", json_out=False)
        assert code == 1 and "Not sent." in out, err
    app, tx_send, wallet_send = plans
    request, = app.requests
    assert request.kind == "btk-transfer" and request.sender == USER_ADDRESS and request.params["to"] == FRIEND
    assert tx_send.requests == app.requests and wallet_send.requests == app.requests
    assert session.service.history() == [] and vault("tx", "list")[1] == []
