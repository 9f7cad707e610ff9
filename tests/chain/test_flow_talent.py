"""The talent market end to end (embedded chain and anvil), through the core and TxService:
a gated offer, a bid refused for a missing credential then for too little stake, an
anchored credential whose type its issuer declares, a staked bid and a plain one, the
client accepting the staked bid (the other stake returned), funding price + fee, release
paying the whole price, connectors on both sides withdrawing their earnings; plus the
bond forfeited on a late refund, cancel, and every check naming its cause before signing."""

from __future__ import annotations

import pytest
from eth_account import Account

from tests.chain.conftest import ANVIL_KEY_0, USER_ADDRESS
from vault.chain.contracts import BTK
from vault.chain.talent import KEY, TalentMarket, credential_type_hash
from vault.errors import ChainError

DEGREE = "BachelorDegree"


def yes(_confirmation) -> bool:
    return True


def run(service, plan):
    from vault.chain.plan import as_plan

    return service.run(as_plan(plan), confirm=yes)


def _keys(chain) -> tuple[bytes, bytes]:
    """(deployer, issuer) keys of this network's suite."""
    if chain.embedded is not None:
        from vault.chain.embedded import dev_key

        return dev_key("faucet"), dev_key("issuer")
    return ANVIL_KEY_0, ANVIL_KEY_0


@pytest.fixture
def tm(chain):
    """The talent market, deployed with the suite (a registered extension)."""
    return TalentMarket(chain)


@pytest.fixture
def people(chain, service, user):
    """Vault accounts beside the client (USER_ADDRESS): two talents and a connector, with ETH and BTK."""
    token = chain.contracts.token
    out = {}
    for name in ("talent", "third", "connector", "talent-connector"):
        address = user.add_account(name).address
        service.send(service.preview(service.eth_transfer(USER_ADDRESS, address, 2 * BTK)))
        service.send(service.preview(service.contract_call("t", token, "transfer", [address, 1_000 * BTK],
                                                           USER_ADDRESS)))
        out[name] = address
    return out


def issue_credential(chain, holder: str, text: bytes) -> int:
    """The issuer anchors a credential to ``holder``; returns its soulbound token id."""
    from eth_utils import keccak

    _, key = _keys(chain)
    sbt, token = chain.contracts.soulbound, chain.contracts.token
    chain.transact(key, {"to": token.address, "data": token.encode_abi("approve", [sbt.address, 10 * BTK])})
    chain.transact(key, {"to": sbt.address, "data": sbt.encode_abi("issue", [holder, keccak(text), ""])})
    return sbt.functions.totalIssued().call()


def declare(chain, tm, token_id: int, name: str) -> None:
    _, key = _keys(chain)
    chain.transact(key, {"to": tm.m.address, "data": tm.m.encode_abi(
        "setCredentialType", [token_id, credential_type_hash(name)])})


def refused(reason: str, fn, *args, **kw) -> ChainError:
    with pytest.raises(ChainError) as err:
        fn(*args, **kw)
    assert err.value.reason == reason, err.value
    return err.value


