// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// TEST ONLY. A contract account that plays client or talent on a Marketplace and, when
/// TestReentrantToken pays it, calls the marketplace again (`attack`) from inside the
/// payout: with `bubble` the failure of that call reverts the payout, otherwise it is
/// recorded in `lastReentryError` and the payout goes on. Never deploy it outside tests.
contract TestEscrowAttacker {
    address public immutable marketplace;
    bytes public attack;
    bool public bubble;
    uint256 public reentryAttempts;
    bool public lastReentrySucceeded;
    bytes public lastReentryError;

    constructor(address marketplace_) {
        marketplace = marketplace_;
    }

    /// Arm a re-entrant call to the marketplace for the next payment received.
    function arm(bytes calldata attack_, bool bubble_) external {
        attack = attack_;
        bubble = bubble_;
    }

    /// Act on the marketplace as this contract (post, accept, fund, release, refund...).
    function act(bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory ret) = marketplace.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    function approve(IERC20 token, address spender, uint256 value) external {
        token.approve(spender, value);
    }

    function onTokenReceived(address, uint256) external {
        bytes memory data = attack;
        if (data.length == 0) return;
        delete attack; // one attempt per arming
        reentryAttempts += 1;
        (bool ok, bytes memory ret) = marketplace.call(data);
        lastReentrySucceeded = ok;
        lastReentryError = ret;
        if (!ok && bubble) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}
