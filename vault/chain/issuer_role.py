"""Becoming an issuer: the SoulboundCredential contract's ISSUER_ROLE (anchor and revoke
credentials) is granted by governance only, through the timelock. This is the template
call ("grant the issuer role to this account") and the request an account makes for
itself: a proposal with that one call, which the DAO then votes on.

    call = grant_issuer_call(gov, account)                 # a governance Call
    req = request_issuer_role(service, gov, sender, name="Riverside Bootcamp")
    status = role_status(chain, account)                   # what the Issue page shows

Checked before anything is signed: an account that already holds the role gets a
ChainError "already-issuer" (a proposal for it would pass and change nothing).
"""

from __future__ import annotations

from ..errors import ChainError
from .soulbound import is_issuer
from .templates import make_call
from .units import parse_address

TEMPLATE = "issuer-grant"   # the governance template this request is made from


def role_status(chain, account: str) -> dict:
    """{issuer: the account holds the role, fee: the issuance fee (wei), votes and
    threshold: its voting power and what proposing needs}."""
    sbt, gov = chain.contracts.soulbound, chain.contracts.governor
    account = chain.w3.to_checksum_address(account)
    return {"issuer": is_issuer(chain, account), "fee": int(sbt.functions.issuanceFee().call()),
            "votes": int(chain.contracts.token.functions.getVotes(account).call()),
            "threshold": int(gov.functions.proposalThreshold().call())}


def grant_issuer_call(gov, account: str):
    """The proposal's call, from the governance template "issuer-grant"
    (vault.chain.templates.soulbound): SoulboundCredential.grantRole(ISSUER_ROLE, account),
    made by the timelock (the contract's admin)."""
    chain = gov.chain
    account = parse_address(account, chain.chain_id)
    if is_issuer(chain, account):
        raise ChainError("already-issuer", f"{account} already holds the issuer role: it can anchor credentials "
                                           "now, no proposal is needed.")
    return make_call(gov, TEMPLATE, {"account": account})


def proposal_text(account: str, name: str = "") -> str:
    """The proposal's description: who asks, in their own (self-declared) words."""
    who = f"{name.strip()} ({account})" if name.strip() else account
    return (f"Grant the issuer role to {who}, so that it can anchor the credentials it issues as soulbound "
            "tokens and revoke them. The name is self-declared by the account.")


def request_issuer_role(service, gov, sender: str, *, account: str | None = None, name: str = ""):
    """The proposal ``sender`` makes to grant the issuer role to ``account`` (itself by
    default). ``below-threshold`` (delegate first) and ``already-issuer`` are raised here."""
    account = parse_address(account or sender, service.chain.chain_id)
    call = grant_issuer_call(gov, account)
    return gov.propose_request(service, sender, [call], proposal_text(account, name))
