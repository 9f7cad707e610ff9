"""What a command opens and closes again: the vault unlocked (locked again after), its
credential service, the vault a standalone verifier reads saved keys from, the chain,
and a write's chain session with the command line's confirmation (TxService.run).

Reading the chain needs no passphrase; anything that signs or reads the history
unlocks the vault. Every write prints its preview and asks; --yes answers yes; without
--yes and without a terminal to ask on it is refused (exit 2) instead of waiting.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from ..chain.plan import as_plan
from ..chain.units import parse_address, parse_amount
from ..errors import ChainError, VaultError
from ..settings import status_explorers, status_network
from ..store import VaultStore
from .io import UsageError, confirm, emit, has_noninteractive_passphrase, passphrase, say

if TYPE_CHECKING:
    from ..identity import Identity

WITHOUT_VAULT = ("Verified without your vault's saved issuer keys, status lists and certificate authorities: "
                 "give its passphrase (--passphrase-file, or $BLOCKTRACK_VAULT_PASSPHRASE) to use them.")


# ---- the vault --------------------------------------------------------------------------

def open_store(args) -> VaultStore:
    store = VaultStore(args.data_dir)
    if not store.exists:
        raise VaultError(f"There is no vault in {store.data_dir}. Create one with `vault init`.")
    # The full-file check waits for a write (the store runs it first) or `vault check`:
    # a read is authenticated page by page by SQLCipher (a damaged page is CorruptVault).
    store.unlock(passphrase(args), check_integrity=False)
    return store


def open_identity(args) -> Identity:
    # start-up: vault.identity ~8 ms (every DID method, the recovery phrase), not for a list
    from ..identity import Identity
    return Identity(open_store(args))


@contextmanager
def unlocked_store(args) -> Iterator[VaultStore]:
    """The vault's store, unlocked for the block and locked again after it (a read that
    needs no identity, e.g. `vault credential list`)."""
    store = open_store(args)
    try:
        yield store
    finally:
        store.lock()


@contextmanager
def unlocked(args) -> Iterator[Identity]:
    """The vault's identity, unlocked for the block and locked again after it."""
    identity = open_identity(args)
    try:
        yield identity
    finally:
        identity.store.lock()


def open_credentials(args):
    # start-up: credentials.service ~155 ms (the verifiers), only for the credential commands
    from ..credentials.blockcerts_anchor import explorers_with
    from ..credentials.service import CredentialService
    explorers = explorers_with(getattr(args, "explorer", None),   # a bad choice is said before unlocking
                               status_explorers(args.data_dir))
    identity = open_identity(args)
    return CredentialService(identity.store, network=network(args), explorers=explorers)


@contextmanager
def credential_service(args):
    """The vault's CredentialService, unlocked for the block and locked again after it."""
    service = open_credentials(args)
    try:
        yield service
    finally:
        service.store.lock()


# ---- verification -----------------------------------------------------------------------

def network(args):
    """Offline unless asked: --online, or the app's "check status lists and issuer keys
    online" setting."""
    return status_network(args.data_dir, getattr(args, "online", None))


def anchor_check(args):
    """Ask the chain about soulbound anchors: with --chain always (an unreachable network is
    said plainly), by default only when this data folder already uses a chain (never
    creating one: a verification changes nothing)."""
    if args.chain is False:
        return None
    # start-up: chain.networks ~8 ms, anchoring.verify ~130 ms; only when verifying
    from ..chain.networks import CONFIG_NAME, chain_dir
    from ..anchoring.verify import chain_anchor_check
    folder = chain_dir(args.data_dir)
    has_chain = (folder / CONFIG_NAME).exists() or (folder / "embedded.sqlite").exists()
    if args.chain is None and not has_chain:
        return None
    if not has_chain:
        return lambda original: (None, "could not check the chain: this data folder uses no network yet")
    return chain_anchor_check(args.data_dir)


