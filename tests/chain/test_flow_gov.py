"""Governance end to end on the embedded chain and anvil: two holders delegate, one
proposes a treasury grant, both vote (one by an offline signature the other relays), the
proposal is queued and executed and the grant arrives. Every error path names its cause."""

from __future__ import annotations

import json

import pytest

from tests.chain.conftest import USER_ADDRESS
from vault.chain.contracts import BTK
from vault.chain.governance import (Governance, export_vote_qr, load_vote, read_vote_source, read_vote_text,
                                    recover_vote_signer, sign_vote, vote_qr_texts, with_gas_margin)
from vault.errors import ChainError

RECIPIENT = "0x00000000000000000000000000000000000A11cE"
GRANT = 1_234 * BTK


def send(service, request):
    return service.send(service.preview(with_gas_margin(service.chain, request)))


@pytest.fixture
def holders(chain, service, user):
    """(first, second): the user's first account keeps 2.5M BTK, a second vault account
    gets 2.5M BTK and 10 ETH; together 5 % of the supply (quorum: 4 %)."""
    second = user.add_account("second").address
    send(service, service.btk_transfer(USER_ADDRESS, second, 2_500_000 * BTK))
    send(service, service.eth_transfer(USER_ADDRESS, second, 10 * BTK))
    return USER_ADDRESS, second


def test_power_warns_until_delegated(chain, service, holders):
    gov = Governance(chain)
    first, second = holders
    power = gov.power(first)
    assert power["balance"] == "2500000" and power["votes"] == "0" and power["delegate"] is None
    assert "no voting power" in power["warning"] and "vault gov delegate --to self" in power["warning"]
    assert power["can_self_delegate"]
    send(service, gov.delegate_request(service, first, first))
    power = gov.power(first)
    assert power["votes"] == "2500000" and power["self_delegated"] and power["warning"] is None
    # delegating to another address moves the power there
    send(service, gov.delegate_request(service, second, first))
    assert gov.power(first)["votes"] == "5000000"
    assert gov.power(second)["delegate"] == first and gov.power(second)["warning"] is None


def test_treasury_grant_with_a_relayed_offline_vote(chain, service, holders, tmp_path):
    gov = Governance(chain)
    first, second = holders
    token = chain.contracts.token
    for holder in holders:
        send(service, gov.delegate_request(service, holder, holder))
    chain.advance(1)

    call = gov.call_grant(RECIPIENT, GRANT)
    record = send(service, gov.propose_request(service, first, [call], "Grant 1,234 BTK to Alice\n\nFor the course."))
    created = next(e for e in record.events if e["event"] == "ProposalCreated")
    pid = int(created["args"]["proposalId"])

    listed = gov.proposals(first)
    assert [p["proposal_id"] for p in listed] == [str(pid)]
    p = listed[0]
    assert p["state"] == "pending" and p["title"] == "Grant 1,234 BTK to Alice"
    assert p["quorum_counts"] == ["for", "abstain"] and p["my_vote"]["voted"] is False
    assert p["time_left"]["until"] == "voting starts" and p["time_left"]["blocks"] >= 1

    with pytest.raises(ChainError) as err:  # voting before the period
        gov.vote_request(service, first, pid, "for")
    assert err.value.reason == "voting-not-open" and "has not started" in str(err.value)

    # the second holder signs offline (no connection needed: domain and nonce are given)
    domain = gov.domain()
    vote = sign_vote(user_key(service, second), chain_id=domain["chain_id"], governor=domain["governor"],
                     proposal_id=pid, support="for", nonce=gov.vote_nonce(second), reason="good use of funds")
    assert recover_vote_signer(vote) == second
    path = tmp_path / "vote.json"
    path.write_text(json.dumps(vote))
    qr = export_vote_qr(vote, tmp_path / "vote.png")
    assert read_vote_source(qr[0]) == vote  # the QR transport carries it exactly

    chain.advance(2)
    assert gov.state(pid) == "active"
    send(service, gov.vote_request(service, first, pid, "for", "ship it"))
    with pytest.raises(ChainError) as err:  # voting twice
        gov.vote_request(service, first, pid, "against")
    assert err.value.reason == "already-voted"

    # relayed by the first holder, who pays the gas
    record = send(service, gov.relay_request(service, first, read_vote_source(path)))
    cast = [e for e in record.events if e["event"] == "VoteCastWithParams" or e["event"] == "VoteCast"]
    assert cast and cast[0]["args"]["voter"] == second
    with pytest.raises(ChainError) as err:  # the same signature again
        gov.relay_request(service, first, load_vote(path.read_bytes()))
    assert err.value.reason == "already-voted"

    p = gov.proposal(pid, second)
    assert p["votes"]["for"] == "5000000" and p["quorum_reached"] and p["my_vote"]["voted"]
    assert p["my_vote"]["support"] == "for"
    assert gov.power(second)["proposals"][0]["votes"] == "2500000"

    with pytest.raises(ChainError) as err:  # queueing while voting is open
        gov.queue_request(service, first, pid)
    assert err.value.reason == "not-queueable"
    with pytest.raises(ChainError) as err:  # executing early
        gov.execute_request(service, first, pid)
    assert err.value.reason == "not-queued"

    chain.advance(p["deadline"] - chain.block_number + 1)
    assert gov.state(pid) == "succeeded"
    with pytest.raises(ChainError) as err:  # voting after the period
        gov.vote_request(service, second, pid, "against")
    assert err.value.reason == "voting-closed"

    send(service, gov.queue_request(service, second, pid))
    p = gov.proposal(pid)
    assert p["state"] == "queued" and p["eta"] and p["time_left"]["until"] == "executable"
    with pytest.raises(ChainError) as err:  # the timelock delay is not over
        gov.execute_request(service, first, pid)
    assert err.value.reason == "too-early" and "in " in str(err.value)

    chain.advance(1, 61)
    before = token.functions.balanceOf(chain.contracts.timelock.address).call()
    send(service, gov.execute_request(service, second, pid))  # anyone may execute
    assert gov.state(pid) == "executed"
    assert token.functions.balanceOf(RECIPIENT).call() == GRANT
    assert token.functions.balanceOf(chain.contracts.timelock.address).call() == before - GRANT
    with pytest.raises(ChainError) as err:
        gov.execute_request(service, first, pid)
    assert err.value.reason == "already-executed"


