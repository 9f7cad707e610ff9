"""A write as a plan: the transactions one action needs, in order, each carrying its own
gas margin (``TxRequest.margin``), run by ``TxService.run(plan, confirm=..., progress=...)``:

    plan = as_plan(staking.stake_requests(service, sender, 1, amount), "Stake 10 BTK")
    records = service.run(plan, confirm=ask_the_person, progress=show_step)

``confirm`` gets a ``Confirmation`` (the previews of the steps) and answers yes or no;
when the network fee rose after a yes, it is asked again with the new figures
(``Confirmation.rose``). The desktop and the command line build the same plan for the
same action and differ only in how they ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Plan:
    """The transactions of one action (an approval, then the action), in order."""

    requests: list  # TxRequest, each with its gas margin
    description: str = ""  # the action in words ("Stake 10 BTK with validator 1")

    def to_json(self) -> dict:
        return {"description": self.description,
                "requests": [{"kind": r.kind, "description": r.description, "sender": r.sender, "to": r.to,
                              "value": str(r.value), "btk_amount": str(r.btk_amount), "margin": r.margin}
                             for r in self.requests]}


def as_plan(requests, description: str = "") -> Plan:
    """A Plan from what a request builder returns: one TxRequest, a list of them, or a Plan."""
    if isinstance(requests, Plan):
        return requests
    requests = list(requests) if isinstance(requests, (list, tuple)) else [requests]
    if not description and requests:
        description = "; ".join(r.description or r.kind for r in requests)
    return Plan(requests, description)


@dataclass
class Confirmation:
    """What ``confirm`` is asked: the steps still to send with their previews (None for a
    step estimated only once the ones before are mined). Asked again after a fee rose:
    ``rose`` is the FeeRoseError (its new figures are ``previews[0]``), ``done`` the
    records of the steps sent before it."""

    plan: Plan
    requests: list
    previews: list
    done: list = field(default_factory=list)
    rose: Exception | None = None
