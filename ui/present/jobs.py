"""What the Present page runs on the TaskRunner: the claims a credential lets its holder
choose, the preview of what will be disclosed, signing, QR drawing, saving and printing
sheets, reading a verifier's request. Plain functions over core objects; no widgets."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage

from vault.credentials import ecdsa_sd
from vault.credentials.service import CredentialService
from vault.credentials.webkeys.anchors import TrustAnchors
from vault.presentations.build import Presentation
from vault.presentations.request import PresentationRequest, read_request
from vault.presentations.service import PresentationService
from vault.protocols import oid4vp
from vault.protocols.inputs import read_link
from vault.protocols.vp_request import REQUEST_SCHEMES, read_request as vp_read
from vault.qr import render
from vault.qr.parts import encode_parts
from vault.store.atomic import write_atomic

from ..credentials.jobs import protocol_network
from .qr import qr_image


# ---- the claims an SD-JWT or ecdsa-sd-2023 credential lets its holder choose ---------------

@dataclass(frozen=True)
class Claim:
    path: tuple                     # as sd_jwt_vc gives it: ("achievement", "description");
                                    # ecdsa-sd-2023: from the root, ("credentialSubject", "name")
    label: str                      # "achievement.description"
    value: str                      # a short preview of the value
    parent: tuple | None            # the path of the disclosure (object) this one is nested in


@dataclass(frozen=True)
class ClaimChoices:
    id: str
    title: str
    claims: tuple[Claim, ...]
    selective: bool = True          # False: a Data Integrity credential shown whole


def dotted(path) -> str:
    text = ""
    for segment in path:
        text += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if text else str(segment))
    return text


def short(value: Any, limit: int = 80) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return "{…}" if isinstance(value, dict) else f"[{len(value)} items]"
    text = " ".join(str(value).split())
    if text.startswith("data:image/") and len(text) > limit:
        return f"an embedded image ({len(text):,} characters)"
    if text.startswith("data:") and len(text) > limit:
        return f"{text[:30]}… ({len(text):,} characters)"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def claim_choices(credentials: CredentialService, cid: str) -> ClaimChoices:
    """The selectively disclosable claims of a stored SD-JWT VC, in the token's order, or
    of a Data Integrity credential with an ecdsa-sd-2023 base proof, in document order."""
    summary, checked = credentials.details(cid)
    sd = checked.sd_jwt
    claims: list[Claim] = []
    if sd is None and checked.format == "di-vc":
        if not ecdsa_sd.is_selective(checked.credential):
            return ClaimChoices(summary.id, summary.title, (), selective=False)
        claims = [Claim(c.path, c.label, short(c.value), c.parent) for c in ecdsa_sd.claims(checked.credential)]
    elif sd is not None:
        by_digest = {d.digest: d for d in sd.disclosures}
        for d in sd.disclosures:
            parent = by_digest.get(d.parent) if d.parent else None
            claims.append(Claim(tuple(d.path), dotted(d.path), short(d.value), tuple(parent.path) if parent else None))
    return ClaimChoices(summary.id, summary.title, tuple(claims))


# ---- preview, sign, draw -------------------------------------------------------------------

def preview(service: PresentationService, ids: list[str], reveal: dict, fmt: str):
    return service.preview(ids, reveal or None, fmt)


@dataclass
class Shown:
    """A signed presentation and its codes: the first drawn, the others drawn next."""
    presentation: Presentation
    texts: list[str]
    frames: list[QImage | None] = field(default_factory=list)
    seconds: float = 0.0            # signing + encoding + drawing the first code


def standing_link(service: PresentationService, account: str, challenge: str, domain: str):
    """The holder's standing for a presentation: ``account`` (one of the vault's) signs the
    link to the holder DID (vault.standing.link), on the chain this vault uses."""
    # start-up: vault.standing.link ~560 ms (eth_account), vault.anchoring.holder ~140 ms;
    # only a presentation that carries standing pays them
    from vault.anchoring.holder import chosen_chain_id
    from vault.standing import link

    key = service.identity.eth_private_key(account)
    chain_id = chosen_chain_id(service.identity.store.data_dir)
    return lambda holder: link.make(key, holder, chain_id, domain, challenge)


def present(service: PresentationService, ids: list[str], reveal: dict, challenge: str, domain: str,
            fmt: str, cryptosuite: str, minutes: int, standing_account: str | None = None) -> Shown:
    start = time.perf_counter()
    standing = standing_link(service, standing_account, challenge, domain) if standing_account else None
    presentation = service.present(ids, reveal or None, challenge, domain, fmt=fmt, cryptosuite=cryptosuite,
                                   expires_in=minutes * 60, standing=standing)
    texts = encode_parts(presentation.data, kind=presentation.kind)
    frames: list[QImage | None] = [qr_image(texts[0])] + [None] * (len(texts) - 1)
    return Shown(presentation, texts, frames, time.perf_counter() - start)


def draw(texts: list[str], start: int = 0) -> list[QImage]:
    """The codes of ``texts[start:]``."""
    return [qr_image(t) for t in texts[start:]]


# ---- files, print ----------------------------------------------------------------------------

def sheet_title(presentation: Presentation) -> str:
    until = presentation.expires.astimezone().strftime("%d %b %Y %H:%M")
    return f"Presentation for {presentation.domain}, valid until {until}"


def save_codes(texts: list[str], path: Path, title: str) -> Path:
    """One code as PNG or SVG (by the suffix); the parts of a sequence as one printable sheet."""
    path = Path(path)
    svg = path.suffix.lower() == ".svg"
    if len(texts) == 1:
        data = render.svg(texts[0], title=title).encode() if svg else render.png(texts[0])
    else:
        sheet = render.sheet(texts, fmt="svg" if svg else "png", title=title)
        data = sheet.encode() if svg else sheet
    write_atomic(path, data)
    return path


def sheet_image(texts: list[str], title: str) -> QImage:
    """Every code on one page, for the printer."""
    data = render.png(texts[0], scale=8) if len(texts) == 1 else render.sheet_png(texts, title=title, scale=5)
    image = QImage()
    if not image.loadFromData(data, "PNG"):
        raise ValueError("the sheet could not be drawn")
    return image


# ---- the verifier's request, the log -----------------------------------------------------------

def request_from(source: Any) -> PresentationRequest:
    """A request from a path, text (as bytes: never taken for a path) or a QImage."""
    if isinstance(source, QImage):
        source = pil_image(source)
    elif isinstance(source, str):
        source = source.encode("utf-8")
    return read_request(source)


def pil_image(image: QImage):
    """A QImage as an 8-bit grey PIL image (for zxing-cpp)."""
    # start-up: PIL.Image ~14 ms, only once a camera frame is scanned
    from PIL import Image

    grey = image.convertToFormat(QImage.Format_Grayscale8)
    data = bytes(grey.constBits())
    return Image.frombuffer("L", (grey.width(), grey.height()), data, "raw", "L", grey.bytesPerLine(), 1).copy()


def history(service: PresentationService, limit: int = 500):
    return service.history(limit=limit)


# ---- answering a verifier's OpenID4VP request ------------------------------------------------

def read_vp_request(source, service: PresentationService):
    """The request in ``source`` (a link, a file path, image bytes), authenticated, the
    vault's credentials that answer it, and the default answer (nothing signed)."""
    link = read_link(source, REQUEST_SCHEMES, "a presentation request")
    store = service.credentials.store
    request = vp_read(link, protocol_network(store.data_dir), anchors=TrustAnchors(store).certificates)
    found = oid4vp.matches(request, service.credentials)
    return request, found, oid4vp.prepare(request, service.identity, service.credentials, found)


def prepare_answer(service: PresentationService, request, found, picks: dict):
    return oid4vp.prepare(request, service.identity, service.credentials, found, picks)


def send_answer(service: PresentationService, prepared) -> dict:
    store = service.credentials.store
    return oid4vp.respond(prepared, service.identity, service.credentials, protocol_network(store.data_dir))
