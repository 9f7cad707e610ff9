"""What the running app was started with: one object handed to every page that needs it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vault.store.kdf import DEFAULT_TARGET_SECONDS


@dataclass(frozen=True)
class AppConfig:
    data_dir: Path
    # Seconds one Argon2id derivation should take on this machine when a vault is created
    # or restored. Tests pass 0 (the floor parameters, ~0.15 s).
    kdf_target: float = DEFAULT_TARGET_SECONDS
    # Connect to the network shortly after unlock (status bar block, pending
    # transactions settled). Off in tests of other things: a chain page still connects.
    connect_chain: bool = True
    # -v: debug records on stderr and in the data folder's log file (vault.logs).
    verbose: bool = False
    # Credential files the app was started with ("Open with Blocktrack Vault" in a file
    # manager): imported once the vault is unlocked.
    open_files: tuple[str, ...] = ()
