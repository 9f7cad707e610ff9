"""Run a Node peer server from tests/node on 127.0.0.1 for the protocol tests: started as a
subprocess, its first stdout line (JSON) says where it listens; stopped at teardown."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
PACKAGES = ("@openid4vc/openid4vci", "@openid4vc/oauth2", "@openid4vc/openid4vp", "@sd-jwt/sd-jwt-vc", "jose")


def require_peer() -> None:
    """Skip when node or the peer packages are missing, except in CI, where it fails."""
    missing = [p for p in PACKAGES if not (NODE_DIR / "node_modules" / p).is_dir()]
    if shutil.which("node") and not missing:
        return
    reason = ("node is not on PATH" if not shutil.which("node") else
              f"tests/node/node_modules lacks {', '.join(missing)} (run: npm ci --prefix tests/node)")
    if os.environ.get("CI") == "true":
        pytest.fail(f"protocol peer unavailable: {reason}", pytrace=False)
    pytest.skip(f"protocol peer unavailable: {reason}")


class Peer:
    def __init__(self, script: str, *args: str):
        require_peer()
        self.process = subprocess.Popen(["node", str(NODE_DIR / script), *args], cwd=NODE_DIR,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()   # blocks until the server listens (or dies)
        if not line:
            self.process.wait(timeout=10)
            raise RuntimeError(f"{script} did not start: {self.process.stderr.read()}")
        self.info = json.loads(line)

    def get(self, path: str) -> dict:
        """A test-control request to the peer (not through the vault)."""
        base = self.info.get("base") or self.info["issuer"]   # the issuer peer's base is its identifier
        with urllib.request.urlopen(base + path, timeout=30) as answer:
            return json.loads(answer.read())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.process.stdout.close()
        self.process.stderr.close()
