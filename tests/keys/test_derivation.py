import pytest
from slip10 import SLIP10

from tests.conftest import HARDHAT_ADDRESS_0, HARDHAT_PHRASE, vector
from vault.keys import derivation, recovery_phrase

SLIP10_ED25519 = [
    (test["seed"], chain)
    for test in vector("slip10.json")["tests"] if test["curve"] == "ed25519"
    for chain in test["chains"]
]


@pytest.mark.parametrize("seed,chain", SLIP10_ED25519, ids=[c["path"] for _, c in SLIP10_ED25519])
def test_slip10_ed25519_published_vectors(seed, chain):
    key = derivation.ed25519_private_key(bytes.fromhex(seed), chain["path"])
    assert key.private_bytes_raw().hex() == chain["private_key"]
    assert "00" + key.public_key().public_bytes_raw().hex() == chain["public_key"]
    # and the chain code, via the same library, to prove the path was walked in full
    node = SLIP10.from_seed(bytes.fromhex(seed), curve_name="ed25519")
    assert node.get_child_from_path(chain["path"]).chaincode.hex() == chain["chain_code"]


def test_hardhat_phrase_gives_the_well_known_account():
    seed = recovery_phrase.to_seed(HARDHAT_PHRASE)
    assert derivation.eth_address(seed, 0) == HARDHAT_ADDRESS_0
    assert derivation.eth_address(seed, 1) == "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    assert derivation.eth_private_key(seed, 0).hex() == (
        "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")


def test_did_key_paths_differ_per_method_and_index():
    seed = recovery_phrase.to_seed(HARDHAT_PHRASE)
    keys = {derivation.ed25519_private_key(seed, derivation.did_key_path(m, i)).private_bytes_raw()
            for m in ("key", "jwk") for i in range(3)}
    assert len(keys) == 6
    assert derivation.did_key_path("key", 2) == "m/1031'/0'/2'"
