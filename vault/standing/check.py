"""A verified presentation's standing: the linked account (link.read) and, when a chain is
at hand, what it says of that account: bond, stake, trust score and its parts. Offline,
or on another chain, the standing is "not checked" with the reason; it is never guessed.

    standing_of(payload, verdict, domain=..., challenge=..., chain_factory=...) -> dict | None
"""

from __future__ import annotations

import json
import logging

from ..errors import ChainError
from . import link

log = logging.getLogger(__name__)


def document_of(payload) -> dict | None:
    """The presentation's JSON object, or None (a JWT presentation carries no standing)."""
    try:
        data = json.loads(payload)
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def chain_reading(chain, account: str) -> dict:
    """{bonded, bonded_since, staked, score, parts, summary} of ``account`` on ``chain``."""
    # start-up: the chain stack (web3, ~1 s measured) only when a chain is asked
    from ..chain.trustscore import summary, trust_score
    from ..chain.units import format_amount

    score = trust_score(chain, account)
    staked = chain.contracts.staking.functions.stakeOf(chain.w3.to_checksum_address(account)).call()
    return {"bonded": score["bonded"], "bonded_since": score["bonded_since"], "staked": format_amount(staked),
            "score": score["score"], "parts": score["parts"], "formula": score["formula"],
            "slashes": score["slashes"], "summary": summary(score), "block": score["block"]}


def standing_of(payload, verdict, *, domain: str, challenge: str, chain_factory=None) -> dict | None:
    """None when the presentation carries no standing; else {account, chain_id, proven,
    problem, chain (chain_reading or None), not_checked (why not, or None)}.
    ``chain_factory()`` opens a connected chain (a context manager) or raises ChainError;
    None means offline. Only a presentation that verified has a standing worth reading."""
    document = document_of(payload)
    found = link.read(document, verdict.holder, domain, challenge) if document is not None else None
    if found is None:
        return None
    out = found.to_json() | {"chain": None, "not_checked": None}
    if not verdict.valid:
        return out | {"proven": False, "problem": "The presentation did not verify, so its standing counts for "
                                                  "nothing."}
    if not found.proven:
        return out
    if chain_factory is None:
        return out | {"not_checked": "offline: the bond and score were not read from the chain"}
    try:
        with chain_factory() as chain:
            if chain.chain_id != found.chain_id:
                return out | {"not_checked": f"the account is on chain {found.chain_id}; this vault uses chain "
                                             f"{chain.chain_id}"}
            return out | {"chain": chain_reading(chain, found.account)}
    except ChainError as exc:
        log.debug("standing not read from the chain", exc_info=True)
        return out | {"not_checked": str(exc)}


def lines(standing: dict | None) -> list[str]:
    """The standing in words, as `vault verify` prints it."""
    if standing is None:
        return ["Standing: none presented"]
    if not standing["proven"]:
        return [f"Standing: not proven: {standing['problem']}"]
    head = f"Standing: account {standing['account']} (chain {standing['chain_id']}), linked to the holder"
    if standing["chain"] is None:
        return [head, f"  not checked: {standing['not_checked']}"]
    c = standing["chain"]
    out = [head, f"  {c['summary']}", f"  trust score {c['score']} / 100 (block {c['block']}); staked {c['staked']} BTK"]
    out += [f"    {p['part']:<12} {p['points']:>+4}  {p['detail']}" for p in c["parts"]]
    return out
