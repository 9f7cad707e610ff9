"""Vote-escrow power: BTK locked until a chosen block count for more the longer the lock,
decaying linearly to nothing at the unlock block (VoteEscrow.sol).

    ve = Escrow(chain)
    ve.breakdown(address)                       # where the power comes from, now
    plan = ve.lock_requests(service, sender, amount, blocks)     # approve + lock
    req = ve.unlock_request(service, sender)                     # withdraw once unlocked

Where it counts: polls (their tally adds each voter's lock power at the snapshot to their
delegated votes) and proposals on the weighted governor (power.py), which reads the
escrow's checkpoints at the proposal's snapshot; an older BlocktrackGovernor does not.
Locked BTK leave the holder's balance, so they no longer count as delegated votes.
"""

from __future__ import annotations

from ...errors import ChainError
from ..plan import Plan
from ..units import format_amount, format_units
from ..governance import SECONDS_PER_BLOCK
from .power import active_governor, is_weighted


class Escrow:
    def __init__(self, chain):
        self.chain = chain
        self.w3 = chain.w3
        self.contract = chain.contracts.extension("escrow")
        self.token = chain.contracts.token

    def limits(self) -> dict:
        f = self.contract.functions
        return {"max_lock_blocks": f.maxLockBlocks().call(), "min_lock_blocks": f.minLockBlocks().call()}

    def power_at(self, address: str, block: int) -> int:
        """The lock's power at a mined block (0 without a lock)."""
        return self.contract.functions.getPastVotes(self.w3.to_checksum_address(address), int(block)).call()

    def breakdown(self, address: str) -> dict:
        """Where ``address``'s power comes from now: delegated BTK and the lock (polls
        count both, and so does the weighted governor), with how the lock decays."""
        address = self.w3.to_checksum_address(address)
        f = self.contract.functions
        delegated = self.token.functions.getVotes(address).call()
        amount, unlock = f.lockOf(address).call()
        lock_power = f.getVotes(address).call()
        block = self.chain.block_number
        longest = f.maxLockBlocks().call()
        left = max(0, unlock - block) if amount else 0
        on_proposals = delegated + (lock_power if is_weighted(self.chain, active_governor(self.chain)) else 0)
        return {"address": address, "block": block,
                "delegated_votes": format_amount(delegated), "delegated_votes_wei": str(delegated),
                "locked": format_amount(amount), "locked_wei": str(amount), "unlock_block": unlock or None,
                "blocks_left": left, "seconds_left_estimate": left * SECONDS_PER_BLOCK,
                "lock_power": format_amount(lock_power), "lock_power_wei": str(lock_power),
                "max_lock_blocks": longest,
                "poll_power": format_amount(delegated + lock_power), "poll_power_wei": str(delegated + lock_power),
                "governor_power": format_amount(on_proposals), "governor_power_wei": str(on_proposals),
                "decay": (f"The lock counts {format_units(amount, 'BTK')} x blocks left / {longest:,}: "
                          f"{format_units(lock_power, 'votes')} now, falling by "
                          f"{format_units(amount // longest if longest else 0, 'votes')} a block to 0 at block "
                          f"{unlock:,}.") if amount else "No BTK locked."}

    def lock_requests(self, service, sender: str, amount: int, blocks: int) -> Plan:
        """Lock ``amount`` more BTK (0: only extend) until ``blocks`` from the next block:
        an approval (when needed) and the lock, as one plan."""
        sender = self.w3.to_checksum_address(sender)
        f = self.contract.functions
        limits = self.limits()
        held, current = f.lockOf(sender).call()
        amount = int(amount)
        approve = bool(amount) and self.token.functions.allowance(sender, self.contract.address).call() < amount
        # The block the lock lands in (after its approval, when one is needed): counted from there.
        landing = self.chain.block_number + 1 + int(approve)
        unlock = landing + int(blocks)
        if held and current <= landing:
            raise ChainError("lock-expired", f"Your lock of {format_units(held, 'BTK')} ended at block {current:,}: "
                                             "withdraw it (`vault gov unlock`) before locking again.")
        if not held and amount <= 0:
            raise ChainError("invalid-amount", "Lock more than 0 BTK.")
        if held and unlock < current:
            raise ChainError("invalid-argument", f"Your lock runs until block {current:,}: a lock can be extended, "
                                                 f"never shortened (lock for at least {current - landing:,} blocks).")
        if not limits["min_lock_blocks"] <= int(blocks) <= limits["max_lock_blocks"]:
            raise ChainError("invalid-argument", f"A lock lasts {limits['min_lock_blocks']:,} to "
                                                 f"{limits['max_lock_blocks']:,} blocks; {int(blocks):,} is not.")
        requests = []
        if approve:
            requests.append(service.contract_call("btk-approve", self.token, "approve",
                                                  [self.contract.address, amount], sender,
                                                  description=f"Allow the vote-escrow to take "
                                                              f"{format_units(amount, 'BTK')}"))
        requests.append(service.contract_call(
            "gov-lock", self.contract, "lock", [amount, unlock], sender, btk_amount=amount,
            description=(f"Lock {format_units(amount, 'BTK')} until block {unlock:,}" if amount else
                         f"Extend your lock to block {unlock:,}"),
            params={"amount": str(amount), "unlock_block": unlock}))
        power = (held + amount) * int(blocks) // limits["max_lock_blocks"]
        return Plan(requests, f"Lock BTK for voting power (about {format_units(power, 'votes')} at first)")

    def unlock_request(self, service, sender: str):
        sender = self.w3.to_checksum_address(sender)
        held, unlock = self.contract.functions.lockOf(sender).call()
        if not held:
            raise ChainError("no-lock", f"{sender} has no BTK locked.")
        head = self.chain.block_number
        if head + 1 < unlock:
            raise ChainError("still-locked", f"Your {format_units(held, 'BTK')} are locked until block {unlock:,} "
                                             f"({unlock - head - 1:,} blocks from the next one).")
        return service.contract_call("gov-unlock", self.contract, "withdraw", [], sender,
                                     description=f"Withdraw your {format_units(held, 'BTK')} from the vote-escrow")