def test_gated_offer_bids_accept_fund_release_pays_connectors(chain, service, tm, people, user):
    token = chain.contracts.token
    issuer = Account.from_key(_keys(chain)[1]).address
    talent, third = people["talent"], people["third"]
    # Connectors for life: the client names its own; the talent signs one a relayer submits.
    run(service, tm.register_referrer_plan(service, USER_ADDRESS, people["connector"]))
    signed = tm.sign_referral(user.eth_private_key(talent), talent, people["talent-connector"])
    run(service, tm.register_signed_referrer_plan(service, people["connector"], signed))
    refused("referrer-already-set", tm.register_referrer_plan, service, talent, third)
    assert tm.connector(talent)["referrer"] == people["talent-connector"]
    assert tm.connector(people["connector"])["referred"] == [USER_ADDRESS]

    run(service, tm.post_plan(service, USER_ADDRESS, budget=1_000 * BTK, details="Audit a token contract",
                              issuer=issuer, credential_type=DEGREE))
    (offer,) = [o.to_json() for o in tm.offers() if o.client == USER_ADDRESS]
    oid = offer["id"]
    assert offer["gate"]["issuer"] == issuer and offer["gate"]["credential_type"] == "0x" + credential_type_hash(
        DEGREE).hex()
    # The talent has no credential: refused before signing, with what to do about it.
    err = refused("gate-not-met", tm.bid_plan, service, talent, oid, price=900 * BTK, stake=50 * BTK)
    assert issuer in str(err) and "ask that issuer" in str(err)
    token_id = issue_credential(chain, talent, b"talent's degree")
    err = refused("gate-not-met", tm.bid_plan, service, talent, oid, price=900 * BTK)
    assert f"token {token_id}" in str(err) and "no declared type" in str(err)
    assert "Declare for the talent market" in str(err)      # where its issuer does it
    declare(chain, tm, token_id, DEGREE)
    assert tm.gate_report(oid, talent)["credential_token"] == token_id
    balance = token.functions.balanceOf(talent).call()
    plan = tm.bid_plan(service, talent, oid, price=900 * BTK, stake=50 * BTK, message="Three days, with tests")
    assert [r.kind for r in plan.requests] == ["btk-approve", "talent-bid"]
    run(service, plan)
    assert token.functions.balanceOf(talent).call() == balance - 50 * BTK
    refused("already-bidding", tm.bid_plan, service, talent, oid, price=800 * BTK)
    # The third account has the credential too, and bids without a stake.
    declare(chain, tm, issue_credential(chain, third, b"third's degree"), DEGREE)
    run(service, tm.bid_plan(service, third, oid, price=700 * BTK, message="Cheaper"))
    bids = [b.to_json() for b in tm.bids(oid)]
    assert [(b["bidder"], b["stake"]) for b in bids] == [(talent, "50"), (third, "0")]  # stake first
    assert bids[0]["message"] == "Three days, with tests"

    refused("not-client", tm.accept_bid_plan, service, third, oid, bids[0]["bid_id"])
    run(service, tm.accept_bid_plan(service, USER_ADDRESS, oid, bids[0]["bid_id"]))
    o = tm.offer(oid).to_json()
    assert (o["status"], o["talent"], o["price"], o["bond"]) == ("accepted", talent, "900", "50")
    assert [b.status for b in tm.bids(oid, all_bids=True)] == ["accepted", "released"]
    refused("offer-accepted", tm.bid_plan, service, third, oid, price=600 * BTK)

    split = tm.funding_split(oid)
    assert split.sentence() == "you pay 900 + 22.5 fee; talent receives 900; connectors 18; treasury 4.5; burned 0"
    treasury = chain.contracts.timelock.address
    before = {a: token.functions.balanceOf(a).call() for a in (USER_ADDRESS, talent, treasury)}
    plan = tm.fund_plan(service, USER_ADDRESS, oid)
    assert [r.kind for r in plan.requests] == ["btk-approve", "talent-fund"]
    run(service, plan)
    assert token.functions.balanceOf(USER_ADDRESS).call() == before[USER_ADDRESS] - 922_500 * BTK // 1000
    refused("not-client", tm.release_plan, service, talent, oid)
    run(service, tm.release_plan(service, USER_ADDRESS, oid))
    assert token.functions.balanceOf(talent).call() == before[talent] + 950 * BTK  # the whole price + bond
    assert token.functions.balanceOf(treasury).call() == before[treasury] + 4_500 * BTK // 1000
    assert tm.offer(oid).status == "released" and tm.reputation(talent)["completed"] == 1

    for connector in (people["connector"], people["talent-connector"]):
        assert tm.connector(connector)["withdrawable"] == "9"
        held = token.functions.balanceOf(connector).call()
        run(service, tm.withdraw_earnings_plan(service, connector))
        assert token.functions.balanceOf(connector).call() == held + 9 * BTK
        assert tm.connector(connector)["withdrawable"] == "0"
        refused("nothing-to-withdraw", tm.withdraw_earnings_plan, service, connector)
    refused("offer-released", tm.release_plan, service, USER_ADDRESS, oid)
    # Equal stakes: the bidder with more completed gigs is listed first, whoever bid first.
    run(service, tm.post_plan(service, USER_ADDRESS, budget=10 * BTK, details="Second gig"))
    nxt = tm.offers()[-1].id
    run(service, tm.bid_plan(service, third, nxt, price=5 * BTK))
    run(service, tm.bid_plan(service, talent, nxt, price=9 * BTK))
    assert [(b.bidder, b.reputation["completed"]) for b in tm.bids(nxt)] == [(talent, 1), (third, 0)]


