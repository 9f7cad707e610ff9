"""The chain pages' screenshots, for ``python -m tools.screenshots`` (see tools/screenshots/).

Each picture shows the state a person would reach by using the page for a while. That
state is made by code on the embedded chain of a throwaway vault (no network): the vault
is restored from the public BIP-39 test phrase, the chain deploys itself at the first
connection and its faucet funds the vault's accounts (the welcome grant; the faucet tops
the user up where a story needs more, a proposal passing on one holder's votes); the
writes then run on the session's chain thread (``session.run_service``), as the pages'
own writes do.

Two chain histories, because the Wallet and Staking pictures cannot share one: the
Wallet's user stakes with Campus Node, the Staking page's user with Blocktrack
Foundation (an account stakes with one validator at a time) while governance slashes
Campus Node.

- vault "vault" (the user and a second account, "Talent"): Wallet, then Governance, then
  Marketplace (its talent network: talent.py). Each page's writes leave the others' pictures as they are: the Wallet is
  shot before anything else is in the vault's history; the governance proposals that
  pass change no marketplace fee.
- vault "staking" (the user alone): Staking, then the confirmation dialog of one more
  stake (an approval and the stake: two steps), left unsent.
"""

from __future__ import annotations

from pathlib import Path

from .common import PASSPHRASE, SIZE, shoot, wait_until

# BIP-39's public test vector: its first account, 0x9858…Da94, is no dev role of the chain.
PHRASE = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
BTK = 10**18
ETH = 10**18
FELLOW = "0x4B20993Bc481177ec7E8f571ceCaE8A9e22C02db"     # a classmate (another person's account)
SHOP = "0x00000000000000000000000000000000000fE11D"
ALICE = "0x00000000000000000000000000000000000A11cE"
REFERRER = "0x000000000000000000000000000000000000c0DE"
CHAIN_TIMEOUT = 120   # seconds for a connection or a batch of writes (the machine may be busy)


def shoot_chain(tmp: Path, out: Path) -> list[Path]:
    """Wallet, Governance, Marketplace, Staking and a two-step confirmation; returns the
    files written."""
    written: list[Path] = []
    window = _open_vault(tmp / "vault", talent=True)
    written.append(_shoot_wallet(window, out))
    written.append(_shoot_governance(window, out))
    from .dao import shoot_dao

    written += shoot_dao(window, out)   # the constitution and polls dialogs
    from .power import shoot_power

    written += shoot_power(window, out)   # where the power comes from, a quadratic proposal
    written.extend(_shoot_marketplace(window, out))
    window.close()

    window = _open_vault(tmp / "staking", talent=False)
    written.append(_shoot_staking(window, out))
    written.append(_shoot_confirm(window, out))
    window.close()
    return written


# ---- the vault, the window, the chain thread --------------------------------------------

def _open_vault(data_dir: Path, *, talent: bool):
    """A window unlocked on a vault of PHRASE (plus the account "Talent"), connected to its
    embedded chain, both accounts funded by the faucet."""
    from vault.identity import Identity

    from ui.config import AppConfig
    from ui.main_window import MainWindow, Workspace

    identity = Identity.restore(data_dir, PASSPHRASE, PHRASE, kdf_target=0)
    if talent:
        identity.add_account("Talent")   # before the first connection: the faucet funds it too
    identity.store.lock()

    window = MainWindow(AppConfig(data_dir, kdf_target=0))
    window.resize(*SIZE)
    window.show()
    window.page.passphrase.setText(PASSPHRASE)
    window.page.submit()
    wait_until(lambda: isinstance(window.page, Workspace), 30)
    workspace = window.workspace
    workspace.start_chain()
    session = workspace.chain_session
    wait_until(lambda: session.state in ("connected", "failed"), CHAIN_TIMEOUT)
    if session.state != "connected":
        raise RuntimeError(f"the embedded chain did not connect: {session.error!r}")
    return window


def _run(window, fn, *args):
    """``fn(service, *args)`` on the window's chain thread; its result (or its exception,
    raised here). Then the pages re-read, as after their own writes."""
    session = window.workspace.chain_session
    outcome: list = []
    job = session.run_service(fn, *args)
    job.finished.connect(lambda value: outcome.append((True, value)))
    job.failed.connect(lambda exc: outcome.append((False, exc)))
    wait_until(lambda: outcome, CHAIN_TIMEOUT)
    ok, value = outcome[0]
    if not ok:
        raise value
    session.changed.emit()
    return value


def _send(service, request):  # chain thread
    """Preview (with the governor's checkpoint margin) and send one request: its record."""
    from vault.chain.governance import with_gas_margin
    return service.send(service.preview(with_gas_margin(service.chain, request)))


