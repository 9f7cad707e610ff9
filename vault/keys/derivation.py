"""Every key from one seed.

* Ethereum accounts: BIP-44 m/44'/60'/0'/0/i (secp256k1, via eth-account), as MetaMask
  and hardware wallets derive them, so the same phrase shows the same addresses there.
* Ed25519 DID keys: SLIP-10 (only hardened steps exist for Ed25519). No standard path for
  DID keys exists; ours is m/1031'/<branch>'/i' with one branch per DID method, so a
  did:key and a did:jwk never share a key. Written down in docs/keys.md.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# eth-account is imported where an Ethereum key is derived, not here: importing it takes
# ~0.5 s (eth-keyfile pulls py_ecc's BLS pairing tables), which every `vault` command and
# the app's start paid before anything touched an Ethereum account. slip10 likewise
# (~12 ms with its ecdsa and importlib.metadata), which `vault credential list` never needs.

ETH_PATH = "m/44'/60'/0'/0/{index}"
DID_PURPOSE = 1031
DID_BRANCHES = {"key": 0, "jwk": 1}
# Issuer profiles sign with keys of their own branch: an issuer DID is never one of the
# holder's DIDs, so what a person issues does not link to what they hold.
ISSUER_BRANCH = 2


def eth_path(index: int) -> str:
    return ETH_PATH.format(index=int(index))


def eth_private_key(seed: bytes, index: int) -> bytes:
    # start-up: eth-account (~0.5 s), see above
    from eth_account.hdaccount import key_from_seed

    return key_from_seed(seed, eth_path(index))


def eth_address(seed: bytes, index: int) -> str:
    # start-up: eth-account (~0.5 s), see above
    from eth_account import Account

    return Account.from_key(eth_private_key(seed, index)).address


def did_key_path(method: str, index: int) -> str:
    return f"m/{DID_PURPOSE}'/{DID_BRANCHES[method]}'/{int(index)}'"


def issuer_key_path(index: int) -> str:
    return f"m/{DID_PURPOSE}'/{ISSUER_BRANCH}'/{int(index)}'"


def ed25519_private_key(seed: bytes, path: str) -> Ed25519PrivateKey:
    from slip10 import SLIP10   # start-up: see above

    raw = SLIP10.from_seed(seed, curve_name="ed25519").get_privkey_from_path(path)
    return Ed25519PrivateKey.from_private_bytes(raw)
