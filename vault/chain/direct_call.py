"""Contract reads on the embedded chain without web3's JSON-RPC path.

A read through web3 (``contract.functions.f(x).call()``) looks the function up again in
the whole ABI (``get_abi_element_info`` validates every entry, each call), then goes
through the request manager, eth-tester's provider, validators and normalizers, and only
then to py-evm: ~1.1 ms of Python around a ~0.8 ms execution of ``balanceOf`` on this
machine, and the governance scenario makes ~40 reads. On the embedded chain the EVM is
in this process and the function's ABI entry was resolved when the function object was
made, so a read is encoded by web3's own encoder, run by the backend under the chain's
lock, and decoded by web3's own decoder: the same calldata in, the same values out
(tests/chain/test_direct_call.py compares both paths on the suite's read functions, and
reverts decode the same).

Only what the plain path would do the same way goes direct: the latest block, no state
override, a transaction of at most ``from``/``to``, no middleware added. Anything else, and an empty answer
(web3 then asks whether code is there, for its message), takes web3's path.
"""

from __future__ import annotations

from functools import lru_cache

_DIRECT_FIELDS = frozenset({"from", "to"})
_EMPTY = object()  # "no answer here": the caller takes web3's path


def direct_reader(fn):
    """The provider's ``direct_call`` when ``fn``'s chain runs in this process, else None.
    None too when middleware beyond the embedded chain's own was added: whoever added it
    (a test counting requests) sees every read."""
    direct = getattr(fn.w3.provider, "direct_call", None)
    if direct is None or len(fn.w3.middleware_onion) > fn.w3.provider.own_middleware:
        return None
    return direct


@lru_cache(maxsize=4096)
def _selector(signature: str) -> str:
    # start-up: eth-utils (web3's own dependency), loaded with web3 by then
    from eth_utils import function_signature_to_4byte_selector

    return "0x" + function_signature_to_4byte_selector(signature).hex()


def read(fn, direct, transaction=None, block_identifier=None, state_override=None):
    """The value of ``fn`` (a bound web3 ContractFunction) read through ``direct`` (the
    embedded provider's ``direct_call(sender, to, data) -> bytes``), or ``_EMPTY`` when
    this read must take web3's path. A revert raises eth-tester's TransactionFailed with
    the revert data, as the backend does."""
    if block_identifier not in (None, "latest") or state_override is not None:
        return _EMPTY
    if fn.abi.get("type") != "function":
        return _EMPTY
    tx = fn._get_call_txparams(transaction)
    if not set(tx) <= _DIRECT_FIELDS or "from" not in tx:
        return _EMPTY
    # start-up: web3 (loaded by then: fn is a web3 contract function)
    from eth_utils import abi_to_signature, get_abi_output_types, get_normalized_abi_inputs
    from web3._utils.contracts import encode_abi
    from web3.contract.utils import format_contract_call_return_data_curried

    signature = abi_to_signature(fn.abi)
    arguments = get_normalized_abi_inputs(fn.abi, *(fn.args or ()), **(fn.kwargs or {}))
    data = encode_abi(fn.w3, fn.abi, arguments, _selector(signature))
    output = direct(tx["from"], tx["to"], bytes.fromhex(data[2:]))
    if not output:
        return _EMPTY
    return format_contract_call_return_data_curried(fn.w3, fn.decode_tuples, fn.abi, signature,
                                                    fn._return_data_normalizers, get_abi_output_types(fn.abi),
                                                    output)


def is_empty(value) -> bool:
    return value is _EMPTY