def test_withdraw_cancel_and_late_refund_forfeiting_the_bond(chain, service, tm, people):
    token = chain.contracts.token
    talent, third = people["talent"], people["third"]
    run(service, tm.post_plan(service, USER_ADDRESS, budget=100 * BTK, details="Translate a page",
                              delivery_window=3600))
    oid = tm.offers()[-1].id
    held = token.functions.balanceOf(third).call()
    run(service, tm.bid_plan(service, third, oid, price=90 * BTK, stake=10 * BTK))
    (bid,) = [b.to_json() for b in tm.bids(oid)]
    refused("not-bidder", tm.withdraw_bid_plan, service, talent, oid, bid["bid_id"])
    run(service, tm.withdraw_bid_plan(service, third, oid, bid["bid_id"]))
    assert token.functions.balanceOf(third).call() == held and tm.bids(oid) == []
    refused("bid-not-active", tm.withdraw_bid_plan, service, third, oid, bid["bid_id"])
    refused("bid-not-active", tm.accept_bid_plan, service, USER_ADDRESS, oid, bid["bid_id"])

    run(service, tm.bid_plan(service, talent, oid, price=80 * BTK, stake=20 * BTK))
    (bid,) = [b.to_json() for b in tm.bids(oid)]
    run(service, tm.accept_bid_plan(service, USER_ADDRESS, oid, bid["bid_id"]))
    run(service, tm.fund_plan(service, USER_ADDRESS, oid))
    refused("refund-not-yet", tm.refund_plan, service, USER_ADDRESS, oid)
    refused("not-offer-party", tm.refund_plan, service, third, oid)
    chain.advance(seconds=3601)
    client_held, talent_held = (token.functions.balanceOf(a).call() for a in (USER_ADDRESS, talent))
    plan = tm.refund_plan(service, USER_ADDRESS, oid)
    assert "20 BTK of the talent's bond (100 %)" in plan.description
    run(service, plan)
    # Price + fee back, and the whole bond (the default forfeit share is 100 %).
    assert token.functions.balanceOf(USER_ADDRESS).call() == client_held + 82 * BTK + 20 * BTK
    assert token.functions.balanceOf(talent).call() == talent_held
    o = tm.offer(oid).to_json()
    assert o["status"] == "refunded" and o["refund"]["bond_to_client_wei"] == str(20 * BTK)

    run(service, tm.post_plan(service, USER_ADDRESS, budget=5 * BTK, details="Proofread"))
    other = tm.offers()[-1].id
    run(service, tm.bid_plan(service, talent, other, price=5 * BTK, stake=3 * BTK))
    refused("not-client", tm.cancel_plan, service, talent, other)
    run(service, tm.cancel_plan(service, USER_ADDRESS, other))
    assert token.functions.balanceOf(talent).call() == talent_held
    assert [b.status for b in tm.bids(other, all_bids=True)] == ["released"]
    refused("offer-cancelled", tm.bid_plan, service, third, other, price=BTK)
    refused("unknown-offer", tm.offer, 999)


