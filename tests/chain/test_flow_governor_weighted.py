"""The weighted governor end to end, on the embedded chain and anvil: a fresh deployment's
governor is the weighted one, wired once by a deployer left with no role; power from a
lock and a credential bonus counts on proposals; a quadratic proposal counts √power for a
member and refuses a non-member before anything is signed; and (embedded) a chain made by
an older version gets the weighted governor and adopts it by a proposal."""

from __future__ import annotations

from math import isqrt

import pytest
from eth_account import Account

from tests.chain.conftest import ANVIL_KEY_1, USER_ADDRESS
from tests.chain.dao_helpers import delegate_self, govern, send
from tests.chain.test_flow_rewards import issuer_key, run
from vault.anchoring.writes import issue_requests
from vault.chain import templates
from vault.chain.contracts import BTK, ZERO_ADDRESS
from vault.chain.dao import power
from vault.chain.dao.escrow import Escrow
from vault.chain.governance import Governance
from vault.chain.transactions import TxService
from vault.errors import ChainError

ROLES = ("DEFAULT_ADMIN_ROLE", "PROPOSER_ROLE", "CANCELLER_ROLE")


def member_credential(chain, user, holder: str, name: str, kind: str = power.MEMBERSHIP_TYPE) -> None:
    """The chain's issuer anchors a credential of type ``kind`` to ``holder`` (and declares it)."""
    key = issuer_key(chain)
    issuer = TxService(chain, user.store, lambda address: key)
    original = f'{{"type": ["VerifiableCredential", "{kind}"], "name": "{name}"}}'.encode()
    records = run(issuer, issue_requests(issuer, Account.from_key(key).address, holder, original, reward_type=kind))
    assert records[-1].status == "success"
    chain.advance(1, 2)  # counts on proposals created from a later block on


def quadratic_proposal(chain, service, title: str) -> int:
    gov = Governance(chain)
    delegate_self(chain, service)
    call = gov.call_grant(USER_ADDRESS, 1 * BTK)
    record = send(service, gov.propose_request(service, USER_ADDRESS, [call], power.mark_quadratic(title)))
    pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
    chain.advance(gov.proposal(pid)["snapshot"] + 1 - chain.block_number)
    return pid


def test_a_fresh_deployment_governs_with_the_weighted_governor_and_the_deployer_keeps_nothing(chain):
    contracts = chain.manifest.contracts
    assert contracts["governor"] == contracts[power.KEY]
    g = chain.contracts.governor.functions
    assert g.configurator().call() == ZERO_ADDRESS
    assert (g.escrow().call(), g.credentials().call(), g.credentialTypes().call()) == (
        contracts["escrow"], contracts["soulbound"], contracts["rewards"])
    assert g.remoteVotes().call() == ZERO_ADDRESS and g.bonusTypes().call() == []
    timelock = chain.contracts.timelock.functions
    deployer = chain.manifest.deployer
    for role in ROLES:
        assert not timelock.hasRole(getattr(timelock, role)().call(), deployer).call(), role
    assert timelock.hasRole(timelock.PROPOSER_ROLE().call(), contracts["governor"]).call()
    assert Governance(chain).governor.address == contracts["governor"]


def test_locked_btk_and_a_credential_bonus_count_on_proposals(chain, service, user):
    delegate_self(chain, service)
    gov = Governance(chain)
    call = templates.make_call(gov, "credential-bonus", {"credential_type": "MentorCredential", "amount": "250"})
    assert call.summary.startswith("Give holders of a 0x") and call.summary.endswith("250 votes of extra voting power")
    govern(chain, service, [call], "Mentors get a voting bonus")
    member_credential(chain, user, USER_ADDRESS, "mentor", kind="MentorCredential")
    ve = Escrow(chain)
    run(service, ve.lock_requests(service, USER_ADDRESS, 100_000 * BTK, ve.limits()["max_lock_blocks"]))
    chain.advance(1)
    b = power.breakdown(Governance(chain), USER_ADDRESS)
    assert b["weighted"] and b["credential_bonus"] == "250" and int(b["lock_power_wei"]) > 99_999 * BTK
    assert int(b["total_wei"]) == int(b["token_votes_wei"]) + int(b["lock_power_wei"]) + 250 * BTK
    assert not b["member"] and "no membership credential" in b["quadratic_reason"]
    assert [t["bonus"] for t in b["bonus_types"]] == ["250"]
    gov = Governance(chain)
    record = send(service, gov.propose_request(service, USER_ADDRESS, [gov.call_grant(USER_ADDRESS, BTK)],
                                               "Counts all three"))
    pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
    chain.advance(gov.proposal(pid)["snapshot"] + 1 - chain.block_number)
    expected = chain.contracts.governor.functions.proposalPower(pid, USER_ADDRESS).call()
    assert expected[2] == 250 * BTK and expected[1] > 0
    record = send(service, gov.vote_request(service, USER_ADDRESS, pid, "for"))
    (cast,) = [e for e in record.events if e["event"] == "VoteCast"]
    assert int(cast["args"]["weight"]) == expected[3] == expected[0] + expected[1] + expected[2]


