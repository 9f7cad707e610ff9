"""`vault gov constitution|poll ...`: the DAO beyond proposals (vault/chain/dao).

    vault gov constitution show [--json]          the text in force, its version and hash
    vault gov constitution history [--json]       every version, its proposal, what changed
    vault gov constitution amend --text-file F --title T [--why W] [--summary S]
                                                   propose a new text (carried in full)
    vault gov poll create --question Q --option A --option B [--closes-in N] [--template …]
                          [--quadratic]            one member, one square root (membership
                                                   credential holders only)
    vault gov poll list [--json]                   every poll: open or closed, its proposal
    vault gov poll sign POLL OPTION --out F [--qr OUT] [--revision N]   no fee, nothing sent
    vault gov poll tally POLL BALLOT… [--json]     anyone: the same ballots, the same result
    vault gov poll promote POLL BALLOT… [--quadratic]   a passed, closed poll becomes a proposal

    vault gov grant list [--account A] [--json]   milestone grants: released, pending, yours
    vault gov grant approve ID                     the approver releases the next tranche
    (a milestone grant is proposed with `vault gov propose --template milestone-grant …`)

    vault gov daos | subdao grant|approve          sub-DAOs: see subdao.py
    vault gov rewards list|claim                   rewards for taking part: see gov_rewards.py
    vault gov remote root|sign|relay|tally         votes from another chain: see gov_remote.py
    vault gov membership show|demo                 the membership quadratic votes need: see
                                                   gov_membership.py

    vault gov keeper on|off|status                 the opt-in keeper (kept in the vault)
    vault gov keeper run                           queue / execute what is due now, once

    vault gov lock --amount X --blocks N            lock BTK: longer counts for more (polls)
    vault gov unlock                               withdraw them once the lock ended
    vault gov power --breakdown                    where your power comes from

POLL is a poll id or its start (at least 6 hex digits); BALLOT a ballot file (JSON or a
QR image) or a folder of them.
"""

from __future__ import annotations

from pathlib import Path

from ..io import UsageError, emit
from ..options import command, write_options
from ..session import connect, offline_signer, open_session, save_signed, sender_of, unlocked, write
from . import gov
from .gov_membership import add_membership_commands
from .gov_remote import add_remote_commands
from .gov_rewards import add_rewards_commands
from .subdao import add_subdao_commands


def cmd_constitution_show(args) -> None:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.constitution import Constitution

    with connect(args) as chain:
        shown = Constitution(chain).show()
    lines = [f"Constitution version {shown['version']} (keccak-256 {shown['hash']}) at {shown['address']}"]
    if shown["text"] is None:
        lines.append("Its text is not known to this app: no shipped text and no amending proposal carries a text "
                     "with this hash.")
    else:
        lines.append("")
        lines += shown["text"].rstrip().splitlines()
        cites = [(a["number"], c) for a in shown["articles"] for c in a["cited_by"]]
        if cites:
            lines += ["", "Cited by proposals:"] + [f"  Article {n}: {c['title']} ({c['proposal_id'][:12]}…)"
                                                    for n, c in cites]
    if shown["unknown_citations"]:
        lines.append("Proposals cite articles this version lacks: "
                     + ", ".join(str(n) for n in shown["unknown_citations"]))
    emit(args, shown, "\n".join(lines))


def cmd_constitution_history(args) -> None:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.constitution import Constitution

    with connect(args) as chain:
        rows = Constitution(chain).history()
    lines = []
    for v in rows:
        by = f"by proposal {v['proposal_id'][:12]}…" if v["proposal_id"] else "with the deployment"
        lines.append(f"version {v['version']}  block {v['block']:,}  {by}  {v['hash'][:18]}…"
                     + ("" if v["text_known"] else "  (text unknown)"))
        if v["summary"]:
            lines.append(f"    {v['summary']}")
        for c in v["changes"]:
            lines.append(f"    Article {c['article']} ({c['title']}): {c['change']}")
            lines += [f"      {d}" for d in c["diff"]]
    emit(args, [{k: val for k, val in v.items() if k != "text"} | {"text": v["text"]} for v in rows],
         "\n".join(lines))


