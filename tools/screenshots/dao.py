"""The DAO dialogs' screenshots (constitution, polls, sub-DAOs), shot after the Governance
page in the same throwaway vault (tools/screenshots/chain.py): the constitution once an
amendment passed (two versions, what changed), the polls with a ballot signed and
tallied, the DAOs dialog switched to a sub-DAO the user's council granted from (a milestone grant
in its second tab)."""

from __future__ import annotations

from pathlib import Path

from .common import shoot, wait_until

V2_CHANGE = ("Grants above a small amount are\npaid in tranches", "Every grant is\npaid in tranches")


def _amend(service, user: str) -> None:  # chain thread
    from vault.chain.dao.constitution import TEXTS_DIR, Constitution, amendment_description
    from vault.chain.governance import Governance

    from .chain import _govern

    chain, gov = service.chain, Governance(service.chain)
    text = (TEXTS_DIR / "v1.md").read_text(encoding="utf-8").replace(*V2_CHANGE)
    call = Constitution(chain).amend_call(gov, text, "Every grant is paid by milestones")
    _govern(service, user, [call], amendment_description(
        "Every grant by milestones", "Article 5 should not allow a lump sum.", text))


def _poll(service, user: str) -> None:  # chain thread
    from vault.chain.contracts import BTK
    from vault.chain.dao.polls import Polls
    from vault.chain.governance import Governance

    from .chain import ALICE, _send

    gov = Governance(service.chain)
    _send(service, Polls(service.chain).create_request(
        service, user, "Fund a spring hackathon at Campus Node?", ["Yes", "No", "Next year"], closes_in=40,
        calls=[gov.call_grant(ALICE, 5_000 * BTK)], details="Per Article 3: a poll first, then the proposal."))


def _subdao(service, user: str) -> None:  # chain thread
    from vault.chain import templates
    from vault.chain.contracts import BTK
    from vault.chain.dao.subdao_grants import SubDaoGrants
    from vault.chain.dao.subdaos import SubDaos
    from vault.chain.governance import Governance
    from vault.chain.plan import as_plan

    from .chain import ALICE, FELLOW, _govern, _send

    chain, gov = service.chain, Governance(service.chain)
    calls = [templates.make_call(gov, "subdao-council", {"dao": "3", "members": f"{user}, {FELLOW}",
                                                         "approvals": "1"}),
             templates.make_call(gov, "fund-subdao", {"dao": "3", "amount": "20000"})]
    _govern(service, user, calls, "An Education Innovation council and budget")
    s = SubDaos(chain)
    _send(service, s.grant_request(service, user, 3, ALICE, 2_500 * BTK, "Peer tutoring pilot, spring term"))
    _send(service, s.grant_request(service, user, 3, FELLOW, 800 * BTK, "Open course notes in Spanish"))
    g = SubDaoGrants(chain)   # and one paid by milestones, funded and active: its tab counts it
    _send(service, g.propose_request(service, user, 3, FELLOW, user, [1_000 * BTK, 1_500 * BTK], "Lab kits, by term"))
    service.run(as_plan(g.fund_requests(service, user, 0)), confirm=lambda ask: True)


def shoot_dao(window, out: Path) -> list[Path]:
    from .chain import _run

    page = window.workspace.governance_page
    user = window.identity.accounts()[0].address
    _run(window, _amend, user)
    page.open_constitution()
    dialog = page.dialog
    wait_until(lambda: dialog.shown is not None and dialog.shown["version"] == 2, 60)
    dialog.resize(760, 760)
    written = [shoot(dialog, out / "constitution.png")]
    dialog.reject()

    _run(window, _poll, user)
    page.open_polls()
    polls = page.polls_dialog
    wait_until(lambda: polls.reads >= 1 and polls.polls, 60)
    polls.sign()
    wait_until(lambda: "1 ballot gathered" in polls.ballot_count.text(), 60)
    polls.tally()
    wait_until(lambda: polls.result is not None, 60)
    polls.resize(760, 700)
    written.append(shoot(polls, out / "polls.png"))
    polls.reject()

    _run(window, _subdao, user)
    page.open_dao_dialog("subdaos")
    daos = page.dialog
    wait_until(lambda: daos.reads >= 1, 60)
    daos.switcher.setCurrentIndex(3)
    # At the size the dialog gives itself (SubDaosDialog.fit), as a person first sees it.
    written.append(shoot(daos, out / "subdaos.png"))
    daos.reject()
    return written
