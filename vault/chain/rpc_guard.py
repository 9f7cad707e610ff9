"""What a JSON-RPC node may answer: the shape of every result the wallet reads, checked
before web3 formats it.

A node is outside input. web3's result formatters assume a well-formed answer: a lying
or broken node ("0x" for a balance, a list for a block, bytes that are not JSON) made
them raise TypeError, ValueError or IndexError deep in a read, a traceback for the user.
web3 has no schema check of its own, so this table of the methods we call holds one;
anything else becomes ChainError("node-bad-answer") with a sentence. Methods not in the
table (anvil_*, evm_*) pass unchecked: only tests and the deployer call them.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..errors import ChainError

_QUANTITY = re.compile(r"0x[0-9a-fA-F]{1,64}")  # ≤ 256 bits (some nodes pad with zeros: harmless)
_DATA = re.compile(r"0x(?:[0-9a-fA-F]{2})*")
_HASH = re.compile(r"0x[0-9a-fA-F]{64}")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
MAX_DATA_CHARS = 2 * 1024 * 1024 + 2  # 1 MiB of call output or code: far beyond our contracts


class _Bad(ValueError):
    pass


def _quantity(value: Any) -> None:
    if not (isinstance(value, str) and _QUANTITY.fullmatch(value)):
        raise _Bad(f"expected a hex quantity, got {_shown(value)}")


def _data(value: Any) -> None:
    if not (isinstance(value, str) and len(value) <= MAX_DATA_CHARS and _DATA.fullmatch(value)):
        raise _Bad(f"expected hex data, got {_shown(value)}")


def _hash(value: Any) -> None:
    if not (isinstance(value, str) and _HASH.fullmatch(value)):
        raise _Bad(f"expected a 32-byte hash, got {_shown(value)}")


def _address(value: Any) -> None:
    if not (isinstance(value, str) and _ADDRESS.fullmatch(value)):
        raise _Bad(f"expected an address, got {_shown(value)}")


def _optional(check: Callable[[Any], None]) -> Callable[[Any], None]:
    def run(value: Any) -> None:
        if value is not None:
            check(value)
    return run


def _object(fields: dict[str, Callable[[Any], None]], optional: dict[str, Callable[[Any], None]] | None = None):
    def run(value: Any) -> None:
        if not isinstance(value, dict):
            raise _Bad(f"expected an object, got {_shown(value)}")
        for name, check in fields.items():
            if name not in value:
                raise _Bad(f"the answer lacks {name!r}")
            check(value[name])
        for name, check in (optional or {}).items():
            if value.get(name) is not None:
                check(value[name])
    return run


def _list_of(check: Callable[[Any], None], limit: int = 100_000) -> Callable[[Any], None]:
    def run(value: Any) -> None:
        if not isinstance(value, list) or len(value) > limit:
            raise _Bad(f"expected a list, got {_shown(value)}")
        for item in value:
            check(item)
    return run


def _tx_entry(value: Any) -> None:  # a block lists hashes, or whole transactions
    if isinstance(value, dict):
        _hash(value.get("hash"))
    else:
        _hash(value)


_LOG = _object({"address": _address, "topics": _list_of(_hash, 4), "data": _data},
               {"blockNumber": _quantity, "transactionHash": _hash, "logIndex": _quantity,
                "blockHash": _hash, "transactionIndex": _quantity})
_BLOCK = _object({"number": _quantity, "timestamp": _quantity, "hash": _hash, "gasLimit": _quantity,
                  "transactions": _list_of(_tx_entry)},
                 {"baseFeePerGas": _quantity, "gasUsed": _quantity, "parentHash": _hash})
_RECEIPT = _object({"transactionHash": _hash, "blockNumber": _quantity, "gasUsed": _quantity,
                    "status": _quantity, "logs": _list_of(_LOG)},
                   {"effectiveGasPrice": _quantity, "blockHash": _hash, "contractAddress": _address,
                    "cumulativeGasUsed": _quantity, "from": _address, "to": _address})
_TRANSACTION = _object({"hash": _hash, "nonce": _quantity, "from": _address},
                       {"blockNumber": _quantity, "gas": _quantity, "value": _quantity, "to": _address,
                        "input": _data, "maxFeePerGas": _quantity, "maxPriorityFeePerGas": _quantity,
                        "gasPrice": _quantity})
_FEE_HISTORY = _object({"oldestBlock": _quantity, "baseFeePerGas": _list_of(_quantity, 2048)},
                       {"gasUsedRatio": _list_of(lambda v: None if isinstance(v, (int, float))
                                                 and not isinstance(v, bool) else _quantity(None), 2048),
                        "reward": _list_of(_list_of(_quantity, 100), 2048)})

RESULTS: dict[str, Callable[[Any], None]] = {
    "eth_chainId": _quantity, "eth_blockNumber": _quantity, "eth_getBalance": _quantity,
    "eth_getTransactionCount": _quantity, "eth_gasPrice": _quantity, "eth_maxPriorityFeePerGas": _quantity,
    "eth_estimateGas": _quantity, "eth_call": _data, "eth_getCode": _data,
    "eth_sendRawTransaction": _hash, "eth_getBlockByNumber": _optional(_BLOCK),
    "eth_getBlockByHash": _optional(_BLOCK), "eth_getTransactionReceipt": _optional(_RECEIPT),
    "eth_getTransactionByHash": _optional(_TRANSACTION), "eth_getLogs": _list_of(_LOG),
    "eth_feeHistory": _FEE_HISTORY,
}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def bad_answer(url: str, method: str, why: str) -> ChainError:
    return ChainError("node-bad-answer", f"The node at {url} gave an answer to {method} that is not valid "
                                         f"Ethereum JSON-RPC ({why}). It may be faulty or dishonest: "
                                         "nothing was signed on it; try again, or use another node.", url=url)


def checked(method: str, response: Any, url: str) -> Any:
    """``response`` (a decoded JSON-RPC envelope) if its shape is right, else ChainError."""
    if not isinstance(response, dict):
        raise bad_answer(url, method, "not a JSON-RPC object")
    if "error" in response:
        error = response["error"]
        if not (isinstance(error, dict) and isinstance(error.get("code"), int)
                and not isinstance(error.get("code"), bool) and isinstance(error.get("message", ""), str)):
            raise bad_answer(url, method, "a malformed error")
        return response
    if "result" not in response:
        raise bad_answer(url, method, "neither a result nor an error")
    check = RESULTS.get(method)
    if check is not None:
        try:
            check(response["result"])
        except _Bad as exc:
            raise bad_answer(url, method, str(exc)) from None
    return response


def as_chain_error(exc: BaseException) -> ChainError | None:
    """The ChainError a user should see for ``exc`` when it is a node's answer that web3
    could not decode (a contract call's output of the wrong shape), else None.

    The envelope check above cannot know each contract function's return type, and web3
    decodes call output in ~100 places that read contracts; so the error boundaries (the
    CLI's main, the window's describe) ask this instead of each call site."""
    if isinstance(exc, ChainError):
        return exc
    try:
        from eth_abi.exceptions import DecodingError
        from web3.exceptions import BadFunctionCallOutput, BlockNotFound
    except ImportError:  # pragma: no cover - web3 is a dependency
        return None
    # Only decoding failures: web3 raises Web3ValueError for a caller's own bad input too
    # (an address that is not one), which is a bug to report, not the node's fault.
    if isinstance(exc, (BadFunctionCallOutput, DecodingError)):
        return ChainError("node-bad-answer", "The node's answer to a contract call could not be read: it "
                                             "does not match the Blocktrack contracts. The node may be faulty "
                                             "or serve another deployment: nothing was signed on it; use the "
                                             "network's own manifest, or another node.")
    if isinstance(exc, BlockNotFound):   # a node without even its latest block
        return ChainError("node-bad-answer", "The node answered that it has no such block (not even its latest "
                                             "one): it is not serving this chain properly. Nothing was signed on "
                                             "it; try again later, or use another node.")
    return None
