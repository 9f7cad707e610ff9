"""The embedded chain as a newcomer meets it: a private local test chain, a modest welcome
grant that still lets them walk (send, stake, delegate and vote, post and finish a gig),
and a demo client that pays into escrow when its offer is accepted and pays out when the
talent says the work is delivered. The demo client's public key never signs elsewhere."""

from __future__ import annotations

import os
import stat

import pytest

from tests.chain.conftest import USER_ADDRESS
from vault.chain import client, demo, staking, wallet
from vault.chain.contracts import BTK
from vault.chain.embedded import dev_address, dev_key
from vault.chain.networks import FAUCET_GRANT_BTK, FAUCET_GRANT_ETH
from vault.chain.governance import Governance, voting_window, with_gas_margin
from vault.chain.marketplace import Market
from vault.errors import ChainError

DEAD = "0x000000000000000000000000000000000000dEaD"


def send(service, request):
    return service.send(service.preview(with_gas_margin(service.chain, request)))


def modes(folder):
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}


def test_first_use_makes_a_private_chain_with_the_documented_grant(tmp_path):
    old = os.umask(0o022)   # the usual umask: files would be 0644 unless made private
    try:
        data = tmp_path / "data"
        with client.connect(None, data, accounts=[USER_ADDRESS]) as chain:
            folder = data / "chain"
            open_modes = modes(folder)   # while open: the database, its lock, -wal and -shm
            assert {"embedded.sqlite", "embedded.sqlite.lock", "embedded.sqlite-wal"} <= set(open_modes)
            assert chain.btk_balance(USER_ADDRESS) == FAUCET_GRANT_BTK
            assert chain.eth_balance(USER_ADDRESS) == FAUCET_GRANT_ETH
        assert set(open_modes.values()) == {0o600}
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE(data.stat().st_mode) == 0o700
        assert set(modes(folder).values()) == {0o600}

        # A chain left by an older version with world-readable files is tightened on open.
        for path in folder.iterdir():
            os.chmod(path, 0o644)
        os.chmod(folder, 0o755)
        client.connect(None, data).close()
        assert set(modes(folder).values()) == {0o600} and stat.S_IMODE(folder.stat().st_mode) == 0o700
    finally:
        os.umask(old)


