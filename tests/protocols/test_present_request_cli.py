"""`vault present --request REQUEST`: who asks and what is disclosed shown first; sent with
--yes (or a yes on the terminal); the real verifier (oid4vc-ts) accepts it."""

from __future__ import annotations

import json

import pytest

from peer import Peer


@pytest.fixture(scope="module")
def verifier():
    peer = Peer("oid4vp_verifier.mjs")
    yield peer
    peer.stop()


@pytest.fixture
def holder(cli, oid4vci_issuer):
    made = oid4vci_issuer.get("/make-offer?config=Employee_dc_sd_jwt")
    code, _, err = cli("receive", made["offer"], "--yes", "--allow-private")
    assert code == 0, err
    return cli


def test_present_to_a_request_from_a_qr_image(holder, verifier, tmp_path):
    from vault.qr.render import png
    made = verifier.get("/make-request?query=sd&client=did&mode=direct_post.jwt")
    image = tmp_path / "request.png"
    image.write_bytes(png(made["request"]))
    code, out, err = holder("present", "--request", str(image), "--yes", "--allow-private", "--json")
    assert code == 0, err
    sent = json.loads(out)
    assert sent["sent"] and sent["verifier"]["authenticated"] and sent["verifier"]["prefix"] == "decentralized_identifier"
    assert sent["credentials"][0]["revealed"] == ["given_name", "employee_id"]
    assert verifier.get(f"/result/{made['id']}")["verified"]
    code, out, _ = holder("presentation", "log", "--json")
    assert json.loads(out)[0]["domain"] == sent["verifier"]["client_id"]


def test_the_preview_comes_first_and_nothing_is_sent_without_a_yes(holder, verifier, monkeypatch):
    made = verifier.get("/make-request?query=sd")
    code, out, err = holder("present", "--request", made["request"], "--allow-private")
    assert code == 2 and "--yes" in err
    assert "Not authenticated" in err and "discloses given_name, employee_id" in err and "withheld: family_name" in err
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    code, out, err = holder("present", "--request", made["request"], "--allow-private")
    assert code == 1 and "nothing was signed" in out
    assert verifier.get(f"/result/{made['id']}")["received"] is False
    code, out, _ = holder("presentation", "log", "--json")
    assert json.loads(out) == []


def test_the_old_form_still_needs_its_options(holder):
    code, _, err = holder("present", "--credential", "abc")
    assert code == 2 and "--challenge, --domain, --out are needed" in err
