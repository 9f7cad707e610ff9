"""The Marketplace's talent network, for ``python -m tools.screenshots`` (called by chain.py
on the vault "vault": the user, the client, and its second account "Talent").

The history, made by the core's plans on the session's chain thread as the page's own
writes are: both the client and the talent named a referrer (connectors for life); offer
A (open) has three bids: the talent's, with a stake, and two from outside accounts (keys
made here, funded by the embedded faucet), one staked; offer B's bid, the talent's, is
accepted (its funding split is "you pay 1,000 + 25 fee; talent receives 1,000;
connectors 20; treasury 5; burned 0"); offer C asks for a stake and has no bid yet.

Pictures: marketplace.png (the offers and the selected one), marketplace-bids.png (offer
A's bids as its client sees them), marketplace-split.png (offer B before funding).
"""

from __future__ import annotations

from pathlib import Path

from vault.chain.extensions.talent_market import DEMO_OFFERS

from .chain import BTK, ETH, FELLOW, REFERRER, _run, _show_block
from .common import settle, shoot, wait_until

# Outside bidders: keys of this story only (never a real account's)
OUTSIDERS = (("a1", 800, 20, "Can start on Monday; I reviewed the governor contracts last spring."),
             ("b2", 700, 0, "Student, first paid audit: cheaper, and I will write up everything I check."))


def _confirmed(_confirmation) -> bool:
    return True


def _outsider_bid(chain, market, offer_id: int, seed: str, price: int, stake: int, message: str) -> None:
    from eth_account import Account
    from eth_utils import keccak

    from vault.chain.demo import faucet_top_up

    key = keccak(text=f"blocktrack-vault/screenshots/{seed}")
    address = Account.from_key(key).address
    faucet_top_up(chain, address, btk=1_000 * BTK, eth=ETH)
    token = chain.contracts.token
    if stake:
        chain.transact(key, {"to": token.address, "data": token.encode_abi("approve", [market.address,
                                                                                       stake * BTK])})
    chain.transact(key, {"to": market.address, "data": market.encode_abi(
        "bid", [offer_id, price * BTK, stake * BTK, 0, message])})


def _talent_history(service, user: str, talent: str) -> int:  # chain thread
    from vault.chain.talent import TalentMarket

    tm = TalentMarket(service.chain)

    def run(plan):
        return service.run(plan, confirm=_confirmed)

    def post(**kwargs) -> int:
        run(tm.post_plan(service, user, **kwargs))
        return max(o.id for o in tm.offers())

    run(tm.register_referrer_plan(service, user, REFERRER))
    run(tm.register_referrer_plan(service, talent, FELLOW))
    audit = post(budget=1_000 * BTK, details="Audit our staking contract\nA second pair of eyes on "
                                            "StakingPool.sol before the course uses it: a short report.")
    run(tm.bid_plan(service, talent, audit, price=950 * BTK, stake=50 * BTK,
                    message="I audited two staking pools last term; three days, with tests."))
    for seed, price, stake, message in OUTSIDERS:
        _outsider_bid(service.chain, tm.m, audit, seed, price, stake, message)
    translation = post(budget=1_200 * BTK, details="Translate the course site into German",
                       delivery_window=14 * 86_400)
    run(tm.bid_plan(service, talent, translation, price=1_000 * BTK, message="Native speaker; a week."))
    bid = tm.bids(translation)[0].bid_id
    run(tm.accept_bid_plan(service, user, translation, bid))
    post(budget=150 * BTK, details="Mock interview for a junior developer role", min_stake=100 * BTK)
    return service.chain.block_number


def _scroll_to(page, widget) -> None:
    from PySide6.QtWidgets import QScrollArea

    settle()   # the offer's details laid out: the page has its full height
    scroll = page.findChild(QScrollArea)
    y = widget.mapTo(scroll.widget(), widget.rect().topLeft()).y()
    scroll.verticalScrollBar().setValue(y - 12)


def shoot_talent(window, out: Path) -> list[Path]:
    """marketplace.png, marketplace-bids.png, marketplace-split.png (see the module's doc)."""
    workspace = window.workspace
    user, talent = (a.address for a in window.identity.accounts()[:2])
    block = _run(window, _talent_history, user, talent)
    workspace.show_page("Marketplace")
    page = workspace.marketplace_page
    page.account_box.setCurrentIndex(0)
    section = page.talent
    audit = len(DEMO_OFFERS)   # the user's offers come after the embedded chain's demo offers
    wait_until(lambda: page.data is not None and page.data["account"] == user
               and section.model.rowCount() == audit + 3 and page.data["talent"]["bids"].get(audit))
    _show_block(window, block)
    written = []
    if not section.select_offer(audit):
        raise RuntimeError(f"offer {audit} is not in the talent market's list")
    _scroll_to(page, page.how)
    written.append(shoot(window, out / "marketplace.png"))
    section.bids.select_bid(section.bids.model.rows[0].bid_id)   # the client's next click: Accept
    _scroll_to(page, section.panel.next_step)
    written.append(shoot(window, out / "marketplace-bids.png"))
    section.select_offer(audit + 1)
    _scroll_to(page, section.panel.detail_title)
    written.append(shoot(window, out / "marketplace-split.png"))
    return written
