"""SD-JWT VC issuers identified by an https URL publish their keys as JWT VC Issuer
Metadata (draft-ietf-oauth-sd-jwt-vc, "JWT VC Issuer Metadata"): for ``iss``
``https://issuer.example/tenant`` it is at
``https://issuer.example/.well-known/jwt-vc-issuer/tenant``, a JSON object whose
``issuer`` is exactly ``iss`` and which holds the keys (``jwks``) or says where they are
(``jwks_uri``, fetched from the same host only). The issuer JWT's ``kid`` picks the key.

What the vault keeps (and checks here, fetched or not) always has ``jwks`` inline: a
fetched ``jwks_uri`` is folded in, so one saved copy verifies offline.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..keys import ALLOW_NETWORK, DocumentLookup, public_key_from_jwk
from ..verdict import CredentialFailure, Reason

WELL_KNOWN = "/.well-known/jwt-vc-issuer"
MAX_KEYS = 32


def metadata_url(iss: str) -> str:
    """Where the issuer ``iss`` (an https URL) publishes its metadata; ValueError if
    ``iss`` is not such a URL."""
    parts = urlsplit(iss)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment \
            or parts.username is not None or "@" in parts.netloc:
        raise ValueError(f"{iss[:120]} is not an https issuer identifier")
    return urlunsplit(("https", parts.netloc, WELL_KNOWN + parts.path.rstrip("/"), "", ""))


def same_host(url: str, iss: str) -> bool:
    try:
        one, two = urlsplit(url), urlsplit(iss)
        return (one.scheme == "https" and one.username is None and one.hostname is not None
                and (one.hostname, one.port or 443) == (two.hostname, two.port or 443))
    except ValueError:
        return False


def check_jwks(jwks: Any, where: str) -> dict:
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise ValueError(f"{where} is not a JWK set (an object with 'keys')")
    keys = jwks["keys"]
    if not keys or len(keys) > MAX_KEYS or not all(isinstance(k, dict) and isinstance(k.get("kty"), str)
                                                    for k in keys):
        raise ValueError(f"{where} holds no keys, too many, or something that is not a JWK")
    return jwks


def check_metadata(metadata: Any, iss: str, *, inline: bool = True) -> dict:
    """``metadata`` if it is the metadata of ``iss`` (with ``jwks`` inline, unless
    ``inline`` is False: then ``jwks_uri`` on the same host is accepted); ValueError."""
    if not isinstance(metadata, dict):
        raise ValueError("the issuer metadata is not a JSON object")
    if metadata.get("issuer") != iss:
        raise ValueError(f"it is the metadata of {str(metadata.get('issuer'))[:120]}, not of {iss[:120]}")
    if ("jwks" in metadata) == ("jwks_uri" in metadata):
        raise ValueError("it must hold either 'jwks' or 'jwks_uri', and not both")
    if "jwks_uri" in metadata:
        uri = metadata["jwks_uri"]
        if inline or not isinstance(uri, str) or not same_host(uri, iss):
            raise ValueError("its 'jwks_uri' is not an https address on the issuer's own host"
                             if not inline else "its keys are not included ('jwks')")
        return metadata
    check_jwks(metadata["jwks"], "its 'jwks'")
    return metadata


def issuer_key(iss: str, kid: str | None, documents: DocumentLookup | None) -> tuple[Any, str]:
    """(public key, key id) of the issuer ``iss`` for a JWT whose header names ``kid``."""
    try:
        url = metadata_url(iss)
    except ValueError as exc:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The SD-JWT's issuer {exc}.") from None
    fetch = getattr(documents, "issuer_metadata", None)     # the lookup that may go online
    metadata = fetch(iss) if fetch else documents(url) if documents else None
    if metadata is None:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The keys of the issuer {iss[:120]} (its metadata at "
                                f"{url[:200]}) are not in your vault: {ALLOW_NETWORK}, or add its metadata "
                                "with `vault key cache FILE`.")
    try:
        keys = check_metadata(metadata, iss)["jwks"]["keys"]
    except ValueError as exc:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The metadata of the issuer {iss[:120]} is not used: "
                                f"{exc}.") from None
    signing = [k for k in keys if k.get("use", "sig") == "sig"]
    chosen = [k for k in signing if k.get("kid") == kid] if kid is not None else signing
    if len(chosen) != 1:
        named = f" with the id {kid[:60]!r}" if kid is not None else ""
        which = f"no signing key{named}" if not chosen else f"{len(chosen)} signing keys{named}" + (
            "" if kid is not None else ", and the SD-JWT does not say which one ('kid')")
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The issuer {iss[:120]} publishes {which}.")
    return public_key_from_jwk(chosen[0]), f"{url}#{kid}" if kid is not None else url
