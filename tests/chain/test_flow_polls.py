"""Polls on the embedded chain and anvil: a poll is registered, two holders sign ballots
offline (files and a QR image), anyone tallies them to the same result from the ballots
alone, and the passed poll becomes a proposal citing it. Forged, foreign, repeated and
equivocating ballots are not counted; tokens moved after the snapshot count nothing."""

from __future__ import annotations

import json
import random

import pytest

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import send
from vault.chain.contracts import BTK
from vault.chain.dao.ballots import export_ballot_qr, read_ballots, sign_ballot
from vault.chain.dao.polls import POLL_LINK, Polls, poll_definition, poll_id_of
from vault.chain.governance import Governance
from vault.errors import ChainError

RECIPIENT = "0x00000000000000000000000000000000000A11cE"


@pytest.fixture
def holders(chain, service, user):
    """The user and a second vault account, 2.5M BTK each, both self-delegated."""
    second = user.add_account("second").address
    send(service, service.btk_transfer(USER_ADDRESS, second, 2_500_000 * BTK))
    send(service, service.eth_transfer(USER_ADDRESS, second, 10 * BTK))
    return USER_ADDRESS, second


def key(user, address):
    return user.eth_private_key(address)


def delegate(chain, service, *who):
    gov = Governance(chain)
    for w in who:
        send(service, gov.delegate_request(service, w, w))
    chain.advance(1)


def create(chain, service, calls=None, options=("Yes", "No"), closes_in=20):
    request = Polls(chain).create_request(service, USER_ADDRESS, "Fund the hackathon?", list(options),
                                          closes_in=closes_in, calls=calls, details="Per Article 3.")
    send(service, request)
    return request.params["poll_id"]


def test_a_poll_is_tallied_the_same_by_anyone_and_promoted_to_a_linked_proposal(chain, service, user, holders,
                                                                                  tmp_path):
    first, second = holders
    polls = Polls(chain)
    with pytest.raises(ChainError) as err:   # no votes yet: refused before signing
        polls.create_request(service, first, "Q?", ["Yes", "No"], closes_in=5)
    assert err.value.reason == "below-threshold" and "Delegate your BTK first" in str(err.value)
    delegate(chain, service, first, second)
    grant = Governance(chain).call_grant(RECIPIENT, 500 * BTK)
    pid = create(chain, service, calls=[grant])
    (poll,) = polls.list()
    assert poll["poll_id"] == pid and poll["open"] and poll["options"] == ["Yes", "No"]
    assert poll["calls"][0]["summary"] == f"Grant 500 BTK from the treasury to {RECIPIENT}"
    assert poll_id_of(poll["definition"]) == pid   # the id is the definition's hash

    # Ballots signed offline, one travels as a file, one as a QR image.
    yes = polls.sign_ballot(key(user, first), pid[:10], "yes")
    no = polls.sign_ballot(key(user, second), pid, 1)
    folder = tmp_path / "ballots"
    folder.mkdir()
    (folder / "first.json").write_text(json.dumps(yes))
    export_ballot_qr(no, folder / "second.png")
    (folder / "junk.json").write_text("[[[[")
    read, unreadable = read_ballots([folder])
    assert sorted(b["voter"] for b in read) == sorted([first, second])
    assert [u["file"].endswith("junk.json") for u in unreadable] == [True]

    result = polls.tally(pid, read)
    assert [o["weight"] for o in result["options"]] == ["2500000", "2500000"]
    assert result["quorum_reached"] and not result["passed"]   # a tie is no majority
    # The second holder changes their mind with a higher revision: the later ballot counts.
    again = polls.sign_ballot(key(user, second), pid, "Yes", revision=1)
    ballots = [yes, no, again]
    result = polls.tally(pid, ballots)
    assert result["passed"] and result["options"][0]["weight"] == "5000000"
    for _ in range(3):   # any order, any copy: the same tally
        random.shuffle(ballots)
        assert polls.tally(pid, ballots + [yes])["tally_hash"] == result["tally_hash"]

    with pytest.raises(ChainError) as err:   # still open
        polls.promote_request(service, first, pid, ballots)
    assert err.value.reason == "poll-open"
    chain.advance(poll["blocks_left"])
    with pytest.raises(ChainError) as err:   # a closed poll takes no ballot
        polls.sign_ballot(key(user, first), pid, "No", revision=2)
    assert err.value.reason == "poll-closed"
    record = send(service, polls.promote_request(service, second, pid, ballots))
    created = next(e for e in record.events if e["event"] == "ProposalCreated")
    description = created["args"]["description"]
    assert description.startswith("Fund the hackathon?\n\nPer Article 3.\n\nPromoted from a poll: “Yes” won with "
                                  "5,000,000 votes of 5,000,000 votes (2 ballots")
    assert description.endswith(f"{POLL_LINK}{pid}")
    assert polls.list()[0]["proposal_id"] == str(created["args"]["proposalId"])
    proposal = Governance(chain).proposal(int(created["args"]["proposalId"]))
    assert proposal["calls"][0]["summary"] == f"Grant 500 BTK from the treasury to {RECIPIENT}"
    with pytest.raises(ChainError) as err:
        polls.promote_request(service, second, pid, ballots)
    assert err.value.reason == "already-promoted"


