"""The fuzz pass over cross-chain votes' outside files (vault/chain/dao/remote_files.py):
a root file, a voter's package and a signed remote ballot, each with any member replaced
or its bytes mangled, is refused with a ChainError that says why, or read; never a crash."""

from __future__ import annotations

import json

from eth_account import Account
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.test_outside_input import FUZZ, JSON, mutations, replace_somewhere
from vault.chain.dao.merkle import BalanceTree
from vault.chain.dao.remote_files import (load_package, load_remote_ballot, load_root_file, package_for,
                                          recover_signer, root_file, sign_remote_ballot)
from vault.errors import VaultError

KEY = b"\x02" * 32
VOTER = Account.from_key(KEY).address
TREE = BalanceTree({VOTER: 10**21, "0x" + "33" * 20: 5, "0x" + "44" * 20: 7})
ROOT = root_file(chain_id=31337, contract="0x" + "11" * 20, proposal_id=2**200, remote_chain_id=10,
                 remote_block=99, tree=TREE)
PACKAGE = package_for(*load_root_file(json.dumps(ROOT)), VOTER)
BALLOT = sign_remote_ballot(KEY, PACKAGE, "for")


def _read(load, data) -> None:
    try:
        read = load(data)
        if load is load_remote_ballot:
            recover_signer(read)
    except VaultError as exc:
        assert str(exc)


def test_the_samples_read_back():
    assert recover_signer(load_remote_ballot(json.dumps(BALLOT))) == VOTER
    assert load_package(json.dumps(PACKAGE))["weight"] == str(10**21)
    assert load_root_file(json.dumps(ROOT))[1].root == TREE.root


@FUZZ
@given(st.sampled_from(["root", "package", "ballot"]), JSON, st.integers(0, 2**20))
def test_any_member_replaced_is_refused_or_read(kind, value, seed):
    sample, load = {"root": (ROOT, load_root_file), "package": (PACKAGE, load_package),
                    "ballot": (BALLOT, load_remote_ballot)}[kind]
    _read(load, json.dumps(replace_somewhere(sample, value, seed)).encode())


@FUZZ
@given(mutations(json.dumps(BALLOT).encode()))
def test_mangled_ballot_bytes_are_refused_or_read(raw):
    _read(load_remote_ballot, raw)


@FUZZ
@given(mutations(json.dumps(ROOT).encode()))
def test_mangled_root_file_bytes_are_refused_or_read(raw):
    _read(load_root_file, raw)
