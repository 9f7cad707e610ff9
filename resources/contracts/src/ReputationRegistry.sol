// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title Reputation bonds: BTK an account puts behind its identity
/// @notice An account bonds BTK (separately from validator staking) to show that it has
/// something to lose; a verifier reads the bond next to the account's credentials. Leaving
/// takes a delay: `requestUnbond` moves an amount out of the bond at once (it no longer
/// counts), `withdraw` pays it out once `unbondingBlocks` have passed. Governance (the
/// owner, the timelock, which is also the treasury) can slash an account, e.g. for proven
/// fraud in reviews or endorsements: the amount is taken from the bond first, then from
/// what is unbonding (so leaving does not dodge a slash), sent to the treasury, and the
/// reason is recorded on chain in the event.
contract ReputationRegistry is Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// The longest unbonding delay governance may set: about four weeks of 12-second blocks.
    uint64 public constant MAX_UNBONDING_BLOCKS = 201_600;

    struct Bond {
        uint256 bonded; // BTK wei that counts as the account's bond
        uint256 unbonding; // BTK wei on its way out, still slashable
        uint64 readyAtBlock; // first block `withdraw` pays the unbonding amount
        uint64 bondedSince; // timestamp the bond last went from nothing to something
        uint32 slashCount;
        uint256 slashedTotal;
    }

    IERC20 public immutable token;
    uint64 public unbondingBlocks;
    uint256 public totalBonded;

    mapping(address account => Bond) private _bonds;

    event Bonded(address indexed account, uint256 amount, uint256 bonded);
    event UnbondRequested(address indexed account, uint256 amount, uint64 readyAtBlock);
    event Withdrawn(address indexed account, uint256 amount);
    event Slashed(address indexed account, uint256 amount, string reason);
    event UnbondingBlocksChanged(uint64 oldBlocks, uint64 newBlocks);

    error ZeroAddress();
    error ZeroAmount();
    error InsufficientBond(uint256 requested, uint256 bonded);
    error NothingUnbonding();
    error UnbondingNotOver(uint64 readyAtBlock);
    error UnbondingTooLong(uint256 blocks, uint256 maxBlocks);
    error NothingToSlash(address account);
    error EmptyReason();
    /// The owner is the treasury that receives slashed bonds; it cannot be renounced.
    error OwnershipCannotBeRenounced();

    constructor(IERC20 token_, address governance, uint64 unbondingBlocks_) Ownable(governance) {
        if (address(token_) == address(0)) revert ZeroAddress();
        if (unbondingBlocks_ > MAX_UNBONDING_BLOCKS) revert UnbondingTooLong(unbondingBlocks_, MAX_UNBONDING_BLOCKS);
        token = token_;
        unbondingBlocks = unbondingBlocks_;
        emit UnbondingBlocksChanged(0, unbondingBlocks_);
    }

    /// Add `amount` BTK (approved beforehand) to your bond.
    function bond(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Bond storage b = _bonds[msg.sender];
        if (b.bonded == 0) b.bondedSince = uint64(block.timestamp);
        b.bonded += amount;
        totalBonded += amount;
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Bonded(msg.sender, amount, b.bonded);
    }

    /// Take `amount` out of your bond now; it can be withdrawn after the delay. A second
    /// request adds to the first and restarts the delay.
    function requestUnbond(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Bond storage b = _bonds[msg.sender];
        if (amount > b.bonded) revert InsufficientBond(amount, b.bonded);
        b.bonded -= amount;
        b.unbonding += amount;
        totalBonded -= amount;
        b.readyAtBlock = uint64(block.number) + unbondingBlocks;
        emit UnbondRequested(msg.sender, amount, b.readyAtBlock);
    }

    function withdraw() external nonReentrant {
        Bond storage b = _bonds[msg.sender];
        uint256 amount = b.unbonding;
        if (amount == 0) revert NothingUnbonding();
        if (block.number < b.readyAtBlock) revert UnbondingNotOver(b.readyAtBlock);
        b.unbonding = 0;
        b.readyAtBlock = 0;
        token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    // --------------------------------------------------------------- governance

    /// Take up to `amount` of `account`'s bond (then of what it is unbonding) to the
    /// treasury, recording `reason`. Takes what there is when there is less.
    function slash(address account, uint256 amount, string calldata reason) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        if (bytes(reason).length == 0) revert EmptyReason();
        Bond storage b = _bonds[account];
        uint256 fromBond = amount < b.bonded ? amount : b.bonded;
        uint256 rest = amount - fromBond;
        uint256 fromUnbonding = rest < b.unbonding ? rest : b.unbonding;
        uint256 taken = fromBond + fromUnbonding;
        if (taken == 0) revert NothingToSlash(account);
        b.bonded -= fromBond;
        b.unbonding -= fromUnbonding;
        totalBonded -= fromBond;
        b.slashCount += 1;
        b.slashedTotal += taken;
        token.safeTransfer(owner(), taken);
        emit Slashed(account, taken, reason);
    }

    function setUnbondingBlocks(uint64 newBlocks) external onlyOwner {
        if (newBlocks > MAX_UNBONDING_BLOCKS) revert UnbondingTooLong(newBlocks, MAX_UNBONDING_BLOCKS);
        emit UnbondingBlocksChanged(unbondingBlocks, newBlocks);
        unbondingBlocks = newBlocks;
    }

    function renounceOwnership() public view override onlyOwner {
        revert OwnershipCannotBeRenounced();
    }

    // -------------------------------------------------------------------- views

    function bondOf(address account) external view returns (Bond memory) {
        return _bonds[account];
    }
}
