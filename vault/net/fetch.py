"""One bounded HTTP GET for whatever the vault fetches when the user asked it to go online
(status lists, did:web and https issuer keys, Blockcerts anchors, hosted Open Badges), and one
bounded POST for the exchanges the user starts (OpenID4VCI, OpenID4VP), under the same rules.

A URL comes from untrusted data (a credential, a presentation), so every trick gets a
plain refusal instead of a request:

- https only; plain http only to a private address the user allowed (an intranet);
- the name is resolved once, every address it resolves to is checked, and the connection
  goes to a checked address (the name still goes into SNI, the certificate check and the
  Host header), so a DNS answer that changes between check and connect (rebinding)
  cannot reach a local service;
- loopback, link-local, private, shared, reserved and unspecified addresses are refused
  unless the user allowed private addresses; multicast always;
- redirects are followed within the same scheme, host and port only, at most three;
- the body is capped (after gzip too), every connect and read has a timeout, none runs
  past the caller's deadline, and a ``Cancel`` shuts a request's socket down (a server
  dripping a byte every few seconds never trips a per-read timeout).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..errors import VaultError

MAX_BYTES = 1024 * 1024
TIMEOUT_SECONDS = 5.0
MAX_REDIRECTS = 3
_REDIRECTS = {301, 302, 303, 307, 308}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")   # IPv6 names for IPv4 addresses
_ACCEPT = "application/vc+ld+json, application/vc+jwt, application/json;q=0.9, */*;q=0.1"


class FetchError(VaultError):
    """A URL that was not fetched or not read; the message names it and says why."""
    status: int | None = None    # the HTTP status the server answered, if it answered one


@dataclass(frozen=True)
class NetworkUse:
    """What the user allowed when they asked the vault to go online."""
    allow_private: bool = False          # an intranet: loopback, link-local, private (and http to them)
    timeout: float = TIMEOUT_SECONDS     # the connect and each read of one request
    max_bytes: int = MAX_BYTES
    ssl_context: ssl.SSLContext | None = None   # None: the system's certificate store


class Cancel:
    """Requests a caller abandons at its deadline: their sockets are shut down, which ends
    a blocked read at once."""

    def __init__(self):
        self._lock = threading.Lock()
        self._sockets: set = set()
        self.cancelled = False

    def track(self, sock) -> None:
        with self._lock:
            if not self.cancelled:
                self._sockets.add(sock)
                return
        _shut(sock)

    def forget(self, sock) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            _shut(sock)


def _shut(sock) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


# ---- where a URL may lead -----------------------------------------------------------------

def _kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What makes ``ip`` not a public internet address ('multicast', 'loopback', ...), or None."""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    elif ip.version == 6 and ip in _NAT64:
        ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    for kind in ("multicast", "loopback", "link_local", "unspecified", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "private"


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple          # getaddrinfo results, every one checked

    @property
    def origin(self) -> tuple:
        return self.scheme, self.host, self.port


def _split(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(f"{url[:200]} was not fetched: it is not a valid URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise FetchError(f"{url[:200]} was not fetched: only https:// addresses are fetched.")
    if parts.username is not None or parts.password is not None:
        raise FetchError(f"{url[:200]} was not fetched: it carries a user name or password.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80), path


def _target(url: str, network: NetworkUse) -> _Target:
    scheme, host, port, path = _split(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchError(f"{url[:200]} was not fetched: the name {host} could not be found.") from None
    kinds = []
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        kind = _kind(ip)
        if kind == "multicast" or (kind and not network.allow_private):
            raise FetchError(f"{url[:200]} was not fetched: {host} is {ip}, a {kind} address; only "
                             "public internet addresses are fetched unless you allow private and "
                             "local addresses.")
        kinds.append(kind)
    if scheme == "http" and not all(kinds):
        raise FetchError(f"{url[:200]} was not fetched: plain http:// is used only inside your own "
                         "network (with private addresses allowed); on the internet it must be https://.")
    return _Target(scheme, host, port, path, tuple(infos))


# ---- one request ---------------------------------------------------------------------------

def _connection(target: _Target, network: NetworkUse, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        context = network.ssl_context or ssl.create_default_context()
        conn = http.client.HTTPSConnection(target.host, target.port, timeout=timeout, context=context)
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    def pinned(_address, timeout, source_address=None):
        # http.client's own hook for opening the socket: to the addresses checked above,
        # never to a second DNS answer. TLS still checks the certificate against the name.
        error = None
        for family, kind, proto, _, sockaddr in target.addresses:
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error or OSError("no address")

    conn._create_connection = pinned
    return conn


def _body(response: http.client.HTTPResponse, url: str, limit: int) -> bytes:
    too_large = FetchError(f"{url[:200]} was not read: it is larger than {limit // 1024:,} KiB.")
    length = (response.getheader("Content-Length") or "").strip()
    if length.isdigit() and int(length) > limit:
        raise too_large
    body = response.read(limit + 1)
    if len(body) > limit:
        raise too_large
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):       # never asked for; bounded all the same
        engine = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = engine.decompress(body, limit + 1)
        except zlib.error:
            raise FetchError(f"{url[:200]} was not read: its gzip encoding is damaged.") from None
        if len(body) > limit or engine.unconsumed_tail:
            raise too_large
    elif encoding != "identity":
        raise FetchError(f"{url[:200]} was not read: it came in the {encoding[:40]!r} encoding, "
                         "which the vault does not read.")
    return body


def _once(url: str, target: _Target, network: NetworkUse, deadline: float | None,
          cancel: Cancel, *, method: str = "GET", body: bytes | None = None,
          headers: dict | None = None, any_status: bool = False) -> tuple[int, str | None, bytes]:
    left = network.timeout if deadline is None else min(network.timeout, deadline - time.monotonic())
    if left <= 0 or cancel.cancelled:
        raise FetchError(f"{url[:200]} was not fetched: no time was left for it.")
    conn = _connection(target, network, left)
    sock = response = None
    try:
        conn.connect()
        sock = conn.sock
        cancel.track(sock)
        conn.request(method, target.path, body=body,
                     headers={"Accept": _ACCEPT, "User-Agent": "blocktrack-vault", **(headers or {})})
        response = conn.getresponse()
        if response.status in _REDIRECTS:
            return response.status, response.getheader("Location"), b""
        if any_status:   # a protocol's error answer (OAuth's JSON error) is read, bounded all the same
            return response.status, None, _body(response, url, network.max_bytes)
        if response.status != 200:
            error = FetchError(f"{url[:200]} was not fetched: the server answered HTTP {response.status}.")
            error.status = response.status    # 410 Gone means something (a revoked hosted badge)
            raise error
        return 200, None, _body(response, url, network.max_bytes)
    except FetchError:
        raise
    except ssl.SSLCertVerificationError as exc:
        raise FetchError(f"{url[:200]} was not fetched: its certificate is not valid "
                         f"({exc.verify_message or exc}).") from None
    except (OSError, http.client.HTTPException) as exc:
        if cancel.cancelled or isinstance(exc, TimeoutError):
            raise FetchError(f"{url[:200]} was not fetched: no answer in time.") from None
        raise FetchError(f"{url[:200]} could not be fetched ({type(exc).__name__}: {exc}).") from None
    finally:
        if sock is not None:
            cancel.forget(sock)
        if response is not None:
            response.close()
        conn.close()


def get(url: str, network: NetworkUse, *, deadline: float | None = None, cancel: Cancel | None = None,
        data: bytes | None = None) -> bytes:
    """The body of ``url`` (HTTP 200), or FetchError saying why not. ``deadline`` is a
    ``time.monotonic()`` moment no part of the request may pass. ``data``: POSTed as JSON
    (a JSON-RPC read), bounded like the answer; such a request follows no redirect."""
    cancel = cancel or Cancel()
    if data is not None and len(data) > 4096:
        raise FetchError(f"{url[:200]} was not asked: the request is too large.")
    target, current = _target(url, network), url
    for _ in range(MAX_REDIRECTS + 1):
        # ``data``: a JSON-RPC read (an Ethereum node), POSTed; never a transaction
        json_post = {} if data is None else {"method": "POST", "body": data,
                                             "headers": {"Content-Type": "application/json"}}
        status, location, body = _once(url, target, network, deadline, cancel, **json_post)
        if status == 200:
            return body
        if data is not None:
            raise FetchError(f"{url[:200]} was not asked: it redirects, which a JSON-RPC endpoint "
                             "must not do.")
        current = urljoin(current, location or "")
        scheme, host, port, path = _split(current)
        if (scheme, host, port) != target.origin:
            raise FetchError(f"{url[:200]} was not fetched: it redirects to another host ({host}), "
                             "which the vault does not follow.")
        target = _Target(scheme, host, port, path, target.addresses)
    raise FetchError(f"{url[:200]} was not fetched: it redirects more than {MAX_REDIRECTS} times.")


def post(url: str, network: NetworkUse, body: bytes, content_type: str, *, headers: dict | None = None,
         deadline: float | None = None, cancel: Cancel | None = None) -> tuple[int, bytes]:
    """POST ``body`` to ``url`` under the rules of ``get``: the answer's status and (bounded)
    body, whatever the status, for the protocol to read its error. A redirect is refused:
    a POST is never replayed elsewhere."""
    target = _target(url, network)
    status, _, answer = _once(url, target, network, deadline, cancel or Cancel(), method="POST", body=body,
                              headers={"Content-Type": content_type, **(headers or {})}, any_status=True)
    if status in _REDIRECTS:
        raise FetchError(f"{url[:200]} was not used: it answered with a redirect, which the vault does not "
                         "follow for a request that sends data.")
    return status, answer
