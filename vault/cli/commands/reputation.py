"""`vault bond ...` and `vault trust-score`: reputation bonds and the trust score
(docs/reputation.md).

    vault bond add --amount X | unbond --amount X | withdraw | status [--address A]
    vault trust-score [ADDRESS | did:pkh] [--json]      the score with its parts
"""

from __future__ import annotations

from ..io import emit
from ..options import DO_IT, command, write_options
from ..session import address_arg, amount_arg, connect, read_target, unlocked, with_service


def cmd_bond_add(args) -> int:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.reputation import bond_requests

    amount = amount_arg(args.amount)
    return with_service(args, lambda service, sender: bond_requests(service, sender, amount))


def cmd_bond_unbond(args) -> int:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.reputation import unbond_request

    amount = amount_arg(args.amount)
    return with_service(args, lambda service, sender: unbond_request(service, sender, amount))


def cmd_bond_withdraw(args) -> int:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.reputation import withdraw_request

    return with_service(args, withdraw_request)


def cmd_bond_status(args) -> None:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.reputation import status, status_lines

    data = read_target(args, status)
    emit(args, data, "\n".join(status_lines(data)))


def cmd_trust_score(args) -> None:
    # start-up: the chain stack (web3, ~1 s measured) only when the command runs
    from ...chain.trustscore import lines, trust_score

    if args.target:
        address = address_arg(args.target)
        with connect(args) as chain:
            data = trust_score(chain, address)
    else:
        with unlocked(args) as identity, connect(args, identity) as chain:
            data = trust_score(chain, identity.accounts()[0].address)
    emit(args, data, "\n".join(lines(data)))


def add_parser(sub) -> None:
    """`vault bond ...`."""
    sp = sub.add_parser("bond", help="reputation bond: add, unbond, withdraw, status").add_subparsers(
        dest="sub", required=True)
    p = command(sp, "add", cmd_bond_add, "bond BTK against your identity (approves the registry first when needed)")
    p.add_argument("--amount", required=True)
    write_options(p, DO_IT)
    p = command(sp, "unbond", cmd_bond_unbond, "start unbonding (it stops counting now; withdraw after the delay)")
    p.add_argument("--amount", required=True)
    write_options(p, DO_IT)
    p = command(sp, "withdraw", cmd_bond_withdraw, "withdraw unbonded BTK after the delay")
    write_options(p, DO_IT)
    p = command(sp, "status", cmd_bond_status, "bonded, unbonding, slashes of an account")
    p.add_argument("--address", help="any address or did:pkh (needs no passphrase); default: your first account")


def add_score_parser(sub) -> None:
    """`vault trust-score`."""
    p = command(sub, "trust-score", cmd_trust_score, "an account's trust score with its parts: bond, anchored "
                                                     "credentials, completed gigs, slashes")
    p.add_argument("target", nargs="?", metavar="ADDRESS|DID", help="an address or did:pkh (needs no passphrase); "
                                                                    "default: your first account")
