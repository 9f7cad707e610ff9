"""StakingPool: stake with a validator, per-block rewards from a funded reserve with the
operator's commission, unstake through a cooldown, slashing by governance."""

import pytest

from tests.contracts.harness import BTK, PARAMS, ZERO, reverts

RATE = PARAMS["staking"]["rewardRatePerBlock"] * BTK
COOLDOWN = PARAMS["staking"]["cooldownBlocks"]
WEI_SLACK = 10_000  # accumulator rounding, in wei


def stake(suite, who, validator_id, amount):
    suite.send(suite.token.functions.approve(suite.staking.address, amount), who)
    return suite.send(suite.staking.functions.stake(validator_id, amount), who)


def claimed(suite, receipt):
    (event,) = suite.events(suite.staking, "RewardsClaimed", receipt)
    return event.args.amount


@pytest.fixture
def gov_pool(suite, a):
    """A pool owned by an EOA standing in for the timelock, to test governed setters directly."""
    pool = suite.deploy("StakingPool", suite.token.address, a["gov"], (RATE, COOLDOWN), [(a["operator_a"], "A", 500)])
    return pool


def test_stake_earns_per_block_and_the_operator_takes_commission(suite, a):
    st = suite.staking.functions
    receipt = stake(suite, a["bob"], 0, 1_000 * BTK)
    (event,) = suite.events(suite.staking, "Staked", receipt)
    assert (event.args.account, event.args.validatorId, event.args.amount) == (a["bob"], 0, 1_000 * BTK)
    assert st.stakeOf(a["bob"]).call() == 1_000 * BTK
    assert st.delegationOf(a["bob"]).call() == [True, 0]
    assert st.validatorAt(0).call()[5] == 1_000 * BTK  # total delegated
    assert st.totalActiveStake().call() == 1_000 * BTK

    suite.mine(9)  # views see the latest block: 9 blocks of rewards
    assert st.pendingRewards(a["bob"]).call() == 9 * RATE * 95 // 100
    assert st.pendingRewards(a["operator_a"]).call() == 9 * RATE * 5 // 100

    before = suite.token.functions.balanceOf(a["bob"]).call()
    receipt = suite.send(st.claimRewards(), a["bob"])  # the 10th block
    assert claimed(suite, receipt) == 10 * RATE * 95 // 100
    assert suite.token.functions.balanceOf(a["bob"]).call() == before + 10 * RATE * 95 // 100
    assert st.pendingRewards(a["bob"]).call() == 0
    receipt = suite.send(st.claimRewards(), a["operator_a"])  # the 11th block
    assert claimed(suite, receipt) == 11 * RATE * 5 // 100
    initial = PARAMS["staking"]["initialRewardReserve"] * BTK
    assert st.rewardReserve().call() == initial - 11 * RATE


def test_rewards_split_across_validators_and_delegators(suite, a):
    st = suite.staking.functions
    stake(suite, a["bob"], 0, 1_000 * BTK)  # validator 0: 5% commission
    suite.send(suite.token.functions.approve(suite.staking.address, 3_000 * BTK), a["carol"])
    suite.send(st.stake(1, 3_000 * BTK), a["carol"])  # validator 1: 10%; bob alone earned 2 blocks
    suite.mine(8)
    expected = {
        "bob": 2 * RATE * 95 // 100 + 8 * RATE // 4 * 95 // 100,
        "operator_a": 2 * RATE * 5 // 100 + 8 * RATE // 4 * 5 // 100,
        "carol": 8 * RATE * 3 // 4 * 90 // 100,
        "operator_b": 8 * RATE * 3 // 4 * 10 // 100,
    }
    for who, amount in expected.items():
        assert abs(st.pendingRewards(a[who]).call() - amount) < WEI_SLACK, who
    assert sum(st.pendingRewards(a[w]).call() for w in expected) <= 10 * RATE


