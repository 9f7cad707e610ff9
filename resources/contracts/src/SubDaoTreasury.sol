// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title Sub-DAOs: councils spending budgets the main DAO allocates
/// @notice Each sub-DAO (Ecosystem Growth, SkillFi Economy, ...) has a council (members
/// and how many of them must approve a grant) and a budget in BTK, kept apart from every
/// other sub-DAO's. The main DAO (the owner, the timelock) allocates budget out of the
/// reserve this contract holds (BTK sent here by a treasury grant, or by `fund`), claws
/// unspent budget back to the treasury, and appoints councils. A council member proposes
/// a grant out of the sub-DAO's budget; it is paid when enough members approved it, and
/// never beyond the budget left at that moment.
/// @dev reserve = balance - sum of budgets; budgets only shrink by grants paid or clawback.
contract SubDaoTreasury is Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 public constant MAX_COUNCIL = 15;

    struct SubDao {
        string name;
        address[] council;
        uint8 threshold;
        uint64 councilVersion; // bumped on every council change: older spends cannot be approved
        uint256 budget;        // allocated, not yet paid
        uint256 spent;
    }

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

    IERC20 public immutable token;
    uint256 public allocated; // sum of budgets
    SubDao[] private _daos;
    Spend[] private _spends;
    mapping(uint256 => mapping(address => bool)) private _member;
    mapping(uint256 => mapping(address => bool)) private _approved;

    event SubDaoCreated(uint256 indexed daoId, string name, address[] council, uint8 threshold);
    event CouncilChanged(uint256 indexed daoId, address[] council, uint8 threshold);
    event ReserveFunded(address indexed from, uint256 amount);
    event BudgetAllocated(uint256 indexed daoId, uint256 amount);
    event BudgetClawedBack(uint256 indexed daoId, uint256 amount);
    event SpendProposed(uint256 indexed spendId, uint256 indexed daoId, address indexed to, uint256 amount, string memo,
        address by);
    event SpendApproved(uint256 indexed spendId, address indexed by, uint8 approvals);
    event SpendPaid(uint256 indexed spendId, uint256 indexed daoId, address indexed to, uint256 amount);
    event SpendCancelled(uint256 indexed spendId, address by);

    error UnknownSubDao(uint256 daoId);
    error UnknownSpend(uint256 spendId);
    error InvalidCouncil();
    error NotCouncilMember(address account, uint256 daoId);
    error AlreadyApproved(address account, uint256 spendId);
    error SpendClosed(uint256 spendId);
    error CouncilReplaced(uint256 spendId);
    error ExceedsSubDaoBudget(uint256 available, uint256 needed);
    error ExceedsReserve(uint256 available, uint256 needed);
    error InvalidRecipient();
    error ZeroAmount();

    constructor(IERC20 token_, address timelock, string[] memory names, address[][] memory councils,
        uint8[] memory thresholds) Ownable(timelock) {
        token = token_;
        if (names.length != councils.length || names.length != thresholds.length) revert InvalidCouncil();
        for (uint256 i = 0; i < names.length; i++) {
            _create(names[i], councils[i], thresholds[i]);
        }
    }

    /// BTK held here and not allocated to any sub-DAO: what the main DAO can allocate.
    function reserve() public view returns (uint256) {
        return token.balanceOf(address(this)) - allocated;
    }

    function fund(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit ReserveFunded(msg.sender, amount);
    }

    function createSubDao(string calldata name, address[] calldata council, uint8 threshold)
        external onlyOwner returns (uint256)
    {
        return _create(name, council, threshold);
    }

    function setCouncil(uint256 daoId, address[] calldata council, uint8 threshold) external onlyOwner {
        SubDao storage d = _dao(daoId);
        _checkCouncil(council, threshold);
        for (uint256 i = 0; i < d.council.length; i++) {
            _member[daoId][d.council[i]] = false;
        }
        d.council = council;
        d.threshold = threshold;
        d.councilVersion += 1;
        for (uint256 i = 0; i < council.length; i++) {
            _member[daoId][council[i]] = true;
        }
        emit CouncilChanged(daoId, council, threshold);
    }

    /// The main DAO gives a sub-DAO `amount` more to spend, out of the reserve.
    function allocate(uint256 daoId, uint256 amount) external onlyOwner {
        SubDao storage d = _dao(daoId);
        if (amount == 0) revert ZeroAmount();
        uint256 free = reserve();
        if (amount > free) revert ExceedsReserve(free, amount);
        d.budget += amount;
        allocated += amount;
        emit BudgetAllocated(daoId, amount);
    }

    /// The main DAO takes back up to the sub-DAO's unspent budget, to the treasury.
    function clawBack(uint256 daoId, uint256 amount) external onlyOwner nonReentrant {
        SubDao storage d = _dao(daoId);
        if (amount == 0) revert ZeroAmount();
        if (amount > d.budget) revert ExceedsSubDaoBudget(d.budget, amount);
        d.budget -= amount;
        allocated -= amount;
        token.safeTransfer(owner(), amount);
        emit BudgetClawedBack(daoId, amount);
    }

    /// A council member proposes paying `amount` of the sub-DAO's budget to `to`; it counts
    /// as their approval (paid at once when the council needs one approval).
    function proposeSpend(uint256 daoId, address to, uint256 amount, string calldata memo)
        external nonReentrant returns (uint256 spendId)
    {
        SubDao storage d = _dao(daoId);
        if (!_member[daoId][msg.sender]) revert NotCouncilMember(msg.sender, daoId);
        if (to == address(0)) revert InvalidRecipient();
        if (amount == 0) revert ZeroAmount();
        if (amount > d.budget) revert ExceedsSubDaoBudget(d.budget, amount);
        spendId = _spends.length;
        _spends.push(Spend(daoId, to, amount, d.councilVersion, 0, false, false, memo));
        emit SpendProposed(spendId, daoId, to, amount, memo, msg.sender);
        _approve(spendId);
    }

    function approveSpend(uint256 spendId) external nonReentrant {
        Spend storage s = _spend(spendId);
        if (!_member[s.daoId][msg.sender]) revert NotCouncilMember(msg.sender, s.daoId);
        _approve(spendId);
    }

    /// A council member (or the main DAO) withdraws a spend not yet paid.
    function cancelSpend(uint256 spendId) external {
        Spend storage s = _spend(spendId);
        if (msg.sender != owner() && !_member[s.daoId][msg.sender]) revert NotCouncilMember(msg.sender, s.daoId);
        if (s.paid || s.cancelled) revert SpendClosed(spendId);
        s.cancelled = true;
        emit SpendCancelled(spendId, msg.sender);
    }

    function subDaoCount() external view returns (uint256) {
        return _daos.length;
    }

    function subDaoAt(uint256 daoId) external view returns (SubDao memory) {
        return _dao(daoId);
    }

    function isCouncilMember(uint256 daoId, address account) external view returns (bool) {
        return _member[daoId][account];
    }

    function hasApproved(uint256 spendId, address account) external view returns (bool) {
        return _approved[spendId][account];
    }

    function spendCount() external view returns (uint256) {
        return _spends.length;
    }

    function spendAt(uint256 spendId) external view returns (Spend memory) {
        return _spend(spendId);
    }

    function _approve(uint256 spendId) private {
        Spend storage s = _spends[spendId];
        SubDao storage d = _daos[s.daoId];
        if (s.paid || s.cancelled) revert SpendClosed(spendId);
        if (s.councilVersion != d.councilVersion) revert CouncilReplaced(spendId);
        if (_approved[spendId][msg.sender]) revert AlreadyApproved(msg.sender, spendId);
        _approved[spendId][msg.sender] = true;
        s.approvals += 1;
        emit SpendApproved(spendId, msg.sender, s.approvals);
        if (s.approvals < d.threshold) return;
        // Checked again when paid: a clawback or another grant may have used the budget since.
        if (s.amount > d.budget) revert ExceedsSubDaoBudget(d.budget, s.amount);
        s.paid = true;
        d.budget -= s.amount;
        d.spent += s.amount;
        allocated -= s.amount;
        token.safeTransfer(s.to, s.amount);
        emit SpendPaid(spendId, s.daoId, s.to, s.amount);
    }

    function _create(string memory name, address[] memory council, uint8 threshold) private returns (uint256 daoId) {
        if (bytes(name).length == 0) revert InvalidCouncil();
        _checkCouncil(council, threshold);
        daoId = _daos.length;
        _daos.push(SubDao(name, council, threshold, 0, 0, 0));
        for (uint256 i = 0; i < council.length; i++) {
            _member[daoId][council[i]] = true;
        }
        emit SubDaoCreated(daoId, name, council, threshold);
    }

    function _checkCouncil(address[] memory council, uint8 threshold) private pure {
        if (council.length == 0 || council.length > MAX_COUNCIL || threshold == 0 || threshold > council.length) {
            revert InvalidCouncil();
        }
        for (uint256 i = 0; i < council.length; i++) {
            if (council[i] == address(0)) revert InvalidCouncil();
            for (uint256 j = 0; j < i; j++) {
                if (council[i] == council[j]) revert InvalidCouncil();
            }
        }
    }

    function _dao(uint256 daoId) private view returns (SubDao storage) {
        if (daoId >= _daos.length) revert UnknownSubDao(daoId);
        return _daos[daoId];
    }

    function _spend(uint256 spendId) private view returns (Spend storage) {
        if (spendId >= _spends.length) revert UnknownSpend(spendId);
        return _spends[spendId];
    }
}
