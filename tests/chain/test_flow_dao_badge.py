"""The DAO's contributor badge end to end, on the embedded chain and anvil: a top
contributor (the user, whose proposal was executed) is awarded the badge — the proposer's
vault issues the OB 3.0 credential, the proposal grants the timelock the issuer role and
approves the fee, the vote passes, the timelock anchors it — and the delivered credential
verifies, anchored by the DAO. Attacks: a badge for someone who took no part, the template
alone when the timelock cannot anchor, the same badge anchored twice."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import govern, pass_and_queue, send
from vault.anchoring import dao_badge
from vault.anchoring.hashing import credential_hash
from vault.anchoring.verify import anchor_check_on
from vault.chain import templates
from vault.chain.contracts import BTK
from vault.chain.governance import Governance
from vault.credentials.verify import VerificationContext, check
from vault.errors import ChainError
from vault.issuing.deliver import write_file
from vault.issuing.issuer import Issuer

STRANGER = "0x00000000000000000000000000000000000A11cE"


@pytest.fixture
def issuer(user):
    issuer = Issuer(user)
    issuer.profiles.create("DAO Stewards", url="https://stewards.example")
    return issuer


def test_a_top_contributor_receives_a_badge_the_dao_anchors(chain, service, user, issuer, tmp_path):
    gov = Governance(chain)
    govern(chain, service, [gov.call_grant(STRANGER, 1 * BTK)], "A first grant")   # the user: an executed proposal
    (top,) = dao_badge.Rewards(chain).top_contributors(10)
    assert top["account"] == USER_ADDRESS and top["executed_proposals"] == 1

    # Attack: a badge for an account that never took part; nothing is issued.
    with pytest.raises(ChainError) as err:
        dao_badge.badge_proposal(service, gov, issuer, USER_ADDRESS, "DAO Stewards", STRANGER)
    assert err.value.reason == "not-a-top-contributor"
    assert issuer.log() == []
    # Attack: the template alone, while the timelock can anchor nothing: refused before voting.
    with pytest.raises(ChainError) as err:
        templates.make_call(gov, "contributor-badge", {"account": USER_ADDRESS, "credential": "0x" + "11" * 32})
    assert "lacks the issuer role" in str(err.value)

    record, request = dao_badge.badge_proposal(service, gov, issuer, USER_ADDRESS, "DAO Stewards", USER_ADDRESS)
    assert issuer.log()[0].id == record.id and record.title == "Blocktrack DAO contributor"
    assert "made 1 proposal(s) that were executed" in record.content.decode()
    summaries = request.params["calls"]
    timelock = chain.contracts.timelock.address
    assert summaries[0] == f"Grant the credential issuer role to {timelock}"
    assert summaries[1].startswith("Call approve(") and summaries[-1].startswith("The DAO anchors credential 0x")
    assert f"to {USER_ADDRESS} as a soulbound token" in summaries[-1]
    record_tx = send(service, request)
    pid = int(next(e for e in record_tx.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
    delivered = write_file(record, tmp_path / "badge.json")   # to the contributor, as issued credentials are
    original = delivered.read_bytes()
    assert dao_badge.dao_anchor(chain, original) is None   # not before the vote

    pass_and_queue(chain, service, pid)
    chain.advance(1, 61)
    send(service, gov.execute_request(service, USER_ADDRESS, pid))

    anchored = dao_badge.dao_anchor(chain, original)
    assert anchored["by_dao"] and anchored["issuer"] == timelock and anchored["holder"] == USER_ADDRESS
    assert anchored["words"].startswith("Anchored by the DAO (its timelock, by an executed proposal) as token ")
    verdict = check(original, VerificationContext(anchor_status=anchor_check_on(chain))).verdict
    assert verdict.valid and verdict.anchor == "anchored on chain by the DAO (an executed proposal), not revoked"

    # Attack: the same badge proposed again: refused, it is anchored already.
    with pytest.raises(ChainError) as err:
        dao_badge.badge_calls(gov, USER_ADDRESS, credential_hash(original))
    assert err.value.reason == "already-anchored"
    # The timelock now holds the role (no second grant); the fee was spent, so it is approved again.
    later = [c.summary for c in dao_badge.badge_calls(gov, USER_ADDRESS, b"\x22" * 32)]
    assert len(later) == 2 and later[0].startswith("Call approve(") and later[1].startswith("The DAO anchors")
