"""Helpers of the DAO flow tests (tests/chain/test_flow_*.py of the DAO): a proposal passed
from start to end by the user alone (5 % of the supply, past the 4 % quorum)."""

from __future__ import annotations

from tests.chain.conftest import USER_ADDRESS
from vault.chain.governance import Governance, with_gas_margin


def send(service, request):
    return service.send(service.preview(with_gas_margin(service.chain, request)))


def delegate_self(chain, service) -> None:
    gov = Governance(chain)
    if gov.power(USER_ADDRESS)["self_delegated"]:
        return
    send(service, gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))
    chain.advance(1)


def propose(chain, service, calls, description: str) -> int:
    gov = Governance(chain)
    delegate_self(chain, service)
    record = send(service, gov.propose_request(service, USER_ADDRESS, calls, description))
    return int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"])


def pass_and_queue(chain, service, pid: int) -> None:
    gov = Governance(chain)
    p = gov.proposal(pid)
    chain.advance(max(0, p["snapshot"] + 1 - chain.block_number))
    send(service, gov.vote_request(service, USER_ADDRESS, pid, "for"))
    chain.advance(p["deadline"] + 1 - chain.block_number)
    send(service, gov.queue_request(service, USER_ADDRESS, pid))


def carry(chain, service, pid: int) -> None:
    """Vote for proposal ``pid``, queue it, wait out the timelock and execute it."""
    pass_and_queue(chain, service, pid)
    chain.advance(1, 61)
    send(service, Governance(chain).execute_request(service, USER_ADDRESS, pid))


def govern(chain, service, calls, description: str) -> int:
    """Propose, vote, queue, wait out the timelock and execute; returns the proposal id."""
    pid = propose(chain, service, calls, description)
    carry(chain, service, pid)
    return pid


def executed_proposal(vault, to: str = "0x00000000000000000000000000000000000A11cE",
                      description: str = "A first grant") -> str:
    """Through the CLI (``vault``: the fixture of tests/chain/test_chain_cli.py), the user
    proposes a grant of 1 BTK to ``to`` and sees it executed (a contributor); returns the
    proposal id."""
    vault("gov", "delegate", "--yes")
    vault("chain", "advance", "--blocks", "1")
    code, _, err = vault("gov", "propose", "--template", "grant", "--to", to, "--amount", "1",
                         "--description", description, "--yes")
    assert code == 0, err
    pid = vault("gov", "proposals")[1][0]["proposal_id"]
    voted_and_queued(vault, pid)
    assert vault("gov", "execute", pid, "--yes")[0] == 0
    return pid


def voted_and_queued(vault, pid: str) -> None:
    """Through the CLI: the user votes for proposal ``pid`` once voting opens, queues it once
    voting ends, and the chain's clock passes the timelock: it can be executed."""
    vault("chain", "advance", "--blocks", "2")
    assert vault("gov", "vote", pid, "for", "--yes")[0] == 0
    vault("chain", "advance", "--blocks", "51")
    assert vault("gov", "queue", pid, "--yes")[0] == 0
    vault("chain", "advance", "--blocks", "1", "--seconds", "61")
