"""Quadratic polls on the embedded chain and anvil: one member, one square root. A ballot
weighs floor(√power) at the snapshot and counts only when its voter held a membership
soulbound credential then (type BlocktrackMembership declared by an accredited issuer, not
revoked). Attacks: a holder splits BTK over three addresses (with one membership, without
any), a non-membership credential, a membership revoked or issued around the snapshot, a
definition with a counting rule the app does not know."""

from __future__ import annotations

import math
import random

import pytest
from eth_account import Account

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import send
from tests.chain.test_flow_rewards import issuer_key, run
from vault.anchoring.writes import issue_requests, revoke_request
from vault.chain import eventlog
from vault.chain.contracts import BTK
from vault.chain.dao.membership import MEMBERSHIP_TYPE
from vault.chain.dao.polls import COUNTING_LINE, POLL_LINK, QUADRATIC, Polls, poll_definition, poll_id_of
from vault.chain.governance import Governance
from vault.chain.transactions import TxService
from vault.errors import ChainError

RECIPIENT = "0x00000000000000000000000000000000000A11cE"


@pytest.fixture
def issuer(chain, user):
    """A TxService signing as the chain's accredited credential issuer."""
    key = issuer_key(chain)
    return TxService(chain, user.store, lambda address: key)


def membership(issuer, holder, note="member", kind=MEMBERSHIP_TYPE) -> bytes:
    """Anchor a membership credential (or one of ``kind``) to ``holder``; its bytes."""
    sender = Account.from_key(issuer_key(issuer.chain)).address
    original = (f'{{"type": ["VerifiableCredential", "{kind}"], "holder": "{holder}", '
                f'"note": "{note}"}}').encode()
    assert run(issuer, issue_requests(issuer, sender, holder, original, reward_type=kind))[-1].status == "success"
    return original


def accounts(user, service, names, btk):
    """New vault accounts holding ``btk`` each, with gas, self-delegated."""
    out = []
    gov = Governance(service.chain)
    for name in names:
        a = user.add_account(name).address
        send(service, service.btk_transfer(USER_ADDRESS, a, btk))
        send(service, service.eth_transfer(USER_ADDRESS, a, BTK))
        send(service, gov.delegate_request(service, a, a))
        out.append(a)
    return out


def quadratic_poll(chain, service, calls=None) -> str:
    request = Polls(chain).create_request(service, USER_ADDRESS, "Fund the hackathon?", ["Yes", "No"],
                                          closes_in=20, calls=calls, quadratic=True)
    assert request.params["counting"] == QUADRATIC
    send(service, request)
    return request.params["poll_id"]


def power(chain, address, block) -> int:
    return chain.contracts.token.functions.getPastVotes(address, block).call()


