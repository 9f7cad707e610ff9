"""Schema 8 (issuing) on a vault made before it: a version-7 vault upgrades on unlock,
keeps what it held, and can issue at once."""

from tests.conftest import HARDHAT_PHRASE, PASSPHRASE
from vault.identity import Identity
from vault.issuing.issuer import Issuer
from vault.store import VaultStore, schema


def test_a_version_7_vault_upgrades_and_issues(tmp_path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:7])
        patch.setattr(schema, "LATEST", 7)
        old = Identity.restore(tmp_path / "vault", PASSPHRASE, HARDHAT_PHRASE, kdf_target=0)
        holder = old.default_did().did
        assert old.store.schema_version == 7
        old.store.lock()
    store = VaultStore(tmp_path / "vault")
    store.unlock(PASSPHRASE)
    try:
        assert store.schema_version == schema.LATEST >= 8
        identity = Identity(store)
        assert identity.default_did().did == holder
        issuer = Issuer(identity)
        profile = issuer.profiles.create("Code Club", url="https://codeclub.example")
        achievement = issuer.profiles.add_achievement(profile.id, "First PR")
        record = issuer.issue(profile.id, achievement.id, holder)
        assert issuer.log()[0].id == record.id
    finally:
        store.lock()
