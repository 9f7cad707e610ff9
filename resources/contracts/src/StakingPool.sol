// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title BTK staking with delegation to validators
/// @notice Holders stake BTK with one validator of their choice. Stake with an active
/// validator earns a share of `rewardRate` BTK per block, paid out of a reward reserve
/// that anyone can fund (nothing is ever promised beyond the reserve); the validator's
/// operator takes `commissionBps` of its delegators' rewards. Leaving takes a cooldown:
/// `requestUnstake` stops the earning at once, `withdraw` pays out once `cooldownBlocks`
/// have passed. Governance (the owner, the timelock, which is also the treasury) registers
/// validators and can slash one: a slash takes `bps` of both the validator's bonded stake
/// and the stake still cooling down from it, sends it to the treasury, and retires the
/// validator for good (it earns nothing more and takes no new stake).
/// @dev An account backs one validator at a time; to move it fully unstakes and withdraws,
/// so stake can leave a validator only through the cooldown, during which it can still be
/// slashed. Stake is held as shares of the validator's pools so that a slash is O(1).
/// Rewards use two accumulators: reward per unit of active stake (global) and, per
/// validator, delegator reward per share after commission. Every division rounds in the
/// pool's favour, so the pool always holds at least what it owes; the global remainder
/// goes back to the reserve, the per-validator ones (a few wei) stay in the contract.
contract StakingPool is Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 private constant BPS = 10_000;
    uint256 private constant ACC_PRECISION = 1e18;
    /// The largest share of a validator's stake one slash may take (basis points).
    uint256 public constant MAX_SLASH_BPS = 5_000;
    /// The largest commission governance may give a validator (basis points).
    uint256 public constant MAX_COMMISSION_BPS = 5_000;
    /// The longest cooldown governance may set: about two weeks of 12-second blocks.
    uint64 public constant MAX_COOLDOWN_BLOCKS = 100_800;

    struct Validator {
        address operator;
        uint16 commissionBps;
        bool slashed;
        string name;
        uint256 bondedStake;
        uint256 bondedShares;
        uint256 unbondingStake;
        uint256 unbondingShares;
        uint256 accRewardPerShare; // delegators' reward per bonded share, scaled by 1e18
        uint256 accRewardPerStakePaid; // the global accumulator when last settled
    }

    /// What `validatorAt` returns: everything a wallet lists about a validator.
    struct ValidatorInfo {
        uint256 id;
        address operator;
        string name;
        uint16 commissionBps;
        bool slashed;
        uint256 totalDelegated; // bonded stake, in BTK wei
        uint256 totalUnbonding; // stake in its cooldown, still slashable
    }

    /// The reward rate and cooldown at deployment (a struct: the legacy code generator runs
    /// out of stack decoding more constructor arguments alongside the validator list).
    struct InitialSettings {
        uint256 rewardRate;
        uint64 cooldownBlocks;
    }

    /// A validator named at deployment.
    struct ValidatorInit {
        address operator;
        string name;
        uint16 commissionBps;
    }

    struct Account {
        uint256 validatorId;
        uint256 shares;
        uint256 rewardDebt;
        uint256 unbondingShares;
        uint64 readyAtBlock;
    }

    IERC20 public immutable token;
    /// BTK wei paid per block to all active stake together, while the reserve lasts.
    uint256 public rewardRate;
    /// Blocks between `requestUnstake` and `withdraw`.
    uint64 public cooldownBlocks;
    /// Funded rewards not yet accrued to anyone.
    uint256 public rewardReserve;
    /// Stake with validators that are not slashed: the stake that earns.
    uint256 public totalActiveStake;
    /// Reward per unit of active stake since deployment, scaled by 1e18.
    uint256 public accRewardPerStake;
    uint256 public lastRewardBlock;

    Validator[] private _validators;
    mapping(address operator => uint256) private _operatorIdPlusOne;
    mapping(address account => Account) private _accounts;
    mapping(address account => uint256) private _settledRewards;

    event ValidatorRegistered(uint256 indexed validatorId, address indexed operator, string name, uint16 commissionBps);
    event ValidatorCommissionChanged(uint256 indexed validatorId, uint16 oldBps, uint16 newBps);
    event ValidatorSlashed(uint256 indexed validatorId, uint16 bps, uint256 amount);
    event Staked(address indexed account, uint256 indexed validatorId, uint256 amount);
    event UnstakeRequested(address indexed account, uint256 indexed validatorId, uint256 amount, uint64 readyAtBlock);
    event Withdrawn(address indexed account, uint256 indexed validatorId, uint256 amount);
    event RewardsClaimed(address indexed account, uint256 amount);
    event RewardsFunded(address indexed funder, uint256 amount);
    event RewardRateChanged(uint256 oldRate, uint256 newRate);
    event CooldownChanged(uint64 oldBlocks, uint64 newBlocks);

    error ZeroAmount();
    error ZeroAddress();
    error UnknownValidator(uint256 validatorId);
    error OperatorAlreadyRegistered(address operator);
    error CommissionTooHigh(uint256 bps, uint256 maxBps);
    error InvalidSlashBps(uint256 bps, uint256 maxBps);
    error CooldownTooLong(uint256 blocks, uint256 maxBlocks);
    /// The account already backs another validator; it must unstake and withdraw first.
    error AlreadyDelegated(uint256 currentValidatorId);
    /// The validator was slashed and takes no new stake.
    error ValidatorWasSlashed(uint256 validatorId);
    error InsufficientStake(uint256 requested, uint256 available);
    error NoUnstakeRequest();
    error CooldownNotOver(uint256 readyAtBlock);
    error NothingToClaim();
    /// The owner is the treasury that receives slashed stake; it cannot be renounced.
    error OwnershipCannotBeRenounced();

    constructor(
        IERC20 token_,
        address governance,
        InitialSettings memory settings,
        ValidatorInit[] memory validators
    ) Ownable(governance) {
        if (address(token_) == address(0)) revert ZeroAddress();
        if (settings.cooldownBlocks > MAX_COOLDOWN_BLOCKS) {
            revert CooldownTooLong(settings.cooldownBlocks, MAX_COOLDOWN_BLOCKS);
        }
        token = token_;
        rewardRate = settings.rewardRate;
        cooldownBlocks = settings.cooldownBlocks;
        lastRewardBlock = block.number;
        emit RewardRateChanged(0, settings.rewardRate);
        emit CooldownChanged(0, settings.cooldownBlocks);
        for (uint256 i = 0; i < validators.length; ++i) {
            _registerValidator(validators[i].operator, validators[i].name, validators[i].commissionBps);
        }
    }

    // ---------------------------------------------------------------- holders

    /// Stake `amount` BTK (approved beforehand) with validator `validatorId`.
    function stake(uint256 validatorId, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        if (validatorId >= _validators.length) revert UnknownValidator(validatorId);
        Account storage a = _accounts[msg.sender];
        if ((a.shares > 0 || a.unbondingShares > 0) && a.validatorId != validatorId) {
            revert AlreadyDelegated(a.validatorId);
        }
        _accrue();
        Validator storage v = _settleValidator(validatorId);
        if (v.slashed) revert ValidatorWasSlashed(validatorId);
        _settleAccount(msg.sender, a, v);

        // An active validator's stake and shares only ever differ after a slash, which
        // retires it; the conversion still rounds in the pool's favour.
        uint256 shares = v.bondedShares == 0 ? amount : Math.mulDiv(amount, v.bondedShares, v.bondedStake);
        a.validatorId = validatorId;
        a.shares += shares;
        a.rewardDebt = Math.mulDiv(a.shares, v.accRewardPerShare, ACC_PRECISION);
        v.bondedStake += amount;
        v.bondedShares += shares;
        totalActiveStake += amount;

        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Staked(msg.sender, validatorId, amount);
    }

    /// Start the cooldown for `amount` of your stake; it stops earning now. A second
    /// request adds to the first and restarts the cooldown.
    function requestUnstake(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Account storage a = _accounts[msg.sender];
        if (a.shares == 0) revert InsufficientStake(amount, 0);
        _accrue();
        Validator storage v = _settleValidator(a.validatorId);
        _settleAccount(msg.sender, a, v);

        uint256 available = Math.mulDiv(a.shares, v.bondedStake, v.bondedShares);
        if (amount > available) revert InsufficientStake(amount, available);
        uint256 shares =
            amount == available ? a.shares : Math.mulDiv(amount, v.bondedShares, v.bondedStake, Math.Rounding.Ceil);
        a.shares -= shares;
        a.rewardDebt = Math.mulDiv(a.shares, v.accRewardPerShare, ACC_PRECISION);
        v.bondedShares -= shares;
        v.bondedStake -= amount;
        if (!v.slashed) totalActiveStake -= amount;

        uint256 unbondingShares = (v.unbondingShares == 0 || v.unbondingStake == 0)
            ? amount
            : Math.mulDiv(amount, v.unbondingShares, v.unbondingStake);
        v.unbondingShares += unbondingShares;
        v.unbondingStake += amount;
        a.unbondingShares += unbondingShares;
        uint64 readyAt = uint64(block.number) + cooldownBlocks;
        a.readyAtBlock = readyAt;
        emit UnstakeRequested(msg.sender, a.validatorId, amount, readyAt);
    }

    /// Pay out the stake whose cooldown is over (less any slash that hit it meanwhile).
    function withdraw() external nonReentrant {
        Account storage a = _accounts[msg.sender];
        uint256 unbondingShares = a.unbondingShares;
        if (unbondingShares == 0) revert NoUnstakeRequest();
        if (block.number < a.readyAtBlock) revert CooldownNotOver(a.readyAtBlock);
        uint256 validatorId = a.validatorId;
        Validator storage v = _validators[validatorId];
        uint256 amount = Math.mulDiv(unbondingShares, v.unbondingStake, v.unbondingShares);
        v.unbondingShares -= unbondingShares;
        v.unbondingStake -= amount;
        a.unbondingShares = 0;
        a.readyAtBlock = 0;
        if (amount > 0) token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, validatorId, amount);
    }

    /// Pay out every reward owed to the caller: as a delegator and, for an operator, as
    /// commission.
    function claimRewards() external nonReentrant {
        _accrue();
        Account storage a = _accounts[msg.sender];
        if (a.shares > 0) {
            Validator storage v = _settleValidator(a.validatorId);
            _settleAccount(msg.sender, a, v);
            a.rewardDebt = Math.mulDiv(a.shares, v.accRewardPerShare, ACC_PRECISION);
        }
        uint256 operatorIdPlusOne = _operatorIdPlusOne[msg.sender];
        if (operatorIdPlusOne != 0) _settleValidator(operatorIdPlusOne - 1);
        uint256 amount = _settledRewards[msg.sender];
        if (amount == 0) revert NothingToClaim();
        _settledRewards[msg.sender] = 0;
        token.safeTransfer(msg.sender, amount);
        emit RewardsClaimed(msg.sender, amount);
    }

    /// Add `amount` BTK (approved beforehand) to the reward reserve. Anyone may.
    function fundRewards(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        _accrue(); // blocks that passed with an empty reserve earn nothing retroactively
        rewardReserve += amount;
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit RewardsFunded(msg.sender, amount);
    }

    // ------------------------------------------------------------- governance

    function registerValidator(address operator, string calldata name, uint16 commissionBps)
        external
        onlyOwner
        returns (uint256 validatorId)
    {
        return _registerValidator(operator, name, commissionBps);
    }

    function setValidatorCommission(uint256 validatorId, uint16 commissionBps) external onlyOwner {
        if (validatorId >= _validators.length) revert UnknownValidator(validatorId);
        if (commissionBps > MAX_COMMISSION_BPS) revert CommissionTooHigh(commissionBps, MAX_COMMISSION_BPS);
        _accrue();
        Validator storage v = _settleValidator(validatorId); // past rewards at the old rate
        emit ValidatorCommissionChanged(validatorId, v.commissionBps, commissionBps);
        v.commissionBps = commissionBps;
    }

    function setRewardRate(uint256 newRate) external onlyOwner {
        _accrue(); // past blocks at the old rate
        emit RewardRateChanged(rewardRate, newRate);
        rewardRate = newRate;
    }

    /// Applies to requests made from now on.
    function setCooldownBlocks(uint64 newBlocks) external onlyOwner {
        if (newBlocks > MAX_COOLDOWN_BLOCKS) revert CooldownTooLong(newBlocks, MAX_COOLDOWN_BLOCKS);
        emit CooldownChanged(cooldownBlocks, newBlocks);
        cooldownBlocks = newBlocks;
    }

    /// Take `bps` of the validator's bonded and cooling-down stake to the treasury and
    /// retire the validator. Rewards earned before the slash stay with their earners.
    function slash(uint256 validatorId, uint16 bps) external onlyOwner nonReentrant {
        if (validatorId >= _validators.length) revert UnknownValidator(validatorId);
        if (bps == 0 || bps > MAX_SLASH_BPS) revert InvalidSlashBps(bps, MAX_SLASH_BPS);
        _accrue();
        Validator storage v = _settleValidator(validatorId);
        if (!v.slashed) {
            totalActiveStake -= v.bondedStake;
            v.slashed = true;
        }
        uint256 fromBonded = v.bondedStake * bps / BPS;
        uint256 fromUnbonding = v.unbondingStake * bps / BPS;
        v.bondedStake -= fromBonded;
        v.unbondingStake -= fromUnbonding;
        uint256 amount = fromBonded + fromUnbonding;
        if (amount > 0) token.safeTransfer(owner(), amount);
        emit ValidatorSlashed(validatorId, bps, amount);
    }

    function renounceOwnership() public view override onlyOwner {
        revert OwnershipCannotBeRenounced();
    }

    // ------------------------------------------------------------------ views

    /// Where fees and slashed stake go: the owner (the timelock).
    function treasury() external view returns (address) {
        return owner();
    }

    function validatorCount() external view returns (uint256) {
        return _validators.length;
    }

    function validatorAt(uint256 validatorId) external view returns (ValidatorInfo memory info) {
        if (validatorId >= _validators.length) revert UnknownValidator(validatorId);
        Validator storage v = _validators[validatorId];
        info = ValidatorInfo({
            id: validatorId,
            operator: v.operator,
            name: v.name,
            commissionBps: v.commissionBps,
            slashed: v.slashed,
            totalDelegated: v.bondedStake,
            totalUnbonding: v.unbondingStake
        });
    }

    /// The validator id an operator runs (`registered` false if none).
    function validatorOfOperator(address operator) external view returns (bool registered, uint256 validatorId) {
        uint256 idPlusOne = _operatorIdPlusOne[operator];
        return (idPlusOne != 0, idPlusOne == 0 ? 0 : idPlusOne - 1);
    }

    /// The validator the account backs (`delegated` false when it has no stake at all,
    /// bonded or cooling down).
    function delegationOf(address account) external view returns (bool delegated, uint256 validatorId) {
        Account storage a = _accounts[account];
        delegated = a.shares > 0 || a.unbondingShares > 0;
        validatorId = delegated ? a.validatorId : 0;
    }

    /// The account's bonded (earning) stake in BTK wei, after any slash.
    function stakeOf(address account) external view returns (uint256) {
        Account storage a = _accounts[account];
        if (a.shares == 0) return 0;
        Validator storage v = _validators[a.validatorId];
        return Math.mulDiv(a.shares, v.bondedStake, v.bondedShares);
    }

    /// The stake in its cooldown (after any slash) and the block from which it can be withdrawn.
    function unstakeRequest(address account) external view returns (uint256 amount, uint256 readyAtBlock) {
        Account storage a = _accounts[account];
        if (a.unbondingShares == 0) return (0, 0);
        Validator storage v = _validators[a.validatorId];
        return (Math.mulDiv(a.unbondingShares, v.unbondingStake, v.unbondingShares), a.readyAtBlock);
    }

    /// What `claimRewards` would pay the account if called in the current block.
    function pendingRewards(address account) external view returns (uint256 amount) {
        uint256 acc = accRewardPerStake;
        if (block.number > lastRewardBlock && totalActiveStake > 0) {
            acc += Math.mulDiv(_newRewards(block.number - lastRewardBlock), ACC_PRECISION, totalActiveStake);
        }
        amount = _settledRewards[account];
        Account storage a = _accounts[account];
        if (a.shares > 0) {
            Validator storage v = _validators[a.validatorId];
            (, uint256 perShare) = _validatorAccrual(v, acc);
            amount += Math.mulDiv(a.shares, v.accRewardPerShare + perShare, ACC_PRECISION) - a.rewardDebt;
        }
        uint256 operatorIdPlusOne = _operatorIdPlusOne[account];
        if (operatorIdPlusOne != 0) {
            (uint256 commission,) = _validatorAccrual(_validators[operatorIdPlusOne - 1], acc);
            amount += commission;
        }
    }

    // --------------------------------------------------------------- internal

    function _registerValidator(address operator, string memory name, uint16 commissionBps)
        internal
        returns (uint256 validatorId)
    {
        if (operator == address(0)) revert ZeroAddress();
        if (_operatorIdPlusOne[operator] != 0) revert OperatorAlreadyRegistered(operator);
        if (commissionBps > MAX_COMMISSION_BPS) revert CommissionTooHigh(commissionBps, MAX_COMMISSION_BPS);
        _accrue();
        validatorId = _validators.length;
        Validator storage v = _validators.push();
        v.operator = operator;
        v.name = name;
        v.commissionBps = commissionBps;
        v.accRewardPerStakePaid = accRewardPerStake;
        _operatorIdPlusOne[operator] = validatorId + 1;
        emit ValidatorRegistered(validatorId, operator, name, commissionBps);
    }

    /// Rewards for `blocks` blocks at the current rate, capped by the reserve.
    function _newRewards(uint256 blocks) internal view returns (uint256) {
        (bool ok, uint256 due) = Math.tryMul(blocks, rewardRate);
        return ok ? Math.min(due, rewardReserve) : rewardReserve;
    }

    /// Move rewards from the reserve into the global accumulator up to this block.
    function _accrue() internal {
        uint256 blocks = block.number - lastRewardBlock;
        if (blocks == 0) return;
        lastRewardBlock = block.number;
        uint256 active = totalActiveStake;
        if (active == 0) return; // nobody to pay: the reserve keeps it
        uint256 increment = Math.mulDiv(_newRewards(blocks), ACC_PRECISION, active);
        if (increment == 0) return;
        accRewardPerStake += increment;
        // What the increment really hands out: the rounding remainder stays in the reserve.
        rewardReserve -= Math.mulDiv(increment, active, ACC_PRECISION);
    }

    /// The operator's commission and the per-share increment of a validator's delegators
    /// since it was last settled, were the global accumulator at `acc`.
    function _validatorAccrual(Validator storage v, uint256 acc)
        internal
        view
        returns (uint256 commission, uint256 perShare)
    {
        if (v.slashed || v.bondedShares == 0) return (0, 0);
        uint256 earned = Math.mulDiv(v.bondedStake, acc - v.accRewardPerStakePaid, ACC_PRECISION);
        commission = earned * v.commissionBps / BPS;
        perShare = Math.mulDiv(earned - commission, ACC_PRECISION, v.bondedShares);
    }

    function _settleValidator(uint256 validatorId) internal returns (Validator storage v) {
        v = _validators[validatorId];
        uint256 acc = accRewardPerStake;
        if (acc == v.accRewardPerStakePaid) return v;
        (uint256 commission, uint256 perShare) = _validatorAccrual(v, acc);
        v.accRewardPerStakePaid = acc;
        if (commission > 0) _settledRewards[v.operator] += commission;
        v.accRewardPerShare += perShare;
    }

    /// Credit the account's delegator rewards; the caller then resets `rewardDebt`.
    function _settleAccount(address account, Account storage a, Validator storage v) internal {
        if (a.shares == 0) return;
        uint256 accrued = Math.mulDiv(a.shares, v.accRewardPerShare, ACC_PRECISION);
        _settledRewards[account] += accrued - a.rewardDebt;
    }
}
