"""The committed artifacts: complete, built with the pinned compiler and settings, and in
step with the Solidity sources (without Node: the sources' hashes are in the artifacts).
`node resources/contracts/build.mjs --check` is the byte-for-byte check CI runs."""

import hashlib
import json

import pytest

from tests.contracts.harness import ARTIFACTS, CONTRACTS

SUITE = [
    "BTKToken",
    "BlocktrackGovernor",
    "BlocktrackTimelock",
    "BlocktrackWeightedGovernor",
    "Constitution",
    "CrossChainVotes",
    "GrantEscrow",
    "Marketplace",
    "ParticipationRewards",
    "PeerReview",
    "PollRegistry",
    "ReputationRegistry",
    "RewardsPool",
    "SoulboundCredential",
    "StakingPool",
    "SubDaoGrants",
    "SubDaoTreasury",
    "TalentMarket",
    "VoteEscrow",
]
TEST_ONLY = ["TestEscrowAttacker", "TestReentrantToken", "TestRemoteVotes"]
KEYS = ["contractName", "sourceName", "testOnly", "abi", "bytecode", "deployedBytecode", "compiler", "sourceHashes"]
EIP170_LIMIT = 24_576


def artifact_paths():
    return sorted(ARTIFACTS.rglob("*.json"))


def test_the_suite_and_only_the_suite_is_outside_test():
    assert sorted(p.stem for p in ARTIFACTS.glob("*.json")) == SUITE
    assert sorted(p.stem for p in (ARTIFACTS / "test").glob("*.json")) == TEST_ONLY


@pytest.mark.parametrize("path", artifact_paths(), ids=lambda p: p.stem)
def test_artifact_shape_and_settings(path):
    text = path.read_text()
    artifact = json.loads(text)
    assert list(artifact) == KEYS
    assert text == json.dumps(artifact, indent=2, ensure_ascii=False) + "\n"  # the builder's exact format
    assert artifact["contractName"] == path.stem
    assert artifact["testOnly"] == (path.parent.name == "test")
    assert artifact["sourceName"].startswith("src/test/" if artifact["testOnly"] else "src/")
    compiler = artifact["compiler"]
    pinned = json.loads((CONTRACTS / "package.json").read_text())["dependencies"]
    assert compiler["version"].startswith(pinned["solc"] + "+commit.")
    assert compiler["settings"]["evmVersion"] == "cancun"
    assert compiler["settings"]["optimizer"] == {"enabled": True, "runs": 200}
    assert compiler["settings"]["viaIR"] is False
    assert artifact["bytecode"].startswith("0x") and len(artifact["bytecode"]) > 2
    runtime = bytes.fromhex(artifact["deployedBytecode"][2:])
    assert 0 < len(runtime) <= EIP170_LIMIT
    assert "__$" not in artifact["bytecode"]  # no unlinked libraries


@pytest.mark.parametrize("path", artifact_paths(), ids=lambda p: p.stem)
def test_artifacts_match_the_sources(path):
    """A .sol edited without a rebuild fails here, on any machine, Node or not."""
    hashes = json.loads(path.read_text())["sourceHashes"]
    own = {name: digest for name, digest in hashes.items() if name.startswith("src/")}
    assert json.loads(path.read_text())["sourceName"] in own
    for name, digest in own.items():
        actual = hashlib.sha256((CONTRACTS / name).read_bytes()).hexdigest()
        assert actual == digest, f"{name} changed since {path.name} was built: run node resources/contracts/build.mjs"
    library = [name for name in hashes if name.startswith("@openzeppelin/contracts/")]
    installed = CONTRACTS / "node_modules"
    for name in library:
        if installed.exists():
            assert hashlib.sha256((installed / name).read_bytes()).hexdigest() == hashes[name], name


def test_lockfile_pins_the_compiler_and_library():
    lock = json.loads((CONTRACTS / "package-lock.json").read_text())
    packages = lock["packages"]
    assert packages["node_modules/solc"]["version"] == "0.8.37"
    assert packages["node_modules/@openzeppelin/contracts"]["version"] == "5.7.0"
    for name, entry in packages.items():
        assert entry.get("integrity", "sha512-" if name == "" else "").startswith("sha512-"), name
        # Registry packages only: no git, file or tarball-URL dependencies.
        resolved = entry.get("resolved")
        assert resolved is None or (resolved.startswith("https://") and "/-/" in resolved), name
