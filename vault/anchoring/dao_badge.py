"""The DAO's contributor badge: the proposer's vault issues an Open Badges 3.0 credential to a
top contributor (vault/issuing, with one of its issuer profiles), and a proposal makes the
DAO's timelock anchor it on SoulboundCredential for them — so that, once executed, the chain
says the DAO anchored it (the token's issuer is the timelock).

    record, request = badge_proposal(service, gov, issuer, sender, profile, "0x…")
    # record: the issued badge (the issued log has it; deliver.write_file delivers it)
    # request: the proposal: [grant the timelock the issuer role?] [approve the fee?] anchor
    dao_anchor(chain, original) -> {token_id, holder, by_dao, words} | None
    record_dao_anchors(chain, issuer) -> [IssuedRecord]   # the issued log learns the DAO anchored

The proposal's calls are checked now: the treasury can pay the issuance fee, the badge is
not anchored yet; the grant and the approval are added only when the timelock lacks them.
"""

from __future__ import annotations

from ..chain import soulbound
from ..chain.eventlog import events
from ..chain.dao.rewards import Rewards, badge_achievement
from ..chain.templates import make_call
from ..chain.templates.badges import KEY as TEMPLATE
from ..chain.templates.badges import dao_can_anchor
from ..chain.templates.soulbound import ISSUER_ROLE
from ..chain.units import format_units, parse_address
from ..errors import ChainError, IssuingError, NotFound
from ..issuing.issuer import IssueOptions
from .hashing import credential_hash

DAO_NAME = "Blocktrack DAO"
TOP = 10   # the ranking's length a badge is awarded from


def contributor(chain, address: str, limit: int = TOP) -> dict:
    """``address``'s entry among the ``limit`` top contributors; ChainError otherwise."""
    address = parse_address(address, chain.chain_id)
    ranked = Rewards(chain).top_contributors(limit)
    found = next((c for c in ranked if c["account"].lower() == address.lower()), None)
    if found is None:
        raise ChainError("not-a-top-contributor", f"{address} is not among the {limit} top contributors, who "
                                                  "receive the badge (`vault gov rewards list --top "
                                                  f"{limit}` ranks them).")
    return found


def issue_badge(issuer, profile_ref, who: dict):
    """Issue the badge to ``who`` (a top_contributors entry) as ``profile_ref`` (the
    achievement is added to the profile on first use); the IssuedRecord."""
    profile = issuer.profiles.get(profile_ref)
    if profile.is_sample:
        raise IssuingError("The demo profile's key is public: the DAO's badge is issued with one of your own "
                           "issuer profiles (create one on the Issue page or with `vault issuer profile create`).")
    words = badge_achievement(who, DAO_NAME)
    try:
        achievement = issuer.profiles.achievement(profile.id, words["name"])
    except NotFound:
        achievement = issuer.profiles.add_achievement(
            profile.id, words["name"], description=f"Among {DAO_NAME}'s top contributors.",
            criteria=words["criteria"], tags=("dao", "contributor"))
    return issuer.issue(profile.id, achievement.id, who["account"], options=IssueOptions(note=words["description"]))


def _fee(chain) -> int:
    """The issuance fee, once the treasury is known to be able to pay it."""
    c = chain.contracts
    fee = c.soulbound.functions.issuanceFee().call()
    treasury = chain.btk_balance(c.timelock.address)
    if treasury < fee:
        raise ChainError("insufficient-btk", f"The treasury holds {format_units(treasury, 'BTK')}; anchoring costs "
                                             f"an issuance fee of {format_units(fee, 'BTK')}.")
    return fee