def verification_context(args, store=None):
    """``store``: the vault whose saved keys and lists are used (saved_keys)."""
    # start-up: credentials.service ~155 ms (as above)
    from ..credentials.blockcerts_anchor import explorers_with
    from ..credentials.service import verification_context as context_for
    context = context_for(store=store, network=network(args),
                          explorers=explorers_with(getattr(args, "explorer", None), status_explorers(args.data_dir)))
    context.anchor_status = anchor_check(args)
    return context


@contextmanager
def saved_keys(args) -> Iterator[VaultStore | None]:
    """The unlocked vault of ``args.data_dir`` for one verification (locked afterwards), or
    None: no vault there, or no passphrase given without a prompt. A wrong passphrase is
    an error, not a silent verification without the vault.

    The standalone verifiers need no vault. When one exists in the data folder, its saved
    issuer keys, DID documents, status lists, certificate authorities and trust list are
    inside the encrypted database: they are used when the passphrase is given without a
    prompt (``--passphrase-file`` or the environment), so a script never hangs on one;
    otherwise a line on stderr says the verification went without them."""
    store = VaultStore(args.data_dir)
    if not store.exists:
        yield None
        return
    if not has_noninteractive_passphrase(args):
        say(WITHOUT_VAULT)
        yield None
        return
    store.unlock(passphrase(args), check_integrity=False)   # only reads (see open_identity)
    try:
        yield store
    finally:
        store.lock()


# ---- the chain --------------------------------------------------------------------------

def connect(args, identity=None):
    # start-up: chain.client ~150 ms, only for the commands that ask a node
    from ..chain import client, networks

    profile = networks.load_profile(args.data_dir)
    accounts = [a.address for a in identity.accounts()] if identity is not None else None
    return client.connect(profile, args.data_dir, accounts=accounts)


def amount_arg(text: str) -> int:
    """An amount argument in whole tokens, by the one parser (chain.units.parse_amount)."""
    try:
        return parse_amount(text)
    except ChainError as exc:
        raise UsageError(str(exc)) from None


def address_arg(text: str, chain_id: int | None = None) -> str:
    """An address argument, 0x… or did:pkh, by the one parser (chain.units.parse_address)."""
    try:
        return parse_address(text, chain_id)
    except ChainError as exc:
        raise UsageError(str(exc)) from None


def offline_signer(args, identity) -> str:
    """The vault account that signs offline (a ballot, a vote): --from (an address or
    did:pkh) when given, else the first; UsageError when it is not one of this vault's."""
    accounts = [a.address for a in identity.accounts()]
    voter = address_arg(args.sender) if getattr(args, "sender", None) else accounts[0]
    if voter not in accounts:
        raise UsageError(f"{voter} is not an account of this vault")
    return voter


def save_signed(args, signed: dict, export_qr) -> list[str]:
    """Write what was signed offline (a ballot, a vote) where the command was told:
    ``--out FILE`` (JSON) and/or ``--qr OUT`` (``export_qr(signed, OUT)`` -> its paths);
    returns the paths written, in that order."""
    # start-up: store.atomic only when something is written
    import json
    from pathlib import Path

    from ..store.atomic import write_atomic

    written = []
    if args.out:
        write_atomic(Path(args.out), json.dumps(signed, indent=2).encode() + b"\n")
        written.append(args.out)
    if args.qr:
        written += [str(p) for p in export_qr(signed, args.qr)]
    return written


def open_session(args, *, sign: bool = True):
    """The vault unlocked (asking for the passphrase when needed), its network and its
    TxService, opened once (vault.chain.session.ChainSession); locked again on close."""
    # start-up: chain.session ~175 ms (client and TxService), only for chain writes
    from ..chain.session import ChainSession

    identity = open_identity(args)
    try:
        session = ChainSession(args.data_dir, identity, sign=sign, lock_identity=True)
    except BaseException:
        identity.store.lock()
        raise
    return session.open()


