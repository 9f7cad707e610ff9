"""An offer's gates from a bidder's side: which soulbound token meets the credential gate,
how much stake is missing, and what to do about it, in sentences.

A credential type is named by the hash of its name (``credential_type_hash("BachelorDegree")``
is keccak256 of the UTF-8 name); SoulboundCredential keeps no type, so a token's issuer
declares it once on the talent market (TalentMarket.setCredentialType)."""

from __future__ import annotations

import re

from eth_utils import keccak

from ...errors import ChainError
from ..units import format_units

_HASH = re.compile(r"0x[0-9a-fA-F]{64}")


def credential_type_hash(text: str) -> bytes:
    """The 32-byte type of a gate or a declaration: a 0x-prefixed 32-byte hex hash as is,
    any other text hashed (keccak256 of its UTF-8 bytes, surrounding spaces removed)."""
    text = (text or "").strip()
    if not text:
        raise ChainError("invalid-argument", "Name the credential type (for example BachelorDegree).")
    if _HASH.fullmatch(text):
        return bytes.fromhex(text[2:])
    return keccak(text=text)


def type_label(type_hex: str | None, names=()) -> str:
    """A gate's credential type as a person reads it: the first of ``names`` (e.g. the
    types of the vault's own credentials) whose hash it is, else the hash."""
    if not type_hex:
        return "any type"
    for name in names:
        if "0x" + keccak(text=str(name).strip()).hex() == type_hex.lower():
            return str(name)
    return type_hex


def qualifying_token(chain, market, gate: dict, account: str) -> tuple[int | None, list[int]]:
    """(the first of ``account``'s soulbound tokens that meets the credential gate, or None;
    the valid tokens from the gate's issuer whose type is not declared yet)."""
    sbt = chain.contracts.soulbound
    undeclared = []
    for token_id in sbt.functions.tokensOf(chain.w3.to_checksum_address(account)).call():
        holder, (_hash, issuer, _at, revoked, _revoked_at, _uri) = sbt.functions.credential(token_id).call()
        if revoked or issuer.lower() != gate["issuer"].lower() or holder.lower() != account.lower():
            continue
        if not gate["credential_type"]:
            return int(token_id), []
        declared = bytes(market.functions.credentialTypeOf(token_id).call())
        if "0x" + declared.hex() == gate["credential_type"].lower():
            return int(token_id), []
        if declared == b"\0" * 32:
            undeclared.append(int(token_id))
    return None, undeclared


def gate_report(chain, market, offer: dict, account: str, names=()) -> dict:
    """Whether ``account`` may bid on ``offer`` now: {ok, credential_token, staked_wei,
    missing: [sentences saying what is missing and how to get it]}."""
    gate = offer["gate"]
    missing: list[str] = []
    token_id = None
    if gate["issuer"]:
        token_id, undeclared = qualifying_token(chain, market, gate, account)
        if token_id is None:
            kind = type_label(gate["credential_type"], names)
            if undeclared:
                missing.append(f"Your credential token {undeclared[0]} from {gate['issuer']} has no declared type "
                               f"yet: ask its issuer to declare it as {kind} on the talent market (in "
                               "Blocktrack Vault: the credential's page, Declare for the talent market; or "
                               "`vault market declare-type`).")
            else:
                missing.append(f"This offer needs a valid credential of {kind} from the issuer {gate['issuer']}: "
                               f"ask that issuer to issue one and anchor it to {account}.")
    staked = 0
    if gate["min_stake_wei"]:
        staked = int(chain.contracts.staking.functions.stakeOf(chain.w3.to_checksum_address(account)).call())
        if staked < gate["min_stake_wei"]:
            missing.append(f"This offer needs {format_units(gate['min_stake_wei'])} staked; you have "
                           f"{format_units(staked)} staked: stake {format_units(gate['min_stake_wei'] - staked)} "
                           "more with a validator.")
    return {"ok": not missing, "credential_token": token_id, "staked_wei": staked, "missing": missing}
