// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @title Gas-free polls: the definitions, so that everyone tallies the same poll
/// @notice A poll (a question, its options, a snapshot block, when it closes, and
/// optionally the calls a proposal would make if it passes) is a canonical JSON text; its
/// id is the keccak-256 of that text. Registering it here is the one transaction a poll
/// costs: the text is in the event for anyone to read, the snapshot and closing block
/// are stored for anyone to check. Ballots are EIP-712 signatures over
/// (pollId, option, revision) made off chain and passed around as files or QR codes;
/// anyone tallies them against the token's votes at the snapshot block (getPastVotes)
/// and gets the same result. Nothing here counts ballots.
/// @dev Creating a poll needs `creationThreshold` votes at the snapshot (set by
/// governance, the owner, the timelock), so polls cannot be spammed for free.
contract PollRegistry is Ownable {
    struct Poll {
        address creator;
        uint64 snapshotBlock;
        uint64 closesBlock;
    }

    IVotes public immutable token;
    uint256 public creationThreshold;
    mapping(bytes32 id => Poll) private _polls;

    event PollCreated(bytes32 indexed id, address indexed creator, uint64 snapshotBlock, uint64 closesBlock,
        string definition);
    event CreationThresholdSet(uint256 threshold);

    /// The same definition was registered before.
    error PollExists(bytes32 id);
    /// The snapshot must be a block already mined (balances there are final).
    error SnapshotNotPast(uint64 snapshotBlock, uint256 current);
    /// A poll must close after the block it is created in.
    error ClosesTooSoon(uint64 closesBlock, uint256 current);
    /// The creator's votes at the snapshot are below the threshold.
    error BelowCreationThreshold(uint256 votes, uint256 threshold);
    /// An empty definition.
    error EmptyDefinition();

    constructor(IVotes token_, address timelock, uint256 threshold) Ownable(timelock) {
        token = token_;
        creationThreshold = threshold;
        emit CreationThresholdSet(threshold);
    }

    function create(string calldata definition, uint64 snapshotBlock, uint64 closesBlock)
        external
        returns (bytes32 id)
    {
        if (bytes(definition).length == 0) revert EmptyDefinition();
        if (snapshotBlock >= block.number) revert SnapshotNotPast(snapshotBlock, block.number);
        if (closesBlock <= block.number) revert ClosesTooSoon(closesBlock, block.number);
        id = keccak256(bytes(definition));
        if (_polls[id].creator != address(0)) revert PollExists(id);
        uint256 votes = token.getPastVotes(msg.sender, snapshotBlock);
        if (votes < creationThreshold) revert BelowCreationThreshold(votes, creationThreshold);
        _polls[id] = Poll(msg.sender, snapshotBlock, closesBlock);
        emit PollCreated(id, msg.sender, snapshotBlock, closesBlock, definition);
    }

    function pollOf(bytes32 id) external view returns (Poll memory) {
        return _polls[id];
    }

    function setCreationThreshold(uint256 threshold) external onlyOwner {
        creationThreshold = threshold;
        emit CreationThresholdSet(threshold);
    }
}
