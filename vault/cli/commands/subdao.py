"""`vault gov daos` and `vault gov subdao grant|approve`: the sub-DAOs (vault/chain/dao/subdaos.py).

    vault gov daos [--dao N] [--account A] [--json]   every sub-DAO (council, budget left,
                                                       spent) or one with its grants
    vault gov subdao grant N --to ADDR --amount X --memo M   a council member grants out of
                                                       sub-DAO N's budget (their approval)
    vault gov subdao approve ID                        another council member approves
    vault gov subdao propose-grant N --grantee A --approver B --milestones 100,200 --title T
                                                       a council member proposes a milestone grant
    vault gov subdao fund GRANT                        the council's spend that funds it (and
                                                       activates it when one approval pays it)
    vault gov subdao activate GRANT                    once that spend is paid (anyone)
    vault gov subdao release GRANT                     its approver pays the next milestone
    vault gov subdao cancel-grant GRANT                a council member: the rest to the reserve
    vault gov subdao grants [--dao N] [--account A]    milestone grants, released/pending

The main DAO funds, claws back and appoints councils by proposals:
`vault gov propose --template fund-subdao|clawback-subdao|subdao-council --param …`.
"""

from __future__ import annotations

from ..io import emit
from ..options import command, write_options
from ...chain.dao.subdao_grants import SubDaoGrants
from ...chain.dao.subdaos import SubDaos
from ..session import address_arg, amount_arg, connect, open_session, sender_of, write


def _line(d: dict) -> str:
    mark = " (your council)" if d["you_are_council"] else ""
    return (f"{d['dao']}. {d['name']}{mark}: {d['budget']} BTK budget left, {d['spent']} BTK granted "
            f"({d['allocated']} allocated, {d['clawed_back']} clawed back); council "
            f"{', '.join(d['council'])}, {d['approvals_needed']} approval(s) per grant")


def cmd_daos(args) -> None:

    with connect(args) as chain:
        account = address_arg(args.account) if args.account else None
        s = SubDaos(chain)
        if args.dao is not None:
            d = s.get(args.dao, account)
            lines = [_line(d), d["rule"]]
            lines += [f"    grant {g['spend_id']}: {g['amount']} BTK to {g['to']} for “{g['memo']}”, {g['state']} "
                      f"({g['approvals']} of {d['approvals_needed']} approvals)" for g in d["grants"]]
            emit(args, d, "\n".join(lines))
            return
        data = {"reserve": s.reserve(), "daos": s.list(account)}
    lines = [f"Main DAO: the treasury (timelock); {data['reserve']['reserve']} BTK in the sub-DAO reserve, not yet "
             "allocated"] + [_line(d) for d in data["daos"]]
    emit(args, data, "\n".join(lines))


def cmd_subdao_grant(args) -> int:

    with open_session(args) as s:
        request = SubDaos(s.chain).grant_request(s.service, sender_of(args, s), args.dao, address_arg(args.to),
                                                 amount_arg(args.amount), args.memo)
        return write(args, s, request)


def cmd_subdao_approve(args) -> int:

    with open_session(args) as s:
        return write(args, s, SubDaos(s.chain).approve_request(s.service, sender_of(args, s), args.grant_id))


def cmd_subdao_grants(args) -> None:

    with connect(args) as chain:
        account = address_arg(args.account) if args.account else None
        grants = SubDaoGrants(chain).list(account, args.dao)
    lines = []
    for g in grants:
        paid = f" (paid for: `vault gov subdao activate {g['grant_id']}` starts it)" if g["funded"] else ""
        lines.append(f"grant {g['grant_id']} of sub-DAO {g['dao']}: “{g['title']}” to {g['grantee']}, {g['state']}"
                     f"{paid}; {g['released']} BTK released, {g['pending']} BTK pending (approver {g['approver']})")
        lines += [f"    milestone {m['milestone']}: {m['amount']} BTK {m['status']}" for m in g["milestones"]]
    emit(args, {"grants": grants}, "\n".join(lines) or "No sub-DAO milestone grants.")


def cmd_subdao_propose_grant(args) -> int:

    amounts = [amount_arg(x.strip()) for x in args.milestones.split(",") if x.strip()]
    with open_session(args) as s:
        return write(args, s, SubDaoGrants(s.chain).propose_request(
            s.service, sender_of(args, s), args.dao, address_arg(args.grantee), address_arg(args.approver), amounts,
            args.title))


def _grant_write(method: str):
    def cmd(args) -> int:
        with open_session(args) as s:
            return write(args, s, getattr(SubDaoGrants(s.chain), method)(s.service, sender_of(args, s), args.grant_id))
    return cmd


def add_subdao_commands(gp) -> None:
    """Under `vault gov`."""
    p = command(gp, "daos", cmd_daos, "the main DAO and its sub-DAOs: councils, budgets, grants (no passphrase)")
    p.add_argument("--dao", type=int, metavar="N", help="one sub-DAO (numbered from 1) with its grants")
    p.add_argument("--account", metavar="ADDRESS", help="mark the councils this address sits on")
    sp = gp.add_parser("subdao", help="a sub-DAO council's grants out of its budget"
                       ).add_subparsers(dest="subdao_sub", required=True)
    p = command(sp, "grant", cmd_subdao_grant, "grant out of a sub-DAO's budget (a council member)")
    p.add_argument("dao", type=int, metavar="N", help="the sub-DAO's number in `vault gov daos`")
    p.add_argument("--to", required=True, metavar="ADDRESS")
    p.add_argument("--amount", required=True, help="BTK")
    p.add_argument("--memo", required=True, help="what for, shown to everyone")
    write_options(p)
    p = command(sp, "approve", cmd_subdao_approve, "approve a council grant (paid once enough members approve)")
    p.add_argument("grant_id", type=int)
    write_options(p)
    p = command(sp, "propose-grant", cmd_subdao_propose_grant,
                "propose a grant paid by milestones out of a sub-DAO's budget (a council member)")
    p.add_argument("dao", type=int, metavar="N", help="the sub-DAO's number in `vault gov daos`")
    p.add_argument("--grantee", required=True, metavar="ADDRESS")
    p.add_argument("--approver", required=True, metavar="ADDRESS", help="who releases each milestone")
    p.add_argument("--milestones", required=True, metavar="BTK,BTK,…", help="each milestone's amount, in order")
    p.add_argument("--title", required=True, help="what for, shown to everyone")
    write_options(p)
    for name, method, words in (("fund", "fund_requests", "fund a proposed milestone grant out of the budget "
                                 "(a council spend; activated at once when one approval pays it)"),
                                ("activate", "activate_request", "activate a milestone grant once its spend is paid"),
                                ("release", "approve_request", "release the next milestone (the grant's approver)"),
                                ("cancel-grant", "cancel_request", "cancel a milestone grant: what is not released "
                                 "goes back to the sub-DAO reserve (a council member)")):
        p = command(sp, name, _grant_write(method), words)
        p.add_argument("grant_id", type=int, metavar="GRANT")
        write_options(p)
    p = command(sp, "grants", cmd_subdao_grants, "milestone grants from sub-DAO budgets: released and pending "
                "(no passphrase)")
    p.add_argument("--dao", type=int, metavar="N", help="one sub-DAO's (numbered from 1)")
    p.add_argument("--account", metavar="ADDRESS", help="mark the grants this address receives or approves")
