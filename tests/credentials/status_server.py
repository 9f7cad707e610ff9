"""A real HTTP(S) server on a loopback address for the network tests (no tests here): it
counts every request it gets, and each path can answer with bytes, redirect, send too
much, or never answer at all. Also a signed status list and a credential that names it."""

from __future__ import annotations

import gzip
import json
import socket
import ssl
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from pathlib import Path

from vault.credentials import data_integrity, status

HANG = "hang"          # accept, read the request, never answer


class StatusServer:
    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None, port: int = 0):
        self.host, self.requests, self.routes, self.posted = host, [], {}, []
        self.stop = threading.Event()
        self._arrived = threading.Condition()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                with owner._arrived:
                    owner.requests.append(self.path)
                    owner._arrived.notify_all()
                route = owner.routes.get(self.path, (404, {}, b""))
                if route == HANG:
                    owner.stop.wait(30)
                    return
                code, headers, body = route
                self.send_response(code)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers and "Transfer-Encoding" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):      # a JSON-RPC endpoint: the body is kept, the path's route answers
                length = int(self.headers.get("Content-Length") or 0)
                owner.posted.append(self.rfile.read(min(length, 1 << 16)))
                self.do_GET()

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            address_family = socket.AF_INET6 if ip_address(host).version == 6 else socket.AF_INET

        self.server = Server((host, port), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str, scheme: str = "http", host: str | None = None) -> str:
        host = host or self.host
        return f"{scheme}://{f'[{host}]' if ':' in host else host}:{self.port}{path}"

    def serve(self, path: str, body: bytes, **headers) -> str:
        self.routes[path] = (200, {k.replace("_", "-"): v for k, v in headers.items()}, body)
        return self.url(path)

    def redirect(self, path: str, location: str) -> str:
        self.routes[path] = (302, {"Location": location}, b"")
        return self.url(path)

    def hang(self, path: str) -> str:
        self.routes[path] = HANG
        return self.url(path)

    def wait_for(self, count: int, timeout: float = 10.0) -> int:
        """The number of requests, once at least ``count`` arrived (or the timeout passed)."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.requests) >= count, timeout)
            return len(self.requests)

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


def gzip_bomb(size: int) -> bytes:
    return gzip.compress(b"\0" * size, compresslevel=9)


# ---- a signed status list and credentials that name it -------------------------------------

def status_list(url: str, key, method: str, issuer: str, revoked=()) -> bytes:
    unsigned = status.status_list_credential(id=url, issuer=issuer, encoded_list=status.encode_status_list(set(revoked)))
    return json.dumps(data_integrity.sign(unsigned, key, method, cryptosuite="eddsa-jcs-2022")).encode()


def entries(urls, index: int = 3) -> list[dict]:
    return [{"id": f"{url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
             "statusListIndex": str(index), "statusListCredential": url} for url in urls]


def self_signed(tmp: Path, names=("localhost",), ips=("127.0.0.1",)) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context trusting only it): a certificate for ``names`` / ``ips``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.now(timezone.utc)
    alt = [x509.DNSName(n) for n in names] + [x509.IPAddress(ip_address(i)) for i in ips]
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1)).add_extension(x509.SubjectAlternativeName(alt), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    (tmp / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp / "cert.pem", tmp / "key.pem")
    client = ssl.create_default_context(cafile=str(tmp / "cert.pem"))
    return server, client
