// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title Grants paid in tranches as their milestones are approved
/// @notice The escrow holds a grants budget in BTK (funded by the treasury through a
/// proposal, or by anyone with `fund`). Governance (the owner, the timelock) creates a
/// grant: a grantee, an approver (a grants committee's account, a reviewer) and the
/// amount of each milestone, committed out of the budget at once. Each milestone's
/// tranche is paid to the grantee when the approver (or governance) approves it, in
/// order; governance can cancel a grant, which frees what it had not paid yet for other
/// grants. Nothing is ever paid beyond what a grant committed.
/// @dev `committed` is the sum of the unpaid milestones of active grants; a grant can be
/// created only out of the budget not yet committed (`available`).
contract GrantEscrow is Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 public constant MAX_MILESTONES = 12;

    struct Grant {
        address grantee;
        address approver;
        bool cancelled;
        uint8 paid; // milestones paid so far, in order
        string title;
        uint256[] amounts;
    }

    IERC20 public immutable token;
    uint256 public committed;
    Grant[] private _grants;

    event BudgetFunded(address indexed from, uint256 amount);
    event BudgetWithdrawn(uint256 amount);
    event GrantCreated(uint256 indexed grantId, address indexed grantee, address indexed approver, uint256 total,
        uint256 milestones, string title);
    event MilestoneApproved(uint256 indexed grantId, uint256 indexed milestone, uint256 amount, address by);
    event GrantCancelled(uint256 indexed grantId, uint256 freed);

    error NoMilestones();
    error TooManyMilestones(uint256 count, uint256 max);
    error ZeroMilestone(uint256 milestone);
    error InvalidGrantee();
    error ExceedsBudget(uint256 available, uint256 needed);
    error UnknownGrant(uint256 grantId);
    error GrantClosed(uint256 grantId);
    error MilestoneOutOfOrder(uint256 expected, uint256 given);
    error NotGrantApprover(address account, uint256 grantId);
    error ZeroAmount();

    constructor(IERC20 token_, address timelock) Ownable(timelock) {
        token = token_;
    }

    /// BTK held and not committed to a grant.
    function available() public view returns (uint256) {
        return token.balanceOf(address(this)) - committed;
    }

    function fund(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit BudgetFunded(msg.sender, amount);
    }

    /// Send budget that no grant committed back to governance (the treasury).
    function withdrawBudget(uint256 amount) external onlyOwner nonReentrant {
        uint256 free = available();
        if (amount > free) revert ExceedsBudget(free, amount);
        token.safeTransfer(owner(), amount);
        emit BudgetWithdrawn(amount);
    }

    function createGrant(address grantee, address approver, uint256[] calldata amounts, string calldata title)
        external
        onlyOwner
        returns (uint256 grantId)
    {
        if (grantee == address(0) || approver == address(0)) revert InvalidGrantee();
        if (amounts.length == 0) revert NoMilestones();
        if (amounts.length > MAX_MILESTONES) revert TooManyMilestones(amounts.length, MAX_MILESTONES);
        uint256 total;
        for (uint256 i = 0; i < amounts.length; i++) {
            if (amounts[i] == 0) revert ZeroMilestone(i);
            total += amounts[i];
        }
        uint256 free = available();
        if (total > free) revert ExceedsBudget(free, total);
        committed += total;
        grantId = _grants.length;
        _grants.push(Grant(grantee, approver, false, 0, title, amounts));
        emit GrantCreated(grantId, grantee, approver, total, amounts.length, title);
    }

    /// Pay milestone `milestone` of a grant (the next one unpaid) to its grantee.
    function approveMilestone(uint256 grantId, uint256 milestone) external nonReentrant {
        Grant storage g = _grant(grantId);
        if (msg.sender != g.approver && msg.sender != owner()) revert NotGrantApprover(msg.sender, grantId);
        if (g.cancelled || g.paid == g.amounts.length) revert GrantClosed(grantId);
        if (milestone != g.paid) revert MilestoneOutOfOrder(g.paid, milestone);
        uint256 amount = g.amounts[milestone];
        g.paid += 1;
        committed -= amount;
        token.safeTransfer(g.grantee, amount);
        emit MilestoneApproved(grantId, milestone, amount, msg.sender);
    }

    /// Stop a grant: its unpaid milestones are freed for other grants.
    function cancelGrant(uint256 grantId) external onlyOwner {
        Grant storage g = _grant(grantId);
        if (g.cancelled || g.paid == g.amounts.length) revert GrantClosed(grantId);
        uint256 freed;
        for (uint256 i = g.paid; i < g.amounts.length; i++) {
            freed += g.amounts[i];
        }
        g.cancelled = true;
        committed -= freed;
        emit GrantCancelled(grantId, freed);
    }

    function grantCount() external view returns (uint256) {
        return _grants.length;
    }

    function grantAt(uint256 grantId) external view returns (Grant memory) {
        return _grant(grantId);
    }

    function _grant(uint256 grantId) private view returns (Grant storage) {
        if (grantId >= _grants.length) revert UnknownGrant(grantId);
        return _grants[grantId];
    }
}
