"""The constitution on the embedded chain and anvil: version 1 is the shipped text, an
amendment passes as a proposal carrying the new text, the history shows both versions and
what changed, proposals cite articles; forged or stale amendments are refused."""

from __future__ import annotations

import pytest

from tests.chain.conftest import USER_ADDRESS
from tests.chain.dao_helpers import govern, pass_and_queue, propose, send
from vault.chain.dao.constitution import (TEXTS_DIR, Constitution, amendment_description, cited, text_hash,
                                          text_in)
from vault.chain.governance import Governance
from vault.errors import ChainError

V1 = (TEXTS_DIR / "v1.md").read_text(encoding="utf-8")
V2 = V1.replace("Grants above a small amount are\npaid in tranches",
                "Every grant is\npaid in tranches") + "\n## Article 7. Keepers\nAnyone may execute a passed proposal.\n"


@pytest.fixture
def dao(chain):
    return Constitution(chain)


def test_version_one_is_the_shipped_text(dao):
    shown = dao.show()
    assert shown["version"] == 1 and shown["hash"] == text_hash(V1) and shown["text"] == V1
    assert [a["number"] for a in shown["articles"]] == [1, 2, 3, 4, 5, 6]
    assert shown["articles"][2]["title"] == "Polls before proposals"
    (first,) = dao.history()
    assert first["version"] == 1 and first["proposal_id"] is None and first["text_known"]


def test_an_amendment_passes_by_proposal_and_the_history_says_what_changed(chain, service, dao):
    gov = Governance(chain)
    call = dao.amend_call(gov, V2, "Every grant in tranches; keepers")
    description = amendment_description("Amend the constitution: grants and keepers",
                                        "Changes Article 5 and adds Article 7 (see Article 6).", V2)
    assert text_in(description) == V2
    pid = govern(chain, service, [call], description)

    shown = dao.show()
    assert shown["version"] == 2 and shown["hash"] == text_hash(V2) and shown["text"] == V2
    assert [a["number"] for a in shown["articles"]][-1] == 7
    # the amendment's body cites Articles 5, 7 and 6; its new text (after the marker) cites nothing
    by_number = {a["number"]: a for a in shown["articles"]}
    assert [c["proposal_id"] for c in by_number[5]["cited_by"]] == [str(pid)]
    assert by_number[1]["cited_by"] == []
    v1, v2 = dao.history()
    assert v2["version"] == 2 and v2["proposal_id"] == str(pid) and v2["previous_hash"] == v1["hash"]
    assert v2["summary"] == "Every grant in tranches; keepers"
    assert [(c["article"], c["change"]) for c in v2["changes"]] == [(5, "changed"), (7, "added")]
    assert any(line.startswith("+") and "Every grant" in line for line in v2["changes"][0]["diff"])


def test_a_text_that_does_not_match_the_hash_is_never_shown_as_the_constitution(chain, service, dao):
    # Attack: the proposal's description carries a different text than the hash it enacts
    # (voters read a mild text; the chain records the hash of another one).
    gov = Governance(chain)
    call = dao.amend_call(gov, V2, "hidden")
    decoy = V1.replace("nothing else", "and its authors")
    govern(chain, service, [call], amendment_description("Harmless wording fix", "", decoy))
    shown = dao.show()
    assert shown["version"] == 2 and shown["hash"] == text_hash(V2)
    assert shown["text"] is None and not shown["text_known"] and shown["articles"] == []
    assert dao.history()[-1]["text"] is None


def test_amendments_are_checked_before_anything_is_signed(chain, service, dao):
    gov = Governance(chain)
    for text, words in (("", "empty"), (V1, "already in force"), ("no articles here", "no articles"),
                        ("## Article 1. X\n" + "x" * 30_000, "characters")):
        with pytest.raises(ChainError) as err:
            dao.amend_call(gov, text, "x")
        assert err.value.reason == "invalid-argument" and words in str(err.value)
    # Two amendments drafted against version 1: the second to execute reverts, in words.
    first = dao.amend_call(gov, V2, "first")
    second = dao.amend_call(gov, V2 + "\nmore\n", "second")
    govern(chain, service, [first], amendment_description("First", "", V2))
    pid = propose(chain, service, [second], amendment_description("Second", "", V2 + "\nmore\n"))
    pass_and_queue(chain, service, pid)
    chain.advance(1, 61)
    with pytest.raises(ChainError) as err:
        send(service, gov.execute_request(service, USER_ADDRESS, pid))
    assert "drafted against another version" in str(err.value)
    assert dao.show()["version"] == 2


def test_citations():
    assert cited("Per Article 3 and Articles 4, 5 and 6; see article 3 again") == [3, 4, 5, 6]
    assert cited("No article here") == []
