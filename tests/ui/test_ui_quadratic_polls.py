"""A quadratic poll through the Governance page's real widgets on the embedded chain: the
counting choice in the poll dialog says what makes a ballot count; a ballot without a
membership credential is listed as not counted, and once the voter holds one (issued
before the next poll's snapshot) it counts √ of their power."""

from eth_utils import keccak

from tests.ui.test_ui_dao import activate_votes, advance
from tests.ui.test_ui_governance import confirm, open_page
from vault.chain.contracts import BTK
from vault.chain.dao.membership import MEMBERSHIP_TYPE


def issue_membership(workspace, qtbot, holder: str) -> None:
    """Test setup: the embedded chain's demo issuer anchors a membership credential to
    ``holder`` and declares its type (its dev key, as the demo data is signed)."""
    from vault.chain.embedded import dev_key

    def issue(chain):
        c = chain.contracts
        sbt, pool, key = c.soulbound, c.extension("rewards"), dev_key("issuer")
        chash = keccak(text=f"membership of {holder}")
        for contract, fn, args in ((c.token, "approve", [sbt.address, BTK]), (sbt, "issue", [holder, chash, ""]),
                                   (pool, "declareType", [chash, keccak(text=MEMBERSHIP_TYPE)])):
            chain.transact(key, {"to": contract.address, "data": contract.encode_abi(fn, args)})

    job = workspace.chain_session.run(issue)
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass


def create_quadratic(page, dialog, qtbot, ui_helpers, question):
    ui_helpers.click(qtbot, dialog.new_button)
    dialog.question.clear()
    ui_helpers.type_text(qtbot, dialog.question, question)
    assert dialog.counting_hint.isVisible() == (dialog.counting.currentIndex() == 1)
    dialog.counting.setCurrentIndex(1)
    assert dialog.counting.currentText() == "Quadratic (one member, one square root)"
    assert dialog.counting_hint.isVisible() and "membership credential" in dialog.counting_hint.text()
    with qtbot.waitSignal(dialog.loaded, timeout=40_000):
        ui_helpers.click(qtbot, dialog.create_button)
        confirm(page, qtbot, ui_helpers)


def sign_and_tally(dialog, qtbot, ui_helpers, gathered):
    ui_helpers.click(qtbot, dialog.sign_button)
    qtbot.waitUntil(lambda: f"{gathered} ballot" in dialog.ballot_count.text(), timeout=20_000)
    with qtbot.waitSignal(dialog.tallied, timeout=20_000):
        ui_helpers.click(qtbot, dialog.tally_button)
    return dialog.result_text.toPlainText()


def test_a_quadratic_poll_counts_members_by_square_root(chain_window, qtbot, ui_helpers):
    page = open_page(chain_window, qtbot)
    activate_votes(page, qtbot, ui_helpers)
    advance(chain_window, qtbot, 1)
    account = page.account
    ui_helpers.click(qtbot, page.polls_button)
    dialog = page.polls_dialog
    qtbot.waitUntil(lambda: dialog.reads == 1, timeout=20_000)

    create_quadratic(page, dialog, qtbot, ui_helpers, "Members only?")
    assert "quadratic" in dialog.list.item(0).text() and dialog.polls[0]["counting"] == "quadratic"
    assert "Quadratic: A ballot weighs the square root" in dialog.details.text()
    words = sign_and_tally(dialog, qtbot, ui_helpers, 1)
    assert f"Not counted — {account}: no membership credential" in words
    assert "Yes: 0 √votes" in words and "Not passed" in words

    issue_membership(chain_window, qtbot, account)   # after this poll's snapshot: it stays uncounted
    with qtbot.waitSignal(dialog.tallied, timeout=20_000):
        ui_helpers.click(qtbot, dialog.tally_button)
    assert f"Not counted — {account}: no membership credential" in dialog.result_text.toPlainText()

    create_quadratic(page, dialog, qtbot, ui_helpers, "Members only, again?")
    dialog.list.setCurrentRow(0)
    assert dialog.selected["question"] == "Members only, again?"
    words = sign_and_tally(dialog, qtbot, ui_helpers, 1)
    assert "Yes: 2,236.067977499 √votes" in words
    assert f"Counted — {account}: Yes, √ of 5,000,000 votes = 2,236.067977499 √votes (member: credential token" \
        in words
    assert "Passed so far (still open)" in words and "of members' power" in words
    dialog.reject()
