"""Rewards for taking part (ParticipationRewards.sol): voters on proposals that reached
quorum share each epoch's budget by the votes they cast; the proposer of an executed
proposal gets a bounty. Each is claimed once.

    r = Rewards(chain)
    r.overview(account)        # the rules, epochs with your share, bounties, what to register
    plan = r.claim_requests(service, sender)   # register what is due, claim what is claimable
    r.top_contributors(10)     # who took part most: the DAO's badge candidates

A proposal counts once someone registers it (anyone, after its vote, until the end of the
next epoch); its epoch's rewards are claimable from the epoch after that, when no more
proposals can join it. ``claim_requests`` registers every proposal that still can be (the
claimer pays their fees: it helps every voter) and claims every reward and bounty due.

Top contributors are ranked by how many counted proposals they voted on and how many of
their proposals were executed — not by their BTK, so the badge says who took part. The
badge itself is a soulbound credential the DAO issues (``badge_achievement`` is what it
certifies; the issuing core, vault/issuing, signs it: docs/governance.md).
"""

from __future__ import annotations

from ...errors import ChainError
from ..governance import Governance
from ..plan import Plan
from ..units import format_amount, format_units
from ..eventlog import read_events


class Rewards:
    def __init__(self, chain):
        self.chain = chain
        self.w3 = chain.w3
        self.contract = chain.contracts.extension("participation")

    def rules(self) -> dict:
        f = self.contract.functions
        blocks, budget, bounty, free = (f.epochBlocks().call(), f.epochBudget().call(), f.bounty().call(),
                                        f.available().call())
        head = self.chain.block_number
        return {"address": self.contract.address, "epoch_blocks": blocks, "epoch": head // blocks,
                "epoch_budget": format_amount(budget), "epoch_budget_wei": str(budget),
                "bounty": format_amount(bounty), "bounty_wei": str(bounty),
                "reserve": format_amount(free), "reserve_wei": str(free),
                "words": (f"Every {blocks:,} blocks is an epoch. Voters on the epoch's proposals that reached quorum "
                          f"share {format_units(budget, 'BTK')} by the votes they cast; the proposer of each "
                          f"executed proposal receives {format_units(bounty, 'BTK')}. A proposal counts once it is "
                          "registered (anyone, by the end of the next epoch); rewards are claimable from the epoch "
                          "after that, once each.")}

    def _registrable(self, proposals: list[dict], blocks: int, head: int) -> list[dict]:
        f = self.contract.functions
        due = []
        for p in proposals:
            epoch = p["deadline"] // blocks
            if (p["deadline"] < head + 1 and p["quorum_reached"] and (head + 1) // blocks <= epoch + 1
                    and not f.registered(int(p["proposal_id"])).call()):
                due.append({"proposal_id": p["proposal_id"], "title": p["title"], "epoch": epoch})
        return due

    def overview(self, account: str | None = None) -> dict:
        f = self.contract.functions
        rules = self.rules()
        blocks, head = rules["epoch_blocks"], self.chain.block_number
        me = self.w3.to_checksum_address(account) if account else None
        proposals = Governance(self.chain).proposals()
        registered = read_events(self.chain, self.contract, ("ProposalRegistered",))
        epochs = sorted({int(e["args"]["epoch"]) for e in registered}, reverse=True)
        out_epochs = []
        for epoch in epochs:
            ids = [str(e["args"]["proposalId"]) for e in registered if int(e["args"]["epoch"]) == epoch]
            claimable_from = (epoch + 2) * blocks
            row = {"epoch": epoch, "proposals": ids, "pool": format_amount(f.epochPool(epoch).call()),
                   "pool_wei": str(f.epochPool(epoch).call()), "claimable_from_block": claimable_from,
                   "closed": head + 1 >= claimable_from}
            if me:
                votes, amount = f.rewardOf(epoch, me).call()
                claimed = f.claimed(epoch, me).call()
                row.update({"your_votes": format_amount(votes), "your_votes_wei": str(votes),
                            "your_reward": format_amount(amount),
                            "your_reward_wei": str(amount), "claimed": claimed,
                            "claimable": row["closed"] and not claimed and amount > 0})
            out_epochs.append(row)
        bounties = []
        if me:
            for p in proposals:
                if p["proposer"].lower() == me.lower() and p["state"] == "executed":
                    claimed = f.bountyClaimed(int(p["proposal_id"])).call()
                    bounties.append({"proposal_id": p["proposal_id"], "title": p["title"], "claimed": claimed,
                                     "claimable": not claimed and int(rules["bounty_wei"]) > 0})
        return {"rules": rules, "account": me, "epochs": out_epochs, "bounties": bounties,
                "to_register": self._registrable(proposals, blocks, head)}

    def claim_requests(self, service, sender: str) -> Plan:
        sender = self.w3.to_checksum_address(sender)
        o = self.overview(sender)
        requests = [service.contract_call("gov-rewards-register", self.contract, "register", [int(p["proposal_id"])],
                                          sender, description=f"Count “{p['title']}” in epoch {p['epoch']}'s "
                                                              "participation rewards (for all its voters)",
                                          params={"proposal_id": p["proposal_id"]})
                    for p in o["to_register"]]
        total = 0
        for e in o["epochs"]:
            if e.get("claimable"):
                total += int(e["your_reward_wei"])
                requests.append(service.contract_call(
                    "gov-rewards-claim", self.contract, "claim", [e["epoch"]], sender,
                    description=f"Claim {format_units(int(e['your_reward_wei']), 'BTK')} for voting in epoch "
                                f"{e['epoch']}", params={"epoch": e["epoch"]}))
        free = int(o["rules"]["reserve_wei"])
        bounty = int(o["rules"]["bounty_wei"])
        for b in o["bounties"]:
            if b["claimable"]:
                if bounty > free:
                    raise ChainError("insufficient-budget", f"The rewards reserve holds {format_units(free, 'BTK')}; "
                                                            f"a bounty is {format_units(bounty, 'BTK')}. The treasury "
                                                            "tops it up by a grant to "
                                                            f"{self.contract.address}.")
                free -= bounty
                total += bounty
                requests.append(service.contract_call(
                    "gov-rewards-bounty", self.contract, "claimBounty", [int(b["proposal_id"])], sender,
                    description=f"Claim the {format_units(bounty, 'BTK')} bounty for proposing “{b['title']}”",
                    params={"proposal_id": b["proposal_id"]}))
        if not requests:
            waiting = [e for e in o["epochs"] if not e["closed"] and int(e.get("your_reward_wei", 0))]
            when = (f" Your {waiting[0]['your_reward']} BTK of epoch {waiting[0]['epoch']} are claimable from block "
                    f"{waiting[0]['claimable_from_block']:,}.") if waiting else ""
            raise ChainError("nothing-to-claim", "Nothing to claim or register now." + when)
        return Plan(requests, f"Claim {format_units(total, 'BTK')} of participation rewards" if total else
                    "Register proposals for the participation rewards")

    def top_contributors(self, limit: int = 10) -> list[dict]:
        """Accounts ranked by counted proposals voted on, then executed proposals made."""
        gov = Governance(self.chain)
        counted = {int(e["args"]["proposalId"])
                   for e in read_events(self.chain, self.contract, ("ProposalRegistered",))}
        log = gov._sync()   # the governor's votes, read incrementally (governance._GovernorLog)
        votes: dict[str, int] = {}
        for (pid, voter), _vote in log.votes.items():
            if pid in counted:
                votes[voter] = votes.get(voter, 0) + 1
        executed: dict[str, int] = {}
        for p in gov.proposals():
            if p["state"] == "executed":
                who = p["proposer"].lower()
                executed[who] = executed.get(who, 0) + 1
        people = set(votes) | set(executed)
        ranked = sorted(people, key=lambda a: (-votes.get(a, 0), -executed.get(a, 0), a))[:max(0, int(limit))]
        return [{"rank": i + 1, "account": self.w3.to_checksum_address(a), "votes_on_counted_proposals":
                 votes.get(a, 0), "executed_proposals": executed.get(a, 0)} for i, a in enumerate(ranked)]


def badge_achievement(contributor: dict, dao_name: str = "Blocktrack DAO") -> dict:
    """What the DAO's contributor badge certifies, for the issuing core's Achievement
    (name, description, criteria): the hook the badge issuer fills in."""
    return {"name": f"{dao_name} contributor",
            "description": (f"Ranked {contributor['rank']} among {dao_name}'s contributors: voted on "
                            f"{contributor['votes_on_counted_proposals']} proposal(s) that reached quorum and made "
                            f"{contributor['executed_proposals']} proposal(s) that were executed."),
            "criteria": ("Among the DAO's top contributors by votes on proposals that reached quorum, then by "
                         "executed proposals, as read from the chain.")}
