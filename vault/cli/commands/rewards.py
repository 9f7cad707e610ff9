"""`vault rewards ...`: learn-to-earn (docs/reputation.md).

    vault rewards list [--address A]          your credentials' rewards, bounties, claimed history
    vault rewards schedules                   what you could earn by learning what
    vault rewards claim TOKEN_ID | --bounty ID
"""

from __future__ import annotations

from ..io import UsageError, emit
from ..options import DO_IT, command, write_options
from ..session import connect, read_target, with_service

_STATUS = {"claimable": "claimable", "claimed": "claimed", "revoked": "revoked", "no-reward": "no reward",
           "budget-exhausted": "budget spent", "type-not-declared": "type not declared"}


def _schedule_line(s: dict) -> str:
    state = "open" if s["open"] else "closed" if s["closed"] else "ended or spent"
    what = s["type_name"] or s["credential_type"][:18] + "…"
    return (f"{s['id']:>3}  {s['amount']:>8} BTK  {what:<28} from {s['issuer']}  budget left "
            f"{s['budget_left']} BTK, until block {s['end_block']} ({state}): {s['title']}")


def cmd_rewards_list(args) -> None:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.rewards import overview

    data = read_target(args, overview)
    lines = [f"Rewards of {data['address']}"]
    lines += [f"  token {c['token_id']:>4}  {_STATUS[c['status']]:<18}"
              + (f" {c['amount']} BTK" if c["amount"] else "")
              + (f"  ({c['title']})" if c["title"] else "")
              + (f"  `vault rewards claim {c['token_id']}`" if c["status"] == "claimable" else "")
              for c in data["credentials"]] or ["  No anchored credentials."]
    if data["bounties"]:
        lines.append("Bounties:")
        lines += [f"  bounty {b['id']:>3}  {b['status']:<9} {b['amount']} BTK  {b['description']}"
                  for b in data["bounties"]]
    if data["history"]:
        lines.append("Claimed:")
        lines += [f"  {h['kind']} {h['id']}: {h['amount']} BTK in block {h['block']} ({h['tx']})"
                  for h in data["history"]]
    emit(args, data, "\n".join(lines))


def cmd_rewards_schedules(args) -> None:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.rewards import schedules

    with connect(args) as chain:
        rows = schedules(chain, known_types=args.type or [])
    emit(args, rows, "\n".join(_schedule_line(s) for s in rows) or "There are no reward schedules.")


def cmd_rewards_claim(args) -> int:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.rewards import claim_bounty_request, claim_request

    if (args.token is None) == (args.bounty is None):
        raise UsageError("usage: vault rewards claim TOKEN_ID | --bounty ID")
    if args.bounty is not None:
        return with_service(args, lambda service, sender: claim_bounty_request(service, sender, args.bounty))
    return with_service(args, lambda service, sender: claim_request(service, sender, args.token))


def add_parser(sub) -> None:
    """`vault rewards ...`."""
    sp = sub.add_parser("rewards", help="learn-to-earn: rewards for anchored credentials, bounties").add_subparsers(
        dest="sub", required=True)
    p = command(sp, "list", cmd_rewards_list, "what your anchored credentials can claim, bounties, claimed history")
    p.add_argument("--address", help="any address or did:pkh (needs no passphrase); default: your first account")
    p = command(sp, "schedules", cmd_rewards_schedules, "the reward schedules: which issuer and credential type "
                                                        "earn how much, budget left, end block")
    p.add_argument("--type", action="append", metavar="NAME", help="a credential type name to recognise "
                                                                   "(repeatable): the schedule shows it by name")
    p = command(sp, "claim", cmd_rewards_claim, "claim a credential's reward (by its token id) or a bounty")
    p.add_argument("token", nargs="?", type=int, metavar="TOKEN_ID")
    p.add_argument("--bounty", type=int, metavar="ID")
    write_options(p, DO_IT)
