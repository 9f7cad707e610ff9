"""Revert data -> sentences, and digging the data out of what web3 raises."""

from __future__ import annotations

import re

import pytest
from eth_abi import encode
from eth_utils import keccak

from vault.chain.contracts import CONTRACTS_DIR
from vault.chain.revert import SENTENCES, decode_error, decode_revert, error_table, revert_data

ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def _encode(signature: str, types: list[str], args: list) -> bytes:
    return keccak(text=signature)[:4] + encode(types, args)


def _sample(abi_type: str):
    if abi_type == "address":
        return ALICE
    if abi_type.startswith(("uint", "int")):
        return 7
    if abi_type == "bool":
        return True
    if abi_type == "string":
        return "text"
    if abi_type.startswith("bytes") and abi_type != "bytes":
        return b"\x01" * int(abi_type[5:])
    if abi_type == "bytes":
        return b"\x01"
    raise NotImplementedError(abi_type)


def test_every_error_of_our_contracts_has_a_sentence():
    declared = set()
    for source in (CONTRACTS_DIR / "src").glob("*.sol"):
        declared |= set(re.findall(r"\berror\s+(\w+)\s*\(", source.read_text()))
    assert declared, "no errors found in the sources"
    assert sorted(declared - set(SENTENCES)) == []


def test_every_known_error_renders_a_complete_sentence():
    for selector, (name, types, _names) in error_table().items():
        data = selector + encode(list(types), [_sample(t) for t in types])
        decoded = decode_revert(data)
        assert decoded.name == name
        assert "{" not in decoded.message and decoded.message.endswith((".", ")")), decoded.message
        assert decode_error(data)[0] == name


def test_sentences_format_amounts_states_and_addresses():
    data = _encode("ERC20InsufficientBalance(address,uint256,uint256)", ["address", "uint256", "uint256"],
                   [ALICE.lower(), 1_500 * 10**18, 2 * 10**18 + 5 * 10**17])
    assert decode_revert(data).message == f"Not enough BTK: {ALICE} holds 1,500 BTK but 2.5 BTK are needed."
    data = _encode("GovernorUnexpectedProposalState(uint256,uint8,bytes32)", ["uint256", "uint8", "bytes32"],
                   [12, 1, (1 << 4 | 1 << 5).to_bytes(32, "big")])
    assert decode_revert(data).message == "Proposal 12 is Active; this needs it to be Succeeded or Queued."
    data = _encode("RefundNotYetAllowed(uint256,uint256)", ["uint256", "uint256"], [3, 1_800_000_000])
    assert decode_revert(data).message == "The client can get a refund of gig 3 only from 2027-01-15 08:00:00 UTC on."
    data = _encode("CommissionTooHigh(uint256,uint256)", ["uint256", "uint256"], [6000, 5000])
    assert decode_revert(data).message == "A commission of 60 % is above the maximum of 50 %."
    decoded = decode_revert(_encode("UnknownValidator(uint256)", ["uint256"], [99]))
    assert decoded.to_json() == {"error": "UnknownValidator", "args": {"validatorId": 99},
                                 "message": "There is no validator 99.", "data": "0x" + decoded.data.hex()}


def test_error_string_panic_empty_and_unknown():
    assert decode_revert(_encode("Error(string)", ["string"], ["not allowed"])).message == \
        "The contract refused: not allowed"
    assert decode_revert(_encode("Panic(uint256)", ["uint256"], [0x11])).message == \
        "The contract stopped on an arithmetic overflow or underflow."
    assert decode_revert(_encode("Panic(uint256)", ["uint256"], [0x99])).message == \
        "The contract stopped on panic code 0x99."
    assert decode_revert(b"").message == "The contract refused the transaction without giving a reason."
    assert decode_revert(None).name == ""
    unknown = decode_revert(bytes.fromhex("deadbeef") + b"\x00" * 32)
    assert unknown.name == "?" and "0xdeadbeef" in unknown.message
    garbled = decode_revert(keccak(text="UnknownValidator(uint256)")[:4] + b"\x01")  # truncated arguments
    assert garbled.name == "?"
    with pytest.raises(ValueError):
        decode_error(bytes.fromhex("deadbeef"))


def test_revert_data_from_a_json_rpc_node_error():
    from web3.exceptions import ContractCustomError, Web3RPCError

    data = _encode("ZeroAmount()", [], [])
    assert revert_data(ContractCustomError("0x" + data.hex(), data="0x" + data.hex())) == data
    rpc = Web3RPCError("execution reverted", rpc_response={"error": {"code": 3, "message": "execution reverted",
                                                                     "data": "0x" + data.hex()}})
    assert revert_data(rpc) == data


def test_revert_data_from_eth_tester_exceptions():
    from eth_tester.exceptions import TransactionFailed

    data = _encode("GigNotFound(uint256)", ["uint256"], [5])
    try:
        try:
            raise TransactionFailed(data)  # what eth-tester raises, bytes inside
        except TransactionFailed as inner:
            raise TransactionFailed(f"execution reverted: {data!r}") from inner  # what web3 re-raises
    except TransactionFailed as outer:
        assert revert_data(outer) == data
    assert revert_data(TransactionFailed(f"execution reverted: {data!r}")) == data  # repr only (eth_call)
    assert revert_data(ValueError("nothing here")) is None
