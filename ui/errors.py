"""Turn any exception into a sentence for the window: core errors already are one."""

from __future__ import annotations

import logging

from vault.chain.rpc_guard import as_chain_error
from vault.errors import VaultError

log = logging.getLogger("blocktrack_vault.ui")


def describe(exc: BaseException) -> str:
    if isinstance(exc, VaultError):
        return str(exc)
    if (said := as_chain_error(exc)) is not None:  # a node's answer web3 could not decode
        return str(said)
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"The vault's files could not be written or read{where}: {exc.strerror}."
    # Not one the core raises on purpose: keep the details for a bug report, tell the
    # person plainly. Never the exception's arguments, which could hold a secret.
    log.error("unexpected error", exc_info=exc)
    return (f"Something unexpected went wrong ({type(exc).__name__}). Nothing was changed; "
            "please try again, and report it if it keeps happening.")
