"""The command line prints the status line and the JSON carries it: `vault credential
verify | import | list | show | reverify` and the employer's `vault verify`. Offline (the
default) a credential with a status entry reads "Status not checked" with the reason;
once its list was fetched (a real server on loopback) and saved, "checked on <day>"."""

from datetime import datetime, timezone

import pytest

from tests.credentials.status_server import StatusServer, entries, status_list
from tests.presentations.vp_fixtures import ISSUER, ISSUER_KEY, ISSUER_METHOD, di_credential
from vault import settings

CHALLENGE, DOMAIN = "c-0815", "hr.acme.example"
URL = "https://issuer.example/status/7"


@pytest.fixture
def cli(cli_output):
    return cli_output


@pytest.fixture
def server():
    server = StatusServer()
    yield server
    server.close()


def test_every_command_says_the_status_was_not_checked(cli):
    code, out, _ = cli("init", "--kdf-seconds", "0", "--json")
    badge = cli.tmp / "badge.json"
    badge.write_bytes(di_credential(out["did"], credentialStatus=entries([URL])))

    code, out, _ = cli("credential", "verify", badge)
    lines = out.splitlines()
    assert code == 0 and lines[0] == ("VALID: The credential is genuine and within its dates, but whether it "
                                      "was revoked was not checked.")
    assert f"Status not checked: the status list at {URL} was not checked: offline" in out
    code, verdict, _ = cli("credential", "verify", badge, "--json")
    assert verdict["status"]["state"] == "unchecked" and "offline" in verdict["status"]["reason"]
    assert "current" not in verdict["message"]

    code, out, _ = cli("credential", "import", badge)
    assert code == 0 and "  Status not checked: " in out
    code, results, _ = cli("credential", "import", badge, "--json")
    cid = results[0]["id"]
    assert results[0]["verdict"]["status"]["state"] == "unchecked"

    code, out, _ = cli("credential", "list")
    assert out.rstrip().endswith("(status not checked)")
    code, listed, _ = cli("credential", "list", "--json")
    assert listed[0]["status"] == "valid" and listed[0]["status_check"]["state"] == "unchecked"
    code, out, _ = cli("credential", "show", cid)
    assert "  revocation: Status not checked: " in out
    code, out, _ = cli("credential", "reverify", cid)
    assert "  Status not checked: " in out

    presentation = cli.tmp / "vp.json"
    code, _, err = cli("present", "--credential", cid, "--challenge", CHALLENGE, "--domain", DOMAIN,
                       "--format", "json", "--out", presentation)
    assert code == 0, err
    code, out, _ = cli("verify", presentation, "--challenge", CHALLENGE, "--domain", DOMAIN)
    assert code == 0 and "        Status not checked: " in out and "Whether it was revoked was not checked." in out
    code, verdict, _ = cli("verify", presentation, "--challenge", CHALLENGE, "--domain", DOMAIN, "--json")
    assert verdict["valid"] and verdict["credentials"][0]["status"]["state"] == "unchecked"


def test_a_saved_list_gives_checked_with_its_day_and_a_revocation_says_revoked(cli, server):
    code, out, _ = cli("init", "--kdf-seconds", "0", "--json")
    url = server.url("/list")
    server.serve("/list", status_list(url, ISSUER_KEY, ISSUER_METHOD, ISSUER, revoked={4}))
    kept, revoked = cli.tmp / "kept.json", cli.tmp / "revoked.json"
    kept.write_bytes(di_credential(out["did"], name="Kept", credentialStatus=entries([url], 3)))
    revoked.write_bytes(di_credential(out["did"], name="Gone", credentialStatus=entries([url], 4)))
    settings.set_status_checks(cli.tmp / "home", online=False, allow_private=True)
    code, results, _ = cli("credential", "import", kept, revoked, "--json", "--online")
    assert [r["status"] for r in results] == ["valid", "revoked"] and server.requests == ["/list"]
    assert results[1]["verdict"]["status"]["state"] == "revoked"

    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    code, out, _ = cli("credential", "reverify", results[0]["id"])          # offline: the saved copy
    assert code == 0 and f"  Status checked on {day} (saved copy): not revoked." in out
    code, out, _ = cli("credential", "reverify", results[1]["id"], "--json")
    assert code == 1 and out[0]["verdict"]["status"]["checked_on"] == day
    assert server.requests == ["/list"]
