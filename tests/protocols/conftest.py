"""Protocol tests: real counterparts (tests/node) on 127.0.0.1; the vault is allowed to
reach loopback explicitly (NetworkUse(allow_private=True)), as a user allows an intranet."""

import sys
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from peer import Peer  # noqa: E402


@pytest.fixture(scope="session")
def oid4vci_issuer():
    """The OpenID4VCI 1.0 issuer (oid4vc-ts) on 127.0.0.1, one for the session."""
    peer = Peer("oid4vci_issuer.mjs")
    yield peer
    peer.stop()


@pytest.fixture
def loopback():
    from vault.net.fetch import NetworkUse
    return NetworkUse(allow_private=True, timeout=10)