@pytest.fixture
def newcomer(chain, user):
    """A second account of the vault with nothing but the faucet's welcome grant."""
    if chain.embedded is None:
        pytest.skip("the welcome grant is the embedded chain's")
    address = user.add_account("newcomer").address
    assert chain.fund([address]) == [address]
    assert (chain.btk_balance(address), chain.eth_balance(address)) == (FAUCET_GRANT_BTK, FAUCET_GRANT_ETH)
    return address


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_the_welcome_grant_is_enough_to_walk(chain, service, newcomer):
    market, gov = Market(chain), Governance(chain)
    send(service, wallet.send_request(service, newcomer, DEAD, 25 * BTK))
    staking.send_all(service, staking.stake_requests(service, newcomer, 0, 500 * BTK))
    assert staking.status(chain, newcomer).to_json()["staked"] == "500"

    # delegate, propose (the threshold is 1,000 votes) and vote
    send(service, gov.delegate_request(service, newcomer, newcomer))
    record = send(service, gov.propose_request(service, newcomer, [gov.call_market_fee(200)], "Fee 2 %"))
    pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
    chain.advance(2)
    send(service, gov.vote_request(service, newcomer, pid, "for", "cheaper gigs"))
    assert gov.proposal(pid, newcomer)["my_vote"]["voted"]

    # post an offer and see it through as the client (the user takes it as talent)
    record = send(service, market.post_request(service, newcomer, kind="gig", price=100 * BTK, details="Logo"))
    gid = int(next(e for e in record.events if e["event"] == "GigPosted")["args"]["gigId"])
    send(service, market.accept_request(service, USER_ADDRESS, gid))
    for request in market.fund_requests(service, newcomer, gid):
        send(service, request)
    send(service, market.release_request(service, newcomer, gid))
    assert market.gig(gid).status == "released"

    # take a demo offer as talent: accepted, paid into escrow by the demo client, delivered, paid out
    before = chain.btk_balance(newcomer)
    offer = market.gig(0)
    assert demo.is_demo_client(offer.client, True) and offer.status == "open"
    send(service, market.accept_request(service, newcomer, 0))
    funded = market.gig(0)
    assert funded.status == "funded" and funded.refundable_at   # the demo client answered at once
    done = demo.deliver(chain, 0, newcomer)
    price = offer.price
    fee = price * 250 // 10_000
    assert market.gig(0).status == "released" and done["talent_amount_wei"] == str(price - fee)
    assert chain.btk_balance(newcomer) - before == price - fee
    assert chain.eth_balance(newcomer) > 0


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_the_demo_client_pays_out_only_its_own_funded_offers_to_their_talent(chain, service, newcomer):
    market = Market(chain)
    client_nonce = chain.nonce(dev_address("client"))

    def refused(gig_id, talent, reason):
        with pytest.raises(ChainError) as err:
            demo.deliver(chain, gig_id, talent)
        assert err.value.reason == reason, str(err.value)
        assert chain.nonce(dev_address("client")) == client_nonce   # the demo client signed nothing
        return str(err.value)

    assert "nobody has accepted it yet" in refused(1, newcomer, "not-talent")       # an open demo offer
    send(service, market.accept_request(service, newcomer, 1))
    client_nonce = chain.nonce(dev_address("client"))                               # it paid into escrow
    assert market.gig(1).status == "funded"
    # someone else claims the newcomer's work
    assert "Only the talent" in refused(1, USER_ADDRESS, "not-talent")
    assert market.gig(1).status == "funded"
    # an offer of the user's own, accepted by the newcomer: its client pays, not the demo client
    record = send(service, market.post_request(service, USER_ADDRESS, kind="gig", price=10 * BTK, details="Own"))
    own = int(next(e for e in record.events if e["event"] == "GigPosted")["args"]["gigId"])
    send(service, market.accept_request(service, newcomer, own))
    assert market.gig(own).status == "accepted"                                  # not funded by anyone
    assert "not from the demo client" in refused(own, newcomer, "not-demo-gig")
    assert chain.nonce(dev_address("client")) == client_nonce
    refused(99, newcomer, "unknown-gig")
    demo.deliver(chain, 1, newcomer)
    client_nonce = chain.nonce(dev_address("client"))                               # it released
    assert "already paid" in refused(1, newcomer, "gig-released")


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_an_accept_left_unanswered_is_paid_when_the_chain_is_opened_again(chain, service, newcomer, user):
    """A chain from before the demo client answered accepts: the accept is mined as the
    contract alone would (raw, bypassing the answer), then the next open pays it."""
    m = chain.contracts.marketplace
    key = user.eth_private_key(newcomer)
    from eth_account import Account

    signed = Account.from_key(key).sign_transaction({
        "type": 2, "chainId": chain.chain_id, "nonce": chain.nonce(newcomer), "to": m.address, "value": 0,
        "data": m.encode_abi("accept", [2]), "gas": 200_000, "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9})
    chain.w3.eth.send_raw_transaction(signed.raw_transaction)   # not Chain.send_raw: no answer
    assert Market(chain).gig(2).status == "accepted"
    data_dir = chain.embedded.path.parents[1]
    chain.close()
    with client.connect(None, data_dir) as again:
        assert Market(again).gig(2).status == "funded"


@pytest.mark.parametrize("backend", ["anvil"], indirect=True)
def test_the_demo_client_never_signs_off_the_embedded_chain(chain, service):
    """On a JSON-RPC node an offer posted with the demo client's public key is an ordinary
    offer: accepting it funds nothing, and 'deliver' is refused before anything is signed."""
    from tests.chain.conftest import ANVIL_KEY_0

    fake = dev_address("client")
    token, m = chain.contracts.token, chain.contracts.marketplace
    chain.transact(ANVIL_KEY_0, {"to": fake, "value": BTK})
    chain.transact(ANVIL_KEY_0, {"to": token.address, "data": token.encode_abi("transfer", [fake, 1_000 * BTK])})
    chain.transact(dev_key("client"), {"to": token.address, "data": token.encode_abi("approve", [m.address, 2**255])})
    chain.transact(dev_key("client"), {"to": m.address, "data": m.encode_abi(
        "post", [0, 50 * BTK, "0x" + "00" * 20, 0, 86400, "Looks like a demo offer"])})
    gid = m.functions.gigCount().call() - 1
    nonce = chain.nonce(fake)
    send(service, Market(chain).accept_request(service, USER_ADDRESS, gid))
    assert Market(chain).gig(gid).status == "accepted"       # nobody paid on its behalf
    assert not demo.is_demo_client(Market(chain).gig(gid).client, chain.embedded is not None)
    assert demo.fund_accepted(chain) == [] and chain.advance(1)
    with pytest.raises(ChainError) as err:
        demo.deliver(chain, gid, USER_ADDRESS)
    assert err.value.reason == "not-embedded" and "tell the client" in str(err.value)
    assert chain.nonce(fake) == nonce and Market(chain).gig(gid).status == "accepted"


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_voting_blocks_are_those_the_governor_counts(chain, service, newcomer):
    """One wording everywhere ("votes count from block S+1 to block D"), true to the
    contract: a vote mined in block D counts, one that would be mined after it is refused,
    and one sent at block S (mined in S+1) is accepted."""
    gov = Governance(chain)
    g = chain.contracts.governor.functions
    send(service, gov.delegate_request(service, newcomer, newcomer))
    send(service, gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))
    record = send(service, gov.propose_request(service, newcomer, [gov.call_market_fee(300)], "Fee 3 %"))
    pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
    p = gov.proposal(pid)
    assert (p["snapshot"], p["deadline"]) == (g.proposalSnapshot(pid).call(), g.proposalDeadline(pid).call())
    window = voting_window(p)
    assert window == f"votes count from block {p['snapshot'] + 1:,} to block {p['deadline']:,}"

    chain.advance(p["snapshot"] - chain.block_number)      # the chain is at the snapshot block
    assert gov.state(pid) == "pending"
    record = send(service, gov.vote_request(service, newcomer, pid, "for"))
    assert record.block == p["snapshot"] + 1                 # the first block that counts

    chain.advance(p["deadline"] - chain.block_number)       # the chain is at the deadline block
    with pytest.raises(ChainError) as err:                  # a vote now would be mined after it
        gov.vote_request(service, USER_ADDRESS, pid, "against")
    assert err.value.reason == "voting-closed" and window in str(err.value)
    assert gov.proposal(pid)["votes"]["against"] == "0"

    # the last block that counts: a fresh proposal, voted on when the chain is one block short
    record = send(service, gov.propose_request(service, newcomer, [gov.call_market_fee(310)], "Fee 3.1 %"))
    pid = int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])
    p = gov.proposal(pid)
    with pytest.raises(ChainError) as err:
        gov.vote_request(service, USER_ADDRESS, pid, "for")
    assert err.value.reason == "voting-not-open" and voting_window(p) in str(err.value)
    chain.advance(p["deadline"] - 1 - chain.block_number)
    record = send(service, gov.vote_request(service, USER_ADDRESS, pid, "against"))
    assert record.block == p["deadline"] and gov.proposal(pid)["votes"]["against"] != "0"


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_an_accept_mined_after_an_advance_is_paid_at_the_next_one(chain, newcomer, user):
    """Advancing skips reading the offers while the marketplace's storage is unchanged;
    an accept mined without an answer (raw, bypassing Chain.send_raw) changes it, and the
    next advance pays it."""
    from eth_account import Account

    chain.advance(1)                                               # looked: nothing accepted
    assert demo.fund_accepted(chain) == []                         # unchanged: nothing read, nothing paid
    m = chain.contracts.marketplace
    signed = Account.from_key(user.eth_private_key(newcomer)).sign_transaction({
        "type": 2, "chainId": chain.chain_id, "nonce": chain.nonce(newcomer), "to": m.address, "value": 0,
        "data": m.encode_abi("accept", [0]), "gas": 200_000, "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9})
    chain.w3.eth.send_raw_transaction(signed.raw_transaction)
    assert Market(chain).gig(0).status == "accepted"
    chain.advance(1)
    assert Market(chain).gig(0).status == "funded"
    client_nonce = chain.nonce(dev_address("client"))
    chain.advance(2)                                               # paid once, not again
    assert chain.nonce(dev_address("client")) == client_nonce
