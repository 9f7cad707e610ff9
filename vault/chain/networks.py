"""Which network the vault uses, and deployment manifests.

Two kinds of network:

- ``embedded`` (the default): the in-process chain in ``<data_dir>/chain/embedded.sqlite``
  (see embedded.py); its manifest lives inside that database.
- ``rpc``: any EVM JSON-RPC URL, with a deployment manifest: a JSON file that says which
  chain the suite was deployed on and where. Bundled manifests are in
  ``resources/networks/<name>.json`` and can be named instead of given as a path.

The choice is kept in ``<data_dir>/chain/network.json`` (written atomically, 0600). It is a
plain file, not a vault setting, so that the network can be shown and read before the
vault is unlocked (``vault chain status`` needs no passphrase). It holds no secret: a
network name, a URL and a manifest path. If your provider puts an API key in its URL,
that key is stored there in plaintext, like in any wallet's config file; status output
hides it.

Manifest format (``"format": "blocktrack-manifest/1"``)::

    {"format": "blocktrack-manifest/1", "name": "anvil-local", "chain_id": 31337,
     "deployment_block": 1, "deployer": "0x...",
     "contracts": {"timelock": "0x...", "token": "0x...", "governor": "0x...",
                   "staking": "0x...", "marketplace": "0x...", "soulbound": "0x..."},
     "parameters": {... deploy-parameters.json as deployed ...}}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .. import safejson   # a manifest may come from anyone: "[[[[…" is an error, not a crash
from ..errors import ChainError
from ..store.atomic import ensure_private_dir, write_atomic
from .contracts import SUITE

EMBEDDED = "embedded"
RPC = "rpc"
MANIFEST_FORMAT = "blocktrack-manifest/1"
NETWORKS_DIR = Path(__file__).resolve().parents[2] / "resources" / "networks"
CONFIG_NAME = "network.json"
# What the embedded chain is, in the status bar's and the command line's words.
LOCAL_CHAIN_TEXT = "Local test chain: these BTK exist only on this computer"
# Its welcome grant, once per vault account (in wei): modest test tokens (nobody should
# think they hold millions), enough to send, stake, post a gig and propose (1,000 votes)
# with room to spare; passing a proposal needs the 4 % quorum, far above it. Here, not in
# embedded.py, so the pages that say it need not load py-evm.
FAUCET_GRANT_ETH = 1 * 10**18
FAUCET_GRANT_BTK = 5_000 * 10**18
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def chain_dir(data_dir: Path) -> Path:
    """``<data_dir>/chain``: the embedded chain's database and the network choice."""
    return Path(data_dir) / "chain"


@dataclass(frozen=True)
class Manifest:
    chain_id: int
    contracts: dict[str, str]
    deployment_block: int
    name: str = ""
    deployer: str = ""
    parameters: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"format": MANIFEST_FORMAT, "name": self.name, "chain_id": self.chain_id,
                "deployment_block": self.deployment_block, "deployer": self.deployer,
                "contracts": dict(self.contracts), "parameters": self.parameters}

    @classmethod
    def from_json(cls, data, source: str = "the manifest") -> "Manifest":
        def bad(why: str) -> ChainError:
            return ChainError("invalid-manifest", f"{source} is not a valid deployment manifest: {why}.")

        if not isinstance(data, dict):
            raise bad("it is not a JSON object")
        if data.get("format", MANIFEST_FORMAT) != MANIFEST_FORMAT:
            raise bad(f"unknown format {data.get('format')!r} (expected {MANIFEST_FORMAT})")
        chain_id, block = data.get("chain_id"), data.get("deployment_block", 0)
        if not isinstance(chain_id, int) or isinstance(chain_id, bool) or chain_id <= 0:
            raise bad("chain_id must be a positive integer")
        if not isinstance(block, int) or isinstance(block, bool) or block < 0:
            raise bad("deployment_block must be a block number")
        contracts = data.get("contracts")
        if not isinstance(contracts, dict):
            raise bad("it has no contracts")
        missing = [k for k in SUITE if k not in contracts]
        if missing:
            raise bad("no address for " + ", ".join(missing))
        for key in contracts:   # the core's and any extension's (vault/chain/extensions)
            if not isinstance(key, str) or not key or len(key) > 64:
                raise bad(f"{key!r} is not a contract name")
            if not isinstance(contracts[key], str) or not _ADDRESS.fullmatch(contracts[key]):
                raise bad(f"the {key} address {contracts[key]!r} is not an address")
        deployer = data.get("deployer", "")
        if deployer and (not isinstance(deployer, str) or not _ADDRESS.fullmatch(deployer)):
            raise bad("deployer is not an address")
        # start-up: eth_utils ~160 ms; the network profile is read without it
        from eth_utils import to_checksum_address

        return cls(chain_id=chain_id, deployment_block=block, name=str(data.get("name", "")),
                   deployer=to_checksum_address(deployer) if deployer else "",
                   contracts={k: to_checksum_address(v) for k, v in contracts.items()},
                   parameters=data.get("parameters") or {})

    @classmethod
    def load(cls, path: Path | str) -> "Manifest":
        path = resolve_manifest(path)
        try:
            data = safejson.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ChainError("invalid-manifest", f"Cannot read the manifest {path}: {exc.strerror}.") from exc
        except ValueError as exc:
            raise ChainError("invalid-manifest", f"The manifest {path} is not JSON ({exc}).") from exc
        return cls.from_json(data, f"The manifest {path}")

    def save(self, path: Path | str) -> Path:
        path = Path(path)
        write_atomic(path, (json.dumps(self.to_json(), indent=2) + "\n").encode())
        return path