def test_checks_before_signing(chain, service, tm, people, user):
    talent = people["talent"]
    for kw, words in ((dict(budget=0, details="x"), "more than zero"), (dict(budget=BTK, details=" "), "title"),
                      (dict(budget=BTK, details="x", delivery_window=366 * 86400), "365 days"),
                      (dict(budget=BTK, details="x", credential_type=DEGREE), "needs its issuer"),
                      (dict(budget=BTK, details="x", issuer="0x1234"), "0x1234")):
        with pytest.raises(ChainError) as info:
            tm.post_plan(service, USER_ADDRESS, **kw)
        assert words in str(info.value)
    run(service, tm.post_plan(service, USER_ADDRESS, budget=10 * BTK, details="Stake-gated",
                              min_stake=100 * BTK))
    oid = tm.offers()[-1].id
    refused("client-cannot-bid", tm.bid_plan, service, USER_ADDRESS, oid, price=BTK)
    refused("invalid-argument", tm.bid_plan, service, talent, oid, price=11 * BTK)
    refused("invalid-argument", tm.bid_plan, service, talent, oid, price=BTK, message="x" * 1001)
    err = refused("gate-not-met", tm.bid_plan, service, talent, oid, price=BTK)
    assert "needs 100 BTK staked; you have 0 BTK staked" in str(err)
    refused("offer-open", tm.funding_split, oid)
    refused("offer-open", tm.fund_plan, service, USER_ADDRESS, oid)
    refused("nothing-to-withdraw", tm.withdraw_earnings_plan, service, talent)
    refused("invalid-referrer", tm.register_referrer_plan, service, talent, talent)
    # A referral signed for one referrer cannot be submitted for another.
    signed = tm.sign_referral(user.eth_private_key(talent), talent, people["connector"])
    forged = dict(signed, referrer=people["third"])
    plan = tm.register_signed_referrer_plan  # the check is the contract's signature check
    with pytest.raises(ChainError) as info:
        run(service, plan(service, people["third"], forged))
    assert "signature" in str(info.value).lower()
    assert tm.connector(talent)["referrer"] is None


def test_a_network_without_the_market_is_refused_in_words(chain):
    import dataclasses

    m = chain.manifest
    contracts = {k: v for k, v in m.contracts.items() if k != KEY}
    chain.set_manifest(dataclasses.replace(m, contracts=contracts))
    with pytest.raises(ChainError) as err:
        TalentMarket(chain)
    assert err.value.reason == "not-deployed" and "The talent market is not deployed" in str(err.value)
    # A manifest naming an address without code: a call there would "succeed" doing nothing.
    chain.set_manifest(dataclasses.replace(m, contracts={**contracts, KEY: "0x" + "ab" * 20}))
    with pytest.raises(ChainError) as err:
        TalentMarket(chain)
    assert err.value.reason == "not-deployed" and "no contract there" in str(err.value)


def test_terms_template_checks_the_caps_then_governance_applies_it(chain, service, tm, people):
    from vault.chain import templates
    from vault.chain.governance import Governance

    gov = Governance(chain)
    ok = {"fee_bps": "300", "connector_bps": "100", "burn_bps": "2000", "forfeit_bps": "5000"}
    for bad, words in (({"fee_bps": "1001"}, "fee must be between 0 and 10 %"),
                       ({"connector_bps": "251"}, "connector share must be between 0 and 2.5 %"),
                       ({"fee_bps": "150"}, "cannot pay two connectors"),
                       ({"burn_bps": "5001"}, "burn share"),
                       ({"forfeit_bps": "10001"}, "must be hundredths of a percent")):
        with pytest.raises(ChainError) as err:
            templates.make_call(gov, "talent-terms", ok | bad)
        assert words in str(err.value)
    call = templates.make_call(gov, "talent-terms", ok)
    assert call.target == tm.m.address
    assert call.summary == ("Set the talent market terms: fee 3 % (paid by the client), each connector 1 % of the "
                            "price, burn 20 % of the fee's rest, late bond to the client 50 %")
    run(service, gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))
    chain.advance(1)
    run(service, gov.propose_request(service, USER_ADDRESS, [call], "Talent market: burn a fifth"))
    (p,) = gov.proposals()
    assert p["calls"][0]["summary"] == call.summary  # read back from the chain in words
    chain.advance(2)
    run(service, gov.vote_request(service, USER_ADDRESS, p["proposal_id"], "for"))
    chain.advance(gov.proposal(p["proposal_id"])["deadline"] - chain.block_number + 1)
    run(service, gov.queue_request(service, USER_ADDRESS, p["proposal_id"]))
    chain.advance(1, 61)
    run(service, gov.execute_request(service, USER_ADDRESS, p["proposal_id"]))
    assert tm.terms() == {"fee_bps": 300, "connector_bps": 100, "burn_bps": 2_000, "forfeit_bps": 5_000}
    # The burn share at work: a fifth of the fee (nobody has a connector here) leaves the supply.
    token = chain.contracts.token
    run(service, tm.post_plan(service, USER_ADDRESS, budget=500 * BTK, details="Burn check"))
    oid = tm.offers()[-1].id
    run(service, tm.bid_plan(service, people["third"], oid, price=500 * BTK))
    run(service, tm.accept_bid_plan(service, USER_ADDRESS, oid, tm.bids(oid)[0].bid_id))
    split = tm.funding_split(oid)
    assert split.sentence() == "you pay 500 + 15 fee; talent receives 500; connectors 0; treasury 12; burned 3"
    run(service, tm.fund_plan(service, USER_ADDRESS, oid))
    supply = token.functions.totalSupply().call()
    run(service, tm.release_plan(service, USER_ADDRESS, oid))
    assert token.functions.totalSupply().call() == supply - 3 * BTK
    assert tm.offer(oid).to_json()["burned_wei"] == str(3 * BTK)


