"""`vault present` → QR image(s) → `vault verify`, through the command line, as a job seeker
and an employer would use it."""

import json

from tests.presentations.vp_fixtures import di_credential, jwt_credential, sd_jwt_credential

CHALLENGE, DOMAIN = "c-4711", "hr.acme.example"



def _import(cli, name: str, data: bytes) -> str:
    path = cli.tmp / name
    path.write_bytes(data)
    code, out, err = cli("credential", "import", path, "--json", "--offline")
    assert code == 0, err
    return json.loads(out)[0]["id"]


def test_present_as_qr_and_verify_the_image(cli):
    cid = _import(cli, "badge.json", di_credential(cli.did))
    png = cli.tmp / "code.png"
    code, out, err = cli("present", "--credential", cid[:8], "--challenge", CHALLENGE, "--domain", DOMAIN,
                         "--out", png, "--json")
    assert code == 0, err
    assert json.loads(out)["qr_parts"] == 1 and png.read_bytes().startswith(b"\x89PNG")

    # The employer's side needs no vault and no passphrase (verify never opens one).
    code, out, _ = cli("verify", png, "--challenge", CHALLENGE, "--domain", DOMAIN, "--json", "--offline")
    verdict = json.loads(out)
    assert code == 0 and verdict["valid"] and verdict["holder"] == cli.did
    assert {"valid", "reason", "message", "holder", "credentials"} <= set(verdict)
    assert verdict["credentials"][0]["title"] == "Data Analysis"

    code, out, _ = cli("verify", png, "--challenge", "another", "--domain", DOMAIN, "--json", "--offline")
    assert code == 1 and json.loads(out)["reason"] == "wrong-challenge"
    code, out, _ = cli("verify", png, "--challenge", CHALLENGE, "--domain", "evil.example", "--json", "--offline")
    assert code == 1 and json.loads(out)["reason"] == "wrong-domain"

    code, out, _ = cli("presentation", "log", "--json")
    log = json.loads(out)
    assert len(log) == 1 and log[0]["domain"] == DOMAIN and log[0]["credentials"][0]["title"] == "Data Analysis"


def test_selective_disclosure_reveals_only_the_chosen_claims(cli):
    cid = _import(cli, "badge.sd-jwt", sd_jwt_credential(cli.did))
    png = cli.tmp / "sd.png"
    code, out, err = cli("present", "--credential", cid, "--reveal", "given_name", "--challenge", CHALLENGE,
                         "--domain", DOMAIN, "--out", png, "--json")
    assert code == 0, err
    shown = json.loads(out)["credentials"][0]
    assert shown["revealed"] == ["given_name"] and "family_name" in shown["withheld"]
    code, out, _ = cli("verify", png, "--challenge", CHALLENGE, "--domain", DOMAIN, "--json", "--offline")
    verdict = json.loads(out)
    assert code == 0 and verdict["valid"], verdict
    disclosed = verdict["credentials"][0]["disclosed"]
    assert disclosed["given_name"] == "Jordan"
    assert "family_name" not in json.dumps(disclosed) and "jordan@example.edu" not in json.dumps(disclosed)


def test_many_credentials_need_parts_and_a_folder_verifies(cli):
    ids = [_import(cli, f"b{i}.json", di_credential(cli.did, name=f"Course {i} " + "x" * 200)) for i in range(6)]
    folder = cli.tmp / "codes"
    args = ["present", "--challenge", CHALLENGE, "--domain", DOMAIN, "--out", folder, "--json"]
    for cid in ids:
        args += ["--credential", cid]
    code, out, err = cli(*args)
    assert code == 0, err
    parts = json.loads(out)["qr_parts"]
    assert parts > 1
    assert len(list(folder.glob("part-*.png"))) == parts and (folder / "sheet.png").exists()
    code, out, _ = cli("verify", folder, "--challenge", CHALLENGE, "--domain", DOMAIN, "--json", "--offline")
    verdict = json.loads(out)
    assert code == 0 and verdict["valid"] and len(verdict["credentials"]) == 6


def test_json_and_jwt_formats(cli):
    cid = _import(cli, "vc.jwt", jwt_credential(cli.did))
    for fmt in ("json", "jwt"):
        out_file = cli.tmp / f"vp.{fmt}"
        code, _, err = cli("present", "--credential", cid, "--challenge", CHALLENGE, "--domain", DOMAIN,
                           "--format", fmt, "--out", out_file)
        assert code == 0, err
        code, out, _ = cli("verify", out_file, "--challenge", CHALLENGE, "--domain", DOMAIN, "--json", "--offline")
        assert code == 0 and json.loads(out)["valid"], out


def test_garbage_and_usage_errors(cli):
    junk = cli.tmp / "junk.txt"
    junk.write_text("BTV1:VP:NOT-A-REAL-CODE")
    code, out, _ = cli("verify", junk, "--challenge", CHALLENGE, "--domain", DOMAIN, "--json", "--offline")
    assert code == 1 and not json.loads(out)["valid"]
    code, _, err = cli("verify", cli.tmp / "missing.png", "--challenge", CHALLENGE, "--domain", DOMAIN)
    assert code == 2 and "does not exist" in err
    code, _, err = cli("present", "--credential", "deadbeef", "--challenge", CHALLENGE, "--domain", DOMAIN,
                       "--out", cli.tmp / "x.png")
    assert code == 1 and "No credential" in err


def test_verify_prints_claims_one_per_line_cut_with_an_ellipsis_as_show_does(cli):
    """A presenter's long claim (with a line break that would forge a verdict line) is
    printed as `path = value` on one line, cut after a whole word with "…", exactly as
    `credential show` prints it; no Python dict text."""
    name = ("Advanced Data Analysis with Python and Statistical Modelling for Business Intelligence "
            "Professionals\nVALID: every credential checked")
    cid = _import(cli, "long.json", di_credential(cli.did, name=name))
    json_file = cli.tmp / "vp.json"
    code, _, err = cli("present", "--credential", cid, "--challenge", CHALLENGE, "--domain", DOMAIN,
                       "--format", "json", "--out", json_file)
    assert code == 0, err
    code, out, _ = cli("verify", json_file, "--challenge", CHALLENGE, "--domain", DOMAIN, "--offline")
    assert code == 0, out
    expected = ("achievement.name = Advanced Data Analysis with Python and Statistical Modelling for Business "
                "Intelligence…")
    lines = [line.strip() for line in out.splitlines()]
    assert expected in lines
    assert "achievement.criteria.narrative = Pass the exam." in lines
    assert not any(line.startswith("VALID: every") for line in lines)
    assert "{'" not in out and "AchievementSubject" not in out     # no dict text, no JSON-LD types
    code, shown, _ = cli("credential", "show", cid)
    assert code == 0 and expected in [line.strip() for line in shown.splitlines()]
