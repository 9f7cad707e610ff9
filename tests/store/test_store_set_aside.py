"""Restoring from the recovery phrase over a vault whose passphrase is forgotten: the old
vault is moved aside untouched (it still opens with its passphrase), never deleted; a
bad phrase or passphrase moves nothing; a failure puts it back."""

import hashlib

import pytest

from tests.conftest import HARDHAT_PHRASE, PASSPHRASE
from vault.errors import InvalidRecoveryPhrase, WeakPassphrase
from vault.identity import Identity
from vault.store import VaultStore
from vault.store import vault_store as vault_store_module

NEW_PASSPHRASE = "a brand new passphrase"


@pytest.fixture
def old_vault(tmp_path):
    folder = tmp_path / "vault"
    identity, _ = Identity.create(folder, PASSPHRASE, kdf_target=0)
    identity.add_account("Savings")            # something only the old vault has
    identity.store.lock()
    (folder / "preferences.json").write_text("{}")   # not the vault's: stays where it is
    return folder


def fingerprint(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file() and p.name != "preferences.json"}


def test_the_old_vault_is_set_aside_whole_and_still_opens(old_vault):
    before = fingerprint(old_vault)
    identity, aside = Identity.restore_replacing(old_vault, NEW_PASSPHRASE, HARDHAT_PHRASE, kdf_target=0)
    try:
        assert aside.parent == old_vault and aside.name.startswith("replaced-vault-")
        assert fingerprint(aside) == before                   # byte for byte
        assert (old_vault / "preferences.json").exists()
        assert identity.accounts()[0].address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    finally:
        identity.store.lock()
    old = VaultStore(aside)
    old.unlock(PASSPHRASE)
    assert [a.name for a in Identity(old).accounts()] == ["Main account", "Savings"]
    old.lock()
    new = VaultStore(old_vault)
    new.unlock(NEW_PASSPHRASE)
    new.lock()


@pytest.mark.parametrize("phrase,passphrase,error", [
    ("test test test test test test test test test test test test", NEW_PASSPHRASE, InvalidRecoveryPhrase),
    (HARDHAT_PHRASE, "short", WeakPassphrase)])
def test_a_bad_phrase_or_passphrase_moves_nothing(old_vault, phrase, passphrase, error):
    before = fingerprint(old_vault)
    with pytest.raises(error):
        Identity.restore_replacing(old_vault, passphrase, phrase, kdf_target=0)
    assert fingerprint(old_vault) == before
    assert not list(old_vault.glob("replaced-vault-*"))


def test_a_failure_after_setting_aside_puts_the_old_vault_back(old_vault, monkeypatch):
    before = fingerprint(old_vault)

    def crash(step):
        if step == "set-aside":
            raise OSError("disk full")

    monkeypatch.setattr(vault_store_module, "_checkpoint", crash)
    with pytest.raises(OSError):
        Identity.restore_replacing(old_vault, NEW_PASSPHRASE, HARDHAT_PHRASE, kdf_target=0)
    assert fingerprint(old_vault) == before and not list(old_vault.glob("replaced-vault-*"))
    store = VaultStore(old_vault)
    store.unlock(PASSPHRASE)
    store.lock()


def test_a_failure_while_making_the_new_vault_puts_the_old_one_back(old_vault, monkeypatch):
    """The new vault is half made (its database written) when it fails: that half is
    removed, the old vault returns as it was."""
    before = fingerprint(old_vault)

    def fail(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Identity, "add_account", fail)
    with pytest.raises(OSError):
        Identity.restore_replacing(old_vault, NEW_PASSPHRASE, HARDHAT_PHRASE, kdf_target=0)
    assert fingerprint(old_vault) == before and not list(old_vault.glob("replaced-vault-*"))
