"""The fixed tables of CBOR-LD: keyword ids, the registry of compressed strings, URL
scheme codes and cryptosuite codes.

Hand-written because they are data of the format, not code: no CBOR-LD package runs on
Python 3.11 (PyPI ``cborld`` needs 3.12). Copied from ``@digitalbazaar/cborld`` 8.1.0
``lib/tables.js`` (and, for what older releases wrote, 6.0.3 and 4.3.x, noted below);
the CBOR-LD spec's term codec registry lists the same values.
"""

from __future__ import annotations

# JSON-LD keywords have fixed even ids; a term's id + 1 means "its value is an array".
KEYWORDS: dict[str, int] = {
    "@context": 0, "@type": 2, "@id": 4, "@value": 6, "@direction": 8, "@graph": 10,
    "@included": 12, "@index": 14, "@json": 16, "@language": 18, "@list": 20, "@nest": 22,
    "@reverse": 24, "@base": 26, "@container": 28, "@default": 30, "@embed": 32,
    "@explicit": 34, "@none": 36, "@omitDefault": 38, "@prefix": 40, "@preserve": 42,
    "@protected": 44, "@requireAll": 46, "@set": 48, "@version": 50, "@vocab": 52,
    "@propagate": 54,
}
FIRST_TERM_ID = 100          # the terms of the contexts, in load order, from here in steps of 2

# The legacy registry (tag 0x0501): contexts, and URL or plain values equal to one of them.
STRINGS: dict[int, str] = {
    16: "https://www.w3.org/ns/activitystreams",
    17: "https://www.w3.org/2018/credentials/v1",
    18: "https://www.w3.org/ns/did/v1",
    19: "https://w3id.org/security/suites/ed25519-2018/v1",
    20: "https://w3id.org/security/suites/ed25519-2020/v1",
    21: "https://w3id.org/cit/v1",
    22: "https://w3id.org/age/v1",
    23: "https://w3id.org/security/suites/x25519-2020/v1",
    24: "https://w3id.org/veres-one/v1",
    25: "https://w3id.org/webkms/v1",
    26: "https://w3id.org/zcap/v1",
    27: "https://w3id.org/security/suites/hmac-2019/v1",
    28: "https://w3id.org/security/suites/aes-2019/v1",
    29: "https://w3id.org/vaccination/v1",
    30: "https://w3id.org/vc-revocation-list-2020/v1",
    31: "https://w3id.org/dcc/v1",
    32: "https://w3id.org/vc/status-list/v1",
    33: "https://www.w3.org/ns/credentials/v2",
    48: "https://w3id.org/security/data-integrity/v1",
    49: "https://w3id.org/security/multikey/v1",
    50: "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    51: "https://w3id.org/security/data-integrity/v2",
}

# Compressed URLs are arrays whose first element says how the rest is written.
HTTP, HTTPS, UUID_URN, DATA, DID_V1_NYM, DID_KEY = 1, 2, 3, 4, 1024, 1025
SCHEMES: dict[int, str] = {HTTP: "http://", HTTPS: "https://", UUID_URN: "urn:uuid:", DATA: "data:",
                           DID_V1_NYM: "did:v1:nym:", DID_KEY: "did:key:"}

CRYPTOSUITE_TYPE = "https://w3id.org/security#cryptosuiteString"
MULTIBASE_TYPE = "https://w3id.org/security#multibase"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"

# cborld 7+ codes; cborld 6 (vpqr 4) wrote the three it knew as 0x34-0x36 of the registry.
CRYPTOSUITES: dict[int, str] = {1: "ecdsa-rdfc-2019", 2: "ecdsa-sd-2023", 3: "eddsa-rdfc-2022",
                                4: "ecdsa-xi-2023"}
CRYPTOSUITES_CBORLD6: dict[int, str] = {52: "ecdsa-rdfc-2019", 53: "ecdsa-sd-2023", 54: "eddsa-rdfc-2022"}

# Which value tables store their codes as byte strings (so a plain integer stays an integer).
BYTES_CODED_LEGACY = frozenset({"none", XSD_DATE, XSD_DATETIME})
BYTES_CODED = BYTES_CODED_LEGACY | {"url"}


def legacy_tables() -> dict[str, dict[int, str]]:
    """The value tables of the legacy format (tag 0x0501)."""
    return {"context": STRINGS, "url": STRINGS, "none": STRINGS,
            CRYPTOSUITE_TYPE: {**CRYPTOSUITES, **CRYPTOSUITES_CBORLD6}}


def default_tables() -> dict[str, dict[int, str]]:
    """The value tables of registry entry 1 (CBOR-LD 1.0's default): all empty."""
    return {"context": {}, "url": {}, "none": {}}
