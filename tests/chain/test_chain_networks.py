"""Network profiles and manifests; connecting to nodes that are down or not nodes."""

from __future__ import annotations

import http.server
import json
import threading
import time

import pytest

from tests.chain.conftest import closed_port
from vault.chain import client, networks
from vault.chain.networks import Manifest, NetworkProfile
from vault.errors import ChainError

ADDRESSES = {k: f"0x{i:040x}" for i, k in enumerate(
    ["timelock", "token", "governor", "staking", "marketplace", "soulbound"], start=1)}


def test_manifest_round_trip_and_bundled_name(tmp_path):
    manifest = Manifest(chain_id=5, contracts=ADDRESSES, deployment_block=9, name="x")
    path = manifest.save(tmp_path / "m.json")
    loaded = Manifest.load(path)
    assert loaded.chain_id == 5 and loaded.deployment_block == 9 and loaded.contracts["token"] == \
        "0x0000000000000000000000000000000000000002"
    assert Manifest.load("anvil-local").chain_id == 31337
    assert networks.resolve_manifest("anvil-local") == networks.NETWORKS_DIR / "anvil-local.json"


@pytest.mark.parametrize("change, why", [
    ({"chain_id": 0}, "chain_id must be a positive integer"),
    ({"chain_id": "1"}, "chain_id must be a positive integer"),
    ({"format": "other/2"}, "unknown format"),
    ({"contracts": {"token": ADDRESSES["token"]}}, "no address for timelock, governor"),
    ({"contracts": dict(ADDRESSES, token="0x12")}, "the token address '0x12' is not an address"),
    ({"deployment_block": -1}, "deployment_block must be a block number"),
])
def test_manifest_validation(change, why):
    data = {"format": networks.MANIFEST_FORMAT, "chain_id": 1, "deployment_block": 0, "contracts": ADDRESSES}
    with pytest.raises(ChainError) as info:
        Manifest.from_json(data | change)
    assert info.value.reason == "invalid-manifest" and why in str(info.value)


def test_unreadable_manifests(tmp_path):
    (tmp_path / "bad.json").write_text("{nope")
    with pytest.raises(ChainError, match="is not JSON"):
        Manifest.load(tmp_path / "bad.json")
    with pytest.raises(ChainError, match="no bundled network of that name"):
        Manifest.load("no-such-network")


def test_profile_saved_in_the_data_folder(tmp_path):
    assert networks.load_profile(tmp_path) == NetworkProfile()  # embedded by default
    profile = NetworkProfile("rpc", "https://user:secret@node.example/v3/KEY?apikey=1", "anvil-local")
    networks.save_profile(tmp_path, profile)
    path = tmp_path / "chain" / "network.json"
    assert path.stat().st_mode & 0o777 == 0o600
    assert networks.load_profile(tmp_path) == profile
    assert profile.display_url == "https://***@node.example/v3/KEY?***"
    path.write_text("[]")
    with pytest.raises(ChainError) as info:
        networks.load_profile(tmp_path)
    assert info.value.reason == "invalid-network"


def test_unreachable_node_is_a_clear_error_at_once():
    url = f"http://127.0.0.1:{closed_port()}"
    started = time.monotonic()
    with pytest.raises(ChainError) as info:
        client.connect(NetworkProfile("rpc", url, "anvil-local"))
    assert time.monotonic() - started < 3  # no retries with back-off
    assert info.value.reason == "node-unreachable"
    assert "Cannot reach the node at http://127.0.0.1:" in str(info.value)


def test_a_server_that_is_not_a_node():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(ChainError) as info:
            client.connect_rpc(f"http://127.0.0.1:{server.server_port}", None)
        assert info.value.reason == "node-unreachable"
    finally:
        server.shutdown()
        server.server_close()


def test_only_http_urls():
    with pytest.raises(ChainError) as info:
        client.connect_rpc("ws://127.0.0.1:8546", None)
    assert info.value.reason == "invalid-network"


def test_bundled_anvil_manifest_matches_a_fresh_deployment(anvil_deployment):
    """resources/networks/anvil-local.json is what `vault chain deploy` makes on a fresh
    anvil with its first dev key (addresses follow from the deployer and its nonces)."""
    manifest, _ = anvil_deployment
    bundled = json.loads((networks.NETWORKS_DIR / "anvil-local.json").read_text())
    assert manifest.to_json() == bundled


def test_manifest_without_contracts_on_the_node(anvil_node, anvil_deployment, tmp_path):
    from dataclasses import replace

    manifest, _ = anvil_deployment
    elsewhere = replace(manifest, contracts={k: "0x" + "ab" * 20 for k in manifest.contracts})
    with pytest.raises(ChainError) as info:
        client.connect_rpc(anvil_node.url, elsewhere)
    assert info.value.reason == "not-deployed"