def _govern(service, user: str, calls, description: str) -> int:  # chain thread
    """Propose ``calls``, vote for, wait out the voting period and the timelock, queue and
    execute (the user alone holds the quorum); returns the proposal id."""
    from vault.chain.governance import Governance

    chain, gov = service.chain, Governance(service.chain)
    _send(service, gov.propose_request(service, user, calls, description))
    pid = int(gov.proposals()[0]["proposal_id"])
    chain.advance(2)
    _send(service, gov.vote_request(service, user, pid, "for"))
    chain.advance(51)
    _send(service, gov.queue_request(service, user, pid))
    chain.advance(1, 61)
    _send(service, gov.execute_request(service, user, pid))
    return pid


def _top_up(chain, user: str) -> None:  # chain thread
    from vault.chain.demo import faucet_top_up
    faucet_top_up(chain, user, btk=5_000_000 * BTK, eth=10 * ETH)


def _show_block(window, block: int) -> None:
    """The status bar caught up with the chain (not a block read before the last writes)."""
    window.network_status.refresh(force=True)
    wait_until(lambda: window.block_label.text() == f"Block: {block:,}", 30)
    window.statusBar().clearMessage()


# ---- Wallet -------------------------------------------------------------------------------

def _wallet_history(service, user: str) -> int:  # chain thread
    from vault.chain import staking, wallet

    _send(service, wallet.send_request(service, user, SHOP, 250 * BTK))
    _send(service, wallet.tip_request(service, user, FELLOW, 15 * BTK, "thanks for the Solidity review"))
    staking.send_all(service, staking.stake_requests(service, user, 1, 2_000 * BTK))   # approve + stake
    _send(service, wallet.send_request(service, user, FELLOW, ETH // 2, "ETH"))
    return service.chain.block_number


def _shoot_wallet(window, out: Path) -> Path:
    """Five transactions in the history (a send, a tip, an approval and a stake, an ETH
    send) and a tip to a did:pkh typed in, ready to send."""
    workspace = window.workspace
    user = window.identity.accounts()[0].address
    block = _run(window, _wallet_history, user)
    workspace.show_page("Wallet")
    page = workspace.wallet_page
    wait_until(lambda: page.history_model.rowCount() == 5 and page.holdings is not None
               and page.holdings.staked == 2_000 * BTK)
    page.to_field.setText(f"did:pkh:eip155:1:{FELLOW}")
    page.amount_field.setText("25")
    page.note_field.setText("for the mentoring session")
    wait_until(lambda: page.send_button.isEnabled())
    _show_block(window, block)
    return shoot(window, out / "wallet.png")


# ---- Governance ---------------------------------------------------------------------------

def _governance_history(service, user: str) -> int:  # chain thread
    """Four proposals in four states: executed, queued, defeated, voting open."""
    from vault.chain.governance import Governance

    chain = service.chain
    gov = Governance(chain)
    _top_up(chain, user)   # the quorum: 4 % of all BTK, far above the welcome grant

    def propose(calls, description: str) -> int:
        _send(service, gov.propose_request(service, user, calls, description))
        return int(gov.proposals()[0]["proposal_id"])   # newest first

    _send(service, gov.delegate_request(service, user, user))
    scholarship = propose([gov.call_grant(ALICE, 1_000 * BTK)],
                          "Scholarship for the spring cohort\n\nPays Alice's course fees at the Campus Node academy.")
    propose([gov.call_market_fee(500)], "Raise the marketplace fee to 5 %")   # nobody votes: defeated
    rewards = propose([gov.call_reward_rate(2 * BTK)],
                      "Double the staking reward rate\n\nMore stakers, a safer network.")
    chain.advance(2)
    _send(service, gov.vote_request(service, user, scholarship, "for", "A good use of the treasury"))
    _send(service, gov.vote_request(service, user, rewards, "for"))
    chain.advance(51)
    _send(service, gov.queue_request(service, user, scholarship))
    chain.advance(1, 61)
    _send(service, gov.execute_request(service, user, scholarship))
    _send(service, gov.queue_request(service, user, rewards))
    propose([gov.call_market_fee(200)],
            "Lower the marketplace fee to 2 %\n\nCheaper gigs for learners and mentors; the treasury still "
            "gets a share of every paid gig.")
    chain.advance(2)
    return chain.block_number


def _shoot_governance(window, out: Path) -> Path:
    workspace = window.workspace
    user = window.identity.accounts()[0].address
    block = _run(window, _governance_history, user)
    workspace.show_page("Governance")
    page = workspace.governance_page
    wait_until(lambda: page.overview is not None and page.overview["block"] == block
               and len(page.overview["proposals"]) == 4)
    page.table.selectRow(0)   # the proposal open for votes
    _show_block(window, block)
    return shoot(window, out / "governance.png")


# ---- Marketplace --------------------------------------------------------------------------

def _market_history(service, user: str, talent: str) -> int:  # chain thread
    """Beside the chain's three demo offers (0-2): the user's offers 3 (in escrow), 4 (open)
    and 5 (paid); the talent accepted demo offer 1."""
    from vault.chain.marketplace import Market

    market = Market(service.chain)

    def send(requests) -> object:
        record = None
        for request in requests if isinstance(requests, list) else [requests]:
            record = _send(service, request)
        return record

    def post(**kwargs) -> int:
        record = send(market.post_request(service, user, **kwargs))
        return int(next(e for e in record.events if e["event"] == "GigPosted")["args"]["gigId"])

    send(market.accept_request(service, talent, 1))
    badge = post(kind="gig", price=400 * BTK, connector=REFERRER, referral_bps=500,
                 details="Design a badge for the Python course\nTwo SVG drafts, one round of changes.")
    send(market.accept_request(service, talent, badge))
    send(market.fund_requests(service, user, badge))
    post(kind="mentoring", price=75 * BTK, details="Mock interview for a junior developer role")
    translation = post(kind="gig", price=1_200 * BTK, details="Translate the course site into German",
                       delivery_window=14 * 86400)
    send(market.accept_request(service, talent, translation))
    send(market.fund_requests(service, user, translation))
    send(market.release_request(service, user, translation))
    return service.chain.block_number


def _shoot_marketplace(window, out: Path) -> list[Path]:
    """The first marketplace's six gigs (below, on the page), then the talent network's
    pictures (talent.py)."""
    from .talent import shoot_talent

    user, talent = (a.address for a in window.identity.accounts()[:2])
    _run(window, _market_history, user, talent)
    return shoot_talent(window, out)


# ---- Staking and a confirmation -------------------------------------------------------------

def _staking_history(service, user: str) -> int:  # chain thread
    """A client stakes with Campus Node, which governance then slashes by 10 %; the user
    stakes 2,500 with Blocktrack Foundation, earns for a while, and starts unstaking 500."""
    from vault.chain import staking
    from vault.chain.embedded import dev_address, dev_key
    from vault.chain.governance import Governance
    from vault.chain.transactions import TxService

    chain = service.chain
    client = dev_address("client")
    _top_up(chain, user)
    _send(service, service.btk_transfer(user, client, 12_000 * BTK))
    _send(service, service.eth_transfer(user, client, ETH))
    as_client = TxService(chain, service.store, lambda _address: dev_key("client"))
    staking.send_all(as_client, staking.stake_requests(as_client, client, 1, 12_000 * BTK))

    gov = Governance(chain)
    _send(service, gov.delegate_request(service, user, user))
    chain.advance(1)
    _govern(service, user, [gov.call_slash(1, 1000)],
            "Slash Campus Node by 10 %\n\nIts node signed two blocks at once.")

    staking.send_all(service, staking.stake_requests(service, user, 0, 2_500 * BTK))
    chain.advance(12)
    _send(service, staking.unstake_request(service, user, 500 * BTK))
    chain.advance(6)
    return chain.block_number


def _shoot_staking(window, out: Path) -> Path:
    """Staked with the Foundation, rewards to claim, 500 BTK in its cooldown, Campus Node
    slashed."""
    workspace = window.workspace
    user = window.identity.accounts()[0].address
    block = _run(window, _staking_history, user)
    workspace.show_page("Staking")
    page = workspace.staking_page
    wait_until(lambda: page.status is not None and page.status.block == block
               and page.status.cooldown is not None)
    _show_block(window, block)
    return shoot(window, out / "staking.png")


def _shoot_confirm(window, out: Path) -> Path:
    """The confirmation of 1,000 BTK more with the Foundation: an approval, then the stake."""
    page = window.workspace.staking_page
    page.stake_amount.setText("1000")
    wait_until(lambda: page.stake_button.isEnabled())
    page.stake()
    flow = page.write_flow
    wait_until(lambda: flow.dialog.stage in ("confirm", "result"), CHAIN_TIMEOUT)
    if flow.dialog.stage != "confirm" or len(flow.requests) != 2:
        raise RuntimeError("the stake did not reach a two-step confirmation")
    path = shoot(flow.dialog, out / "confirm.png")
    flow.dialog.reject()   # nothing is signed
    return path
