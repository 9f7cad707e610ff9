"""Cross-chain votes with two chains: chain B (a second embedded chain) holds BTK
balances, chain A (embedded or anvil) has the proposal. The root is computed from B's
Transfer events, a B holder signs offline (a file, and a QR image), a third party relays
on A through the transaction service, the tally is right and its root re-checks against
B. A bad proof, a dishonest root and a ballot relayed twice are refused in plain words."""

from __future__ import annotations

import json

import pytest
from eth_account import Account
from eth_utils import keccak

from tests.chain.conftest import USER_ADDRESS, USER_BTK, copy_embedded
from tests.chain.dao_helpers import propose, send
from vault.chain.contracts import BTK
from vault.chain.dao.crosschain import CrossChain, balances_at, open_source
from vault.chain.dao.merkle import BalanceTree
from vault.chain.dao.remote_files import (ballot_signable, export_remote_ballot_qr, load_root_file, package_for, read_remote_ballot,
                                          root_file, sign_remote_ballot)
from vault.chain.governance import Governance
from vault.chain.plan import as_plan
from vault.errors import ChainError

ANN = Account.from_key(keccak(text="chain B holder ann"))
BEN = Account.from_key(keccak(text="chain B holder ben"))


@pytest.fixture
def chain_b(embedded_template, user, tmp_path):
    """A second embedded chain (its own file) where ann and ben hold BTK; returns (folder,
    snapshot block). After the snapshot ann receives more, which must not count."""
    folder = tmp_path / "chain-b"
    copy_embedded(embedded_template, folder)
    key = user.eth_private_key(USER_ADDRESS)
    with open_source(embedded=folder) as b:
        token = b.contracts.token
        for who, amount in ((ANN, 1_000), (BEN, 400)):
            b.transact(key, {"to": token.address, "data": token.encode_abi("transfer", [who.address, amount * BTK])})
        snapshot = b.block_number
        b.transact(key, {"to": token.address, "data": token.encode_abi("transfer", [ANN.address, 5_000 * BTK])})
    return folder, snapshot


@pytest.fixture
def relayer(service, user):
    """A third party on chain A: a second vault account with ETH, no BTK, no remote balance."""
    address = user.add_account("relayer").address
    send(service, service.eth_transfer(USER_ADDRESS, address, 10 * BTK))
    return address


def run(service, request):
    return service.run(as_plan(request), confirm=lambda ask: True)


def _proposal_with_root(chain, service, folder, snapshot, description="Fund the hackathon"):
    gov = Governance(chain)
    pid = propose(chain, service, [gov.call_grant("0x00000000000000000000000000000000000A11cE", BTK)], description)
    xc = CrossChain(chain)
    with open_source(embedded=folder) as b:
        root = xc.build_root(pid, b, snapshot)
    run(service, xc.root_request(service, USER_ADDRESS, root))
    return pid, root


def _activate(chain, pid):
    p = Governance(chain).proposal(pid)
    chain.advance(max(0, p["snapshot"] + 1 - chain.block_number))


