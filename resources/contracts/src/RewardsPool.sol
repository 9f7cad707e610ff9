// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// What RewardsPool reads of SoulboundCredential (its existing views, unchanged).
interface ICredentialAnchors {
    struct Credential {
        bytes32 credentialHash;
        address issuer;
        uint64 issuedAt;
        bool revoked;
        uint64 revokedAt;
        string uri;
    }

    function ISSUER_ROLE() external view returns (bytes32);
    function hasRole(bytes32 role, address account) external view returns (bool);
    function totalIssued() external view returns (uint256);
    function credential(uint256 tokenId) external view returns (address holder, Credential memory record);
    function tokenOfCredential(bytes32 credentialHash)
        external
        view
        returns (uint256 tokenId, address holder, bool revoked);
}

/// @title Learn-to-earn: BTK for anchored credentials, and contribution bounties
/// @notice Governance (the owner, the timelock, which is also the treasury) funds the pool
/// and sets reward schedules: a credential of type `credentialType` anchored by `issuer`
/// earns its holder `amount` BTK, while the schedule's budget lasts and until `endBlock`.
/// The holder claims once per credential; the claim checks the anchor on
/// SoulboundCredential at that moment (it exists, is not revoked, its issuer still holds
/// the issuer role and is the schedule's issuer), so revoking a credential blocks a reward
/// not yet claimed. Governance can also grant a named account a bounty for a described
/// contribution, which that account claims from the same pool.
/// @dev SoulboundCredential stores no credential type, so the credential's issuer declares
/// it here (`declareType`, once per token, while it holds the issuer role): the type is
/// the issuer's statement either way, and the anchor contract stays unchanged. A type is
/// keccak256 of the credential's type name (e.g. "CourseCompletionCredential").
/// Budgets and unclaimed bounties are reserved out of the balance, so everything promised
/// is always held; whatever is not reserved can be returned to the treasury.
contract RewardsPool is Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    struct Schedule {
        address issuer;
        bytes32 credentialType;
        uint256 amount; // BTK wei per credential
        uint256 budgetLeft; // BTK wei still reserved for claims
        uint64 endBlock; // last block a claim is accepted in
        bool closed;
        uint32 claims;
        string title;
    }

    struct Bounty {
        address account;
        uint256 amount;
        bool claimed;
        bool cancelled;
        string description;
    }

    /// A schedule set at deployment (the deployer funds the pool right after).
    struct InitialSchedule {
        address issuer;
        bytes32 credentialType;
        uint256 amount;
        uint256 budget;
        uint64 endBlock;
        string title;
    }

    IERC20 public immutable token;
    ICredentialAnchors public immutable credentials;
    /// BTK wei promised: open schedules' budgets plus unclaimed bounties.
    uint256 public reserved;

    Schedule[] private _schedules;
    Bounty[] private _bounties;
    mapping(uint256 tokenId => bytes32) public credentialTypeOf;
    /// The schedule id plus one a credential's reward was claimed from (0: not claimed).
    mapping(uint256 tokenId => uint256) public claimedFrom;

    event Funded(address indexed funder, uint256 amount);
    event ScheduleSet(
        uint256 indexed scheduleId,
        address indexed issuer,
        bytes32 indexed credentialType,
        uint256 amount,
        uint256 budget,
        uint64 endBlock,
        string title
    );
    event ScheduleClosed(uint256 indexed scheduleId, uint256 returned);
    event CredentialTypeDeclared(uint256 indexed tokenId, address indexed issuer, bytes32 indexed credentialType);
    event RewardClaimed(uint256 indexed scheduleId, uint256 indexed tokenId, address indexed holder, uint256 amount);
    event BountyGranted(uint256 indexed bountyId, address indexed account, uint256 amount, string description);
    event BountyCancelled(uint256 indexed bountyId);
    event BountyClaimed(uint256 indexed bountyId, address indexed account, uint256 amount);
    event Returned(address indexed to, uint256 amount);

    error ZeroAddress();
    error ZeroAmount();
    /// Governance promised more than the pool holds beyond what it already promised.
    error InsufficientUnreserved(uint256 requested, uint256 available);
    error BudgetBelowAmount(uint256 budget, uint256 amount);
    error EndBlockPassed(uint64 endBlock, uint256 currentBlock);
    error UnknownSchedule(uint256 scheduleId);
    error ScheduleNotOpen(uint256 scheduleId);
    error ScheduleStillOpen(uint256 scheduleId, uint64 endBlock);
    error UnknownCredential(uint256 tokenId);
    error NotAnchored(bytes32 credentialHash);
    error NotCredentialIssuer(uint256 tokenId, address account);
    error IssuerRoleMissing(address issuer);
    error TypeAlreadyDeclared(uint256 tokenId, bytes32 credentialType);
    error NotCredentialHolder(uint256 tokenId, address account);
    error CredentialWasRevoked(uint256 tokenId);
    error WrongIssuer(uint256 tokenId, address issuer, address scheduleIssuer);
    error WrongCredentialType(uint256 tokenId, bytes32 declared, bytes32 scheduled);
    error RewardAlreadyClaimed(uint256 tokenId, uint256 scheduleId);
    error BudgetExhausted(uint256 scheduleId, uint256 budgetLeft);
    error UnknownBounty(uint256 bountyId);
    error NotBountyAccount(uint256 bountyId, address account);
    error BountyNotOpen(uint256 bountyId);
    /// The owner is the treasury that funds the pool; it cannot be renounced.
    error OwnershipCannotBeRenounced();

    /// `initial` schedules are reserved before the pool holds their budgets (like the
    /// staking reserve, the deployer funds it in the next transaction); until then their
    /// claims fail on the transfer and `unreserved()` is 0.
    constructor(IERC20 token_, ICredentialAnchors credentials_, address governance, InitialSchedule[] memory initial)
        Ownable(governance)
    {
        if (address(token_) == address(0) || address(credentials_) == address(0)) revert ZeroAddress();
        token = token_;
        credentials = credentials_;
        for (uint256 i = 0; i < initial.length; ++i) {
            InitialSchedule memory s = initial[i];
            _checkSchedule(s.issuer, s.amount, s.budget, s.endBlock);
            reserved += s.budget;
            _addSchedule(s.issuer, s.credentialType, s.amount, s.budget, s.endBlock, s.title);
        }
    }

    // ------------------------------------------------------------------ funding

    /// Add `amount` BTK (approved beforehand) to the pool. Governance funds it from the
    /// treasury this way (or by a plain transfer, which counts the same).
    function fund(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Funded(msg.sender, amount);
    }

    /// BTK the pool holds beyond what it has promised.
    function unreserved() public view returns (uint256) {
        uint256 held = token.balanceOf(address(this));
        return held > reserved ? held - reserved : 0;
    }

    function _reserve(uint256 amount) private {
        uint256 free = unreserved();
        if (amount > free) revert InsufficientUnreserved(amount, free);
        reserved += amount;
    }

    // --------------------------------------------------------------- governance

    function setSchedule(
        address issuer,
        bytes32 credentialType,
        uint256 amount,
        uint256 budget,
        uint64 endBlock,
        string calldata title
    ) external onlyOwner returns (uint256 scheduleId) {
        _checkSchedule(issuer, amount, budget, endBlock);
        _reserve(budget);
        return _addSchedule(issuer, credentialType, amount, budget, endBlock, title);
    }

    function _checkSchedule(address issuer, uint256 amount, uint256 budget, uint64 endBlock) private view {
        if (issuer == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        if (budget < amount) revert BudgetBelowAmount(budget, amount);
        if (endBlock <= block.number) revert EndBlockPassed(endBlock, block.number);
    }

    function _addSchedule(
        address issuer,
        bytes32 credentialType,
        uint256 amount,
        uint256 budget,
        uint64 endBlock,
        string memory title
    ) private returns (uint256 scheduleId) {
        scheduleId = _schedules.length;
        _schedules.push(Schedule(issuer, credentialType, amount, budget, endBlock, false, 0, title));
        emit ScheduleSet(scheduleId, issuer, credentialType, amount, budget, endBlock, title);
    }

    /// Close a schedule and release what is left of its budget: governance at any time,
    /// anyone once its end block has passed (so an ended budget never stays locked).
    function closeSchedule(uint256 scheduleId) external {
        Schedule storage s = _schedule(scheduleId);
        if (s.closed) revert ScheduleNotOpen(scheduleId);
        if (msg.sender != owner() && block.number <= s.endBlock) revert ScheduleStillOpen(scheduleId, s.endBlock);
        uint256 left = s.budgetLeft;
        s.closed = true;
        s.budgetLeft = 0;
        reserved -= left;
        emit ScheduleClosed(scheduleId, left);
    }

    function grantBounty(address account, uint256 amount, string calldata description)
        external
        onlyOwner
        returns (uint256 bountyId)
    {
        if (account == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        _reserve(amount);
        bountyId = _bounties.length;
        _bounties.push(Bounty(account, amount, false, false, description));
        emit BountyGranted(bountyId, account, amount, description);
    }

    function cancelBounty(uint256 bountyId) external onlyOwner {
        Bounty storage b = _bounty(bountyId);
        if (b.claimed || b.cancelled) revert BountyNotOpen(bountyId);
        b.cancelled = true;
        reserved -= b.amount;
        emit BountyCancelled(bountyId);
    }

    /// Send unreserved BTK back (to the treasury, normally).
    function returnUnreserved(address to, uint256 amount) external onlyOwner nonReentrant {
        if (to == address(0)) revert ZeroAddress();
        uint256 free = unreserved();
        if (amount > free) revert InsufficientUnreserved(amount, free);
        token.safeTransfer(to, amount);
        emit Returned(to, amount);
    }

    function renounceOwnership() public view override onlyOwner {
        revert OwnershipCannotBeRenounced();
    }

    // ------------------------------------------------------------------ issuers

    /// The credential's issuer states its type (keccak256 of the type name), once. By
    /// hash, so that the app can send it right after the anchoring, before the token id
    /// is known.
    function declareType(bytes32 credentialHash, bytes32 credentialType) external {
        (uint256 tokenId,,) = credentials.tokenOfCredential(credentialHash);
        if (tokenId == 0) revert NotAnchored(credentialHash);
        (, ICredentialAnchors.Credential memory c) = credentials.credential(tokenId);
        if (c.issuer != msg.sender) revert NotCredentialIssuer(tokenId, msg.sender);
        if (!credentials.hasRole(credentials.ISSUER_ROLE(), msg.sender)) revert IssuerRoleMissing(msg.sender);
        bytes32 declared = credentialTypeOf[tokenId];
        if (declared != bytes32(0)) revert TypeAlreadyDeclared(tokenId, declared);
        credentialTypeOf[tokenId] = credentialType;
        emit CredentialTypeDeclared(tokenId, msg.sender, credentialType);
    }

    // ------------------------------------------------------------------ holders

    /// Claim schedule `scheduleId`'s reward for credential token `tokenId`, held by you.
    function claim(uint256 scheduleId, uint256 tokenId) external nonReentrant {
        Schedule storage s = _schedule(scheduleId);
        if (s.closed || block.number > s.endBlock) revert ScheduleNotOpen(scheduleId);
        (address holder, ICredentialAnchors.Credential memory c) = _credential(tokenId);
        if (holder != msg.sender) revert NotCredentialHolder(tokenId, msg.sender);
        if (c.revoked) revert CredentialWasRevoked(tokenId);
        if (c.issuer != s.issuer) revert WrongIssuer(tokenId, c.issuer, s.issuer);
        if (!credentials.hasRole(credentials.ISSUER_ROLE(), c.issuer)) revert IssuerRoleMissing(c.issuer);
        bytes32 declared = credentialTypeOf[tokenId];
        if (declared != s.credentialType) revert WrongCredentialType(tokenId, declared, s.credentialType);
        uint256 from = claimedFrom[tokenId];
        if (from != 0) revert RewardAlreadyClaimed(tokenId, from - 1);
        uint256 amount = s.amount;
        if (s.budgetLeft < amount) revert BudgetExhausted(scheduleId, s.budgetLeft);
        claimedFrom[tokenId] = scheduleId + 1;
        s.budgetLeft -= amount;
        s.claims += 1;
        reserved -= amount;
        token.safeTransfer(msg.sender, amount);
        emit RewardClaimed(scheduleId, tokenId, msg.sender, amount);
    }

    function claimBounty(uint256 bountyId) external nonReentrant {
        Bounty storage b = _bounty(bountyId);
        if (b.account != msg.sender) revert NotBountyAccount(bountyId, msg.sender);
        if (b.claimed || b.cancelled) revert BountyNotOpen(bountyId);
        b.claimed = true;
        reserved -= b.amount;
        token.safeTransfer(msg.sender, b.amount);
        emit BountyClaimed(bountyId, msg.sender, b.amount);
    }

    // -------------------------------------------------------------------- views

    function scheduleCount() external view returns (uint256) {
        return _schedules.length;
    }

    function schedule(uint256 scheduleId) external view returns (Schedule memory) {
        return _schedule(scheduleId);
    }

    function bountyCount() external view returns (uint256) {
        return _bounties.length;
    }

    function bounty(uint256 bountyId) external view returns (Bounty memory) {
        return _bounty(bountyId);
    }

    function _schedule(uint256 scheduleId) private view returns (Schedule storage) {
        if (scheduleId >= _schedules.length) revert UnknownSchedule(scheduleId);
        return _schedules[scheduleId];
    }

    function _bounty(uint256 bountyId) private view returns (Bounty storage) {
        if (bountyId >= _bounties.length) revert UnknownBounty(bountyId);
        return _bounties[bountyId];
    }

    function _credential(uint256 tokenId) private view returns (address, ICredentialAnchors.Credential memory) {
        if (tokenId == 0 || tokenId > credentials.totalIssued()) revert UnknownCredential(tokenId);
        return credentials.credential(tokenId);
    }
}
