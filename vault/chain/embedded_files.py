"""The embedded chain's files on disk: the lock that lets one process at a time open the
chain (a second waits a few seconds, then gets ChainError("chain-busy")), and 0600 modes
for the database and its -wal, -shm and lock files (split from embedded.py)."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from ..store.atomic import FILE_MODE


class _FileLock:
    def __init__(self, path: Path):
        self.path = path
        self._fh = None

    def acquire(self, timeout: float) -> bool:
        fh = os.fdopen(os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE), "r+b")
        deadline = time.monotonic() + timeout
        while True:
            try:
                _lock_file(fh)
                self._fh = fh
                return True
            except OSError:
                if time.monotonic() >= deadline:
                    fh.close()
                    return False
                time.sleep(0.05)

    def release(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                _unlock_file(self._fh)
            self._fh.close()
            self._fh = None


if os.name == "nt":  # pragma: no cover - Windows
    import msvcrt

    def _lock_file(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock_file(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock_file(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock_file(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def make_private(path: Path) -> None:
    """Create the database 0600 before SQLite would (umask: 0644; -wal and -shm take the
    database's mode); tighten the files of a chain made by an older version."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE))
    for suffix in ("", "-wal", "-shm", ".lock"):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path.with_name(path.name + suffix), FILE_MODE)
