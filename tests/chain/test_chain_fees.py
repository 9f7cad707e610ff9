"""The fee signed is never more than the fee confirmed, against a hostile node: a JSON-RPC
proxy (tests/chain/hostile_node.py) in front of anvil that raises fees after the preview,
proposes absurd ones, or fails a broadcast."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS, restore_anvil
from tests.chain.hostile_node import HostileNode, set_base_fee, signed_fields
from vault.errors import ChainError, FeeRoseError

DEAD = "0x000000000000000000000000000000000000dEaD"
BTK = 10**18


@pytest.fixture
def node(anvil_node, anvil_deployment):
    """The hostile proxy in front of the session's anvil, reset to its snapshot after."""
    _, deployer_chain = anvil_deployment
    snapshot = deployer_chain._dev_rpc("evm_snapshot", [])
    # anvil's next base fee survives evm_revert: put back the one it had, or later tests
    # would see a base fee far above their recent blocks' (an "implausible" node).
    next_base_fee = deployer_chain.w3.eth.get_block("pending")["baseFeePerGas"]
    set_base_fee(deployer_chain)
    proxy = HostileNode(anvil_node.url)
    try:
        yield proxy
    finally:
        proxy.close()
        restore_anvil(deployer_chain, snapshot)
        deployer_chain._dev_rpc("anvil_setNextBlockBaseFeePerGas", [hex(next_base_fee)])


@pytest.fixture
def service(node, anvil_deployment, user):
    """The vault's TxService on a chain reached only through the hostile node."""
    from vault.chain import client
    from vault.chain.transactions import TxService

    manifest, _ = anvil_deployment
    chain = client.connect_rpc(node.url, manifest)
    yield TxService.for_identity(chain, user)
    chain.close()


def _mine(anvil_deployment, blocks: int = 1) -> None:
    anvil_deployment[1].advance(blocks)  # on anvil itself: the chain moved after the preview


def test_a_fee_reads_with_eight_decimals_rounded_up():
    from vault.chain.fees import eth

    assert eth(46_409_000_000_001) == "0.00004641 ETH"   # up: a maximum never reads lower than it is
    assert eth(46_410_000_000_000) == "0.00004641 ETH"   # exact stays exact
    assert eth(1) == "0.00000001 ETH"                    # a fee never reads as nothing
    assert eth(0) == "0 ETH" and eth(12 * 10**17 + 1) == "1.20000001 ETH"


def test_a_fee_that_rose_after_the_preview_is_refused_and_nothing_is_signed(node, service, anvil_deployment):
    preview = service.preview(service.btk_transfer(USER_ADDRESS, DEAD, BTK))
    _mine(anvil_deployment)
    node.base_fee_factor = 100  # the whole chain's base fee, history included: no sanity check catches it
    with pytest.raises(FeeRoseError) as rose:
        service.send(preview)
    exc = rose.value
    assert exc.reason == "fee-rose" and exc.confirmed == preview.max_fee and exc.asked > 10 * preview.max_fee
    assert "you confirmed at most" in str(exc) and "Nothing was signed" in str(exc)
    assert node.raw_sent == [] and service.history() == []
    assert exc.preview.max_fee == exc.asked   # the new quote, to confirm instead

    record = service.send(exc.preview)   # confirmed again: sent within the new maximum
    signed, = map(signed_fields, node.raw_sent)
    assert signed["gas"] * signed["maxFeePerGas"] <= exc.preview.max_fee
    assert record.status == "success"
    shown = service.get(record.hash)
    assert (shown.max_fee_per_gas, shown.priority_fee_per_gas, shown.gas_limit) == \
        (signed["maxFeePerGas"], signed["maxPriorityFeePerGas"], signed["gas"])


def test_a_small_rise_is_signed_at_the_confirmed_fee_per_gas(node, service, anvil_deployment):
    preview = service.preview(service.btk_transfer(USER_ADDRESS, DEAD, BTK))
    _mine(anvil_deployment)
    node.base_fee_factor = 1.5   # the fresh quote asks more, but the confirmed price still pays it
    record = service.send(preview)
    signed, = map(signed_fields, node.raw_sent)
    assert signed["maxFeePerGas"] == preview.max_fee_per_gas
    assert signed["gas"] * signed["maxFeePerGas"] <= preview.max_fee
    assert record.status == "success" and service.get(record.hash).max_fee == preview.max_fee


@pytest.mark.parametrize("lie", ["pending_base_factor", "tip_factor"])
def test_a_node_proposing_an_absurd_fee_is_refused(node, service, anvil_deployment, lie):
    request = service.btk_transfer(USER_ADDRESS, DEAD, BTK)
    setattr(node, lie, 1000)
    with pytest.raises(ChainError) as refused:
        service.preview(request)
    assert refused.value.reason == "implausible-fee" and "misbehaving or lying" in str(refused.value)

    setattr(node, lie, 1)
    preview = service.preview(request)   # honest at the preview, lying at the send
    _mine(anvil_deployment)
    setattr(node, lie, 1000)
    with pytest.raises(ChainError, match="Nothing was signed") as refused:
        service.send(preview)
    assert refused.value.reason == "implausible-fee"
    assert node.raw_sent == [] and service.history() == []


