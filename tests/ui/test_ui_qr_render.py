"""The code on screen (ui/present/qr.qr_image) and the SVG files, drawn by Qt, read back
as their text at level M and the promised version: what a camera sees."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from ui.present.qr import qr_image
from vault.qr import render
from vault.qr.codec import encode
from vault.qr.parts import encode_parts, version_for

FIXTURES = Path(__file__).parents[1] / "fixtures"
VP_TEXT = encode((FIXTURES / "interop" / "di-vp" / "valid-01-one-credential.json").read_bytes(),
                 kind="vp-json")
BIG = (FIXTURES / "credentials" / "ob30" / "complete.json").read_bytes()


def _pil(image: QImage) -> Image.Image:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    assert image.save(buffer, "PNG")
    import io
    return Image.open(io.BytesIO(bytes(data))).convert("L")


def _read(image: QImage) -> list[zxingcpp.Barcode]:
    return [b for b in zxingcpp.read_barcodes(_pil(image), formats=zxingcpp.BarcodeFormat.QRCode)
            if b.valid]


def _svg_image(svg: str, zoom: float = 1.0) -> QImage:
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    assert renderer.isValid()
    size = renderer.defaultSize() * zoom
    image = QImage(size, QImage.Format_Grayscale8)
    image.fill(Qt.white)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


@pytest.mark.parametrize("text", [VP_TEXT, encode_parts(BIG, kind="vc-json")[0]], ids=["vp", "part"])
def test_the_code_on_screen_reads_back(qapp, text):
    image = qr_image(text)
    assert image.width() == image.height() == 17 + 4 * version_for(text) + 2 * render.BORDER
    [barcode] = _read(image.scaled(image.width() * 4, image.height() * 4))  # not smoothed
    assert barcode.text == text and barcode.extra["ECLevel"] == "M"
    assert int(barcode.extra["Version"]) == version_for(text)


def test_the_svg_file_reads_back(qapp):
    [barcode] = _read(_svg_image(render.svg(VP_TEXT, title="Presentation")))
    assert barcode.text == VP_TEXT and barcode.extra["ECLevel"] == "M"
    assert int(barcode.extra["Version"]) == version_for(VP_TEXT)


def test_every_code_of_the_svg_sheet_reads_back(qapp):
    texts = encode_parts(BIG, kind="vc-json")
    found = _read(_svg_image(render.sheet_svg(texts, title="Scan every code")))
    assert sorted(b.text for b in found) == sorted(texts)
