// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// What PeerReview reads of the ReputationRegistry.
interface IReputationBonds {
    struct Bond {
        uint256 bonded;
        uint256 unbonding;
        uint64 readyAtBlock;
        uint64 bondedSince;
        uint32 slashCount;
        uint256 slashedTotal;
    }

    function bondOf(address account) external view returns (Bond memory);
}

/// @title Staked peer review of learners' work
/// @notice A learner submits work (a content hash and a URI) with a review fee. Reviewers
/// must hold a reputation bond of at least `minBond` (ReputationRegistry) and stake
/// `reviewStake` BTK per review; each approves or rejects before the submission's deadline.
/// After it, anyone finalizes: with fewer than `minReviews` reviews, or a tie, the fee and
/// every stake go back; otherwise the majority outcome stands, the minority's stakes are
/// shared by the majority along with the fee, and the majority get their stakes back.
/// @dev Payouts are credited and withdrawn (`withdraw`), so finalizing makes no external
/// call; shares are equal and what division leaves goes to the treasury (the owner, the
/// timelock). Reviews per submission are capped (`MAX_REVIEWS`) to bound the loop.
contract PeerReview is Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 public constant MAX_REVIEWS = 25;
    uint64 public constant MAX_WINDOW_BLOCKS = 201_600;

    enum Status {
        Open,
        Approved,
        Rejected,
        Refunded
    }

    struct Submission {
        address learner;
        bytes32 contentHash;
        uint256 fee;
        uint256 stake; // the review stake when it was submitted
        uint64 deadline; // last block a review is accepted in
        uint16 approvals;
        uint16 rejections;
        Status status;
        string uri;
    }

    struct Settings {
        uint256 minFee;
        uint256 minBond;
        uint256 reviewStake;
        uint64 windowBlocks;
        uint16 minReviews;
    }

    IERC20 public immutable token;
    IReputationBonds public immutable bonds;
    Settings public settings;

    Submission[] private _submissions;
    mapping(uint256 id => address[]) private _reviewers;
    mapping(uint256 id => mapping(address reviewer => uint8)) private _vote; // 0 none, 1 approve, 2 reject
    mapping(address account => uint256) public withdrawable;

    event Submitted(uint256 indexed id, address indexed learner, bytes32 contentHash, string uri, uint256 fee,
        uint64 deadline);
    event Reviewed(uint256 indexed id, address indexed reviewer, bool approve, uint256 stake);
    event Finalized(uint256 indexed id, Status status, uint16 approvals, uint16 rejections);
    event Withdrawn(address indexed account, uint256 amount);
    event SettingsChanged(uint256 minFee, uint256 minBond, uint256 reviewStake, uint64 windowBlocks, uint16 minReviews);

    error ZeroAddress();
    error FeeTooLow(uint256 fee, uint256 minFee);
    error EmptyContentHash();
    error UnknownSubmission(uint256 id);
    error BondTooSmall(address reviewer, uint256 bonded, uint256 minBond);
    error SubmitterCannotReview(uint256 id);
    error AlreadyReviewed(uint256 id, address reviewer);
    error ReviewWindowClosed(uint256 id, uint64 deadline);
    error ReviewWindowOpen(uint256 id, uint64 deadline);
    error TooManyReviews(uint256 id);
    error NotOpen(uint256 id);
    error NothingToWithdraw();
    error InvalidSettings();
    /// The owner is the treasury that receives rounding remainders; it cannot be renounced.
    error OwnershipCannotBeRenounced();

    constructor(IERC20 token_, IReputationBonds bonds_, address governance, Settings memory settings_)
        Ownable(governance)
    {
        if (address(token_) == address(0) || address(bonds_) == address(0)) revert ZeroAddress();
        token = token_;
        bonds = bonds_;
        _setSettings(settings_);
    }

    // ------------------------------------------------------------------ learners

    function submit(bytes32 contentHash, string calldata uri, uint256 fee) external nonReentrant returns (uint256 id) {
        if (contentHash == bytes32(0)) revert EmptyContentHash();
        Settings memory s = settings;
        if (fee < s.minFee) revert FeeTooLow(fee, s.minFee);
        id = _submissions.length;
        uint64 deadline = uint64(block.number) + s.windowBlocks;
        _submissions.push(Submission(msg.sender, contentHash, fee, s.reviewStake, deadline, 0, 0, Status.Open, uri));
        if (fee > 0) token.safeTransferFrom(msg.sender, address(this), fee);
        emit Submitted(id, msg.sender, contentHash, uri, fee, deadline);
    }

    // ----------------------------------------------------------------- reviewers

    function review(uint256 id, bool approve) external nonReentrant {
        Submission storage sub = _submission(id);
        if (sub.status != Status.Open) revert NotOpen(id);
        if (block.number > sub.deadline) revert ReviewWindowClosed(id, sub.deadline);
        if (msg.sender == sub.learner) revert SubmitterCannotReview(id);
        if (_vote[id][msg.sender] != 0) revert AlreadyReviewed(id, msg.sender);
        uint256 bonded = bonds.bondOf(msg.sender).bonded;
        uint256 minBond = settings.minBond;
        if (bonded < minBond || bonded == 0) revert BondTooSmall(msg.sender, bonded, minBond);
        if (_reviewers[id].length >= MAX_REVIEWS) revert TooManyReviews(id);
        _vote[id][msg.sender] = approve ? 1 : 2;
        _reviewers[id].push(msg.sender);
        if (approve) sub.approvals += 1;
        else sub.rejections += 1;
        if (sub.stake > 0) token.safeTransferFrom(msg.sender, address(this), sub.stake);
        emit Reviewed(id, msg.sender, approve, sub.stake);
    }

    /// Settle a submission once its review window has passed (anyone may).
    function finalize(uint256 id) external {
        Submission storage sub = _submission(id);
        if (sub.status != Status.Open) revert NotOpen(id);
        if (block.number <= sub.deadline) revert ReviewWindowOpen(id, sub.deadline);
        address[] storage reviewers = _reviewers[id];
        uint256 n = reviewers.length;
        if (n < settings.minReviews || sub.approvals == sub.rejections) {
            sub.status = Status.Refunded;
            withdrawable[sub.learner] += sub.fee;
            for (uint256 i = 0; i < n; ++i) {
                withdrawable[reviewers[i]] += sub.stake;
            }
        } else {
            bool approved = sub.approvals > sub.rejections;
            sub.status = approved ? Status.Approved : Status.Rejected;
            uint8 winning = approved ? 1 : 2;
            uint256 winners = approved ? sub.approvals : sub.rejections;
            uint256 pot = sub.fee + (n - winners) * sub.stake; // the fee and the minority's stakes
            uint256 share = pot / winners;
            for (uint256 i = 0; i < n; ++i) {
                if (_vote[id][reviewers[i]] == winning) withdrawable[reviewers[i]] += sub.stake + share;
            }
            uint256 rest = pot - share * winners;
            if (rest > 0) withdrawable[owner()] += rest;
        }
        emit Finalized(id, sub.status, sub.approvals, sub.rejections);
    }

    function withdraw() external nonReentrant {
        uint256 amount = withdrawable[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        withdrawable[msg.sender] = 0;
        token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    // ---------------------------------------------------------------- governance

    function setSettings(Settings calldata settings_) external onlyOwner {
        _setSettings(settings_);
    }

    function _setSettings(Settings memory s) private {
        if (s.windowBlocks == 0 || s.windowBlocks > MAX_WINDOW_BLOCKS || s.minReviews == 0
            || s.minReviews > MAX_REVIEWS) revert InvalidSettings();
        settings = s;
        emit SettingsChanged(s.minFee, s.minBond, s.reviewStake, s.windowBlocks, s.minReviews);
    }

    function renounceOwnership() public view override onlyOwner {
        revert OwnershipCannotBeRenounced();
    }

    // --------------------------------------------------------------------- views

    function submissionCount() external view returns (uint256) {
        return _submissions.length;
    }

    function submission(uint256 id) external view returns (Submission memory) {
        return _submission(id);
    }

    function reviewersOf(uint256 id) external view returns (address[] memory reviewers, uint8[] memory votes) {
        _submission(id);
        reviewers = _reviewers[id];
        votes = new uint8[](reviewers.length);
        for (uint256 i = 0; i < reviewers.length; ++i) {
            votes[i] = _vote[id][reviewers[i]];
        }
    }

    function _submission(uint256 id) private view returns (Submission storage) {
        if (id >= _submissions.length) revert UnknownSubmission(id);
        return _submissions[id];
    }
}
