"""Staking: validators, stake (= delegate to a validator), unstake through the cooldown,
withdraw, claim rewards, and an account's staking state.

Every write is a TxRequest for ``TxService`` (preview, then send). Staking BTK needs an
allowance first: ``stake_requests`` returns the approval (when the allowance is short)
and the stake; send them in order (``stake`` does). Checks that the contract would make
are made here first, so that the error names its cause before anything is signed:

  unknown-validator   no such validator
  validator-slashed   the validator was slashed and takes no new stake
  already-delegated   the account stakes with another validator
  insufficient-btk    the account holds less BTK than it wants to stake
  insufficient-stake  unstaking more than is staked
  no-unstake-request  withdrawing with nothing requested
  cooldown-not-over   withdrawing before the cooldown ends (says from which block)
  nothing-to-claim    no rewards yet
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import ChainError
from .plan import as_plan
from .transactions import with_gas_margin
from .units import format_amount, format_units, percent

log = logging.getLogger(__name__)

STAKE_GAS = 400_000  # the stake's preview limit while its approval is not mined yet
# Every pool action first brings the reward accrual up to the current block. A node that
# estimates on the latest block (anvil does) sees nothing to accrue there, while the
# transaction, mined one block later, writes the accrual: gas the estimate missed.
POOL_UPDATE_GAS = 60_000
_BLOCK_TIME_WINDOW = 50  # blocks looked at to estimate when a future block comes
# The pace assumed where the chain's own cannot be measured (Ethereum's slot time, as
# governance assumes): the embedded chain mines only on demand.
SECONDS_PER_BLOCK = 12


def _pool(chain):
    return chain.contracts.staking


# ---- reads: typed results (integer wei; to_json() is the CLI's --json) -----------------

@dataclass(frozen=True)
class Validator:
    id: int
    operator: str
    name: str             # the operator's own words: outside text
    commission_bps: int
    slashed: bool
    total_delegated: int  # wei
    total_unbonding: int  # wei

    @property
    def commission(self) -> str:
        return percent(self.commission_bps)

    def to_json(self) -> dict:
        return {"id": self.id, "operator": self.operator, "name": self.name, "commission_bps": self.commission_bps,
                "commission": self.commission, "slashed": self.slashed,
                "total_delegated": format_amount(self.total_delegated),
                "total_unbonding": format_amount(self.total_unbonding)}


@dataclass(frozen=True)
class Cooldown:
    """An unstake request on its way out. ``eta`` (UTC ISO) only where the chain's pace
    can be measured; ``seconds_estimate`` always, at that pace or else at
    SECONDS_PER_BLOCK (``block_time_measured`` says which)."""
    amount: int           # wei
    ready_at_block: int
    blocks_left: int
    ready: bool
    eta: str | None
    seconds_estimate: int
    block_time_measured: bool

    def to_json(self) -> dict:
        return {"amount": format_amount(self.amount), "ready_at_block": self.ready_at_block,
                "blocks_left": self.blocks_left, "ready": self.ready, "eta": self.eta,
                "seconds_estimate": self.seconds_estimate, "block_time_measured": self.block_time_measured}


@dataclass(frozen=True)
class StakingStatus:
    """An account's staking state at ``block``; ``available`` is the BTK it holds (what
    it can stake), ``validator`` the one it stakes with (None: none)."""
    address: str
    block: int
    staked: int           # wei, and so below
    validator: int | None
    pending_rewards: int
    available: int
    cooldown: Cooldown | None
    cooldown_blocks: int

    def to_json(self) -> dict:
        return {"address": self.address, "block": self.block, "staked": format_amount(self.staked),
                "validator": self.validator, "pending_rewards": format_amount(self.pending_rewards),
                "available": format_amount(self.available),
                "cooldown": self.cooldown.to_json() if self.cooldown else None,
                "cooldown_blocks": self.cooldown_blocks}


def validator_rows(chain) -> list[Validator]:
    """Every validator, in id order."""
    pool = _pool(chain)
    out = []
    for vid in range(pool.functions.validatorCount().call()):
        _, operator, name, bps, slashed, delegated, unbonding = pool.functions.validatorAt(vid).call()
        out.append(Validator(vid, operator, name, int(bps), bool(slashed), int(delegated), int(unbonding)))
    return out


def validators(chain) -> list[dict]:
    """``validator_rows`` as JSON: {id, operator, name, commission_bps, commission, slashed,
    total_delegated, total_unbonding} (amounts as decimal strings in whole BTK)."""
    return [v.to_json() for v in validator_rows(chain)]


def _validator(chain, validator_id: int) -> Validator:
    count = _pool(chain).functions.validatorCount().call()
    if not 0 <= validator_id < count:
        raise ChainError("unknown-validator", f"There is no validator {validator_id} (there are {count}: "
                                              f"0 to {count - 1}; see `vault stake validators`).")
    return validator_rows(chain)[validator_id]


def _measured_block_time(chain) -> float | None:
    """The chain's average seconds per block over its last blocks; None when it cannot
    tell (blocks mined only on demand, as on the embedded chain, say nothing of time)."""
    if chain.embedded is not None:
        return None
    try:
        latest = chain.block_number
        first = max(0, latest - _BLOCK_TIME_WINDOW)
        if latest == first:
            return None
        t_latest = chain.latest_timestamp()
        t_first = chain.w3.eth.get_block(first)["timestamp"]
    except Exception:
        log.debug("the block time could not be measured", exc_info=True)
        return None
    per_block = (t_latest - t_first) / (latest - first)
    return per_block if per_block >= 1 else None


def _block_eta(chain, blocks_left: int, per_block: float | None = None) -> str | None:
    """When the chain will reach a block ``blocks_left`` ahead (UTC ISO), from the average
    block time of the last blocks; None when it cannot tell (e.g. blocks only mined on
    demand, as on the embedded chain)."""
    if blocks_left <= 0:
        return None
    per_block = per_block if per_block is not None else _measured_block_time(chain)
    if per_block is None:
        return None
    try:
        t_latest = chain.latest_timestamp()
    except Exception:
        log.debug("the latest block's time could not be read", exc_info=True)
        return None
    moment = datetime.fromtimestamp(t_latest + per_block * blocks_left, timezone.utc)
    return moment.replace(microsecond=0).isoformat()


def status(chain, address: str) -> StakingStatus:
    """The staking state of ``address`` now."""
    pool = _pool(chain)
    address = chain.w3.to_checksum_address(address)
    staked = pool.functions.stakeOf(address).call()
    delegated, vid = pool.functions.delegationOf(address).call()
    pending = pool.functions.pendingRewards(address).call()
    amount, ready_at = pool.functions.unstakeRequest(address).call()
    block = chain.block_number
    cooldown = None
    if amount:
        # The contract allows it from block ready_at on; a withdrawal sent now goes into
        # the next block (as withdraw_request counts too).
        left = max(0, ready_at - (block + 1))
        per_block = _measured_block_time(chain) if left else None
        cooldown = Cooldown(int(amount), ready_at, left, left == 0, _block_eta(chain, left, per_block),
                            round(left * (per_block or SECONDS_PER_BLOCK)), per_block is not None)
    return StakingStatus(address, block, int(staked), vid if delegated else None, int(pending),
                         chain.btk_balance(address), cooldown, pool.functions.cooldownBlocks().call())


def status_lines(data: StakingStatus) -> list[str]:
    lines = [f"Account:          {data.address} (block {data.block})",
             f"Staked:           {format_amount(data.staked)} BTK"
             + (f" with validator {data.validator}" if data.validator is not None else ""),
             f"Pending rewards:  {format_amount(data.pending_rewards)} BTK",
             f"Available:        {format_amount(data.available)} BTK in the wallet, to stake"]
    c = data.cooldown
    if c is None:
        lines.append(f"Cooldown:         none (unstaking takes {data.cooldown_blocks} blocks)")
    elif c.ready:
        lines.append(f"Cooldown:         over: {format_amount(c.amount)} BTK can be withdrawn now")
    else:
        eta = f", about {c.eta}" if c.eta else ""
        lines.append(f"Cooldown:         {format_amount(c.amount)} BTK ready at block {c.ready_at_block} "
                     f"({c.blocks_left} blocks left{eta})")
    return lines


# ---- writes -----------------------------------------------------------------------------

def stake_refusal(validator: Validator | None, staking_with: int | None, held: int | None,
                  amount: int | None) -> str | None:
    """Why staking ``amount`` with ``validator`` (one of ``validator_rows``) would be refused,
    as stake_requests' reason, or None: "validator-slashed", "already-delegated" (the
    account stakes with ``staking_with``, another one: one validator at a time),
    "insufficient-btk" (it holds ``held``). What is not known yet (None) is not checked,
    so a form can ask as it is filled in."""
    if validator is not None and validator.slashed:
        return "validator-slashed"
    if validator is not None and staking_with is not None and staking_with != validator.id:
        return "already-delegated"
    if amount is not None and held is not None and amount > held:
        return "insufficient-btk"
    return None


def unstake_refusal(staked: int, amount: int) -> str | None:
    """"insufficient-stake" when ``amount`` is more than the ``staked``, else None."""
    return "insufficient-stake" if amount > staked else None


def stake_requests(service, sender: str, validator_id: int, amount: int) -> list:
    """[approve?, stake]: the approval only when the pool's allowance is short. The stake
    is previewed with a fixed gas limit while its approval is not mined."""
    chain = service.chain
    pool, token = _pool(chain), chain.contracts.token
    sender = chain.w3.to_checksum_address(sender)
    v = _validator(chain, validator_id)
    delegated, current = pool.functions.delegationOf(sender).call()
    held = chain.btk_balance(sender)
    refusal = stake_refusal(v, current if delegated else None, held, amount)
    if refusal == "validator-slashed":
        raise ChainError("validator-slashed", f"Validator {validator_id} ({v.name}) was slashed and takes no "
                                              "new stake; choose another validator.")
    if refusal == "already-delegated":
        raise ChainError("already-delegated", f"{sender} already stakes with validator {current}: unstake and "
                                              f"withdraw everything before staking with validator {validator_id}.")
    if refusal == "insufficient-btk":
        raise ChainError("insufficient-btk", f"Not enough BTK: {sender} holds {format_units(held)}, staking "
                                             f"needs {format_units(amount)}.", balance=str(held), needed=str(amount))
    requests = []
    approved = token.functions.allowance(sender, pool.address).call()
    if approved < amount:
        requests.append(service.contract_call("btk-approve", token, "approve", [pool.address, amount], sender,
                                              description=f"Allow the staking pool to take {format_units(amount)}",
                                              params={"spender": pool.address, "amount": str(amount)}))
    stake = service.contract_call("stake", pool, "stake", [validator_id, amount], sender,
                                  description=f"Stake {format_units(amount)} with validator {validator_id} "
                                              f"({v.name})",
                                  params={"validator": validator_id, "amount": str(amount)}, btk_amount=amount)
    stake.margin = POOL_UPDATE_GAS  # also when estimated again, once its approval is mined
    if requests:
        stake.gas = STAKE_GAS
    else:
        with_margin(service, stake)
    requests.append(stake)
    return requests


def with_margin(service, request):
    """Estimate ``request`` now (a revert raises its decoded reason) and give it a fixed
    gas limit with room for the pool's reward accrual (its margin: POOL_UPDATE_GAS)."""
    request.gas = None
    return with_gas_margin(service.chain, request, POOL_UPDATE_GAS)