def badge_calls(gov, holder: str, chash: bytes) -> list:
    """The proposal's calls: the grant and the fee approval when the timelock lacks them,
    then the anchoring (template "contributor-badge")."""
    chain = gov.chain
    c = chain.contracts
    token_id, _, _ = soulbound.token_of_credential(chain, chash)
    if token_id:
        raise ChainError("already-anchored", f"This badge is already anchored as token {token_id}.")
    fee = _fee(chain)
    role, allowed = dao_can_anchor(chain)
    calls = []
    if not role:   # the DAO anchors as itself: it needs the role it grants others
        calls.append(gov.contract_call(c.soulbound, "grantRole", [ISSUER_ROLE, c.timelock.address]))
    if fee and not allowed:
        calls.append(gov.contract_call(c.token, "approve", [c.soulbound.address, fee]))
    if not calls:
        return [make_call(gov, TEMPLATE, {"account": holder, "credential": "0x" + chash.hex()})]
    return calls + [gov.contract_call(c.soulbound, "issue", [holder, chash, ""])]


def proposal_text(who: dict, record) -> str:
    return (f"Award the {DAO_NAME} contributor badge to {who['account']} (rank {who['rank']}: voted on "
            f"{who['votes_on_counted_proposals']} counted proposal(s), made {who['executed_proposals']} executed "
            f"proposal(s)). The badge {record.id} was issued by {record.profile_name}; once executed, the DAO's "
            "timelock anchors it as a soulbound token.")


def badge_proposal(service, gov, issuer, sender: str, profile_ref, address: str, *, limit: int = TOP):
    """(the issued badge, the proposal request). Everything on chain is checked before the
    badge is issued, so a refusal leaves nothing issued."""
    chain = service.chain
    who = contributor(chain, address, limit)
    _fee(chain)
    votes, needed = gov.token.functions.getVotes(sender).call(), gov.governor.functions.proposalThreshold().call()
    if votes < needed:   # refused before the badge is issued (propose_request would say it after)
        raise ChainError("below-threshold", f"{sender} has {format_units(votes, 'BTK')} of voting power; "
                                            f"proposing needs {format_units(needed, 'BTK')}. Delegate your BTK "
                                            "first (to yourself).")
    record = issue_badge(issuer, profile_ref, who)
    calls = badge_calls(gov, who["account"], credential_hash(record.content))
    return record, gov.propose_request(service, sender, calls, proposal_text(who, record))


def dao_anchor(chain, original: bytes) -> dict | None:
    """How ``original`` is anchored: {token_id, holder, issuer, revoked, by_dao, words};
    None when it is not."""
    token_id, _, _ = soulbound.token_of_credential(chain, credential_hash(original))
    if not token_id:
        return None
    t = soulbound.token(chain, token_id)
    by_dao = is_dao(chain, t["issuer"])
    state = "revoked" if t["revoked"] else "not revoked"
    who = "the DAO (its timelock, by an executed proposal)" if by_dao else t["issuer"]
    return {"token_id": token_id, "holder": t["holder"], "issuer": t["issuer"], "revoked": t["revoked"],
            "by_dao": by_dao, "words": f"Anchored by {who} as token {token_id} for {t['holder']}, {state}."}


def is_dao(chain, issuer: str) -> bool:
    """Whether a token's ``issuer`` is the DAO's timelock (an executed proposal anchored it)."""
    return issuer.lower() == chain.contracts.timelock.address.lower()


def record_dao_anchors(chain, issuer) -> list:
    """The credentials this vault issued that the DAO's timelock has anchored since (the
    badge's proposal executed, by whoever sent it): marked in the issued log as anchored by
    the DAO, with the execution's transaction and the token; returns the records marked.
    Reads the timelock's CredentialIssued events (kept per connection) and hashes only the
    unanchored credentials issued to each token's holder."""
    c = chain.contracts
    marked = []
    for e in events(chain, c.soulbound, ("CredentialIssued",)):
        args = e["args"]
        if not is_dao(chain, args["issuer"]):
            continue   # an issuer's own anchoring: its hook (mark_anchored) recorded it
        for record in issuer.unanchored_to(args["holder"]):
            if credential_hash(record.content) == bytes(args["credentialHash"]):
                marked.append(issuer.mark_anchored(record.id, chain_id=chain.chain_id, tx_hash=e["tx"],
                                                   token_id=int(args["tokenId"]), by_dao=True))
    return marked
