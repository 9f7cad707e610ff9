// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title Vote-escrow: BTK locked for longer counts for more
/// @notice A holder locks BTK until a block of their choice, at most `maxLockBlocks`
/// ahead. The lock's power at block b is amount x (unlock - b) / maxLockBlocks: the full
/// amount for a lock of the longest length, decaying linearly to 0 at the unlock block,
/// when the BTK can be withdrawn. A lock can be topped up or extended, never shortened.
/// Every change is checkpointed by block, so `getPastVotes(account, block)` is the
/// power at any past block (a poll's or proposal's snapshot), like ERC-5805's.
/// @dev Governance (the owner, the timelock) sets only the shortest lock accepted; the
/// longest is fixed at deployment so that nobody's past power is ever rewritten.
contract VoteEscrow is Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace208;

    IERC20 public immutable token;
    uint256 public immutable maxLockBlocks;
    uint256 public minLockBlocks;

    mapping(address account => Checkpoints.Trace208) private _amounts;
    mapping(address account => Checkpoints.Trace208) private _unlocks;

    event Locked(address indexed account, uint256 amount, uint256 unlockBlock);
    event Withdrawn(address indexed account, uint256 amount);
    event MinLockSet(uint256 blocks);

    error ZeroAmount();
    error LockTooShort(uint256 unlockBlock, uint256 earliest);
    error LockTooLong(uint256 unlockBlock, uint256 latest);
    error LockShortened(uint256 unlockBlock, uint256 current);
    error NoLock(address account);
    error StillLocked(uint256 unlockBlock);
    error LockExpired(uint256 unlockBlock);
    error FutureLookup(uint256 timepoint, uint256 current);

    constructor(IERC20 token_, address timelock, uint256 maxLock, uint256 minLock) Ownable(timelock) {
        token = token_;
        maxLockBlocks = maxLock;
        minLockBlocks = minLock;
        emit MinLockSet(minLock);
    }

    function clock() public view returns (uint48) {
        return SafeCast.toUint48(block.number);
    }

    /// Lock `amount` more BTK (0 to only extend) until `unlockBlock` (the current one, or later).
    function lock(uint256 amount, uint256 unlockBlock) external nonReentrant {
        uint256 held = _amounts[msg.sender].latest();
        uint256 current = _unlocks[msg.sender].latest();
        if (held > 0 && current <= block.number) revert LockExpired(current); // withdraw it first
        if (amount == 0 && held == 0) revert ZeroAmount();
        if (unlockBlock < current) revert LockShortened(unlockBlock, current);
        if (unlockBlock < block.number + minLockBlocks) revert LockTooShort(unlockBlock, block.number + minLockBlocks);
        if (unlockBlock > block.number + maxLockBlocks) revert LockTooLong(unlockBlock, block.number + maxLockBlocks);
        uint48 now_ = clock();
        _amounts[msg.sender].push(now_, SafeCast.toUint208(held + amount));
        _unlocks[msg.sender].push(now_, SafeCast.toUint208(unlockBlock));
        if (amount > 0) token.safeTransferFrom(msg.sender, address(this), amount);
        emit Locked(msg.sender, held + amount, unlockBlock);
    }

    /// Take the BTK back once the unlock block is reached.
    function withdraw() external nonReentrant {
        uint256 held = _amounts[msg.sender].latest();
        if (held == 0) revert NoLock(msg.sender);
        uint256 unlockBlock = _unlocks[msg.sender].latest();
        if (block.number < unlockBlock) revert StillLocked(unlockBlock);
        uint48 now_ = clock();
        _amounts[msg.sender].push(now_, 0);
        _unlocks[msg.sender].push(now_, 0);
        token.safeTransfer(msg.sender, held);
        emit Withdrawn(msg.sender, held);
    }

    function lockOf(address account) external view returns (uint256 amount, uint256 unlockBlock) {
        return (_amounts[account].latest(), _unlocks[account].latest());
    }

    function getVotes(address account) external view returns (uint256) {
        return _power(_amounts[account].latest(), _unlocks[account].latest(), block.number);
    }

    /// The lock's power at a past block (as ERC-5805: the block must be mined).
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256) {
        if (timepoint >= block.number) revert FutureLookup(timepoint, block.number);
        uint48 key = SafeCast.toUint48(timepoint);
        return _power(_amounts[account].upperLookupRecent(key), _unlocks[account].upperLookupRecent(key), timepoint);
    }

    function setMinLockBlocks(uint256 blocks) external onlyOwner {
        minLockBlocks = blocks;
        emit MinLockSet(blocks);
    }

    function _power(uint256 amount, uint256 unlockBlock, uint256 at) private view returns (uint256) {
        if (amount == 0 || unlockBlock <= at) return 0;
        return amount * (unlockBlock - at) / maxLockBlocks;
    }
}
