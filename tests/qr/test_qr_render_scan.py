"""Render to PNG / SVG / sheet / GIF and read back with zxing-cpp, also from poor images."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image, ImageDraw, ImageFilter

from vault.qr import render, scan
from vault.qr.codec import Decoded, encode
from vault.qr.errors import InvalidQr
from vault.qr.parts import encode_parts, split, version_for

FIXTURES = Path(__file__).parents[1] / "fixtures"
VP = (FIXTURES / "interop" / "di-vp" / "valid-01-one-credential.json").read_bytes()
BIG = (FIXTURES / "credentials" / "ob30" / "complete.json").read_bytes()
VP_TEXT = encode(VP, kind="vp-json")


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("L")


@pytest.fixture(scope="module")
def vp_image() -> Image.Image:
    return _image(render.png(VP_TEXT))


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=quality)
    return _image(buf.getvalue())


def _noise(image: Image.Image, amount: int, seed: int = 3) -> Image.Image:
    rnd = random.Random(seed)
    noisy = image.copy()
    px = noisy.load()
    for _ in range(image.width * image.height // 6):
        x, y = rnd.randrange(image.width), rnd.randrange(image.height)
        px[x, y] = max(0, min(255, px[x, y] + rnd.randint(-amount, amount)))
    return noisy


def _rotate(image: Image.Image, degrees: float, fill: int = 255) -> Image.Image:
    return image.rotate(degrees, expand=True, fillcolor=fill, resample=Image.Resampling.BICUBIC)


def _scale(image: Image.Image, factor: float) -> Image.Image:
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.BILINEAR)


def _photo(image: Image.Image) -> Image.Image:
    """A phone photo of a screen: grey surroundings, tilt, softness, scaling, JPEG."""
    canvas = Image.new("L", (image.width + 300, image.height + 200), 170)
    canvas.paste(image, (140, 90))
    return _jpeg(_scale(_rotate(canvas, 14, fill=160).filter(ImageFilter.GaussianBlur(1.2)), 0.8), 45)


# ---------------------------------------------------------------------------- render

def test_png_and_version(vp_image):
    assert render.qr_version(VP_TEXT) == version_for(VP_TEXT) <= 21
    assert vp_image.width == (17 + 4 * render.qr_version(VP_TEXT) + 2 * render.BORDER) * render.SCALE


def test_svg_is_well_formed():
    svg = render.svg(VP_TEXT, title="Presentation")
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "Presentation" in svg


def test_sheet_png_reads_back_all_parts():
    texts = encode_parts(BIG, kind="vc-json")
    sheet = render.sheet(texts, fmt="png", title="Scan every code")
    image = _image(sheet)
    assert image.width > 400
    assert sorted(scan.read_image(image)) == sorted(texts)
    assert scan.read_presentation(sheet) == Decoded("vc-json", BIG)


def test_sheet_svg_is_well_formed():
    texts = encode_parts(BIG, kind="vc-json")
    svg = render.sheet(texts, fmt="svg", columns=2, title="A & B")
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}g")) == len(texts)
    captions = [t.text for t in root.findall(f"{ns}text")]
    assert f"1 / {len(texts)}" in captions and "A & B" in captions
    with pytest.raises(ValueError):
        render.sheet(texts, fmt="pdf")


def test_animated_gif_frames_read_back():
    texts = encode_parts(BIG, kind="vc-json")
    gif = Image.open(io.BytesIO(render.animated_gif(texts)))
    seen = []
    for frame in range(gif.n_frames):
        gif.seek(frame)
        seen.extend(scan.read_image(gif.convert("L")))
    assert sorted(seen) == sorted(texts)
    assert scan.read_presentation(render.animated_gif(list(reversed(texts)))) == Decoded("vc-json", BIG)


# ---------------------------------------------------------------------------- scan

def test_round_trip_single_png(vp_image):
    assert scan.read_image(vp_image) == [VP_TEXT]
    assert scan.read_presentation(render.png(VP_TEXT)) == Decoded("vp-json", VP)


def test_screenshot_with_surroundings(vp_image):
    shot = Image.new("L", (1600, 1000), 235)
    draw = ImageDraw.Draw(shot)
    for y in range(40, 1000, 60):
        draw.text((40, y), "Blocktrack Vault - presentation for verifier.example", fill=20)
    shot.paste(vp_image, (820, 180))
    assert scan.read_image(shot) == [VP_TEXT]


@pytest.mark.parametrize("name, degrade", [
    ("blur 1.5", lambda im: im.filter(ImageFilter.GaussianBlur(1.5))),
    ("blur 2.5", lambda im: im.filter(ImageFilter.GaussianBlur(2.5))),
    ("rotate 10", lambda im: _rotate(im, 10)),
    ("rotate 30", lambda im: _rotate(im, 30)),
    ("rotate -23", lambda im: _rotate(im, -23)),
    ("scale 0.5", lambda im: _scale(im, 0.5)),
    ("scale 1.7", lambda im: _scale(im, 1.7)),
    ("jpeg 20", lambda im: _jpeg(im, 20)),
    ("noise", lambda im: _noise(im, 90)),
    ("photo", _photo),
])
def test_degraded_images(vp_image, name, degrade):
    assert scan.read_image(degrade(vp_image)) == [VP_TEXT], name


def test_version_25_part_survives_a_photo():
    text = split("BTV1:X:" + "7Q" * 2000)[0]
    assert version_for(text) == 25
    image = _image(render.png(text))
    assert scan.read_image(_photo(image)) == [text]
    assert scan.read_image(_scale(image, 0.5)) == [text]  # 3 px per module


def test_folder_of_parts_in_any_order(tmp_path):
    texts = encode_parts(BIG, kind="vc-json")
    order = list(range(len(texts)))
    random.Random(1).shuffle(order)
    for n, i in enumerate(order):
        (tmp_path / f"shot-{n}.png").write_bytes(render.png(texts[i]))
    (tmp_path / "shot-dup.jpg").write_bytes(_encode_jpeg(render.png(texts[0])))
    (tmp_path / "notes.txt").write_text("not an image")
    assert scan.read_presentation(tmp_path) == Decoded("vc-json", BIG)
    assert scan.read_presentation(str(tmp_path)) == Decoded("vc-json", BIG)


def _encode_jpeg(png: bytes) -> bytes:
    buf = io.BytesIO()
    _image(png).convert("RGB").save(buf, "JPEG", quality=60)
    return buf.getvalue()


def test_folder_with_parts_of_two_messages(tmp_path):
    a = encode_parts(BIG, kind="vc-json")
    b = encode_parts(BIG.replace(b"Example", b"Exempel"), kind="vc-json")
    for i, text in enumerate(a[:-1] + b[-1:]):
        (tmp_path / f"{i}.png").write_bytes(render.png(text))
    with pytest.raises(InvalidQr, match="another code"):
        scan.read_presentation(tmp_path)


def test_folder_missing_a_part(tmp_path):
    texts = encode_parts(BIG, kind="vc-json")
    for i, text in enumerate(texts[1:]):
        (tmp_path / f"{i}.png").write_bytes(render.png(text))
    with pytest.raises(InvalidQr, match="missing"):
        scan.read_presentation(tmp_path)


def test_empty_folder_and_imageless_files(tmp_path):
    with pytest.raises(InvalidQr, match="no images"):
        scan.read_presentation(tmp_path)
    blank = tmp_path / "blank.png"
    Image.new("L", (300, 300), 255).save(blank)
    with pytest.raises(InvalidQr, match="No QR code"):
        scan.read_presentation(blank)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    with pytest.raises(InvalidQr, match="image"):
        scan.read_presentation(broken)


def test_foreign_qr_code_image():
    image = _image(render.png("https://example.com/not-a-presentation"))
    with pytest.raises(InvalidQr, match="neither"):
        scan.read_presentation(image)


# ---------------------------------------------------------------------------- text inputs

def test_text_file_inputs(tmp_path):
    cases = {
        "code.txt": (VP_TEXT + "\n", Decoded("vp-json", VP)),
        "parts.txt": ("\n".join(reversed(encode_parts(BIG, kind="vc-json"))) + "\n",
                      Decoded("vc-json", BIG)),
        "vp.json": (VP.decode(), Decoded("vp-json", VP.strip())),
        "vc.json": (BIG.decode(), Decoded("vc-json", BIG.strip())),
    }
    for path, kind in [("interop/jwt-vc/valid-01-eddsa.jwt", "vc-jwt"),
                       ("interop/sd-jwt-vc/valid-01-eddsa.sd-jwt", "sd-jwt")]:
        raw = (FIXTURES / path).read_text()
        cases[Path(path).name] = (raw, Decoded(kind, raw.strip().encode()))
    for name, (content, expected) in cases.items():
        file = tmp_path / name
        file.write_text(content)
        assert scan.read_presentation(file) == expected, name
    assert scan.read_presentation(VP_TEXT) == Decoded("vp-json", VP)


def test_jwt_kinds():
    import base64

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    def jws(payload: dict) -> str:
        return f"{part({'alg': 'EdDSA'})}.{part(payload)}.c2ln"

    assert scan.read_text(jws({"vp": {}})).kind == "vp-jwt"
    assert scan.read_text(jws({"vc": {}})).kind == "vc-jwt"
    assert scan.read_text(jws({"vote": 1})).kind == "jwt"
    with pytest.raises(InvalidQr):
        scan.read_text("abc.def.ghi")


@pytest.mark.parametrize("text", ["", "   ", "hello world", '{"type": "Other"}', "[1, 2]",
                                  "{not json", "[" * 5000, "BTV1:VP-JSON:%%%", "\x00\x01"])
def test_unreadable_texts(text):
    with pytest.raises(InvalidQr):
        scan.read_text(text)


def test_svg_file_is_refused_with_advice(tmp_path):
    file = tmp_path / "code.svg"
    file.write_text(render.svg(VP_TEXT))
    with pytest.raises(InvalidQr, match="PNG or JPEG"):
        scan.read_presentation(file)


# ---------------------------------------------------------------------------- VP1 (LCW)

# Decoding, and real codes of both encodings: tests/qr/test_qr_vp1.py.


@pytest.mark.parametrize("text", ["VP1-", "VP1-X3ECQ", "VP1-B3E!Q", "VP1-B1"])
def test_damaged_vp1(text):
    with pytest.raises(InvalidQr):
        scan.read_text(text)