def send_all(service, requests: list) -> list:
    """Send requests in order through TxService.run, without asking (scripts and tests):
    each later step estimated again with its own margin once the ones before are mined; a
    fee that rose after the preview is refused (FeeRoseError), never paid unasked."""
    return service.run(as_plan(requests), confirm=lambda ask: ask.rose is None)


def stake(service, sender: str, validator_id: int, amount: int) -> list:
    return send_all(service, stake_requests(service, sender, validator_id, amount))


def unstake_request(service, sender: str, amount: int, validator_id: int | None = None):
    """Start unstaking ``amount`` from the one validator ``sender`` stakes with; a
    ``validator_id`` given must be that one (an account stakes with one at a time)."""
    chain = service.chain
    pool = _pool(chain)
    sender = chain.w3.to_checksum_address(sender)
    if validator_id is not None:
        delegated, current = pool.functions.delegationOf(sender).call()
        if not delegated or current != validator_id:
            _validator(chain, validator_id)  # unknown-validator first, with the valid ids
            where = f"with validator {current}" if delegated else "with no validator"
            raise ChainError("not-delegated", f"{sender} stakes {where}, not with validator {validator_id}: "
                                              "there is nothing to unstake from it.")
    staked = pool.functions.stakeOf(sender).call()
    if unstake_refusal(staked, amount):
        raise ChainError("insufficient-stake", f"{sender} has {format_units(staked)} staked; it cannot unstake "
                                               f"{format_units(amount)}.", staked=str(staked), needed=str(amount))
    cooldown = pool.functions.cooldownBlocks().call()
    return with_margin(service, service.contract_call("unstake", pool, "requestUnstake", [amount], sender,
                                 description=f"Start unstaking {format_units(amount)} (cooldown {cooldown} blocks; "
                                             "earlier requests restart with it)",
                                 params={"amount": str(amount), "cooldown_blocks": cooldown}))


