// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IRemoteVotes} from "./IRemoteVotes.sol";

/// @title Votes on this chain's proposals from BTK holders on another chain
/// @notice For a proposal of the governor, a Merkle root of BTK balances on another chain
/// at a snapshot block is recorded once: by the proposal's proposer while it is Pending,
/// or by governance (the owner, the timelock) while it is Pending or Active. A holder
/// there signs an EIP-712 ballot (this contract's domain on THIS chain; proposalId,
/// support, the remote chain id and their weight) and anyone relays it with the Merkle
/// proof of (holder, balance), paying the gas. One vote per holder per proposal, only
/// while the proposal is Active.
/// @dev Trust: the root's author. Nothing here proves the root against the other chain
/// (no light client): anyone can recompute it from that chain's Transfer events up to the
/// block and compare (docs/governance.md, "Cross-chain votes"). Leaves are OpenZeppelin's
/// standard Merkle tree leaves keccak256(bytes.concat(keccak256(abi.encode(holder,
/// balance)))), so OpenZeppelin's merkle-tree (npm) builds the same tree.
contract CrossChainVotes is IRemoteVotes, Ownable, EIP712 {
    struct RemoteRoot {
        bytes32 root;
        uint64 remoteChainId;
        uint64 remoteBlock;
        uint256 total;
    }

    struct Tally {
        uint256 againstVotes;
        uint256 forVotes;
        uint256 abstainVotes;
    }

    bytes32 public constant BALLOT_TYPEHASH =
        keccak256("RemoteBallot(uint256 proposalId,uint8 support,uint256 remoteChainId,uint256 weight)");

    IGovernor public immutable governor;
    mapping(uint256 proposalId => RemoteRoot) private _roots;
    mapping(uint256 proposalId => Tally) private _tallies;
    mapping(uint256 proposalId => mapping(address voter => bool)) private _voted;

    event RemoteRootSet(uint256 indexed proposalId, uint64 remoteChainId, uint64 remoteBlock, bytes32 root,
        uint256 total, address indexed setBy);
    event RemoteVoteCast(uint256 indexed proposalId, address indexed voter, uint8 support, uint256 weight,
        address relayer);

    /// A root was already recorded for this proposal (it is recorded once).
    error RemoteRootAlreadySet(uint256 proposalId);
    /// The root must not be zero.
    error EmptyRemoteRoot();
    /// Only the proposal's proposer (or governance) records its root.
    error NotProposalAuthor(address account, uint256 proposalId);
    /// The proposer records the root only while the proposal is Pending.
    error RemoteRootTooLate(uint256 proposalId, uint8 current);
    /// No root was recorded for this proposal: it takes no remote votes.
    error NoRemoteRoot(uint256 proposalId);
    /// Remote votes count only while the proposal is Active.
    error RemoteVotingNotActive(uint256 proposalId, uint8 current);
    /// Support must be 0 (against), 1 (for) or 2 (abstain).
    error InvalidRemoteSupport(uint8 support);
    /// The signature is not the voter's over this ballot.
    error InvalidRemoteSignature(address voter);
    /// (voter, weight) is not a leaf of the proposal's root.
    error InvalidRemoteProof(address voter, uint256 weight);
    /// The holder already voted on this proposal.
    error RemoteAlreadyVoted(uint256 proposalId, address voter);

    constructor(IGovernor governor_, address timelock) Ownable(timelock) EIP712("Blocktrack Cross-Chain Votes", "1") {
        governor = governor_;
    }

    function setRemoteRoot(uint256 proposalId, uint64 remoteChainId, uint64 remoteBlock, bytes32 root, uint256 total)
        external
    {
        if (_roots[proposalId].root != bytes32(0)) revert RemoteRootAlreadySet(proposalId);
        if (root == bytes32(0)) revert EmptyRemoteRoot();
        IGovernor.ProposalState current = governor.state(proposalId); // reverts for an unknown proposal
        if (msg.sender == owner()) {
            if (current != IGovernor.ProposalState.Pending && current != IGovernor.ProposalState.Active) {
                revert RemoteRootTooLate(proposalId, uint8(current));
            }
        } else {
            if (msg.sender != governor.proposalProposer(proposalId)) revert NotProposalAuthor(msg.sender, proposalId);
            // Pending: nobody voted yet, so the root cannot be chosen after seeing the votes.
            if (current != IGovernor.ProposalState.Pending) revert RemoteRootTooLate(proposalId, uint8(current));
        }
        _roots[proposalId] = RemoteRoot(root, remoteChainId, remoteBlock, total);
        emit RemoteRootSet(proposalId, remoteChainId, remoteBlock, root, total, msg.sender);
    }

    /// Counts `voter`'s signed ballot; anyone may send it.
    function castRemoteVote(
        uint256 proposalId,
        address voter,
        uint8 support,
        uint256 weight,
        bytes32[] calldata proof,
        bytes calldata signature
    ) external {
        _authenticate(proposalId, voter, support, weight, proof, signature);
        _voted[proposalId][voter] = true;
        Tally storage t = _tallies[proposalId];
        if (support == 0) t.againstVotes += weight;
        else if (support == 1) t.forVotes += weight;
        else t.abstainVotes += weight;
        emit RemoteVoteCast(proposalId, voter, support, weight, msg.sender);
    }

    // Every check of castRemoteVote (its own function: one frame would be too deep a stack).
    function _authenticate(
        uint256 proposalId,
        address voter,
        uint8 support,
        uint256 weight,
        bytes32[] calldata proof,
        bytes calldata signature
    ) private view {
        RemoteRoot storage r = _roots[proposalId];
        if (r.root == bytes32(0)) revert NoRemoteRoot(proposalId);
        IGovernor.ProposalState current = governor.state(proposalId);
        if (current != IGovernor.ProposalState.Active) revert RemoteVotingNotActive(proposalId, uint8(current));
        if (support > 2) revert InvalidRemoteSupport(support);
        if (_voted[proposalId][voter]) revert RemoteAlreadyVoted(proposalId, voter);
        (address signer, ECDSA.RecoverError err,) =
            ECDSA.tryRecover(ballotDigest(proposalId, support, r.remoteChainId, weight), signature);
        if (err != ECDSA.RecoverError.NoError || signer != voter) revert InvalidRemoteSignature(voter);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(voter, weight))));
        if (!MerkleProof.verifyCalldata(proof, r.root, leaf)) revert InvalidRemoteProof(voter, weight);
    }

    /// The EIP-712 digest a holder signs (domain: this contract on this chain).
    function ballotDigest(uint256 proposalId, uint8 support, uint256 remoteChainId, uint256 weight)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(BALLOT_TYPEHASH, proposalId, support, remoteChainId, weight)));
    }

    function remoteVotes(uint256 proposalId)
        external
        view
        returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes)
    {
        Tally storage t = _tallies[proposalId];
        return (t.againstVotes, t.forVotes, t.abstainVotes);
    }

    function remoteRoot(uint256 proposalId) external view returns (RemoteRoot memory) {
        return _roots[proposalId];
    }

    function hasVotedRemotely(uint256 proposalId, address voter) external view returns (bool) {
        return _voted[proposalId][voter];
    }
}
