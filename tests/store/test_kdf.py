"""The vault key's Argon2id (libargon2 through argon2-cffi, one thread per lane) is the
same function as another implementation's: cryptography's (OpenSSL), which derived the
keys of every vault made before the switch, so those vaults still open."""

from __future__ import annotations

import os

import pytest
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from vault.errors import WrongPassphrase
from vault.store import VaultStore
import vault.store.vault_store as vault_store_module
from vault.store.kdf import KEY_LENGTH, LANES, MIN_ITERATIONS, MIN_MEMORY_KIB, KdfParams, derive_key, normalise


def _openssl(passphrase: str, params: KdfParams) -> bytes:
    return Argon2id(salt=params.salt, length=KEY_LENGTH, iterations=params.iterations, lanes=params.lanes,
                    memory_cost=params.memory_kib).derive(normalise(passphrase))


@pytest.mark.parametrize("passphrase, iterations", [
    ("correct horse battery staple", MIN_ITERATIONS),
    ("Ünïcödé pässphrase ﬁ ①", MIN_ITERATIONS + 1),     # NFKD first, on both sides
    ("x" * 300, MIN_ITERATIONS),
])
def test_the_key_is_openssls_argon2id_too(passphrase, iterations):
    params = KdfParams(MIN_MEMORY_KIB, iterations, LANES, os.urandom(16))
    assert derive_key(passphrase, params) == _openssl(passphrase, params)
    other_salt = KdfParams(MIN_MEMORY_KIB, iterations, LANES, os.urandom(16))
    assert derive_key(passphrase, other_salt) != derive_key(passphrase, params)


def test_a_vault_keyed_by_the_old_derivation_opens_and_a_wrong_passphrase_does_not(tmp_path, monkeypatch):
    passphrase = "correct horse battery staple"
    monkeypatch.setattr(vault_store_module, "derive_key", _openssl)   # as vaults were made before
    store = VaultStore.create(tmp_path / "v", passphrase, kdf_target=0)
    store.query("SELECT count(*) FROM sqlite_master")
    store.lock()
    monkeypatch.setattr(vault_store_module, "derive_key", derive_key)
    store = VaultStore(tmp_path / "v")
    with pytest.raises(WrongPassphrase):
        store.unlock(passphrase + "!")
    store.unlock(passphrase)
    assert store.query_one("PRAGMA user_version")[0] > 0
    store.lock()
