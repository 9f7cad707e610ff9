// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

interface IRemoteVotes {
    /// Votes cast on `proposalId` from another chain (BTK wei at that chain's snapshot).
    function remoteVotes(uint256 proposalId)
        external view returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes);
}
