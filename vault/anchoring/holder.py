"""The holder's view of soulbound anchors: what is anchored (``sync``), which of the
vault's accounts may anchor (the issuer role), and what was learned last time, offline."""

from __future__ import annotations

from ..chain import networks, soulbound
from ..credentials.repository import CredentialRepository
from . import store as anchors
from .sync import sync


def chosen_chain_id(data_dir) -> int:
    """The chain id of the network the data folder uses, without contacting it (the
    embedded chain's, or the one in the RPC network's manifest)."""
    # start-up: vault.chain.embedded loads eth-tester and py-evm (~0.5 s) for this constant
    from ..chain.embedded import EMBEDDED_CHAIN_ID

    profile = networks.load_profile(data_dir)
    if profile.kind == networks.EMBEDDED:
        return EMBEDDED_CHAIN_ID
    return networks.Manifest.load(profile.manifest).chain_id


def stored_states(store, data_dir) -> tuple[int, dict[str, anchors.AnchorState]]:
    """Offline: what was learned last time on the network chosen now."""
    chain_id = chosen_chain_id(data_dir)
    return chain_id, anchors.states(store, chain_id)


def holder_view(chain, store, accounts: list[str]) -> tuple[int, dict[str, anchors.AnchorState], list[str]]:
    """What the credentials page needs from the chain: its id, the stored credentials'
    anchor states, and which of ``accounts`` may anchor (hold the issuer role)."""
    result = sync(chain, store, accounts)
    return result.chain_id, result.states, [a for a in accounts if soulbound.is_issuer(chain, a)]


def holder_report(chain, store, accounts: list[str], *, import_carried: bool = True) -> dict:
    """`vault soulbound status`: the tokens of ``accounts`` (credentials their URIs carry
    imported and verified) and every stored credential's state on this chain, as far as
    the vault knows it (its accounts' tokens; others once checked).

    Returns {"tokens": [... + credential_id, imported, import_error],
             "credentials": [{id, title, status: anchored|revoked|not-anchored, token_id}]}."""
    result = sync(chain, store, accounts, import_carried=import_carried)
    stored = []
    for summary in CredentialRepository(store).search(""):
        state = result.states.get(summary.id)
        stored.append({"id": summary.id, "title": summary.title,
                       "status": state.status if state else soulbound.NOT_ANCHORED,
                       "token_id": state.token_id if state else None})
    return {"tokens": result.tokens, "credentials": stored}


def anchored_kinds(store, chain_id: int) -> list[dict]:
    """The kinds of credential the vault holds anchored (not revoked) on ``chain_id``: one
    {"issuer", "type", "title"} per on-chain issuer and credential type (the generic
    "VerifiableCredential" left out), e.g. to require the same kind of a marketplace bidder.
    Offline: what was learned last time (``sync`` asks the chain)."""
    repo, seen, kinds = CredentialRepository(store), set(), []
    for cid, state in anchors.states(store, chain_id).items():
        if state.revoked:
            continue
        summary = repo.get(cid)
        for type_ in summary.types:
            key = (state.issuer.lower(), type_)
            if type_ != "VerifiableCredential" and key not in seen:
                seen.add(key)
                kinds.append({"issuer": state.issuer, "type": type_, "title": summary.title})
    return kinds
