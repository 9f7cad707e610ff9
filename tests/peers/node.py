"""Run the independent Node verifiers in ``tests/node/verify.mjs`` from Python tests.

Digital Bazaar's ``@digitalbazaar/vc`` (Data Integrity) and ``did-jwt-vc`` (VC-JWT),
installed by ``npm ci --prefix tests/node --no-audit --no-fund`` (exact versions in
``tests/node/package-lock.json``), verify fully offline.

    node_available() -> bool
    require_node()                              # skip here, fail in CI (CI=true)
    node_verify(kind, document, challenge=None, domain=None, now=None) -> dict
    node_verify_many(requests) -> list[dict]    # one Node process for many requests
    node_bench(kind, document, runs, ...) -> dict   # {"median_ms", "min_ms", "max_ms", ...}
    node_sign(suite, document) -> dict          # Digital Bazaar signs (fresh did:key issuer)
    node_derive(document, selective_pointers) -> dict   # Digital Bazaar derives (ecdsa-sd-2023)

``kind`` is "credential", "presentation" (Data Integrity JSON-LD documents),
"jwt-credential" or "jwt-presentation" (compact JWT strings). A verdict is
``{"verified": bool, "errors": [str, ...]}``; presentations also carry
``presentation_verified`` and ``credentials_verified``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Iterable, Mapping

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
SCRIPT = NODE_DIR / "verify.mjs"
INSTALL_COMMAND = "npm ci --prefix tests/node --no-audit --no-fund"
KINDS = ("credential", "presentation", "jwt-credential", "jwt-presentation")
TIMEOUT_SECONDS = 120


class NodeVerifierError(RuntimeError):
    """verify.mjs could not give a verdict (bad request, crash, no JSON on stdout)."""


def _node() -> str | None:
    return shutil.which("node")


def node_available() -> bool:
    """node is on PATH and the npm packages are installed in tests/node/node_modules."""
    return (_node() is not None and SCRIPT.is_file()
            and (NODE_DIR / "node_modules" / "@digitalbazaar" / "vc").is_dir()
            and (NODE_DIR / "node_modules" / "did-jwt-vc").is_dir()
            and (NODE_DIR / "node_modules" / "@digitalbazaar" / "ecdsa-rdfc-2019-cryptosuite").is_dir()
            and (NODE_DIR / "node_modules" / "@digitalbazaar" / "ecdsa-sd-2023-cryptosuite").is_dir()
            and (NODE_DIR / "node_modules" / "@digitalbazaar" / "ecdsa-jcs-2019-cryptosuite").is_dir())


def _why_unavailable() -> str:
    if _node() is None:
        return "node is not on PATH"
    return f"tests/node/node_modules is not installed (run: {INSTALL_COMMAND})"


def require_node() -> None:
    """Skip the calling test when the Node verifier is not installed, except in CI
    (environment CI=true), where interop must be proved: there it fails."""
    import pytest

    if node_available():
        return
    reason = f"Node peer verifier unavailable: {_why_unavailable()}"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (CI=true: the peer interop tests must run)", pytrace=False)
    pytest.skip(reason)


def _request(kind: str, document: Any, challenge: str | None, domain: str | None,
             now: str | None) -> dict:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    request: dict[str, Any] = {"kind": kind, "document": document}
    if challenge is not None:
        request["challenge"] = challenge
    if domain is not None:
        request["domain"] = domain
    if now is not None:
        request["now"] = now
    return request


def _run(payload: Mapping, *args: str) -> dict:
    node = _node()
    if node is None or not node_available():
        raise NodeVerifierError(f"Node peer verifier unavailable: {_why_unavailable()}")
    try:
        done = subprocess.run([node, str(SCRIPT), *args], input=json.dumps(payload), cwd=NODE_DIR,
                              capture_output=True, text=True, encoding="utf-8",
                              timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise NodeVerifierError(f"verify.mjs took longer than {TIMEOUT_SECONDS} s") from exc
    if done.returncode != 0:
        raise NodeVerifierError(f"verify.mjs exited {done.returncode}: {done.stderr.strip()}")
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise NodeVerifierError(f"verify.mjs printed no JSON: {done.stdout!r} {done.stderr!r}") from exc


def node_verify(kind: str, document: Any, challenge: str | None = None, domain: str | None = None,
                now: str | None = None) -> dict:
    """Verify one credential or presentation with the Node peer libraries."""
    return _run(_request(kind, document, challenge, domain, now))


def node_verify_many(requests: Iterable[Mapping]) -> list[dict]:
    """Verify several requests (dicts with the keyword arguments of ``node_verify``) in
    one Node process, which saves its ~0.3 s start-up per request."""
    batch = [_request(r["kind"], r["document"], r.get("challenge"), r.get("domain"), r.get("now"))
             for r in requests]
    results = _run({"batch": batch})["results"]
    if len(results) != len(batch):
        raise NodeVerifierError(f"asked for {len(batch)} verdicts, got {len(results)}")
    return results


def node_bench(kind: str, document: Any, runs: int, challenge: str | None = None,
               domain: str | None = None, now: str | None = None) -> dict:
    """Verify the same input ``runs`` times in one process (after a warm-up run) and return
    ``{"runs", "median_ms", "min_ms", "max_ms", "verified", "errors"}``: the peer's
    in-process verification time, without Node start-up."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    return _run(_request(kind, document, challenge, domain, now), "--bench", str(runs))


SIGNING_SUITES = ("Ed25519Signature2020", "Ed25519Signature2018", "ecdsa-rdfc-2019-p256", "ecdsa-rdfc-2019-p384",
                  "ecdsa-sd-2023")


def node_sign(suite: str, document: Mapping, mandatory_pointers: list[str] | None = None) -> dict:
    """``document`` issued and signed by Digital Bazaar's libraries with ``suite`` (one of
    SIGNING_SUITES) and a freshly generated did:key, which becomes the issuer; an
    ecdsa-sd-2023 base proof makes ``mandatory_pointers`` (default ["/issuer"]) mandatory."""
    if suite not in SIGNING_SUITES:
        raise ValueError(f"suite must be one of {SIGNING_SUITES}, not {suite!r}")
    request: dict[str, Any] = {"kind": "sign-credential", "suite": suite, "document": document}
    if mandatory_pointers is not None:
        request["mandatoryPointers"] = mandatory_pointers
    result = _run(request)
    if "signed" not in result:
        raise NodeVerifierError(f"Digital Bazaar could not sign with {suite}: {result.get('errors')}")
    return result["signed"]


def node_derive(document: Mapping, selective_pointers: list[str]) -> dict:
    """The disclosure Digital Bazaar's ecdsa-sd-2023 derives from ``document``'s base proof."""
    result = _run({"kind": "derive-credential", "document": document, "selectivePointers": selective_pointers})
    if "derived" not in result:
        raise NodeVerifierError(f"Digital Bazaar could not derive: {result.get('errors')}")
    return result["derived"]
