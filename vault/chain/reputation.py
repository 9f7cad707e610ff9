"""Reputation bonds (the ReputationRegistry extension, docs/reputation.md): BTK an account
puts behind its identity, unbonded through a delay, slashable by governance with a reason
recorded on chain. Reads, and the writes as TxRequests for TxService, checked first so
that the error names its cause:

  insufficient-btk     the account holds less BTK than it wants to bond
  insufficient-bond    unbonding more than is bonded
  nothing-unbonding    withdrawing with nothing on its way out
  unbonding-not-over   withdrawing before the delay ends (says from which block)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import ChainError
from . import eventlog
from .transactions import with_gas_margin
from .units import format_amount, format_units

KEY = "reputation"  # the extension's manifest key
BOND_GAS = 400_000  # the bond's preview limit while its approval is not mined: room for its estimate,
# margin and a base fee that rises with the approval's block (a ceiling; only the gas used is paid)


def registry(chain):
    """The ReputationRegistry handle (ChainError "not-deployed" when the network lacks it)."""
    return chain.contracts.extension(KEY)


# ---- reads: typed results (integer wei; to_json() is the CLI's --json) -----------------

@dataclass(frozen=True)
class Slash:
    amount: int   # wei
    reason: str   # governance's words, recorded on chain: outside text
    block: int
    tx: str

    def to_json(self) -> dict:
        return {"amount": format_amount(self.amount), "reason": self.reason, "block": self.block, "tx": self.tx}


@dataclass(frozen=True)
class Bond:
    """An account's reputation bond at ``block``: ``bonded_since`` UTC ISO (None with
    nothing bonded); ``ready_at_block`` None with nothing unbonding; ``available`` the BTK
    it holds (what it can bond)."""
    address: str
    block: int
    bonded: int   # wei, and every amount below
    bonded_since: str | None
    unbonding: int
    ready_at_block: int | None
    blocks_left: int
    ready: bool
    slash_count: int
    slashed_total: int
    slashes: tuple[Slash, ...]
    unbonding_blocks: int
    available: int

    def to_json(self) -> dict:
        return {"address": self.address, "block": self.block, "bonded": format_amount(self.bonded),
                "bonded_wei": str(self.bonded), "bonded_since": self.bonded_since,
                "unbonding": format_amount(self.unbonding), "ready_at_block": self.ready_at_block,
                "blocks_left": self.blocks_left, "ready": self.ready, "slash_count": self.slash_count,
                "slashed_total": format_amount(self.slashed_total), "slashes": [s.to_json() for s in self.slashes],
                "unbonding_blocks": self.unbonding_blocks, "available": format_amount(self.available)}


def slashes(chain, address: str) -> list[Slash]:
    """Every slash of ``address``, oldest first."""
    out = []
    for e in eventlog.events(chain, registry(chain), ("Slashed",)):
        if e["args"]["account"].lower() == address.lower():
            out.append(Slash(int(e["args"]["amount"]), e["args"]["reason"], e["block"], e["tx"]))
    return out


def status(chain, address: str) -> Bond:
    """The reputation bond of ``address`` now."""
    reg = registry(chain)
    address = chain.w3.to_checksum_address(address)
    bonded, unbonding, ready_at, since, count, slashed = reg.functions.bondOf(address).call()
    block = chain.block_number
    left = max(0, ready_at - (block + 1)) if unbonding else 0  # a withdrawal lands in the next block
    return Bond(address, block, int(bonded),
                (datetime.fromtimestamp(since, timezone.utc).replace(microsecond=0).isoformat()
                 if bonded and since else None),
                int(unbonding), ready_at if unbonding else None, left, bool(unbonding) and left == 0, count,
                int(slashed), tuple(slashes(chain, address)) if count else (),
                reg.functions.unbondingBlocks().call(), chain.btk_balance(address))


def status_lines(data: Bond) -> list[str]:
    since = f" since {data.bonded_since[:10]}" if data.bonded_since else ""
    lines = [f"Account:     {data.address} (block {data.block})",
             f"Bonded:      {format_amount(data.bonded)} BTK{since}",
             f"Available:   {format_amount(data.available)} BTK in the wallet, to bond"]
    if data.ready_at_block is None:
        lines.append(f"Unbonding:   none (unbonding takes {data.unbonding_blocks} blocks)")
    elif data.ready:
        lines.append(f"Unbonding:   {format_amount(data.unbonding)} BTK can be withdrawn now")
    else:
        lines.append(f"Unbonding:   {format_amount(data.unbonding)} BTK ready at block {data.ready_at_block} "
                     f"({data.blocks_left} blocks left)")
    lines.append(f"Slashed:     {data.slash_count} times, {format_amount(data.slashed_total)} BTK in all")
    lines += [f"  - {format_amount(s.amount)} BTK in block {s.block}: {s.reason}" for s in data.slashes]
    return lines


# ---- writes -----------------------------------------------------------------------------

def bond_requests(service, sender: str, amount: int) -> list:
    """[approve?, bond]: the approval only when the registry's allowance is short."""
    chain = service.chain
    reg, token = registry(chain), chain.contracts.token
    sender = chain.w3.to_checksum_address(sender)
    if amount <= 0:
        raise ChainError("invalid-amount", "The amount to bond must be more than zero.")
    held = chain.btk_balance(sender)
    if amount > held:
        raise ChainError("insufficient-btk", f"Not enough BTK: {sender} holds {format_units(held)}, bonding "
                                             f"needs {format_units(amount)}.", balance=str(held), needed=str(amount))
    requests = []
    if token.functions.allowance(sender, reg.address).call() < amount:
        requests.append(service.contract_call("btk-approve", token, "approve", [reg.address, amount], sender,
                                              description=f"Allow the reputation registry to take "
                                                          f"{format_units(amount)}",
                                              params={"spender": reg.address, "amount": str(amount)}))
    bond = service.contract_call("bond", reg, "bond", [amount], sender,
                                 description=f"Bond {format_units(amount)} against your identity (unbonding "
                                             f"takes {reg.functions.unbondingBlocks().call()} blocks)",
                                 params={"amount": str(amount)}, btk_amount=amount)
    if requests:
        bond.gas = BOND_GAS
    else:
        with_gas_margin(chain, bond)
    return requests + [bond]