def test_forged_foreign_and_equivocating_ballots_count_nothing(chain, service, user, holders):
    first, second = holders
    delegate(chain, service, first, second)
    polls = Polls(chain)
    pid = create(chain, service, options=("Yes", "No", "Later"))
    other = create(chain, service, options=("A", "B"))
    yes = polls.sign_ballot(key(user, first), pid, "Yes")

    # Attack: a ballot whose voter is rewritten to claim another holder's weight.
    forged = dict(yes, voter=second)
    # Attack: a ballot for another poll replayed on this one.
    foreign = polls.sign_ballot(key(user, second), other, "A")
    # Attack: a ballot signed for this poll but another network (another registry).
    elsewhere = sign_ballot(key(user, second), chain_id=chain.chain_id, registry=RECIPIENT, poll_id=pid, option=0)
    # Attack: an option index past the options, and an altered option.
    missing = polls.sign_ballot(key(user, second), pid, 2) | {"option": 7}
    result = polls.tally(pid, [yes, forged, dict(foreign, poll_id=pid), foreign, elsewhere, missing, b"{]"])
    assert [o["weight"] for o in result["options"]] == ["2500000", "0", "0"]
    reasons = " | ".join(r["reason"] for r in result["rejected"])
    assert "not the voter's" in reasons and "another poll" in reasons and "another network" in reasons
    assert "option 7 does not exist" in reasons and "not a ballot file" in reasons
    assert not result["passed"] and not result["quorum_reached"]

    # Attack: a voter signs Yes and No with the same revision (to show each side a ballot).
    yes2 = polls.sign_ballot(key(user, second), pid, "Yes", revision=3)
    no2 = polls.sign_ballot(key(user, second), pid, "No", revision=3)
    result = polls.tally(pid, [yes, yes2, no2])
    assert [o["weight"] for o in result["options"]] == ["2500000", "0", "0"]
    assert any("neither counts" in r["reason"] for r in result["rejected"])


def test_tokens_moved_after_the_snapshot_count_nothing_more(chain, service, user, holders):
    first, second = holders
    delegate(chain, service, first)
    polls = Polls(chain)
    pid = create(chain, service)
    # Attack: after the snapshot, the first holder moves BTK to a fresh account that
    # delegates and votes again with them.
    third = user.add_account("third").address
    send(service, service.btk_transfer(first, third, 1_000_000 * BTK))
    send(service, service.eth_transfer(first, third, 1 * BTK))
    delegate(chain, service, third)
    ballots = [polls.sign_ballot(key(user, w), pid, "Yes") for w in (first, third)]
    result = polls.tally(pid, ballots)
    assert result["options"][0]["weight"] == "2500000"   # the snapshot's votes, once
    assert {c["voter"]: c["weight"] for c in result["counted"]} == {first: "2500000", third: "0"}


def test_a_definition_that_lies_about_its_calls_is_described_by_its_calldata(chain, service, user, holders):
    first, _ = holders
    delegate(chain, service, first)
    polls = Polls(chain)
    gov = Governance(chain)
    big = gov.call_grant(first, 1_000_000 * BTK)
    # Attack: a hand-made definition whose summary says 1 BTK to a charity while its call
    # pays 1,000,000 BTK to the creator.
    from dataclasses import replace

    lying = replace(big, summary=f"Grant 1 BTK from the treasury to {RECIPIENT}")
    snapshot = chain.block_number
    definition = poll_definition(chain_id=chain.chain_id, registry=polls.registry.address, question="Charity?",
                                 options=["Yes", "No"], snapshot_block=snapshot, closes_block=snapshot + 10,
                                 calls=[lying])
    send(service, service.contract_call("gov-poll-create", polls.registry, "create", [definition, snapshot,
                                                                                   snapshot + 10], first))
    (poll,) = polls.list()
    assert poll["calls"][0]["summary"] == f"Grant 1,000,000 BTK from the treasury to {first}"
    # and text that is not a poll at all is listed as unreadable, never tallied
    send(service, service.contract_call("gov-poll-create", polls.registry, "create", ["hello", snapshot,
                                                                                   snapshot + 10], first))
    junk = polls.list()[0]
    assert not junk["readable"] and junk["question"] == "(not a Blocktrack poll)"
    with pytest.raises(ChainError) as err:
        polls.tally(junk["poll_id"], [])
    assert err.value.reason == "unknown-poll"
