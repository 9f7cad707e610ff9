"""The certificate authorities the user trusts for issuers' X.509 certificate chains
(``vault trust add-ca``), kept inside the encrypted vault. Only CA certificates are
accepted: a leaf as an anchor would trust one key and everything it seems to certify."""

from __future__ import annotations

from datetime import datetime, timezone

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from ...errors import NotFound, VaultError
from ...store import VaultStore
from .x5c import fingerprint


def read_certificate(data: bytes) -> x509.Certificate:
    """One certificate from PEM or DER bytes; VaultError saying why not."""
    try:
        if b"-----BEGIN" in data:
            certificates = x509.load_pem_x509_certificates(data)
            if len(certificates) != 1:
                raise VaultError(f"The file holds {len(certificates)} certificates; add them one at a time.")
            return certificates[0]
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise VaultError(f"This is not an X.509 certificate (PEM or DER): {str(exc)[:120]}.") from None


def check_authority(certificate: x509.Certificate) -> None:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        constraints = None
    if constraints is None or not constraints.ca:
        raise VaultError("This certificate is not a certificate authority's (its basic constraints do not say "
                         "CA): add the authority that certifies the issuer, not the issuer's own certificate.")


class TrustAnchors:
    def __init__(self, store: VaultStore):
        self.store = store

    def add(self, data: bytes) -> dict:
        certificate = read_certificate(data)
        check_authority(certificate)
        entry = {"fingerprint": fingerprint(certificate), "subject": certificate.subject.rfc4514_string(),
                 "added_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat()}
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO trust_anchors(fingerprint, subject, certificate, added_at) "
                         "VALUES (?, ?, ?, ?) ON CONFLICT(fingerprint) DO NOTHING",
                         (entry["fingerprint"], entry["subject"],
                          certificate.public_bytes(Encoding.DER), entry["added_at"]))
        return entry

    def remove(self, fingerprint_prefix: str) -> dict:
        prefix = fingerprint_prefix.strip().lower().replace(":", "")
        found = [e for e in self.entries() if e["fingerprint"].startswith(prefix)] if len(prefix) >= 8 else []
        if len(found) != 1:
            raise NotFound(f"No single certificate authority has a fingerprint starting with {prefix[:64]!r} "
                           "(give at least 8 hex digits; `vault trust list-ca` shows them).")
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM trust_anchors WHERE fingerprint = ?", (found[0]["fingerprint"],))
        return found[0]

    def entries(self) -> list[dict]:
        return [{"fingerprint": f, "subject": s, "added_at": a} for f, s, a in
                self.store.query("SELECT fingerprint, subject, added_at FROM trust_anchors ORDER BY subject")]

    def certificates(self) -> list[x509.Certificate]:
        return [x509.load_der_x509_certificate(bytes(der))
                for (der,) in self.store.query("SELECT certificate FROM trust_anchors")]