def test_templates_and_signed_vote_checks(chain, service, holders):
    gov = Governance(chain)
    first, second = holders
    fee = gov.call_market_fee(300)
    assert fee.target == chain.contracts.marketplace.address and fee.summary == "Set the marketplace fee to 3 %"
    assert gov.call_reward_rate(2 * BTK).target == chain.contracts.staking.address
    assert "validator 1" in gov.call_slash(1, 500).summary
    assert gov.call_raw(RECIPIENT, b"\x01\x02").calldata == b"\x01\x02"
    with pytest.raises(ChainError) as err:  # no delegated votes: below the proposal threshold
        gov.propose_request(service, first, [fee], "Raise the fee")
    assert err.value.reason == "below-threshold"

    send(service, gov.delegate_request(service, first, first))
    chain.advance(1)
    record = send(service, gov.propose_request(service, first, [fee], "Raise the fee"))
    pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
    chain.advance(2)
    domain = gov.domain()
    vote = sign_vote(user_key(service, second), chain_id=domain["chain_id"], governor=domain["governor"],
                     proposal_id=pid, support="against", nonce=5)
    with pytest.raises(ChainError) as err:
        gov.relay_request(service, first, vote)
    assert err.value.reason == "stale-signature"
    tampered = dict(vote, support=1, nonce=0)
    with pytest.raises(ChainError) as err:
        gov.relay_request(service, first, tampered)
    assert err.value.reason == "invalid-signature"
    with pytest.raises(ChainError) as err:
        gov.relay_request(service, first, dict(vote, chain_id=1))
    assert err.value.reason == "wrong-network"
    with pytest.raises(ChainError) as err:
        gov.proposal(12345)
    assert err.value.reason == "unknown-proposal"


def user_key(service, address):
    return service._keys(address)


