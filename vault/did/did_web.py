"""did:web (W3C CCG did:web method): where a did:web's document is published. Nothing is
fetched here; the vault fetches only when the user allowed network use
(vault.credentials.webkeys).

``did:web:example.com`` -> ``https://example.com/.well-known/did.json``;
``did:web:example.com%3A8443:users:alice`` -> ``https://example.com:8443/users/alice/did.json``.
The identifier comes from untrusted data, so anything that would make the URL mean
something else (a user name, a query, ``..``, an encoded slash) is refused.
"""

from __future__ import annotations

import re

from ..errors import InvalidDid

_HOST = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")
_SEGMENT = re.compile(r"([A-Za-z0-9._~!$&'()*+,;=@-]|%[0-9A-Fa-f]{2})+")


def document_url(did: str) -> str:
    """The https URL of ``did``'s DID document, or InvalidDid saying why there is none."""
    if not isinstance(did, str) or not did.startswith("did:web:"):
        raise InvalidDid(f"{str(did)[:100]!r} is not a did:web.")
    parts = did[len("did:web:"):].split(":")
    host, path = parts[0], parts[1:]
    name, _, port = host.lower().partition("%3a")
    if not _HOST.fullmatch(name) or len(name) > 253:
        raise InvalidDid(f"{did[:100]} does not name a web host.")
    if port and not (port.isdigit() and 0 < int(port) < 65536 and port == str(int(port))):
        raise InvalidDid(f"{did[:100]} names the port {port[:10]!r}, which is not a port number.")
    for segment in path:
        if (not _SEGMENT.fullmatch(segment) or segment in (".", "..")
                or re.search(r"%(2f|5c|2e|00)", segment, re.IGNORECASE)):
            raise InvalidDid(f"{did[:100]} has a path part {segment[:40]!r} that is not a plain name.")
    authority = f"{name}:{port}" if port else name
    return f"https://{authority}/{'/'.join(path) if path else '.well-known'}/did.json"
