"""`vault stake ...`: validators, staking and its rewards.

    vault stake validators                                  id, operator, name, commission, slashed
    vault stake stake --validator ID --amount X             (approves the pool first when needed)
    vault stake unstake --amount X [--validator ID] | withdraw | claim | status [--address A]
"""

from __future__ import annotations

from ...chain.staking import (claim_request, stake_requests, status, status_lines, unstake_request,
                              validator_rows, withdraw_request)
from ...chain.units import format_amount
from ..io import emit
from ..options import DO_IT, command, write_options
from ..session import amount_arg, connect, read_target, with_service


def cmd_stake_validators(args) -> None:
    with connect(args) as chain:
        rows = validator_rows(chain)
    lines = [f"{'id':>3}  {'name':<20} {'operator':<42} {'delegated BTK':>16} {'commission':>10}  slashed"]
    lines += [f"{v.id:>3}  {v.name[:20]:<20} {v.operator:<42} {format_amount(v.total_delegated):>16} "
              f"{v.commission:>10}  {'yes' if v.slashed else 'no'}" for v in rows]
    emit(args, rows, "\n".join(lines))


def cmd_stake_stake(args) -> int:
    amount = amount_arg(args.amount)
    return with_service(args, lambda service, sender: stake_requests(service, sender, args.validator, amount))


def cmd_stake_unstake(args) -> int:
    amount = amount_arg(args.amount)
    return with_service(args, lambda service, sender: unstake_request(service, sender, amount, args.validator))


def cmd_stake_withdraw(args) -> int:
    return with_service(args, withdraw_request)


def cmd_stake_claim(args) -> int:
    return with_service(args, claim_request)


def cmd_stake_status(args) -> None:
    data = read_target(args, status)
    emit(args, data, "\n".join(status_lines(data)))


def add_parser(sub) -> None:
    """`vault stake ...`."""
    sp = sub.add_parser("stake", help="validators, stake, unstake, withdraw, claim, status").add_subparsers(
        dest="sub", required=True)
    command(sp, "validators", cmd_stake_validators, "the validators: operator, name, stake, commission, slashed")
    p = command(sp, "stake", cmd_stake_stake, "stake BTK with (delegate to) a validator")
    p.add_argument("--validator", type=int, required=True, metavar="ID")
    p.add_argument("--amount", required=True)
    write_options(p, DO_IT)
    p = command(sp, "unstake", cmd_stake_unstake, "start unstaking (the cooldown starts)")
    p.add_argument("--amount", required=True)
    p.add_argument("--validator", type=int, metavar="ID", help="the validator you stake with (checked; an "
                                                                 "account stakes with one at a time)")
    write_options(p, DO_IT)
    p = command(sp, "withdraw", cmd_stake_withdraw, "withdraw unstaked BTK after the cooldown")
    write_options(p, DO_IT)
    p = command(sp, "claim", cmd_stake_claim, "claim staking rewards")
    write_options(p, DO_IT)
    p = command(sp, "status", cmd_stake_status, "staked, pending rewards and cooldown of an account")
    p.add_argument("--address", help="any address or did:pkh (needs no passphrase); default: your first account")
