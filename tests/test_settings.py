import json
import os
import stat

import pytest

from tests.conftest import PASSPHRASE
from vault import settings
from vault.errors import ChainError, VaultError
from vault.settings import InvalidSetting, VaultSettings
from vault.store import VaultStore


def test_auto_lock_defaults_to_five_minutes_and_persists(identity):
    s = VaultSettings(identity.store)
    assert s.auto_lock_minutes == settings.DEFAULT_AUTO_LOCK_MINUTES == 5
    assert s.set_auto_lock_minutes(15) == 15
    store = identity.store
    store.lock()
    store.unlock(PASSPHRASE)
    assert VaultSettings(store).auto_lock_minutes == 15
    assert VaultSettings(store).set_auto_lock_minutes(settings.NEVER) == 0
    assert VaultSettings(store).auto_lock_minutes == 0


@pytest.mark.parametrize("bad", [-1, 24 * 60 + 1, 2.5, "5", True, None])
def test_auto_lock_refuses_what_it_cannot_use(identity, bad):
    s = VaultSettings(identity.store)
    with pytest.raises(InvalidSetting) as info:
        s.set_auto_lock_minutes(bad)
    assert isinstance(info.value, VaultError) and "minutes" in str(info.value)
    assert s.auto_lock_minutes == 5  # nothing was written


@pytest.mark.parametrize("stored", ["soon", "-3", "99999", ""])
def test_unreadable_auto_lock_falls_back_to_the_default_not_to_never(identity, stored):
    identity.store.set_setting(settings.AUTO_LOCK_KEY, stored)
    assert VaultSettings(identity.store).auto_lock_minutes == settings.DEFAULT_AUTO_LOCK_MINUTES


def test_auto_lock_is_inside_the_encrypted_vault(identity):
    VaultSettings(identity.store).set_auto_lock_minutes(17)
    data_dir = identity.store.data_dir
    identity.store.lock()
    assert not (data_dir / settings.PREFERENCES_NAME).exists()
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert settings.AUTO_LOCK_KEY.encode() not in path.read_bytes()


def test_theme_preference_is_a_private_file_beside_the_vault(tmp_path):
    assert settings.load_preferences(tmp_path / "none").theme == "system"
    settings.set_theme(tmp_path / "v", "dark")
    path = tmp_path / "v" / settings.PREFERENCES_NAME
    assert json.loads(path.read_text())["theme"] == "dark"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.load_preferences(tmp_path / "v").theme == "dark"
    with pytest.raises(InvalidSetting):
        settings.set_theme(tmp_path / "v", "sepia")
    assert settings.load_preferences(tmp_path / "v").theme == "dark"


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"theme": "sepia"}', '{"theme": 3}'])
def test_damaged_preferences_give_the_defaults(tmp_path, content):
    (tmp_path / settings.PREFERENCES_NAME).write_text(content)
    assert settings.load_preferences(tmp_path) == settings.Preferences()


def test_preferences_do_not_stop_a_restore_from_finding_the_vault(identity, tmp_path):
    # The file is not part of the vault: a folder with only preferences holds no vault.
    settings.set_theme(tmp_path / "other", "light")
    assert not VaultStore.exists_in(tmp_path / "other")


# ---- network -----------------------------------------------------------------------------

def _manifest(tmp_path):
    pytest.importorskip("vault.chain.networks")
    from vault.chain.contracts import SUITE
    data = {"format": "blocktrack-manifest/1", "name": "local", "chain_id": 31337,
            "deployment_block": 1,
            "contracts": {name: "0x" + f"{i + 1:040x}" for i, name in enumerate(SUITE)}}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data))
    return path


def test_network_is_embedded_until_chosen(tmp_path):
    pytest.importorskip("vault.chain.networks")
    assert settings.network_choice(tmp_path).kind == "embedded"


def test_rpc_network_is_checked_and_kept(tmp_path):
    manifest = _manifest(tmp_path)
    data_dir = tmp_path / "v"
    profile = settings.use_rpc_network(data_dir, " https://node.example:8545/rpc ", str(manifest))
    assert (profile.kind, profile.url, profile.manifest) == ("rpc", "https://node.example:8545/rpc",
                                                           str(manifest))
    assert settings.network_choice(data_dir) == profile
    settings.use_embedded_network(data_dir)
    assert settings.network_choice(data_dir).kind == "embedded"


@pytest.mark.parametrize("url", ["", "node.example:8545", "ftp://node.example", "http://", "ws://x:8546"])
def test_rpc_url_must_be_http(tmp_path, url):
    manifest = _manifest(tmp_path)
    with pytest.raises(InvalidSetting, match="http"):
        settings.use_rpc_network(tmp_path / "v", url, str(manifest))
    assert settings.network_choice(tmp_path / "v").kind == "embedded"


def test_rpc_needs_a_valid_manifest(tmp_path):
    pytest.importorskip("vault.chain.networks")
    with pytest.raises(InvalidSetting, match="manifest"):
        settings.use_rpc_network(tmp_path / "v", "http://127.0.0.1:8545", "  ")
    bad = tmp_path / "bad.json"
    bad.write_text('{"chain_id": 1}')
    with pytest.raises(ChainError):
        settings.use_rpc_network(tmp_path / "v", "http://127.0.0.1:8545", str(bad))
    assert not os.path.exists(tmp_path / "v" / "chain" / "network.json")


def test_explorers_are_checked_kept_and_reset_by_an_empty_field(tmp_path):
    from vault.credentials.blockcerts_anchor import EXPLORERS

    assert settings.status_explorers(tmp_path) == EXPLORERS
    settings.set_explorers(tmp_path, {"Bitcoin": " https://esplora.example/api ", "Ethereum": ""})
    assert settings.status_explorers(tmp_path) == EXPLORERS | {"Bitcoin": "https://esplora.example/api"}
    for chain, url in (("Bitcoin", "file:///etc/passwd"), ("Bitcoin", "javascript:alert(1)"),
                       ("Dogecoin", "https://x.example"), ("Bitcoin", "https://" + "a" * 600)):
        with pytest.raises(settings.InvalidSetting):
            settings.set_explorers(tmp_path, {chain: url})
    assert settings.status_explorers(tmp_path)["Bitcoin"] == "https://esplora.example/api"   # nothing lost
    settings.set_explorers(tmp_path, {"Bitcoin": ""})
    assert settings.status_explorers(tmp_path) == EXPLORERS


def test_a_hand_edited_preferences_file_cannot_point_anchors_elsewhere(tmp_path):
    """Attack: something rewrites preferences.json with a file: URL, an unknown chain and a
    non-string; each is ignored (the defaults stand) and the rest of the file still counts."""
    from vault.credentials.blockcerts_anchor import EXPLORERS

    (tmp_path / settings.PREFERENCES_NAME).write_text(json.dumps({
        "theme": "dark", "explorers": {"Bitcoin": "file:///etc/passwd", "Evil": "https://evil.example",
                                       "Ethereum": ["https://x"], "Bitcoin testnet": "https://t.example/api"}}))
    assert settings.load_preferences(tmp_path).theme == "dark"
    assert settings.status_explorers(tmp_path) == EXPLORERS | {"Bitcoin testnet": "https://t.example/api"}
