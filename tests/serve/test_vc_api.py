"""`vault serve --vc-api`: the verifier over the W3C VC-API on loopback. Real server,
real HTTP; crafted requests check that it answers only what it should: loopback only,
JSON only, bounded, offline, and that its verdicts are the verifier's."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vault.credentials import data_integrity
from vault.did import did_key
from vault.presentations.verify import POLICY_PRESENTER_IS_SUBJECT
from vault.serve.vc_api import ServeError, VcApiServer

ROOT = Path(__file__).resolve().parents[2]
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(3, 35)))
ISSUER = did_key.from_ed25519(KEY.public_key().public_bytes_raw())
HOLDER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(60, 92)))
HOLDER = did_key.from_ed25519(HOLDER_KEY.public_key().public_bytes_raw())
V2 = "https://www.w3.org/ns/credentials/v2"
CHALLENGE, DOMAIN = "c-1f9e", "verifier.example"


def method(did: str) -> str:
    return f"{did}#{did.split(':')[-1]}"


def credential(subject: str = HOLDER, **extra) -> dict:
    document = {"@context": [V2, "https://www.w3.org/ns/credentials/examples/v2"],
                "type": ["VerifiableCredential"], "issuer": ISSUER, "validFrom": "2025-01-01T00:00:00Z",
                "credentialSubject": {"id": subject, "degree": "BSc"}, **extra}
    return data_integrity.sign(document, KEY, method(ISSUER), cryptosuite="eddsa-jcs-2022")


def presentation(*credentials, challenge=CHALLENGE) -> dict:
    document = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": HOLDER,
                "verifiableCredential": list(credentials)}
    return data_integrity.sign(document, HOLDER_KEY, method(HOLDER), cryptosuite="eddsa-jcs-2022",
                               purpose="authentication", challenge=challenge, domain=DOMAIN)


@pytest.fixture
def serve():
    servers = []

    def start(**options) -> VcApiServer:
        server = VcApiServer(0, **options)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def post(server, path, body, *, headers=None, raw: bytes | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    data = raw if raw is not None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", "Content-Length": str(len(data))}
    sent.update(headers or {})
    connection.request("POST", path, body=data, headers={k: v for k, v in sent.items() if v is not None})
    response = connection.getresponse()
    answer = json.loads(response.read() or b"null")
    connection.close()
    return response.status, answer


def test_a_genuine_credential_is_verified_with_its_warnings(serve):
    server = serve()
    status, answer = post(server, "/credentials/verify", {"verifiableCredential": credential(),
                                                          "options": {"checks": ["proof"]}})
    assert status == 200 and answer["verified"] is True and answer["errors"] == []
    assert "proof" in answer["checks"]
    assert [w["title"] for w in answer["warnings"]] == ["unknown-issuer"]


def test_refusals_name_the_property_and_the_vcdm_error_type(serve):
    server = serve()
    broken = credential()
    broken["credentialSubject"]["degree"] = "PhD"          # changed after signing
    status, answer = post(server, "/credentials/verify", {"verifiableCredential": broken})
    assert status == 400 and answer["verified"] is False
    assert answer["errors"][0]["type"].endswith("#CRYPTOGRAPHIC_SECURITY_ERROR")
    no_subject = {k: v for k, v in credential().items() if k not in ("credentialSubject", "proof")}
    signed = data_integrity.sign(no_subject, KEY, method(ISSUER), cryptosuite="eddsa-jcs-2022")
    status, answer = post(server, "/credentials/verify", {"verifiableCredential": signed})
    [error] = answer["errors"]
    assert status == 400 and error["title"] == "malformed" and error["code"] == -66
    assert error["type"].endswith("#MALFORMED_VALUE_ERROR") and "credentialSubject is missing" in error["detail"]


@pytest.mark.parametrize("body", [
    {"verifiableCredential": json.dumps({"@context": [V2]})},   # a credential as a string is not a map
    {"verifiableCredential": None}, {"options": {}}, [1, 2], {"verifiableCredential": {}, "options": "x"},
])
def test_requests_that_are_not_a_credential_are_400(serve, body):
    status, answer = post(serve(), "/credentials/verify", body)
    assert status == 400 and answer["verified"] is False and answer["errors"]


def test_presentations_need_this_verifiers_challenge_and_domain(serve):
    server = serve()
    body = {"verifiablePresentation": presentation(credential()),
            "options": {"challenge": CHALLENGE, "domain": DOMAIN}}
    status, answer = post(server, "/presentations/verify", body)
    assert status == 200 and answer["verified"] is True, answer
    status, answer = post(server, "/presentations/verify", dict(body, options={"challenge": CHALLENGE}))
    assert status == 400 and "options.domain is required" in answer["errors"][0]["detail"]
    replay = {"verifiablePresentation": presentation(credential(), challenge="an-old-one"),
              "options": {"challenge": CHALLENGE, "domain": DOMAIN}}
    status, answer = post(server, "/presentations/verify", replay)
    assert status == 400 and answer["errors"][0]["title"] == "wrong-challenge"


def test_holder_policy_is_on_unless_the_operator_waives_it(serve):
    body = {"verifiablePresentation": presentation(credential(subject="did:example:someone-else")),
            "options": {"challenge": CHALLENGE, "domain": DOMAIN}}
    status, answer = post(serve(), "/presentations/verify", body)
    assert status == 400 and answer["errors"][0]["title"] == "not-holders-credential"
    assert "verifier policy: the presenter must be the subject" in answer["errors"][0]["detail"]
    # The caller cannot switch it off in its request, only the operator when starting the service.
    status, _ = post(serve(), "/presentations/verify", dict(body, options=dict(
        body["options"], waivedPolicies=[POLICY_PRESENTER_IS_SUBJECT])))
    assert status == 400
    status, answer = post(serve(waived_policies=frozenset({POLICY_PRESENTER_IS_SUBJECT})),
                          "/presentations/verify", body)
    assert status == 200 and "presented-by-other" in [w["title"] for w in answer["warnings"]]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.org"])
def test_it_binds_to_loopback_only(host):
    with pytest.raises(ServeError, match="127.0.0.1 only"):
        VcApiServer(0, host=host)


def test_a_page_elsewhere_cannot_use_it(serve):
    """DNS rebinding and cross-origin posts: another Host, or a non-JSON body, is refused
    before anything is parsed or verified."""
    server = serve()
    body = {"verifiableCredential": credential()}
    status, answer = post(server, "/credentials/verify", body, headers={"Host": "evil.example"})
    assert status == 403 and "127.0.0.1" in answer["errors"][0]["detail"]
    status, _ = post(server, "/credentials/verify", body, headers={"Content-Type": "text/plain"})
    assert status == 415
    status, _ = post(server, "/credentials/verify", body, headers={"Content-Type": None})
    assert status == 415


def test_bounds(serve):
    server = serve(max_body=1024)
    status, answer = post(server, "/credentials/verify", {"verifiableCredential": credential(), "pad": "x" * 2000})
    assert status == 413 and "1024 bytes" in answer["errors"][0]["detail"]
    for framing in (b"", b"Transfer-Encoding: chunked\r\n"):   # no length said: nothing is read
        with socket.create_connection(server.server_address, timeout=10) as raw:
            raw.sendall(b"POST /credentials/verify HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        b"Content-Type: application/json\r\n" + framing + b"\r\n")
            assert raw.makefile("rb").readline().split()[1] == b"411"
    status, _ = post(server, "/credentials/verify", None, raw=b"{\"a\": " * 10 + b"1")
    assert status == 400
    busy = serve(max_concurrent=1)
    assert busy.slots.acquire(blocking=False)        # one verification under way
    try:
        status, _ = post(busy, "/credentials/verify", {"verifiableCredential": credential()})
        assert status == 503
    finally:
        busy.slots.release()
    status, _ = post(busy, "/credentials/verify", {"verifiableCredential": credential()})
    assert status == 200


def test_idle_connections_beyond_the_cap_are_closed_at_once(serve):
    server = serve(max_connections=2)
    idle = [socket.create_connection(server.server_address, timeout=10) for _ in range(2)]
    try:
        with socket.create_connection(server.server_address, timeout=10) as third:
            assert third.recv(1) == b""                    # closed without a thread or an answer
    finally:
        for s in idle:
            s.close()


def test_other_paths_and_methods(serve):
    server = serve()
    status, _ = post(server, "/credentials/issue", {"credential": {}})
    assert status == 404
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.request("GET", "/credentials/verify")
    assert connection.getresponse().status == 405
    connection.close()


def test_verification_stays_offline(serve, monkeypatch):
    """A credential naming a status list on the network: offline by default, nothing is
    fetched; the verdict says the status was not checked."""
    connects = []
    real = socket.create_connection

    def watch(address, *args, **kwargs):
        if address[0] not in ("127.0.0.1", "localhost"):
            connects.append(address)
            raise OSError("no network in this test")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", watch)
    entry = {"id": "https://status.example/list#5", "type": "BitstringStatusListEntry",
             "statusPurpose": "revocation", "statusListIndex": "5",
             "statusListCredential": "https://status.example/list"}
    status, answer = post(serve(), "/credentials/verify",
                          {"verifiableCredential": credential(credentialStatus=entry)})
    assert status == 200 and "status-unchecked" in [w["title"] for w in answer["warnings"]]
    assert connects == []


def _vault(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-m", "vault.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_the_cli_serves_on_loopback_and_stops_on_sigterm():
    process = _vault("serve", "--vc-api", "--json", "--port", "0")
    try:
        started = json.loads(process.stdout.readline())
        assert started["url"].startswith("http://127.0.0.1:") and started["online"] is False
        port = int(started["url"].rsplit(":", 1)[1])
        server = type("S", (), {"server_address": ("127.0.0.1", port)})
        status, answer = post(server, "/credentials/verify", {"verifiableCredential": credential()})
        assert status == 200 and answer["verified"]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0


def test_the_cli_refuses_another_address_and_unknown_policies():
    process = _vault("serve", "--vc-api", "--host", "0.0.0.0")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1 and "127.0.0.1 only" in err
    process = _vault("serve", "--vc-api", "--waive-policy", "signature-must-verify")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1 and "Unknown verifier policy" in err
