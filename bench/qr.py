"""QR transport benchmarks: sizes and QR versions per credential type, encode / render /
decode times for the one-credential presentation.

    python -m bench.qr [--repeat 30] [--json]

Prints Markdown tables for docs/benchmarks.md (budgets: build a VP and show its QR
≤ 150 ms, of which this is the "show its QR" part; decode a VP QR image ≤ 30 ms).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
import zlib
from datetime import date
from pathlib import Path

from vault.qr import codec, parts, render, scan

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
ONE_CREDENTIAL_VP = FIXTURES / "interop" / "di-vp" / "valid-01-one-credential.json"


def _vp_around(credential_file: Path) -> bytes:
    """An (unsigned) VC 2.0 presentation holding one credential, compact JSON."""
    credential = json.loads(credential_file.read_bytes())
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "verifiableCredential": [credential]}
    return json.dumps(vp, separators=(",", ":"), ensure_ascii=False).encode()


def cases() -> list[tuple[str, str, bytes]]:
    """(label, kind, payload) per credential type, from the public fixtures."""
    interop = FIXTURES / "interop"
    ob = FIXTURES / "credentials" / "ob30"
    return [
        ("DI VP, 1 OB 3.0 credential, eddsa-rdfc-2022 (signed, as shipped)", "vp-json",
         ONE_CREDENTIAL_VP.read_bytes()),
        ("same VP, compact JSON", "vp-json",
         json.dumps(json.loads(ONE_CREDENTIAL_VP.read_bytes()), separators=(",", ":")).encode()),
        ("VP around an OB 3.0 DI credential, eddsa-rdfc-2022", "vp-json",
         _vp_around(interop / "di-eddsa-rdfc-2022" / "valid-01-open-badge.json")),
        ("VP around an OB 3.0 DI credential, eddsa-jcs-2022", "vp-json",
         _vp_around(interop / "di-eddsa-jcs-2022" / "valid-01-open-badge.json")),
        ("VP around 1EdTech OB 3.0 'simple' (VC 2.0, eddsa)", "vp-json",
         _vp_around(ob / "simple.json")),
        ("VP around 1EdTech OB 3.0 with status list", "vp-json",
         _vp_around(ob / "credential-status-revoked.json")),
        ("VC-JWT, OB 3.0, EdDSA", "vc-jwt",
         (interop / "jwt-vc" / "valid-01-eddsa.jwt").read_bytes().strip()),
        ("VC-JWT, OB 3.0, ES256K", "vc-jwt",
         (interop / "jwt-vc" / "valid-02-es256k.jwt").read_bytes().strip()),
        ("SD-JWT VC, OB 3.0, EdDSA, all disclosures", "sd-jwt",
         (interop / "sd-jwt-vc" / "valid-01-eddsa.sd-jwt").read_bytes().strip()),
        ("SD-JWT VC, OB 3.0, ES256, all disclosures", "sd-jwt",
         (interop / "sd-jwt-vc" / "valid-02-es256.sd-jwt").read_bytes().strip()),
        ("VP around 1EdTech OB 3.0 'complete' (26 kB pretty file)", "vp-json",
         _vp_around(ob / "complete.json")),
    ]


def _plain_version(payload: bytes, kind: str) -> int | None:
    """QR version with plain zlib + base45 (no dictionary, no JOSE unwrap), for comparison."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    text = f"BTV1:{kind.upper()}:" + codec.b45encode(c.compress(payload) + c.flush())
    return parts.version_for(text)


def sizes() -> list[dict]:
    rows = []
    for label, kind, payload in cases():
        text = codec.encode(payload, kind=kind)
        texts = parts.split(text)
        rows.append({
            "case": label, "kind": kind, "payload_bytes": len(payload), "qr_chars": len(text),
            "codes": len(texts), "version": max(render.qr_version(t) for t in texts),
            "plain_zlib_version": _plain_version(payload, kind),
        })
    return rows


