"""What every screenshot needs: the throwaway vaults' passphrase, the window's size, and
waiting for the app (no test harness here: the event loop is run by hand)."""

from __future__ import annotations

import time
from pathlib import Path

PASSPHRASE = "correct horse battery staple"
SIZE = (1000, 680)


def wait_until(predicate, timeout: float = 15.0) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QThread
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected screen")
        QCoreApplication.processEvents(QEventLoop.AllEvents, 50)
        QThread.msleep(10)


def settle() -> None:
    """Let layouts, polish and deferred deletes run before a grab."""
    from PySide6.QtCore import QCoreApplication, QEvent
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        QCoreApplication.processEvents()


def shoot(widget, path: Path) -> Path:
    settle()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(f"wrote {path}")
    return path
