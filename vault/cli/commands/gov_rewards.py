"""`vault gov rewards list|claim`: rewards for taking part (vault/chain/dao/rewards.py).

    vault gov rewards list [--account A] [--top N] [--json]   the rules, each epoch's pool and
                                                     your share, your bounties, proposals to
                                                     register, the top contributors
    vault gov rewards claim                          register what is due and claim what is
                                                     claimable (one confirmation)
    vault gov rewards badge --to ADDRESS [--profile P] [--out FILE] [--top N]
                                                     issue the DAO's contributor badge to a top
                                                     contributor and propose that the DAO anchor
                                                     it (vault/anchoring/dao_badge.py)
"""

from __future__ import annotations

from ..io import UsageError, emit, say
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


def _own_profile(issuer, ref):
    """The issuer profile named, else this vault's only own (non-demo) profile."""
    if ref:
        return issuer.profiles.get(ref)
    own = [p for p in issuer.profiles.list() if not p.is_sample]
    if len(own) != 1:
        raise UsageError("give --profile: the badge is issued with one of your issuer profiles "
                         + ("(you have none: `vault issuer profile create`)" if not own else
                            "(" + ", ".join(p.name for p in own) + ")"))
    return own[0]


def cmd_rewards_badge(args) -> int:
    # start-up: the chain and issuing stacks load only when the command runs
    from pathlib import Path

    from ...anchoring.dao_badge import badge_proposal
    from ...chain.governance import Governance
    from ...issuing.deliver import write_file
    from ...issuing.issuer import Issuer

    with open_session(args) as s:
        issuer = Issuer(s.identity)
        profile = _own_profile(issuer, args.profile)
        record, request = badge_proposal(s.service, Governance(s.chain), issuer, sender_of(args, s), profile.id,
                                         address_arg(args.to), limit=args.top)
        files = [str(write_file(record, Path(args.out)))] if args.out else []
        say(f"Issued {record.id} ({record.title}) as {record.profile_name}"
            + (f"; delivered to {files[0]}" if files else "; `vault issuer log` has it to deliver") + ".")
        return write(args, s, request, intro=[f"Award the contributor badge to {args.to}: once the proposal is "
                                              "executed, the DAO's timelock anchors it."],
                     data={"credential_id": record.id, "files": files})


def add_rewards_commands(gp) -> None:
    """Under `vault gov`."""
    rp = gp.add_parser("rewards", help="rewards for voting and for proposals that were executed"
                       ).add_subparsers(dest="rewards_sub", required=True)
    p = command(rp, "list", cmd_rewards_list, "the rules, each epoch's pool and your share (no passphrase)")
    p.add_argument("--account", metavar="ADDRESS", help="whose share and bounties to show")
    p.add_argument("--top", type=int, default=0, metavar="N", help="also the N top contributors (badge candidates)")
    p = command(rp, "claim", cmd_rewards_claim, "register due proposals and claim your rewards and bounties")
    write_options(p)
    p = command(rp, "badge", cmd_rewards_badge, "issue the contributor badge to a top contributor and propose "
                                                "that the DAO anchor it")
    p.add_argument("--to", required=True, metavar="ADDRESS", help="the contributor (one of the top contributors)")
    p.add_argument("--profile", help="your issuer profile that issues it (default: your only one)")
    p.add_argument("--out", metavar="FILE", help="write the badge here for the contributor (.json, .png, .svg)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="the ranking it is awarded from (default 10)")
    write_options(p)
