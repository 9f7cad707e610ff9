"""The peer tools the benchmark compares with, how to install them, and whether they are here.

None of them is needed by the application; ``python -m bench --setup`` installs them:

- Node: Digital Bazaar's ``@digitalbazaar/vc`` and ``did-jwt-vc`` (tests/node, the same
  install as the interop tests), anvil (tests/anvil, the chain tests' node);
- Debian: ``keepassxc`` (keepassxc-cli), ``qrencode`` (and its C library libqrencode4),
  ``zbar-tools`` (zbarimg).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import subprocess
import sys

from bench.common import ROOT, _command_version

NPM_PREFIXES = ("tests/node", "tests/anvil")
DEBIAN_PACKAGES = ("keepassxc", "qrencode", "libqrencode4", "zbar-tools")
SETUP_HINT = "python -m bench --setup"


def node_verifiers() -> str | None:
    """None when Digital Bazaar's vc and did-jwt-vc can run, else why not."""
    from tests.peers.node import _why_unavailable, node_available

    return None if node_available() else _why_unavailable()


def anvil() -> str | None:
    from tests.chain.conftest import anvil_binary

    return None if anvil_binary() else "anvil is not installed (npm ci --prefix tests/anvil)"


def command(name: str, package: str) -> str | None:
    return None if shutil.which(name) else f"{name} is not installed (Debian package {package})"


def libqrencode() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("qrencode")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


def versions() -> dict:
    def npm_version(prefix: str, package: str) -> str | None:
        try:
            return json.loads((ROOT / prefix / "node_modules" / package / "package.json").read_text())["version"]
        except (OSError, ValueError, KeyError):
            return None

    from tests.chain.conftest import anvil_binary

    binary = anvil_binary()
    return {
        "@digitalbazaar/vc": npm_version("tests/node", "@digitalbazaar/vc"),
        "jsonld": npm_version("tests/node", "jsonld"),
        "did-jwt-vc": npm_version("tests/node", "did-jwt-vc"),
        "anvil": _command_version([str(binary), "--version"]) if binary else None,
        "keepassxc-cli": _command_version(["keepassxc-cli", "--version"]),
        "qrencode": _command_version(["qrencode", "--version"]),
        "zbarimg": _command_version(["zbarimg", "--version"]),
    }


def setup() -> int:
    """Install every peer; say what failed and go on. Returns the number of failures."""
    failures = 0

    def run(argv: list[str]) -> None:
        nonlocal failures
        print("$ " + " ".join(argv), flush=True)
        if subprocess.run(argv, cwd=ROOT).returncode != 0:
            failures += 1
            print(f"  failed: {' '.join(argv)}", file=sys.stderr)

    if shutil.which("npm"):
        for prefix in NPM_PREFIXES:
            run(["npm", "ci", "--prefix", prefix, "--no-audit", "--no-fund"])
    else:
        failures += 1
        print("npm is not installed: apt-get install nodejs npm", file=sys.stderr)
    apt = ["apt-get", "install", "-y", "--no-install-recommends", *DEBIAN_PACKAGES]
    if not shutil.which("apt-get"):
        failures += 1
        print(f"no apt-get: install {', '.join(DEBIAN_PACKAGES)} by hand", file=sys.stderr)
    elif os.geteuid() != 0:
        failures += 1
        print("not root: run  sudo " + " ".join(apt), file=sys.stderr)
    else:
        run(["apt-get", "update", "-qq"])
        run(apt)
    return failures
