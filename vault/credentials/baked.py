""""Baked" Open Badges 3.0: a credential carried inside the badge image.

- PNG: one ``iTXt`` chunk with keyword ``openbadgecredential`` whose text is the credential
  (JSON) or a compact JWS (VC-JWT). The text may be zlib-compressed (iTXt flag).
- SVG: one ``<openbadges:credential>`` element (namespace
  ``https://purl.imsglobal.org/ob/v3p0``) whose text (usually CDATA) is the JSON
  credential, or whose ``verify`` attribute holds the JWT.

Spec: Open Badges 3.0 §5.3 "Baking" (https://www.imsglobal.org/spec/ob/v3p0/#baking).

PNG chunks are read with ``struct`` + ``zlib``. Pillow was considered: ``im.text`` does
expose iTXt, but only chunks before the image data until the whole image is decoded
(``im.load()``), and baked badges put the credential after IDAT; it would make every import
decode pixels through a large C dependency, and baking would mean re-encoding the image.
Walking chunks ourselves is ~60 lines, touches no pixels, checks every CRC, and re-bakes a
badge without changing a byte of its image.

SVG is parsed with ``defusedxml`` (no entity declarations, no external entities or DTDs
fetched), because a badge is untrusted input: a plain ``xml.etree`` parser would expand a
"billion laughs" entity bomb.
"""

from __future__ import annotations

import re
import struct
import xml.parsers.expat
import zlib
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .verdict import CredentialFailure, Reason
from .. import safejson

__all__ = ["OB3_NAMESPACE", "PNG_KEYWORD", "extract", "bake_png", "bake_svg", "is_baked_image"]

OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
OB2_NAMESPACE = "http://openbadges.org"
PNG_KEYWORD = b"openbadgecredential"
_OB2_PNG_KEYWORD = b"openbadges"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A credential is a few kB; even one with an embedded image stays far below this. The
# cap bounds what a compressed iTXt or an .svgz may expand to.
_MAX_CREDENTIAL = 8 * 1024 * 1024
_MAX_SVG = 32 * 1024 * 1024
_JWS = re.compile(rb"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_TAG = re.compile(r"""<[^\s>/]+(?:[^>"']|"[^"]*"|'[^']*')*>""")


def _malformed(message: str) -> CredentialFailure:
    return CredentialFailure(Reason.MALFORMED, message)


def _credential_bytes(text: bytes, where: str) -> bytes:
    """Check that the baked text is a JSON object or a compact JWS; return it stripped."""
    text = text.strip()
    if not text:
        raise _malformed(f"The {where} is empty.")
    if text.startswith(b"{"):
        try:
            document = safejson.loads(text)
        except (ValueError, RecursionError):      # RecursionError: absurdly deep nesting
            raise _malformed(f"The {where} is not valid JSON.") from None
        if isinstance(document, dict):
            return text
    elif _JWS.fullmatch(text):
        return text
    raise _malformed(f"The {where} is neither a JSON credential nor a JWT.")


def _inflate(data: bytes, where: str) -> bytes:
    engine = zlib.decompressobj()
    try:
        out = engine.decompress(data, _MAX_CREDENTIAL + 1)
    except zlib.error:
        raise _malformed(f"The {where} is compressed but its data is damaged.") from None
    if len(out) > _MAX_CREDENTIAL or engine.unconsumed_tail:
        raise _malformed(f"The {where} is too large.")
    if not engine.eof:
        raise _malformed(f"The {where} is compressed but its data is truncated.")
    return out


# ----------------------------------------------------------------------------- PNG

def _png_chunks(png: bytes):
    """(type, data, start, end) for every chunk up to IEND; MALFORMED if damaged."""
    if not png.startswith(_PNG_SIGNATURE):
        raise _malformed("This is not a PNG file.")
    position = len(_PNG_SIGNATURE)
    while True:
        if position + 12 > len(png):
            raise _malformed("The PNG file is truncated (it ends before its IEND chunk).")
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        end = position + 12 + length
        if length > 0x7FFFFFFF or end > len(png):
            raise _malformed("The PNG file is truncated or damaged (a chunk runs past its end).")
        if not kind.isalpha():
            raise _malformed("The PNG file is damaged (an invalid chunk type).")
        data = png[position + 8:position + 8 + length]
        (crc,) = struct.unpack(">I", png[end - 4:end])
        if zlib.crc32(kind + data) != crc:
            raise _malformed(f"The PNG file is damaged (the CRC of a {kind.decode()} chunk "
                             "does not match).")
        yield kind, data, position, end
        if kind == b"IEND":
            return
        position = end


def _parse_itxt(data: bytes) -> tuple[bytes, bytes]:
    """iTXt -> (keyword, text bytes), decompressing if flagged. MALFORMED if damaged."""
    try:
        keyword, rest = data.split(b"\0", 1)
        flag, method = rest[0], rest[1]
        _language, rest = rest[2:].split(b"\0", 1)
        _translated, text = rest.split(b"\0", 1)
    except (ValueError, IndexError):
        raise _malformed("The PNG file has a damaged iTXt chunk.") from None
    if flag == 1 and keyword == PNG_KEYWORD:
        if method != 0:
            raise _malformed("The badge's credential uses an unknown PNG compression method.")
        text = _inflate(text, "credential baked into the PNG")
    elif flag not in (0, 1):
        raise _malformed("The PNG file has a damaged iTXt chunk (bad compression flag).")
    return keyword, text


def _extract_png(png: bytes) -> bytes:
    found: list[bytes] = []
    legacy = False
    for kind, data, _, _ in _png_chunks(png):
        if kind == b"iTXt":
            keyword, text = _parse_itxt(data)
            if keyword == PNG_KEYWORD:
                found.append(text)
            elif keyword == _OB2_PNG_KEYWORD:
                legacy = True
        elif kind in (b"tEXt", b"zTXt") and data.split(b"\0", 1)[0] == _OB2_PNG_KEYWORD:
            legacy = True
    if len(found) > 1:
        raise _malformed("The PNG badge holds more than one credential, so which one it "
                         "shows is ambiguous.")
    if found:
        return _credential_bytes(found[0], "credential baked into the PNG")
    if legacy:
        raise CredentialFailure(Reason.UNSUPPORTED_FORMAT,
                                "This is an Open Badges 2.0 badge; the vault reads Open Badges "
                                "3.0 credentials.")
    raise _malformed("This PNG image holds no Open Badges credential.")


def bake_png(png: bytes, credential: bytes, *, compress: bool = False) -> bytes:
    """Return ``png`` with ``credential`` (JSON or JWT bytes) in an iTXt chunk before IEND.

    Any credential already baked in is replaced; every other byte is kept.
    """
    try:
        credential.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the credential must be UTF-8 text (JSON or a JWT)") from None
    kept = bytearray(_PNG_SIGNATURE)
    for kind, data, start, end in _png_chunks(png):
        if kind == b"iTXt" and data.split(b"\0", 1)[0] == PNG_KEYWORD:
            continue
        if kind == b"IEND":
            text = zlib.compress(credential, 9) if compress else credential
            body = PNG_KEYWORD + b"\0" + bytes([1 if compress else 0, 0]) + b"\0\0" + text
            kept += struct.pack(">I", len(body)) + b"iTXt" + body
            kept += struct.pack(">I", zlib.crc32(b"iTXt" + body))
        kept += png[start:end]
    return bytes(kept)


# ----------------------------------------------------------------------------- SVG

def _parse_svg(text: bytes):
    try:
        return SafeET.fromstring(text, forbid_dtd=False, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException:
        raise _malformed("The SVG file declares XML entities, which a badge must not "
                         "(they can read local files or exhaust memory).") from None
    except (ParseError, ValueError):
        raise _malformed("The SVG file is not well-formed XML.") from None


def _svg_credential(element) -> bytes:
    jwt = element.get("verify") or element.get(f"{{{OB3_NAMESPACE}}}verify")
    content = (element.text or "").strip()
    if jwt and jwt.strip() and content:
        raise _malformed("The SVG badge's credential element holds both a JWT and a JSON "
                         "credential.")
    if jwt and jwt.strip():
        return _credential_bytes(jwt.encode("utf-8"), "JWT baked into the SVG")
    return _credential_bytes(content.encode("utf-8"), "credential baked into the SVG")


def _extract_svg(data: bytes) -> bytes:
    root = _parse_svg(data)
    elements = list(root.iter(f"{{{OB3_NAMESPACE}}}credential"))
    if len(elements) > 1:
        raise _malformed("The SVG badge holds more than one credential, so which one it "
                         "shows is ambiguous.")
    if elements:
        return _svg_credential(elements[0])
    if next(root.iter(f"{{{OB2_NAMESPACE}}}assertion"), None) is not None:
        raise CredentialFailure(Reason.UNSUPPORTED_FORMAT,
                                "This is an Open Badges 2.0 badge; the vault reads Open Badges "
                                "3.0 credentials.")
    raise _malformed("This SVG image holds no Open Badges credential.")


def _looks_like_xml(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def _svg_offsets(text: str) -> tuple[int, list[tuple[int, int]]]:
    """Character offsets of the root element's start tag and the span of each OB 3.0
    credential element in ``text`` (which has already passed the defused parse; expat is
    used here only for the offsets ElementTree does not give)."""
    source = text.encode("utf-8")
    parser = xml.parsers.expat.ParserCreate("utf-8", namespace_separator=" ")
    root: list[int] = []
    opened: list[int] = []
    spans: list[tuple[int, int]] = []

    def start(name, _attrs):
        if not root:
            root.append(parser.CurrentByteIndex)
        if name == f"{OB3_NAMESPACE} credential":
            opened.append(parser.CurrentByteIndex)

    def end(name):
        if name == f"{OB3_NAMESPACE} credential":
            spans.append((opened.pop(), parser.CurrentByteIndex))

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.Parse(source, True)

    def char(offset: int) -> int:        # expat counts bytes of the UTF-8 source
        return len(source[:offset].decode("utf-8"))

    elements = []
    for start_at, end_at in spans:
        start_char = char(start_at)
        tag = _TAG.match(text, start_char)
        if tag and tag.group(0).endswith("/>"):       # <openbadges:credential .../>
            elements.append((start_char, tag.end()))
        else:                                           # ...</openbadges:credential>
            elements.append((start_char, text.index(">", char(end_at)) + 1))
    return char(root[0]), elements


def bake_svg(svg: str, credential: str) -> str:
    """Return ``svg`` with ``credential`` baked in right after the opening ``<svg>`` tag.

    A JWT goes in the ``verify`` attribute, JSON in a CDATA section. Any credential already
    baked in is replaced; the rest of the document is kept as it was.
    """
    _parse_svg(svg.encode("utf-8"))
    text = svg
    while True:                                   # drop credentials baked in before
        root_start, elements = _svg_offsets(text)
        if not elements:
            break
        start, end = elements[-1]
        text = text[:start] + text[end:]
    match = _TAG.match(text, root_start)
    if match is None or match.group(0).endswith("/>"):
        raise ValueError("the SVG root element has no content to add a credential to")
    root_tag, root_end = match.group(0), match.end()

    declared = re.search(r"""\sxmlns:openbadges\s*=\s*(["'])(.*?)\1""", root_tag)
    local_declaration = ""
    if declared is None:
        root_tag = root_tag[:-1] + f' xmlns:openbadges="{OB3_NAMESPACE}">'
    elif declared.group(2) != OB3_NAMESPACE:      # the prefix is taken: declare it locally
        local_declaration = f' xmlns:openbadges="{OB3_NAMESPACE}"'

    value = credential.strip()
    if value.startswith("{"):
        body = value.replace("]]>", "]]]]><![CDATA[>")
        element = (f"\n  <openbadges:credential{local_declaration}><![CDATA[{body}]]>"
                   "</openbadges:credential>")
    else:
        attribute = value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        element = f'\n  <openbadges:credential{local_declaration} verify="{attribute}"/>'
    return text[:root_start] + root_tag + element + text[root_end:]


# --------------------------------------------------------------------------- extract

def is_baked_image(data: bytes) -> bool:
    """Does ``data`` look like a PNG or SVG (not: does it hold a credential)?"""
    return data.startswith(_PNG_SIGNATURE) or data.startswith(b"\x1f\x8b") \
        or _looks_like_xml(data)


def extract(data: bytes) -> bytes:
    """The credential baked into a PNG or SVG (or gzipped .svgz) badge: JSON text or a JWT.

    Raises CredentialFailure(MALFORMED) for an image with no credential, a damaged file,
    or an SVG with entity declarations; UNSUPPORTED_FORMAT for an Open Badges 2.0 badge.
    """
    data = bytes(data)
    if data.startswith(_PNG_SIGNATURE):
        return _extract_png(data)
    if data.startswith(b"\x1f\x8b"):                       # .svgz
        engine = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            svg = engine.decompress(data, _MAX_SVG + 1)
        except zlib.error:
            raise _malformed("The compressed SVG file is damaged.") from None
        if len(svg) > _MAX_SVG or engine.unconsumed_tail:
            raise _malformed("The compressed SVG file is too large.")
        if not engine.eof:
            raise _malformed("The compressed SVG file is truncated.")
        data = svg
    if _looks_like_xml(data):
        return _extract_svg(data)
    raise _malformed("This file is neither a PNG nor an SVG badge.")
