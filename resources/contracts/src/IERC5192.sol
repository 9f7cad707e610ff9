// SPDX-License-Identifier: CC0-1.0
pragma solidity 0.8.37;

/// @title ERC-5192: Minimal Soulbound NFTs
/// @dev The ERC-165 identifier of this interface is 0xb45a3c0e.
interface IERC5192 {
    /// Emitted when the locking status is changed to locked.
    event Locked(uint256 tokenId);

    /// Emitted when the locking status is changed to unlocked.
    event Unlocked(uint256 tokenId);

    /// Returns the locking status of a soulbound token; reverts for a token that does not exist.
    function locked(uint256 tokenId) external view returns (bool);
}
