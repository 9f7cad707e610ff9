"""`vault review ...`: staked peer review (docs/reputation.md).

    vault review submit --file F [--uri U] --fee X       work for review, with its fee
    vault review list [--address A]                       submissions, newest first
    vault review vote ID approve|reject                   needs a reputation bond; stakes
    vault review finalize ID | withdraw | credential ID   the approved work as a credential draft
"""

from __future__ import annotations

import json
from pathlib import Path

from ..io import UsageError, emit
from ..options import DO_IT, command, write_options
from ..session import amount_arg, connect, read_target, with_service


def cmd_review_submit(args) -> int:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.peer_review import content_hash, submit_requests

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}") from exc
    fee = amount_arg(args.fee)
    uri = args.uri or Path(args.file).name
    return with_service(args, lambda service, sender: submit_requests(service, sender, content_hash(data), uri, fee))


def cmd_review_list(args) -> None:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.peer_review import submissions

    rows = read_target(args, lambda chain, address: submissions(chain, address))
    lines = [f"{s['id']:>3}  {s['status']:<9} {s['approvals']} approve / {s['rejections']} reject  fee {s['fee']} "
             f"BTK  {'closes in ' + str(s['blocks_left']) + ' blocks' if s['reviewable'] else 'window closed'}"
             f"{'  (you: ' + s['my_review'] + ')' if s['my_review'] else ''}  {s['uri']}" for s in rows]
    emit(args, rows, "\n".join(lines) or "No submissions yet.")


def cmd_review_vote(args) -> int:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.peer_review import review_requests

    return with_service(args, lambda service, sender: review_requests(service, sender, args.id,
                                                                      args.verdict == "approve"))


def cmd_review_finalize(args) -> int:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.peer_review import finalize_request

    return with_service(args, lambda service, sender: finalize_request(service, sender, args.id))


def cmd_review_withdraw(args) -> int:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.peer_review import withdraw_request

    return with_service(args, withdraw_request)


def cmd_review_credential(args) -> None:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.peer_review import credential_draft

    with connect(args) as chain:
        draft = credential_draft(chain, args.id, args.title or "")
    emit(args, draft, json.dumps(draft, indent=2))


def add_parser(sub) -> None:
    """`vault review ...`."""
    sp = sub.add_parser("review", help="staked peer review: submit, list, vote, finalize, withdraw").add_subparsers(
        dest="sub", required=True)
    p = command(sp, "submit", cmd_review_submit, "submit work for peer review, with a review fee")
    p.add_argument("--file", required=True, help="the work (its keccak-256 hash goes on chain, not the file)")
    p.add_argument("--uri", help="where reviewers find it (default: the file's name)")
    p.add_argument("--fee", required=True)
    write_options(p, DO_IT)
    p = command(sp, "list", cmd_review_list, "submissions: status, reviews, window")
    p.add_argument("--address", help="whose reviews to mark (needs no passphrase); default: your first account")
    p = command(sp, "vote", cmd_review_vote, "approve or reject a submission, staking on it (needs a bond)")
    p.add_argument("id", type=int)
    p.add_argument("verdict", choices=("approve", "reject"))
    write_options(p, DO_IT)
    p = command(sp, "finalize", cmd_review_finalize, "settle a submission once its window closed (anyone)")
    p.add_argument("id", type=int)
    write_options(p, DO_IT)
    p = command(sp, "withdraw", cmd_review_withdraw, "withdraw your review payouts and refunds")
    write_options(p, DO_IT)
    p = command(sp, "credential", cmd_review_credential, "the approved work as an unsigned PeerReviewedCredential, "
                                                         "for an issuer to sign and anchor")
    p.add_argument("id", type=int)
    p.add_argument("--title", help="the work's title, in the credential")
