"""Sub-DAOs: councils that spend a budget the main DAO allocates (SubDaoTreasury.sol).

    s = SubDaos(chain)
    s.list(account)                   # each sub-DAO: council, budget left, spent, yours flagged
    s.get(number, account)            # one, with its grants and the main DAO's allocations
    req = s.grant_request(service, sender, number, to, amount, memo)   # a council member
    req = s.approve_request(service, sender, spend_id)                  # another member

Sub-DAOs are numbered from 1 as listed (the contract counts from 0). The main DAO acts by
proposals from the templates in vault/chain/templates/subdaos.py (fund, claw back,
appoint a council). A grant is paid when as many council members as the council needs
approved it, never beyond the budget left when the last approval lands.
"""

from __future__ import annotations

from ...errors import ChainError
from ..units import format_amount, format_units
from ..eventlog import read_events

_EVENTS = ("BudgetAllocated", "BudgetClawedBack", "SpendProposed", "SpendApproved", "SpendPaid")


class SubDaos:
    def __init__(self, chain):
        self.chain = chain
        self.w3 = chain.w3
        self.contract = chain.contracts.extension("subdaos")

    def reserve(self) -> dict:
        free = self.contract.functions.reserve().call()
        return {"address": self.contract.address, "reserve_wei": str(free), "reserve": format_amount(free)}

    def _history(self) -> list:
        return read_events(self.chain, self.contract, _EVENTS)

    def _spend(self, spend_id: int, s, events: list, account: str | None) -> dict:
        dao_id, to, amount, _version, approvals, paid, cancelled, memo = s
        me = (account or "").lower()
        by = [e["args"]["by"] for e in events
              if e["event"] == "SpendApproved" and int(e["args"]["spendId"]) == spend_id]
        state = "paid" if paid else ("cancelled" if cancelled else "awaiting approval")
        return {"spend_id": spend_id, "dao": dao_id + 1, "to": to, "amount": format_amount(amount),
                "amount_wei": str(amount), "memo": memo, "approvals": approvals, "approved_by": by, "state": state,
                "you_approved": bool(me) and any(b.lower() == me for b in by)}

    def _describe(self, dao_id: int, d, events: list, account: str | None, spends: list | None = None) -> dict:
        name, council, threshold, _version, budget, spent = d
        me = (account or "").lower()
        allocated = sum(int(e["args"]["amount"]) for e in events
                        if e["event"] == "BudgetAllocated" and int(e["args"]["daoId"]) == dao_id)
        clawed = sum(int(e["args"]["amount"]) for e in events
                     if e["event"] == "BudgetClawedBack" and int(e["args"]["daoId"]) == dao_id)
        out = {"dao": dao_id + 1, "name": name, "council": list(council), "approvals_needed": threshold,
               "budget": format_amount(budget), "budget_wei": str(budget), "spent": format_amount(spent),
               "spent_wei": str(spent), "allocated": format_amount(allocated), "allocated_wei": str(allocated),
               "clawed_back": format_amount(clawed), "clawed_back_wei": str(clawed),
               "you_are_council": bool(me) and any(c.lower() == me for c in council),
               "rule": (f"A grant is paid when {threshold} of its {len(council)} council member"
                        f"{'s' if len(council) != 1 else ''} approve it, out of the budget left then.")}
        if spends is not None:
            out["grants"] = [s for s in spends if s["dao"] == dao_id + 1]
        return out

    def _spends(self, events: list, account: str | None) -> list[dict]:
        f = self.contract.functions
        return [self._spend(i, f.spendAt(i).call(), events, account) for i in reversed(range(f.spendCount().call()))]

    def list(self, account: str | None = None) -> list[dict]:
        f = self.contract.functions
        events = self._history()
        return [self._describe(i, f.subDaoAt(i).call(), events, account) for i in range(f.subDaoCount().call())]

    def _id(self, number) -> int:
        count = self.contract.functions.subDaoCount().call()
        try:
            n = int(number)
        except (TypeError, ValueError):
            n = 0
        if not 1 <= n <= count:
            raise ChainError("unknown-subdao", f"There is no sub-DAO {number}; there are {count} (numbered from 1): "
                                               "`vault gov daos` lists them.")
        return n - 1

    def get(self, number, account: str | None = None) -> dict:
        dao_id = self._id(number)
        events = self._history()
        return self._describe(dao_id, self.contract.functions.subDaoAt(dao_id).call(), events, account,
                              self._spends(events, account))

    def grant_request(self, service, sender: str, number, to: str, amount: int, memo: str):
        """A council member proposes a grant out of the sub-DAO's budget (their approval)."""
        sender = self.w3.to_checksum_address(sender)
        d = self.get(number, sender)
        if not d["you_are_council"]:
            raise ChainError("not-council", f"Only the council of {d['name']} ({', '.join(d['council'])}) grants "
                                            f"out of its budget; {sender} is not on it.")
        amount = int(amount)
        if amount <= 0:
            raise ChainError("invalid-amount", "Grant more than 0 BTK.")
        if amount > int(d["budget_wei"]):
            raise ChainError("insufficient-budget", f"{d['name']} has {format_units(int(d['budget_wei']), 'BTK')} of "
                                                    f"budget left; this grant needs {format_units(amount, 'BTK')}. "
                                                    "The main DAO allocates more with the fund-subdao template.")
        to = self.w3.to_checksum_address(to)
        paid_now = d["approvals_needed"] == 1
        return service.contract_call(
            "gov-subdao-grant", self.contract, "proposeSpend", [d["dao"] - 1, to, amount, memo], sender,
            description=(f"{d['name']}: grant {format_units(amount, 'BTK')} to {to} for “{memo}”"
                         + ("" if paid_now else f" (paid once {d['approvals_needed']} council members approve)")),
            params={"dao": d["dao"], "to": to, "amount": str(amount)})

    def approve_request(self, service, sender: str, spend_id: int):
        sender = self.w3.to_checksum_address(sender)
        f = self.contract.functions
        count = f.spendCount().call()
        if not 0 <= int(spend_id) < count:
            raise ChainError("unknown-grant", f"There is no sub-DAO grant {spend_id}; there are {count} "
                                              "(numbered from 0).")
        s = self._spend(int(spend_id), f.spendAt(int(spend_id)).call(), self._history(), sender)
        d = self.get(s["dao"], sender)
        if s["state"] != "awaiting approval":
            raise ChainError("grant-closed", f"Sub-DAO grant {spend_id} is already {s['state']}.")
        if not d["you_are_council"]:
            raise ChainError("not-council", f"Only the council of {d['name']} approves its grants; {sender} is not "
                                            "on it.")
        if s["you_approved"]:
            raise ChainError("already-approved", f"You already approved sub-DAO grant {spend_id}.")
        if int(s["amount_wei"]) > int(d["budget_wei"]):
            raise ChainError("insufficient-budget", f"{d['name']} has {d['budget']} BTK left; grant {spend_id} "
                                                    f"needs {s['amount']} BTK.")
        return service.contract_call(
            "gov-subdao-approve", self.contract, "approveSpend", [int(spend_id)], sender,
            description=f"{d['name']}: approve grant {spend_id} of {s['amount']} BTK to {s['to']} (“{s['memo']}”)",
            params={"spend_id": int(spend_id)})
