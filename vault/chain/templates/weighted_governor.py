"""Templates of the weighted governor (BlocktrackWeightedGovernor, vault/chain/dao/power.py):
adopting it on a deployment made by an older version, and its settings.

"Adopt the weighted governor" is proposed on the governor in use: the timelock gives the
weighted governor its proposer and canceller roles and takes them from the governor in
use, in one proposal, so there is never a moment when both (or neither) can propose."""

from __future__ import annotations

from eth_utils import keccak

from ...errors import ChainError
from ..dao.power import KEY, MEMBERSHIP, MEMBERSHIP_TYPE, is_weighted, weighted_address
from ..units import format_units
from .base import Field, Template

PROPOSER_ROLE = keccak(text="PROPOSER_ROLE")
CANCELLER_ROLE = keccak(text="CANCELLER_ROLE")
_ROLES = {PROPOSER_ROLE: "proposer", CANCELLER_ROLE: "canceller"}


def _weighted(gov) -> str:
    found = weighted_address(gov.chain)
    if not found:
        raise ChainError("not-deployed", "The weighted governor is not deployed on this network: on the embedded "
                                         "chain, reopening the vault adds it; elsewhere its operator runs "
                                         "`vault chain upgrade`.")
    return gov.chain.w3.to_checksum_address(found)


def _adopt(values: dict, gov) -> list:
    weighted = _weighted(gov)
    if is_weighted(gov.chain, gov.governor):
        raise ChainError("already-adopted", "Proposals already go to the weighted governor: nothing to adopt.")
    return [PROPOSER_ROLE, weighted]


def _adopt_more(values: dict, gov) -> list:
    weighted, old = _weighted(gov), gov.governor.address
    return [("timelock", "grantRole", [CANCELLER_ROLE, weighted]),
            ("timelock", "revokeRole", [PROPOSER_ROLE, old]),
            ("timelock", "revokeRole", [CANCELLER_ROLE, old])]


def _describe_role(a: dict) -> str:
    role = _ROLES.get(bytes(a["role"]), "0x" + bytes(a["role"]).hex()[:12] + "…")
    return f"Give the timelock's {role} role to {a['account']}"


def _needs_active(gov) -> None:
    if not is_weighted(gov.chain, gov.governor):
        raise ChainError("not-adopted", "The weighted governor's settings are changed by its own proposals: adopt "
                                        "it first (the \"adopt-weighted-governor\" template).")


def _bonus(values: dict, gov) -> list:
    _needs_active(gov)
    return [values["credential_type"], values["amount"]]


def _remote(values: dict, gov) -> list:
    _needs_active(gov)
    return [values["source"]]


def _type_name(kind) -> str:
    return MEMBERSHIP_TYPE if bytes(kind) == MEMBERSHIP else "0x" + bytes(kind).hex()[:16] + "…"


TEMPLATES = (
    Template("adopt-weighted-governor", "Adopt the weighted governor",
             "Move proposing to the weighted governor: power from locked BTK and credential bonuses, and "
             "quadratic proposals. The timelock gives it the proposer and canceller roles and takes them from "
             "the governor in use; that governor's proposals stay listed.",
             (), "timelock", "grantRole", _adopt, _describe_role, more=_adopt_more),
    Template("credential-bonus", "Set a credential's voting bonus",
             "Give every holder of a valid credential of this type extra voting power on proposals (0 removes "
             "the bonus; at most 4 types).",
             (Field("credential_type", "Credential type", "bytes32", "its type name, e.g. BlocktrackMembership"),
              Field("amount", "Bonus (BTK of power)", "btk")),
             KEY, "setCredentialBonus", _bonus,
             lambda a: (f"Give holders of a {_type_name(a['credentialType'])} credential "
                        f"{format_units(int(a['amount']), 'votes')} of extra voting power")),
    Template("remote-votes", "Count votes from another chain",
             "Add a remote votes source's counts (IRemoteVotes) to token-weighted proposals made from now on "
             "(the zero address: none).",
             (Field("source", "Remote votes contract", "address"),),
             KEY, "setRemoteVotes", _remote,
             lambda a: f"Count the remote votes of {a['source']} on token-weighted proposals"),
)
