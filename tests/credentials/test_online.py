"""Network use is explicit and bounded. Each attack is a real server on a loopback address
(the tests allow loopback where they need a serving endpoint; one shows it is refused by
default): private and local addresses refused, redirects to another host not followed,
oversized and gzip-bombed answers not read, a server that never answers cut off, DNS
rebinding unable to switch the address, and a presentation naming 200 status lists
costing at most 8 requests, in parallel, within one deadline."""

import socket
import time
from urllib.parse import urlsplit

import pytest

from tests.credentials.status_server import StatusServer, entries, gzip_bomb, self_signed, status_list
from tests.presentations.vp_fixtures import (CHALLENGE, DOMAIN, ISSUER, ISSUER_KEY, ISSUER_METHOD, Wallet,
                                             di_credential)
from vault.credentials import online
from vault.credentials.online import StatusLists
from vault.credentials.service import CredentialService, verification_context
from vault.credentials.verify import check
from vault.net.fetch import MAX_BYTES, FetchError, NetworkUse, get
from vault.presentations import verify_presentation
from vault.presentations.service import PresentationService

LOCAL = NetworkUse(allow_private=True)      # what a person on an intranet allowed


@pytest.fixture
def server():
    server = StatusServer()
    yield server
    server.close()


@pytest.fixture
def other(server):
    """Another host (127.0.0.2) on the same port: a request that leaves the checked
    address or host lands here."""
    other = StatusServer("127.0.0.2", port=server.port)
    yield other
    other.close()


# ---- where a URL may lead ------------------------------------------------------------------

def test_loopback_is_refused_by_default_and_nothing_is_sent(server):
    url = server.serve("/list", b"{}")
    for candidate in (url, url.replace("127.0.0.1", "localhost"), server.url("/list", "https")):
        with pytest.raises(FetchError, match="loopback address"):
            get(candidate, NetworkUse())
    assert server.requests == []
    assert get(url, LOCAL) == b"{}" and server.requests == ["/list"]     # allowed: it is fetched


@pytest.mark.parametrize("url, kind", [
    ("https://10.0.0.5/status/1", "private"), ("https://192.168.1.1/s", "private"),
    ("https://169.254.169.254/latest/meta-data/", "link-local"), ("https://127.0.0.2/s", "loopback"),
    ("https://[::1]/s", "loopback"), ("https://[::ffff:127.0.0.1]/s", "loopback"),
    ("https://[fe80::1]/s", "link-local"), ("https://[fd00::5]/s", "private"),
    ("https://0.0.0.0/s", "unspecified"), ("https://100.64.0.1/s", "private"),
    ("https://0x7f.1/s", "loopback")])
def test_private_and_local_addresses_are_refused_before_connecting(url, kind, monkeypatch):
    def no_connect(*args):
        raise AssertionError("connected")
    monkeypatch.setattr(socket.socket, "connect", no_connect)
    with pytest.raises(FetchError, match=f"a {kind} address"):
        get(url, NetworkUse())


def test_ipv6_loopback_served_only_when_allowed():
    server = StatusServer("::1")
    try:
        url = server.serve("/list", b"six")
        with pytest.raises(FetchError, match="loopback"):
            get(url, NetworkUse())
        assert server.requests == [] and get(url, LOCAL) == b"six"
        server.redirect("/old", "/list")            # same host: followed
        assert get(server.url("/old"), LOCAL) == b"six"
    finally:
        server.close()


@pytest.mark.parametrize("url, why", [
    ("http://93.184.216.34/list", "plain http"), ("ftp://issuer.example/list", "only https"),
    ("file:///etc/passwd", "only https"), ("https://user:pw@issuer.example/l", "user name"),
    ("https://[::1/x", "not a valid URL"), ("https://224.0.0.1/x", "multicast")])
