"""Helpers of the issuer-key tests (no tests here): an issuer that publishes its keys on a
real HTTPS server on loopback (did:web documents, Open Badges 3.0 issuer profiles, SD-JWT
VC issuer metadata), credentials it signs, and X.509 certificate authorities and chains
made with `cryptography` for ``x5c``."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from tests.credentials.status_server import StatusServer, self_signed
from vault.credentials import data_integrity, jose, sd_jwt_vc
from vault.did import multikey
from vault.net.fetch import NetworkUse

ISSUER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(7, 39)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(60, 92)))
NOW = datetime.now(timezone.utc)


class WebIssuer:
    """A loopback HTTPS server with a certificate for ``localhost`` (and ``names``), and
    the NetworkUse that trusts it (private addresses allowed: loopback)."""

    def __init__(self, tmp: Path, names=("localhost",)):
        server_tls, client_tls = self_signed(tmp, names=names)
        self.server = StatusServer(tls=server_tls)
        self.network = NetworkUse(allow_private=True, ssl_context=client_tls)
        self.host = f"localhost:{self.server.port}"
        self.did = f"did:web:localhost%3A{self.server.port}"

    def url(self, path: str) -> str:
        return f"https://{self.host}{path}"

    def publish(self, path: str, document) -> str:
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        self.server.serve(path, body, Content_Type="application/json")
        return self.url(path)

    @property
    def requests(self) -> list[str]:
        return self.server.requests

    def close(self) -> None:
        self.server.close()


def multibase(key) -> str:
    return multikey.encode("ed25519-pub", key.public_key().public_bytes_raw())


def key_method(method_id: str, controller: str, key=ISSUER_KEY) -> dict:
    return {"id": method_id, "type": "Multikey", "controller": controller, "publicKeyMultibase": multibase(key)}


def did_document(did: str, key=ISSUER_KEY, controller: str | None = None) -> dict:
    method = key_method(f"{did}#key-1", controller or did, key)
    return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": did, "verificationMethod": [method], "assertionMethod": [method["id"]]}


def profile(url: str, methods=(), references=(), name="Web College") -> dict:
    """An Open Badges 3.0 issuer Profile that is also the controller document of its keys."""
    return {"@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/security/multikey/v1"],
            "id": url, "type": "Profile", "name": name, "verificationMethod": list(methods),
            "assertionMethod": [m["id"] for m in methods] + list(references)}


def badge(issuer: str, name: str = "Web Development") -> dict:
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:5f0c5e4e-1d2b-4c8a-9d7e-6a1b2c3d4e5f",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": issuer, "type": ["Profile"], "name": "Web College"},
            "validFrom": "2025-01-01T00:00:00Z", "name": name,
            "credentialSubject": {"type": ["AchievementSubject"], "id": "did:example:learner",
                                  "achievement": {"id": "urn:uuid:a7", "type": ["Achievement"], "name": name,
                                                  "criteria": {"narrative": "Build a site."}}}}


def signed_badge(issuer: str, method: str, key=ISSUER_KEY) -> bytes:
    return json.dumps(data_integrity.sign(badge(issuer), key, method, cryptosuite="eddsa-jcs-2022")).encode()


def sd_token(iss: str, key, *, kid: str | None = None, header=None, hash_alg="sha-256", holder=None) -> str:
    claims = {"vct": "urn:eudi:pid:1", "iss": iss, "given_name": "Erika", "family_name": "Mustermann",
              "birthdate": "1963-08-12"}
    return sd_jwt_vc.issue_sd_jwt_vc(claims, key, kid=kid, disclosable=("given_name", "family_name", "birthdate"),
                                     header=header, hash_alg=hash_alg, holder_public_key=holder,
                                     issued_at=NOW - timedelta(days=1))


def jwks(*keys, kids=("k1",)) -> dict:
    return {"keys": [jose.public_jwk(k.public_key()) | {"kid": kid, "use": "sig"} for k, kid in zip(keys, kids)]}


# ---- X.509 -------------------------------------------------------------------------------------

def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def certificate(subject: str, key, issuer: str, issuer_key, *, ca: bool, san=None, days=(-1, 30)):
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW + timedelta(days=days[0])).not_valid_after(NOW + timedelta(days=days[1]))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                              critical=False)
               .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=False,
                                            key_encipherment=False, data_encipherment=False, key_agreement=False,
                                            key_cert_sign=ca, crl_sign=ca, encipher_only=False,
                                            decipher_only=False), critical=True))
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


class Authority:
    """A root CA and an intermediate, which certify issuers' leaf certificates."""

    def __init__(self, name: str = "Test PID Root"):
        self.root_key, self.mid_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
        self.root = certificate(name, self.root_key, name, self.root_key, ca=True, days=(-10, 3650))
        self.mid = certificate(f"{name} Issuing CA", self.mid_key, name, self.root_key, ca=True, days=(-10, 1000))

    def pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    def leaf(self, key, *, dns=None, uri=None, days=(-1, 30)) -> x509.Certificate:
        san = ([x509.DNSName(dns)] if dns else []) + ([x509.UniformResourceIdentifier(uri)] if uri else [])
        return certificate("PID Provider", key, self.mid.subject.rfc4514_string().removeprefix("CN="), self.mid_key,
                           ca=False, san=san, days=days)

    def x5c(self, leaf) -> list[str]:
        return [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in (leaf, self.mid)]
