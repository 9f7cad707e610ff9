"""Staked peer review (the PeerReview extension, docs/reputation.md): a learner submits work
with a review fee; bonded reviewers stake on approve or reject within a window; after it,
anyone finalizes (the majority shares the fee and the minority's stakes; too few reviews or
a tie refunds everyone); payouts are withdrawn. Writes are TxRequests for TxService,
checked first so that the error names its cause:

  unknown-submission   no such submission
  bond-too-small       the reviewer's reputation bond is below the minimum
  own-submission       a learner does not review their own work
  already-reviewed     one review per reviewer
  window-closed        reviewing after the deadline
  window-open          finalizing before the deadline
  already-final        finalizing twice
  nothing-to-withdraw  no payout to withdraw

An approved submission can be anchored as a "PeerReviewedCredential" by an issuer:
``credential_draft`` prepares the credential (unsigned) for the issuer to sign and anchor.
"""

from __future__ import annotations

from eth_utils import keccak

from ..errors import ChainError
from .transactions import with_gas_margin
from .units import format_amount, format_units, parse_amount

KEY = "peer-review"  # the extension's manifest key
STATUSES = ("open", "approved", "rejected", "refunded")
STEP_GAS = 600_000  # a step's preview limit while its approval is not mined yet: a ceiling, only the
# gas used is paid (a submission stores its URI: ~250k gas and up)


def contract(chain):
    return chain.contracts.extension(KEY)


def content_hash(data: bytes) -> bytes:
    """The hash a submission names its work by: keccak-256 of the work's bytes."""
    return keccak(data)


def settings(chain) -> dict:
    min_fee, min_bond, stake, window, min_reviews = contract(chain).functions.settings().call()
    return {"min_fee": format_amount(min_fee), "min_fee_wei": str(min_fee), "min_bond": format_amount(min_bond),
            "min_bond_wei": str(min_bond), "review_stake": format_amount(stake), "review_stake_wei": str(stake),
            "window_blocks": window, "min_reviews": min_reviews}


def submission(chain, sid: int, account: str | None = None) -> dict:
    pr = contract(chain)
    count = pr.functions.submissionCount().call()
    if not 0 <= sid < count:
        raise ChainError("unknown-submission", f"There is no submission {sid} (there are {count}).")
    learner, chash, fee, stake, deadline, approvals, rejections, status, uri = pr.functions.submission(sid).call()
    reviewers, votes = pr.functions.reviewersOf(sid).call()
    block = chain.block_number
    mine = None
    if account:
        mine = next(({1: "approve", 2: "reject"}[v] for r, v in zip(reviewers, votes)
                     if r.lower() == account.lower()), None)
    return {"id": sid, "learner": learner, "content_hash": "0x" + bytes(chash).hex(), "uri": uri,
            "fee": format_amount(fee), "stake": format_amount(stake), "deadline": deadline,
            "blocks_left": max(0, deadline - block), "approvals": approvals, "rejections": rejections,
            "status": STATUSES[status], "reviewers": list(reviewers), "my_review": mine,
            "reviewable": STATUSES[status] == "open" and block + 1 <= deadline,
            "finalizable": STATUSES[status] == "open" and block + 1 > deadline}


def submissions(chain, account: str | None = None) -> list[dict]:
    """Every submission, newest first (``my_review``: ``account``'s vote, if any)."""
    count = contract(chain).functions.submissionCount().call()
    return [submission(chain, sid, account) for sid in reversed(range(count))]


def withdrawable(chain, account: str) -> int:
    """What ``account`` can withdraw (fees and stakes won), in wei."""
    return int(contract(chain).functions.withdrawable(chain.w3.to_checksum_address(account)).call())


def _with_approval(service, sender: str, amount: int, step, what: str) -> list:
    chain = service.chain
    pr, token = contract(chain), chain.contracts.token
    held = chain.btk_balance(sender)
    if amount > held:
        raise ChainError("insufficient-btk", f"Not enough BTK: {sender} holds {format_units(held)}; {what} needs "
                                             f"{format_units(amount)}.", balance=str(held), needed=str(amount))
    requests = []
    if amount and token.functions.allowance(sender, pr.address).call() < amount:
        requests.append(service.contract_call("btk-approve", token, "approve", [pr.address, amount], sender,
                                              description=f"Allow the peer review contract to take "
                                                          f"{format_units(amount)}",
                                              params={"spender": pr.address, "amount": str(amount)}))
    if requests:
        step.gas = STEP_GAS
    else:
        with_gas_margin(chain, step)
    return requests + [step]


