"""The Governance page saying where the power comes from (tools/screenshots/chain.py's
vault, after the DAO dialogs): the user holds a membership credential, has BTK locked in
the vote-escrow, governance gave members a 100 BTK bonus, and a quadratic proposal is
open for votes (what makes a vote count, in words)."""

from __future__ import annotations

from pathlib import Path

from .common import shoot, wait_until


def _member_with_a_lock(service, user: str) -> int:  # chain thread
    from eth_utils import keccak

    from vault.chain import templates
    from vault.chain.dao import power
    from vault.chain.dao.escrow import Escrow
    from vault.chain.embedded import dev_key
    from vault.chain.governance import Governance

    from .chain import BTK, _govern, _send

    chain = service.chain
    key, sbt, token = dev_key("issuer"), chain.contracts.soulbound, chain.contracts.token
    pool, credential = chain.contracts.extension("rewards"), keccak(text=f"Blocktrack membership of {user}")
    chain.transact(key, {"to": token.address, "data": token.encode_abi("approve", [sbt.address, BTK])})
    chain.transact(key, {"to": sbt.address, "data": sbt.encode_abi("issue", [user, credential, ""])})
    chain.transact(key, {"to": pool.address, "data": pool.encode_abi("declareType", [credential, power.MEMBERSHIP])})
    gov = Governance(chain)
    call = templates.make_call(gov, "credential-bonus", {"credential_type": power.MEMBERSHIP_TYPE, "amount": "100"})
    _govern(service, user, [call], "Members get a 100 BTK voting bonus")
    escrow = Escrow(chain)
    for request in escrow.lock_requests(service, user, 200_000 * BTK, escrow.limits()["max_lock_blocks"]).requests:
        _send(service, request)
    grant = gov.call_grant(user, 1_000 * BTK)
    _send(service, gov.propose_request(service, user, [grant], power.mark_quadratic(
        "Members pick the hackathon prize\n\nOne member, one square root: whales count less.")))
    chain.advance(2)
    return chain.block_number


def shoot_power(window, out: Path) -> list[Path]:
    from .chain import _run, _show_block

    user = window.identity.accounts()[0].address
    block = _run(window, _member_with_a_lock, user)
    window.workspace.show_page("Governance")
    page = window.workspace.governance_page
    page.refresh()
    wait_until(lambda: page.overview is not None and page.overview["block"] == block
               and page.overview["proposals"][0].get("quadratic"), 60)
    page.table.selectRow(0)   # the quadratic proposal, open for votes
    _show_block(window, block)
    return [shoot(window, out / "power.png")]
