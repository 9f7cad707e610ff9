"""Proposal ids as people see and type them, and reads that revert.

`vault gov proposals` shows the first digits of each id; that shown form (the "…" pasted
along or not) names the proposal in every gov command. Two proposals whose ids share their
first digits are crafted (descriptions searched offline until the ids collide), so an
ambiguous start is a real one. A read of the contracts that reverts (an unknown proposal's
state) is a ChainError with the decoded reason on every backend, never web3's exception."""

from __future__ import annotations

import re

import pytest
from eth_abi import encode
from eth_utils import keccak

from tests.chain.conftest import USER_ADDRESS
from tests.chain.test_chain_cli import run, vault  # noqa: F401 - the CLI on a deployed chain, its user restored
from vault.chain import soulbound
from vault.chain.contracts import BTK
from vault.chain.governance import Governance, short_id, with_gas_margin
from vault.chain.proposal_ids import MIN_ID_DIGITS
from vault.errors import ChainError

RECIPIENT = "0x00000000000000000000000000000000000A11cE"
SHARED = 6  # the crafted twins' ids share at least this many leading digits


def proposal_id(target: str, calldata: bytes, description: str) -> int:
    """OpenZeppelin's hashProposal, computed here (checked against the governor below)."""
    encoded = encode(["address[]", "uint256[]", "bytes[]", "bytes32"],
                     [[target], [0], [calldata], keccak(text=description)])
    return int.from_bytes(keccak(encoded), "big")


def twins(target: str, calldata: bytes) -> tuple[str, str, str]:
    """Two descriptions whose proposals' ids start with the same SHARED digits, and that start."""
    seen = {}
    for n in range(1_000_000):
        description = f"Grant for the course, take {n}"
        start = str(proposal_id(target, calldata, description))[:SHARED]
        if start in seen:
            return seen[start], description, start
        seen[start] = description
    raise AssertionError("no twins found")


def send(service, request):
    return service.send(service.preview(with_gas_margin(service.chain, request)))


def test_a_read_that_reverts_is_a_chain_error_with_the_decoded_reason(chain, service):
    """The 76-line traceback: an unknown proposal's state() reverts inside web3's call."""
    with pytest.raises(ChainError) as err:
        chain.contracts.governor.functions.state(12345).call()
    assert err.value.reason == "reverted" and str(err.value) == "There is no proposal 12345."
    assert err.value.details["error"] == "GovernorNonexistentProposal"
    with pytest.raises(ChainError) as err:  # the core's own path, an id nobody resolved
        Governance(chain).vote_request(service, USER_ADDRESS, 12345, "for")
    assert err.value.reason == "reverted" and "no proposal 12345" in str(err.value)
    with pytest.raises(ChainError) as err:  # the soulbound token read keeps its own reason
        soulbound.token(chain, 987_654)
    assert err.value.reason == "unknown-token" and "987654" in str(err.value)
    # reads that succeed are untouched
    assert chain.contracts.token.functions.balanceOf(USER_ADDRESS).call() == 5_000_000 * BTK


def test_the_shown_id_names_the_proposal_and_a_shared_start_is_refused(chain, service):
    gov = Governance(chain)
    send(service, gov.delegate_request(service, USER_ADDRESS, USER_ADDRESS))
    call = gov.call_grant(RECIPIENT, BTK)
    first, second, start = twins(call.target, call.calldata)
    ids = []
    for description in (first, second):
        record = send(service, gov.propose_request(service, USER_ADDRESS, [call], description))
        ids.append(int(next(e for e in record.events if e["event"] == "ProposalCreated")["args"]["proposalId"]))
    assert ids == [proposal_id(call.target, call.calldata, d) for d in (first, second)]
    a, b = ids

    for text in (short_id(a), short_id(a).rstrip("…"), f" {short_id(a)} ", short_id(a).replace("…", "..."),
                 str(a), hex(a), str(a)[:SHARED + 6], f"{str(a)[:6]}…{str(a)[-4:]}"):  # the last: the older form
        assert gov.resolve_id(text) == a, text
    assert short_id(a) != short_id(b) and gov.resolve_id(short_id(b)) == b

    with pytest.raises(ChainError) as err:
        gov.resolve_id(start)
    assert err.value.reason == "ambiguous-proposal" and err.value.details["candidates"] == [str(a), str(b)]
    assert str(a) in str(err.value) and f"“{second}”" in str(err.value) and "Give more" in str(err.value)

    unknown = start[:-1] + str((int(start[-1]) + 1) % 10) + "…"
    for text, reason, said in ((unknown, "unknown-proposal", f"No proposal {unknown} on this network"),
                               (hex(a + 1), "unknown-proposal", "`vault gov proposals` lists them"),
                               (str(a)[:MIN_ID_DIGITS - 1], "invalid-argument", "too short"),
                               ("7x41", "invalid-argument", "is not a proposal id"),
                               ("１２３４５", "invalid-argument", "is not a proposal id"),  # full-width digits
                               (str(2**256), "invalid-argument", "is not a proposal id"),
                               ("…1234", "invalid-argument", "is not a proposal id")):
        with pytest.raises(ChainError) as err:
            gov.resolve_id(text)
        assert err.value.reason == reason and said in str(err.value), text


