"""Drive the app through its screens on throwaway vaults and save a PNG of each.

    QT_QPA_PLATFORM=offscreen python -m ui.screenshots [--out docs/screenshots]

Nothing here touches a real vault: every vault lives in a temporary folder, removed at
the end, and is made with the floor Argon2id parameters.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
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


def run(out: Path) -> list[Path]:
    from .app import create_application
    from .config import AppConfig
    from .main_window import MainWindow, Workspace

    create_application()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="btv-shots-") as tmp:
        # ---- a new user: start screen, create, recovery phrase, confirmation, identity ----
        window = MainWindow(AppConfig(Path(tmp) / "new", kdf_target=0))
        window.resize(*SIZE)
        window.show()
        written.append(shoot(window, out / "start.png"))

        window.page.create_button.click()
        step = window.page.passphrase_step
        step.form.passphrase.setText(PASSPHRASE)
        step.form.confirm.setText(PASSPHRASE)
        step.form.passphrase.setFocus()
        written.append(shoot(window, out / "create.png"))

        flow = window.page
        step.create_button.click()
        wait_until(lambda: flow.phrase_step is not None)
        written.append(shoot(window, out / "recovery-phrase.png"))

        words = flow.phrase_step.grid.words
        flow.phrase_step.written.setChecked(True)
        flow.phrase_step.continue_button.click()
        confirm = flow.confirm_step
        for word in words[:5]:
            next(b for b in confirm.word_buttons if b.isEnabled() and b.text() == word).click()
        written.append(shoot(window, out / "confirm-phrase.png"))
        for word in words[5:]:
            next(b for b in confirm.word_buttons if b.isEnabled() and b.text() == word).click()
        confirm.done_button.click()
        wait_until(lambda: isinstance(window.page, Workspace))

        identity = window.identity
        identity.rename_did(identity.default_did().did, "Personal")
        identity.create_did("jwk", "Job applications")
        page = window.workspace.identity_page
        page.refresh()
        page.select_did(identity.dids()[0].did)
        written.append(shoot(window, out / "identity.png"))
        window.workspace.show_page("Vault")
        written.append(shoot(window, out / "vault.png"))
        window.close()

        # ---- a returning user: the unlock screen, after a wrong try -------------------
        window = MainWindow(AppConfig(Path(tmp) / "new", kdf_target=0))
        window.resize(*SIZE)
        window.show()
        unlock = window.page
        unlock.passphrase.setText("correct horse battery stapler")
        unlock.submit()
        wait_until(lambda: not unlock.busy.running)
        written.append(shoot(window, out / "unlock.png"))
        window.close()

        # ---- restore from the phrase ----------------------------------------------------
        window = MainWindow(AppConfig(Path(tmp) / "restored", kdf_target=0))
        window.resize(*SIZE)
        window.show()
        window.page.restore_phrase_button.click()
        restore = window.page
        restore.phrase.setPlainText("test test test test test test test test test test test junk")
        restore.form.passphrase.setText(PASSPHRASE)
        restore.form.confirm.setText(PASSPHRASE)
        restore.restore_button.setFocus()
        written.append(shoot(window, out / "restore.png"))
        window.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    run(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
