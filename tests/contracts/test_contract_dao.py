"""The DAO's growth contracts: Constitution (hash + version, amended only by governance)
and PollRegistry (poll definitions for gas-free, signed polls)."""

import pytest
from eth_utils import keccak

from tests.contracts.harness import BTK, reverts

V1 = keccak(text="# Constitution\n\n## Article 1. Purpose\nServe the members.\n")
V2 = keccak(text="# Constitution\n\n## Article 1. Purpose\nServe the members well.\n")
V3 = keccak(text="# Constitution\n\n## Article 1. Purpose\nServe everyone.\n")


@pytest.fixture
def constitution(suite):
    return suite.deploy("Constitution", suite.timelock.address, V1)


@pytest.fixture
def polls(suite):
    return suite.deploy("PollRegistry", suite.token.address, suite.timelock.address, 1_000 * BTK)


def test_constitution_starts_at_version_one_with_the_shipped_hash(suite, constitution):
    assert constitution.functions.current().call() == [1, V1]
    assert constitution.functions.owner().call() == suite.timelock.address
    with reverts("EmptyConstitution"):
        suite.deploy("Constitution", suite.timelock.address, b"\0" * 32)


def test_only_a_passed_proposal_amends_the_constitution(suite, a, constitution):
    c = constitution.functions
    # Attack: a holder (even the largest) calls amend directly instead of proposing.
    with reverts("OwnableUnauthorizedAccount", a["alice"]):
        suite.send(c.amend(V1, V2, "direct"), a["alice"])
    receipt = suite.govern([(constitution, "amend", [V1, V2, "Clarify article 1"])], "Amend the constitution")
    (event,) = suite.events(constitution, "ConstitutionAdopted", receipt)
    assert (event.args.version, event.args.textHash, event.args.previousHash) == (2, V2, V1)
    assert event.args.summary == "Clarify article 1"
    assert c.current().call() == [2, V2]


def test_a_second_amendment_drafted_against_the_old_text_cannot_overwrite_the_first(suite, a, constitution):
    # Two proposals both drafted against V1 pass; the later one must not silently win.
    first = suite.propose([(constitution, "amend", [V1, V2, "first"])], "Amendment A")
    second = suite.propose([(constitution, "amend", [V1, V3, "second"])], "Amendment B")
    g = suite.governor.functions
    suite.mine(max(0, g.proposalSnapshot(second[0]).call() + 1 - suite.block))
    for pid, _ in (first, second):
        suite.send(g.castVote(pid, 1), a["alice"])
    suite.mine(max(0, g.proposalDeadline(second[0]).call() + 1 - suite.block))
    for _, proposal in (first, second):
        suite.send(g.queue(*proposal), a["alice"])
    suite.advance_time(120)
    suite.execute(first[1])
    with reverts("StaleAmendment", V1, V2):  # the timelock passes its call's revert on
        suite.execute(second[1])
    assert constitution.functions.current().call() == [2, V2]


def test_amend_names_what_it_replaces(suite, a):
    """On a copy owned by an account standing in for the timelock."""
    c = suite.deploy("Constitution", a["gov"], V1).functions
    suite.send(c.amend(V1, V2, "second"), a["gov"])
    with reverts("StaleAmendment", V1, V2):
        suite.send(c.amend(V1, V3, "drafted against version 1"), a["gov"])
    with reverts("UnchangedConstitution"):
        suite.send(c.amend(V2, V2, "same text"), a["gov"])
    with reverts("EmptyConstitution"):
        suite.send(c.amend(V2, b"\0" * 32, "no text"), a["gov"])
    assert c.current().call() == [2, V2]


def test_a_poll_is_registered_once_with_its_definition_in_the_event(suite, a, polls):
    p = polls.functions
    suite.mine()
    snapshot = suite.block - 1
    definition = '{"question":"Fund a hackathon?","options":["yes","no"]}'
    receipt = suite.send(p.create(definition, snapshot, suite.block + 20), a["alice"])
    (event,) = suite.events(polls, "PollCreated", receipt)
    assert event.args.id == keccak(text=definition)
    assert event.args.definition == definition
    assert p.pollOf(event.args.id).call() == (a["alice"], snapshot, event.args.closesBlock)
    with reverts("PollExists", keccak(text=definition)):
        suite.send(p.create(definition, snapshot, suite.block + 20), a["alice"])


def test_poll_creation_refuses_spam_and_snapshots_that_are_not_final(suite, a, polls):
    p = polls.functions
    suite.mine()
    # Attack: a holder without votes registers polls for free to flood the list.
    with reverts("BelowCreationThreshold", 0, 1_000 * BTK):
        suite.send(p.create("{}", suite.block - 1, suite.block + 10), a["mallory"])
    # A snapshot in the future would let balances move after the poll is known.
    with reverts("SnapshotNotPast"):
        suite.send(p.create("{}", suite.block + 5, suite.block + 10), a["alice"])
    with reverts("ClosesTooSoon"):
        suite.send(p.create("{}", suite.block - 1, suite.block), a["alice"])
    with reverts("EmptyDefinition"):
        suite.send(p.create("", suite.block - 1, suite.block + 10), a["alice"])
    with reverts("OwnableUnauthorizedAccount", a["alice"]):
        suite.send(p.setCreationThreshold(0), a["alice"])
    suite.govern([(polls, "setCreationThreshold", [0])], "Anyone may create polls")
    assert p.creationThreshold().call() == 0
    suite.send(p.create("{}", suite.block - 1, suite.block + 10), a["mallory"])
