import pytest

from tests.conftest import HARDHAT_ADDRESS_0, HARDHAT_PHRASE, PASSPHRASE
from vault.did import resolve
from vault.errors import InvalidRecoveryPhrase, NotFound, UnsupportedDidMethod, VaultExists
from vault.identity import Identity
from vault.store import VaultStore


def test_new_vault_has_a_default_did_key_and_an_account(tmp_path):
    identity, phrase = Identity.create(tmp_path / "v", PASSPHRASE, words=24, kdf_target=0)
    assert len(phrase.split()) == 24
    dids = identity.dids()
    assert [d.method for d in dids] == ["key", "pkh"]
    assert identity.default_did().did.startswith("did:key:z6Mk")
    assert dids[1].did == "did:pkh:eip155:1:" + identity.accounts()[0].address
    assert identity.recovery_phrase() == phrase


def test_restore_from_phrase_gives_same_dids_and_addresses(tmp_path, identity):
    extra = [identity.create_did("key", "second"), identity.create_did("jwk", "work"), identity.create_did("pkh")]
    before = [d.did for d in identity.dids()]
    assert identity.accounts()[0].address == HARDHAT_ADDRESS_0

    again = Identity.restore(tmp_path / "elsewhere", "another passphrase", HARDHAT_PHRASE, kdf_target=0)
    for record in extra:  # DIDs beyond the first come back by creating them again, in order
        again.create_did(record.method)
    assert [d.did for d in again.dids()] == before
    assert [a.address for a in again.accounts()] == [a.address for a in identity.accounts()]


def test_every_did_resolves_and_signing_key_matches(identity):
    jwk = identity.create_did("jwk")
    for record in identity.dids():
        doc = resolve(record.did)
        assert doc["id"] == record.did
    key = identity.signing_key(identity.default_did().did)
    pub = key.public_key().public_bytes_raw()
    from vault.did import multikey
    method = resolve(identity.default_did().did)["verificationMethod"][0]
    assert multikey.decode(method["publicKeyMultibase"])[1] == pub
    jwk_doc = resolve(jwk.did)
    assert jwk_doc["verificationMethod"][0]["publicKeyJwk"]["crv"] == "Ed25519"
    with pytest.raises(UnsupportedDidMethod):
        identity.signing_key(identity.dids()[1].did)  # did:pkh signs with its account key


def test_name_default_and_persistence(tmp_path, identity):
    second = identity.create_did("key")
    identity.rename_did(second.did, "  Job applications ")
    identity.set_default(second.did)
    identity.store.lock()
    store = VaultStore(identity.store.data_dir)
    store.unlock(PASSPHRASE)
    reopened = Identity(store)
    assert reopened.default_did().did == second.did
    assert reopened.get_did(second.did).name == "Job applications"
    assert sum(d.is_default for d in reopened.dids()) == 1
    store.lock()


def test_errors_are_clear(tmp_path, identity):
    with pytest.raises(UnsupportedDidMethod, match="did:web"):
        identity.create_did("web")
    with pytest.raises(NotFound):
        identity.set_default("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp")
    with pytest.raises(InvalidRecoveryPhrase):
        Identity.restore(tmp_path / "x", PASSPHRASE, "test " * 12, kdf_target=0)
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())
    with pytest.raises(VaultExists):
        Identity.restore(identity.store.data_dir, PASSPHRASE, HARDHAT_PHRASE, kdf_target=0)


def test_phrase_confirmation_is_remembered(tmp_path, identity):
    assert identity.phrase_confirmed  # restored by typing the phrase: proven written down
    created, _ = Identity.create(tmp_path / "new", PASSPHRASE, kdf_target=0)
    assert not created.phrase_confirmed
    created.confirm_phrase()
    created.store.lock()
    store = VaultStore(tmp_path / "new")
    store.unlock(PASSPHRASE)
    assert Identity(store).phrase_confirmed
    store.lock()


def test_failed_setup_leaves_no_half_vault(tmp_path, monkeypatch):
    def broken(self, method, name=""):
        raise OSError("disk full")
    monkeypatch.setattr(Identity, "create_did", broken)
    with pytest.raises(OSError):
        Identity.create(tmp_path / "v", PASSPHRASE, kdf_target=0)
    assert not VaultStore.exists_in(tmp_path / "v")
