"""`vault gov constitution|poll ...`: the DAO beyond proposals (vault/chain/dao).

    vault gov constitution show [--json]          the text in force, its version and hash
    vault gov constitution history [--json]       every version, its proposal, what changed
    vault gov constitution amend --text-file F --title T [--why W] [--summary S]
                                                   propose a new text (carried in full)
"""

from __future__ import annotations

from pathlib import Path

from ..io import UsageError, emit
from ..options import command, write_options
from ..session import connect, open_session, sender_of, write


def cmd_constitution_show(args) -> None:
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
