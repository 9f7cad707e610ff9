"""The milestone grant: a grant out of the grants budget (GrantEscrow), paid to the
grantee milestone by milestone as its approver approves them (vault/chain/dao/grants.py)."""

from __future__ import annotations

from ...errors import ChainError
from ..units import format_units, parse_amount
from .base import Field, Template


def _amounts(text: str) -> list[int]:
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts:
        raise ChainError("invalid-argument", "Give the amount of each milestone, e.g. “500, 1500”.")
    return [parse_amount(p) for p in parts]


def _args(values: dict, gov) -> list:
    amounts = _amounts(values["milestones"])
    escrow = gov.chain.contracts.extension("grants")
    ceiling = escrow.functions.MAX_MILESTONES().call()
    if len(amounts) > ceiling:
        raise ChainError("invalid-argument", f"A grant has at most {ceiling} milestones; this one has {len(amounts)}.")
    free = escrow.functions.available().call()
    if sum(amounts) > free:
        raise ChainError("insufficient-budget", f"The grants budget has {format_units(free, 'BTK')} not yet "
                                                f"committed; this grant needs {format_units(sum(amounts), 'BTK')}. "
                                                "Fund the budget first (a treasury grant to the grants escrow "
                                                f"{escrow.address}).")
    return [values["grantee"], values["approver"], amounts, values["title"]]


def _describe(a: dict) -> str:
    amounts = [int(x) for x in a["amounts"]]
    tranches = ", ".join(format_units(x, "BTK") for x in amounts)
    return (f"Grant {format_units(sum(amounts), 'BTK')} to {a['grantee']} for “{a['title']}” in "
            f"{len(amounts)} milestone{'s' if len(amounts) != 1 else ''} ({tranches}), each paid when "
            f"{a['approver']} approves it")


TEMPLATES = (
    Template("milestone-grant", "Grant paid by milestones",
             "Pay a grant out of the grants budget in tranches, each when its milestone is approved.",
             (Field("grantee", "Grantee", "address", "who receives the tranches"),
              Field("approver", "Approver", "address", "who approves each milestone (a grants committee)"),
              Field("milestones", "Milestones (BTK)", "text", "the amount of each milestone, in order: 500, 1500"),
              Field("title", "What for", "text", "the grant's purpose, shown to everyone")),
             "grants", "createGrant", _args, _describe),
)
