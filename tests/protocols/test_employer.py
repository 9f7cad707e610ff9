"""The employer side of OpenID4VP: the vault's request answered by another wallet (the
OpenWallet Foundation's openid4vp client with an SD-JWT VC, tests/node/oid4vp_wallet.mjs),
through the loopback receiver or pasted; answers for another request, another nonce or
another verifier are refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import pytest

from peer import NODE_DIR, require_peer
from vault.protocols import vp_verifier
from vault.protocols.http import ProtocolError

ROOT = Path(__file__).resolve().parents[2]
QUERY = vp_verifier.query_for("dc+sd-jwt", vct="https://credentials.example/employee",
                              claims=["given_name", "employee_id"])


def wallet(link: str, submit: bool, **extra) -> dict:
    require_peer()
    done = subprocess.run(["node", str(NODE_DIR / "oid4vp_wallet.mjs")], cwd=NODE_DIR, capture_output=True,
                          text=True, timeout=120, input=json.dumps({"request": link, "submit": submit, **extra}))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def receiver():
    rx = vp_verifier.LoopbackReceiver()
    yield rx
    rx.stop()


def test_a_wallet_on_this_machine_answers_through_the_loopback_receiver(receiver):
    session = vp_verifier.new_session(receiver.response_uri, QUERY, "Acme HR")
    answered = wallet(session.link(), submit=True)
    assert answered["status"] == 200
    verdict = vp_verifier.verify_response(session, receiver.wait(5))
    assert verdict.valid, verdict.message
    (result,) = verdict.answers["credential"]
    disclosed = result.credentials[0].disclosed
    assert disclosed["given_name"] == "Grace" and "family_name" not in disclosed
    # the receiver takes one answer, at its own path only
    for path, code in ((receiver.path, 409), ("/response/guess", 404)):
        request = urllib.request.Request(receiver.response_uri.replace(receiver.path, path), data=b"vp_token=x")
        with pytest.raises(HTTPError) as caught:
            urllib.request.urlopen(request, timeout=10)
        assert caught.value.code == code


def test_a_pasted_answer_is_verified_against_its_request():
    session = vp_verifier.new_session("https://hr.acme.example/answer", QUERY)
    form = wallet(session.link(), submit=False)["form"]
    assert vp_verifier.verify_response(session, json.dumps(form)).valid
    # the same answer pasted against another request (a replay) is refused
    other = vp_verifier.new_session("https://hr.acme.example/answer", QUERY)
    replay = vp_verifier.verify_response(other, json.dumps(form))
    assert not replay.valid and "state differs" in replay.message


@pytest.mark.parametrize("attack,said", [({"nonce": "an-old-nonce"}, "challenge"),
                                         ({"audience": "redirect_uri:https://other.example/cb"}, "")])
def test_an_answer_made_for_another_nonce_or_verifier_is_refused(attack, said):
    session = vp_verifier.new_session("https://hr.acme.example/answer", QUERY)
    form = wallet(session.link(), submit=False, **attack)["form"]
    verdict = vp_verifier.verify_response(session, form)
    assert not verdict.valid and said in verdict.message


def test_an_answer_leaving_out_what_was_asked_is_refused():
    session = vp_verifier.new_session("https://hr.acme.example/answer", QUERY)
    verdict = vp_verifier.verify_response(session, {"vp_token": "{}", "state": session.state})
    assert not verdict.valid
    with pytest.raises(ProtocolError, match="encrypted"):
        vp_verifier.verify_response(session, {"response": "eyJ...", "state": session.state})
    assert "declined" in vp_verifier.verify_response(session, "error=access_denied").message


def test_the_cli_listens_for_the_answer_and_verifies_it(tmp_path):
    require_peer()
    out = tmp_path / "request.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BLOCKTRACK_VAULT_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "vault.cli", "verify", "--request-out", str(out), "--listen", "60",
               "--vct", "https://credentials.example/employee", "--claim", "given_name", "--json"]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as cli:
        for line in cli.stderr:                     # written, then waiting: the wallet can answer now
            if line.startswith("Waiting up to"):
                break
        answered = wallet(out.read_text().strip(), submit=True)
        stdout, _ = cli.communicate(timeout=60)
    assert answered["status"] == 200 and cli.returncode == 0, stdout
    assert json.loads(stdout)["valid"]


def test_the_cli_verifies_a_pasted_answer(cli, tmp_path):
    out = tmp_path / "request.png"
    code, text, err = cli("verify", "--request-out", out, "--response-uri", "https://hr.acme.example/answer",
                          "--vct", "https://credentials.example/employee", "--claim", "employee_id")
    assert code == 0, err
    from vault.qr.scan import read_image
    (link,) = read_image(out)
    form = wallet(link, submit=False)["form"]
    session_file = tmp_path / "request.png.session.json"
    code, text, err = cli("verify", "--response", json.dumps(form), "--session", session_file)
    assert code == 0 and text.startswith("VALID"), err
    code, text, err = cli("verify", "--response", json.dumps(form | {"state": "x"}), "--session", session_file)
    assert code == 1 and "INVALID" in text
