"""`vault gov rewards list|claim`: rewards for taking part (vault/chain/dao/rewards.py).

    vault gov rewards list [--account A] [--top N] [--json]   the rules, each epoch's pool and
                                                     your share, your bounties, proposals to
                                                     register, the top contributors
    vault gov rewards claim                          register what is due and claim what is
                                                     claimable (one confirmation)
"""

from __future__ import annotations

from ..io import emit
from ..options import command, write_options
from ...chain.dao.rewards import Rewards
from ..session import address_arg, connect, open_session, sender_of, write


def cmd_rewards_list(args) -> None:

    with connect(args) as chain:
        account = address_arg(args.account) if args.account else None
        r = Rewards(chain)
        data = r.overview(account)
        if args.top:
            data["top_contributors"] = r.top_contributors(args.top)
    lines = [data["rules"]["words"], f"Reserve: {data['rules']['reserve']} BTK; now in epoch {data['rules']['epoch']}."]
    for e in data["epochs"]:
        mine = ""
        if "your_reward" in e:
            state = "claimed" if e["claimed"] else ("claimable" if e["claimable"] else
                                                    f"claimable from block {e['claimable_from_block']:,}")
            mine = f"; yours: {e['your_reward']} BTK for {e['your_votes']} votes ({state})"
        lines.append(f"Epoch {e['epoch']}: {len(e['proposals'])} proposal(s), pool {e['pool']} BTK{mine}")
    lines += [f"Bounty for “{b['title']}”: {'claimed' if b['claimed'] else 'claimable'}" for b in data["bounties"]]
    lines += [f"To register: “{p['title']}” (epoch {p['epoch']})" for p in data["to_register"]]
    lines += [f"{c['rank']}. {c['account']}: voted on {c['votes_on_counted_proposals']} counted proposal(s), "
              f"{c['executed_proposals']} executed proposal(s)" for c in data.get("top_contributors", [])]
    emit(args, data, "\n".join(lines))


def cmd_rewards_claim(args) -> int:

    with open_session(args) as s:
        return write(args, s, Rewards(s.chain).claim_requests(s.service, sender_of(args, s)))


def add_rewards_commands(gp) -> None:
    """Under `vault gov`."""
    rp = gp.add_parser("rewards", help="rewards for voting and for proposals that were executed"
                       ).add_subparsers(dest="rewards_sub", required=True)
    p = command(rp, "list", cmd_rewards_list, "the rules, each epoch's pool and your share (no passphrase)")
    p.add_argument("--account", metavar="ADDRESS", help="whose share and bounties to show")
    p.add_argument("--top", type=int, default=0, metavar="N", help="also the N top contributors (badge candidates)")
    p = command(rp, "claim", cmd_rewards_claim, "register due proposals and claim your rewards and bounties")
    write_options(p)