def sender_of(args, session) -> str:
    """The vault account --from names (an address or did:pkh), else the first."""
    try:
        return session.account(getattr(args, "sender", None))
    except ChainError as exc:
        raise UsageError(str(exc)) from None


class Confirm:
    """The command line's answer to TxService.run: the previews on stderr, then a question
    on the terminal; --yes answers yes, no terminal and no --yes refuses (exit 2). When the
    fee rose after the yes, the new figures are asked about again on a terminal, and refused
    with --yes or without one (nothing more is signed). ``last``: the confirmation answered yes."""

    def __init__(self, args, intro=(), question: str = "Send it?"):
        self.args, self.intro, self.question = args, list(intro), question
        self.first = self.last = None

    def __call__(self, ask) -> bool:
        self.first = self.first or ask
        yes = self._again(ask) if ask.rose is not None else self._ask(ask)
        if yes:
            self.last = ask
        return yes

    def _ask(self, ask) -> bool:
        args = self.args
        if not args.json:
            for line in self.intro:
                say(line)
            steps = len(ask.requests)
            for n, (request, preview) in enumerate(zip(ask.requests, ask.previews)):
                if steps > 1:
                    say(f"Step {n + 1} of {steps}:")
                say(preview.text() if preview is not None else f"What:     {request.description or request.kind}")
            if steps > 1:
                say("(a later step is estimated again once the one before is mined, and refused with its "
                    "reason if it would fail)")
        if args.yes:
            return True
        if not sys.stdin.isatty():
            raise UsageError("add --yes to send it without asking (the preview is above); there is no terminal "
                             "to ask on")
        return confirm(self.question)

    def _again(self, ask) -> bool:
        if self.args.yes or not sys.stdin.isatty():
            return False
        say(str(ask.rose))
        say(ask.previews[0].text())
        return confirm("Send it with the new fee?")


def run_plan(args, service, plan, *, intro=(), wait: bool = True):
    """TxService.run with the command line's Confirm: (records or None when not sent, the
    Confirm). A failed transaction says where its details are."""
    confirmation = Confirm(args, intro)
    try:
        return service.run(plan, confirm=confirmation, wait=wait), confirmation
    except ChainError as exc:
        if exc.details.get("tx_hash"):
            say(f"Transaction {exc.details['tx_hash']} failed; `vault tx show` has the details.")
        raise


def write(args, session, plan, *, intro=(), data: dict | None = None) -> int:
    """Run ``plan`` (a Plan, or the requests of one) on the session's TxService and print
    what became of it: exit 0 sent, 1 not sent."""
    records, confirmation = run_plan(args, session.service, as_plan(plan), intro=intro)
    shown = confirmation.last or confirmation.first
    previews = [p.to_json() for p in shown.previews if p is not None]
    if records is None:
        emit(args, {"sent": False, "preview": previews[0], "previews": previews}, "Not sent.")
        return 1
    emit(args, {"sent": True, "transactions": [r.to_json() for r in records], "preview": previews[0],
                "previews": previews} | (data or {}),
         "\n".join(f"{r.status.capitalize()}: {r.description} — {r.hash}"
                   + (f" in block {r.block}" if r.block is not None else "") + r.fee_note() for r in records))
    return 0


def with_service(args, build) -> int:
    """Open the vault and the chain, build the plan's requests with ``build(service,
    sender)``, then preview, confirm and send them (write: TxService.run)."""
    with open_session(args) as session:
        return write(args, session, build(session.service, sender_of(args, session)))


def read_target(args, fn):
    """Run ``fn(chain, address)`` for --address (no passphrase) or the first account."""
    if getattr(args, "address", None):
        address = address_arg(args.address)
        with connect(args) as chain:
            return fn(chain, address)
    with unlocked(args) as identity, connect(args, identity) as chain:
        return fn(chain, identity.accounts()[0].address)
