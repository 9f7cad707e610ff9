// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// The parts of SubDaoTreasury this contract reads and pays back into.
interface ISubDaoTreasury {
    struct Spend {
        uint256 daoId;
        address to;
        uint256 amount;
        uint64 councilVersion;
        uint8 approvals;
        bool paid;
        bool cancelled;
        string memo;
    }

    function isCouncilMember(uint256 daoId, address account) external view returns (bool);
    function spendAt(uint256 spendId) external view returns (Spend memory);
    function fund(uint256 amount) external;
}

/// @title Milestone grants paid out of a sub-DAO's budget
/// @notice A council member of sub-DAO d proposes a grant (grantee, approver, milestone
/// amounts). The council funds it with an ordinary SubDaoTreasury spend to this contract
/// for exactly the grant's total (so the council's own approval threshold and budget
/// apply); `activate` ties that paid spend to the grant, once. The approver then releases
/// milestones in order to the grantee; a council member of d may cancel, sending what is
/// unreleased back to the SubDaoTreasury reserve, where the main DAO can allocate it again.
/// @dev The treasury (SubDaoTreasury) is fixed at deployment; the owner (the timelock)
/// has no powers over grants: it is kept for the suite's rule that every contract has
/// governance as its owner.
contract SubDaoGrants is Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 public constant MAX_MILESTONES = 12;

    enum State { Proposed, Active, Cancelled }

    struct Grant {
        uint256 daoId;
        address grantee;
        address approver;
        State state;
        uint8 paid; // milestones released so far, in order
        uint256 spendId; // the SubDaoTreasury spend that funded it (when active)
        string title;
        uint256[] amounts;
    }

    IERC20 public immutable token;
    ISubDaoTreasury public immutable treasury;
    Grant[] private _grants;
    mapping(uint256 => bool) public spendUsed;

    event GrantProposed(uint256 indexed grantId, uint256 indexed daoId, address indexed grantee, address approver,
        uint256 total, uint256 milestones, string title, address by);
    event GrantActivated(uint256 indexed grantId, uint256 indexed spendId);
    event MilestoneReleased(uint256 indexed grantId, uint256 indexed milestone, uint256 amount, address by);
    event GrantCancelled(uint256 indexed grantId, uint256 returned, address by);

    error NotSubDaoCouncil(address account, uint256 daoId);
    error NoMilestones();
    error TooManyMilestones(uint256 count, uint256 max);
    error ZeroMilestone(uint256 milestone);
    error InvalidGrantee();
    error UnknownSubDaoGrant(uint256 grantId);
    error GrantNotProposed(uint256 grantId);
    error GrantNotActive(uint256 grantId);
    error SpendAlreadyUsed(uint256 spendId);
    error SpendOfAnotherSubDao(uint256 spendId, uint256 daoId);
    error SpendNotToGrants(uint256 spendId, address to);
    error SpendAmountMismatch(uint256 spendId, uint256 amount, uint256 needed);
    error SpendNotPaid(uint256 spendId);
    error NotSubDaoGrantApprover(address account, uint256 grantId);
    error MilestoneOutOfOrder(uint256 expected, uint256 given);

    constructor(IERC20 token_, ISubDaoTreasury treasury_, address timelock) Ownable(timelock) {
        token = token_;
        treasury = treasury_;
    }

    function proposeGrant(uint256 daoId, address grantee, address approver, uint256[] calldata amounts,
        string calldata title) external returns (uint256 grantId)
    {
        _onlyCouncil(daoId);
        if (grantee == address(0) || approver == address(0)) revert InvalidGrantee();
        if (amounts.length == 0) revert NoMilestones();
        if (amounts.length > MAX_MILESTONES) revert TooManyMilestones(amounts.length, MAX_MILESTONES);
        uint256 total;
        for (uint256 i = 0; i < amounts.length; i++) {
            if (amounts[i] == 0) revert ZeroMilestone(i);
            total += amounts[i];
        }
        grantId = _grants.length;
        _grants.push(Grant(daoId, grantee, approver, State.Proposed, 0, 0, title, amounts));
        emit GrantProposed(grantId, daoId, grantee, approver, total, amounts.length, title, msg.sender);
    }

    /// Tie a paid council spend (to this contract, for the grant's total) to a proposed grant.
    /// Anyone may call it: every condition is on chain.
    function activate(uint256 grantId, uint256 spendId) external nonReentrant {
        Grant storage g = _grant(grantId);
        if (g.state != State.Proposed) revert GrantNotProposed(grantId);
        if (spendUsed[spendId]) revert SpendAlreadyUsed(spendId);
        ISubDaoTreasury.Spend memory s = treasury.spendAt(spendId);
        // Each check keeps one DAO's money (or someone else's grant) from funding this grant.
        if (s.daoId != g.daoId) revert SpendOfAnotherSubDao(spendId, s.daoId);
        if (s.to != address(this)) revert SpendNotToGrants(spendId, s.to);
        uint256 total = _total(g);
        if (s.amount != total) revert SpendAmountMismatch(spendId, s.amount, total);
        if (!s.paid || s.cancelled) revert SpendNotPaid(spendId);
        spendUsed[spendId] = true;
        g.state = State.Active;
        g.spendId = spendId;
        emit GrantActivated(grantId, spendId);
    }

    /// Pay milestone `milestone` (the next one unreleased) to the grantee: the approver only.
    function releaseMilestone(uint256 grantId, uint256 milestone) external nonReentrant {
        Grant storage g = _grant(grantId);
        if (msg.sender != g.approver) revert NotSubDaoGrantApprover(msg.sender, grantId);
        if (g.state != State.Active || g.paid == g.amounts.length) revert GrantNotActive(grantId);
        if (milestone != g.paid) revert MilestoneOutOfOrder(g.paid, milestone);
        uint256 amount = g.amounts[milestone];
        g.paid += 1;
        token.safeTransfer(g.grantee, amount);
        emit MilestoneReleased(grantId, milestone, amount, msg.sender);
    }

    /// A council member of the grant's sub-DAO stops it; what was funded and not released
    /// goes back to the SubDaoTreasury reserve.
    function cancelGrant(uint256 grantId) external nonReentrant {
        Grant storage g = _grant(grantId);
        _onlyCouncil(g.daoId);
        if (g.state == State.Cancelled || g.paid == g.amounts.length) revert GrantNotActive(grantId);
        uint256 unreleased;
        if (g.state == State.Active) {
            for (uint256 i = g.paid; i < g.amounts.length; i++) {
                unreleased += g.amounts[i];
            }
        }
        g.state = State.Cancelled;
        if (unreleased > 0) {
            token.forceApprove(address(treasury), unreleased);
            treasury.fund(unreleased);
        }
        emit GrantCancelled(grantId, unreleased, msg.sender);
    }

    function grantCount() external view returns (uint256) {
        return _grants.length;
    }

    function grantAt(uint256 grantId) external view returns (Grant memory) {
        return _grant(grantId);
    }

    function _onlyCouncil(uint256 daoId) private view {
        if (!treasury.isCouncilMember(daoId, msg.sender)) revert NotSubDaoCouncil(msg.sender, daoId);
    }

    function _total(Grant storage g) private view returns (uint256 total) {
        for (uint256 i = 0; i < g.amounts.length; i++) {
            total += g.amounts[i];
        }
    }

    function _grant(uint256 grantId) private view returns (Grant storage) {
        if (grantId >= _grants.length) revert UnknownSubDaoGrant(grantId);
        return _grants[grantId];
    }
}
