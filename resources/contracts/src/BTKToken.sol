// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title BTK, the Blocktrack token
/// @notice ERC-20 with EIP-2612 permits and ERC-5805 votes on the block-number clock.
/// The supply never grows: every token is minted once, in the constructor, to the genesis
/// allocation (for example the treasury timelock and a distributor). There is no minter,
/// so governance can spend the treasury's BTK but never inflate the supply. Holders may
/// burn their own BTK (ERC20Burnable): TalentMarket burns its governance-set share of fees.
/// @dev Holders vote only once they delegate (to themselves or to someone else); a wallet
/// should offer "delegate to myself" to every holder with a zero voting power.
contract BTKToken is ERC20, ERC20Burnable, ERC20Permit, ERC20Votes {
    /// The genesis allocation's two arrays differ in length.
    error AllocationLengthMismatch(uint256 holders, uint256 amounts);
    /// The genesis allocation is empty or adds up to zero.
    error EmptyAllocation();

    constructor(address[] memory holders, uint256[] memory amounts)
        ERC20("Blocktrack Token", "BTK")
        ERC20Permit("Blocktrack Token")
    {
        if (holders.length != amounts.length) revert AllocationLengthMismatch(holders.length, amounts.length);
        for (uint256 i = 0; i < holders.length; ++i) {
            _mint(holders[i], amounts[i]); // reverts ERC20InvalidReceiver on the zero address
        }
        if (totalSupply() == 0) revert EmptyAllocation();
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
