"""Fixtures for the vault store's safety tests.

* ``memo_kdf`` (autouse) memoises Argon2id per (passphrase, parameters). It returns the
  very bytes the real derivation returns, so no check is weakened; it only spares the
  ~0.15 s floor-cost derivation when a test opens the same vault hundreds of times (bit
  flips, crash runs). A forked child inherits the parent's cache, so its unlock is fast.
* ``fork_child`` runs a function in a forked child that reports to the parent through a
  pipe, one line per message, and is killed with SIGKILL by the parent (or by itself).
* ``vault_files`` / ``flip_bit`` / ``reopen`` are small helpers shared by the modules.
"""

from __future__ import annotations

import contextlib
import functools
import os
import select
import signal
import time
import traceback
from pathlib import Path

import pytest

import vault.store.vault_store as vault_store_module
from vault.store import VaultStore

PASSPHRASE = "correct horse battery staple"
OTHER_PASSPHRASE = "tr0ub4dor&3-but-longer"


@pytest.fixture(autouse=True)
def memo_kdf(monkeypatch):
    real = vault_store_module.derive_key
    cached = functools.lru_cache(maxsize=None)(real)
    monkeypatch.setattr(vault_store_module, "derive_key", cached)
    yield cached


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def other_passphrase() -> str:
    return OTHER_PASSPHRASE


@pytest.fixture
def umask022():
    """A usual desktop umask, so that a file created without an explicit mode shows 0644."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def vault_dir(tmp_path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def new_store(vault_dir):
    """A new unlocked store at the KDF floor; locked again after the test."""
    stores = []

    def make(path: Path = vault_dir, passphrase: str = PASSPHRASE) -> VaultStore:
        store = VaultStore.create(path, passphrase, kdf_target=0)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.lock()


@pytest.fixture
def reopen():
    """Unlock a fresh VaultStore on ``path`` (what the app does after a restart)."""
    def _reopen(path: Path, passphrase: str = PASSPHRASE) -> VaultStore:
        store = VaultStore(path)
        store.unlock(passphrase)
        return store
    return _reopen


def _flip_bit(data: bytes, position: int, bit: int) -> bytes:
    damaged = bytearray(data)
    damaged[position] ^= 1 << bit
    return bytes(damaged)


@pytest.fixture
def flip_bit():
    return _flip_bit


@pytest.fixture
def vault_files():
    """Names of the files in a folder (not recursive), sorted."""
    return lambda folder: sorted(p.name for p in Path(folder).iterdir())


# ---- forked children -------------------------------------------------------------------

class Child:
    """A forked child running ``target(report)``; ``report(msg)`` sends one line home.

    The child never returns into pytest: it leaves with ``os._exit`` (0 when ``target``
    returned, 70 with the traceback reported as "error ..." when it raised).
    """

    def __init__(self, target):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            code = 70
            try:
                os.close(read_fd)

                def report(message: str) -> None:
                    os.write(write_fd, (message.replace("\n", " | ") + "\n").encode())

                try:
                    target(report)
                    code = 0
                except BaseException:
                    report("error " + traceback.format_exc())
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid = pid
        self._fd = read_fd
        self._buffer = b""
        self.messages: list[str] = []
        self.status: int | None = None

    def _read_some(self, timeout: float) -> bool:
        """Read what is there within ``timeout``; False at end of stream."""
        ready, _, _ = select.select([self._fd], [], [], max(0.0, timeout))
        if not ready:
            return True
        chunk = os.read(self._fd, 65536)
        if not chunk:
            return False
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        self.messages.extend(line.decode() for line in lines)
        return True

    def wait_for(self, prefix: str, timeout: float = 30.0) -> str:
        """Block until a message starting with ``prefix`` arrives (or fail the test)."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for message in self.messages[seen:]:
                if message.startswith("error "):
                    raise AssertionError("child failed: " + message)
                if message.startswith(prefix):
                    return message
            seen = len(self.messages)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"child sent no {prefix!r} within {timeout} s: {self.messages[-5:]}")
            if not self._read_some(remaining):
                self.wait()
                raise AssertionError(f"child ended before {prefix!r}: status {self.status}, "
                                     f"{self.messages[-5:]}")

    def kill_after(self, delay: float) -> None:
        """The kill timer: keep reading reports for ``delay`` seconds, then SIGKILL."""
        deadline = time.monotonic() + delay
        while (remaining := deadline - time.monotonic()) > 0:
            if not self._read_some(remaining):
                break  # the child already ended on its own
        self.kill()

    def kill(self) -> None:
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.wait()

    def wait(self, timeout: float = 60.0) -> int:
        """Read every report until the child's end (the pipe closes), then reap it.

        Reading first means a chatty child never blocks on a full pipe; a child still
        running after ``timeout`` is killed (and its status then fails the test).
        """
        if self.status is None:
            deadline = time.monotonic() + timeout
            open_ = True
            while open_ and (remaining := deadline - time.monotonic()) > 0:
                open_ = self._read_some(remaining)
            if open_:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                while self._read_some(5.0):
                    pass
            _, self.status = os.waitpid(self.pid, 0)
            os.close(self._fd)
        return self.status

    @property
    def killed(self) -> bool:
        return os.WIFSIGNALED(self.status) and os.WTERMSIG(self.status) == signal.SIGKILL

    def errors(self) -> list[str]:
        return [m for m in self.messages if m.startswith("error ")]


@pytest.fixture
def fork_child():
    children: list[Child] = []

    def start(target) -> Child:
        child = Child(target)
        children.append(child)
        return child

    yield start
    for child in children:  # never leave a child behind, whatever the test did
        child.kill()
