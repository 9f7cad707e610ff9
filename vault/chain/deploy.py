"""Deploy the Blocktrack suite to any node and describe it in a manifest.

The order and wiring (resources/contracts/README.md, "Deployment order"):

1. BlocktrackTimelock(minDelay, proposers=[], executors=[0x0] (anyone), admin=deployer)
2. BTKToken: half of the fixed supply to the timelock (the treasury), half to the deployer
3. BlocktrackWeightedGovernor(token, timelock, votingDelay, votingPeriod, threshold, quorum %,
   configurator=deployer): wired to its power sources by the weighted-governor extension
4. the timelock grants PROPOSER_ROLE and CANCELLER_ROLE to the governor, then the
   deployer renounces DEFAULT_ADMIN_ROLE: from here on only governance changes anything
5. StakingPool (initial validators), Marketplace, SoulboundCredential (initial issuers),
   each governed by the timelock from its constructor on
6. the deployer funds the staking reward reserve
7. the extensions (vault/chain/extensions/), in their order, each governed by the timelock

Used by ``vault chain deploy`` (any JSON-RPC node), by the embedded chain's first run
(``setup_embedded``: the suite plus demo data) and by the contract tests' harness.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Callable

from eth_account import Account

from . import extensions
from .abi import constructor_data
from .contracts import BTK, SUITE, ZERO_ADDRESS, deploy_parameters, load_artifact
from .demo import DEMO_GIGS, allow_marketplace
from .embedded import dev_address, dev_key
from .extensions import DeployContext
from .networks import Manifest

# Tests set this to simulate a crash at a named step (as vault.store does).
_checkpoint: Callable[[str], None] = lambda step: None

DEMO_CLIENT_BTK = 100_000
DEMO_ISSUER_BTK = 1_000


def deploy_suite(chain, deployer_key: bytes, *, operators: list[str], issuers: list[str],
                 params: dict | None = None, name: str = "",
                 progress: Callable[[str], None] | None = None) -> Manifest:
    """Deploy and wire the whole suite with ``deployer_key`` on ``chain`` (a connected
    ``client.Chain``: not imported here, the client imports this module); returns its manifest.

    ``operators`` are the operators of the initial validators (one per validator in the
    parameters), ``issuers`` the accounts given ISSUER_ROLE on SoulboundCredential."""
    p = params or deploy_parameters()
    say = progress or (lambda _msg: None)
    deployer = Account.from_key(deployer_key).address
    validators = p["staking"]["validators"]
    if len(operators) != len(validators):
        raise ValueError(f"{len(validators)} validators need {len(validators)} operators")
    d = _Deployer(chain, deployer_key, say)
    create, call = d.create, d.call
    t = p["token"]
    timelock = create("BlocktrackTimelock", p["timelock"]["minDelaySeconds"], [], [ZERO_ADDRESS], deployer)
    token = create("BTKToken", [timelock, deployer], [t["treasuryAllocation"] * BTK, t["deployerAllocation"] * BTK])
    g = p["governor"]
    # The deployer wires its power sources once, when the extensions exist (weighted_governor.py).
    governor = create("BlocktrackWeightedGovernor", token, timelock, g["votingDelayBlocks"], g["votingPeriodBlocks"],
                      g["proposalThreshold"] * BTK, g["quorumPercent"], deployer)
    say("handing the timelock to the governor")
    timelock_handle = chain.w3.eth.contract(address=timelock, abi=load_artifact("BlocktrackTimelock")["abi"])
    for role in ("PROPOSER_ROLE", "CANCELLER_ROLE"):
        call(timelock, "BlocktrackTimelock", "grantRole", getattr(timelock_handle.functions, role)().call(), governor)
    call(timelock, "BlocktrackTimelock", "renounceRole",
         timelock_handle.functions.DEFAULT_ADMIN_ROLE().call(), deployer)
    s = p["staking"]
    staking = create("StakingPool", token, timelock, (s["rewardRatePerBlock"] * BTK, s["cooldownBlocks"]),
                     [(chain.w3.to_checksum_address(op), v["name"], v["commissionBps"])
                      for op, v in zip(operators, validators)])
    marketplace = create("Marketplace", token, timelock, p["marketplace"]["feeBps"])
    soulbound = create("SoulboundCredential", token, timelock, p["soulbound"]["issuanceFee"] * BTK,
                       [chain.w3.to_checksum_address(i) for i in issuers])
    say("funding the staking reward reserve")
    reserve = s["initialRewardReserve"] * BTK
    call(token, "BTKToken", "approve", staking, reserve)
    call(staking, "StakingPool", "fundRewards", reserve)
    addresses = dict(zip(SUITE, (timelock, token, governor, staking, marketplace, soulbound)))
    for extension in extensions.registered():
        addresses[extension.key] = d.deploy_extension(extension, addresses, p)
    return Manifest(chain_id=chain.chain_id, contracts=addresses, deployment_block=min(d.blocks),
                    name=name, deployer=deployer, parameters=p)


class _Deployer:
    """Sends the deployer's transactions in order (its own nonce count) and records their
    blocks (the manifest's deployment block is the first)."""

    def __init__(self, chain, key: bytes, say: Callable[[str], None]):
        self.chain, self.key, self.say = chain, key, say
        self.address = Account.from_key(key).address
        self.nonce = chain.nonce(self.address)
        self.blocks: list[int] = []

    def send(self, tx: dict):
        receipt = self.chain.transact(self.key, tx, nonce=self.nonce)
        self.nonce += 1
        self.blocks.append(receipt.blockNumber)
        return receipt

    def create(self, contract: str, *args) -> str:
        self.say(f"deploying {contract}")
        address = self.send({"data": constructor_data(contract, *args)}).contractAddress
        _checkpoint(f"deployed {contract}")
        return address

    def call(self, address: str, contract: str, fn: str, *args) -> None:
        handle = self.chain.w3.eth.contract(address=address, abi=load_artifact(contract)["abi"])
        self.send({"to": address, "data": handle.encode_abi(fn, list(args))})

    def deploy_extension(self, extension, addresses: dict[str, str], params: dict) -> str:
        ctx = DeployContext(chain=self.chain, addresses=dict(addresses), params=params, deployer=self.address,
                            create=self.create, call=self.call, send=self.send)
        return self.chain.w3.to_checksum_address(extension.deploy(ctx))


def deploy_missing(chain, deployer_key: bytes, manifest: Manifest, *,
                   progress: Callable[[str], None] | None = None) -> tuple[Manifest, list]:
    """Deploy the extensions ``manifest`` lacks (a deployment made by an older version),
    in order; returns the completed manifest and the extensions deployed. The parameters
    of a new extension come from the manifest's, else from deploy-parameters.json."""
    todo = extensions.missing(manifest.contracts)
    if not todo:
        return manifest, []
    params = json.loads(json.dumps(manifest.parameters or {}))
    defaults = deploy_parameters()
    for key, value in defaults.items():
        params.setdefault(key, value)
    d = _Deployer(chain, deployer_key, progress or (lambda _msg: None))
    addresses = dict(manifest.contracts)
    for extension in todo:
        addresses[extension.key] = d.deploy_extension(extension, addresses, params)
    return replace(manifest, contracts=addresses, parameters=params), todo


def setup_embedded(chain) -> Manifest:
    """The embedded chain's first run: the suite (deployed by the faucet), two validators,
    a credential issuer and a few open gigs from a demo client, who pays into escrow when
    one is accepted (vault.chain.demo)."""
    manifest = deploy_suite(chain, dev_key("faucet"), operators=[dev_address("operator-a"), dev_address("operator-b")],
                            issuers=[dev_address("issuer")], name="embedded")
    chain.set_manifest(manifest)
    token, marketplace = chain.contracts.token, chain.contracts.marketplace
    faucet = dev_key("faucet")
    for role, amount in (("client", DEMO_CLIENT_BTK), ("issuer", DEMO_ISSUER_BTK)):
        chain.transact(faucet, {"to": token.address,
                                "data": token.encode_abi("transfer", [dev_address(role), amount * BTK])})
    for kind, price, window, details in DEMO_GIGS:
        chain.transact(dev_key("client"), {"to": marketplace.address, "data": marketplace.encode_abi(
            "post", [kind, price * BTK, ZERO_ADDRESS, 0, window, details])})
    allow_marketplace(chain)
    for extension in extensions.registered():
        if extension.demo is not None:
            extension.demo(chain)
    return manifest


def upgrade_embedded(chain) -> list:
    """An embedded chain made by an older version: deploy the extensions it lacks (by
    the faucet, as on a first run), set the manifest, add their demo data; returns them."""
    manifest, added = deploy_missing(chain, dev_key("faucet"), chain.manifest)
    if added:
        chain.set_manifest(manifest)
        for extension in added:
            if extension.demo is not None:
                extension.demo(chain)
    return added
