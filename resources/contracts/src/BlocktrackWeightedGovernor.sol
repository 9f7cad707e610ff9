// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from
    "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IRemoteVotes} from "./IRemoteVotes.sol";

/// What the governor reads of VoteEscrow: the lock's power at a past block.
interface IEscrowVotes {
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256);
}

/// What the governor reads of SoulboundCredential (its existing views).
interface ISoulboundAnchors {
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
    function tokensOf(address holder) external view returns (uint256[] memory);
    function credential(uint256 tokenId) external view returns (address holder, Credential memory record);
}

/// What the governor reads of RewardsPool: the type the issuer declared for a token.
interface ICredentialTypes {
    function credentialTypeOf(uint256 tokenId) external view returns (bytes32);
}

/// @title The Blocktrack DAO, power-weighted
/// @notice Like BlocktrackGovernor (which stays for older deployments), plus:
/// - Power at a proposal = BTK delegated votes at its snapshot + VoteEscrow lock power at
///   the snapshot + a governance-set bonus per credential type (at most MAX_BONUS_TYPES).
/// - A credential counts for a proposal when, at the vote: its holder is the voter, it
///   was issued strictly before the proposal was created (block timestamp), it is not
///   revoked, its issuer holds ISSUER_ROLE, and its issuer declared its type on the
///   RewardsPool. Each type adds its bonus once per voter; only the voter's newest
///   MAX_CREDENTIALS_SCANNED credentials are looked at, so a vote's gas stays bounded.
/// - A proposal whose description ends with QUADRATIC_MARKER counts sqrt(power) per voter
///   and only voters holding a membership credential (type MEMBERSHIP, counted as above)
///   may vote; its quorum counts the raw power that took part. The marker is part of the
///   description, hence of the proposal id: nobody can front-run it into the other mode.
/// - Token-weighted proposals add the votes of a governance-set remote source
///   (IRemoteVotes, address(0) = none), fixed per proposal at its creation. A source that
///   fails to answer counts nothing, so it can never block a proposal.
/// With no escrow, no bonus, no remote source and no quadratic proposal it counts exactly
/// as BlocktrackGovernor. Power sources are set once by the deployer (they are deployed
/// after the governor), then only by governance.
contract BlocktrackWeightedGovernor is
    Governor,
    GovernorSettings,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl
{
    uint256 public constant MAX_BONUS_TYPES = 4;
    uint256 public constant MAX_CREDENTIALS_SCANNED = 16;
    bytes32 public constant MEMBERSHIP = keccak256("BlocktrackMembership");
    string public constant QUADRATIC_MARKER = "#counting=quadratic";

    struct Tally {
        uint256 againstVotes; // counted: power, or its square root on a quadratic proposal
        uint256 forVotes;
        uint256 abstainVotes;
        uint256 rawAgainst; // power that took part, for the quorum
        uint256 rawFor;
        uint256 rawAbstain;
        uint64 createdAt;
        bool quadratic;
        address remote;
        mapping(address voter => bool) voted;
    }

    struct Power {
        uint256 tokenVotes;
        uint256 locked;
        uint256 bonus;
        uint256 total;
        bool member;
    }

    IEscrowVotes public escrow;
    ISoulboundAnchors public credentials;
    ICredentialTypes public credentialTypes;
    IRemoteVotes public remoteVotes;
    /// May set the power sources once (the deployer: they are deployed after the governor).
    address public configurator;
    bytes32[] private _bonusTypes;
    mapping(bytes32 credentialType => uint256) public credentialBonus;
    mapping(uint256 proposalId => Tally) private _tallies;

    event PowerSourcesSet(address escrow, address credentials, address credentialTypes);
    event CredentialBonusSet(bytes32 indexed credentialType, uint256 amount);
    event RemoteVotesSet(address source);
    event ProposalCounting(uint256 indexed proposalId, bool quadratic, address remoteSource, uint64 createdAt);

    error NotConfigurator(address caller);
    error TooManyBonusTypes(uint256 max);
    error QuadraticNeedsMembership(address voter);

    constructor(
        IVotes token,
        TimelockController timelock,
        uint48 initialVotingDelay,
        uint32 initialVotingPeriod,
        uint256 initialProposalThreshold,
        uint256 quorumPercent,
        address configurator_
    )
        Governor("Blocktrack Governor")
        GovernorSettings(initialVotingDelay, initialVotingPeriod, initialProposalThreshold)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(quorumPercent)
        GovernorTimelockControl(timelock)
    {
        configurator = configurator_;
    }

    // ------------------------------------------------------------------ settings

    /// The deployer's one wiring of the power sources; afterwards only governance.
    function configure(address escrow_, address credentials_, address types_) external {
        if (msg.sender != configurator || configurator == address(0)) revert NotConfigurator(msg.sender);
        configurator = address(0);
        _setSources(escrow_, credentials_, types_);
    }

    function setPowerSources(address escrow_, address credentials_, address types_) external onlyGovernance {
        _setSources(escrow_, credentials_, types_);
    }

    /// `amount` BTK wei of power per valid credential of `credentialType`; 0 removes it.
    function setCredentialBonus(bytes32 credentialType, uint256 amount) external onlyGovernance {
        bool listed = credentialBonus[credentialType] != 0;
        if (amount != 0 && !listed) {
            if (_bonusTypes.length >= MAX_BONUS_TYPES) revert TooManyBonusTypes(MAX_BONUS_TYPES);
            _bonusTypes.push(credentialType);
        } else if (amount == 0 && listed) {
            for (uint256 i = 0; i < _bonusTypes.length; i++) {
                if (_bonusTypes[i] == credentialType) {
                    _bonusTypes[i] = _bonusTypes[_bonusTypes.length - 1];
                    _bonusTypes.pop();
                    break;
                }
            }
        }
        credentialBonus[credentialType] = amount;
        emit CredentialBonusSet(credentialType, amount);
    }

    function setRemoteVotes(address source) external onlyGovernance {
        remoteVotes = IRemoteVotes(source);
        emit RemoteVotesSet(source);
    }

    function bonusTypes() external view returns (bytes32[] memory) {
        return _bonusTypes;
    }

    function _setSources(address escrow_, address credentials_, address types_) private {
        escrow = IEscrowVotes(escrow_);
        credentials = ISoulboundAnchors(credentials_);
        credentialTypes = ICredentialTypes(types_);
        emit PowerSourcesSet(escrow_, credentials_, types_);
    }

    // ------------------------------------------------------------------ power

    /// `account`'s power at `timepoint` (a mined block) for a proposal created at
    /// timestamp `createdAt`: the parts, the total and whether it holds a membership.
    function powerAt(address account, uint256 timepoint, uint64 createdAt) public view returns (Power memory p) {
        p.tokenVotes = token().getPastVotes(account, timepoint);
        if (address(escrow) != address(0)) p.locked = escrow.getPastVotes(account, timepoint);
        (p.bonus, p.member) = _credentialPart(account, createdAt);
        p.total = p.tokenVotes + p.locked + p.bonus;
    }

    /// `account`'s power on a proposal (its snapshot must be mined).
    function proposalPower(uint256 proposalId, address account) external view returns (Power memory) {
        return powerAt(account, proposalSnapshot(proposalId), _tallies[proposalId].createdAt);
    }

    function _credentialPart(address account, uint64 createdAt) private view returns (uint256 bonus, bool member) {
        ISoulboundAnchors sbt = credentials;
        if (address(sbt) == address(0) || address(credentialTypes) == address(0)) return (0, false);
        uint256[] memory ids = sbt.tokensOf(account);
        uint256 n = _bonusTypes.length;
        bool[] memory counted = new bool[](n);
        bytes32 issuerRole = sbt.ISSUER_ROLE();
        uint256 first = ids.length > MAX_CREDENTIALS_SCANNED ? ids.length - MAX_CREDENTIALS_SCANNED : 0;
        for (uint256 i = ids.length; i > first; i--) {
            uint256 id = ids[i - 1];
            bytes32 kind = credentialTypes.credentialTypeOf(id);
            if (kind == bytes32(0)) continue;
            (address holder, ISoulboundAnchors.Credential memory c) = sbt.credential(id);
            if (holder != account || c.revoked || c.issuedAt >= createdAt) continue;
            if (!sbt.hasRole(issuerRole, c.issuer)) continue;
            if (kind == MEMBERSHIP) member = true;
            for (uint256 j = 0; j < n; j++) {
                if (!counted[j] && _bonusTypes[j] == kind) {
                    counted[j] = true;
                    bonus += credentialBonus[kind];
                }
            }
        }
    }

    /// Token votes plus locked power (the proposal threshold and `getVotes`); the
    /// credential bonus depends on the proposal, so it is added when a vote is cast.
    function _getVotes(address account, uint256 timepoint, bytes memory params)
        internal
        view
        override(Governor, GovernorVotes)
        returns (uint256)
    {
        uint256 votes = super._getVotes(account, timepoint, params);
        if (address(escrow) != address(0)) votes += escrow.getPastVotes(account, timepoint);
        return votes;
    }

    // ------------------------------------------------------------------ proposals and counting

    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override returns (uint256 proposalId) {
        proposalId = super._propose(targets, values, calldatas, description, proposer);
        Tally storage t = _tallies[proposalId];
        t.createdAt = uint64(block.timestamp);
        t.quadratic = _endsWith(bytes(description), bytes(QUADRATIC_MARKER));
        if (!t.quadratic) t.remote = address(remoteVotes);
        emit ProposalCounting(proposalId, t.quadratic, t.remote, t.createdAt);
    }

    function _castVote(uint256 proposalId, address account, uint8 support, string memory reason, bytes memory params)
        internal
        override
        returns (uint256)
    {
        _validateStateBitmap(proposalId, _encodeStateBitmap(ProposalState.Active));
        Power memory p = powerAt(account, proposalSnapshot(proposalId), _tallies[proposalId].createdAt);
        if (_tallies[proposalId].quadratic && !p.member) revert QuadraticNeedsMembership(account);
        uint256 counted = _countVote(proposalId, account, support, p.total, params);
        if (params.length == 0) emit VoteCast(account, proposalId, support, counted, reason);
        else emit VoteCastWithParams(account, proposalId, support, counted, reason, params);
        _tallyUpdated(proposalId);
        return counted;
    }

    /// `power` is the raw power; returns what is counted (its square root when quadratic).
    function _countVote(uint256 proposalId, address account, uint8 support, uint256 power, bytes memory)
        internal
        override
        returns (uint256 counted)
    {
        Tally storage t = _tallies[proposalId];
        if (t.voted[account]) revert GovernorAlreadyCastVote(account);
        t.voted[account] = true;
        counted = t.quadratic ? Math.sqrt(power) : power;
        if (support == 0) {
            t.againstVotes += counted;
            t.rawAgainst += power;
        } else if (support == 1) {
            t.forVotes += counted;
            t.rawFor += power;
        } else if (support == 2) {
            t.abstainVotes += counted;
            t.rawAbstain += power;
        } else {
            revert GovernorInvalidVoteType();
        }
    }

    // solhint-disable-next-line func-name-mixedcase
    function COUNTING_MODE() public pure override returns (string memory) {
        return "support=bravo&quorum=for,abstain";
    }

    function hasVoted(uint256 proposalId, address account) public view override returns (bool) {
        return _tallies[proposalId].voted[account];
    }

    /// The counted votes, remote ones included (square roots on a quadratic proposal).
    function proposalVotes(uint256 proposalId)
        public
        view
        returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes)
    {
        Tally storage t = _tallies[proposalId];
        (uint256 ra, uint256 rf, uint256 rab) = _remote(proposalId, t.remote);
        return (t.againstVotes + ra, t.forVotes + rf, t.abstainVotes + rab);
    }

    /// The power that took part (what the quorum counts), remote votes included.
    function proposalRawVotes(uint256 proposalId)
        external
        view
        returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes)
    {
        Tally storage t = _tallies[proposalId];
        (uint256 ra, uint256 rf, uint256 rab) = _remote(proposalId, t.remote);
        return (t.rawAgainst + ra, t.rawFor + rf, t.rawAbstain + rab);
    }

    /// (quadratic, remote source, creation timestamp) of a proposal.
    function proposalCounting(uint256 proposalId) external view returns (bool, address, uint64) {
        Tally storage t = _tallies[proposalId];
        return (t.quadratic, t.remote, t.createdAt);
    }

    function _quorumReached(uint256 proposalId) internal view override returns (bool) {
        Tally storage t = _tallies[proposalId];
        (, uint256 rf, uint256 rab) = _remote(proposalId, t.remote);
        return quorum(proposalSnapshot(proposalId)) <= t.rawFor + t.rawAbstain + rf + rab;
    }

    function _voteSucceeded(uint256 proposalId) internal view override returns (bool) {
        (uint256 againstVotes, uint256 forVotes,) = proposalVotes(proposalId);
        return forVotes > againstVotes;
    }

    /// A source that reverts or answers garbage counts nothing (it must never block a
    /// proposal, including the one that replaces it).
    function _remote(uint256 proposalId, address source) private view returns (uint256, uint256, uint256) {
        if (source == address(0)) return (0, 0, 0);
        try IRemoteVotes(source).remoteVotes{gas: 200_000}(proposalId) returns (uint256 a, uint256 f, uint256 ab) {
            return (a, f, ab);
        } catch {
            return (0, 0, 0);
        }
    }

    function _endsWith(bytes memory text, bytes memory suffix) private pure returns (bool) {
        if (text.length < suffix.length) return false;
        uint256 offset = text.length - suffix.length;
        for (uint256 i = 0; i < suffix.length; i++) {
            if (text[offset + i] != suffix[i]) return false;
        }
        return true;
    }

    // The overrides below only resolve Solidity's multiple inheritance.

    function state(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (ProposalState)
    {
        return super.state(proposalId);
    }

    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
