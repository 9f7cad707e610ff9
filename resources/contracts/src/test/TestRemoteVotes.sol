// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IRemoteVotes} from "../IRemoteVotes.sol";

/// Test-only remote votes source: counts set by anyone, or a source that always reverts.
contract TestRemoteVotes is IRemoteVotes {
    struct Counts {
        uint256 againstVotes;
        uint256 forVotes;
        uint256 abstainVotes;
    }

    mapping(uint256 proposalId => Counts) private _counts;
    bool public broken;

    function set(uint256 proposalId, uint256 againstVotes, uint256 forVotes, uint256 abstainVotes) external {
        _counts[proposalId] = Counts(againstVotes, forVotes, abstainVotes);
    }

    function breakIt() external {
        broken = true;
    }

    function remoteVotes(uint256 proposalId) external view returns (uint256, uint256, uint256) {
        require(!broken, "broken source");
        Counts memory c = _counts[proposalId];
        return (c.againstVotes, c.forVotes, c.abstainVotes);
    }
}