def test_overview_decodes_actions_and_proposing_needs_no_wait_after_delegating(chain, service, holders):
    gov = Governance(chain)
    first, second = holders
    overview = gov.overview(first)
    assert overview["can_propose"] is False and overview["threshold"] == "1000"
    assert overview["power"]["warning"] and overview["proposals"] == []
    assert overview["treasury"]["btk"] == "50000000" and overview["timelock_delay"] == 60

    # the delegation mined in the latest block already counts for the proposal threshold
    send(service, gov.delegate_request(service, first, first))
    calls = [gov.call_grant(RECIPIENT, GRANT), gov.call_slash(1, 500), gov.call_market_fee(300),
             gov.call_reward_rate(2 * BTK)]
    record = send(service, gov.propose_request(service, first, calls, "Four changes\n\nDetails."))
    assert record.status == "success" and record.description.startswith("Propose: Grant 1,234 BTK")

    overview = gov.overview(first)
    p, = overview["proposals"]
    assert overview["can_propose"] and p["my_power"] == "2500000"
    assert [c["summary"] for c in p["calls"]] == [
        f"Grant 1,234 BTK from the treasury to {RECIPIENT}",
        "Slash validator 1 (Campus Node) by 5 % of its stake",
        "Set the marketplace fee to 3 %",
        "Set the staking reward rate to 2 BTK per block"]
    assert gov.describe_call(RECIPIENT, 10**18, b"\x01") == f"Call {RECIPIENT} with 1 bytes of calldata, sending 1 ETH"
    pid = int(p["proposal_id"])
    assert gov.label(pid).startswith("proposal “Four changes” (")
    chain.advance(2)
    vote = gov.vote_request(service, second, pid, "abstain")
    assert vote.description.startswith("Vote ABSTAIN on proposal “Four changes”")
    send(service, gov.vote_request(service, first, pid, "for", "worth it"))
    mine = gov.proposal(pid, first)["my_vote"]
    assert mine == {"account": first, "voted": True, "support": "for", "reason": "worth it", "weight": "2500000",
                    "weight_wei": str(2_500_000 * BTK)}


def test_templates_refuse_what_would_fail_when_executed(chain, service, holders):
    gov = Governance(chain)
    for bad, reason in ((lambda: gov.call_grant(RECIPIENT, 0), "invalid-amount"),
                        (lambda: gov.call_grant(RECIPIENT, 60_000_000 * BTK), "insufficient-treasury"),
                        (lambda: gov.call_market_fee(1_001), "invalid-argument"),
                        (lambda: gov.call_slash(7, 100), "unknown-validator"),
                        (lambda: gov.call_slash(0, 5_001), "invalid-argument"),
                        (lambda: gov.call_reward_rate(-1), "invalid-amount")):
        with pytest.raises(ChainError) as err:
            bad()
        assert err.value.reason == reason
    limits = gov.template_limits()
    assert limits["max_fee_bps"] == 1000 and limits["max_slash_bps"] == 5000
    assert [v["name"] for v in limits["validators"]] == ["Blocktrack Foundation", "Campus Node"]


def test_offline_vote_as_qr_text_or_json_and_its_refusals(chain, service, holders):
    gov = Governance(chain)
    first, second = holders
    send(service, gov.delegate_request(service, first, first))
    record = send(service, gov.propose_request(service, first, [gov.call_market_fee(100)], "Lower the fee"))
    pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
    vote = gov.sign_vote_offline(user_key(service, second), pid, "against", "too low")
    assert vote["voter"] == second and vote["nonce"] == 0 and vote["support_name"] == "against"
    text, = vote_qr_texts(vote)
    assert text.startswith("BTV2") and read_vote_text(text) == vote
    assert read_vote_text(json.dumps(vote)) == vote
    for junk in ("", "hello", '{"type": "x"}'):
        with pytest.raises(ChainError) as err:
            read_vote_text(junk)
        assert err.value.reason == "invalid-vote"
    chain.advance(2)
    send(service, gov.relay_request(service, first, vote))
    with pytest.raises(ChainError) as err:  # the voter has voted (by the relay): a new signature is useless
        gov.sign_vote_offline(user_key(service, second), pid, "for")
    assert err.value.reason == "already-voted"


def test_events_are_read_once_then_only_for_new_blocks(chain, service, holders, monkeypatch):
    gov = Governance(chain)
    first, _ = holders
    send(service, gov.delegate_request(service, first, first))
    send(service, gov.propose_request(service, first, [gov.call_market_fee(100)], "One"))
    assert len(gov.proposals()) == 1   # reads every block once
    ranges = []
    real = chain.w3.eth.get_logs

    def counting(params):
        ranges.append((params["fromBlock"], params["toBlock"]))
        return real(params)

    monkeypatch.setattr(chain.w3.eth, "get_logs", counting)
    assert [p["title"] for p in Governance(chain).proposals()] == ["One"]   # a new Governance: same cache
    head = chain.block_number
    assert all(start > head for start, _ in ranges)                        # nothing read again
    send(service, gov.propose_request(service, first, [gov.call_market_fee(200)], "Two"))
    assert [p["title"] for p in gov.proposals()] == ["Two", "One"]
    assert ranges == [(head + 1, chain.block_number)]                       # only the new block
