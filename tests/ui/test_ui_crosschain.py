"""The proposal panel's "Votes from another chain" through its real widgets: chain A is
the window's embedded chain, chain B a second embedded chain where two holders got BTK.
The proposer's root is recorded, the holders sign offline; from the panel an altered
ballot is refused in words before any confirm step, a genuine one (a QR image) is relayed
through the page's confirm step and the panel shows the tally."""

import json

from eth_account import Account
from eth_utils import keccak
from PySide6.QtWidgets import QFileDialog

from tests.chain.conftest import USER_ADDRESS, copy_embedded
from tests.ui.test_ui_governance import confirm, open_page, refreshed
from vault.chain import client
from vault.chain.dao.crosschain import CrossChain, open_source
from vault.chain.dao.remote_files import export_remote_ballot_qr, load_root_file, package_for, sign_remote_ballot
from vault.chain.networks import FAUCET_GRANT_BTK
from vault.chain.governance import Governance, with_gas_margin
from vault.chain.units import format_units

ANN = Account.from_key(keccak(text="chain B holder ann (ui)"))


def test_a_remote_ballot_is_relayed_from_the_proposal_panel(chain_window, qtbot, ui_helpers, embedded_template,
                                                           tmp_path, monkeypatch):
    chain_b = tmp_path / "chain-b"
    copy_embedded(embedded_template, chain_b)
    client.connect(None, chain_b, accounts=[ANN.address]).close()   # ann's welcome grant on chain B
    with open_source(embedded=chain_b) as b:
        snapshot = b.block_number
    session = chain_window.chain_session

    def setup(s):
        gov = Governance(s.chain)
        s.send(s.preview(with_gas_margin(s.chain, gov.delegate_request(s, USER_ADDRESS, USER_ADDRESS))))
        record = s.send(s.preview(gov.propose_request(s, USER_ADDRESS, [gov.call_market_fee(200)], "Lower the fee")))
        pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
        xc = CrossChain(s.chain)
        with open_source(embedded=chain_b) as source:
            root = xc.build_root(pid, source, snapshot)
        s.send(s.preview(with_gas_margin(s.chain, xc.root_request(s, USER_ADDRESS, root))))
        return root

    job = session.run_service(setup)
    with qtbot.waitSignal(job.finished, timeout=60_000) as done:
        pass
    root = done.args[0]
    header, tree = load_root_file(json.dumps(root))
    ballot = sign_remote_ballot(ANN.key, package_for(header, tree, ANN.address), "for")
    (image,) = export_remote_ballot_qr(ballot, tmp_path / "ann.png")
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(dict(ballot, support=0)))   # Attack: the relayer flips FOR to AGAINST

    page = open_page(chain_window, qtbot)
    refreshed(page, qtbot, lambda: page.model.rowCount() == 1 and page.panel.isVisible())
    box = page.remote
    qtbot.waitUntil(lambda: box.isVisible() and box.tally is not None, timeout=20_000)
    assert f"at block {snapshot:,}" in box.summary.text() and not box.relay_button.isEnabled()   # pending

    ui_helpers.click(qtbot, page.advance.mine_button)
    refreshed(page, qtbot, lambda: page.panel.for_button.isEnabled())
    qtbot.waitUntil(lambda: box.relay_button.isEnabled(), timeout=20_000)
    before = page.write_flow
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(altered), ""))
    ui_helpers.click(qtbot, box.relay_button)
    qtbot.waitUntil(lambda: box.message.kind == "error", timeout=20_000)
    assert "signature is not" in box.message.text() and page.write_flow is before   # nothing to confirm

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(image), ""))
    ui_helpers.click(qtbot, box.relay_button)
    qtbot.waitUntil(lambda: page.write_flow is not before, timeout=20_000)
    with qtbot.waitSignal(box.loaded, timeout=30_000):
        confirm(page, qtbot, ui_helpers)
    grant = format_units(FAUCET_GRANT_BTK, "BTK")
    assert f"For {grant} · Against 0 BTK" in box.summary.text()
    assert f"{ANN.address}: for with {grant}" in box.summary.text()
