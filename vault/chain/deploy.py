"""Deploy the Blocktrack suite to any node and describe it in a manifest.

The order and wiring (resources/contracts/README.md, "Deployment order"):

1. BlocktrackTimelock(minDelay, proposers=[], executors=[0x0] (anyone), admin=deployer)
2. BTKToken: half of the fixed supply to the timelock (the treasury), half to the deployer
3. BlocktrackGovernor(token, timelock, votingDelay, votingPeriod, threshold, quorum %)
4. the timelock grants PROPOSER_ROLE and CANCELLER_ROLE to the governor, then the
   deployer renounces DEFAULT_ADMIN_ROLE: from here on only governance changes anything
5. StakingPool (initial validators), Marketplace, SoulboundCredential (initial issuers),
   each governed by the timelock from its constructor on
6. the deployer funds the staking reward reserve

Used by ``vault chain deploy`` (any JSON-RPC node), by the embedded chain's first run
(``setup_embedded``: the suite plus demo data) and by the contract tests' harness.
"""

from __future__ import annotations

from typing import Callable

from eth_account import Account

from .abi import constructor_data
from .contracts import BTK, SUITE, ZERO_ADDRESS, deploy_parameters, load_artifact
from .demo import DEMO_GIGS, allow_marketplace
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
    nonce = chain.nonce(deployer)
    first_block: list[int] = []

    def send(tx: dict):
        nonlocal nonce
        receipt = chain.transact(deployer_key, tx, nonce=nonce)
        nonce += 1
        first_block.append(receipt.blockNumber)
        return receipt

    def create(contract: str, *args) -> str:
        say(f"deploying {contract}")
        address = send({"data": constructor_data(contract, *args)}).contractAddress
        _checkpoint(f"deployed {contract}")
        return address

    def call(address: str, contract: str, fn: str, *args) -> None:
        handle = chain.w3.eth.contract(address=address, abi=load_artifact(contract)["abi"])
        send({"to": address, "data": handle.encode_abi(fn, list(args))})

    t = p["token"]
    timelock = create("BlocktrackTimelock", p["timelock"]["minDelaySeconds"], [], [ZERO_ADDRESS], deployer)
    token = create("BTKToken", [timelock, deployer], [t["treasuryAllocation"] * BTK, t["deployerAllocation"] * BTK])
    g = p["governor"]
    governor = create("BlocktrackGovernor", token, timelock, g["votingDelayBlocks"], g["votingPeriodBlocks"],
                      g["proposalThreshold"] * BTK, g["quorumPercent"])
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
    return Manifest(chain_id=chain.chain_id, contracts=addresses, deployment_block=min(first_block),
                    name=name, deployer=deployer, parameters=p)


def setup_embedded(chain) -> Manifest:
    """The embedded chain's first run: the suite (deployed by the faucet), two validators,
    a credential issuer and a few open gigs from a demo client, who pays into escrow when
    one is accepted (vault.chain.demo)."""
    from .embedded import dev_address, dev_key

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
    return manifest
