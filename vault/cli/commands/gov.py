"""`vault gov ...`: the DAO.

    vault gov power [--account A] [--breakdown]   balance, voting power, delegate (+ per proposal);
                                             where it comes from (token / locked / credential bonus)
    vault gov delegate [--to self|ADDR]      delegate voting power
    vault gov proposals | show ID            state, tallies, quorum, your vote, time left
    vault gov propose --template grant --to A --amount X --description T   (or market-fee,
                      reward-rate, slash, raw --target A --calldata 0x..) [--quadratic]
    vault gov vote ID for|against|abstain [--reason R]
    vault gov sign-vote ID SUPPORT --out F.json [--qr OUT] [--nonce N]   sign offline (EIP-712)
    vault gov relay FILE                     send someone's signed vote (JSON or QR image/folder)
    vault gov queue ID | execute ID          anyone, when due

ID is what `vault gov proposals` shows ("741767408900…", the "…" optional) or any start of
the id only one proposal has; the whole id (decimal or 0x hex) works too.

Every write prints its preview and asks; --yes sends without asking (scripts). Without
--yes and without a terminal it refuses (exit 2).
"""

from __future__ import annotations

import sys

from ...chain import networks, templates
from ...chain.dao import power as weighted
from ...chain.dao.escrow import Escrow
from ...chain.dao.keeper import executions
from ...chain.governance import (GOVERNOR_NAME, Governance, export_vote_qr, read_vote_source, short_id,
                                 sign_vote, voting_window)
from ...chain.proposal_ids import parse_id
from ...chain.units import format_units
from ..io import UsageError, confirm, emit, say
from ..options import command, write_options
from ..session import (address_arg, amount_arg, connect, offline_signer, open_session, save_signed, sender_of,
                       unlocked, write)

ID_HELP = "the id as `vault gov proposals` shows it (its first digits; at least 4), or the whole id"


def _when(seconds) -> str:
    if seconds is None:
        return ""
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds / 3600:.1f} h"


def _proposal_line(p: dict) -> str:
    v = p["votes"]
    text = (f"{short_id(p['proposal_id'])}  {p['state']:<9} {p['title'][:50]}\n"
            f"    for {v['for']} / against {v['against']} / abstain {v['abstain']} BTK; quorum "
            f"{p['quorum_progress']} of {p['quorum']} ({p['quorum_percent']:g} %)")
    t = p.get("time_left")
    if t:
        blocks = f"{t['blocks']} blocks, " if t.get("blocks") is not None else ""
        text += f"; {t['until']} in {blocks}about {_when(t['seconds_estimate'])}"
    if p["state"] == "queued" and p.get("eta"):
        text += f" (ETA timestamp {p['eta']})"
    mine = p.get("my_vote")
    if mine and mine["voted"]:
        text += f"; you voted {mine['support'] or 'yes'}" + (f" ({mine['weight']})" if mine.get("weight") else "")
    if p.get("quadratic"):
        text += "\n    quadratic: one person one square root (members only); votes above in √BTK"
    return text


def cmd_power(args) -> None:
    if args.account:
        with connect(args) as chain:
            rows = [Governance(chain).power(address_arg(args.account))]
    else:
        with open_session(args) as s:
            gov = Governance(s.chain)
            rows = [gov.power(a) for a in s.accounts]
            for r in rows:  # offer self-delegation to a holder without voting power
                if r["warning"] and not args.json and sys.stdin.isatty():
                    say(f"warning: {r['warning']}")
                    if confirm("Delegate to yourself now?"):
                        args.yes = False
                        write(args, s, gov.delegate_request(s.service, r["address"], r["address"]))
                        r.update(gov.power(r["address"]))
                    r["warning_shown"] = True
    if args.breakdown:
        with connect(args) as chain:
            gov = Governance(chain)
            escrow = Escrow(chain) if "escrow" in chain.contracts.extensions else None
            for r in rows:
                r["breakdown"] = escrow.breakdown(r["address"]) if escrow else {}
                r["breakdown"].update(weighted.breakdown(gov, r["address"]))
    lines = []
    for r in rows:
        lines.append(f"{r['address']}: {r['balance']} BTK, voting power {r['votes']} "
                     f"(delegate: {'yourself' if r['self_delegated'] else r['delegate'] or 'none'})")
        if args.breakdown:
            lines += breakdown_lines(r["breakdown"])
        for p in r["proposals"]:
            lines.append(f"    proposal {short_id(p['proposal_id'])} at snapshot block {p['snapshot']}: {p['votes']}")
        if r["warning"] and not r.pop("warning_shown", False):
            say(f"warning: {r['warning']}")
    emit(args, rows if not args.account else rows[0], "\n".join(lines))


