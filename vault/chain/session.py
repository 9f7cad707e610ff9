"""The unlocked vault on its network, opened once: the identity, the chosen network
(embedded or an RPC node, from the data folder's profile) and the TxService that signs
with the vault's keys and keeps the history (transactions left pending by an earlier run
are settled on opening).

    with ChainSession(data_dir, identity, lock_identity=True) as session:
        plan = as_plan(staking.stake_requests(session.service, session.account(), 1, amount))
        records = session.service.run(plan, confirm=ask, progress=show)   # vault.chain.plan

The command line opens one per command (``lock_identity``: the vault is locked again on
close); the desktop's ``ui.chain.session.ChainSession`` opens one on its chain thread and
runs every plan there. Qt-free.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ChainError
from . import client, networks
from .transactions import TxService
from .units import parse_address


class ChainSession:
    def __init__(self, data_dir, identity, *, sign: bool = True, lock_identity: bool = False,
                 lock_timeout: float | None = None):
        """``sign``: open the TxService too (False for reads); ``lock_identity``: lock the
        vault on close (it was unlocked for this session); ``lock_timeout``: how long to wait
        for the embedded chain's file another process holds."""
        self.data_dir = Path(data_dir)
        self.identity = identity
        self.sign, self.lock_identity, self.lock_timeout = sign, lock_identity, lock_timeout
        self.accounts = [a.address for a in identity.accounts()]
        self.chain = None
        self.service: TxService | None = None

    def open(self) -> "ChainSession":
        """Connect and open the service; on failure everything is closed (and locked)."""
        try:
            profile = networks.load_profile(self.data_dir)
            waits = {} if self.lock_timeout is None else {"lock_timeout": self.lock_timeout}
            self.chain = client.connect(profile, self.data_dir, accounts=self.accounts, **waits)
            if self.sign:
                self.service = TxService.for_identity(self.chain, self.identity)
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        chain, self.chain, self.service = self.chain, None, None
        try:
            if chain is not None:
                chain.close()
        finally:
            if self.lock_identity:
                self.identity.store.lock()

    def __enter__(self) -> "ChainSession":
        return self if self.chain is not None else self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    def account(self, text: str | None = None) -> str:
        """The vault account ``text`` names (an address or a did:pkh, ``units.parse_address``),
        or the first one when it names none."""
        if not text:
            return self.accounts[0]
        address = parse_address(text, self.chain.chain_id if self.chain is not None else None)
        if address not in self.accounts:
            raise ChainError("not-an-account", f"{address} is not an account of this vault.")
        return address
