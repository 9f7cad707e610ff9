"""The command line is offline unless asked: `vault credential verify|import|reverify`
and the employer's `vault verify` make no request by default (counted on a real server),
`--offline` wins over the app's setting, `--online` still refuses loopback unless private
addresses are allowed, and a presentation naming 200 status lists costs 8 requests."""

from urllib.parse import urlsplit

import pytest

from tests.credentials.status_server import StatusServer, entries, status_list
from tests.presentations.vp_fixtures import ISSUER, ISSUER_KEY, ISSUER_METHOD, di_credential
from vault import settings
from vault.credentials import online

CHALLENGE, DOMAIN = "c-4711", "hr.acme.example"


@pytest.fixture
def server():
    server = StatusServer()
    yield server
    server.close()


@pytest.fixture
def cli(cli_output):
    return cli_output


def allow(cli, *, online: bool, private: bool) -> None:
    """What the app's Settings page writes."""
    settings.set_status_checks(cli.home, online=online, allow_private=private)


def unchecked(verdict: dict) -> list[str]:
    return [w["message"] for w in verdict["warnings"] if w["code"] == "status-unchecked"]


def test_credential_verify_fetches_only_when_asked(cli, server):
    url = server.url("/list")
    server.serve("/list", status_list(url, ISSUER_KEY, ISSUER_METHOD, ISSUER, revoked={3}))
    badge = cli.tmp / "badge.json"
    badge.write_bytes(di_credential("did:example:me", "eddsa-jcs-2022", credentialStatus=entries([url])))

    code, verdict, _ = cli("credential", "verify", badge, "--json")
    assert code == 0 and server.requests == []              # the default: offline
    assert "not checked: offline" in unchecked(verdict)[0]
    assert not cli.home.exists()                            # and no vault (nor folder) made

    code, verdict, _ = cli("credential", "verify", badge, "--json", "--online")
    assert code == 0 and server.requests == []              # asked, but loopback is not allowed
    assert "loopback address" in unchecked(verdict)[0]

    allow(cli, online=True, private=True)
    code, verdict, _ = cli("credential", "verify", badge, "--json", "--offline")
    assert code == 0 and server.requests == []              # --offline wins over the setting
    code, verdict, _ = cli("credential", "verify", badge, "--json")
    assert code == 1 and verdict["reason"] == "revoked"     # the setting: fetched, and it says revoked
    assert server.requests == ["/list"]


def test_import_and_reverify_fetch_only_when_asked(cli, server):
    assert cli("init", "--kdf-seconds", "0")[0] == 0
    url = server.url("/list")
    server.serve("/list", status_list(url, ISSUER_KEY, ISSUER_METHOD, ISSUER))
    badge = cli.tmp / "badge.json"
    badge.write_bytes(di_credential("did:example:me", "eddsa-jcs-2022", credentialStatus=entries([url])))

    code, results, _ = cli("credential", "import", badge, "--json")
    assert code == 0 and results[0]["imported"] and server.requests == []
    cid = results[0]["id"]
    code, results, _ = cli("credential", "reverify", "all", "--json")
    assert code == 0 and server.requests == []
    assert "not checked: offline" in unchecked(results[0]["verdict"])[0]

    allow(cli, online=False, private=True)
    code, results, _ = cli("credential", "reverify", cid, "--json", "--online")
    assert code == 0 and server.requests == ["/list"] and unchecked(results[0]["verdict"]) == []
    # Saved in the vault: offline again, the copy answers, with its date.
    code, results, _ = cli("credential", "reverify", cid, "--json")
    saved = [w["message"] for w in results[0]["verdict"]["warnings"] if w["code"] == "status-saved"]
    assert code == 0 and server.requests == ["/list"] and "saved on 20" in saved[0]


def test_the_employer_verifying_200_status_lists(cli, server, monkeypatch):
    """A QR presentation whose credential names 200 status lists on a server that never
    answers: by default not one request; asked, eight, and `vault verify` still ends."""
    code, out, _ = cli("init", "--kdf-seconds", "0", "--json")
    holder = out["did"]
    urls = [server.hang(f"/list/{i}") for i in range(200)]
    badge = cli.tmp / "badge.json"
    badge.write_bytes(di_credential(holder, "eddsa-jcs-2022", credentialStatus=entries(urls)))
    code, results, _ = cli("credential", "import", badge, "--json")
    presentation = cli.tmp / "vp.json"
    code, _, err = cli("present", "--credential", results[0]["id"], "--challenge", CHALLENGE, "--domain", DOMAIN,
                       "--format", "json", "--out", presentation)
    assert code == 0, err

    args = ("verify", presentation, "--challenge", CHALLENGE, "--domain", DOMAIN, "--json")
    code, verdict, _ = cli(*args)
    assert code == 0 and verdict["valid"] and server.requests == []

    allow(cli, online=False, private=True)
    monkeypatch.setattr(online, "DEADLINE_SECONDS", 3.0)   # generous on a busy machine
    code, verdict, _ = cli(*args, "--online")
    assert code == 0 and verdict["valid"]
    assert server.wait_for(8, timeout=5) == 8
    assert sorted(server.requests) == sorted(urlsplit(u).path for u in urls[:8])
    messages = unchecked(verdict["credentials"][0])
    assert len(messages) == 200 and sum("too many status lists" in m for m in messages) == 192
