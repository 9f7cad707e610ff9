"""How the suite is wired after deployment: who may do what."""

from eth_utils import keccak

from tests.contracts.harness import ANYONE, BTK, PARAMS, deploy_suite, make_chain


def test_the_timelock_is_governed_by_the_governor_alone(suite, a):
    tl = suite.timelock.functions
    proposer, canceller, executor, admin = (
        tl.PROPOSER_ROLE().call(),
        tl.CANCELLER_ROLE().call(),
        tl.EXECUTOR_ROLE().call(),
        tl.DEFAULT_ADMIN_ROLE().call(),
    )
    assert tl.hasRole(proposer, suite.governor.address).call()
    assert tl.hasRole(canceller, suite.governor.address).call()
    assert tl.hasRole(executor, ANYONE).call()  # anyone may execute a ready operation
    assert tl.hasRole(admin, suite.timelock.address).call()  # only the timelock administers itself
    for role in (proposer, canceller, admin):
        assert not tl.hasRole(role, a["deployer"]).call()
    assert tl.getMinDelay().call() == PARAMS["timelock"]["minDelaySeconds"]


def test_every_governed_contract_answers_to_the_timelock(suite, a):
    tl = suite.timelock.address
    assert suite.staking.functions.owner().call() == tl
    assert suite.staking.functions.treasury().call() == tl
    assert suite.marketplace.functions.owner().call() == tl
    assert suite.marketplace.functions.treasury().call() == tl
    sb = suite.soulbound.functions
    admin = sb.DEFAULT_ADMIN_ROLE().call()
    assert sb.hasRole(admin, tl).call()
    assert not sb.hasRole(admin, a["deployer"]).call()
    assert sb.hasRole(sb.ISSUER_ROLE().call(), a["issuer"]).call()
    assert sb.treasury().call() == tl


def test_governor_settings(suite):
    g = suite.governor.functions
    p = PARAMS["governor"]
    assert g.name().call() == "Blocktrack Governor"
    assert g.votingDelay().call() == p["votingDelayBlocks"]
    assert g.votingPeriod().call() == p["votingPeriodBlocks"]
    assert g.proposalThreshold().call() == p["proposalThreshold"] * BTK
    assert g.quorumNumerator().call() == p["quorumPercent"]
    assert g.quorum(suite.block - 1).call() == PARAMS["token"]["totalSupply"] * BTK * p["quorumPercent"] // 100
    assert g.timelock().call() == suite.timelock.address
    assert g.token().call() == suite.token.address
    assert g.CLOCK_MODE().call() == "mode=blocknumber&from=default"
    assert g.clock().call() == suite.block


def test_fixed_supply_and_genesis_split(suite, a):
    t = suite.token.functions
    assert t.name().call() == "Blocktrack Token"
    assert t.symbol().call() == "BTK"
    assert t.decimals().call() == 18
    assert t.totalSupply().call() == PARAMS["token"]["totalSupply"] * BTK
    assert t.balanceOf(suite.timelock.address).call() == PARAMS["token"]["treasuryAllocation"] * BTK
    assert t.CLOCK_MODE().call() == "mode=blocknumber&from=default"
    # No minting function exists at all.
    assert not [f for f in suite.token.abi if f.get("name", "").lower().startswith("mint")]


def test_staking_marketplace_soulbound_parameters(suite, a):
    s = PARAMS["staking"]
    st = suite.staking.functions
    assert st.rewardRate().call() == s["rewardRatePerBlock"] * BTK
    assert st.cooldownBlocks().call() == s["cooldownBlocks"]
    assert st.rewardReserve().call() == s["initialRewardReserve"] * BTK
    assert st.validatorCount().call() == 2
    v0 = st.validatorAt(0).call()
    assert v0 == (0, a["operator_a"], s["validators"][0]["name"], s["validators"][0]["commissionBps"], False, 0, 0)
    assert suite.marketplace.functions.feeBps().call() == PARAMS["marketplace"]["feeBps"]
    assert suite.soulbound.functions.issuanceFee().call() == PARAMS["soulbound"]["issuanceFee"] * BTK


def test_the_suite_also_runs_on_eth_testers_default_fork():
    """The embedded chain may run eth-tester's default fork (Prague): the Cancun build works there too."""
    chain = make_chain()
    s = deploy_suite(chain)
    assert type(chain.tester.backend.chain.get_vm()).__name__ == "PragueVM"
    receipt = s.send(s.token.functions.transfer(chain.a["bob"], BTK), chain.a["alice"])
    assert receipt.status == 1
    assert s.token.functions.getVotes(chain.a["alice"]).call() == 5_000_000 * BTK - BTK


def test_role_constants_are_the_documented_hashes(suite):
    assert suite.soulbound.functions.ISSUER_ROLE().call() == keccak(text="ISSUER_ROLE")
    assert suite.timelock.functions.PROPOSER_ROLE().call() == keccak(text="PROPOSER_ROLE")
