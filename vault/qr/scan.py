"""Read presentations back: from QR images (zxing-cpp), folders of part images, or text.

``read_presentation`` is the one entry point for "the verifier was handed something": an
image file (a screenshot, a camera photo, a printed sheet of parts), a folder of part
images, or a text file holding a BTV code (or its parts, one per line), plain presentation
JSON, a JWT / SD-JWT, or a Learner Credential Wallet ``VP1-`` code.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import os
import re
from pathlib import Path
from typing import Any

import base45

from vault import safejson

from .codec import Decoded, is_btv
from .errors import CborldError, InvalidQr
from .frames import MAX_IMAGE_PIXELS, Budget, grey_frames
from .parts import Collector, collect, is_part

__all__ = [
    "IMAGE_SUFFIXES", "MAX_IMAGE_PIXELS", "read_folder", "read_image", "read_presentation",
    "read_presentation_files", "read_text", "classify_text",
]

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff"})
MAX_TEXT_FILE = 4 << 20
MAX_FOLDER_IMAGES = 200
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM",
                b"II*\x00", b"MM\x00*")
_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_SD_JWT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+~(?:[A-Za-z0-9_.-]*~?)*")


# ---------------------------------------------------------------------------- images

def _is_image_bytes(data: bytes) -> bool:
    return data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _zxing_read(image, **options) -> list[str]:
    # start-up: zxing-cpp and PIL (~20 ms) only when an image is read
    import zxingcpp

    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode,
                                     try_rotate=True, try_downscale=True, try_invert=True,
                                     text_mode=zxingcpp.TextMode.Plain, **options)
    return [r.text for r in results if r.valid and r.text]


class _Reader:
    """The QR texts of images read frame by frame within one budget, until the parts of a
    code are all in (the rest of an animation or a folder is then never decoded)."""

    def __init__(self) -> None:
        self.budget = Budget()
        self.texts: list[str] = []
        self.done = False
        self._parts = Collector()

    def image(self, source: Any) -> None:
        for frame in grey_frames(source, self.budget):
            self._add(_read_frame(frame))
            if self.done:
                return

    def folder(self, folder: Path) -> None:
        for path in _folder_images(folder):
            if self.done:
                return
            self.image(path)

    def _add(self, texts: list[str]) -> None:
        self.texts.extend(texts)
        for text in texts:
            if is_part(text) and not self.done:
                try:
                    self.done = self._parts.add(text) is not None
                except InvalidQr:
                    self.done = True   # reading on cannot help; _from_images says why


def read_image(source: Any) -> list[str]:
    """The texts of every QR code in an image (path, bytes, or PIL image); [] if none.
    The frames of an animation (e.g. our animated GIF of parts) are read until the parts
    of a code are all in.

    zxing-cpp looks in every orientation, at lower resolutions and inverted. When it finds
    nothing, two more passes help blurred, noisy or tiny images: the global-histogram
    binarizer, then a 2× enlargement (or a 2× reduction of a very large photo).
    """
    reader = _Reader()
    reader.image(source)
    return reader.texts


def _read_frame(image) -> list[str]:
    # start-up: zxing-cpp and PIL (~20 ms) only when an image is read
    import zxingcpp
    from PIL import Image, ImageFilter

    texts = _zxing_read(image)
    if texts:
        return texts
    texts = _zxing_read(image, binarizer=zxingcpp.Binarizer.GlobalHistogram)
    if texts:
        return texts
    if max(image.size) <= 1600:
        larger = image.resize((image.width * 2, image.height * 2), Image.Resampling.BICUBIC)
        texts = _zxing_read(larger)
        if not texts:
            texts = _zxing_read(larger.filter(ImageFilter.MedianFilter(3)))
    else:
        texts = _zxing_read(image.reduce(2))
    return texts


def _folder_images(folder: Path) -> list[Path]:
    images = (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    files = sorted(itertools.islice(images, MAX_FOLDER_IMAGES + 1))   # not a million stats
    if not files:
        raise InvalidQr(f"The folder {folder.name} holds no images (PNG, JPEG, GIF, BMP, "
                        "WebP, TIFF).")
    if len(files) > MAX_FOLDER_IMAGES:
        raise InvalidQr(f"The folder {folder.name} holds more than {MAX_FOLDER_IMAGES} images; a "
                        "presentation code has at most 99 parts. Keep only the images of one code.")
    return files


def read_folder(folder: str | os.PathLike) -> list[str]:
    """The texts of the QR codes in the images of a folder (e.g. one file per part), read
    until the parts of a code are all in."""
    reader = _Reader()
    reader.folder(Path(folder))
    return reader.texts


def _from_images(texts: list[str], where: str) -> Decoded:
    if not texts:
        raise InvalidQr(f"No QR code could be read in {where}. Try a sharper, closer, "
                        "evenly lit picture with the whole code inside it.")
    ours = [t for t in texts if is_btv(t)]
    if ours:
        return collect(ours)
    if len(texts) == 1 or len(set(texts)) == 1:
        return read_text(texts[0])
    raise InvalidQr(f"{where} holds {len(set(texts))} QR codes, none of them a Blocktrack "
                    "Vault code.")


# ---------------------------------------------------------------------------- text

def _b64url_json(segment: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        return safejson.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def classify_text(text: str) -> str | None:
    """The kind of a non-BTV presentation text: vp-json, vc-json, vp-jwt, vc-jwt, jwt,
    sd-jwt; None if it is none of them."""
    if text.startswith(("{", "[")):
        try:
            value = safejson.loads(text)
        except ValueError:
            return None
        if not isinstance(value, dict):
            return None
        types = value.get("type", [])
        types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
        if "VerifiablePresentation" in types:
            return "vp-json"
        if "VerifiableCredential" in types:
            return "vc-json"
        return None
    if _SD_JWT.fullmatch(text):
        return "sd-jwt"
    if _JWS.fullmatch(text):
        header, payload = (_b64url_json(s) for s in text.split(".")[:2])
        if not isinstance(header, dict) or not isinstance(payload, dict):
            return None
        if "vp" in payload:
            return "vp-jwt"
        if "vc" in payload:
            return "vc-jwt"
        return "jwt"
    return None


def read_text(text: str) -> Decoded:
    """A presentation given as text: a BTV code (or its parts, one per line), a VP1- code,
    plain JSON, a JWT or an SD-JWT."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidQr("The text is not UTF-8: it is not a presentation.") from None
    text = text.lstrip("\ufeff").strip()
    if not text:
        raise InvalidQr("The text is empty.")
    if is_btv(text):
        lines = [line for line in text.splitlines() if line.strip()]
        return collect(lines)
    if text.startswith("VP1-"):
        return _decode_vp1(text)
    kind = classify_text(text)
    if kind is None:
        raise InvalidQr("This text is neither a Blocktrack Vault code nor a presentation "
                        "(JSON, JWT or SD-JWT).")
    return Decoded(kind=kind, payload=text.encode("utf-8"))