def test_holders_on_chain_b_vote_on_a_proposal_of_chain_a(chain, service, relayer, chain_b, tmp_path):
    folder, snapshot = chain_b
    with open_source(embedded=folder) as b:
        held = balances_at(b, snapshot)
    assert held[ANN.address] == 1_000 * BTK and held[BEN.address] == 400 * BTK   # the later 5,000 not counted
    pid, root = _proposal_with_root(chain, service, folder, snapshot)
    xc = CrossChain(chain)
    assert xc.recorded(pid)["root"] == root["root"] and root["total"] == str(sum(held.values()))

    # Offline, on chain B's side: the root file travels as a file; each holder signs.
    root_path = tmp_path / "root.json"
    root_path.write_text(json.dumps(root))
    header, tree = load_root_file(root_path.read_bytes())
    ann_ballot = sign_remote_ballot(ANN.key, package_for(header, tree, ANN.address), "for")
    (tmp_path / "ann.json").write_text(json.dumps(ann_ballot))
    ben_ballot = sign_remote_ballot(BEN.key, package_for(header, tree, BEN.address), "against")
    (qr,) = export_remote_ballot_qr(ben_ballot, tmp_path / "ben.png")

    _activate(chain, pid)
    eth_before = chain.w3.eth.get_balance(relayer)
    for path in (tmp_path / "ann.json", qr):
        records = run(service, xc.relay_request(service, relayer, read_remote_ballot(path)))
        assert records[0].sender == relayer
    assert chain.w3.eth.get_balance(relayer) < eth_before     # the relayer paid the gas
    assert chain.w3.eth.get_balance(ANN.address) == 0          # the voters hold nothing on chain A

    with open_source(embedded=folder) as b:
        tally = xc.tally(pid, source=b)
    assert (tally["for_wei"], tally["against_wei"], tally["abstain_wei"]) == (str(1_000 * BTK), str(400 * BTK), "0")
    assert [(v["voter"], v["support"], v["relayer"]) for v in tally["votes"]] == \
        [(ANN.address, "for", relayer), (BEN.address, "against", relayer)]
    assert tally["set_by"] == USER_ADDRESS and tally["remote_block"] == snapshot
    assert tally["root_check"]["matches"] is True

    # Attack: ann's ballot relayed a second time.
    with pytest.raises(ChainError) as err:
        xc.relay_request(service, relayer, ann_ballot)
    assert err.value.reason == "already-voted"


def test_a_bad_proof_is_refused_with_a_plain_message(chain, service, relayer, chain_b):
    folder, snapshot = chain_b
    pid, root = _proposal_with_root(chain, service, folder, snapshot)
    header, tree = load_root_file(json.dumps(root))
    _activate(chain, pid)
    xc = CrossChain(chain)
    good = sign_remote_ballot(BEN.key, package_for(header, tree, BEN.address), "for")
    # Attack: ben claims ann's balance and signs that weight; the proof is of his own leaf.
    inflated = dict(good, weight=str(1_000 * BTK))
    inflated["signature"] = "0x" + bytes(Account.sign_message(ballot_signable(inflated), BEN.key).signature).hex()
    with pytest.raises(ChainError) as err:
        xc.relay_request(service, relayer, inflated)
    assert err.value.reason == "bad-proof"
    assert f"does not show that {BEN.address} held {1_000 * BTK} wei of BTK" in str(err.value)
    # The same ballot sent past the app's checks: the contract refuses it, in words.
    args = [pid, BEN.address, 1, 1_000 * BTK, [bytes.fromhex(p[2:]) for p in inflated["proof"]],
            bytes.fromhex(inflated["signature"][2:])]
    request = service.contract_call("gov-remote-relay", xc.votes, "castRemoteVote", args, relayer)
    with pytest.raises(ChainError) as err:
        run(service, request)
    assert f"The Merkle proof does not show that {BEN.address} held 1,000 BTK on the other chain" in str(err.value)
    assert CrossChain(chain).tally(pid)["votes"] == []


def test_a_dishonest_root_is_caught_by_anyone_who_reads_chain_b(chain, service, chain_b):
    folder, snapshot = chain_b
    gov = Governance(chain)
    pid = propose(chain, service, [gov.call_grant("0x00000000000000000000000000000000000A11cE", BTK)], "Dishonest")
    xc = CrossChain(chain)
    # Attack: the proposer records a root that gives ann a million BTK on chain B.
    with open_source(embedded=folder) as b:
        fake = BalanceTree({ANN.address: 1_000_000 * BTK, BEN.address: 400 * BTK})
        made = root_file(chain_id=chain.chain_id, contract=xc.votes.address, proposal_id=pid,
                         remote_chain_id=b.chain_id, remote_block=snapshot, tree=fake)
        run(service, xc.root_request(service, USER_ADDRESS, made))
        tally = xc.tally(pid, source=b)
    assert tally["root_check"]["matches"] is False
    assert tally["root_check"]["recomputed_root"] != made["root"]


