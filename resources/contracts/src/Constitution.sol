// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title The DAO's constitution: the hash and version of its text
/// @notice The text itself ships with the deployment (version 1) and travels in the
/// description of the proposal that amends it; the chain keeps only what makes a text
/// verifiable: the keccak-256 of its UTF-8 bytes and a version that grows by one per
/// amendment. Only governance (the owner, the timelock) amends it, so a new text is in
/// force only once a proposal carrying its hash has passed, waited out the timelock and
/// been executed.
/// @dev `amend` names the hash it replaces: of two amendments drafted against the same
/// text, the second to execute reverts instead of silently overwriting the first.
contract Constitution is Ownable {
    /// The version in force (1 at deployment).
    uint64 public version;
    /// keccak256 of the UTF-8 text in force.
    bytes32 public textHash;

    /// A text came into force (version 1 at deployment, then one per amendment).
    event ConstitutionAdopted(uint64 indexed version, bytes32 textHash, bytes32 previousHash, string summary);

    /// A text's hash may not be zero.
    error EmptyConstitution();
    /// The amendment was drafted against `expected` but `current` is in force.
    error StaleAmendment(bytes32 expected, bytes32 current);
    /// The amendment's text is the one already in force.
    error UnchangedConstitution();

    constructor(address timelock, bytes32 initialHash) Ownable(timelock) {
        if (initialHash == bytes32(0)) revert EmptyConstitution();
        version = 1;
        textHash = initialHash;
        emit ConstitutionAdopted(1, initialHash, bytes32(0), "Adopted with the deployment");
    }

    /// Replace the text whose hash is `previousHash` by the one whose hash is `newHash`.
    function amend(bytes32 previousHash, bytes32 newHash, string calldata summary) external onlyOwner {
        if (newHash == bytes32(0)) revert EmptyConstitution();
        if (previousHash != textHash) revert StaleAmendment(previousHash, textHash);
        if (newHash == textHash) revert UnchangedConstitution();
        uint64 next = version + 1;
        version = next;
        textHash = newHash;
        emit ConstitutionAdopted(next, newHash, previousHash, summary);
    }

    /// The version and hash in force, in one call.
    function current() external view returns (uint64, bytes32) {
        return (version, textHash);
    }
}
