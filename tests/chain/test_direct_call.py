"""Reads on the embedded chain go straight to the EVM (vault/chain/direct_call.py): every
read function of the deployed suite gives the same value, or the same error, as web3's
JSON-RPC path; reads it must not take (an older block, extra transaction fields) still go
through web3."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS, copy_embedded, count_calls

OTHER = "0x00000000000000000000000000000000000A11cE"
SIMPLE = {"address", "bool", "string", "bytes", "bytes32", "bytes4"}


@pytest.fixture
def embedded(embedded_template, user):
    from vault.chain import client

    copy_embedded(embedded_template, user.store.data_dir)
    chain = client.connect(None, user.store.data_dir)
    yield chain
    chain.close()


@pytest.fixture
def counted(embedded, monkeypatch):
    """How many reads went the direct way."""
    provider = embedded.w3.provider
    seen = []
    original = provider.direct_call

    def direct_call(sender, to, data):
        seen.append(data[:4])
        return original(sender, to, data)

    monkeypatch.setattr(provider, "direct_call", direct_call)
    return seen


def _argument(kind: str, i: int):
    if kind == "address":
        return USER_ADDRESS if i % 2 == 0 else OTHER
    if kind.startswith(("uint", "int")):
        return i
    if kind == "bool":
        return True
    if kind == "string":
        return "BlocktrackMembership"
    if kind == "bytes":
        return b"\x01\x02"
    if kind.startswith("bytes"):
        return b"\x00" * int(kind[5:])
    raise ValueError(kind)


def _simple(kind: str) -> bool:
    return kind in SIMPLE or kind.startswith(("uint", "int")) and not kind.endswith("]")


def _reads(chain):
    """(label, bound function) for every view/pure function of the suite whose inputs are
    simple, with arguments 0/1, the user, another address."""
    for key, contract in chain.contracts.all():
        for entry in contract.abi:
            if entry.get("type") != "function" or entry.get("stateMutability") not in ("view", "pure"):
                continue
            kinds = [i["type"] for i in entry["inputs"]]
            if not all(_simple(k) for k in kinds):
                continue
            for variant in (0, 1):
                args = [_argument(k, variant + j) for j, k in enumerate(kinds)]
                signature = f"{entry['name']}({','.join(kinds)})"
                try:  # through .functions, as the app reads (an overload web3 cannot tell apart is skipped)
                    fn = getattr(contract.functions, entry["name"])(*args)
                except Exception:
                    continue
                if fn.abi["inputs"] == entry["inputs"]:
                    yield f"{key}.{signature}{args}", fn


def _outcome(fn, **kw):
    try:
        return "value", fn.call(**kw)
    except Exception as exc:  # compared by kind and words
        return type(exc).__name__, str(exc)


def test_every_read_of_the_suite_is_the_same_either_way(embedded, counted):
    checked = 0
    block = embedded.block_number
    for label, fn in _reads(embedded):
        direct = _outcome(fn)
        through_web3 = _outcome(fn, block_identifier=block)  # a block number: web3's path
        assert direct == through_web3, label
        checked += 1
    assert checked > 300  # the whole suite, not a handful
    assert len(counted) >= checked * 0.9  # the direct way was taken (empty answers go through web3)


def test_a_revert_says_the_same_either_way(embedded, counted):
    from vault.errors import ChainError

    governor = embedded.contracts.governor.functions
    with pytest.raises(ChainError) as direct:
        governor.state(12345).call()
    assert counted  # it went direct, and still decoded the governor's error
    with pytest.raises(ChainError) as through_web3:
        governor.state(12345).call(block_identifier=embedded.block_number)
    assert str(direct.value) == str(through_web3.value)
    assert direct.value.details.get("error") == "GovernorNonexistentProposal"


def test_an_older_block_and_extra_fields_take_web3s_path(embedded, counted, user):
    from vault.chain.governance import with_gas_margin
    from vault.chain.transactions import TxService

    service = TxService.for_identity(embedded, user)
    token = embedded.contracts.token.functions
    before_block = embedded.block_number
    before = token.balanceOf(OTHER).call()
    record = service.send(service.preview(with_gas_margin(embedded, service.btk_transfer(USER_ADDRESS, OTHER, 7))))
    assert record.status == "success"
    counted.clear()
    assert token.balanceOf(OTHER).call() == before + 7
    assert len(counted) == 1
    assert token.balanceOf(OTHER).call(block_identifier=before_block) == before
    assert token.balanceOf(OTHER).call({"from": USER_ADDRESS, "value": 0}) == before + 7
    assert len(counted) == 1  # neither of those two went direct


def test_the_sender_is_the_one_given(embedded, counted):
    """A read's msg.sender is the transaction's ``from`` (the default account otherwise),
    as on web3's path."""
    sent = []
    provider = embedded.w3.provider
    inner = provider.direct_call
    provider.direct_call = lambda sender, to, data: sent.append(sender) or inner(sender, to, data)
    token = embedded.contracts.token.functions
    token.totalSupply().call({"from": OTHER})
    token.totalSupply().call()
    assert sent == [OTHER, embedded.w3.eth.default_account]


def test_added_middleware_sees_every_read(embedded, counted):
    """Whoever adds middleware (a test counting requests, say) sees reads go through it."""
    token = embedded.contracts.token.functions
    token.totalSupply().call()
    assert counted
    counted.clear()
    seen = count_calls(embedded)
    token.totalSupply().call()
    assert seen == ["eth_call"] and not counted