def test_splitting_btk_over_three_addresses_gains_nothing(chain, service, user, issuer):
    gov = Governance(chain)
    send(service, gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))
    whole = 900_000 * BTK
    (single,) = accounts(user, service, ["single"], whole)            # one address, one membership
    split = accounts(user, service, ["a", "b", "c"], whole // 3)      # the same BTK split, one membership
    bare = accounts(user, service, ["d", "e", "f"], whole // 3)       # split again, no membership at all
    membership(issuer, single)
    membership(issuer, split[0])
    chain.advance(1)
    pid = quadratic_poll(chain, service)
    polls = Polls(chain)
    assert polls.get(pid)["counting"] == QUADRATIC
    keys = {a: user.eth_private_key(a) for a in [single, *split, *bare]}
    ballots = [polls.sign_ballot(keys[single], pid, "No")] + \
        [polls.sign_ballot(keys[a], pid, "Yes") for a in split + bare]
    result = polls.tally(pid, ballots)

    assert result["counting"] == QUADRATIC
    counted = {c["voter"]: int(c["weight_wei"]) for c in result["counted"]}
    assert counted == {single: math.isqrt(whole), split[0]: math.isqrt(whole // 3)}
    yes, no = (int(o["weight_wei"]) for o in result["options"])
    assert yes < no   # three addresses with one membership weigh less than one
    assert sorted(r["voter"] for r in result["rejected"]) == sorted(split[1:] + bare)
    assert {r["reason"] for r in result["rejected"]} == {"no membership credential"}
    assert result["options"][1]["weight"] == "948.68329805"   # √900,000 in √BTK (floor(√wei) / 10⁹)


def test_two_independent_tallies_agree_and_later_events_change_nothing(chain, service, user, issuer):
    """A member votes Yes, a non-member No; the membership is revoked after the snapshot
    and the non-member gets one: a tally then, by another reader, is the same."""
    gov = Governance(chain)
    send(service, gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))
    (other,) = accounts(user, service, ["other"], 100_000 * BTK)
    original = membership(issuer, USER_ADDRESS)
    # Attack: credentials of another type (even from the same issuer) make no member.
    membership(issuer, other, kind="CourseCompletionCredential")
    chain.advance(1)
    pid = quadratic_poll(chain, service, calls=[gov.call_grant(RECIPIENT, 10 * BTK)])
    snapshot = Polls(chain).get(pid)["snapshot_block"]
    polls = Polls(chain)
    ballots = [polls.sign_ballot(user.eth_private_key(USER_ADDRESS), pid, "Yes"),
               polls.sign_ballot(user.eth_private_key(other), pid, "No")]
    first = polls.tally(pid, ballots)
    assert [c["voter"] for c in first["counted"]] == [USER_ADDRESS]
    assert first["counted"][0]["weight_wei"] == str(math.isqrt(power(chain, USER_ADDRESS, snapshot)))
    assert first["rejected"] == [{"voter": other, "reason": "no membership credential"}]
    assert first["passed"]   # the user's power reaches the quorum; √ decides the majority

    # After the snapshot: the member's credential is revoked, the non-member gets one.
    sender = Account.from_key(issuer_key(chain)).address
    run(issuer, [revoke_request(issuer, sender, original=original)])
    membership(issuer, other, note="late")
    chain.advance(25)
    random.shuffle(ballots)
    eventlog._LOGS.pop(chain, None)   # another reader: every event read again from the deployment
    second = Polls(chain).tally(pid, ballots + ballots[:1])
    assert second["tally_hash"] == first["tally_hash"] and second["counted"] == first["counted"]

    # Promoted, the proposal carries how the poll was counted beside the link.
    record = send(service, polls.promote_request(service, USER_ADDRESS, pid, ballots))
    description = next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["description"]
    assert f"{COUNTING_LINE}{QUADRATIC}" in description and description.endswith(f"{POLL_LINK}{pid}")
    assert "√votes" in description
    assert polls.list()[0]["proposal_id"] is not None

    # A membership revoked before a later poll's snapshot, or issued after it, counts nothing.
    pid2 = quadratic_poll(chain, service)
    late = accounts(user, service, ["late"], 100_000 * BTK)[0]
    membership(issuer, late, note="after the snapshot")
    ballots2 = [Polls(chain).sign_ballot(user.eth_private_key(a), pid2, "Yes") for a in (USER_ADDRESS, late)]
    result = Polls(chain).tally(pid2, ballots2)
    assert result["counted"] == [] and not result["passed"]
    reasons = {r["voter"]: r["reason"] for r in result["rejected"]}
    assert reasons == {USER_ADDRESS: "no membership credential (it was revoked by block "
                                     f"{Polls(chain).get(pid2)['snapshot_block']:,})",
                       late: "no membership credential"}


def test_a_counting_rule_the_app_does_not_know_is_never_tallied(chain, service):
    polls = Polls(chain)
    with pytest.raises(ChainError) as err:
        poll_definition(chain_id=chain.chain_id, registry=polls.registry.address, question="Q?",
                        options=["Yes", "No"], snapshot_block=1, closes_block=2, counting="plutocratic")
    assert err.value.reason == "invalid-argument"
    gov = Governance(chain)
    send(service, gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))
    chain.advance(1)
    # Attack: a hand-made definition with a counting rule of its own, registered directly.
    snapshot = chain.block_number
    text = poll_definition(chain_id=chain.chain_id, registry=polls.registry.address, question="Q?",
                           options=["Yes", "No"], snapshot_block=snapshot, closes_block=snapshot + 5,
                           counting=QUADRATIC).replace('"quadratic"', '"cube-root"')
    send(service, service.contract_call("gov-poll-create", polls.registry, "create", [text, snapshot,
                                                                                   snapshot + 5], USER_ADDRESS))
    (poll,) = polls.list()
    assert poll["poll_id"] == poll_id_of(text) and not poll["readable"] and poll["counting"] is None
    with pytest.raises(ChainError) as err:
        polls.tally(poll["poll_id"], [])
    assert err.value.reason == "unknown-poll"


def test_a_membership_from_an_issuer_governance_took_the_role_from_counts_nothing(chain, service, user, issuer):
    """Attack: an issuer hands out memberships, governance takes its role away (it is no
    longer accredited), and its members vote in a later quadratic poll."""
    from tests.chain.dao_helpers import govern
    from vault.chain import templates

    (member,) = accounts(user, service, ["member"], 100_000 * BTK)
    membership(issuer, member)
    gov = Governance(service.chain)
    accredited = Account.from_key(issuer_key(chain)).address
    govern(chain, service, [templates.make_call(gov, "issuer-revoke", {"account": accredited})],
           "Take the role back")
    pid = quadratic_poll(chain, service)
    snapshot = Polls(chain).get(pid)["snapshot_block"]
    result = Polls(chain).tally(pid, [Polls(chain).sign_ballot(user.eth_private_key(member), pid, "Yes")])
    assert result["counted"] == [] and result["options"][0]["weight_wei"] == "0"
    assert result["rejected"] == [{"voter": member, "reason": "no membership credential (its issuer was not an "
                                                              f"accredited issuer at block {snapshot:,})"}]