def test_other_schemes_plain_http_and_multicast_are_refused(url, why, monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", lambda *a: pytest.fail("connected"))
    with pytest.raises(FetchError, match=why):
        get(url, LOCAL)     # even with private addresses allowed


def test_dns_rebinding_cannot_switch_the_checked_address(server, other, monkeypatch):
    """The name is resolved once and the connection made to that address: a second answer
    (the attacker's DNS now pointing elsewhere) is never asked for."""
    server.serve("/list", b"checked")
    other.serve("/list", b"rebound")
    real, answers = socket.getaddrinfo, iter([server.host, other.host, other.host])

    def rebinding(host, port, *args, **kwargs):
        return real(next(answers), port, *args, **kwargs) if host == "rebind.example" else real(host, port, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    assert get(f"http://rebind.example:{server.port}/list", LOCAL) == b"checked"
    assert other.requests == []


# ---- what comes back -----------------------------------------------------------------------

def test_a_redirect_to_another_host_is_not_followed(server, other):
    target = other.serve("/list", b"elsewhere")
    for path, location in (("/a", target), ("/b", server.url("/list", host="localhost")),
                           ("/c", server.url("/list", "https")), ("/d", f"//127.0.0.2:{server.port}/list")):
        with pytest.raises(FetchError, match="redirects to another host"):
            get(server.redirect(path, location), LOCAL)
    assert other.requests == []
    assert server.requests == ["/a", "/b", "/c", "/d"]


def test_same_host_redirects_are_followed_three_times_at_most(server):
    server.serve("/list", b"here")
    server.redirect("/3", "/list")
    server.redirect("/2", server.url("/3"))
    server.redirect("/1", "/2")
    assert get(server.url("/1"), LOCAL) == b"here"
    server.redirect("/loop", "/loop")
    with pytest.raises(FetchError, match="more than 3 times"):
        get(server.url("/loop"), LOCAL)
    assert server.requests.count("/loop") == 4


def test_an_oversized_answer_is_not_read(server):
    big = b"x" * (MAX_BYTES + 1)
    for url in (server.serve("/declared", big), server.serve("/chunked", big, Connection="close",
                                                              Transfer_Encoding="identity"),
                server.serve("/bomb", gzip_bomb(64 * MAX_BYTES), Content_Encoding="gzip")):
        with pytest.raises(FetchError, match="larger than 1,024 KiB"):
            get(url, LOCAL)
    assert get(server.serve("/fits", b"y" * MAX_BYTES), LOCAL) == b"y" * MAX_BYTES
    assert get(server.serve("/gz", gzip_bomb(1000), Content_Encoding="gzip"), LOCAL) == b"\0" * 1000
    with pytest.raises(FetchError, match="'br' encoding"):
        get(server.serve("/br", b"?", Content_Encoding="br"), LOCAL)


def test_a_server_that_never_answers_is_cut_off(server):
    url = server.hang("/silent")
    started = time.monotonic()
    with pytest.raises(FetchError, match="no answer in time"):
        get(url, NetworkUse(allow_private=True, timeout=0.3))
    assert time.monotonic() - started < 20
    with pytest.raises(FetchError, match="HTTP 404"):
        get(server.url("/nothing"), LOCAL)


def test_https_is_checked_against_the_name_while_connecting_to_the_checked_address(tmp_path):
    server_tls, client_tls = self_signed(tmp_path)
    server = StatusServer(tls=server_tls)
    try:
        server.serve("/list", b"secure")
        network = NetworkUse(allow_private=True, ssl_context=client_tls)
        assert get(server.url("/list", "https", host="localhost"), network) == b"secure"
        (tmp_path / "other").mkdir()
        other_tls = self_signed(tmp_path / "other", names=("other.example",), ips=())[1]
        with pytest.raises(FetchError, match="certificate is not valid"):
            get(server.url("/list", "https", host="localhost"), NetworkUse(allow_private=True, ssl_context=other_tls))
    finally:
        server.close()


# ---- one verification's budget -------------------------------------------------------------

def test_two_hundred_status_lists_cost_eight_parallel_requests_within_the_deadline(server, wallet):
    """A hostile presentation: two credentials naming 100 status lists each, on a server
    that never answers. Eight requests reach it (all eight at once: one after another,
    only the first would have been sent before the deadline); the rest are not checked."""
    urls = [server.hang(f"/list/{i}") for i in range(200)]
    ids = [wallet.store(di_credential(wallet.holder, "eddsa-jcs-2022", name=f"Badge {n}",
                                      credentialStatus=entries(urls[n * 100:(n + 1) * 100]))) for n in (0, 1)]
    presentation = wallet.presentations.present(ids, None, CHALLENGE, DOMAIN)
    context = verification_context(network=LOCAL, lists=StatusLists(LOCAL, deadline=3.0))
    started = time.monotonic()
    verdict = verify_presentation(presentation.payload, challenge=CHALLENGE, domain=DOMAIN, context=context)
    assert time.monotonic() - started < 30      # bounded by the deadline, not 200 x 5 s
    assert server.wait_for(8, timeout=5) == 8
    assert sorted(server.requests) == sorted(urlsplit(u).path for u in urls[:8])
    assert verdict.valid, verdict.message        # unchecked is a warning, never "revoked"
    messages = [w.message for c in verdict.credentials for w in c.warnings if w.code.value == "status-unchecked"]
    assert sum("too many status lists" in m for m in messages) == 192
    assert sum("no answer in time" in m or "ran out" in m for m in messages) == 8


def test_a_list_is_fetched_once_for_many_credentials_and_cached_for_offline_use(server, identity):
    url = server.url("/shared")
    server.serve("/shared", status_list(url, ISSUER_KEY, ISSUER_METHOD, ISSUER, revoked={4}))
    service = CredentialService(identity.store, network=LOCAL)
    for index in (3, 4, 5):
        service.import_bytes(di_credential(f"did:example:{index}", "eddsa-jcs-2022", name=f"B{index}",
                                           credentialStatus=entries([url], index)))
    assert server.requests == ["/shared"]        # a bulk import asks each list once
    statuses = sorted(s.status for s in service.repository.search())
    assert statuses == ["revoked", "valid", "valid"]

    offline = CredentialService(identity.store)  # the default: the saved copy, with its date
    verdict = check(di_credential("did:example:3", "eddsa-jcs-2022", name="B3",
                                  credentialStatus=entries([url], 3)), offline.context()).verdict
    saved = [w.message for w in verdict.warnings if w.code.value == "status-saved"]
    assert verdict.valid and len(saved) == 1 and time.strftime("%Y-") in saved[0] and "offline" in saved[0]
    assert server.requests == ["/shared"]


def test_offline_without_a_saved_copy_says_so(server):
    url = server.serve("/list", b"{}")
    verdict = check(di_credential("did:example:x", "eddsa-jcs-2022", credentialStatus=entries([url])),
                    verification_context()).verdict
    assert verdict.valid and server.requests == []
    assert any("not checked: offline" in w.message for w in verdict.warnings)


def test_the_deadline_is_one_for_the_whole_verification(server, monkeypatch):
    """Lists asked for one after another (not prefetched) share the same deadline."""
    monkeypatch.setattr(online, "DEADLINE_SECONDS", 0.5)
    run = StatusLists(LOCAL).run()
    first, second = server.hang("/1"), server.hang("/2")
    with pytest.raises(FetchError, match="no answer in time|ran out"):
        run(first)
    with pytest.raises(FetchError, match="ran out"):
        run(second)
    assert "/2" not in server.requests


@pytest.fixture
def wallet(identity):
    credentials = CredentialService(identity.store)
    return Wallet(identity, credentials, PresentationService(identity, credentials), identity.default_did().did)

