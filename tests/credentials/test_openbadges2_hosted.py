"""Open Badges 2.0 hosted badges checked online (OB 2.0 "Verification", HostedBadge): the
specification's example assertion, BadgeClass and issuer Profile served over https by a
real server on 127.0.0.1 named example.org (the name resolved there, TLS checked against
it; loopback allowed explicitly). Attacks: a presented badge that differs from the hosted
one, an embedded BadgeClass that says more than the hosted one, a 410, "revoked": true,
a copy hosted off the issuer's origin, a redirect elsewhere, a huge answer."""

import json
import socket
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.credentials.status_server import StatusServer, self_signed
from vault.credentials.service import CredentialService, verification_context
from vault.credentials.verdict import Reason
from vault.credentials.verify import check
from vault.net.fetch import NetworkUse

OB20 = Path(__file__).resolve().parents[1] / "fixtures" / "credentials" / "ob20"
ASSERTION = json.loads((OB20 / "hosted-assertion.json").read_text())
BADGE = json.loads((OB20 / "robotics-badge.json").read_text())
PROFILE = json.loads((OB20 / "organization.json").read_text())
NOW = datetime(2017, 3, 1, tzinfo=timezone.utc)   # before it expires


@pytest.fixture
def host(tmp_path, monkeypatch):
    """example.org (and evil.example) on 127.0.0.1 over https; the spec's three documents served."""
    server_tls, client_tls = self_signed(tmp_path, names=("example.org", "evil.example"))
    server = StatusServer(tls=server_tls)
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda name, port, *a, **k: real(
        "127.0.0.1", server.port, *a, **k) if name in ("example.org", "evil.example") else real(name, port, *a, **k))
    for path, document in (("/beths-robotics-badge.json", ASSERTION), ("/robotics-badge.json", BADGE),
                           ("/organization.json", PROFILE)):
        server.serve(path, json.dumps(document).encode())
    server.network = NetworkUse(allow_private=True, ssl_context=client_tls)
    yield server
    server.close()


def verify(document, host, store=None):
    context = verification_context(store=store, network=host.network)
    context.now = NOW
    return check(json.dumps(document).encode(), context)


def test_the_spec_example_hosted_by_its_issuer_is_valid_and_shows_the_hosted_badge(host):
    checked = verify(ASSERTION, host)
    verdict = checked.verdict
    assert verdict.valid, verdict.message
    assert host.requests == ["/beths-robotics-badge.json", "/robotics-badge.json", "/organization.json"]
    assert checked.display.title == "Awesome Robotics Badge"          # the file names it by URL only
    assert checked.display.issuer_name == "An Example Badge Issuer"
    assert verdict.issuer == "https://example.org/organization.json"
    assert verdict.status.state.value == "checked" and "still hosts it" in verdict.status.message


def test_offline_nothing_is_fetched_and_it_says_hosted_not_checked(host):
    context = verification_context()
    context.now = NOW
    verdict = check(json.dumps(ASSERTION).encode(), context).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "hosted badge, not checked" in verdict.message
    assert host.requests == []


def test_a_presented_badge_that_differs_from_the_hosted_one_is_tampered(host):
    changed = ASSERTION | {"expires": "2030-06-30T23:59:59Z"}
    verdict = verify(changed, host).verdict
    assert not verdict.valid and verdict.reason is Reason.TAMPERED and "expires was changed" in verdict.message


def test_an_embedded_badgeclass_that_says_more_than_the_hosted_one_is_tampered(host):
    embedded = ASSERTION | {"badge": BADGE | {"name": "Doctorate in Robotics"}}
    verdict = verify(embedded, host).verdict
    assert verdict.reason is Reason.TAMPERED and "BadgeClass differs" in verdict.message and "name" in verdict.message