def breakdown_lines(b: dict) -> list[str]:
    """`vault gov power --breakdown`: where one account's power comes from."""
    where = "the Governor and polls" if b["weighted"] else "polls"
    lines = [f"    delegated BTK: {format_units(int(b['token_votes_wei']), 'votes')} (the Governor and polls)"]
    if "locked_wei" in b:
        lines += [f"    locked: {format_units(int(b['locked_wei']), 'BTK')}"
                  + (f" until block {b['unlock_block']:,}" if b["unlock_block"] else "")
                  + f" = {format_units(int(b['lock_power_wei']), 'votes')} ({where})", f"    {b['decay']}"]
    kinds = ", ".join(f"{k['name'] or k['type'][:10] + '…'} +{k['bonus']} BTK" for k in b["bonus_types"])
    lines.append(f"    credential bonus: {format_units(int(b['credential_bonus_wei']), 'votes')}"
                 + (f" (bonus per credential type: {kinds})" if kinds else " (governance set no bonus)"))
    if "poll_power_wei" in b:
        lines.append(f"    in polls: {format_units(int(b['poll_power_wei']), 'votes')}; on proposals: "
                     f"{format_units(int(b['total_wei']), 'votes')}")
    else:
        lines.append(f"    on proposals: {format_units(int(b['total_wei']), 'votes')}")
    return lines + [f"    quadratic proposals: {b['quadratic_reason']}"]


def cmd_delegate(args) -> int:
    with open_session(args) as s:
        sender = sender_of(args, s)
        to = sender if args.to == "self" else address_arg(args.to, s.chain.chain_id)
        return write(args, s, Governance(s.chain).delegate_request(s.service, sender, to))


def cmd_proposals(args) -> None:
    with open_session(args, sign=False) as s:
        rows = Governance(s.chain).proposals(s.accounts[0])
    if args.state:
        rows = [r for r in rows if r["state"] == args.state]
    emit(args, rows, "\n".join(_proposal_line(r) for r in rows) or "No proposals yet.")


def cmd_show(args) -> None:
    with open_session(args, sign=False) as s:
        gov = Governance(s.chain)
        p = gov.proposal(gov.resolve_id(args.proposal_id), s.accounts[0])
        p["executed_by"] = executions(s.chain).get(p["proposal_id"])  # who sent the execution
    lines = [_proposal_line(p), f"    id: {p['proposal_id']}", f"    proposer: {p['proposer']}",
             f"    {voting_window(p)} (votes as delegated at block {p['snapshot']:,})", "    description:"]
    lines += [f"      {line}" for line in p["description"].splitlines()]
    lines += [f"    call {c['target']} value {c['value']} data {c['calldata'][:74]}" for c in p["calls"]]
    if p["executed_by"]:
        lines.append(f"    executed by {p['executed_by']['by']} in block {p['executed_by']['block']:,}")
    emit(args, p, "\n".join(lines))