# ---------------------------------------------------------------------------- VP1 (LCW)

MAX_VP1_TEXT = 4296     # alphanumeric characters in the largest QR code (version 40, level L)


def _vp1_bytes(text: str) -> bytes:
    """The CBOR-LD of ``VP1-`` + multibase ``R`` (base45, RFC 9285; vpqr 5 and later) or
    ``B`` (base32, RFC 4648 upper case, no padding; the Learner Credential Wallet)."""
    if len(text) > MAX_VP1_TEXT:
        raise InvalidQr(f"This VP1- code is {len(text)} characters long; a QR code holds at most "
                        f"{MAX_VP1_TEXT}: it is not a Learner Credential Wallet code.")
    body = text[4:]
    if body.startswith("R"):
        try:
            return base45.b45decode(body[1:])
        except ValueError:
            raise InvalidQr("This VP1- code is damaged (invalid base45): scan it again.") from None
    if body.startswith("B"):
        body = body[1:]
        try:
            return base64.b32decode(body + "=" * (-len(body) % 8))
        except (binascii.Error, ValueError):
            raise InvalidQr("This VP1- code is damaged (invalid base32): scan it again.") from None
    raise InvalidQr("This VP1- code uses neither base45 (VP1-R…) nor base32 (VP1-B…), the encodings "
                    "its format defines.")


