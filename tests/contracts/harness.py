"""The Blocktrack contract suite, deployed from the committed artifacts on an in-process
py-evm chain (eth-tester) running the Cancun fork the contracts are compiled for.

Deployment (the same order and wiring a deploy script should follow):

1. BlocktrackTimelock(minDelay, proposers=[], executors=[address(0)] (anyone), admin=deployer)
2. BTKToken with the whole fixed supply: half to the timelock (the treasury), half to the
   deployer, who distributes it (reward reserve, users)
3. BlocktrackGovernor(token, timelock, votingDelay, votingPeriod, threshold, quorum %)
4. the timelock grants PROPOSER_ROLE and CANCELLER_ROLE to the governor, then the
   deployer renounces DEFAULT_ADMIN_ROLE: from here on only governance changes anything
5. StakingPool, Marketplace and SoulboundCredential, each governed by the timelock from
   its constructor on (no ownership hand-over step, so no window where the deployer rules)
6. the deployer funds the staking reward reserve

conftest.py deploys it once per session and runs every test on a snapshot that is reverted
afterwards, so tests are independent and the whole directory stays fast.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_account import Account
from eth_tester.exceptions import TransactionFailed
from eth_utils import keccak, to_checksum_address
from web3 import Web3
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD

from vault.chain import contracts, revert

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "resources" / "contracts"
ARTIFACTS = CONTRACTS / "artifacts"
PARAMS = json.loads((CONTRACTS / "deploy-parameters.json").read_text())

BTK = 10**18
ZERO = "0x0000000000000000000000000000000000000000"
ANYONE = ZERO  # the timelock's "executor: anyone"
TX_GAS = 10_000_000

ROLE_NAMES = [
    "deployer",
    "alice",  # a large holder who delegates to herself and carries votes past quorum
    "bob",  # talent
    "carol",  # client
    "connector",
    "issuer",
    "operator_a",
    "operator_b",
    "mallory",  # holds nothing special and tries everything
    "gov",  # an EOA standing in for the timelock on stand-alone instances
]

# For the terminal summary: every custom error a test saw decoded, and the gas figures
# test_contract_gas.py measured.
SEEN_ERRORS: set[str] = set()
GAS: dict[str, int] = {}


# Artifacts and revert decoding are the app's own (vault/chain), shared with these tests.
load_artifact = contracts.load_artifact
all_artifacts = contracts.all_artifacts


def decode_error(raw: bytes) -> tuple[str, tuple]:
    """(name, args) of ABI-encoded revert data from any artifact's errors."""
    try:
        return revert.decode_error(raw)
    except ValueError as exc:
        raise AssertionError(str(exc)) from None


def revert_data(exc: BaseException) -> bytes:
    """The raw revert data behind a failed call or transaction (see vault.chain.revert)."""
    data = revert.revert_data(exc)
    if data is None:
        raise AssertionError(f"no revert data in {exc!r}")
    return data


@contextmanager
def reverts(name: str, *args):
    """Expect a revert with the custom error `name` (and `args`, if given)."""
    with pytest.raises((ContractLogicError, TransactionFailed)) as info:
        yield info
    got_name, got_args = decode_error(revert_data(info.value))
    SEEN_ERRORS.add(got_name)
    assert got_name == name, f"reverted with {got_name}{got_args}, expected {name}"
    if args:
        norm = tuple(a.lower() if isinstance(a, str) else a for a in got_args)
        want = tuple(a.lower() if isinstance(a, str) else a for a in args)
        assert norm == want, f"{name} args {got_args}, expected {args}"