def _params(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param takes NAME=VALUE, not {pair[:40]!r}")
        out[name.strip()] = value
    return out


def _template_call(args, gov):
    t = args.template
    if t in templates.registered():
        return templates.make_call(gov, t, _params(args.param))
    if t == "grant":
        if not args.to or not args.amount:
            raise UsageError("--template grant needs --to ADDRESS and --amount BTK")
        return gov.call_grant(address_arg(args.to, gov.chain.chain_id), amount_arg(args.amount))
    if t == "market-fee":
        if args.bps is None:
            raise UsageError("--template market-fee needs --bps N")
        return gov.call_market_fee(args.bps)
    if t == "reward-rate":
        if not args.amount:
            raise UsageError("--template reward-rate needs --amount BTK (per block)")
        return gov.call_reward_rate(amount_arg(args.amount))
    if t == "slash":
        if args.validator is None or args.bps is None:
            raise UsageError("--template slash needs --validator ID and --bps N")
        return gov.call_slash(args.validator, args.bps)
    if not args.target or not args.calldata:
        raise UsageError("--template raw needs --target ADDRESS and --calldata 0x…")
    try:
        data = bytes.fromhex(args.calldata.removeprefix("0x"))
        value = int(args.value)
    except ValueError:
        raise UsageError("--calldata must be hex and --value an integer (wei)") from None
    return gov.call_raw(address_arg(args.target, gov.chain.chain_id), data, value)


def cmd_propose(args) -> int:
    with open_session(args) as s:
        gov = Governance(s.chain)
        call = _template_call(args, gov)
        description = weighted.mark_quadratic(args.description) if args.quadratic else args.description
        if args.quadratic and not weighted.is_weighted(s.chain, gov.governor):
            raise UsageError("--quadratic needs the weighted governor; this network's governor counts "
                             "delegated BTK only (propose the \"adopt-weighted-governor\" template first)")
        request = gov.propose_request(s.service, sender_of(args, s), [call], description)
        return write(args, s, request, intro=[f"Proposal: {call.summary}"])


def cmd_vote(args) -> int:
    with open_session(args) as s:
        gov = Governance(s.chain)
        pid, sender = gov.resolve_id(args.proposal_id), sender_of(args, s)
        request = gov.vote_request(s.service, sender, pid, args.support, args.reason)
        w = weighted.vote_weight(gov, pid, sender)
        intro = [f"Your vote counts {w['counted']}" + (" (√ of your power: a quadratic proposal)"
                                                        if w["quadratic"] else "")] if w["counted"] else []
        return write(args, s, request, intro=intro, data={"vote_weight": w})


def cmd_sign_vote(args) -> None:
    if not args.out and not args.qr:
        raise UsageError("give --out FILE and/or --qr OUT")
    with unlocked(args) as identity:
        voter = offline_signer(args, identity)
        key = identity.eth_private_key(voter)
        if args.offline:
            if args.nonce is None:
                raise UsageError("--offline needs --nonce N (the voter's signature nonce: 0 before the first "
                                 "signed vote)")
            profile = networks.load_profile(args.data_dir)
            if profile.kind != networks.RPC:
                raise UsageError("--offline needs an RPC network with a manifest (`vault chain use rpc`); the "
                                 "embedded chain is always at hand")
            if "…" in args.proposal_id or "..." in args.proposal_id:
                raise UsageError("--offline needs the whole proposal id (`vault gov show ID --json` prints it): "
                                 "the start of one is only looked up online")
            pid = parse_id(args.proposal_id)
            manifest = networks.Manifest.load(profile.manifest)
            domain = {"chain_id": manifest.chain_id, "governor": manifest.contracts["governor"],
                      "name": GOVERNOR_NAME}
            nonce = args.nonce
        else:
            with connect(args) as chain:
                gov = Governance(chain)
                pid = gov.resolve_id(args.proposal_id)
                domain = gov.domain()
                nonce = gov.vote_nonce(voter) if args.nonce is None else args.nonce
    vote = sign_vote(key, chain_id=domain["chain_id"], governor=domain["governor"], proposal_id=pid,
                     support=args.support, nonce=nonce, reason=args.reason, name=domain["name"])
    written = save_signed(args, vote, export_vote_qr)
    emit(args, vote | {"files": written},
         f"Signed {vote['voter']}'s vote {args.support.upper()} on proposal {pid} (nonce {nonce}); "
         f"anyone can relay it with `vault gov relay FILE`:\n" + "\n".join(f"  {w}" for w in written))


def cmd_relay(args) -> int:
    vote = read_vote_source(args.file)
    with open_session(args) as s:
        request = Governance(s.chain).relay_request(s.service, sender_of(args, s), vote)
        return write(args, s, request, data={"vote": vote})


def cmd_queue(args) -> int:
    with open_session(args) as s:
        gov = Governance(s.chain)
        return write(args, s, gov.queue_request(s.service, sender_of(args, s), gov.resolve_id(args.proposal_id)))


def cmd_execute(args) -> int:
    with open_session(args) as s:
        gov = Governance(s.chain)
        code = write(args, s, gov.execute_request(s.service, sender_of(args, s), gov.resolve_id(args.proposal_id)))
        if code == 0:   # a badge's proposal: the issued log learns the DAO anchored it
            # start-up: the issuing stack and the badge module (~120 ms), after an execution only
            from ...anchoring.dao_badge import record_dao_anchors
            from ...issuing.issuer import Issuer
            for r in record_dao_anchors(s.chain, Issuer(s.identity)):
                say(f"The issued log now shows {r.title} for {r.recipient} {r.anchor_words}.")
        return code


def template_options(p, *, required: bool = True) -> None:
    """--template and its fields: for `propose`, and for a poll that asks for an action."""
    p.add_argument("--template", required=required, choices=templates.BUILT_IN + tuple(templates.registered()),
                   help="; ".join(f"{t.key}: {t.words} (--param " + " --param ".join(f"{f.name}=…" for f in t.fields)
                                  + ")" for t in templates.registered().values()) or None)
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="a field of a template beyond the built-in ones (repeat for each field)")
    p.add_argument("--to", metavar="ADDRESS", help="grant: the recipient")
    p.add_argument("--amount", help="grant: BTK; reward-rate: BTK per block")
    p.add_argument("--bps", type=int, help="market-fee: the new fee; slash: how much; in hundredths of a "
                                           "percent (250 = 2.5 %%)")
    p.add_argument("--validator", type=int, help="slash: the validator id")
    p.add_argument("--target", metavar="ADDRESS", help="raw: the contract called by the timelock")
    p.add_argument("--calldata", help="raw: 0x-hex calldata")
    p.add_argument("--value", default="0", help="raw: ETH (wei) sent along")


