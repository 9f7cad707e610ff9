"""The verifier's request (challenge + domain) as a QR code of kind vp-request, and as JSON."""

import io

import pytest
from PIL import Image

from vault.presentations.request import (KIND, MAX_FIELD, PresentationRequest, RequestError, new_challenge,
                                         new_request, parse_request, read_request)
from vault.qr import decode, render
from vault.qr.parts import version_for


def test_new_request_has_a_fresh_random_challenge():
    first, second = new_request("hr.employer.example"), new_request("hr.employer.example")
    assert first.domain == "hr.employer.example"
    assert first.challenge != second.challenge and len(first.challenge) >= 24
    assert len({new_challenge() for _ in range(50)}) == 50


def test_request_round_trips_through_its_qr_image(tmp_path):
    request = new_request("hr.employer.example")
    texts = request.qr_texts()
    assert len(texts) == 1 and texts[0].startswith("BTV2:VP-REQUEST:")
    assert version_for(texts[0]) <= 6          # a small code, easy to scan off a screen
    assert decode(texts[0]).kind == KIND
    path = tmp_path / "request.png"
    path.write_bytes(render.png(texts[0]))
    assert read_request(path) == request
    assert read_request(path.read_bytes()) == request
    assert read_request(Image.open(io.BytesIO(render.png(texts[0])))) == request
    assert read_request(texts[0]) == request


def test_request_from_pasted_json():
    assert read_request(' {"challenge": "abc-123", "domain": "example.org"}\n') == \
        PresentationRequest("abc-123", "example.org")
    assert parse_request(b'{"domain":"example.org","challenge":"c"}').to_json() == {
        "challenge": "c", "domain": "example.org"}


@pytest.mark.parametrize("text, words", [
    ('{"challenge": "abc"}', "needs a \"challenge\" and a \"domain\""),
    ('{"challenge": "", "domain": "x.org"}', "has no challenge"),
    ('{"challenge": "a b", "domain": "x.org"}', "spaces or control characters"),
    ('{"challenge": 5, "domain": "x.org"}', "has no challenge"),
    ('{"challenge": "' + "a" * (MAX_FIELD + 1) + '", "domain": "x.org"}', "longer than"),
    ("[1, 2]", "not a verifier's request"),
    ("{not json", "not a verifier's request"),
])
def test_bad_requests_are_refused_with_a_reason(text, words):
    with pytest.raises(RequestError, match=None) as caught:
        read_request(text)
    assert words in str(caught.value)


def test_a_presentation_code_is_not_a_request(tmp_path):
    from vault.qr import encode
    path = tmp_path / "vp.png"
    path.write_bytes(render.png(encode(b'{"type":["VerifiablePresentation"]}', kind="vp-json")))
    with pytest.raises(RequestError, match="not a verifier's request"):
        read_request(path)
    garbage = tmp_path / "noise.png"
    Image.new("L", (64, 64), 200).save(garbage)
    with pytest.raises(RequestError, match="No verifier's request found"):
        read_request(garbage)
