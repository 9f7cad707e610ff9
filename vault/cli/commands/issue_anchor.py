"""`vault issue … --anchor`: the credential just issued, anchored as a soulbound token for
the learner's account, the same plan the Issue page runs (vault.anchoring.writes, run by
TxService with the command line's confirmation: the issuance fee is in its preview).

Checked before anything is signed or issued: the profile has an anchoring account of this
vault that holds the issuer role, and the token has a holder (the recipient's did:pkh, or
--holder). A credential whose anchoring is then not confirmed stays issued, not anchored
(`vault issuer log` says so; `vault soulbound issue --file` anchors it later).
"""

from __future__ import annotations

from contextlib import contextmanager

from ..io import UsageError, say
from ..session import open_session, run_plan, unlocked


@contextmanager
def opened(args):
    """(identity, chain session or None): the chain only when --anchor asks for it."""
    if not args.anchor:
        with unlocked(args) as identity:
            yield identity, None
        return
    with open_session(args) as session:
        yield session.identity, session


def holder_of(args, recipient: str) -> str:
    holder = (args.holder or "").strip() or (recipient if recipient.startswith("did:pkh:") else "")
    if not holder:
        raise UsageError("--anchor needs the learner's account: the recipient is not a did:pkh, so give "
                         "--holder ADDRESS")
    return holder


def check(args, session, issuer) -> str:
    """The anchoring account, once it is known to be able to anchor (before issuing)."""
    # start-up: the chain stack (web3, eth-account: ~0.5 s) loads only when --anchor asks for it
    from ...chain.soulbound import is_issuer
    from ...chain.units import parse_address
    from ...issuing.recipients import recipient_did

    if args.csv:
        raise UsageError("--anchor anchors one credential: use --to, not --csv")
    profile = issuer.profiles.get(args.profile)
    if profile.is_sample:
        raise UsageError("the demo profile's credentials are samples: they are never anchored")
    if not profile.anchor_account:
        raise UsageError(f"the profile {profile.name!r} has no anchoring account: set one with "
                         "`vault issuer profile create --anchor-account` (or on the Issue page)")
    parse_address(holder_of(args, recipient_did(args.to)), session.chain.chain_id)
    if not is_issuer(session.chain, profile.anchor_account):
        raise UsageError(f"{profile.anchor_account} does not hold the issuer role on {session.chain.name}: "
                         "ask governance for it first (the Issue page's \"Request the issuer role\", or "
                         f"`vault gov propose --template issuer-grant --param account={profile.anchor_account}`)")
    return profile.anchor_account


def anchor(args, session, issuer, record, account: str) -> bool:
    """Preview, confirm, send; True once anchored (and recorded in the issued log)."""
    # start-up: as in check(), the chain stack only for --anchor
    from ...anchoring.writes import issue_requests
    from ...chain.plan import as_plan
    from ...chain.units import format_units

    requests = issue_requests(session.service, account, holder_of(args, record.recipient), record.content,
                              embed=False)
    fee = session.chain.contracts.soulbound.functions.issuanceFee().call()
    intro = [f"Anchoring {record.id} for {holder_of(args, record.recipient)}: issuance fee "
             f"{format_units(fee, 'BTK')}, paid by {account}."]
    records, _confirmation = run_plan(args, session.service, as_plan(requests, "Anchor the credential issued"),
                                      intro=intro)
    if records is None:
        say(f"Not anchored: {record.id} is issued, not anchored (`vault soulbound issue --file` anchors it later).")
        return False
    tx = records[-1]
    token_id = next((int(e["args"]["tokenId"]) for e in tx.events if e.get("event") == "CredentialIssued"), None)
    issuer.mark_anchored(record.id, chain_id=tx.chain_id, tx_hash=tx.hash, token_id=token_id)
    say(f"Anchored as token {token_id} in transaction {tx.hash}.")
    return True
