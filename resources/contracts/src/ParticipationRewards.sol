// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";

interface ICountingGovernor is IGovernor {
    function proposalVotes(uint256 proposalId)
        external view returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes);
}

/// @title Rewards for taking part in governance
/// @notice Voters on proposals that reached quorum share their epoch's participation budget
/// in proportion to the votes they cast; the proposer of an executed proposal receives a
/// bounty. Both are paid out of the reserve this contract holds (BTK sent by a treasury
/// grant, or `fund`), each claimable once. Governance (the owner, the timelock) sets the
/// epoch budget and the bounty.
/// @dev Epoch e covers the blocks [e*epochBlocks, (e+1)*epochBlocks); a proposal belongs to
/// the epoch of its voting deadline. Anyone registers a proposal that reached quorum, until
/// the end of the next epoch; the first registration of an epoch sets its budget aside.
/// Voters claim from the epoch after that one on, when its proposals can no longer change.
contract ParticipationRewards is Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 public constant MAX_PROPOSALS_PER_EPOCH = 32;

    IERC20 public immutable token;
    ICountingGovernor public immutable governor;
    uint256 public immutable epochBlocks;
    uint256 public epochBudget;
    uint256 public bounty;
    uint256 public reserved; // set aside for epochs and not claimed yet

    mapping(uint256 => uint256[]) private _epochProposals;
    mapping(uint256 => uint256) public epochPool;     // the budget set aside for an epoch
    mapping(uint256 => uint256) public epochVotes;    // all votes cast on its registered proposals
    mapping(uint256 => uint256) public epochPaid;
    mapping(uint256 => bool) public registered;
    mapping(uint256 => mapping(address => bool)) public claimed;
    mapping(uint256 => bool) public bountyClaimed;

    event Funded(address indexed from, uint256 amount);
    event ProposalRegistered(uint256 indexed proposalId, uint256 indexed epoch, uint256 votes);
    event RewardClaimed(uint256 indexed epoch, address indexed voter, uint256 votes, uint256 amount);
    event BountyClaimed(uint256 indexed proposalId, address indexed proposer, uint256 amount);
    event ParametersChanged(uint256 epochBudget, uint256 bounty);

    error ZeroAmount();
    error VotingNotOver(uint256 proposalId);
    error QuorumNotReached(uint256 proposalId);
    error AlreadyRegistered(uint256 proposalId);
    error RegistrationClosed(uint256 proposalId, uint256 epoch);
    error EpochFull(uint256 epoch);
    error EpochNotClosed(uint256 epoch, uint256 claimableFrom);
    error AlreadyClaimed(uint256 epoch, address voter);
    error NothingToClaim();
    error NotExecuted(uint256 proposalId);
    error NotProposer(address account, uint256 proposalId);
    error BountyAlreadyClaimed(uint256 proposalId);
    error ReserveTooLow(uint256 available, uint256 needed);

    constructor(IERC20 token_, ICountingGovernor governor_, address timelock, uint256 epochBlocks_,
        uint256 epochBudget_, uint256 bounty_) Ownable(timelock) {
        if (epochBlocks_ == 0) revert ZeroAmount();
        token = token_;
        governor = governor_;
        epochBlocks = epochBlocks_;
        epochBudget = epochBudget_;
        bounty = bounty_;
    }

    function epochOf(uint256 blockNumber) public view returns (uint256) {
        return blockNumber / epochBlocks;
    }

    /// BTK held and not set aside for an epoch.
    function available() public view returns (uint256) {
        return token.balanceOf(address(this)) - reserved;
    }

    function fund(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Funded(msg.sender, amount);
    }

    function setParameters(uint256 epochBudget_, uint256 bounty_) external onlyOwner {
        epochBudget = epochBudget_;
        bounty = bounty_;
        emit ParametersChanged(epochBudget_, bounty_);
    }

    /// Count a proposal whose vote is over and reached quorum in its epoch's rewards.
    function register(uint256 proposalId) external {
        if (registered[proposalId]) revert AlreadyRegistered(proposalId);
        uint256 deadline = governor.proposalDeadline(proposalId);
        if (deadline == 0 || block.number <= deadline) revert VotingNotOver(proposalId);
        uint256 snapshot = governor.proposalSnapshot(proposalId);
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(proposalId);
        if (forVotes + abstain < governor.quorum(snapshot)) revert QuorumNotReached(proposalId);
        uint256 epoch = epochOf(deadline);
        if (epochOf(block.number) > epoch + 1) revert RegistrationClosed(proposalId, epoch);
        if (_epochProposals[epoch].length >= MAX_PROPOSALS_PER_EPOCH) revert EpochFull(epoch);
        if (_epochProposals[epoch].length == 0) {
            // The epoch's budget is set aside once, as far as the reserve allows.
            uint256 pool = epochBudget < available() ? epochBudget : available();
            epochPool[epoch] = pool;
            reserved += pool;
        }
        registered[proposalId] = true;
        _epochProposals[epoch].push(proposalId);
        uint256 votes = against + forVotes + abstain;
        epochVotes[epoch] += votes;
        emit ProposalRegistered(proposalId, epoch, votes);
    }

    /// The votes `voter` cast on an epoch's registered proposals, and their share of its pool.
    function rewardOf(uint256 epoch, address voter) public view returns (uint256 votes, uint256 amount) {
        uint256[] storage ids = _epochProposals[epoch];
        for (uint256 i = 0; i < ids.length; i++) {
            if (governor.hasVoted(ids[i], voter)) {
                votes += governor.getVotes(voter, governor.proposalSnapshot(ids[i]));
            }
        }
        amount = epochVotes[epoch] == 0 ? 0 : epochPool[epoch] * votes / epochVotes[epoch];
    }

    function claim(uint256 epoch) external nonReentrant {
        uint256 from = epoch + 2;
        if (epochOf(block.number) < from) revert EpochNotClosed(epoch, from * epochBlocks);
        if (claimed[epoch][msg.sender]) revert AlreadyClaimed(epoch, msg.sender);
        (uint256 votes, uint256 amount) = rewardOf(epoch, msg.sender);
        if (amount == 0) revert NothingToClaim();
        claimed[epoch][msg.sender] = true;
        epochPaid[epoch] += amount;
        reserved -= amount;
        token.safeTransfer(msg.sender, amount);
        emit RewardClaimed(epoch, msg.sender, votes, amount);
    }

    /// The proposer of an executed proposal claims the bounty, once.
    function claimBounty(uint256 proposalId) external nonReentrant {
        if (governor.state(proposalId) != IGovernor.ProposalState.Executed) revert NotExecuted(proposalId);
        if (governor.proposalProposer(proposalId) != msg.sender) revert NotProposer(msg.sender, proposalId);
        if (bountyClaimed[proposalId]) revert BountyAlreadyClaimed(proposalId);
        uint256 amount = bounty;
        if (amount == 0) revert NothingToClaim();
        uint256 free = available();
        if (amount > free) revert ReserveTooLow(free, amount);
        bountyClaimed[proposalId] = true;
        token.safeTransfer(msg.sender, amount);
        emit BountyClaimed(proposalId, msg.sender, amount);
    }

    function epochProposals(uint256 epoch) external view returns (uint256[] memory) {
        return _epochProposals[epoch];
    }
}