def submit_requests(service, sender: str, chash: bytes, uri: str, fee: int) -> list:
    """[approve?, submit]: work ``chash`` (content_hash) at ``uri``, with ``fee``."""
    chain = service.chain
    sender = chain.w3.to_checksum_address(sender)
    s = settings(chain)
    if fee < int(s["min_fee_wei"]):
        raise ChainError("invalid-amount", f"The review fee must be at least {s['min_fee']} BTK.")
    step = service.contract_call("review-submit", contract(chain), "submit", [bytes(chash), uri, fee], sender,
                                 description=f"Submit work for peer review with a fee of {format_units(fee)} "
                                             f"(reviews close in {s['window_blocks']} blocks)",
                                 params={"content_hash": "0x" + bytes(chash).hex(), "fee": str(fee)},
                                 btk_amount=fee)
    return _with_approval(service, sender, fee, step, "the review fee")


def review_requests(service, sender: str, sid: int, approve: bool) -> list:
    """[approve?, review]: ``sender``'s verdict on submission ``sid``, with the stake."""
    chain = service.chain
    sender = chain.w3.to_checksum_address(sender)
    sub = submission(chain, sid, sender)
    if sub["status"] != "open" or not sub["reviewable"]:
        raise ChainError("window-closed", f"Submission {sid} takes no more reviews: its window closed at block "
                                          f"{sub['deadline']}.")
    if sub["learner"].lower() == sender.lower():
        raise ChainError("own-submission", "You submitted this work: someone else reviews it.")
    if sub["my_review"]:
        raise ChainError("already-reviewed", f"You already reviewed submission {sid} ({sub['my_review']}).")
    bonded = chain.contracts.extension("reputation").functions.bondOf(sender).call()[0]
    s = settings(chain)
    if bonded < int(s["min_bond_wei"]) or not bonded:
        raise ChainError("bond-too-small", f"Reviewing needs a reputation bond of at least {s['min_bond']} BTK; "
                                           f"{sender} has {format_units(bonded)} bonded (`vault bond add`).")
    stake = parse_amount(sub["stake"], allow_zero=True)  # the stake fixed when the work was submitted
    step = service.contract_call("review-vote", contract(chain), "review", [sid, bool(approve)], sender,
                                 description=f"{'Approve' if approve else 'Reject'} submission {sid}, staking "
                                             f"{format_units(stake)} (lost to the majority if you are in the "
                                             "minority)", params={"id": sid, "approve": bool(approve)},
                                 btk_amount=stake)
    return _with_approval(service, sender, stake, step, "the review stake")


def finalize_request(service, sender: str, sid: int):
    chain = service.chain
    sub = submission(chain, sid)
    if sub["status"] != "open":
        raise ChainError("already-final", f"Submission {sid} was already finalized ({sub['status']}).")
    if not sub["finalizable"]:
        raise ChainError("window-open", f"Submission {sid} can be finalized after block {sub['deadline']} "
                                        f"({sub['blocks_left']} blocks left).")
    return with_gas_margin(chain, service.contract_call(
        "review-finalize", contract(chain), "finalize", [sid], chain.w3.to_checksum_address(sender),
        description=f"Finalize submission {sid}: {sub['approvals']} approvals, {sub['rejections']} rejections",
        params={"id": sid}))


def withdraw_request(service, sender: str):
    chain = service.chain
    sender = chain.w3.to_checksum_address(sender)
    amount = contract(chain).functions.withdrawable(sender).call()
    if not amount:
        raise ChainError("nothing-to-withdraw", "There is nothing to withdraw from peer review.")
    return with_gas_margin(chain, service.contract_call(
        "review-withdraw", contract(chain), "withdraw", [], sender,
        description=f"Withdraw {format_units(amount)} of review fees and stakes", params={"amount": str(amount)}))


def credential_draft(chain, sid: int, title: str = "") -> dict:
    """The unsigned "PeerReviewedCredential" an issuer signs and anchors for an approved
    submission (its type earns learn-to-earn rewards where a schedule pays for it)."""
    sub = submission(chain, sid)
    if sub["status"] != "approved":
        raise ChainError("not-approved", f"Submission {sid} is {sub['status']}: only approved work becomes a "
                                         "peer-reviewed credential.")
    return {"@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "PeerReviewedCredential"],
            "credentialSubject": {"id": f"did:pkh:eip155:{chain.chain_id}:{sub['learner']}",
                                  "work": {"contentHash": sub["content_hash"], "uri": sub["uri"],
                                           "title": title},
                                  "review": {"submission": sid, "approvals": sub["approvals"],
                                             "rejections": sub["rejections"],
                                             "contract": contract(chain).address}}}
