"""py_ecc's pairing modules are deferred (vault/chain/deferred.py): opening the embedded
chain does not run them, and the first use still gives the right answer: a BLS12-381
pairing check (py-evm's Prague precompile), an alt_bn128 pairing check (a Cancun
precompile, on the embedded chain itself) and a BLS keystore of eth-keyfile."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.chain.conftest import ROOT, copy_embedded
from vault.chain import client, deferred

PAIRING_MODULES = sorted(deferred.DEFERRED)


def _run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], check=True, capture_output=True,
                         text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_opening_the_chain_runs_no_pairing_module(tmp_path, embedded_template):
    """In a new process: connect, read, sign with eth-account; the deferred modules exist
    (their importers took the forwarders) but their code has not run."""
    copy_embedded(embedded_template, tmp_path)
    loaded = _run("""
        import json, sys
        from vault.chain import client, deferred
        from eth_account import Account
        with client.connect(None, sys.argv[1]) as chain:
            chain.contracts.token.functions.totalSupply().call()
        Account.from_key(b"\\x01" * 32).sign_message
        print(json.dumps({n: deferred.is_loaded(sys.modules[n]) for n in sorted(deferred.DEFERRED)}))
    """, str(tmp_path))
    assert loaded == {name: False for name in PAIRING_MODULES}


@pytest.fixture(autouse=True)
def _deferred_here():
    """These tests run in a process where the modules were created deferred, so the
    results below come through the forwarders."""
    import eth.vm.forks  # noqa: F401 - py-evm's precompiles and eth-keyfile import them
    import eth_keyfile  # noqa: F401

    assert {name: type(sys.modules[name]) for name in PAIRING_MODULES} == \
        {name: deferred.DeferredModule for name in PAIRING_MODULES}


def _g1(point) -> bytes:          # EIP-2537: each coordinate in 64 bytes
    x, y = point
    return x.n.to_bytes(64, "big") + y.n.to_bytes(64, "big")


def _g2(point) -> bytes:          # EIP-2537: c0 then c1 of each coordinate
    x, y = point
    return b"".join(int(c).to_bytes(64, "big") for c in (*x.coeffs, *y.coeffs))


def test_the_bls12_381_pairing_precompile_after_deferral():
    """py-evm's Prague BLS12_PAIRING_CHECK (0x0f) through eth-tester: e(P, Q)·e(−P, Q) = 1
    and e(P, Q)·e(P, Q) ≠ 1, as the EIP defines it (0x…01 / 0x…00)."""
    from eth.vm.forks import PragueVM
    from eth_tester import EthereumTester, PyEVMBackend
    from py_ecc.bls12_381 import G1, G2, neg   # the reference (unoptimised) curve, as data

    tester = EthereumTester(PyEVMBackend(vm_configuration=((0, PragueVM),)))
    sender = tester.get_accounts()[0]

    def check(pairs: bytes) -> int:
        out = tester.call({"from": sender, "to": "0x" + "00" * 19 + "0f", "data": "0x" + pairs.hex(),
                           "gas": 500_000})
        return int(out, 16)

    assert check(_g1(G1) + _g2(G2) + _g1(neg(G1)) + _g2(G2)) == 1
    assert check(_g1(G1) + _g2(G2) + _g1(G1) + _g2(G2)) == 0


def test_the_alt_bn128_pairing_precompile_on_the_embedded_chain(tmp_path, embedded_template):
    """EIP-197's ecPairing (0x08) by eth_call on the Cancun chain: the same two checks."""
    from py_ecc.bn128 import G1, G2, neg

    def g1(p) -> bytes:
        return b"".join(c.n.to_bytes(32, "big") for c in p)

    def g2(p) -> bytes:          # EIP-197: the imaginary part first
        x, y = p
        return b"".join(int(c).to_bytes(32, "big") for c in (x.coeffs[1], x.coeffs[0], y.coeffs[1], y.coeffs[0]))

    copy_embedded(embedded_template, tmp_path)
    with client.connect(None, tmp_path) as chain:
        def check(pairs: bytes) -> int:
            return int.from_bytes(chain.w3.eth.call({"to": "0x" + "00" * 19 + "08", "data": pairs}), "big")

        assert check(g1(G1) + g2(G2) + g1(neg(G1)) + g2(G2)) == 1
        assert check(g1(G1) + g2(G2) + g1(G1) + g2(G2)) == 0


def test_an_eth_keyfile_bls_keystore_after_deferral():
    """eth-keyfile's version-4 keystore (EIP-2335) uses py_ecc's BLS: the public key of
    secret 1 is the compressed G1 generator, and the secret decrypts back."""
    from eth_keyfile import create_keyfile_json, decode_keyfile_json

    secret = (1).to_bytes(32, "big")
    keystore = create_keyfile_json(secret, b"pw", version=4, kdf="pbkdf2", iterations=2)
    assert keystore["pubkey"] == ("97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb"
                                  "3af00adb22c6bb")
    assert decode_keyfile_json(keystore, b"pw") == secret
    with pytest.raises(ValueError):   # a key beyond the BLS curve order is refused
        create_keyfile_json((2**255).to_bytes(32, "big"), b"pw", version=4, kdf="pbkdf2", iterations=2)


def test_a_deferred_module_runs_once_and_reads_through():
    """Once run, a deferred module is the real one: the forwarder its importer kept and
    the module's own function give the same result, and its checks have run."""
    import py_ecc.optimized_bn128 as bn128
    from py_ecc.optimized_bn128 import optimized_pairing

    one = bn128.pairing(bn128.G2, bn128.G1)
    assert deferred.is_loaded(optimized_pairing)
    assert optimized_pairing.pairing(bn128.G2, bn128.G1) == one != bn128.FQ12.one()
    assert optimized_pairing.ate_loop_count == 29793968203157093288   # a constant read through


def test_a_star_import_of_a_deferred_module_takes_its_constants_too(tmp_path):
    """`from … import *` lists the module's names: a deferred module runs first, so its
    constants come with its functions (a new process, so the module is still deferred)."""
    names = _run("""
        import json
        import vault.chain
        ns = {}
        exec("from py_ecc.optimized_bn128.optimized_pairing import *", ns)
        print(json.dumps(sorted(k for k in ns if not k.startswith("_"))))
    """)
    assert {"ate_loop_count", "log_ate_loop_count", "pairing", "final_exponentiate"} <= set(names)


def test_a_module_without_source_is_imported_as_is(tmp_path, monkeypatch):
    """A frozen bundle (PyInstaller) or a bytecode-only install has no source to read the
    functions from: the module is imported normally, not deferred, and works (the bundle's
    `vault` crashed on compile(None) before)."""
    import importlib
    import py_compile

    source = tmp_path / "sourceless_pairing.py"
    source.write_text("def pairing(a, b):\n    return a * b\n\nCONSTANT = 7\n")
    py_compile.compile(str(source), cfile=str(tmp_path / "sourceless_pairing.pyc"))
    source.unlink()
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(deferred, "DEFERRED", deferred.DEFERRED | {"sourceless_pairing"})
    monkeypatch.delitem(sys.modules, "sourceless_pairing", raising=False)
    module = importlib.import_module("sourceless_pairing")
    assert not isinstance(module, deferred.DeferredModule)
    assert module.pairing(6, 7) == 42 and module.CONSTANT == 7
