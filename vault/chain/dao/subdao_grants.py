"""Milestone grants paid out of a sub-DAO's budget (SubDaoGrants.sol).

    g = SubDaoGrants(chain)
    g.list(account, number=None)     # every grant (of sub-DAO `number`), milestones released/pending
    req = g.propose_request(service, sender, number, grantee, approver, amounts, title)  # council
    plan = g.fund_requests(service, sender, grant_id)     # council: the spend to fund it (+ activate)
    req = g.activate_request(service, sender, grant_id)   # once its spend is paid (anyone)
    req = g.approve_request(service, sender, grant_id)    # the approver pays the next tranche
    req = g.cancel_request(service, sender, grant_id)     # council: the rest back to the reserve (paid for
                                                          # but not active: a plan, activate then cancel)
    cancel_words(grant)                                   # what a cancel moves, before it is confirmed

A grant is funded by an ordinary sub-DAO spend (SubDaos.grant_request) to the grants
contract for exactly its total, so the council's approvals and budget apply as to any
grant; the contract ties each paid spend to one grant of the same sub-DAO only.
"""

from __future__ import annotations

from ...errors import ChainError
from ..eventlog import read_events
from ..plan import as_plan
from ..units import format_amount, format_units
from .subdaos import SubDaos

MAX_MILESTONES = 12
_EVENTS = ("GrantProposed", "GrantActivated", "MilestoneReleased", "GrantCancelled")
_STATES = ("proposed", "active", "cancelled")


def check_grant(dao: dict, amounts: list[int], title: str) -> int:
    """What the contract and the budget ask of a new grant of sub-DAO ``dao`` (as
    subdaos.SubDaos lists it), checked before anything is signed; returns its total.
    ChainError in words otherwise (the dialog shows the same words before it starts a write)."""
    if not 1 <= len(amounts) <= MAX_MILESTONES:
        raise ChainError("invalid-argument", f"A grant has 1 to {MAX_MILESTONES} milestones; this one has "
                                             f"{len(amounts)}.")
    if any(a <= 0 for a in amounts):
        raise ChainError("invalid-amount", "Every milestone must pay more than 0 BTK.")
    if not title.strip():
        raise ChainError("invalid-argument", "Give the grant a title: everyone reads it.")
    total = sum(amounts)
    if total > int(dao["budget_wei"]):
        raise ChainError("insufficient-budget", f"{dao['name']} has {format_units(int(dao['budget_wei']), 'BTK')} of "
                                                f"budget left; this grant needs {format_units(total, 'BTK')}.")
    return total


