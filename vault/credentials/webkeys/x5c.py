"""X.509 issuer keys: an SD-JWT VC (EUDI PID and attestations) may carry its issuer's
certificate chain in the header (``x5c``, RFC 7515 §4.1.6). The chain proves nothing by
itself: anyone can make a certificate. It counts only when `cryptography`'s path
validation (``cryptography.x509.verification``, RFC 5280 with the web PKI's profile)
leads it to a certificate authority the user added (``vault trust add-ca``), valid at the
time of verification; then the leaf certificate must name the issuer (``iss``): its
host as a DNS name, or ``iss`` itself as a URI, in the subject alternative names
(draft-ietf-oauth-sd-jwt-vc, "X.509 Certificates"), and its key verifies the JWT.

Outcomes: no authority added, or none the chain leads to: UNKNOWN_KEY (unverified:
adding the right authority settles it); a chain that leads there but is expired, not
yet valid, or otherwise refused by path validation, or a leaf naming another issuer:
WRONG_KEY.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store, VerificationError

from ..verdict import CredentialFailure, Reason

MAX_CERTIFICATES = 8
MAX_CERTIFICATE_BYTES = 16 * 1024
ADD_CA = "add the authority that certifies the issuer with `vault trust add-ca CERT.pem`"

Anchors = Callable[[], Iterable[x509.Certificate]]


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate (DER), hex: how a person tells two certificates apart."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def _parse_chain(x5c: Any) -> list[x509.Certificate]:
    if not isinstance(x5c, list) or not x5c or len(x5c) > MAX_CERTIFICATES:
        raise CredentialFailure(Reason.MALFORMED, f"The SD-JWT's certificate chain ('x5c') is not a list of 1 "
                                f"to {MAX_CERTIFICATES} certificates.")
    chain = []
    for index, text in enumerate(x5c, 1):
        try:   # standard base64 of DER (not base64url), RFC 7515 §4.1.6
            if not isinstance(text, str) or len(text) > MAX_CERTIFICATE_BYTES * 4 // 3 + 4:
                raise ValueError("not a certificate of a sensible size")
            chain.append(x509.load_der_x509_certificate(base64.b64decode(text, validate=True)))
        except (ValueError, binascii.Error) as exc:
            raise CredentialFailure(Reason.MALFORMED, f"Certificate {index} of the SD-JWT's chain ('x5c') "
                                    f"cannot be read ({str(exc)[:120]}).") from None
    return chain


def _names_issuer(subjects: Iterable[x509.GeneralName], iss: str) -> bool:
    host = urlsplit(iss).hostname if iss.startswith("https://") else None
    for name in subjects:
        if isinstance(name, x509.UniformResourceIdentifier) and name.value == iss:
            return True
        if host and isinstance(name, x509.DNSName) and name.value.lower() == host:
            return True
    return False


def _subject(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string()[:120] or "(no subject)"


def chain_key(x5c: Any, iss: str | None, anchors: Anchors | None, now: datetime) -> tuple[Any, str]:
    """(the leaf's public key, a key id naming the leaf) when the chain ``x5c`` leads to a
    trust anchor at ``now`` and its leaf names ``iss``; CredentialFailure otherwise."""
    chain = _parse_chain(x5c)
    leaf = chain[0]
    if not isinstance(iss, str) or not iss:
        raise CredentialFailure(Reason.MALFORMED, "The SD-JWT carries a certificate chain ('x5c') but names "
                                "no issuer ('iss') for the certificate to be checked against.")
    trusted = list(anchors()) if anchors is not None else []
    if not trusted:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The issuer's key comes with a certificate chain "
                                f"({_subject(leaf)}), and you have added no certificate authority to check it "
                                f"against: {ADD_CA}.")
    # The web PKI's profile, except that an issuer's certificate need not be a TLS
    # client's: any extended key usage is accepted (EUDI issuers use their own).
    leaf_policy = ExtensionPolicy.webpki_defaults_ee().may_be_present(
        x509.ExtendedKeyUsage, Criticality.AGNOSTIC, None)
    verifier = (PolicyBuilder().store(Store(trusted)).time(now).max_chain_depth(MAX_CERTIFICATES)
                .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=leaf_policy)
                .build_client_verifier())
    try:
        verified = verifier.verify(leaf, chain[1:])
    except VerificationError as exc:
        detail = str(exc)
        if "candidates exhausted" in detail:
            raise CredentialFailure(Reason.UNKNOWN_KEY, f"The issuer's certificate chain ({_subject(leaf)}) "
                                    f"does not lead to a certificate authority you added: {ADD_CA}.") from None
        if "not valid at validation time" in detail:
            expired = next((c for c in chain if not c.not_valid_before_utc <= now <= c.not_valid_after_utc), leaf)
            when = (f"expired on {expired.not_valid_after_utc:%Y-%m-%d}" if now > expired.not_valid_after_utc
                    else f"is valid only from {expired.not_valid_before_utc:%Y-%m-%d}")
            raise CredentialFailure(Reason.WRONG_KEY, f"The issuer's certificate {_subject(expired)} {when}: "
                                    "its key is not certified now.") from None
        raise CredentialFailure(Reason.WRONG_KEY, f"The issuer's certificate chain ({_subject(leaf)}) is "
                                f"refused: {detail.removeprefix('validation failed: ')[:200]}.") from None
    if not _names_issuer(verified.subjects or (), iss):
        names = ", ".join(str(getattr(n, "value", n))[:60] for n in (verified.subjects or ()))
        raise CredentialFailure(Reason.WRONG_KEY, f"The issuer's certificate is for {names or 'no name'}, not "
                                f"for {iss[:120]} that the SD-JWT names as its issuer.")
    return leaf.public_key(), f"x5c:sha-256:{fingerprint(leaf)}"
