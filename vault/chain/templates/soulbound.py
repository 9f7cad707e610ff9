"""Governance templates for SoulboundCredential: who may anchor credentials (the issuer
role) and what anchoring costs. "Become an issuer" on the embedded chain is one proposal
made from the first template, passed by holders, executed by the timelock."""

from __future__ import annotations

from eth_utils import keccak

from ...errors import ChainError
from ..units import format_units
from .base import Field, Template

ISSUER_ROLE = keccak(text="ISSUER_ROLE")
_ACCOUNT = Field("account", "Account", "address", "the institution's or mentor's Ethereum account")


def _grant_args(values: dict, gov) -> list:
    if gov.chain.contracts.soulbound.functions.hasRole(ISSUER_ROLE, values["account"]).call():
        raise ChainError("invalid-argument", f"{values['account']} already holds the issuer role.")
    return [ISSUER_ROLE, values["account"]]


def _revoke_args(values: dict, gov) -> list:
    if not gov.chain.contracts.soulbound.functions.hasRole(ISSUER_ROLE, values["account"]).call():
        raise ChainError("invalid-argument", f"{values['account']} does not hold the issuer role.")
    return [ISSUER_ROLE, values["account"]]


def _fee_args(values: dict, gov) -> list:
    return [values["fee"]]


def _is_issuer_role(args: dict) -> bool:
    return bytes(args.get("role", b"")) == ISSUER_ROLE


TEMPLATES = (
    Template("issuer-grant", "Grant the issuer role",
             "Let an institution or mentor anchor soulbound credentials (and pay the issuance fee).",
             (_ACCOUNT,), "soulbound", "grantRole", _grant_args,
             lambda a: (f"Grant the credential issuer role to {a['account']}" if _is_issuer_role(a)
                        else f"Grant the role 0x{bytes(a['role']).hex()} on the soulbound contract to {a['account']}")),
    Template("issuer-revoke", "Take back the issuer role",
             "Stop an account from anchoring new credentials; what it anchored stays on chain.",
             (_ACCOUNT,), "soulbound", "revokeRole", _revoke_args,
             lambda a: (f"Take the credential issuer role from {a['account']}" if _is_issuer_role(a)
                        else f"Revoke the role 0x{bytes(a['role']).hex()} on the soulbound contract from "
                             f"{a['account']}")),
    Template("issuance-fee", "Credential issuance fee",
             "Change the BTK an issuer pays the treasury for each credential anchored.",
             (Field("fee", "Fee (BTK)", "btk", "BTK per anchored credential"),), "soulbound", "setIssuanceFee",
             _fee_args, lambda a: f"Set the credential issuance fee to {format_units(a['newFee'], 'BTK')}"),
)