def add_parser(sub):
    """`vault gov ...` (the DAO's commands join it: dao.add_parser); returns its subparsers."""
    gp = sub.add_parser("gov", help="governance: voting power, delegation, proposals, votes").add_subparsers(
        dest="sub", required=True)
    p = command(gp, "power", cmd_power, "your BTK, voting power now and at each proposal's snapshot")
    p.add_argument("--account", metavar="ADDRESS", help="any address (default: your vault's accounts)")
    p.add_argument("--breakdown", action="store_true", help="where the power comes from: delegated BTK, the "
                                                            "vote-escrow lock and its decay")
    p = command(gp, "delegate", cmd_delegate, "delegate your voting power (to yourself by default)")
    p.add_argument("--to", default="self", metavar="self|ADDRESS")
    write_options(p)
    p = command(gp, "proposals", cmd_proposals, "every proposal: state, tallies, quorum, your vote, time left")
    p.add_argument("--state", choices=("pending", "active", "canceled", "defeated", "succeeded", "queued",
                                       "expired", "executed"))
    p = command(gp, "show", cmd_show, "one proposal in full")
    p.add_argument("proposal_id", help=ID_HELP)
    p = command(gp, "propose", cmd_propose, "create a proposal from a template or raw calldata")
    template_options(p)
    p.add_argument("--description", required=True, help="the proposal's text (its first line is its title)")
    p.add_argument("--quadratic", action="store_true",
                   help="count one person one square root: each member's vote weighs √(power); only holders of "
                        "a membership credential may vote")
    write_options(p)
    p = command(gp, "vote", cmd_vote, "vote on an active proposal")
    p.add_argument("proposal_id", help=ID_HELP)
    p.add_argument("support", choices=("for", "against", "abstain"))
    p.add_argument("--reason", default="")
    write_options(p)
    _add_sign_vote(gp)
    p = command(gp, "relay", cmd_relay, "send a signed vote (JSON file, QR image or folder of QR parts)")
    p.add_argument("file")
    write_options(p)
    for name, func, text in (("queue", cmd_queue, "queue a succeeded proposal in the timelock (anyone)"),
                             ("execute", cmd_execute, "execute a queued proposal once its delay is over "
                                                      "(anyone)")):
        p = command(gp, name, func, text)
        p.add_argument("proposal_id", help=ID_HELP)
        write_options(p)
    return gp


def _add_sign_vote(gp) -> None:
    p = command(gp, "sign-vote", cmd_sign_vote, "sign a vote (EIP-712) for someone to relay later; no "
                                                "transaction, no ETH needed")
    p.add_argument("proposal_id", help=ID_HELP)
    p.add_argument("support", choices=("for", "against", "abstain"))
    p.add_argument("--reason", default="")
    p.add_argument("--from", dest="sender", metavar="ADDRESS", help="which vault account (default: the first)")
    p.add_argument("--out", metavar="FILE", help="write the signed vote as JSON here")
    p.add_argument("--qr", metavar="OUT", help="also as a QR code (a .png/.svg file, or a folder for parts)")
    p.add_argument("--nonce", type=int, help="the voter's signature nonce; given with --offline")
    p.add_argument("--offline", action="store_true", help="do not connect: needs --nonce (and the network's "
                                                          "manifest for chain id and governor)")