def test_a_chain_whose_btk_cannot_burn_gets_a_market_without_burning(chain):
    """An older chain's BTK predates burn: the extension deploys the market with a burn
    share of 0 even when the parameters ask for one, and governance can never raise it."""
    from vault.chain.abi import constructor_data
    from vault.chain.extensions import DeployContext
    from vault.chain.extensions.talent_market import EXTENSION, token_can_burn

    key, _ = _keys(chain)
    deployer = Account.from_key(key).address
    assert token_can_burn(chain, chain.contracts.token.address, deployer) is True
    old_token = chain.transact(key, {"data": constructor_data("TestReentrantToken")}).contractAddress
    assert token_can_burn(chain, old_token, deployer) is False

    def create(name, *args):
        return chain.transact(key, {"data": constructor_data(name, *args)}).contractAddress

    addresses = dict(chain.manifest.contracts, token=old_token)
    params = {"talentMarket": {"feeBps": 300, "connectorBps": 100, "burnBps": 500, "forfeitBps": 10_000}}
    ctx = DeployContext(chain=chain, addresses=addresses, params=params, deployer=deployer, create=create,
                        call=None, send=None)
    market = chain.w3.eth.contract(address=EXTENSION.deploy(ctx), abi=chain.contracts.extension(KEY).abi)
    assert market.functions.canBurn().call() is False
    assert market.functions.terms().call() == [300, 100, 0, 10_000]


def test_accepting_returns_the_losing_stakes_and_a_stake_gate_opens_once_staked(chain, service, tm, people):
    from vault.chain import staking

    token = chain.contracts.token
    talent, third = people["talent"], people["third"]
    run(service, tm.post_plan(service, USER_ADDRESS, budget=100 * BTK, details="Staked only", min_stake=30 * BTK))
    oid = tm.offers()[-1].id
    refused("gate-not-met", tm.bid_plan, service, talent, oid, price=90 * BTK)
    for who in (talent, third):
        run(service, staking.stake_requests(service, who, 0, 30 * BTK))
    assert tm.gate_report(oid, talent)["ok"] and tm.gate_report(oid, talent)["staked"] == "30"
    held = {who: token.functions.balanceOf(who).call() for who in (talent, third)}
    run(service, tm.bid_plan(service, talent, oid, price=90 * BTK, stake=20 * BTK))
    run(service, tm.bid_plan(service, third, oid, price=80 * BTK, stake=40 * BTK))
    assert [b.bidder for b in tm.bids(oid)] == [third, talent]  # the higher stake first
    talent_bid = next(b.to_json() for b in tm.bids(oid) if b.bidder == talent)
    run(service, tm.accept_bid_plan(service, USER_ADDRESS, oid, talent_bid["bid_id"]))
    assert token.functions.balanceOf(third).call() == held[third]  # the loser's 40 back at once
    assert token.functions.balanceOf(talent).call() == held[talent] - 20 * BTK  # the winner's bond stays
    assert token.functions.balanceOf(tm.m.address).call() >= 20 * BTK
