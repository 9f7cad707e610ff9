"""The one place credentials code touches the network: fetching a status list when online.

Offline is the normal case; a failure here only means the cached copy is used.
"""

from __future__ import annotations

import urllib.request

MAX_BYTES = 4 * 1024 * 1024
TIMEOUT_SECONDS = 5


def fetch(url: str) -> bytes | None:
    if not url.startswith(("https://", "http://")):
        return None
    request = urllib.request.Request(url, headers={"Accept": "application/vc+ld+json, application/json, */*"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (scheme checked)
            data = response.read(MAX_BYTES + 1)
    except (OSError, ValueError):
        return None
    return data if len(data) <= MAX_BYTES else None
