"""Every code we draw reads back as exactly its text, at the version and level the BTV
format promises (parts.version_for: alphanumeric, level M), from every output: PNG, SVG,
the printed sheet (PNG and SVG) and the module matrix the screen shows."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from vault.qr import render
from vault.qr.codec import ALPHANUMERIC, PREFIX, encode, is_alphanumeric
from vault.qr.parts import capacity, encode_parts, version_for

FIXTURES = Path(__file__).parents[1] / "fixtures"
VP_TEXT = encode((FIXTURES / "interop" / "di-vp" / "valid-01-one-credential.json").read_bytes(),
                 kind="vp-json")
BIG = (FIXTURES / "credentials" / "ob30" / "complete.json").read_bytes()


def _btv_text(length: int, seed: int) -> str:
    rnd = random.Random(seed)
    head = f"{PREFIX}:VP-JSON:"
    return head + "".join(rnd.choice(ALPHANUMERIC) for _ in range(length - len(head)))


# The longest and the shortest text of every version a BTV code may use (1..25).
BOUNDARY_TEXTS = [_btv_text(capacity(v), v) for v in range(2, 26)] + \
    [_btv_text(capacity(v - 1) + 1, 100 + v) for v in range(2, 26)] + [VP_TEXT]


def _read(image: Image.Image) -> list[zxingcpp.Barcode]:
    return [b for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode) if b.valid]


def _check(barcode: zxingcpp.Barcode, text: str) -> None:
    assert barcode.text == text
    assert barcode.extra["ECLevel"] == "M"
    if is_alphanumeric(text):
        assert int(barcode.extra["Version"]) == version_for(text)


@pytest.mark.parametrize("text", BOUNDARY_TEXTS, ids=lambda t: f"{len(t)}ch")
def test_png_reads_back_at_the_promised_version_and_level(text):
    image = Image.open(io.BytesIO(render.png(text)))
    symbol = render.make(text)
    assert symbol.version == version_for(text) == render.qr_version(text)
    assert image.size == ((17 + 4 * symbol.version + 2 * render.BORDER) * render.SCALE,) * 2
    [barcode] = _read(image.convert("L"))
    _check(barcode, text)


@pytest.mark.parametrize("text", [VP_TEXT, BOUNDARY_TEXTS[23]], ids=["vp", "v25"])
def test_module_matrix_reads_back_one_pixel_a_module(text):
    symbol = render.make(text)
    side = symbol.side()
    data = render.grey(symbol)
    assert len(data) == side * side and set(data) == {0, 255}
    # the quiet zone is light all round
    rows = [data[i:i + side] for i in range(0, side * side, side)]
    assert all(set(r) == {255} for r in rows[:render.BORDER] + rows[-render.BORDER:])
    assert all(set(r[:render.BORDER] + r[-render.BORDER:]) == {255} for r in rows)
    image = Image.frombytes("L", (side, side), data).resize((side * 3, side * 3), Image.Resampling.NEAREST)
    [barcode] = _read(image)
    _check(barcode, text)


def test_plain_text_codes_read_back():
    """A DID or an address (not BTV: lower case, byte mode) at level M, smallest version."""
    for text in ("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                 "0x52908400098527886E0F7030069857D2E4169EE7", "Grüße, ✓"):
        [barcode] = _read(Image.open(io.BytesIO(render.png(text))).convert("L"))
        _check(barcode, text)


def test_too_long_for_one_code_is_a_clear_error():
    with pytest.raises(ValueError, match="does not fit one QR code"):
        render.make("a" * 4000)


def test_every_code_of_a_sheet_reads_back():
    texts = encode_parts(BIG, kind="vc-json")
    assert len(texts) > 1
    sheet = Image.open(io.BytesIO(render.sheet_png(texts, title="Scan every code"))).convert("L")
    found = _read(sheet)
    assert sorted(b.text for b in found) == sorted(texts)
    for barcode in found:
        _check(barcode, barcode.text)


def test_short_code_keeps_level_m():
    """segno raised the level when the version had room; the format promises M, which we keep."""
    text = encode(b'{"a":1}', kind="vp-json")
    [barcode] = _read(Image.open(io.BytesIO(render.png(text))).convert("L"))
    assert barcode.extra["ECLevel"] == "M" and barcode.text == text
