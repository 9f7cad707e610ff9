// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// Receives a callback from TestReentrantToken after every transfer to it.
interface ITestTokenHook {
    function onTokenReceived(address from, uint256 value) external;
}

/// TEST ONLY. An ERC-20 with open minting that, like ERC-777 or ERC-1363 tokens, calls back
/// into recipients that asked for it (`setHook`): the way a token hands control to an
/// attacker in the middle of an escrow payout. Never deploy it outside tests.
contract TestReentrantToken is ERC20 {
    mapping(address => bool) public hooked;

    constructor() ERC20("Test Reentrant Token", "TRT") {}

    function mint(address to, uint256 value) external {
        _mint(to, value);
    }

    function setHook(address account, bool on) external {
        hooked[account] = on;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (hooked[to]) ITestTokenHook(to).onTokenReceived(from, value);
    }
}