def test_410_gone_is_revoked(host):
    host.routes["/beths-robotics-badge.json"] = (410, {}, b"")
    verdict = verify(ASSERTION, host).verdict
    assert verdict.reason is Reason.REVOKED and "HTTP 410" in verdict.message
    assert verdict.status.state.value == "revoked"


def test_revoked_true_in_the_hosted_copy_is_revoked(host):
    host.serve("/beths-robotics-badge.json",
               json.dumps({"id": ASSERTION["id"], "revoked": True, "revocationReason": "Issued in error"}).encode())
    verdict = verify(ASSERTION, host).verdict
    assert verdict.reason is Reason.REVOKED and "Issued in error" in verdict.message


def test_a_copy_hosted_off_the_issuers_origin_is_not_the_issuers(host):
    elsewhere = ASSERTION | {"id": f"https://evil.example:{host.port}/copy.json"}
    host.serve("/copy.json", json.dumps(elsewhere).encode())
    verdict = verify(elsewhere, host).verdict
    assert verdict.reason is Reason.WRONG_KEY and "not where its issuer" in verdict.message


def test_a_redirect_to_a_private_address_is_not_followed(host):
    host.redirect("/beths-robotics-badge.json", "https://10.1.2.3/beths-robotics-badge.json")
    verdict = verify(ASSERTION, host).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "redirects to another host" in verdict.message
    assert host.requests == ["/beths-robotics-badge.json"]


def test_a_huge_hosted_answer_is_not_read(host):
    host.serve("/beths-robotics-badge.json", b"{" + b" " * (2 * 1024 * 1024) + b"}")
    verdict = verify(ASSERTION, host).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "larger than" in verdict.message


def test_the_vault_service_checks_hosted_badges_when_online(host, identity):
    service = CredentialService(identity.store, network=host.network)
    context = service.context()
    context.now = NOW
    checked = check(json.dumps(ASSERTION).encode(), context)
    assert checked.verdict.valid and checked.format == "ob2-hosted"


def test_checked_online_once_then_offline_from_the_saved_copies_with_their_day(host, identity):
    """Offline after an online check: the same checks run on the copies saved then, and the
    status says their day; a badge never checked online stays "not checked"."""
    online = CredentialService(identity.store, network=host.network)
    context = online.context()
    context.now = NOW
    assert check(json.dumps(ASSERTION).encode(), context).verdict.valid
    fetched = len(host.requests)
    offline = CredentialService(identity.store).context()
    offline.now = NOW
    verdict = check(json.dumps(ASSERTION).encode(), offline).verdict
    assert verdict.valid and len(host.requests) == fetched   # nothing fetched
    day = datetime.now(timezone.utc)
    assert verdict.status.message.endswith(f"as of {day.day} {day:%b %Y} (saved copy; offline).")
    # A presented copy changed since is still caught offline against the saved one.
    changed = check(json.dumps(ASSERTION | {"expires": "2030-06-30T23:59:59Z"}).encode(), offline).verdict
    assert changed.reason is Reason.TAMPERED
    other = ASSERTION | {"id": "https://example.org/another-badge.json"}
    assert check(json.dumps(other).encode(), offline).verdict.reason is Reason.UNKNOWN_KEY


def test_a_revocation_seen_online_is_remembered_offline(host, identity):
    """The issuer answered 410 Gone once: offline afterwards the badge reads revoked, not
    valid from an older saved copy."""
    online = CredentialService(identity.store, network=host.network)
    context = online.context()
    context.now = NOW
    assert check(json.dumps(ASSERTION).encode(), context).verdict.valid
    host.routes["/beths-robotics-badge.json"] = (410, {}, b"")
    context = CredentialService(identity.store, network=host.network).context()   # a later session
    context.now = NOW
    assert check(json.dumps(ASSERTION).encode(), context).verdict.reason is Reason.REVOKED
    offline = CredentialService(identity.store).context()
    offline.now = NOW
    assert check(json.dumps(ASSERTION).encode(), offline).verdict.reason is Reason.REVOKED
