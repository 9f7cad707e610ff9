"""Proposal ids as people see and type them.

A governor's proposal id is a 256-bit hash written as a decimal number of ~77 digits.
Lists show its first 12 digits (``short_id``: "741767408900…"), and that shown form is
what ``resolve`` takes back: the start of an id (the "…" pasted along or not) names the
one proposal whose id starts so; the whole id, decimal or 0x hex, works too.
"""

from __future__ import annotations

import re

from ..errors import ChainError

SHOWN_DIGITS = 12
MIN_ID_DIGITS = 4  # the shortest start taken as naming a proposal (as for credential ids)


def short_id(proposal_id) -> str:
    """A proposal id shortened for reading: its first 12 digits and "…"."""
    text = str(int(proposal_id))
    return text if len(text) <= SHOWN_DIGITS else f"{text[:SHOWN_DIGITS]}…"


def parse_id(text) -> int:
    """A whole proposal id as written: decimal digits, or 0x and hex digits."""
    raw = str(text).strip()
    if re.fullmatch(r"[0-9]{1,78}", raw) and int(raw) < 2**256:
        return int(raw)
    if re.fullmatch(r"0[xX][0-9a-fA-F]{1,64}", raw):
        return int(raw, 16)
    raise ChainError("invalid-argument", f"{raw!r} is not a proposal id: give the number `vault gov proposals` "
                                         "shows (its first digits) or the whole id.")


def title(p: dict) -> str:
    """A proposal's title (its description's first line) in quotes, at most 60 characters."""
    text = p["description"].splitlines()[0].strip() if p["description"].strip() else "(untitled)"
    return f"“{text[:59] + '…' if len(text) > 60 else text}”"


def unknown(shown) -> ChainError:
    return ChainError("unknown-proposal", f"No proposal {shown} on this network; `vault gov proposals` lists them.")


def resolve(created: list[dict], text) -> int:
    """The id of the proposal among ``created`` (ProposalCreated records) that ``text``
    names: a whole id, or the start of exactly one id's decimal digits (an older
    "741767…1234" form is read as its start and end). Raises ChainError: invalid-argument
    (not an id, or fewer than MIN_ID_DIGITS digits), unknown-proposal, ambiguous-proposal
    (naming the candidates)."""
    raw = str(text).strip()
    ids = [p["proposal_id"] for p in created]
    head, dots, tail = raw.replace("...", "…").partition("…")
    if not dots:
        pid = parse_id(raw)
        if pid in ids:
            return pid
        if raw[:2].lower() == "0x":  # hex is only read as a whole id
            raise unknown(raw)
    elif not re.fullmatch(r"[0-9]+", head) or not re.fullmatch(r"[0-9]*", tail):
        parse_id(raw)  # raises: not an id
    if len(head) < MIN_ID_DIGITS:
        raise ChainError("invalid-argument", f"{raw!r} is too short to name a proposal: give at least "
                                             f"{MIN_ID_DIGITS} digits of its id (`vault gov proposals` lists them).")
    found = [p for p in created if str(p["proposal_id"]).startswith(head) and str(p["proposal_id"]).endswith(tail)]
    if not found:
        raise unknown(raw)
    if len(found) > 1:
        listed = "; ".join(f"{p['proposal_id']} {title(p)}" for p in found)
        raise ChainError("ambiguous-proposal", f"{len(found)} proposals have an id starting with {head}: {listed}. "
                                               "Give more of its digits.",
                         candidates=[str(p["proposal_id"]) for p in found])
    return found[0]["proposal_id"]
