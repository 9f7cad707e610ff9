"""The governance template "Award a contributor badge": the DAO (its timelock) anchors a
badge credential the proposer's vault issued, on SoulboundCredential, for the contributor.

This template is the proposal's anchoring call alone (a credential's hash, a holder). The
whole proposal — grant the timelock the issuer role when it lacks it, approve the issuance
fee, anchor — and the badge's issuing are vault.anchoring.dao_badge's (`vault gov rewards
badge --to ADDRESS`, the Rewards dialog's top contributors); here, a proposal that would
fail when executed for want of either is refused with what to do instead.
"""

from __future__ import annotations

from ...errors import ChainError
from .base import Field, Template
from .soulbound import ISSUER_ROLE

KEY = "contributor-badge"


def dao_can_anchor(chain) -> tuple[bool, bool]:
    """(the timelock holds the issuer role, its fee allowance covers one issuance)."""
    c = chain.contracts
    timelock = c.timelock.address
    role = c.soulbound.functions.hasRole(ISSUER_ROLE, timelock).call()
    fee = c.soulbound.functions.issuanceFee().call()
    return role, c.token.functions.allowance(timelock, c.soulbound.address).call() >= fee


def _args(values: dict, gov) -> list:
    chain = gov.chain
    token_id, _, _ = chain.contracts.soulbound.functions.tokenOfCredential(values["credential"]).call()
    if token_id:
        raise ChainError("already-anchored", f"This credential is already anchored as token {token_id}.")
    role, allowed = dao_can_anchor(chain)
    if not (role and allowed):
        lacking = "the issuer role" if not role else "an approval of the issuance fee"
        raise ChainError("invalid-argument", f"The DAO's timelock lacks {lacking}, so this proposal would fail "
                                             "when executed: `vault gov rewards badge --to ADDRESS` issues the "
                                             "badge and proposes the grant and the approval with it.")
    return [values["account"], values["credential"], ""]


def _describe(a: dict) -> str:
    return (f"The DAO anchors credential 0x{bytes(a['credentialHash']).hex()[:16]}… to {a['holder']} as a "
            "soulbound token (the timelock is its issuer)")


TEMPLATES = (
    Template(KEY, "Award a contributor badge",
             "The DAO anchors a contributor's badge credential (issued by the proposer's vault) for them.",
             (Field("account", "Contributor", "address", "who receives the badge"),
              Field("credential", "Badge credential hash", "bytes32", "the issued badge's hash (0x…)")),
             "soulbound", "issue", _args, _describe),
)