def _decode_vp1(text: str) -> Decoded:
    """A Learner Credential Wallet / vpqr code: ``VP1-`` + multibase of CBOR-LD
    (vault.qr.cborld), with the JSON-LD contexts it names served from resources/contexts."""
    # start-up: the JSON-LD contexts and CBOR-LD tables (~60 ms) only for a VP1- code
    from vault.credentials import jsonld
    from vault.credentials.verdict import CredentialFailure

    from . import cborld

    def load_context(url: str):
        try:
            return jsonld.load_context(url)
        except CredentialFailure:
            raise CborldError(f"It names the JSON-LD context {str(url)[:200]}, which this vault has no "
                              "copy of (contexts are never fetched).") from None

    raw = _vp1_bytes(text)
    try:
        document = cborld.decode(raw, load_context)
    except CborldError as exc:
        raise CborldError(f"This Learner Credential Wallet code (VP1-) could not be read. {exc}") from None
    if not isinstance(document, dict):
        raise InvalidQr("This VP1- code does not hold a presentation.")
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Decoded(kind=classify_text(payload.decode("utf-8")) or "vp-json", payload=payload)


# ---------------------------------------------------------------------------- entry point

def read_presentation(source: Any) -> Decoded:
    """Read a presentation from an image file, a folder of images, a text file, image or
    text bytes, a PIL image, or (a ``str`` that is not an existing path) the text itself."""
    # start-up: PIL (~10 ms) only when an image is read
    from PIL import Image

    if isinstance(source, Image.Image):
        return _from_images(read_image(source), "the image")
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if _is_image_bytes(data):
            return _from_images(read_image(data), "the image")
        return read_text(data)
    if isinstance(source, str) and not os.path.exists(source):
        return read_text(source)
    path = Path(source)
    if path.is_dir():
        return _from_images(read_folder(path), f"the folder {path.name}")
    if not path.is_file():
        raise InvalidQr(f"{path} does not exist.")
    if path.stat().st_size > MAX_TEXT_FILE and path.suffix.lower() not in IMAGE_SUFFIXES:
        raise InvalidQr(f"{path.name} is too large to be a presentation.")
    with path.open("rb") as f:
        head = f.read(16)
    if path.suffix.lower() in IMAGE_SUFFIXES or _is_image_bytes(head):
        return _from_images(read_image(path), path.name)
    if path.suffix.lower() == ".svg" or head.lstrip().startswith(b"<"):
        raise InvalidQr(f"{path.name} is a vector drawing; scan a PNG or JPEG of the code "
                        "(or the screen) instead.")
    return read_text(path.read_bytes())


def read_presentation_files(sources) -> Decoded:
    """Several paths handed over together (dropped, or chosen at once in a dialog): one
    presentation file or folder as ``read_presentation`` reads it, or images (and folders
    of images) that together hold one code or the parts of one code."""
    paths = [Path(s) for s in sources]
    if not paths:
        raise InvalidQr("Nothing was given to read.")
    if len(paths) == 1:
        return read_presentation(paths[0])
    if len(paths) > MAX_FOLDER_IMAGES:
        raise InvalidQr(f"{len(paths)} files were given; at most {MAX_FOLDER_IMAGES} are read.")
    reader = _Reader()   # one budget for them all; stops once a code's parts are all in
    for path in paths:
        if reader.done:
            break
        if path.is_dir():
            reader.folder(path)
        elif not path.is_file():
            raise InvalidQr(f"{path.name} does not exist.")
        else:
            with path.open("rb") as f:
                head = f.read(16)
            if path.suffix.lower() not in IMAGE_SUFFIXES and not _is_image_bytes(head):
                raise InvalidQr(f"{path.name} is not an image: give one presentation file at a time. "
                                "Several files are read together only when they are images of one "
                                "code or of its parts.")
            reader.image(path)
    return _from_images(reader.texts, "these images")