def _median_ms(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def timings(repeat: int) -> dict:
    payload = ONE_CREDENTIAL_VP.read_bytes()
    text = codec.encode(payload, kind="vp-json")
    png = render.png(text)
    photo = _photo(png)
    scan.read_presentation(png)  # warm-up: imports, zxing initialisation
    results = {"payload_bytes": len(payload), "qr_chars": len(text), "version": render.qr_version(text),
               "png_bytes": len(png)}
    results["encode_ms"], _ = _median_ms(lambda: codec.encode(payload, kind="vp-json"), repeat)
    results["encode_render_png_ms"], results["encode_render_png_max_ms"] = _median_ms(
        lambda: render.png(codec.encode(payload, kind="vp-json")), repeat)
    results["encode_render_svg_ms"], _ = _median_ms(
        lambda: render.svg(codec.encode(payload, kind="vp-json")), repeat)
    results["decode_png_ms"], results["decode_png_max_ms"] = _median_ms(
        lambda: scan.read_presentation(png), repeat)
    results["decode_photo_ms"], _ = _median_ms(lambda: scan.read_presentation(photo), repeat)
    results["decode_text_ms"], _ = _median_ms(lambda: codec.decode(text), repeat)
    big = [c for c in cases() if "complete" in c[0]][0][2]
    big_parts = parts.encode_parts(big, kind="vp-json")
    results["sheet_parts"] = len(big_parts)
    results["sheet_png_ms"], _ = _median_ms(lambda: render.sheet_png(big_parts), max(3, repeat // 5))
    return results


def _photo(png: bytes) -> bytes:
    """The PNG as a rotated, blurred, scaled JPEG (a phone photo of a screen)."""
    import io

    from PIL import Image, ImageFilter

    image = Image.open(io.BytesIO(png)).convert("L")
    canvas = Image.new("L", (image.width + 300, image.height + 200), 170)
    canvas.paste(image, (140, 90))
    canvas = canvas.rotate(14, expand=True, fillcolor=160, resample=Image.Resampling.BICUBIC)
    canvas = canvas.filter(ImageFilter.GaussianBlur(1.2))
    canvas = canvas.resize((int(canvas.width * 0.8), int(canvas.height * 0.8)),
                           Image.Resampling.BILINEAR)
    out = io.BytesIO()
    canvas.convert("RGB").save(out, "JPEG", quality=45)
    return out.getvalue()


def markdown(size_rows: list[dict], t: dict) -> str:
    lines = [
        f"### QR transport ({date.today().isoformat()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()})",
        "",
        "| credential / presentation | kind | payload bytes | QR chars | codes | QR version (M) "
        "| plain zlib version |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in size_rows:
        lines.append(f"| {r['case']} | {r['kind']} | {r['payload_bytes']:,} | {r['qr_chars']:,} | "
                     f"{r['codes']} | {r['version']} | {r['plain_zlib_version'] or '> 40'} |")
    lines += [
        "",
        "| one-credential VP (DI, OB 3.0) | median | budget |",
        "| --- | ---: | --- |",
        f"| QR version at level M | {t['version']} | ≤ 21 |",
        f"| encode (deflate + base45) | {t['encode_ms']:.1f} ms | |",
        f"| encode + render PNG | {t['encode_render_png_ms']:.1f} ms "
        f"(max {t['encode_render_png_max_ms']:.1f}) | ≤ 150 ms with building the VP |",
        f"| encode + render SVG | {t['encode_render_svg_ms']:.1f} ms | |",
        f"| decode its PNG (zxing-cpp + inflate) | {t['decode_png_ms']:.1f} ms "
        f"(max {t['decode_png_max_ms']:.1f}) | ≤ 30 ms |",
        f"| decode a photo-like JPEG of it | {t['decode_photo_ms']:.1f} ms | |",
        f"| decode its text only | {t['decode_text_ms']:.2f} ms | |",
        f"| printable sheet of {t['sheet_parts']} parts (PNG) | {t['sheet_png_ms']:.1f} ms | |",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args(argv)
    size_rows = sizes()
    t = timings(args.repeat)
    print(markdown(size_rows, t))
    if args.json:
        print(json.dumps({"sizes": size_rows, "timings": t}, indent=2))


if __name__ == "__main__":
    main()