def bundled_manifests() -> dict[str, Path]:
    return {p.stem: p for p in sorted(NETWORKS_DIR.glob("*.json"))}


def resolve_manifest(name_or_path: Path | str) -> Path:
    """A manifest path, or the name of one bundled in resources/networks/."""
    path = Path(name_or_path).expanduser()
    if path.exists() or path.suffix or "/" in str(name_or_path):
        return path
    bundled = bundled_manifests().get(str(name_or_path))
    if bundled is None:
        known = ", ".join(bundled_manifests()) or "none"
        raise ChainError("invalid-manifest", f"There is no manifest file {name_or_path} and no bundled "
                                             f"network of that name (bundled: {known}).")
    return bundled


@dataclass(frozen=True)
class NetworkProfile:
    kind: str = EMBEDDED  # "embedded" | "rpc"
    url: str = ""
    manifest: str = ""  # path (or bundled name) of the manifest, rpc only

    def to_json(self) -> dict:
        if self.kind == EMBEDDED:
            return {"network": EMBEDDED}
        return {"network": RPC, "url": self.url, "manifest": self.manifest}

    @classmethod
    def from_json(cls, data: dict) -> "NetworkProfile":
        kind = data.get("network", EMBEDDED)
        if kind == EMBEDDED:
            return cls()
        if kind == RPC and data.get("url") and data.get("manifest"):
            return cls(RPC, str(data["url"]), str(data["manifest"]))
        raise ChainError("invalid-network", f"The network settings name an unknown network {kind!r}; "
                                            "choose one with `vault chain use`.")

    @property
    def display_url(self) -> str:
        return redact_url(self.url)


def redact_url(url: str) -> str:
    """The URL without user info or query (where providers put API keys)."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    netloc = ("***@" if parts.username or parts.password else "") + host
    return urlunsplit((parts.scheme, netloc, parts.path, "***" if parts.query else "", ""))


def load_profile(data_dir: Path) -> NetworkProfile:
    path = chain_dir(data_dir) / CONFIG_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return NetworkProfile()
    except (OSError, ValueError) as exc:
        raise ChainError("invalid-network", f"{path} is unreadable ({exc}); choose the network again "
                                            "with `vault chain use`.") from exc
    if not isinstance(data, dict):
        raise ChainError("invalid-network", f"{path} is damaged; choose the network again with "
                                            "`vault chain use`.")
    return NetworkProfile.from_json(data)


def save_profile(data_dir: Path, profile: NetworkProfile) -> None:
    folder = chain_dir(data_dir)
    ensure_private_dir(Path(data_dir))
    ensure_private_dir(folder)
    write_atomic(folder / CONFIG_NAME, (json.dumps(profile.to_json(), indent=2) + "\n").encode())
