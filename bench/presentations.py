"""Presentation benchmarks: build + sign + log + QR render, decode the image, verify.

    python -m bench.presentations [--repeat 50]

The holder is a fresh vault (KDF floor: the KDF is not what is measured here); the
credential is an Open Badges 3.0 badge issued to the holder's did:key.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.common import print_report
from vault.credentials import data_integrity
from vault.credentials.service import CredentialService
from vault.did import did_key
from vault.identity import Identity
from vault.presentations import verify_presentation
from vault.presentations.service import PresentationService
from vault.qr import render, scan
from vault.qr.parts import encode_parts

ISSUER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
ISSUER = did_key.from_ed25519(ISSUER_KEY.public_key().public_bytes_raw())
PHRASE = "test test test test test test test test test test test junk"


def badge(subject: str) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:2f6b8e5c-8a4e-4c3b-9d57-3e0c4b1d7a21",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Riverside Community College"},
        "validFrom": "2025-01-15T09:30:00Z",
        "name": "Introduction to Programming (Python)",
        "credentialSubject": {
            "id": subject, "type": ["AchievementSubject"],
            "achievement": {"id": "urn:uuid:6b2f3c1e-0f4a-4e8e-9f0a-1d2c3b4a5e6f", "type": ["Achievement"],
                            "name": "Introduction to Programming (Python)",
                            "description": "Foundational programming in Python.",
                            "criteria": {"narrative": "Completed all twelve assignments and the final project."}}},
    }


def timed(fn, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), result


def run(repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        identity = Identity.restore(Path(tmp) / "vault", "benchmark passphrase", PHRASE, kdf_target=0)
        holder = identity.default_did().did
        credentials = CredentialService(identity.store)
        signed = data_integrity.sign(badge(holder), ISSUER_KEY, f"{ISSUER}#{ISSUER.split(':')[-1]}")
        cid = credentials.import_bytes(json.dumps(signed).encode()).summary.id
        service = PresentationService(identity, credentials)

        def present_and_render():
            p = service.present([cid], None, "challenge-1", "employer.example")
            codes = encode_parts(p.data, kind=p.kind)
            return p, codes, render.png(codes[0])

        build_ms, build_max, (presentation, codes, png) = timed(present_and_render, repeat)
        sign_ms, _, _ = timed(lambda: service.present([cid], None, "challenge-1", "employer.example"), repeat)
        decode_ms, decode_max, decoded = timed(lambda: scan.read_presentation(png), repeat)
        verify_ms, verify_max, verdict = timed(
            lambda: verify_presentation(decoded.payload, challenge="challenge-1", domain="employer.example"),
            repeat)
        assert verdict.valid, verdict.message
        identity.store.lock()
    return {"build_sign_log_render_ms": build_ms, "build_sign_log_render_max_ms": build_max,
            "build_sign_log_ms": sign_ms, "decode_image_ms": decode_ms, "decode_image_max_ms": decode_max,
            "verify_ms": verify_ms, "verify_max_ms": verify_max, "payload_bytes": len(presentation.data),
            "qr_chars": len(codes[0]), "qr_version": render.qr_version(codes[0]), "codes": len(codes)}


def markdown(r: dict) -> str:
    return "\n".join([
        "| one OB 3.0 credential, eddsa-rdfc-2022 | median | max | budget |",
        "| --- | ---: | ---: | --- |",
        f"| build + sign + log + QR PNG | {r['build_sign_log_render_ms']:.1f} ms | "
        f"{r['build_sign_log_render_max_ms']:.1f} ms | ≤ 150 ms |",
        f"| of which build + sign + log | {r['build_sign_log_ms']:.1f} ms | | |",
        f"| decode the PNG | {r['decode_image_ms']:.1f} ms | {r['decode_image_max_ms']:.1f} ms | ≤ 30 ms |",
        f"| verify the presentation (holder + credential) | {r['verify_ms']:.1f} ms | {r['verify_max_ms']:.1f} ms | |",
        f"| payload / QR | {r['payload_bytes']:,} bytes → {r['qr_chars']} chars, version {r['qr_version']}, "
        f"{r['codes']} code | | ≤ 21 |",
    ])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    r = run(args.repeat)
    print_report(f"Presentations ({datetime.now(timezone.utc):%Y-%m-%d}, `python -m bench.presentations "
                 f"--repeat {args.repeat}`)", markdown(r), r)


if __name__ == "__main__":
    main()
