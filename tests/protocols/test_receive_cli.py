"""`vault receive OFFER`: the offer shown, then accepted (--yes) or refused without a terminal."""

from __future__ import annotations

import json


def test_receive_from_a_qr_image_with_tx_code(oid4vci_issuer, cli, tmp_path):
    from vault.qr.render import png
    made = oid4vci_issuer.get("/make-offer?config=UniversityDegree_ldp_vc&tx=1")
    image = tmp_path / "offer.png"
    image.write_bytes(png(made["offer"]))
    code, out, err = cli("receive", str(image), "--tx-code", made["tx_code"], "--yes", "--allow-private", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["received"] and result["holder"] == cli.did
    assert result["offer"]["issuer_name_self_declared"] == "Loopback University"
    (credential,) = result["credentials"]
    assert credential["format"] == "di-vc" and credential["created"]
    code, out, _ = cli("credential", "list", "--json")
    assert [c["id"] for c in json.loads(out)] == [credential["id"]]


def test_receive_shows_the_offer_and_asks_first(oid4vci_issuer, cli, tmp_path, monkeypatch):
    made = oid4vci_issuer.get("/make-offer?config=Employee_dc_sd_jwt")
    link = tmp_path / "offer.txt"
    link.write_text(made["offer"] + "\n")
    tokens = oid4vci_issuer.get("/log")["tokens"]
    code, out, err = cli("receive", str(link), "--allow-private")       # no terminal, no --yes
    assert code == 2 and "--yes" in err
    assert "Loopback University (self-declared)" in err and "Employee badge (SD-JWT VC) [dc+sd-jwt]" in err
    assert oid4vci_issuer.get("/log")["tokens"] == tokens               # nothing was sent
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    code, out, err = cli("receive", str(link), "--allow-private")
    assert code == 1 and "nothing was sent" in out
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    code, out, err = cli("receive", str(link), "--allow-private")
    assert code == 0 and "imported" in out


def test_receive_refuses_loopback_by_default(oid4vci_issuer, cli):
    made = oid4vci_issuer.get("/make-offer?config=Employee_dc_sd_jwt&by=reference")
    code, out, err = cli("receive", made["offer"], "--yes")
    assert code == 1 and "loopback address" in err


def test_receive_with_a_sign_in_at_the_issuer(oid4vci_issuer, cli, monkeypatch):
    """The system browser is the edge: it is driven to the issuer's page, approved there,
    and back to the vault's loopback receiver."""
    import urllib.request
    opened = []

    def browser(url):
        opened.append(url)
        with urllib.request.urlopen(url, timeout=30) as page:
            page.read()
        return True
    monkeypatch.setattr("webbrowser.open", browser)
    made = oid4vci_issuer.get("/make-offer?config=Employee_dc_sd_jwt&grant=authorization_code")
    code, out, err = cli("receive", made["offer"], "--yes", "--allow-private", "--json")
    assert code == 0, err
    assert json.loads(out)["offer"]["flow"] == "authorization_code" and len(opened) == 1
    assert "Sign in at the issuer in your browser" in err
