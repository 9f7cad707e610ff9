"""The calls the onboarding pages run off the GUI thread (each runs Argon2id once).

``vault.identity`` (~30 ms; eth-account, ~0.5 s more, once a key is derived) is imported
here, on the worker thread, and not before the first window is up.
"""

from __future__ import annotations

import threading
from pathlib import Path

from vault.store import VaultStore

# First imports on two pool threads at once can meet a half-initialised module (pydantic,
# under eth-account, when Create was pressed while the window's warm-up imported): the
# warm-up (ui.main_window) and these jobs take turns.
IMPORTING = threading.Lock()


def create_vault(data_dir: Path, passphrase: str, words: int, kdf_target: float):
    with IMPORTING:
        # start-up: vault.identity, see above
        from vault.identity import Identity
        return Identity.create(data_dir, passphrase, words=words, kdf_target=kdf_target)


def restore_from_phrase(data_dir: Path, passphrase: str, phrase: str, kdf_target: float, replacing: bool = False):
    """(identity, the folder the old vault was set aside in, or None)."""
    with IMPORTING:
        # start-up: vault.identity, see above
        from vault.identity import Identity
        if replacing:
            return Identity.restore_replacing(data_dir, passphrase, phrase, kdf_target=kdf_target)
        return Identity.restore(data_dir, passphrase, phrase, kdf_target=kdf_target), None


def restore_from_backup(backup: Path, data_dir: Path, passphrase: str):
    with IMPORTING:
        # start-up: vault.identity, see above
        from vault.identity import Identity
        return Identity(VaultStore.restore_backup(backup, data_dir, passphrase))


def warm_up() -> None:
    """Import the identity service in the background while the person types."""
    # start-up: vault.identity, see above
    import vault.identity  # noqa: F401


def open_vault(store: VaultStore, passphrase: str):
    """Unlock without the full-file check: it runs once the list is shown (see
    ui.onboarding.integrity); the store writes nothing until it has passed."""
    # start-up: vault.identity, see above
    from vault.identity import Identity
    store.unlock(passphrase, check_integrity=False)
    return Identity(store)
