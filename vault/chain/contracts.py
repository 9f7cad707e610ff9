"""The Blocktrack contract suite as Python sees it: built artifacts and typed handles.

The artifacts (ABI + bytecode) are committed in ``resources/contracts/artifacts`` so that
neither the app nor its tests ever need Node; ``resources/contracts/README.md`` describes
every contract. Test-only contracts (``artifacts/test/``) are found when present (a source
checkout) and are not shipped in the package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import ChainError

CONTRACTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "contracts"
ARTIFACTS = CONTRACTS_DIR / "artifacts"
PARAMETERS_FILE = CONTRACTS_DIR / "deploy-parameters.json"

BTK = 10**18  # BTK has 18 decimals, like ETH
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"

# Manifest key -> artifact name, in deployment order.
SUITE: dict[str, str] = {
    "timelock": "BlocktrackTimelock",
    "token": "BTKToken",
    # A superset of BlocktrackGovernor's ABI: handles on older deployments' governors too.
    "governor": "BlocktrackWeightedGovernor",
    "staking": "StakingPool",
    "marketplace": "Marketplace",
    "soulbound": "SoulboundCredential",
}


@lru_cache(maxsize=None)
def _artifact(name: str) -> dict:
    path = ARTIFACTS / f"{name}.json"
    if not path.exists():
        path = ARTIFACTS / "test" / f"{name}.json"
    return json.loads(path.read_text())


def load_artifact(name: str) -> dict:
    """{contractName, abi, bytecode, deployedBytecode, ...} of one contract."""
    return _artifact(name)


@lru_cache(maxsize=1)
def _all_artifacts() -> tuple[dict, ...]:
    return tuple(json.loads(p.read_text()) for p in sorted(ARTIFACTS.rglob("*.json")))


def all_artifacts() -> list[dict]:
    """Every built artifact, test-only ones included when present."""
    return list(_all_artifacts())


@lru_cache(maxsize=1)
def _parameters() -> dict:
    return json.loads(PARAMETERS_FILE.read_text())


def deploy_parameters() -> dict:
    """The demo deployment parameters (``resources/contracts/deploy-parameters.json``)."""
    return json.loads(json.dumps(_parameters()))  # a copy the caller may change


@dataclass(frozen=True)
class Contracts:
    """web3 contract handles on one deployed suite."""

    timelock: object
    token: object
    governor: object
    staking: object
    marketplace: object
    soulbound: object
    # The extensions this network has (manifest key -> handle), and the titles of all
    # registered ones, for "… is not deployed on this network".
    extensions: dict = field(default_factory=dict, compare=False)
    extension_titles: dict = field(default_factory=dict, compare=False)

    @classmethod
    def at(cls, w3, addresses: dict[str, str], factory, extensions: dict[str, str] | None = None,
           titles: dict[str, str] | None = None) -> "Contracts":
        """Handles made by ``factory`` (a web3 Contract class): the client passes
        ``revert.decoding_contract_class()``, so that a read that reverts raises
        ChainError("reverted", the decoded reason), not web3's error. ``extensions`` maps
        the registered extensions' manifest keys to their artifacts; those ``addresses``
        has get handles."""
        def handle(key: str, name: str):
            return w3.eth.contract(address=w3.to_checksum_address(addresses[key]),
                                   abi=load_artifact(name)["abi"], ContractFactoryClass=factory)

        extras = {key: handle(key, name) for key, name in (extensions or {}).items() if key in addresses}
        return cls(**{key: handle(key, name) for key, name in SUITE.items()}, extensions=extras,
                   extension_titles=dict(titles or {}))

    def extension(self, key: str):
        """The handle of the extension ``key``; ChainError("not-deployed") when this
        network's deployment predates it."""
        if key in self.extensions:
            return self.extensions[key]
        title = self.extension_titles.get(key, f"the {key} contract")
        raise ChainError("not-deployed", f"{title[:1].upper()}{title[1:]} is not deployed on this network: its "
                                         "deployment was made by an older version. On the embedded chain, "
                                         "reopening the vault adds it; on another network, its operator runs "
                                         "`vault chain upgrade`.")

    def get(self, key: str):
        """A core contract or an extension, by manifest key."""
        return getattr(self, key) if key in SUITE else self.extension(key)

    def addresses(self) -> dict[str, str]:
        return {key: contract.address for key, contract in self.all()}

    def all(self) -> list[tuple[str, object]]:
        return [(key, getattr(self, key)) for key in SUITE] + list(self.extensions.items())

    def by_address(self, address: str):
        """(key, contract) of the suite contract at ``address``, or None."""
        for key, contract in self.all():
            if contract.address.lower() == str(address).lower():
                return key, contract
        return None

