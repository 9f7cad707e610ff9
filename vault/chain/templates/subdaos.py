"""The main DAO's hold on its sub-DAOs (SubDaoTreasury, vault/chain/dao/subdaos.py):
allocate a budget out of the sub-DAO reserve, claw unspent budget back to the treasury,
appoint a council. A sub-DAO's own grants are its council's, not proposals."""

from __future__ import annotations

from ...errors import ChainError
from ..units import format_units, parse_address
from .base import Field, Template


def _dao(gov, number: int):
    """(contract, on-chain id) for a sub-DAO numbered from 1 as `vault gov daos` lists them."""
    contract = gov.chain.contracts.extension("subdaos")
    count = contract.functions.subDaoCount().call()
    if not 1 <= number <= count:
        raise ChainError("invalid-argument", f"There is no sub-DAO {number}; there are {count} "
                                             "(`vault gov daos` lists them).")
    return contract, number - 1


def _fund(values: dict, gov) -> list:
    contract, dao_id = _dao(gov, values["dao"])
    free = contract.functions.reserve().call()
    if values["amount"] > free:
        raise ChainError("insufficient-budget", f"The sub-DAO reserve holds {format_units(free, 'BTK')} not yet "
                                                f"allocated; this needs {format_units(values['amount'], 'BTK')}. "
                                                "Send BTK to the sub-DAO treasury first (a treasury grant to "
                                                f"{contract.address}).")
    return [dao_id, values["amount"]]


def _claw(values: dict, gov) -> list:
    contract, dao_id = _dao(gov, values["dao"])
    name, _, _, _, budget, _ = contract.functions.subDaoAt(dao_id).call()
    if values["amount"] > budget:
        raise ChainError("insufficient-budget", f"{name} has {format_units(budget, 'BTK')} of budget left; "
                                                f"{format_units(values['amount'], 'BTK')} cannot be clawed back.")
    return [dao_id, values["amount"]]


def _council(values: dict, gov) -> list:
    _, dao_id = _dao(gov, values["dao"])
    members = [parse_address(m.strip(), gov.chain.chain_id)
               for m in values["members"].replace(";", ",").split(",") if m.strip()]
    if not members or len(set(m.lower() for m in members)) != len(members):
        raise ChainError("invalid-argument", "Give the council's members once each, separated by commas.")
    if not 1 <= values["approvals"] <= len(members):
        raise ChainError("invalid-argument", f"A council of {len(members)} needs 1 to {len(members)} approvals "
                                             f"per grant; {values['approvals']} is not.")
    return [dao_id, members, values["approvals"]]


def _name(args: dict, chain) -> dict:
    """The sub-DAO's name for its on-chain id, for the proposal's words."""
    name, *_ = chain.contracts.extension("subdaos").functions.subDaoAt(int(args["daoId"])).call()
    return {"daoName": str(name)}


def _which(a: dict) -> str:
    number = int(a["daoId"]) + 1
    return f"the {a['daoName']} sub-DAO (number {number})" if a.get("daoName") else f"sub-DAO {number}"


_DAO = Field("dao", "Sub-DAO", "int", "its number in `vault gov daos` (1 = Ecosystem Growth)")

TEMPLATES = (
    Template("fund-subdao", "Fund a sub-DAO budget",
             "Allocate BTK of the sub-DAO reserve to one sub-DAO, for its council to grant.",
             (_DAO, Field("amount", "Amount (BTK)", "btk")),
             "subdaos", "allocate", _fund,
             lambda a: f"Allocate {format_units(int(a['amount']), 'BTK')} to the budget of {_which(a)}", _name),
    Template("clawback-subdao", "Claw back a sub-DAO budget",
             "Take unspent budget back from a sub-DAO to the main treasury.",
             (_DAO, Field("amount", "Amount (BTK)", "btk")),
             "subdaos", "clawBack", _claw,
             lambda a: (f"Claw back {format_units(int(a['amount']), 'BTK')} of the budget of {_which(a)} "
                        "to the treasury"), _name),
    Template("subdao-council", "Appoint a sub-DAO council",
             "Replace a sub-DAO's council; grants the old council left unpaid can no longer be approved.",
             (_DAO, Field("members", "Members", "text", "addresses separated by commas"),
              Field("approvals", "Approvals per grant", "int")),
             "subdaos", "setCouncil", _council,
             lambda a: (f"Make {', '.join(a['council'])} the council of {_which(a)}, "
                        f"{int(a['threshold'])} approval(s) per grant"), _name),
)
