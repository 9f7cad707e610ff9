"""Grants paid by milestone: what each grant has released and what is pending, and the
approval that releases the next tranche.

    g = Grants(chain)
    g.budget()                                  # held, committed, available (BTK wei)
    g.list(account)                             # every grant, its milestones, yours flagged
    req = g.approve_request(service, sender, grant_id)   # the approver pays the next tranche

A grant is made by a proposal from the "milestone-grant" template (vault/chain/templates/
grants.py), out of the budget GrantEscrow holds; the timelock funds that budget with an
ordinary treasury grant to the escrow's address.
"""

from __future__ import annotations

from ...errors import ChainError
from ..units import format_amount, format_units
from ..eventlog import read_events


class Grants:
    def __init__(self, chain):
        self.chain = chain
        self.w3 = chain.w3
        self.escrow = chain.contracts.extension("grants")

    def budget(self) -> dict:
        f = self.escrow.functions
        committed, free = f.committed().call(), f.available().call()
        return {"address": self.escrow.address, "committed_wei": str(committed), "available_wei": str(free),
                "committed": format_amount(committed), "available": format_amount(free)}

    def _approvals(self) -> dict[tuple[int, int], dict]:
        return {(int(e["args"]["grantId"]), int(e["args"]["milestone"])):
                {"block": int(e["blockNumber"]), "by": e["args"]["by"]}
                for e in read_events(self.chain, self.escrow, ("MilestoneApproved",))}

    def _describe(self, grant_id: int, g, approvals: dict, account: str | None) -> dict:
        grantee, approver, cancelled, paid, title, amounts = g
        milestones = []
        for i, amount in enumerate(amounts):
            status = "released" if i < paid else ("cancelled" if cancelled else "pending")
            approved = approvals.get((grant_id, i))
            milestones.append({"milestone": i + 1, "amount": format_amount(amount), "amount_wei": str(amount),
                               "status": status, "released_block": approved["block"] if approved else None,
                               "approved_by": approved["by"] if approved else None})
        released = sum(amounts[:paid])
        pending = 0 if cancelled else sum(amounts[paid:])
        state = "cancelled" if cancelled else ("completed" if paid == len(amounts) else "active")
        me = (account or "").lower()
        return {"grant_id": grant_id, "title": title, "grantee": grantee, "approver": approver, "state": state,
                "total_wei": str(sum(amounts)), "released_wei": str(released), "pending_wei": str(pending),
                "released": format_amount(released), "pending": format_amount(pending),
                "next_milestone": paid + 1 if state == "active" else None, "milestones": milestones,
                "yours": bool(me) and grantee.lower() == me,
                "you_approve": bool(me) and approver.lower() == me and state == "active"}

    def list(self, account: str | None = None) -> list[dict]:
        """Every grant, newest first."""
        f = self.escrow.functions
        approvals = self._approvals()
        return [self._describe(i, f.grantAt(i).call(), approvals, account)
                for i in reversed(range(f.grantCount().call()))]

    def get(self, grant_id: int, account: str | None = None) -> dict:
        count = self.escrow.functions.grantCount().call()
        if not 0 <= int(grant_id) < count:
            raise ChainError("unknown-grant", f"There is no grant {grant_id}; there are {count} (numbered from 0): "
                                              "`vault gov grant list` lists them.")
        return self._describe(int(grant_id), self.escrow.functions.grantAt(int(grant_id)).call(), self._approvals(),
                              account)

    def approve_request(self, service, sender: str, grant_id: int):
        """Release the next milestone's tranche to the grantee: only the grant's approver
        (governance can too, by proposal)."""
        sender = self.w3.to_checksum_address(sender)
        g = self.get(grant_id, sender)
        if g["state"] != "active":
            raise ChainError("grant-closed", f"Grant {grant_id} (“{g['title']}”) is {g['state']}: no milestone is "
                                             "left to approve.")
        if not g["you_approve"]:
            raise ChainError("not-approver", f"Only {g['approver']}, the approver of grant {grant_id}, can approve "
                                             f"its milestones; {sender} is not.")
        n = g["next_milestone"]
        amount = int(g["milestones"][n - 1]["amount_wei"])
        return service.contract_call("gov-grant-approve", self.escrow, "approveMilestone", [int(grant_id), n - 1], sender,
                                     description=f"Approve milestone {n} of {len(g['milestones'])} of “{g['title']}”: "
                                                 f"pay {format_units(amount, 'BTK')} to {g['grantee']}",
                                     params={"grant_id": int(grant_id), "milestone": n})