def test_rewards_never_exceed_the_reserve(suite, a, gov_pool):
    p = gov_pool.functions
    suite.send(suite.token.functions.approve(gov_pool.address, 5 * BTK), a["gov"])
    suite.send(p.fundRewards(5 * BTK), a["gov"])
    suite.mine(10)  # nobody staked: nothing accrues, the reserve keeps it
    assert p.rewardReserve().call() == 5 * BTK
    suite.send(suite.token.functions.approve(gov_pool.address, 100 * BTK), a["bob"])
    suite.send(p.stake(0, 100 * BTK), a["bob"])
    suite.mine(20)
    assert p.pendingRewards(a["bob"]).call() + p.pendingRewards(a["operator_a"]).call() == 5 * BTK
    suite.send(p.claimRewards(), a["bob"])
    assert p.rewardReserve().call() == 0
    # Refilling pays for blocks from now on, not for the blocks that went unfunded.
    suite.send(suite.token.functions.approve(gov_pool.address, 100 * BTK), a["gov"])
    suite.send(p.fundRewards(100 * BTK), a["gov"])
    suite.mine(3)
    assert p.pendingRewards(a["bob"]).call() == 3 * RATE * 95 // 100
    with reverts("NothingToClaim"):
        suite.send(p.claimRewards(), a["mallory"])


