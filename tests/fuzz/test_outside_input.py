"""The fuzz pass over every parser that takes outside bytes (security issue 13).

Credentials and presentations have their own fuzz tests beside their verifiers
(tests/credentials/test_verify.py, tests/presentations/test_presentation_fuzz.py); this
file covers the rest: status lists, signed votes, QR text and images, DID documents and
a lying JSON-RPC node. Each property says which exceptions are *expected* (the module's
own error, with a message): anything else escaping is a crash a user would meet as a
traceback. Budgets are bounded so the whole file runs in well under a minute.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vault.credentials import status
from vault.credentials.verdict import CredentialFailure
from vault.errors import VaultError

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)

# Any JSON value, small: what a hostile file can hold in any field.
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=24),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids, max_size=4),
    max_leaves=24)


def mutations(sample: bytes):
    """Truncations, flipped bytes, inserted junk and random bytes around a valid sample."""
    n = len(sample)
    return st.one_of(
        st.binary(max_size=200),
        st.integers(0, n).map(lambda k: sample[:k]),
        st.tuples(st.integers(0, n - 1), st.integers(1, 255)).map(
            lambda t: sample[:t[0]] + bytes([sample[t[0]] ^ t[1]]) + sample[t[0] + 1:]),
        st.tuples(st.integers(0, n), st.binary(min_size=1, max_size=16)).map(
            lambda t: sample[:t[0]] + t[1] + sample[t[0]:]),
    )


def replace_somewhere(document, value, path_seed: int):
    """``document`` with one member (chosen by ``path_seed``) replaced by ``value``."""
    copy = json.loads(json.dumps(document))
    node, key = copy, None
    for step in range(6):
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) \
            if isinstance(node, list) else []
        if not children:
            break
        key, child = children[(path_seed >> (step * 3)) % len(children)]
        if step == (path_seed % 5) or not isinstance(child, (dict, list)):
            node[key] = value
            return copy
        node = child
    return copy


# ---------------------------------------------------------------------------- status lists

def _list_credential(encoded: str) -> bytes:
    return json.dumps(status.status_list_credential(
        id="https://issuer.example/status/1", issuer="did:example:issuer", encoded_list=encoded,
        purpose="revocation")).encode()


LIST = _list_credential(status.encode_status_list({3, 7}))
CREDENTIAL = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
              "issuer": "did:example:issuer", "credentialStatus": {
                  "id": "https://issuer.example/status/1#3", "type": "BitstringStatusListEntry",
                  "statusPurpose": "revocation", "statusListIndex": "3",
                  "statusListCredential": "https://issuer.example/status/1"}}


def _check_with_list(credential: dict, raw_list: bytes):
    try:
        result = status.check_status(credential, fetch=lambda url: raw_list, verify_list=lambda raw: None, now=NOW)
    except CredentialFailure as failure:
        assert str(failure)
        return None
    for warning in result.warnings:
        assert warning.message
    return result


def test_the_status_samples_read_as_revoked():
    result = _check_with_list(CREDENTIAL, LIST)
    assert result is not None and result.revoked and result.checked


@FUZZ
@given(mutations(LIST))
def test_a_mangled_status_list_is_a_verdict_not_a_crash(raw):
    _check_with_list(CREDENTIAL, raw)


@FUZZ
@given(JSON, st.integers(0, 2**20))
def test_a_status_list_with_any_member_replaced_is_a_verdict(value, seed):
    _check_with_list(CREDENTIAL, json.dumps(replace_somewhere(json.loads(LIST), value, seed)).encode())


@FUZZ
@given(JSON, st.integers(0, 2**20))
def test_a_status_entry_with_any_member_replaced_is_a_verdict(value, seed):
    _check_with_list(replace_somewhere(CREDENTIAL, value, seed), LIST)


@FUZZ
@given(st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(gzip.compress)))
def test_any_encoded_list_decodes_or_says_why(payload):
    encoded = "u" + base64.urlsafe_b64encode(payload).decode().rstrip("=")
    try:
        status.decode_status_list(encoded)
    except ValueError as exc:  # its documented contract: a ValueError with the reason
        assert str(exc)


# ---------------------------------------------------------------------------- signed votes

def _signed_vote() -> dict:
    from vault.chain import governance

    return governance.sign_vote(b"\x01" * 32, chain_id=31337, governor="0x" + "11" * 20, proposal_id=12345,
                                support="for", nonce=0, reason="good idea")


VOTE = _signed_vote()


def _read_vote(data) -> None:
    from vault.chain import governance

    try:
        vote = governance.read_vote_text(data) if isinstance(data, str) else governance.load_vote(data)
        governance.recover_vote_signer(vote)
    except VaultError as exc:
        assert str(exc)


def test_the_vote_sample_recovers_its_signer():
    from eth_account import Account

    from vault.chain import governance

    signer = governance.recover_vote_signer(governance.load_vote(json.dumps(VOTE)))
    assert signer == Account.from_key(b"\x01" * 32).address


@FUZZ
@given(JSON, st.integers(0, 2**20))
def test_a_vote_with_any_member_replaced_is_refused_or_read(value, seed):
    _read_vote(json.dumps(replace_somewhere(VOTE, value, seed)).encode())


@FUZZ
@given(mutations(json.dumps(VOTE).encode()))
def test_mangled_vote_bytes_are_refused_or_read(raw):
    _read_vote(raw)


@FUZZ
@given(st.text(max_size=300))
def test_any_pasted_vote_text_is_refused_or_read(text):
    _read_vote(text)


# ----------------------------------------------------------------------- QR text and images

def _qr_texts() -> list[str]:
    from vault.qr import parts

    return parts.encode_parts(json.dumps(VOTE).encode(), kind="vote")


def _read_qr_text(text: str) -> None:
    from vault.qr import scan
    from vault.qr.errors import InvalidQr

    try:
        scan.read_text(text)
    except InvalidQr as exc:
        assert str(exc)


@FUZZ
@given(st.one_of(st.text(max_size=300), mutations(_qr_texts()[0].encode()).map(
    lambda b: b.decode("latin-1"))))
def test_any_qr_text_is_read_or_refused(text):
    _read_qr_text(text)


def _qr_png() -> bytes:
    from vault.qr import render

    return render.png(_qr_texts()[0], scale=2)


def _read_image(data: bytes) -> None:
    from vault.qr import scan
    from vault.qr.errors import InvalidQr

    try:
        scan.read_presentation(data)
    except InvalidQr as exc:
        assert str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_mangled_qr_image_is_read_or_refused(data):
    png = _qr_png()
    _read_image(data.draw(mutations(png)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["GIF", "PNG", "BMP", "TIFF", "WEBP"]), st.integers(1, 64), st.integers(1, 64),
       st.binary(min_size=0, max_size=64))
def test_small_images_of_any_kind_are_read_or_refused(kind, width, height, noise):
    from PIL import Image

    image = Image.frombytes("L", (width, height), (noise * (width * height))[:width * height]
                            if noise else bytes(width * height))
    out = io.BytesIO()
    image.save(out, kind)
    _read_image(out.getvalue())


# ------------------------------------------------------------------------- a lying node

class _LyingNode:
    """A JSON-RPC endpoint on loopback that answers every call with what the test says:
    raw bytes, or a well-formed envelope around any JSON ``result``."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        node = self
        self.answer = lambda request: {"jsonrpc": "2.0", "id": request.get("id"), "result": "0x7a69"}

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    request = json.loads(body)
                except ValueError:
                    request = {}
                answer = node.answer(request if isinstance(request, dict) else {})
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def lying_node():
    node = _LyingNode()
    yield node
    node.close()


