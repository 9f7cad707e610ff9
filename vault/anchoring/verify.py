"""The soulbound anchor check that a credential or presentation verification is given.

``vault.credentials.verify.VerificationContext.anchor_status`` takes a callable
``bytes -> (status or None, sentence)``; these build it over a chain, so the
credentials never import the chain. An unreachable network is a sentence, never an
exception: the verdict then carries an "anchor-unchecked" warning.
"""

from __future__ import annotations

from typing import Callable

from ..chain import soulbound
from ..credentials.verdict import ANCHOR_SENTENCES, ANCHORED_BY_DAO
from ..errors import ChainError, VaultError
from .hashing import credential_hash

AnchorCheck = Callable[[bytes], "tuple[str | None, str]"]


def anchor_status(chain, original: bytes) -> str:
    """'anchored' (and not revoked), 'revoked' or 'not-anchored' for a credential's bytes.
    Raises ChainError (e.g. node-unreachable) when the chain cannot be asked."""
    return soulbound.hash_status(chain, credential_hash(original))


def anchor_sentence(status: str | None) -> str:
    """What a verifier shows; None means the chain could not be checked."""
    return ANCHOR_SENTENCES.get(status, "could not check the chain (network unreachable)")


def try_anchor_status(chain_factory, original: bytes) -> tuple[str | None, str]:
    """(status or None, sentence): never raises for an unreachable network."""
    try:
        chain = chain_factory()
    except (ChainError, VaultError) as exc:
        return None, f"could not check the chain: {exc}"
    try:
        status = anchor_status(chain, original)
        by_dao = status == soulbound.ANCHORED and anchored_by_dao(chain, original)
    except ChainError as exc:
        return None, f"could not check the chain: {exc}"
    finally:
        close = getattr(chain, "close", None)
        if close:
            close()
    return status, ANCHORED_BY_DAO if by_dao else anchor_sentence(status)


def anchored_by_dao(chain, original: bytes) -> bool:
    """Whether the token anchoring ``original`` was issued by the DAO's timelock (an executed
    proposal, vault.anchoring.dao_badge) rather than by an accredited issuer's account."""
    token_id, _, _ = soulbound.token_of_credential(chain, credential_hash(original))
    return bool(token_id) and \
        soulbound.token(chain, token_id)["issuer"].lower() == chain.contracts.timelock.address.lower()


def chain_anchor_check(data_dir) -> AnchorCheck:
    """The check against the network this data folder uses (connected once, on first use)."""
    # start-up: vault.chain.client and networks (~40 ms) only when a chain is asked
    from ..chain.client import connect
    from ..chain.networks import load_profile

    chain = []

    def factory():
        if not chain:
            chain.append(connect(load_profile(data_dir), data_dir))
        return _Borrowed(chain[0])

    return lambda original: try_anchor_status(factory, original)


def anchor_check_on(chain) -> AnchorCheck:
    """The same check over a chain that is already connected (the app's), never closed by it."""
    return lambda original: try_anchor_status(lambda: _Borrowed(chain), original)


class _Borrowed:
    """The shared chain connection without its close(): it serves every check of a run."""

    def __init__(self, chain):
        self._chain = chain

    def __getattr__(self, name):
        if name == "close":
            raise AttributeError(name)
        return getattr(self._chain, name)