def test_a_later_step_pays_no_more_per_gas_than_the_first(node, service, anvil_deployment):
    """stake = approve, then stake (shown with a placeholder gas): the stake's fee rises
    while the approval is mined; it is refused, the approval's record is kept."""
    from vault.chain import staking

    requests = staking.stake_requests(service, USER_ADDRESS, 0, 10 * BTK)
    assert len(requests) == 2
    previews = service.preview_steps(requests)

    def margin(svc, request):
        node.base_fee_factor = 10   # the approval is mined: now the fee spikes
        return staking.with_margin(svc, request)

    with pytest.raises(FeeRoseError) as rose:
        service.send_steps(requests, previews, margin=margin)
    assert rose.value.step == 1 and [r.kind for r in rose.value.records] == ["btk-approve"]
    assert len(node.raw_sent) == 1 and service.history()[0].kind == "btk-approve"
    records = service.send_steps([rose.value.preview.request], [rose.value.preview])
    assert records[0].status == "success" and len(node.raw_sent) == 2


def test_resending_an_identical_transaction_after_a_failed_broadcast(node, service):
    preview = service.preview(service.btk_transfer(USER_ADDRESS, DEAD, BTK))
    node.refuse_broadcast = True
    with pytest.raises(ChainError) as refused:
        service.send(preview)
    first, = service.history()
    assert first.status == "rejected" and refused.value.reason == "rejected"

    node.refuse_broadcast = False
    record = service.send(preview)   # the same nonce and fee: the very same signed bytes
    assert record.hash == first.hash and record.status == "success"
    again, = service.history()
    assert again.status == "success" and again.error is None


def test_a_resend_the_node_already_has_is_recognised(node, service, anvil_deployment):
    """The reply to the first broadcast is lost and the node reports a stale nonce: the
    same transaction goes again, and the node's "already known" is not a failure."""
    _, deployer_chain = anvil_deployment
    deployer_chain._dev_rpc("evm_setAutomine", [False])
    node.stale_pending_nonce = True
    preview = service.preview(service.btk_transfer(USER_ADDRESS, DEAD, BTK))
    node.hang_up_after_broadcast = True
    with pytest.raises(ChainError) as lost:
        service.send(preview, wait=False)
    assert lost.value.reason == "node-unreachable" and service.history()[0].status == "pending"

    node.hang_up_after_broadcast = False
    record = service.send(preview, wait=False)
    assert record.hash == service.history()[0].hash and len(service.history()) == 1
    assert len(node.raw_sent) == 2 and node.raw_sent[0] == node.raw_sent[1]
    deployer_chain._dev_rpc("evm_mine", [])
    assert service.wait(record).status == "success"


# ---- the command line -------------------------------------------------------------------

@pytest.fixture
def cli(run, node, anvil_deployment, tmp_path):
    """tests/conftest.py's `vault` runner on a vault of the user whose network is anvil,
    reached only through the hostile node."""
    from tests.chain.conftest import USER_PHRASE

    manifest, _ = anvil_deployment
    manifest.save(tmp_path / "anvil.json")
    (tmp_path / "phrase").write_text(USER_PHRASE)
    code, _, err = run("restore", "--recovery-phrase-file", str(tmp_path / "phrase"), "--kdf-seconds", "0")
    assert code == 0, err
    code, _, err = run("chain", "use", "rpc", node.url, "--manifest", str(tmp_path / "anvil.json"), passphrase=False)
    assert code == 0, err
    return run


def _spike_after_preview(node, anvil_deployment, factor=100):
    """Once the preview has read the block it was made on, the chain moves on and its fee
    spikes (the command's own confirmation is too quick for a person to be slow)."""
    seen = set()

    def on_answered(method):
        if method == "eth_estimateGas":
            seen.add(method)
        elif method == "eth_blockNumber" and seen:
            node.on_answered = None
            _mine(anvil_deployment)
            node.base_fee_factor = factor
    node.on_answered = on_answered


def test_cli_with_yes_refuses_a_fee_that_rose(cli, node, anvil_deployment):
    _spike_after_preview(node, anvil_deployment)
    code, _, err = cli("tx", "send", "--to", DEAD, "--amount", "1", "--yes")
    assert code == 1 and "The network fee rose after you confirmed" in err and "Nothing was signed" in err
    assert node.raw_sent == []
    node.base_fee_factor = 1
    code, rows, _ = cli("tx", "list")
    assert rows == []


@pytest.mark.parametrize("again", ["y", "n"])
def test_cli_on_a_terminal_asks_again_with_the_new_fee(cli, node, anvil_deployment, monkeypatch, again):
    prompts = []

    def answer(prompt):
        prompts.append(prompt)
        if len(prompts) == 1:   # the person takes their time: the chain moves, the fee spikes
            _mine(anvil_deployment)
            node.base_fee_factor = 100
            return "y"
        return again
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    code, out, err = cli("tx", "send", "--to", DEAD, "--amount", "1")
    assert prompts == ["Send it? [y/N] ", "Send it with the new fee? [y/N] "]
    assert "The network fee rose after you confirmed" in err and "Fee:      about" in err  # the new preview
    if again == "n":
        assert code == 1 and node.raw_sent == []
        return
    assert code == 0 and out["status"] == "success"
    signed, = map(signed_fields, node.raw_sent)
    assert signed["gas"] * signed["maxFeePerGas"] <= int(out["preview"]["max_fee"])
    assert out["max_fee_per_gas"] == str(signed["maxFeePerGas"])
    code, text, _ = cli("tx", "show", out["hash"], json_out=False)
    assert "signed:   at most" in text and f"{signed['gas']:,} gas at up to" in text