def test_a_quadratic_proposal_counts_the_square_root_of_a_members_power(chain, service, user):
    member_credential(chain, user, USER_ADDRESS, "user")
    pid = quadratic_proposal(chain, service, "Quadratic grant")
    gov = Governance(chain)
    p = gov.proposal(pid, USER_ADDRESS)
    assert p["quadratic"] and "one person one square root" in p["counting"]
    assert p["title"] == "Quadratic grant"
    weight = power.vote_weight(gov, pid, USER_ADDRESS)
    power_wei = int(weight["power_wei"])
    assert weight["member"] and weight["counted"] == power.format_root(isqrt(power_wei)) + " √BTK"
    record = send(service, gov.vote_request(service, USER_ADDRESS, pid, "for"))
    (cast,) = [e for e in record.events if e["event"] == "VoteCast"]
    assert int(cast["args"]["weight"]) == isqrt(power_wei)
    p = gov.proposal(pid, USER_ADDRESS)
    assert p["votes"]["for"] == power.format_root(isqrt(power_wei))
    assert p["quorum_progress_wei"] == str(power_wei) and p["quorum_reached"]   # raw power: 5 % of the supply
    assert p["my_vote"]["weight"].endswith("√BTK")
    chain.advance(p["deadline"] + 1 - chain.block_number)
    send(service, gov.queue_request(service, USER_ADDRESS, pid))
    chain.advance(1, 61)
    send(service, gov.execute_request(service, USER_ADDRESS, pid))
    assert gov.state(pid) == "executed"


def test_a_non_member_is_refused_on_a_quadratic_proposal_before_signing(chain, service, user, backend):
    """The split-balance attack from the app: the user moves BTK to a second address of its
    own (no membership credential); that address cannot vote on a quadratic proposal, and
    nothing is signed."""
    member_credential(chain, user, USER_ADDRESS, "user")
    other_key = ANVIL_KEY_1 if backend == "anvil" else bytes.fromhex("11" * 32)
    other = Account.from_key(other_key).address
    send(service, service.contract_call("btk-transfer", chain.contracts.token, "transfer",
                                        [other, 1_000_000 * BTK], USER_ADDRESS, description="split"))
    pid = quadratic_proposal(chain, service, "Split attack")
    gov = Governance(chain)
    with pytest.raises(ChainError) as err:
        gov.vote_request(service, other, pid, "for")
    assert err.value.reason == "needs-membership"
    assert "one person one square root; you need a membership credential" in str(err.value)
    with pytest.raises(ChainError) as err:   # nor signed offline for someone to relay
        gov.sign_vote_offline(other_key, pid, "for")
    assert err.value.reason == "needs-membership"
    assert not chain.contracts.governor.functions.hasVoted(pid, other).call()


def test_adopting_is_refused_where_the_weighted_governor_already_governs(chain):
    gov = Governance(chain)
    with pytest.raises(ChainError) as err:
        templates.make_call(gov, "adopt-weighted-governor", {})
    assert err.value.reason == "already-adopted"


def test_an_older_embedded_chain_adopts_the_weighted_governor(tmp_path, monkeypatch, user):
    """A chain deployed by a version with BlocktrackGovernor (simulated: the old artifact,
    no weighted-governor extension) is opened by this version: the weighted governor is
    deployed beside it; the "Adopt the weighted governor" proposal passes on the old one
    and moves the roles; the app then proposes to the new one and still lists the old
    proposals."""
    from tests.chain.conftest import USER_BTK, USER_ETH
    from vault.chain import client, deploy, extensions
    from vault.chain.demo import faucet_top_up
    from vault.chain.embedded import dev_address
    from vault.chain.networks import FAUCET_GRANT_BTK, FAUCET_GRANT_ETH

    older = tuple(e for e in extensions.registered() if e.key != power.KEY)
    real_data = deploy.constructor_data

    def old_governor(name, *args):
        if name == "BlocktrackWeightedGovernor":
            return real_data("BlocktrackGovernor", *args[:-1])
        return real_data(name, *args)

    folder = tmp_path / "data"
    with monkeypatch.context() as m:
        m.setattr(extensions, "_loaded", lambda: older)
        m.setattr(deploy, "constructor_data", old_governor)
        with client.connect(None, folder, accounts=[USER_ADDRESS]) as chain:
            faucet_top_up(chain, USER_ADDRESS, btk=USER_BTK - FAUCET_GRANT_BTK, eth=USER_ETH - FAUCET_GRANT_ETH)
            assert power.KEY not in chain.manifest.contracts
            old = chain.manifest.contracts["governor"]

    with client.connect(None, folder) as chain:   # this version: the weighted governor is added
        new = chain.manifest.contracts[power.KEY]
        assert new != old
        g = chain.contracts.extension(power.KEY).functions
        assert g.configurator().call() == ZERO_ADDRESS and g.escrow().call() == chain.manifest.contracts["escrow"]
        service = TxService.for_identity(chain, user)
        gov = Governance(chain)
        assert gov.governor.address == old   # not adopted yet: proposals still go to the old one
        with pytest.raises(ChainError) as err:
            templates.make_call(gov, "credential-bonus", {"credential_type": "X", "amount": "1"})
        assert err.value.reason == "not-adopted"
        adopt = templates.make_call(gov, "adopt-weighted-governor", {})
        assert len(adopt.more) == 3 and "proposer role" in adopt.summary
        pid = govern(chain, service, [adopt], "Adopt the weighted governor")
        timelock = chain.contracts.timelock.functions
        for role in ("PROPOSER_ROLE", "CANCELLER_ROLE"):
            assert timelock.hasRole(getattr(timelock, role)().call(), new).call()
            assert not timelock.hasRole(getattr(timelock, role)().call(), old).call()
        gov = Governance(chain)
        assert gov.governor.address == new
        listed = gov.proposals(USER_ADDRESS)
        assert [p["governor"] for p in listed if p["proposal_id"] == str(pid)] == ["previous"]
        member_credential(chain, user, USER_ADDRESS, "user")
        qid = quadratic_proposal(chain, service, "First quadratic proposal")
        assert Governance(chain).proposal(qid)["quadratic"]
        assert chain.contracts.extension(power.KEY).functions.proposalProposer(qid).call() == USER_ADDRESS
        assert not timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE().call(), dev_address("faucet")).call()
