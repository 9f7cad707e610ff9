"""What the Verify page runs on the TaskRunner: read a presentation from what the employer
was handed (images, a folder of parts, a file, text, a camera frame), verify it, draw the
request code. Plain functions over core objects; no widgets."""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage

from vault.presentations.request import KIND as REQUEST_KIND
from vault.presentations.request import PresentationRequest, RequestError
from vault.presentations.verify import PresentationVerdict
from vault.protocols import vp_verifier
from vault.qr import Decoded, scan

from ..present.jobs import pil_image
from ..present.qr import qr_image


@dataclass
class Outcome:
    verdict: PresentationVerdict
    kind: str                 # what was read: vp-json, vp-jwt, sd-jwt…
    seconds: float            # reading + verifying
    domain: str = ""          # the verifier's domain it was checked for
    trusted: dict | None = None   # the verifier's trust list {DID: name}: names the issuers
    standing: dict | None = None  # the holder's standing (vault.standing.check), None when not presented
    policy: Any = None            # the access policy's verdict (vault.standing.policy), when one is loaded


def read(source: Any) -> Decoded:
    """A list of paths (files, folders), a QImage, or bytes (an image's or the text's)."""
    if isinstance(source, QImage):
        return scan.read_presentation(pil_image(source))
    if isinstance(source, (bytes, bytearray)):
        return scan.read_presentation(bytes(source))
    return scan.read_presentation_files([Path(p) for p in source])


def verify_decoded(service, decoded: Decoded, challenge: str, domain: str, started: float | None = None,
                   anchor_status=None, chain=None, policy=None) -> Outcome:
    """``chain``: the connected chain the holder's standing is read from (None: offline,
    "not checked"); ``policy``: a vault.standing.policy.Policy to judge the presentation by."""
    # start-up: eth-account and the chain's trust score (~0.4 s measured) load with the first
    # verification, not with the page
    from vault.standing.check import document_of, standing_of
    from vault.standing.policy import credentials_of, evaluate

    started = time.perf_counter() if started is None else started
    if decoded.kind == REQUEST_KIND:
        raise RequestError("This is a verifier's request code (a challenge and a domain), not a presentation: "
                           "the job seeker scans it, then shows you their presentation.")
    verdict = service.verify(decoded.payload, challenge=challenge, domain=domain, anchor_status=anchor_status)
    standing = standing_of(decoded.payload, verdict, domain=domain, challenge=challenge,
                           chain_factory=(lambda: nullcontext(chain)) if chain is not None else None)
    judged = (evaluate(policy, verdict, credentials_of(document_of(decoded.payload), verdict), standing)
              if policy is not None else None)
    return Outcome(verdict, decoded.kind, time.perf_counter() - started, domain,
                   service.credentials.trust.names(), standing, judged)


def read_and_verify(service, source: Any, challenge: str, domain: str, anchor_status=None, chain=None,
                    policy=None) -> Outcome:
    started = time.perf_counter()
    return verify_decoded(service, read(source), challenge, domain, started, anchor_status, chain, policy)


def decode_frame(image: QImage) -> list[str]:
    """The texts of the QR codes in one camera (or screen) frame; [] if none."""
    return scan.read_image(pil_image(image))


def request_code(request: PresentationRequest) -> tuple[list[str], list[QImage]]:
    texts = request.qr_texts()
    return texts, [qr_image(t) for t in texts]


# ---- OpenID4VP requests (the employer side) ---------------------------------------------------

FORMATS = {"SD-JWT VC": "dc+sd-jwt", "VC-JWT": "jwt_vc_json", "Data Integrity": "ldp_vc"}


def openid4vp_request(response_uri: str, fmt: str, kind: str, claims: str, name: str):
    """A new OpenID4VP request (session) for ``fmt`` (a FORMATS key) of type ``kind`` (an
    SD-JWT VC vct, or a W3C credential type), asking for the comma-separated ``claims``;
    and its QR code."""
    wanted = FORMATS[fmt]
    paths = [c.strip() for c in claims.split(",") if c.strip()]
    query = vp_verifier.query_for(wanted, vct=kind.strip() or None if wanted == "dc+sd-jwt" else None,
                                  types=["VerifiableCredential", kind.strip()] if kind.strip() and
                                  wanted != "dc+sd-jwt" else None, claims=paths)
    session = vp_verifier.new_session(response_uri, query, name.strip())
    return session, qr_image(session.link())


def check_openid4vp_answer(credentials, session, body):
    return vp_verifier.verify_response(session, body, credentials.context())
