"""The Rewards and Reputation pages' screenshots (see tools/screenshots/chain.py for how the
chain state is made): the embedded chain's demo issuer anchors three course credentials
to the user (one later revoked); governance grants the user a bounty for course content;
the user claims one reward, bonds 500 BTK and starts unbonding 100."""

from __future__ import annotations

from pathlib import Path

from .chain import BTK, _govern, _open_vault, _run, _send, _show_block, _top_up
from .common import shoot, wait_until

COURSES = ("Solidity 101", "Data Analysis with Python", "Intro to Zero-Knowledge Proofs")


def _history(service, user: str) -> int:  # chain thread
    from eth_utils import keccak

    from vault.chain import reputation, rewards, templates
    from vault.chain.embedded import dev_key
    from vault.chain.governance import Governance

    chain = service.chain
    c = chain.contracts
    sbt, pool, issuer = c.soulbound, c.extension("rewards"), dev_key("issuer")
    for name in COURSES:
        chash = keccak(text=f"{user}:{name}")
        for contract, fn, args in ((c.token, "approve", [sbt.address, BTK]), (sbt, "issue", [user, chash, ""]),
                                   (pool, "declareType", [chash, keccak(text="CourseCompletionCredential")])):
            chain.transact(issuer, {"to": contract.address, "data": contract.encode_abi(fn, args)})
    revoked = sbt.functions.tokensOf(user).call()[-1]
    chain.transact(issuer, {"to": sbt.address, "data": sbt.encode_abi("revoke", [revoked])})

    _top_up(chain, user)   # the quorum: 4 % of all BTK
    gov = Governance(chain)
    _send(service, gov.delegate_request(service, user, user))
    chain.advance(1)
    call = templates.make_call(gov, "reward-bounty", {"account": user, "amount": "120",
                                                      "description": "Course content: Solidity 101 exercises"})
    _govern(service, user, [call], "Bounty for the Solidity 101 exercises")

    first = rewards.standing(chain, user)[0]["token_id"]
    _send(service, rewards.claim_request(service, user, first))
    for request in reputation.bond_requests(service, user, 500 * BTK):
        request.gas = None
        _send(service, request)
    _send(service, reputation.unbond_request(service, user, 100 * BTK))
    return chain.block_number


def shoot_rewards(tmp: Path, out: Path) -> list[Path]:
    window = _open_vault(tmp / "rewards", talent=False)
    workspace = window.workspace
    user = window.identity.accounts()[0].address
    block = _run(window, _history, user)
    workspace.show_page("Rewards")
    page = workspace.page_for("Rewards")
    wait_until(lambda: page.data is not None and page.data["history"], 60)
    _show_block(window, block)
    written = [shoot(window, out / "rewards.png")]
    workspace.show_page("Reputation")
    bond = workspace.page_for("Reputation")
    wait_until(lambda: bond.data is not None and bond.data["bond"].unbonding == 100 * BTK, 60)
    written.append(shoot(window, out / "reputation.png"))
    window.close()
    written.append(shoot_review(tmp, out))
    return written


def _review_history(service, user: str) -> int:  # chain thread
    """Two submissions: the user's essay, approved 2 to 1 by three dev accounts and
    finalized; a client's audit report, open, with one review so far. The user is bonded
    enough to review it."""
    from eth_utils import keccak

    from vault.chain import peer_review, reputation
    from vault.chain.embedded import dev_key

    chain = service.chain
    c = chain.contracts
    token, reg, pr = c.token, c.extension("reputation"), c.extension("peer-review")
    s = peer_review.settings(chain)
    stake, bond = int(s["review_stake_wei"]), int(s["min_bond_wei"])

    def act(role, contract, fn, *args):
        chain.transact(dev_key(role), {"to": contract.address, "data": contract.encode_abi(fn, list(args))})

    for request in peer_review.submit_requests(service, user, keccak(text="essay"), "ipfs://zk-essay", 30 * BTK):
        request.gas = None
        _send(service, request)
    for role in ("client", "issuer", "faucet"):
        act(role, token, "approve", reg.address, bond)
        act(role, reg, "bond", bond)
        act(role, token, "approve", pr.address, 10 * stake)
    act("client", pr, "review", 0, True)
    act("issuer", pr, "review", 0, True)
    act("faucet", pr, "review", 0, False)
    chain.advance(s["window_blocks"] + 1)
    act("faucet", pr, "finalize", 0)
    act("client", token, "approve", pr.address, 20 * BTK)
    act("client", pr, "submit", keccak(text="audit"), "ipfs://solidity-audit-report", 20 * BTK)
    act("issuer", pr, "review", 1, True)
    for request in reputation.bond_requests(service, user, 150 * BTK):
        request.gas = None
        _send(service, request)
    return chain.block_number


def shoot_review(tmp: Path, out: Path) -> Path:
    window = _open_vault(tmp / "review", talent=False)
    workspace = window.workspace
    user = window.identity.accounts()[0].address
    block = _run(window, _review_history, user)
    workspace.show_page("Peer review")
    page = workspace.page_for("Peer review")
    wait_until(lambda: page.data is not None and len(page.model.rows) == 2, 60)
    page.table.selectRow(0)
    _show_block(window, block)
    path = shoot(window, out / "peer-review.png")
    window.close()
    return path