def cmd_constitution_amend(args) -> int:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.constitution import Constitution, amendment_description
    from ...chain.governance import Governance

    try:
        text = Path(args.text_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {args.text_file}: {exc}") from None
    with open_session(args) as s:
        gov = Governance(s.chain)
        call = Constitution(s.chain).amend_call(gov, text, args.summary or args.title)
        request = gov.propose_request(s.service, sender_of(args, s), [call],
                                      amendment_description(args.title, args.why, text))
        return write(args, s, request, intro=[f"Proposal: {call.summary}"])


def cmd_poll_create(args) -> int:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.polls import Polls
    from ...chain.governance import Governance

    with open_session(args) as s:
        calls = [gov._template_call(args, Governance(s.chain))] if args.template else []
        request = Polls(s.chain).create_request(s.service, sender_of(args, s), args.question, args.option,
                                                closes_in=args.closes_in, calls=calls, details=args.details,
                                                quadratic=args.quadratic)
        counting = [f"Counting: {QUADRATIC_WORDS}"] if args.quadratic else []
        return write(args, s, request, intro=[f"Poll: {args.question}"] + counting
                     + [f"If it passes: {c.summary}" for c in calls],
                     data={"poll_id": request.params["poll_id"]})


# What makes a ballot of a quadratic poll count, in the words the CLI and the GUI show.
QUADRATIC_WORDS = ("quadratic: one member, one square root. A ballot weighs √ of the voter's power at the "
                   "snapshot and counts only if the voter then held a membership credential "
                   "(BlocktrackMembership, from an accredited issuer, not revoked).")


def _poll_line(p: dict) -> str:
    state = f"open, {p['blocks_left']} blocks left" if p["open"] else "closed"
    text = f"{p['poll_id'][:14]}…  {state:<24} {p['question'][:60]}\n    options: " + \
        ", ".join(f"{i} = {o}" for i, o in enumerate(p["options"]))
    if p.get("counting") == "quadratic":
        text += "\n    counting: quadratic (one member, one square root)"
    for c in p["calls"]:
        text += f"\n    if it passes: {c['summary']}"
    if p["proposal_id"]:
        text += f"\n    promoted to proposal {p['proposal_id'][:12]}…"
    return text


def cmd_poll_list(args) -> None:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.polls import Polls

    with connect(args) as chain:
        rows = Polls(chain).list()
    emit(args, rows, "\n".join(_poll_line(p) for p in rows) or "No polls yet.")


def cmd_poll_sign(args) -> None:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.ballots import export_ballot_qr
    from ...chain.dao.polls import Polls

    if not args.out and not args.qr:
        raise UsageError("give --out FILE and/or --qr OUT")
    with unlocked(args) as identity:
        voter = offline_signer(args, identity)
        key = identity.eth_private_key(voter)
        with connect(args) as chain:
            ballot = Polls(chain).sign_ballot(key, args.poll, args.option, args.revision)
    written = save_signed(args, ballot, export_ballot_qr)
    emit(args, ballot | {"files": written}, f"Signed {voter}'s ballot (option {ballot['option']}, revision "
                                            f"{ballot['revision']}); give it to whoever tallies:\n"
                                            + "\n".join(f"  {w}" for w in written))


def _tally_text(r: dict, unreadable: list, embedded: bool = False) -> str:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.membership import NOT_A_MEMBER
    from ...chain.dao.polls import weight_units
    from ...chain.units import format_units

    counting = r.get("counting", "token")
    lines = [f"{r['question']} (votes at block {r['snapshot_block']:,})"]
    if counting == "quadratic":
        lines.append(f"  Counting: {QUADRATIC_WORDS}")
    lines += [f"  {o['option']} {o['name']}: {weight_units(int(o['weight_wei']), counting)}" for o in r["options"]]
    if counting == "quadratic":
        lines += [f"  counted: {c['voter']}: {c['option_name']}, √ of {format_units(int(c['power_wei']), 'votes')} "
                  f"= {weight_units(int(c['weight_wei']), counting)} (membership token {c['membership_token']})"
                  for c in r["counted"]]
    of = f" by {format_units(int(r['power_wei']), 'votes')} of members' power" if counting == "quadratic" else ""
    lines.append(f"  {len(r['counted'])} ballots counted; quorum {format_units(int(r['quorum_wei']), 'votes')} "
                 f"{'reached' if r['quorum_reached'] else 'not reached'}{of}; "
                 f"{'PASSED' if r['passed'] else 'not passed'}" + (" so far (still open)" if r["open"] else ""))
    lines += [f"  not counted: {x['voter'] or '?'}: {x['reason']}" for x in r["rejected"]]
    if embedded and any(x["reason"].startswith(NOT_A_MEMBER) for x in r["rejected"]):
        lines.append("  (on this built-in test chain, `vault gov membership demo` gives a vault account a demo "
                     "membership for the polls made from then on)")
    lines += [f"  unreadable: {u['file']}: {u['error']}" for u in unreadable]
    lines.append(f"  tally {r['tally_hash']} (the same ballots give the same hash anywhere)")
    return "\n".join(lines)


def cmd_poll_tally(args) -> None:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.ballots import read_ballots
    from ...chain.dao.polls import Polls

    ballots, unreadable = read_ballots(args.ballots)
    with connect(args) as chain:
        result = Polls(chain).tally(args.poll, ballots)
        embedded = chain.embedded is not None
    emit(args, result | {"unreadable": unreadable}, _tally_text(result, unreadable, embedded))


def cmd_poll_promote(args) -> int:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.ballots import read_ballots
    from ...chain.dao.polls import Polls

    ballots, _ = read_ballots(args.ballots)
    with open_session(args) as s:
        request = Polls(s.chain).promote_request(s.service, sender_of(args, s), args.poll, ballots,
                                                 quadratic=args.quadratic)
        return write(args, s, request)


def cmd_grant_list(args) -> None:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.grants import Grants
    from ...chain.units import format_units
    from ..session import address_arg

    with connect(args) as chain:
        account = address_arg(args.account) if args.account else None
        g = Grants(chain)
        data = {"budget": g.budget(), "grants": g.list(account)}
    lines = [f"Grants budget: {data['budget']['available']} BTK not committed, {data['budget']['committed']} BTK "
             "committed"]
    for x in data["grants"]:
        mark = " (yours)" if x["yours"] else (" (you approve)" if x["you_approve"] else "")
        lines.append(f"#{x['grant_id']} {x['title']}{mark}: {x['state']}, {x['released']} BTK released, "
                     f"{x['pending']} BTK pending; to {x['grantee']}, approved by {x['approver']}")
        lines += [f"    milestone {m['milestone']}: {format_units(int(m['amount_wei']), 'BTK')} {m['status']}"
                  for m in x["milestones"]]
    emit(args, data, "\n".join(lines))


def cmd_grant_approve(args) -> int:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.grants import Grants

    with open_session(args) as s:
        return write(args, s, Grants(s.chain).approve_request(s.service, sender_of(args, s), args.grant_id))


def cmd_keeper(args) -> int | None:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.keeper import due, keeper_enabled, keeper_step, set_keeper

    if args.action in ("on", "off", "status"):
        with unlocked(args) as identity:
            on = set_keeper(identity.store, args.action == "on") if args.action != "status" \
                else keeper_enabled(identity.store)
        emit(args, {"keeper": "on" if on else "off"},
             "Keeper on: while the desktop app runs (or at each `vault gov keeper run`), passed proposals are "
             "queued and executed from your first account, which pays the network fees." if on else
             "Keeper off: proposals are queued and executed only when someone does it.")
        return 0
    with open_session(args) as s:
        if not keeper_enabled(s.identity.store):
            raise UsageError("the keeper is off: `vault gov keeper on` first (it sends transactions and pays "
                             "their fees)")
        pending = due(s.chain)
        records = keeper_step(s.service, sender_of(args, s))
    emit(args, {"due": [{"action": a, "proposal_id": str(p)} for a, p in pending],
                "transactions": [r.to_json() for r in records]},
         "\n".join(f"{r.status.capitalize()}: {r.description} — {r.hash}" for r in records) or "Nothing is due.")
    return 0


def cmd_lock(args) -> int:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.escrow import Escrow
    from ..session import amount_arg

    with open_session(args) as s:
        amount = amount_arg(args.amount) if args.amount not in (None, "0") else 0
        return write(args, s, Escrow(s.chain).lock_requests(s.service, sender_of(args, s), amount, args.blocks))


def cmd_unlock(args) -> int:
    # start-up: the chain stack (web3, ~0.3 s) loads only when the command runs
    from ...chain.dao.escrow import Escrow

    with open_session(args) as s:
        return write(args, s, Escrow(s.chain).unlock_request(s.service, sender_of(args, s)))


def add_parser(sub) -> None:
    """`vault gov ...` with the DAO's commands (this module reads gov's, not the reverse)."""
    add_dao_commands(gov.add_parser(sub))


def add_dao_commands(gp) -> None:
    """Under `vault gov`."""
    cp = gp.add_parser("constitution", help="the DAO constitution: text, version, history, amendments"
                       ).add_subparsers(dest="constitution_sub", required=True)
    command(cp, "show", cmd_constitution_show, "the constitution in force (text, version, hash, citations)")
    command(cp, "history", cmd_constitution_history, "every version: who enacted it and what changed")
    p = command(cp, "amend", cmd_constitution_amend, "propose a new constitution text (the proposal carries it "
                                                     "in full and its hash)")
    p.add_argument("--text-file", required=True, metavar="FILE", help="the complete new text (UTF-8 Markdown with "
                                                                      "“## Article N. Title” headings)")
    p.add_argument("--title", required=True, help="the proposal's title")
    p.add_argument("--why", default="", help="why, in a few sentences (cite articles as “Article 5”)")
    p.add_argument("--summary", default="", help="the one line recorded on chain (default: the title)")
    write_options(p)
    _add_poll_commands(gp)
    p = command(gp, "keeper", cmd_keeper, "the opt-in keeper: queue and execute passed proposals when due")
    p.add_argument("action", choices=("on", "off", "status", "run"))
    p.add_argument("--from", dest="sender", metavar="ADDRESS", help="run: which vault account pays")
    p = command(gp, "lock", cmd_lock, "lock BTK in the vote-escrow: the longer, the more power in polls")
    p.add_argument("--amount", default="0", help="BTK to add (0: only extend the lock)")
    p.add_argument("--blocks", type=int, required=True, help="how long, from the block it lands in")
    write_options(p)
    p = command(gp, "unlock", cmd_unlock, "withdraw locked BTK once the lock ended")
    write_options(p)
    gr = gp.add_parser("grant", help="grants paid by milestone: released and pending tranches, approvals"
                       ).add_subparsers(dest="grant_sub", required=True)
    p = command(gr, "list", cmd_grant_list, "every milestone grant and the grants budget (no passphrase)")
    p.add_argument("--account", metavar="ADDRESS", help="mark the grants this address receives or approves")
    p = command(gr, "approve", cmd_grant_approve, "release the next milestone's tranche (the grant's approver)")
    p.add_argument("grant_id", type=int)
    write_options(p)

    add_subdao_commands(gp)
    add_rewards_commands(gp)
    add_remote_commands(gp)
    add_membership_commands(gp)


def _add_poll_commands(gp) -> None:
    pp = gp.add_parser("poll", help="gas-free polls: signed ballots, a tally anyone repeats, promotion to a "
                                    "proposal").add_subparsers(dest="poll_sub", required=True)
    p = command(pp, "create", cmd_poll_create, "register a poll (one transaction; ballots cost nothing)")
    p.add_argument("--question", required=True)
    p.add_argument("--option", action="append", required=True, help="an option (repeat; the first is the one "
                                                                     "that passes the poll)")
    p.add_argument("--closes-in", type=int, default=50, metavar="BLOCKS", help="how long ballots are taken "
                                                                               "(default 50 blocks)")
    p.add_argument("--details", default="", help="what voters should know (cite articles as “Article 3”)")
    p.add_argument("--quadratic", action="store_true", help="count one member, one square root: √ of each "
                                                            "voter's power, membership credential holders only")
    gov.template_options(p, required=False)
    write_options(p)
    command(pp, "list", cmd_poll_list, "every poll: question, options, open or closed, its proposal")
    p = command(pp, "sign", cmd_poll_sign, "sign a ballot (EIP-712): no transaction, no fee")
    p.add_argument("poll", help="the poll's id or its start")
    p.add_argument("option", help="the option's number or its text")
    p.add_argument("--revision", type=int, default=0, help="a higher revision replaces your earlier ballot")
    p.add_argument("--from", dest="sender", metavar="ADDRESS", help="which vault account (default: the first)")
    p.add_argument("--out", metavar="FILE", help="write the ballot as JSON here")
    p.add_argument("--qr", metavar="OUT", help="also as a QR code (a .png/.svg file, or a folder)")
    p = command(pp, "tally", cmd_poll_tally, "count ballots at the poll's snapshot (anyone, no passphrase)")
    p.add_argument("poll")
    p.add_argument("ballots", nargs="+", help="ballot files (JSON or QR images) or folders of them")
    p = command(pp, "promote", cmd_poll_promote, "turn a passed, closed poll into the proposal it asked for")
    p.add_argument("poll")
    p.add_argument("ballots", nargs="+")
    p.add_argument("--quadratic", action="store_true", help="propose it one member one square root")
    write_options(p)