def test_unstake_goes_through_the_cooldown(suite, a):
    st = suite.staking.functions
    stake(suite, a["bob"], 0, 1_000 * BTK)
    receipt = suite.send(st.requestUnstake(400 * BTK), a["bob"])
    ready_at = receipt.blockNumber + COOLDOWN
    assert st.unstakeRequest(a["bob"]).call() == [400 * BTK, ready_at]
    assert st.stakeOf(a["bob"]).call() == 600 * BTK
    assert st.validatorAt(0).call()[5:] == (600 * BTK, 400 * BTK)
    earned_before = st.pendingRewards(a["bob"]).call()
    suite.mine(1)  # only the 600 still bonded earn (all of the rate, being the only stake)
    assert abs(st.pendingRewards(a["bob"]).call() - earned_before - RATE * 95 // 100) < WEI_SLACK

    suite.mine(ready_at - 2 - suite.block)
    with reverts("CooldownNotOver", ready_at):  # the next block is ready_at - 1
        suite.send(st.withdraw(), a["bob"])
    suite.mine()
    before = suite.token.functions.balanceOf(a["bob"]).call()
    receipt = suite.send(st.withdraw(), a["bob"])
    assert receipt.blockNumber == ready_at
    assert suite.token.functions.balanceOf(a["bob"]).call() == before + 400 * BTK
    assert st.unstakeRequest(a["bob"]).call() == [0, 0]
    with reverts("NoUnstakeRequest"):
        suite.send(st.withdraw(), a["bob"])


def test_a_second_request_adds_up_and_restarts_the_cooldown(suite, a):
    st = suite.staking.functions
    stake(suite, a["bob"], 0, 1_000 * BTK)
    suite.send(st.requestUnstake(100 * BTK), a["bob"])
    suite.mine(10)
    receipt = suite.send(st.requestUnstake(900 * BTK), a["bob"])
    assert st.unstakeRequest(a["bob"]).call() == [1_000 * BTK, receipt.blockNumber + COOLDOWN]
    assert st.stakeOf(a["bob"]).call() == 0
    assert st.delegationOf(a["bob"]).call() == [True, 0]  # still tied to validator 0 while cooling down
    with reverts("InsufficientStake", BTK, 0):
        suite.send(st.requestUnstake(BTK), a["bob"])


def test_an_account_backs_one_validator_at_a_time(suite, a):
    st = suite.staking.functions
    stake(suite, a["bob"], 0, 100 * BTK)
    suite.send(suite.token.functions.approve(suite.staking.address, 100 * BTK), a["bob"])
    with reverts("AlreadyDelegated", 0):
        suite.send(st.stake(1, 100 * BTK), a["bob"])
    suite.send(st.stake(0, 100 * BTK), a["bob"])  # adding to the same validator is fine
    suite.send(st.requestUnstake(200 * BTK), a["bob"])
    with reverts("AlreadyDelegated", 0):  # the cooling-down stake is still validator 0's
        suite.send(st.stake(1, 50 * BTK), a["bob"])
    suite.mine(COOLDOWN)
    suite.send(st.withdraw(), a["bob"])
    assert st.delegationOf(a["bob"]).call() == [False, 0]
    stake(suite, a["bob"], 1, 50 * BTK)
    assert st.delegationOf(a["bob"]).call() == [True, 1]


def test_governance_slashes_bonded_and_cooling_down_stake(suite, a):
    st = suite.staking.functions
    stake(suite, a["bob"], 0, 1_000 * BTK)
    stake(suite, a["carol"], 0, 1_000 * BTK)
    suite.send(st.requestUnstake(400 * BTK), a["carol"])  # cooling down: still slashable
    stake(suite, a["mallory"], 1, 1_000 * BTK)  # another validator: untouched
    treasury_before = suite.token.functions.balanceOf(suite.timelock.address).call()

    receipt = suite.govern([(suite.staking, "slash", [0, 1_000])], "Slash validator 0 by 10%")
    (event,) = suite.events(suite.staking, "ValidatorSlashed", receipt)
    assert (event.args.validatorId, event.args.bps, event.args.amount) == (0, 1_000, 200 * BTK)
    assert suite.token.functions.balanceOf(suite.timelock.address).call() == treasury_before + 200 * BTK
    info = st.validatorAt(0).call()
    assert info[4] is True  # slashed
    assert info[5:] == (1_440 * BTK, 360 * BTK)
    assert st.stakeOf(a["bob"]).call() == 900 * BTK
    assert st.stakeOf(a["carol"]).call() == 540 * BTK
    assert st.unstakeRequest(a["carol"]).call()[0] == 360 * BTK
    assert st.stakeOf(a["mallory"]).call() == 1_000 * BTK
    assert st.totalActiveStake().call() == 1_000 * BTK

    # A slashed validator earns nothing more and takes no new stake.
    frozen = st.pendingRewards(a["bob"]).call()
    suite.mine(5)
    assert st.pendingRewards(a["bob"]).call() == frozen
    suite.send(suite.token.functions.approve(suite.staking.address, BTK), a["bob"])
    with reverts("ValidatorWasSlashed", 0):
        suite.send(st.stake(0, BTK), a["bob"])
    # Its delegators leave through the cooldown with what is left.
    suite.send(st.requestUnstake(900 * BTK), a["bob"])
    suite.mine(COOLDOWN)
    before = suite.token.functions.balanceOf(a["bob"]).call()
    suite.send(st.withdraw(), a["bob"])
    assert suite.token.functions.balanceOf(a["bob"]).call() == before + 900 * BTK
    suite.send(st.withdraw(), a["carol"])
    assert st.validatorAt(0).call()[5:] == (540 * BTK, 0)


def test_holder_errors(suite, a):
    st = suite.staking.functions
    with reverts("ZeroAmount"):
        suite.send(st.stake(0, 0), a["bob"])
    with reverts("UnknownValidator", 7):
        suite.send(st.stake(7, BTK), a["bob"])
    with reverts("UnknownValidator", 7):
        st.validatorAt(7).call()
    with reverts("ERC20InsufficientAllowance", suite.staking.address, 0, BTK):
        suite.send(st.stake(0, BTK), a["bob"])
    with reverts("ZeroAmount"):
        suite.send(st.requestUnstake(0), a["bob"])
    with reverts("InsufficientStake", BTK, 0):
        suite.send(st.requestUnstake(BTK), a["bob"])
    stake(suite, a["bob"], 0, 10 * BTK)
    with reverts("InsufficientStake", 11 * BTK, 10 * BTK):
        suite.send(st.requestUnstake(11 * BTK), a["bob"])
    with reverts("NoUnstakeRequest"):
        suite.send(st.withdraw(), a["bob"])
    with reverts("NothingToClaim"):
        suite.send(st.claimRewards(), a["mallory"])
    with reverts("ZeroAmount"):
        suite.send(st.fundRewards(0), a["bob"])


def test_governed_setters(suite, a, gov_pool):
    p = gov_pool.functions
    gov = a["gov"]
    receipt = suite.send(p.registerValidator(a["operator_b"], "B", 200), gov)
    (event,) = suite.events(gov_pool, "ValidatorRegistered", receipt)
    assert (event.args.validatorId, event.args.operator, event.args.name) == (1, a["operator_b"], "B")
    assert p.validatorOfOperator(a["operator_b"]).call() == [True, 1]
    assert p.validatorOfOperator(a["bob"]).call() == [False, 0]
    with reverts("OperatorAlreadyRegistered", a["operator_b"]):
        suite.send(p.registerValidator(a["operator_b"], "B again", 0), gov)
    with reverts("ZeroAddress"):
        suite.send(p.registerValidator(ZERO, "Nobody", 0), gov)
    with reverts("CommissionTooHigh", 5_001, 5_000):
        suite.send(p.registerValidator(a["bob"], "Greedy", 5_001), gov)
    with reverts("CommissionTooHigh", 6_000, 5_000):
        suite.send(p.setValidatorCommission(1, 6_000), gov)
    with reverts("UnknownValidator", 9):
        suite.send(p.setValidatorCommission(9, 100), gov)
    suite.send(p.setValidatorCommission(1, 0), gov)
    assert p.validatorAt(1).call()[3] == 0
    with reverts("InvalidSlashBps", 0, 5_000):
        suite.send(p.slash(0, 0), gov)
    with reverts("InvalidSlashBps", 5_001, 5_000):
        suite.send(p.slash(0, 5_001), gov)
    with reverts("UnknownValidator", 9):
        suite.send(p.slash(9, 100), gov)
    with reverts("CooldownTooLong", 100_801, 100_800):
        suite.send(p.setCooldownBlocks(100_801), gov)
    suite.send(p.setCooldownBlocks(0), gov)
    assert p.cooldownBlocks().call() == 0
    with reverts("OwnershipCannotBeRenounced"):
        suite.send(p.renounceOwnership(), gov)
    with reverts("OwnableUnauthorizedAccount", a["mallory"]):
        suite.send(p.renounceOwnership(), a["mallory"])


def test_rate_and_commission_changes_apply_from_the_change_on(suite, a, gov_pool):
    p = gov_pool.functions
    gov = a["gov"]
    suite.send(suite.token.functions.approve(gov_pool.address, 1_000 * BTK), gov)
    suite.send(p.fundRewards(1_000 * BTK), gov)
    suite.send(suite.token.functions.approve(gov_pool.address, 100 * BTK), a["bob"])
    suite.send(p.stake(0, 100 * BTK), a["bob"])
    suite.mine(3)
    suite.send(p.setRewardRate(2 * RATE), gov)  # 4 blocks at 1 BTK
    suite.send(p.setValidatorCommission(0, 0), gov)  # 1 block at 2 BTK with 5%
    suite.mine(2)  # 2 blocks at 2 BTK, no commission
    assert p.pendingRewards(a["operator_a"]).call() == 4 * RATE * 5 // 100 + 2 * RATE * 5 // 100
    assert p.pendingRewards(a["bob"]).call() == 4 * RATE * 95 // 100 + 2 * RATE * 95 // 100 + 4 * RATE


def test_constructor_checks(suite, a):
    with reverts("CooldownTooLong", 200_000, 100_800):
        suite.deploy("StakingPool", suite.token.address, a["gov"], (RATE, 200_000), [])
    with reverts("ZeroAddress"):
        suite.deploy("StakingPool", ZERO, a["gov"], (RATE, 1), [])
    with reverts("OwnableInvalidOwner", ZERO):
        suite.deploy("StakingPool", suite.token.address, ZERO, (RATE, 1), [])
    with reverts("CommissionTooHigh", 9_000, 5_000):
        suite.deploy("StakingPool", suite.token.address, a["gov"], (RATE, 1), [(a["bob"], "X", 9_000)])


def test_the_pool_stays_solvent_through_odd_amounts_and_a_slash(suite, a):
    """Everyone leaves with everything they are owed, and the reserve is still covered."""
    st = suite.staking.functions
    actors = {"bob": (0, 333_333_333_333_333_333_333), "carol": (0, 7), "mallory": (1, 1_234_567_890_123_456_789)}
    for who, (validator_id, amount) in actors.items():
        stake(suite, a[who], validator_id, amount)
        suite.mine(3)
    suite.send(st.requestUnstake(111_111_111_111_111_111_111), a["bob"])
    suite.mine(7)
    suite.govern([(suite.staking, "slash", [0, 3_333])], "Slash validator 0 by 33.33%")
    everyone = [*actors, "operator_a", "operator_b"]
    for who in actors:
        suite.send(st.requestUnstake(st.stakeOf(a[who]).call()), a[who])
    assert st.totalActiveStake().call() == 0  # nothing accrues any more
    for who in everyone:
        suite.send(st.claimRewards(), a[who])
    suite.mine(COOLDOWN)
    for who in actors:
        suite.send(st.withdraw(), a[who])
        assert st.unstakeRequest(a[who]).call() == [0, 0] and st.stakeOf(a[who]).call() == 0
    held = suite.token.functions.balanceOf(suite.staking.address).call()
    reserve = st.rewardReserve().call()
    assert 0 <= held - reserve < WEI_SLACK  # only rounding dust beyond the reserve
    for who in everyone:
        assert st.pendingRewards(a[who]).call() == 0
