"""Does every one-credential presentation fit ONE QR code (level M, version ≤ 25)?

    python -m bench.qr_fit [--json]

For each format the app makes (a VC 2.0 VP with a Data Integrity proof, eddsa-rdfc-2022 and
eddsa-jcs-2022; a did-jwt-vc JWT VP; an SD-JWT VC with a key-binding JWT, enveloped in a
DI VP as ``vault.presentations.build`` does), the interop Open Badge
(tests/fixtures/interop) is re-issued to a holder did:key and presented, once as is and
once with a 200-character achievement description. Each payload is encoded in the format
writers make now and in BTV1, and the table gives the QR version of each.
"""

from __future__ import annotations

import argparse
import copy
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vault.credentials import data_integrity, jwt_vc, sd_jwt_vc
from vault.did import did_key
from vault.qr import codec, parts

ROOT = Path(__file__).resolve().parents[1]
BADGE = ROOT / "tests" / "fixtures" / "interop" / "di-eddsa-rdfc-2022" / "valid-01-open-badge.json"
MAX_VERSION = parts.MAX_VERSION
# 200 characters, like a real course description
LONG_DESCRIPTION = ("Foundational programming in Python: variables, control flow, functions, "
                    "collections, files, errors and unit testing, with twelve weekly assignments "
                    "and a final project reviewed by peers.")[:200]
CHALLENGE = "0f6d7c5e-2b7a-4f3e-9a51-6c1d8e2f4b90"   # a UUID, as verifiers send them
DOMAIN = "verifier.example.org"
NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
VC2 = "https://www.w3.org/ns/credentials/v2"


def _did(seed: int) -> tuple[Ed25519PrivateKey, str, str]:
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(seed, seed + 32)))
    did = did_key.from_ed25519(key.public_key().public_bytes_raw())
    return key, did, f"{did}#{did.split(':')[-1]}"


ISSUER_KEY, ISSUER, ISSUER_METHOD = _did(1)
HOLDER_KEY, HOLDER, HOLDER_METHOD = _did(40)


def _xsd(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def badge(description: str | None = None) -> dict:
    """The interop Open Badge, unsigned, issued by ISSUER to HOLDER."""
    credential = json.loads(BADGE.read_bytes())
    credential.pop("proof")
    credential["issuer"]["id"] = ISSUER
    credential["credentialSubject"]["id"] = HOLDER
    if description is not None:
        credential["credentialSubject"]["achievement"]["description"] = description
    return credential


def _di_vp(embedded: dict, suite: str) -> bytes:
    """A VP as vault.presentations.build signs it (compact JSON)."""
    document = {"@context": [VC2], "type": ["VerifiablePresentation"], "holder": HOLDER,
                "verifiableCredential": [embedded]}
    signed = data_integrity.sign(document, HOLDER_KEY, HOLDER_METHOD, cryptosuite=suite,
                                 purpose="authentication", challenge=CHALLENGE, domain=DOMAIN,
                                 created=_xsd(NOW), expires=_xsd(NOW + timedelta(minutes=10)))
    return json.dumps(signed, separators=(",", ":"), ensure_ascii=False).encode()


def di_presentation(suite: str, description: str | None = None) -> bytes:
    credential = data_integrity.sign(badge(description), ISSUER_KEY, ISSUER_METHOD, cryptosuite=suite,
                                     created="2025-01-15T09:30:00Z")
    return _di_vp(credential, suite)


def jwt_presentation(description: str | None = None) -> bytes:
    credential = badge(description)
    credential["@context"] = ["https://www.w3.org/2018/credentials/v1",
                              "https://purl.imsglobal.org/spec/ob/v3p0/context.json"]
    credential["issuanceDate"] = credential.pop("validFrom")
    token = jwt_vc.sign_jwt_vc(credential, ISSUER_KEY, kid=ISSUER_METHOD,
                               issued_at=datetime(2025, 1, 15, tzinfo=timezone.utc))
    return jwt_vc.sign_jwt_vp([token], HOLDER_KEY, kid=HOLDER_METHOD, audience=DOMAIN, nonce=CHALLENGE,
                              now=NOW).encode()


def sd_jwt_presentation(description: str | None = None) -> bytes:
    """The interop SD-JWT VC's claims, bound to the holder (cnf), every claim revealed, with
    a KB-JWT, enveloped in a DI VP (eddsa-rdfc-2022), as the app presents it."""
    achievement = badge(description)["credentialSubject"]["achievement"]
    claims = {"vct": "urn:example:vct:open-badge-achievement:1", "sub": HOLDER,
              "issuer_name": "Riverside Community College",
              "given_name": "Jordan", "family_name": "Rivera",
              "email": "jordan.rivera@student.riverside.example.edu",
              "achievement": {"name": achievement["name"], "criteria": achievement["criteria"]["narrative"],
                              "description": achievement["description"]},
              "nbf": 1736899200}
    issued = sd_jwt_vc.issue_sd_jwt_vc(claims, ISSUER_KEY, kid=ISSUER_METHOD,
                                       disclosable=("given_name", "family_name", "email",
                                                    "achievement.description"),
                                       holder_public_key=HOLDER_KEY.public_key(),
                                       issued_at=datetime(2025, 1, 15, 9, 30, tzinfo=timezone.utc))
    token = sd_jwt_vc.present(issued, ["given_name", "family_name", "email", "achievement.description"],
                              holder_key=HOLDER_KEY, nonce=CHALLENGE, audience=DOMAIN, issued_at=NOW)
    envelope = {"@context": VC2, "id": f"data:application/dc+sd-jwt,{token}",
                "type": "EnvelopedVerifiableCredential"}
    return _di_vp(envelope, data_integrity.RDFC)


def cases() -> list[tuple[str, str, bytes]]:
    """(label, kind, payload): every format, the fixture badge and its 200-character variant."""
    rows = []
    for variant, description in (("fixture badge", None), ("200-char description", LONG_DESCRIPTION)):
        rows += [
            (f"DI VP, eddsa-rdfc-2022, {variant}", "vp-json", di_presentation("eddsa-rdfc-2022", description)),
            (f"DI VP, eddsa-jcs-2022, {variant}", "vp-json", di_presentation("eddsa-jcs-2022", description)),
            (f"JWT VP (VC-JWT), {variant}", "vp-jwt", jwt_presentation(description)),
            (f"SD-JWT + KB in a DI VP, {variant}", "vp-json", sd_jwt_presentation(description)),
        ]
    return rows


def _version(text: str) -> int | None:
    return parts.version_for(text)


def measure() -> list[dict]:
    rows = []
    for label, kind, payload in cases():
        new = codec.encode(payload, kind=kind)
        old = codec.encode(payload, kind=kind, version=1)
        rows.append({"case": label, "kind": kind, "payload_bytes": len(payload),
                     "chars": len(new), "version": _version(new), "codes": len(parts.split(new)),
                     "btv1_chars": len(old), "btv1_version": _version(old)})
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [f"One-credential presentations in one QR code (level M, version ≤ {MAX_VERSION}):", "",
             "| presentation | kind | payload bytes | chars | QR version | codes | BTV1 version |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['case']} | {r['kind']} | {r['payload_bytes']:,} | {r['chars']:,} | "
                     f"{r['version']} | {r['codes']} | {r['btv1_version']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.qr_fit", description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = parser.parse_args(argv)
    rows = measure()
    print(json.dumps(rows, indent=2) if args.json else markdown(rows))
    return 0 if all(r["codes"] == 1 and r["version"] <= MAX_VERSION for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