def _ask_everything(url: str) -> None:
    """Every read the wallet makes of a node; only ChainError may come out."""
    from vault.chain import client, rpc_guard
    from vault.errors import ChainError

    from vault.chain.networks import Manifest

    manifest = Manifest(chain_id=31337, contracts={name: "0x" + f"{i + 1:040x}" for i, name in enumerate(
        ("token", "governor", "timelock", "staking", "marketplace", "soulbound"))}, deployment_block=0)
    try:
        chain = client.connect_rpc(url, manifest, timeout=2, check_code=False)
    except ChainError as exc:
        assert str(exc)
        return
    address = "0x" + "22" * 20
    for read in (lambda: chain.block_number, lambda: chain.latest_timestamp, lambda: chain.nonce(address),
                 lambda: chain.eth_balance(address), chain.fee_quote, lambda: chain.base_fee,
                 lambda: chain.receipt("0x" + "33" * 32), lambda: chain.find_transaction("0x" + "33" * 32),
                 lambda: chain.estimate({"from": address, "to": address, "value": 1}),
                 lambda: chain.btk_balance(address), chain.status):
        try:
            read()
        except Exception as exc:  # what the CLI's and the window's error boundary would say
            said = rpc_guard.as_chain_error(exc)
            assert said is not None, f"{type(exc).__name__}: {exc}"
            assert str(said)


@settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(result=st.one_of(JSON, st.binary(max_size=70).map(lambda b: "0x" + b.hex())), raw=st.one_of(st.none(), st.binary(max_size=60)), chain_id_first=st.booleans())
# null for every block, the latest included (web3's BlockNotFound): found by this test once
@example(result=None, raw=None, chain_id_first=True)
def test_a_node_that_answers_anything_gives_chain_errors_only(lying_node, result, raw, chain_id_first):
    def answer(request):
        if chain_id_first and request.get("method") == "eth_chainId":
            return {"jsonrpc": "2.0", "id": request.get("id"), "result": "0x7a69"}
        if raw is not None:
            return raw
        return {"jsonrpc": "2.0", "id": request.get("id"), "result": result}

    lying_node.answer = answer
    _ask_everything(lying_node.url)


def test_the_window_says_an_undecodable_node_answer_in_words():
    from web3.exceptions import BadFunctionCallOutput

    from ui.errors import describe

    said = describe(BadFunctionCallOutput("Could not decode contract function call to balanceOf"))
    assert "node" in said and "could not be read" in said and "unexpected" not in said


# ------------------------------------------------------------------------- DID documents

DID_WEB = "did:web:issuer.example"
DID_DOCUMENT = {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
                "id": DID_WEB, "verificationMethod": [{
                    "id": f"{DID_WEB}#key-1", "type": "Multikey", "controller": DID_WEB,
                    "publicKeyMultibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}],
                "assertionMethod": [f"{DID_WEB}#key-1"], "authentication": ["#key-1"]}


def _check_document(document) -> None:
    from vault.credentials.keys import check_document, resolve_method
    from vault.errors import InvalidDid

    try:
        did = check_document(document)
    except InvalidDid as exc:
        assert str(exc)
        return
    assert did == document["id"]
    for method in document.get("verificationMethod", []):  # what passed the check resolves
        try:
            resolve_method(method["id"], lambda d: document if d == did else None)
        except CredentialFailure as failure:
            assert str(failure)


def test_the_did_document_sample_is_accepted():
    from vault.credentials.keys import check_document

    assert check_document(DID_DOCUMENT) == DID_WEB


@FUZZ
@given(JSON, st.integers(0, 2**20))
def test_a_did_document_with_any_member_replaced_is_checked_or_refused(value, seed):
    _check_document(replace_somewhere(DID_DOCUMENT, value, seed))


@FUZZ
@given(mutations(json.dumps(DID_DOCUMENT).encode()))
def test_mangled_did_document_bytes_are_checked_or_refused(raw):
    from vault import safejson

    try:
        document = safejson.loads(raw)
    except (ValueError, RecursionError):
        return
    _check_document(document)


def test_our_own_bad_input_to_web3_is_not_blamed_on_the_node():
    """Web3ValueError is what web3 raises for a caller's bad argument: reporting it as a
    lying node would hide a bug of ours behind the node."""
    from web3.exceptions import Web3ValueError

    from vault.chain.rpc_guard import as_chain_error

    assert as_chain_error(Web3ValueError("Unknown format 'x', attempted to normalize to '0x'")) is None