@dataclass
class Chain:
    w3: Web3
    tester: object  # eth_tester.EthereumTester
    keys: dict[str, bytes]
    a: dict[str, str]  # role name -> address

    # -- transactions

    def send(self, fn, sender: str, value: int = 0):
        """Transact (a contract function or constructor) and return the receipt.

        A revert raises with its data from a preflight eth_call on the pending block,
        the block the transaction then lands in. The transaction carries a fixed gas limit:
        eth-tester's eth_estimateGas is a binary search that executes the transaction a
        dozen times or more, which made it the bulk of this suite's run time."""
        tx = fn.build_transaction({"from": sender, "value": value, "gas": TX_GAS})
        self.w3.eth.call({k: tx[k] for k in ("from", "to", "data", "value") if k in tx}, "pending")
        tx_hash = self.w3.eth.send_transaction(tx)
        receipt = self.w3.eth.get_transaction_receipt(tx_hash)
        assert receipt.status == 1
        return receipt

    def deploy(self, name: str, *args, sender: str | None = None):
        artifact = load_artifact(name)
        factory = self.w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
        receipt = self.send(factory.constructor(*args), sender or self.a["deployer"])
        return self.w3.eth.contract(address=receipt.contractAddress, abi=artifact["abi"])

    @staticmethod
    def events(contract, name: str, receipt) -> list:
        """The receipt's `name` events emitted by `contract` (other logs are skipped)."""
        return [
            e
            for e in getattr(contract.events, name)().process_receipt(receipt, errors=DISCARD)
            if e.address == contract.address
        ]

    def at(self, name: str, address: str):
        return self.w3.eth.contract(address=address, abi=load_artifact(name)["abi"])

    # -- time

    @property
    def block(self) -> int:
        return self.w3.eth.block_number

    @property
    def now(self) -> int:
        return self.w3.eth.get_block("latest")["timestamp"]

    def mine(self, blocks: int = 1) -> None:
        self.tester.mine_blocks(blocks)

    def advance_time(self, seconds: int) -> None:
        """Mine one block `seconds` after the latest one."""
        self.tester.time_travel(self.now + seconds)

    # -- signatures

    def sign_permit(self, token, owner: str, spender: str, value: int, deadline: int, nonce=None):
        nonce = token.functions.nonces(owner).call() if nonce is None else nonce
        typed = {
            "types": {
                "EIP712Domain": [
                    {"name": "name", "type": "string"},
                    {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"},
                    {"name": "verifyingContract", "type": "address"},
                ],
                "Permit": [
                    {"name": "owner", "type": "address"},
                    {"name": "spender", "type": "address"},
                    {"name": "value", "type": "uint256"},
                    {"name": "nonce", "type": "uint256"},
                    {"name": "deadline", "type": "uint256"},
                ],
            },
            "primaryType": "Permit",
            "domain": {
                "name": token.functions.name().call(),
                "version": "1",
                "chainId": self.w3.eth.chain_id,
                "verifyingContract": token.address,
            },
            "message": {
                "owner": owner,
                "spender": spender,
                "value": value,
                "nonce": nonce,
                "deadline": deadline,
            },
        }
        signed = Account.sign_typed_data(self.keys[_role_of(self, owner)], full_message=typed)
        return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def _role_of(chain: Chain, address: str) -> str:
    for role, addr in chain.a.items():
        if addr.lower() == address.lower():
            return role
    raise KeyError(address)


@dataclass
class Suite:
    chain: Chain
    token: object
    timelock: object
    governor: object
    staking: object
    marketplace: object
    soulbound: object

    def __getattr__(self, name):  # suite.w3, suite.send, suite.a ... come from the chain
        return getattr(self.chain, name)

    # -- governance

    def delegate_self(self, who: str) -> None:
        self.send(self.token.functions.delegate(who), who)

    def propose(self, calls, description: str, proposer: str | None = None) -> tuple[int, tuple]:
        """calls: [(contract, fn_name, args)]; returns (proposalId, proposal tuple)."""
        proposer = proposer or self.a["alice"]
        targets = [c.address for c, _, _ in calls]
        values = [0] * len(calls)
        calldatas = [c.encode_abi(fn, args=list(args)) for c, fn, args in calls]
        receipt = self.send(self.governor.functions.propose(targets, values, calldatas, description), proposer)
        (event,) = self.events(self.governor, "ProposalCreated", receipt)
        desc_hash = keccak(text=description)
        return event.args.proposalId, (targets, values, calldatas, desc_hash)

    def vote_and_queue(self, proposal_id: int, proposal: tuple, voters=None) -> None:
        voters = voters or [self.a["alice"]]
        snapshot = self.governor.functions.proposalSnapshot(proposal_id).call()
        self.mine(max(0, snapshot + 1 - self.block))
        for voter in voters:
            self.send(self.governor.functions.castVote(proposal_id, 1), voter)
        deadline = self.governor.functions.proposalDeadline(proposal_id).call()
        self.mine(max(0, deadline + 1 - self.block))
        assert self.governor.functions.state(proposal_id).call() == 4  # Succeeded
        self.send(self.governor.functions.queue(*proposal), self.a["alice"])

    def execute(self, proposal: tuple, executor: str | None = None):
        return self.send(self.governor.functions.execute(*proposal), executor or self.a["mallory"])

    def govern(self, calls, description: str):
        """A whole proposal cycle through the timelock; returns the execute receipt."""
        proposal_id, proposal = self.propose(calls, description)
        self.vote_and_queue(proposal_id, proposal)
        self.advance_time(PARAMS["timelock"]["minDelaySeconds"] + 1)
        return self.execute(proposal)


def make_chain(vm=None) -> Chain:
    from eth_tester import EthereumTester, PyEVMBackend
    from web3 import EthereumTesterProvider

    backend = PyEVMBackend(vm_configuration=((0, vm),)) if vm else PyEVMBackend()
    tester = EthereumTester(backend)
    w3 = Web3(EthereumTesterProvider(tester))
    keys = {role: key.to_bytes() for role, key in zip(ROLE_NAMES, backend.account_keys)}
    addresses = {role: to_checksum_address(addr) for role, addr in zip(ROLE_NAMES, w3.eth.accounts)}
    return Chain(w3=w3, tester=tester, keys=keys, a=addresses)


def deploy_suite(chain: Chain) -> Suite:
    p = PARAMS
    a = chain.a
    deployer = a["deployer"]

    timelock = chain.deploy("BlocktrackTimelock", p["timelock"]["minDelaySeconds"], [], [ANYONE], deployer)
    token = chain.deploy(
        "BTKToken",
        [timelock.address, deployer],
        [p["token"]["treasuryAllocation"] * BTK, p["token"]["deployerAllocation"] * BTK],
    )
    g = p["governor"]
    governor = chain.deploy(
        "BlocktrackGovernor",
        token.address,
        timelock.address,
        g["votingDelayBlocks"],
        g["votingPeriodBlocks"],
        g["proposalThreshold"] * BTK,
        g["quorumPercent"],
    )
    for role in ("PROPOSER_ROLE", "CANCELLER_ROLE"):
        role_id = getattr(timelock.functions, role)().call()
        chain.send(timelock.functions.grantRole(role_id, governor.address), deployer)
    admin = timelock.functions.DEFAULT_ADMIN_ROLE().call()
    chain.send(timelock.functions.renounceRole(admin, deployer), deployer)

    s = p["staking"]
    operators = [a["operator_a"], a["operator_b"]]
    validators = [(op, v["name"], v["commissionBps"]) for op, v in zip(operators, s["validators"])]
    staking = chain.deploy(
        "StakingPool",
        token.address,
        timelock.address,
        (s["rewardRatePerBlock"] * BTK, s["cooldownBlocks"]),
        validators,
    )
    marketplace = chain.deploy("Marketplace", token.address, timelock.address, p["marketplace"]["feeBps"])
    soulbound = chain.deploy(
        "SoulboundCredential", token.address, timelock.address, p["soulbound"]["issuanceFee"] * BTK, [a["issuer"]]
    )

    reserve = s["initialRewardReserve"] * BTK
    chain.send(token.functions.approve(staking.address, reserve), deployer)
    chain.send(staking.functions.fundRewards(reserve), deployer)

    # Test users. Alice's 5M BTK are 5% of the supply: past the 4% quorum on her own.
    for role, amount in [
        ("alice", 5_000_000),
        ("bob", 10_000),
        ("carol", 100_000),
        ("connector", 1_000),
        ("issuer", 1_000),
        ("mallory", 10_000),
        ("gov", 10_000),
    ]:
        chain.send(token.functions.transfer(a[role], amount * BTK), deployer)
    chain.send(token.functions.delegate(a["alice"]), a["alice"])
    chain.mine()  # votes count from the block after delegation
    return Suite(chain, token, timelock, governor, staking, marketplace, soulbound)


def gas_line() -> str | None:
    if not GAS:
        return None
    return "contract gas: " + ", ".join(f"{name} {used:,}" for name, used in GAS.items())


def coverage_line() -> str | None:
    """Which of our contracts' custom errors the tests saw (for the terminal summary)."""
    if not SEEN_ERRORS:
        return None
    own = set()
    for artifact in all_artifacts():
        if artifact["testOnly"]:
            continue
        own |= {i["name"] for i in artifact["abi"] if i["type"] == "error" and _declared_in_src(i["name"])}
    missing = sorted(own - SEEN_ERRORS)
    line = f"contract custom errors exercised: {len(own) - len(missing)}/{len(own)}"
    return line + (f"; not exercised: {', '.join(missing)}" if missing else "")


def _declared_in_src(error_name: str) -> bool:
    return any(f"error {error_name}(" in p.read_text() for p in (CONTRACTS / "src").glob("*.sol"))