def test_only_the_proposer_records_a_root_and_only_while_pending(chain, service, relayer, chain_b):
    folder, snapshot = chain_b
    pid, root = _proposal_with_root(chain, service, folder, snapshot)
    xc = CrossChain(chain)
    with pytest.raises(ChainError) as err:   # once
        xc.root_request(service, USER_ADDRESS, root)
    assert err.value.reason == "root-recorded"
    gov = Governance(chain)
    other = propose(chain, service, [gov.call_grant("0x00000000000000000000000000000000000A11cE", 2)], "Other")
    with open_source(embedded=folder) as b:
        root2 = xc.build_root(other, b, snapshot)
    with pytest.raises(ChainError) as err:   # someone else
        xc.root_request(service, relayer, root2)
    assert err.value.reason == "not-proposer"
    _activate(chain, other)
    with pytest.raises(ChainError) as err:   # too late
        xc.root_request(service, USER_ADDRESS, root2)
    assert err.value.reason == "root-too-late" and "Pending" in str(err.value)
    with open_source(embedded=folder) as b, pytest.raises(ChainError) as err:
        xc.build_root(other + 1, b, snapshot)
    assert f"There is no proposal {other + 1}" in str(err.value)
    with pytest.raises(ChainError) as err:   # a root file altered after it was made
        load_root_file(json.dumps(dict(root2, root="0x" + "ab" * 32)))
    assert err.value.reason == "bad-root"


def test_a_json_rpc_node_serves_as_chain_b(anvil_node, anvil_deployment):
    """Chain B behind JSON-RPC (anvil): the token is named, every balance is read from its
    Transfer events and they add up to the supply the node reports at that block."""
    manifest, _ = anvil_deployment
    with open_source(rpc=anvil_node.url) as b:
        with pytest.raises(ChainError) as err:   # no manifest: which token?
            balances_at(b, b.block_number)
        assert "Give the BTK token's address" in str(err.value)
        block = b.block_number
        held = balances_at(b, block, manifest.contracts["token"])
        assert held[USER_ADDRESS] == USER_BTK
        assert sum(held.values()) == 100_000_000 * BTK
        with pytest.raises(ChainError) as err:
            balances_at(b, block + 10, manifest.contracts["token"])
        assert "is not mined" in str(err.value)


def test_once_the_dao_counts_remote_votes_the_governor_adds_them_to_its_tally(chain, service, relayer, chain_b):
    """The governor and the votes contract wired together: governance names CrossChainVotes
    as the remote votes source (the "remote-votes" template); a proposal made afterwards
    adds chain B's relayed votes to its own for/abstain in proposalVotes."""
    from tests.chain.dao_helpers import govern
    from vault.chain import templates

    folder, snapshot = chain_b
    xc = CrossChain(chain)
    source = templates.make_call(Governance(chain), "remote-votes", {"source": xc.votes.address})
    govern(chain, service, [source], "Count the votes of BTK holders on chain B")
    pid, root = _proposal_with_root(chain, service, folder, snapshot, "Fund the hackathon, chain B asked")
    header, tree = load_root_file(json.dumps(root))
    _activate(chain, pid)
    governor = xc.governor.functions
    local = governor.proposalVotes(pid).call()
    run(service, xc.relay_request(service, relayer, sign_remote_ballot(
        ANN.key, package_for(header, tree, ANN.address), "for")))
    run(service, xc.relay_request(service, relayer, sign_remote_ballot(
        BEN.key, package_for(header, tree, BEN.address), "abstain")))
    against, for_, abstain = governor.proposalVotes(pid).call()
    assert (against, for_ - local[1], abstain - local[2]) == (local[0], 1_000 * BTK, 400 * BTK)
