"""The trust score: a deterministic function of chain state, shown with its parts, never
a black box (docs/reputation.md explains it so that a person can predict it).

    score = clamp(0, 100,  bond points + credential points + gig points - slash points)

    bond points        1 per full 25 BTK bonded in the ReputationRegistry, at most 40
    credential points  10 per anchored credential that is not revoked and whose issuer
                       holds the issuer role now, at most 30
    gig points         3 per gig completed (released) as talent or as client, at most 30
    slash points       20 per slash of the bond, without limit

Gigs come from ``GIG_SOURCES``: each is ``fn(chain, address) -> (as_talent, as_client)``.
The existing Marketplace is the first; another market adds its own function there
(``GIG_SOURCES.append(...)``) and its gigs count the same way.
"""

from __future__ import annotations

from typing import Callable

from ..errors import ChainError
from . import reputation, soulbound
from .marketplace import Market
from .units import format_amount

BOND_STEP_BTK = 25
BOND_MAX = 40
CREDENTIAL_POINTS, CREDENTIAL_MAX = 10, 30
GIG_POINTS, GIG_MAX = 3, 30
SLASH_POINTS = 20
FORMULA = (f"1 point per {BOND_STEP_BTK} BTK bonded (max {BOND_MAX}) + {CREDENTIAL_POINTS} per valid credential "
           f"from a current issuer (max {CREDENTIAL_MAX}) + {GIG_POINTS} per completed gig (max {GIG_MAX}) "
           f"- {SLASH_POINTS} per slash; between 0 and 100")


def _marketplace_gigs(chain, address: str) -> tuple[int, int]:
    talent = client = 0
    for g in Market(chain).gigs(status="released"):
        talent += (g.talent or "").lower() == address.lower()
        client += (g.client or "").lower() == address.lower()
    return talent, client


# Where completed gigs are counted from: fn(chain, address) -> (as talent, as client).
GIG_SOURCES: list[Callable[[object, str], tuple[int, int]]] = [_marketplace_gigs]


def _credentials(chain, address: str) -> tuple[int, int]:
    """(valid anchored credentials from current issuers, all anchored credentials)."""
    tokens = soulbound.scan(chain, [address])
    issuers: dict[str, bool] = {}
    valid = 0
    for t in tokens:
        if t["revoked"]:
            continue
        key = t["issuer"].lower()
        if key not in issuers:
            issuers[key] = soulbound.is_issuer(chain, t["issuer"])
        valid += issuers[key]
    return valid, len(tokens)


def trust_score(chain, address: str) -> dict:
    """{address, block, score, formula, parts: [{part, value, points, max, detail}],
    bonded_since, slashes}: the score and every number it is made of."""
    address = chain.w3.to_checksum_address(address)
    try:
        bond = reputation.status(chain, address)
    except ChainError as exc:
        if exc.reason != "not-deployed":
            raise
        bond = None  # a network without the registry: no bond, no slash
    bonded_wei = bond.bonded if bond else 0
    bonded_whole = bonded_wei // 10**18
    bond_points = min(BOND_MAX, bonded_whole // BOND_STEP_BTK)
    valid, anchored = _credentials(chain, address)
    cred_points = min(CREDENTIAL_MAX, CREDENTIAL_POINTS * valid)
    talent = client = 0
    for source in GIG_SOURCES:
        t, c = source(chain, address)
        talent, client = talent + t, client + c
    gig_points = min(GIG_MAX, GIG_POINTS * (talent + client))
    slash_count = bond.slash_count if bond else 0
    slash_points = SLASH_POINTS * slash_count
    score = max(0, min(100, bond_points + cred_points + gig_points - slash_points))
    parts = [
        {"part": "bond", "value": format_amount(bonded_wei), "points": bond_points, "max": BOND_MAX,
         "detail": (f"{format_amount(bonded_wei)} BTK bonded" + (f" since {bond.bonded_since[:10]}"
                                                                 if bond and bond.bonded_since else "")
                    if bond else "no reputation registry on this network")},
        {"part": "credentials", "value": valid, "points": cred_points, "max": CREDENTIAL_MAX,
         "detail": f"{valid} valid anchored credentials from current issuers ({anchored} anchored in all)"},
        {"part": "gigs", "value": talent + client, "points": gig_points, "max": GIG_MAX,
         "detail": f"{talent} gigs completed as talent, {client} as client"},
        {"part": "slashes", "value": slash_count, "points": -slash_points, "max": 0,
         "detail": f"slashed {slash_count} times" + (f" ({format_amount(bond.slashed_total)} BTK)"
                                                     if slash_count else "")},
    ]
    return {"address": address, "block": chain.block_number, "score": score, "formula": FORMULA, "parts": parts,
            "bonded": format_amount(bonded_wei), "bonded_since": bond.bonded_since if bond else None,
            "anchored_credentials": valid, "gigs_completed": talent + client,
            "slashes": [s.to_json() for s in bond.slashes] if bond else []}


def summary(data: dict) -> str:
    """One sentence, as the Verify page shows it: "bonded 500 BTK since 2026-03-02;
    3 anchored credentials; 7 gigs completed"."""
    since = f" since {data['bonded_since'][:10]}" if data.get("bonded_since") else ""
    text = (f"bonded {data['bonded']} BTK{since}; {data['anchored_credentials']} anchored credentials; "
            f"{data['gigs_completed']} gigs completed")
    if data["slashes"]:
        text += f"; slashed {len(data['slashes'])} times"
    return text


def lines(data: dict) -> list[str]:
    out = [f"Trust score {data['score']} / 100 for {data['address']} (block {data['block']})"]
    out += [f"  {p['part']:<12} {p['points']:>+4}  (max {p['max']:>2})  {p['detail']}" for p in data["parts"]]
    out += [f"    slash in block {s['block']}: {s['amount']} BTK, {s['reason']}" for s in data["slashes"]]
    out.append(f"  formula: {data['formula']}")
    return out
