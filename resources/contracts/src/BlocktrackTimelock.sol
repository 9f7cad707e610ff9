// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title The Blocktrack treasury and executor
/// @notice OpenZeppelin's TimelockController, unchanged. It holds the treasury (fees,
/// slashed stake) and owns every governed parameter of the suite; the BlocktrackGovernor
/// is its only proposer and canceller, anyone may execute a ready operation, and no admin
/// remains after deployment. `minDelay` is in seconds (the timelock uses timestamps).
contract BlocktrackTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