# ---- the command line (embedded chain) --------------------------------------------------



def clean(code, err, said):
    """A refusal a person can act on: exit 1, the sentence, no traceback, not called a bug."""
    assert code == 1 and said in err, err
    assert "Traceback" not in err and "Unexpected error" not in err and len(err.splitlines()) == 1


def test_cli_takes_the_shown_id_and_refuses_unknown_ambiguous_and_reverted(vault, monkeypatch):
    code, status, _ = vault("chain", "status", passphrase=False)
    token = status["contracts"]["token"]
    calldata = keccak(text="transfer(address,uint256)")[:4] + encode(["address", "uint256"], [RECIPIENT, BTK])
    first, second, start = twins(token, calldata)
    assert vault("gov", "delegate", "--yes")[0] == 0
    for description in (first, second):
        code, _, err = vault("gov", "propose", "--template", "grant", "--to", RECIPIENT, "--amount", "1",
                             "--description", description, "--yes")
        assert code == 0, err
    a, b = (str(proposal_id(token, calldata, d)) for d in (first, second))
    assert vault("chain", "advance", "--blocks", "2", passphrase=False)[0] == 0

    code, text, _ = vault("gov", "proposals", json_out=False)
    shown = re.findall(r"^(\d+…)  ", text, re.MULTILINE)
    assert shown == [short_id(b), short_id(a)]  # newest first, as pasted from the screen

    code, out, err = vault("gov", "vote", shown[1], "for", "--yes")
    assert code == 0, err
    assert out["transactions"][0]["status"] == "success" and out["preview"]["params"]["proposal_id"] == a
    code, shown_b, _ = vault("gov", "show", shown[0].rstrip("…"))
    assert code == 0 and shown_b["proposal_id"] == b and not shown_b["my_vote"]["voted"]
    code, signed, err = vault("gov", "sign-vote", shown[0], "against", "--out", str(vault.tmp / "v.json"))
    assert code == 0 and signed["proposal_id"] == b, err

    code, _, err = vault("gov", "vote", start, "against", "--yes", json_out=False)
    clean(code, err, f"2 proposals have an id starting with {start}: {a} “{first}”; {b} “{second}”.")
    code, _, err = vault("gov", "queue", start + "…", "--yes", json_out=False)
    clean(code, err, "Give more of its digits")
    for command in (["show"], ["vote", "for", "--yes"], ["execute", "--yes"], ["sign-vote", "for", "--out", "x"]):
        code, _, err = vault("gov", command[0], "12345678…", *command[1:], json_out=False)
        clean(code, err, "No proposal 12345678… on this network; `vault gov proposals` lists them.")
    code, _, err = vault("gov", "vote", "741767408900…x", "for", json_out=False)
    clean(code, err, "is not a proposal id")

    # Past the core's checks (an id nobody resolved; a second vote) the contract itself
    # refuses: the read and the estimate that revert say why, in one line.
    monkeypatch.setattr(Governance, "resolve_id", lambda self, text: int(text))
    code, _, err = vault("gov", "vote", "12345", "for", "--yes", json_out=False)
    clean(code, err, "There is no proposal 12345.")
    monkeypatch.setattr(Governance, "_require_not_voted", lambda self, pid, voter: None)
    code, _, err = vault("gov", "vote", a, "against", "--yes", json_out=False)
    clean(code, err, f"{USER_ADDRESS} has already voted on this proposal.")