def withdraw_request(service, sender: str):
    chain = service.chain
    pool = _pool(chain)
    sender = chain.w3.to_checksum_address(sender)
    amount, ready_at = pool.functions.unstakeRequest(sender).call()
    if not amount:
        raise ChainError("no-unstake-request", "There is nothing to withdraw: start unstaking first "
                                               "(`vault stake unstake`).")
    # The next transaction goes into the next block.
    block = chain.block_number + 1
    if block < ready_at:
        eta = _block_eta(chain, ready_at - chain.block_number)
        raise ChainError("cooldown-not-over", f"The unstake cooldown is not over: {format_units(amount)} can be "
                                              f"withdrawn from block {ready_at} on ({ready_at - block} more "
                                              f"blocks{', about ' + eta if eta else ''}).",
                         ready_at_block=ready_at, block=chain.block_number)
    return with_margin(service, service.contract_call("withdraw", pool, "withdraw", [], sender,
                                 description=f"Withdraw {format_units(amount)} of unstaked BTK",
                                 params={"amount": str(amount)}))


def claim_request(service, sender: str):
    chain = service.chain
    pool = _pool(chain)
    sender = chain.w3.to_checksum_address(sender)
    pending = pool.functions.pendingRewards(sender).call()
    if not pending:
        raise ChainError("nothing-to-claim", "There are no rewards to claim yet.")
    return with_margin(service, service.contract_call("claim-rewards", pool, "claimRewards", [], sender,
                                 description=f"Claim about {format_units(pending)} of staking rewards",
                                 params={"pending": str(pending)}))