def unbond_request(service, sender: str, amount: int):
    chain = service.chain
    reg = registry(chain)
    sender = chain.w3.to_checksum_address(sender)
    bonded = reg.functions.bondOf(sender).call()[0]
    if amount <= 0 or amount > bonded:
        raise ChainError("insufficient-bond", f"{sender} has {format_units(bonded)} bonded; it cannot unbond "
                                              f"{format_units(amount)}.", bonded=str(bonded), needed=str(amount))
    delay = reg.functions.unbondingBlocks().call()
    return with_gas_margin(chain, service.contract_call(
        "unbond", reg, "requestUnbond", [amount], sender,
        description=f"Start unbonding {format_units(amount)}: it stops counting now and can be withdrawn in "
                    f"{delay} blocks (an earlier request restarts with it)",
        params={"amount": str(amount), "unbonding_blocks": delay}))


def withdraw_request(service, sender: str):
    chain = service.chain
    reg = registry(chain)
    sender = chain.w3.to_checksum_address(sender)
    _, unbonding, ready_at, *_ = reg.functions.bondOf(sender).call()
    if not unbonding:
        raise ChainError("nothing-unbonding", "There is nothing to withdraw: start unbonding first "
                                              "(`vault bond unbond`).")
    block = chain.block_number + 1  # the next transaction goes into the next block
    if block < ready_at:
        raise ChainError("unbonding-not-over", f"The unbonding delay is not over: {format_units(unbonding)} can be "
                                               f"withdrawn from block {ready_at} on ({ready_at - block} more "
                                               "blocks).", ready_at_block=ready_at, block=chain.block_number)
    return with_gas_margin(chain, service.contract_call(
        "unbond-withdraw", reg, "withdraw", [], sender, description=f"Withdraw {format_units(unbonding)} of "
                                                                     "unbonded BTK",
        params={"amount": str(unbonding)}))

