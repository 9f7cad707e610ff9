"""Learner Credential Wallet ``VP1-`` codes made by the real JavaScript libraries
(``tests/node/vp1.mjs``), and the presentations they hold.

The codes in ``tests/fixtures/qr/vp1/`` were written by this module, so the Python tests
run without Node; ``test_qr_vp1.py`` checks, when Node is there, that the libraries still
write exactly them. To write them again (after changing a document or a library):

    PYTHONPATH=. python -m tests.qr.vp1_codes
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "qr" / "vp1"
NODE_DIR = ROOT / "tests" / "node"
SCRIPT = NODE_DIR / "vp1.mjs"
INTEROP = ROOT / "tests" / "fixtures" / "interop"
CHALLENGE = "3f1c2a90-employer-challenge"
DOMAIN = "hr.employer.example"

# name → (presentation file in FIXTURES, library, CBOR-LD format, multibase encoding)
CODES = {
    "signed-vc11.vpqr6-R": ("signed-vc11.json", "vpqr", "cbor-ld-1.0", "R"),
    "signed-vc11.vpqr6-legacy-B": ("signed-vc11.json", "vpqr", "legacy-singleton", "B"),
    "signed-vc20.lcw-B": ("signed-vc20.json", "lcw", "legacy-singleton", "B"),
    "unsigned-vc11.vpqr6-R": ("unsigned-vc11.json", "vpqr", "cbor-ld-1.0", "R"),
    "unsigned-vc20.lcw-B": ("unsigned-vc20.json", "lcw", "legacy-singleton", "B"),
}
# @digitalbazaar/vpqr's own test vectors (test/mock-data.js): its example presentation
VPQR_EXAMPLES = ("vpqr-example.cborld1-R", "vpqr-example.legacy-B", "vpqr-example.legacy-R")


def node_available() -> bool:
    return (shutil.which("node") is not None and SCRIPT.is_file()
            and (NODE_DIR / "node_modules" / "@digitalbazaar" / "vpqr").is_dir()
            and (NODE_DIR / "node_modules" / "@digitalcredentials" / "vpqr").is_dir())


def node_codes(document: dict, specs: list[dict]) -> list[dict]:
    """The libraries' QR texts for ``document``: one {"payload", "version"} or {"error"}
    per spec {"library", "format", "encoding"}."""
    request = json.dumps({"document": document, "codes": specs})
    done = subprocess.run([shutil.which("node") or "node", str(SCRIPT)], input=request, capture_output=True,
                          text=True, timeout=120, cwd=NODE_DIR)
    if done.returncode != 0:
        raise RuntimeError(f"vp1.mjs failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout)["codes"]


def presentation(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def code(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").rstrip("\n")


# ---------------------------------------------------------------------------- documents

def _documents() -> dict[str, dict]:
    """The presentations, made once with the test keys (Ed25519: deterministic)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from tests.presentations.vp_fixtures import ISSUER, ISSUER_KEY, ISSUER_METHOD
    from vault.credentials import data_integrity
    from vault.did import did_key

    holder_key = Ed25519PrivateKey.from_private_bytes(bytes(range(40, 72)))
    holder = did_key.from_ed25519(holder_key.public_key().public_bytes_raw())

    def badge(name: str, number: int) -> dict:       # VC 1.1, as the wallet's own presentation
        return data_integrity.sign({
            "@context": ["https://www.w3.org/2018/credentials/v1",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
                         "https://w3id.org/security/data-integrity/v2"],
            "id": f"urn:uuid:3b1f6a52-1c2d-4e0f-9a8b-7c6d5e4f3a{number:02d}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Test College"},
            "issuanceDate": "2025-01-01T00:00:00Z", "name": name,
            "credentialSubject": {"type": ["AchievementSubject"], "id": holder, "achievement": {
                "id": f"urn:uuid:8c0d9e1f-2a3b-4c5d-8e6f-7a8b9c0d1e{number:02d}", "type": ["Achievement"],
                "name": name, "criteria": {"narrative": "Pass the exam."}}},
        }, ISSUER_KEY, ISSUER_METHOD, created="2025-01-01T00:00:00Z")

    tampered = badge("Statistics", 2)
    tampered["credentialSubject"]["achievement"]["name"] = "Advanced Statistics"
    vc11 = {"@context": "https://www.w3.org/2018/credentials/v1", "type": "VerifiablePresentation"}
    signed = data_integrity.sign(
        {"@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/data-integrity/v2"],
         "type": "VerifiablePresentation", "holder": holder, "verifiableCredential": [badge("Data Analysis", 1)]},
        holder_key, f"{holder}#{holder.split(':')[-1]}", purpose="authentication", challenge=CHALLENGE,
        domain=DOMAIN, created="2026-03-01T11:59:00Z")
    rdfc = INTEROP / "di-eddsa-rdfc-2022"
    return {
        "signed-vc11.json": signed,
        "signed-vc20.json": json.loads((INTEROP / "di-vp" / "valid-01-one-credential.json").read_text()),
        "unsigned-vc11.json": {**vc11, "verifiableCredential": [badge("Data Analysis", 1), tampered]},
        # the wallet's unsigned VC 1.1 presentation of VC 2.0 Open Badges (Digital Bazaar's)
        "unsigned-vc20.json": {**vc11, "verifiableCredential": [
            json.loads((rdfc / "valid-01-open-badge.json").read_text()),
            json.loads((rdfc / "invalid-01-tampered-achievement-name.json").read_text())]},
    }


def write() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, document in _documents().items():
        (FIXTURES / name).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    for name, (source, library, fmt, encoding) in CODES.items():
        [made] = node_codes(copy.deepcopy(presentation(source)),
                            [{"library": library, "format": fmt, "encoding": encoding}])
        if "error" in made:
            raise RuntimeError(f"{name}: {made['error']}")
        (FIXTURES / f"{name}.txt").write_text(made["payload"] + "\n", encoding="utf-8")
        print(f"{name}: {len(made['payload'])} characters, QR version {made['version']}")


if __name__ == "__main__":
    write()
