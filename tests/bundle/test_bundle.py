"""The built Linux bundle, run as a user would, with nothing of this checkout's Python:
an empty environment (no PYTHONPATH, no venv), a fresh home. Skipped unless
BLOCKTRACK_BUNDLE names a built bundle folder (packaging/build.py --smoke sets it; CI runs
that when the bundle's inputs changed, see packaging/README.md)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.chain.conftest import USER_ADDRESS, USER_PHRASE
from tests.ui.test_ui_xcb import QUIT_SECONDS, App, blank, launch, screen, x_server  # noqa: F401 - fixtures

BUNDLE = Path(os.environ["BLOCKTRACK_BUNDLE"]) if os.environ.get("BLOCKTRACK_BUNDLE") else None
pytestmark = pytest.mark.skipif(BUNDLE is None, reason="no built bundle named (BLOCKTRACK_BUNDLE)")
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "interop" / "di-eddsa-rdfc-2022" / \
    "valid-01-open-badge.json"
PASSPHRASE = "correct horse battery staple 42"


def bare_env(home: Path, **extra) -> dict:
    """What a fresh login has: a home, a PATH of system folders, nothing of Python's."""
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def vault(home: Path, *args: str, json_out: bool = True) -> tuple[int, object, str]:
    cmd = [str(BUNDLE / "vault"), *(("--json",) if json_out else ()), *args]
    done = subprocess.run(cmd, env=bare_env(home, BLOCKTRACK_VAULT_PASSPHRASE=PASSPHRASE), capture_output=True,
                          text=True, timeout=300)
    out = json.loads(done.stdout) if json_out and done.returncode == 0 and done.stdout.strip() else done.stdout
    return done.returncode, out, done.stderr


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A user of the bundle: a vault restored from a phrase file by the bundle's `vault`,
    with one credential imported; its data where the platform expects it."""
    home = tmp_path_factory.mktemp("home")
    phrase = home / "phrase.txt"
    phrase.write_text(USER_PHRASE)
    code, out, err = vault(home, "restore", "--recovery-phrase-file", str(phrase), "--kdf-seconds", "0")
    assert code == 0, err
    assert out["address"] == USER_ADDRESS
    assert (home / ".local" / "share" / "blocktrack-vault").is_dir()   # XDG data, not the bundle's folder
    code, out, err = vault(home, "credential", "import", str(FIXTURE))
    assert code == 0, err
    return home


def test_the_bundle_is_self_contained(home):
    code, out, err = vault(home, "--version", json_out=False)
    assert code == 0 and out.startswith("vault "), err
    for name in ("blocktrack-vault", "vault", "install.sh", "share/applications/blocktrack-vault.desktop",
                 "share/mime/packages/blocktrack-vault.xml", "share/icons/hicolor/256x256/apps/blocktrack-vault.png"):
        assert (BUNDLE / name).exists(), name
    code, listed, err = vault(home, "credential", "list")
    assert code == 0, err
    assert [row["status"] for row in listed] == ["valid"]


def test_the_embedded_chain_runs_in_the_bundle(home):
    """py-evm, eth-tester and the contract artifacts are in: the first use deploys the suite."""
    code, status, err = vault(home, "chain", "status")
    assert code == 0, err
    assert status["network"] == "embedded" and status["block"] > 10
    assert {"token", "governor", "soulbound"} <= set(status["contracts"])


def test_the_window_unlocks_to_the_credentials_page(screen, x_server, home, tmp_path, monkeypatch):
    """The bundle's app on xcb: the unlock window, the passphrase typed (XTEST), the
    credentials page painted (a different picture), Ctrl+Q."""
    from Xlib import XK, X
    from Xlib.ext import xtest

    monkeypatch.setattr("tests.ui.test_ui_xcb.APP", BUNDLE / "blocktrack-vault")
    app = App(x_server, home / ".local" / "share" / "blocktrack-vault")
    try:
        window, unlock = screen.wait_for_painted_window(app)
        unlock.save(tmp_path / "bundle-unlock.png")
        window.set_input_focus(X.RevertToParent, X.CurrentTime)
        display = screen.display
        for char in PASSPHRASE + "\r":
            name = {" ": "space", "\r": "Return"}.get(char, char)
            code = display.keysym_to_keycode(XK.string_to_keysym(name))
            xtest.fake_input(display, X.KeyPress, code)
            xtest.fake_input(display, X.KeyRelease, code)
        display.sync()
        unlocked = screen.wait_for_change(window, unlock, timeout=60)
        unlocked.save(tmp_path / "bundle-unlocked.png")
        assert not blank(unlocked)
        screen.type_ctrl_q(window)
        assert app.wait(QUIT_SECONDS) == 0, app.text()
    finally:
        app.stop()


def test_install_sh_adds_the_menu_entry_and_uninstall_removes_exactly_that(tmp_path):
    home = tmp_path / "user"
    (home / ".local" / "share" / "blocktrack-vault").mkdir(parents=True)   # a vault's data: never touched
    env = bare_env(home)
    done = subprocess.run([str(BUNDLE / "install.sh")], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    share = home / ".local" / "share"
    entry = (share / "applications" / "blocktrack-vault.desktop").read_text()
    assert f"Exec={home}/.local/bin/blocktrack-vault %F" in entry and "MimeType=application/vc+ld+json;" in entry
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / "blocktrack-vault.png").is_file()
    code = subprocess.run([str(home / ".local" / "bin" / "vault"), "--version"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert code.returncode == 0 and code.stdout.startswith("vault ")
    done = subprocess.run([str(BUNDLE / "install.sh"), "--uninstall"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert not (home / ".local" / "bin" / "vault").exists()
    assert not (share / "applications" / "blocktrack-vault.desktop").exists()
    assert (share / "blocktrack-vault").is_dir()