class SubDaoGrants:
    def __init__(self, chain):
        self.chain = chain
        self.w3 = chain.w3
        self.contract = chain.contracts.extension("subdao-grants")
        self.subdaos = SubDaos(chain)

    def _released(self) -> tuple[dict, dict]:
        """{(grant id, milestone): when and by whom released}, {grant id: BTK its cancel returned}."""
        released, returned = {}, {}
        for e in read_events(self.chain, self.contract, _EVENTS):
            if e["event"] == "MilestoneReleased":
                released[int(e["args"]["grantId"]), int(e["args"]["milestone"])] = {
                    "block": int(e["blockNumber"]), "by": e["args"]["by"]}
            elif e["event"] == "GrantCancelled":
                returned[int(e["args"]["grantId"])] = int(e["args"]["returned"])
        return released, returned

    def _describe(self, grant_id: int, g, events: tuple[dict, dict], account: str | None) -> dict:
        released, returned = events
        dao_id, grantee, approver, state, paid, spend_id, title, amounts = g
        state = _STATES[state]
        if state == "active" and paid == len(amounts):
            state = "completed"
        milestones = []
        for i, amount in enumerate(amounts):
            status = "released" if i < paid else ("cancelled" if state == "cancelled" else "pending")
            r = released.get((grant_id, i))
            milestones.append({"milestone": i + 1, "amount": format_amount(amount), "amount_wei": str(amount),
                               "status": status, "released_block": r["block"] if r else None,
                               "approved_by": r["by"] if r else None})
        total, done = sum(amounts), sum(amounts[:paid])
        pending = 0 if state == "cancelled" else total - done
        back = returned.get(grant_id, 0) if state == "cancelled" else 0   # to the reserve
        me = (account or "").lower()
        return {"grant_id": grant_id, "dao": dao_id + 1, "title": title, "grantee": grantee, "approver": approver,
                "state": state, "spend_id": spend_id if state != "proposed" else None,
                "total_wei": str(total), "total": format_amount(total),
                "released_wei": str(done), "pending_wei": str(pending),
                "released": format_amount(done), "pending": format_amount(pending),
                "returned_wei": str(back), "returned": format_amount(back),
                "next_milestone": paid + 1 if state == "active" else None, "milestones": milestones,
                "yours": bool(me) and grantee.lower() == me,
                "you_approve": bool(me) and approver.lower() == me and state == "active"}

    def list(self, account: str | None = None, number=None) -> list[dict]:
        """Every grant (of sub-DAO ``number`` when given), newest first. A proposed grant
        says whether a paid spend waits to fund it (``funded``: activating is what is left,
        and a cancel returns it)."""
        f = self.contract.functions
        released = self._released()
        out = [self._describe(i, f.grantAt(i).call(), released, account) for i in reversed(range(f.grantCount().call()))]
        return self._with_funding(out if number is None else [g for g in out if g["dao"] == int(number)])

    def _with_funding(self, grants: list[dict]) -> list[dict]:
        """Each proposed grant's ``funding_spend``: the paid spend waiting to fund it, or None
        (``funded``: whether there is one); one scan of the spends for all of them."""
        waiting = self._waiting_spends() if any(g["state"] == "proposed" for g in grants) else []
        for g in grants:
            g["funding_spend"] = self._funding_spend(g, waiting) if g["state"] == "proposed" else None
            g["funded"] = g["funding_spend"] is not None
        return grants

    def get(self, grant_id, account: str | None = None) -> dict:
        count = self.contract.functions.grantCount().call()
        try:
            n = int(grant_id)
        except (TypeError, ValueError):
            n = -1
        if not 0 <= n < count:
            raise ChainError("unknown-grant", f"There is no sub-DAO milestone grant {grant_id}; there are {count} "
                                              "(numbered from 0): `vault gov subdao grants` lists them.")
        return self._with_funding([self._describe(n, self.contract.functions.grantAt(n).call(), self._released(),
                                                  account)])[0]

    def _council(self, number, sender: str, what: str) -> dict:
        d = self.subdaos.get(number, sender)
        if not d["you_are_council"]:
            raise ChainError("not-council", f"Only the council of {d['name']} ({', '.join(d['council'])}) {what}; "
                                            f"{sender} is not on it.")
        return d

    def propose_request(self, service, sender: str, number, grantee: str, approver: str, amounts, title: str):
        sender = self.w3.to_checksum_address(sender)
        d = self._council(number, sender, "proposes its milestone grants")
        amounts = [int(a) for a in amounts]
        total = check_grant(d, amounts, title)
        grantee, approver = self.w3.to_checksum_address(grantee), self.w3.to_checksum_address(approver)
        return service.contract_call(
            "gov-subdao-milestone-grant", self.contract, "proposeGrant",
            [d["dao"] - 1, grantee, approver, amounts, title.strip()], sender,
            description=(f"{d['name']}: propose “{title.strip()}”, {format_units(total, 'BTK')} to {grantee} in "
                         f"{len(amounts)} milestone{'s' if len(amounts) != 1 else ''} approved by {approver} "
                         "(funded next, out of the budget)"),
            params={"dao": d["dao"], "grantee": grantee, "approver": approver, "amounts": [str(a) for a in amounts]})

    def _waiting_spends(self) -> list[tuple[int, int, int]]:
        """(spend id, sub-DAO index, amount) of every paid spend to this contract not used
        yet, newest first."""
        f, used = self.subdaos.contract.functions, self.contract.functions.spendUsed
        out = []
        for i in reversed(range(f.spendCount().call())):
            dao_id, to, amount, _v, _a, paid, cancelled, _m = f.spendAt(i).call()
            if to == self.contract.address and paid and not cancelled and not used(i).call():
                out.append((i, dao_id, amount))
        return out

    @staticmethod
    def _funding_spend(g: dict, waiting: list) -> int | None:
        """Of ``waiting`` (``_waiting_spends``), a spend of the grant's sub-DAO for its total."""
        for i, dao_id, amount in waiting:
            if dao_id == g["dao"] - 1 and amount == int(g["total_wei"]):
                return i
        return None

    def _proposed(self, grant_id, sender: str) -> dict:
        g = self.get(grant_id, sender)
        if g["state"] != "proposed":
            raise ChainError("grant-closed", f"Sub-DAO milestone grant {g['grant_id']} (“{g['title']}”) is already "
                                             f"{g['state']}.")
        return g

    def fund_requests(self, service, sender: str, grant_id):
        """The council's spend of the grant's total to this contract; when the council needs
        one approval it is paid at once, so the activation follows in the same plan."""
        sender = self.w3.to_checksum_address(sender)
        g = self._proposed(grant_id, sender)
        d = self._council(g["dao"], sender, "funds its milestone grants")
        if g["funded"]:
            return as_plan(self._activate(service, sender, g, g["funding_spend"]))
        spend = self.subdaos.grant_request(service, sender, g["dao"], self.contract.address, int(g["total_wei"]),
                                           f"Milestone grant #{g['grant_id']}: {g['title']}")
        if d["approvals_needed"] != 1:
            return as_plan(spend, f"Fund “{g['title']}” (activate it once the council's approvals paid it)")
        # The spend this plan adds is the next one; if another lands first, activate reverts.
        spend_id = self.subdaos.contract.functions.spendCount().call()
        activate = self._activate(service, sender, g, spend_id)
        return as_plan([spend, activate], f"Fund and activate “{g['title']}” out of {d['name']}'s budget")

    def _activate(self, service, sender: str, g: dict, spend_id: int):
        return service.contract_call(
            "gov-subdao-milestone-activate", self.contract, "activate", [g["grant_id"], spend_id], sender,
            description=(f"Activate “{g['title']}” with sub-DAO grant {spend_id} "
                         f"({format_units(int(g['total_wei']), 'BTK')})"),
            params={"grant_id": g["grant_id"], "spend_id": spend_id})

    def activate_request(self, service, sender: str, grant_id):
        sender = self.w3.to_checksum_address(sender)
        g = self._proposed(grant_id, sender)
        spend_id = g["funding_spend"]
        if spend_id is None:
            raise ChainError("not-funded", f"No paid grant of sub-DAO {g['dao']} to the milestone-grants contract "
                                           f"for {format_units(int(g['total_wei']), 'BTK')} is left to fund "
                                           f"“{g['title']}”: fund it first (`vault gov subdao fund {g['grant_id']}`).")
        return self._activate(service, sender, g, spend_id)

    def approve_request(self, service, sender: str, grant_id):
        """Release the next milestone's tranche to the grantee: the grant's approver only."""
        sender = self.w3.to_checksum_address(sender)
        g = self.get(grant_id, sender)
        if g["state"] != "active":
            raise ChainError("grant-closed", f"Sub-DAO milestone grant {g['grant_id']} (“{g['title']}”) is "
                                             f"{g['state']}: no milestone can be released.")
        if not g["you_approve"]:
            raise ChainError("not-approver", f"Only {g['approver']}, the approver of sub-DAO milestone grant "
                                             f"{g['grant_id']}, releases its milestones; {sender} is not.")
        n = g["next_milestone"]
        amount = int(g["milestones"][n - 1]["amount_wei"])
        return service.contract_call(
            "gov-subdao-milestone-approve", self.contract, "releaseMilestone", [g["grant_id"], n - 1], sender,
            description=(f"Approve milestone {n} of {len(g['milestones'])} of “{g['title']}”: pay "
                         f"{format_units(amount, 'BTK')} to {g['grantee']}"),
            params={"grant_id": g["grant_id"], "milestone": n})

    def cancel_request(self, service, sender: str, grant_id):
        sender = self.w3.to_checksum_address(sender)
        g = self.get(grant_id, sender)
        if g["state"] in ("cancelled", "completed"):
            raise ChainError("grant-closed", f"Sub-DAO milestone grant {g['grant_id']} is already {g['state']}.")
        self._council(g["dao"], sender, "cancels its milestone grants")
        spend_id = g["funding_spend"]
        cancel = service.contract_call(
            "gov-subdao-milestone-cancel", self.contract, "cancelGrant", [g["grant_id"]], sender,
            description=f"Cancel “{g['title']}”: {cancel_words(g)}",
            params={"grant_id": g["grant_id"]})
        if spend_id is None:
            return cancel
        # Paid for but not activated: cancelGrant alone returns nothing (the contract knows no
        # spend of a proposed grant), so the spend would wait in the contract. Activated
        # first (anyone may), the cancel returns all of it to the sub-DAO reserve.
        return as_plan([self._activate(service, sender, g, spend_id), cancel],
                       f"Cancel “{g['title']}” and return the {format_units(int(g['total_wei']), 'BTK')} paid to "
                       "fund it to the sub-DAO reserve")


def cancel_words(g: dict) -> str:
    """What cancelling grant ``g`` (as SubDaoGrants lists it) moves, said before it is confirmed:
    the contract returns only what an active grant has not released; a proposed grant paid
    for (``funded``) is activated first, so that all of it returns."""
    if g["state"] == "proposed" and g["funded"]:
        return (f"the {format_units(int(g['total_wei']), 'BTK')} already paid to fund it goes back to the sub-DAO "
                "reserve (the main DAO allocates it again, not to this sub-DAO's budget); nothing was released.")
    if g["state"] == "proposed":
        return "it was never activated, so no BTK moves."
    return (f"{format_units(int(g['pending_wei']), 'BTK')} not yet released goes back to the sub-DAO reserve "
            "(the main DAO allocates it again, not to this sub-DAO's budget); "
            f"{format_units(int(g['released_wei']), 'BTK')} already released stays with {g['grantee']}.")
