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
from vault.anchoring.writes import issue_requests
from vault.anchoring import dao_badge
from vault.anchoring.hashing import credential_hash
from vault.anchoring.verify import anchor_check_on
from vault.chain import templates
from vault.chain.contracts import BTK
from vault.chain.governance import Governance
from vault.chain.plan import as_plan
from vault.chain.templates.soulbound import ISSUER_ROLE
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

    assert dao_badge.record_dao_anchors(chain, issuer) == [] and not issuer.get(record.id).anchored

    pass_and_queue(chain, service, pid)
    chain.advance(1, 61)
    execution = send(service, gov.execute_request(service, USER_ADDRESS, pid))

    # The issued log learns the DAO anchored it (the execution's transaction), once.
    (marked,) = dao_badge.record_dao_anchors(chain, issuer)
    token_id = dao_badge.dao_anchor(chain, original)["token_id"]
    assert (marked.id, marked.anchor_by_dao, marked.anchor_tx, marked.anchor_token_id) == \
        (record.id, True, execution.hash, token_id)
    assert issuer.log()[0].anchor_words == f"anchored by the DAO (token {token_id})"
    assert issuer.log()[0].to_json()["anchor_by_dao"] is True
    assert dao_badge.record_dao_anchors(chain, issuer) == []

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


def test_a_badge_its_issuer_anchored_is_not_called_the_daos(chain, service, user, issuer):
    """Attack: a badge of the DAO's title that the issuer's own account anchored (the issuer
    role granted to it), and a DAO token of a badge's hash minted to someone else: neither
    is "anchored by the DAO" in the issued log."""
    gov = Governance(chain)
    sbt = chain.contracts.soulbound
    grant = gov.contract_call(sbt, "grantRole", [ISSUER_ROLE, USER_ADDRESS])
    govern(chain, service, [gov.call_grant(STRANGER, 1 * BTK), grant], "A first grant, and the issuer role")
    (top,) = dao_badge.Rewards(chain).top_contributors(10)
    own = dao_badge.issue_badge(issuer, "DAO Stewards", top)
    assert own.title == "Blocktrack DAO contributor"
    records = service.run(as_plan(issue_requests(service, USER_ADDRESS, USER_ADDRESS, own.content)),
                          confirm=lambda ask: True)
    token_id = next(int(e["args"]["tokenId"]) for e in records[-1].events if e["event"] == "CredentialIssued")

    # A second badge whose hash the DAO anchors to a stranger, not to its recipient.
    other = dao_badge.issue_badge(issuer, "DAO Stewards", top)
    govern(chain, service, dao_badge.badge_calls(gov, STRANGER, credential_hash(other.content)),
           "Anchor a badge's hash to someone else")
    assert dao_badge.dao_anchor(chain, other.content)["by_dao"]

    # Neither is the DAO's, though the issuer's own anchoring is not in its log yet either.
    assert dao_badge.record_dao_anchors(chain, issuer) == []
    assert not issuer.get(own.id).anchored
    issuer.mark_anchored(own.id, chain_id=chain.chain_id, tx_hash=records[-1].hash, token_id=token_id)  # its hook
    by_id = {r.id: r for r in issuer.log()}
    assert (by_id[own.id].anchor_by_dao, by_id[own.id].anchor_words) == (False, f"token {token_id}")
    assert (by_id[other.id].anchored, by_id[other.id].anchor_words) == (False, "")
    assert not dao_badge.dao_anchor(chain, own.content)["by_dao"]
