"""Governance templates for learn-to-earn and reputation bonds: a reward schedule and a
contribution bounty on the RewardsPool, a slash of a reputation bond. The pool pays only
what it holds beyond its promises: fund it first with a grant of BTK to the pool's address
(the "grant" template: a plain transfer counts as funding)."""

from __future__ import annotations

from ...errors import ChainError
from ..units import format_units
from .base import Field, Template


def _room(gov, needed: int) -> None:
    pool = gov.chain.contracts.extension("rewards")
    free = pool.functions.unreserved().call()
    if needed > free:
        raise ChainError("insufficient-pool", f"The rewards pool holds {format_units(free)} beyond what it has "
                                              f"promised; {format_units(needed)} is more. Fund it first: a grant "
                                              f"from the treasury to {pool.address}.")


def _schedule_args(v: dict, gov) -> list:
    if v["amount"] <= 0 or v["budget"] < v["amount"]:
        raise ChainError("invalid-argument", "A schedule pays more than 0 BTK per credential, from a budget of at "
                                             "least one reward.")
    if v["end_block"] <= gov.chain.block_number:
        raise ChainError("invalid-argument", f"The end block {v['end_block']} has passed (the chain is at block "
                                             f"{gov.chain.block_number}).")
    _room(gov, v["budget"])
    return [v["issuer"], v["credential_type"], v["amount"], v["budget"], v["end_block"], v["title"]]


def _bounty_args(v: dict, gov) -> list:
    if v["amount"] <= 0:
        raise ChainError("invalid-argument", "A bounty must be more than 0 BTK.")
    _room(gov, v["amount"])
    return [v["account"], v["amount"], v["description"]]


def _slash_args(v: dict, gov) -> list:
    bonded, unbonding, *_ = gov.chain.contracts.extension("reputation").functions.bondOf(v["account"]).call()
    if v["amount"] <= 0 or not bonded + unbonding:
        raise ChainError("nothing-to-slash", f"{v['account']} has nothing bonded or unbonding to slash.")
    return [v["account"], v["amount"], v["reason"]]


TEMPLATES = (
    Template("reward-schedule", "Learn-to-earn reward schedule",
             "Pay holders of a credential type anchored by an issuer a reward, from a budget, until a block.",
             (Field("issuer", "Issuer", "address", "the account that anchors the credentials"),
              Field("credential_type", "Credential type", "bytes32",
                    "its type name, e.g. CourseCompletionCredential (hashed)"),
              Field("amount", "Reward (BTK)", "btk", "BTK per credential"),
              Field("budget", "Budget (BTK)", "btk", "the most this schedule pays in all"),
              Field("end_block", "End block", "int", "the last block a claim is accepted in"),
              Field("title", "Title", "text", "what learners see, e.g. Complete a course")),
             "rewards", "setSchedule", _schedule_args,
             lambda a: (f"Reward {format_units(a['amount'], 'BTK')} per credential of type "
                        f"0x{bytes(a['credentialType']).hex()[:12]}… from {a['issuer']} (budget "
                        f"{format_units(a['budget'], 'BTK')}, until block {a['endBlock']}): {a['title']}")),
    Template("reward-bounty", "Contribution bounty",
             "Grant an account BTK for a described contribution (course content, review work, a bug found).",
             (Field("account", "Account", "address", "who receives it"),
              Field("amount", "Amount (BTK)", "btk"),
              Field("description", "Contribution", "text", "what it rewards")),
             "rewards", "grantBounty", _bounty_args,
             lambda a: f"Grant a bounty of {format_units(a['amount'], 'BTK')} to {a['account']}: {a['description']}"),
    Template("bond-slash", "Slash a reputation bond",
             "Take BTK from an account's reputation bond to the treasury, with the reason recorded on chain.",
             (Field("account", "Account", "address"),
              Field("amount", "Amount (BTK)", "btk", "at most what is bonded and unbonding"),
              Field("reason", "Reason", "text", "recorded on chain, e.g. proven fraud in reviews")),
             "reputation", "slash", _slash_args,
             lambda a: f"Slash up to {format_units(a['amount'], 'BTK')} of {a['account']}'s reputation bond: "
                       f"{a['reason']}"),
)
