"""A holder vault (the root conftest's ``identity``) with credentials issued to its did:key
by a test issuer: Data Integrity (both suites), VC-JWT and SD-JWT VC bound to the holder's key."""

import pytest

from vault.credentials.service import CredentialService
from vault.presentations.service import PresentationService
from vp_fixtures import Wallet, di_credential, jwt_credential, sd_jwt_credential


@pytest.fixture
def wallet(identity) -> Wallet:
    credentials = CredentialService(identity.store)
    return Wallet(identity, credentials, PresentationService(identity, credentials), identity.default_did().did)


@pytest.fixture
def stored(wallet) -> dict[str, str]:
    """Credential ids by kind, all issued to the holder's did:key."""
    return {
        "di": wallet.store(di_credential(wallet.holder)),
        "di-jcs": wallet.store(di_credential(wallet.holder, "eddsa-jcs-2022", name="Databases")),
        "jwt": wallet.store(jwt_credential(wallet.holder)),
        "sd": wallet.store(sd_jwt_credential(wallet.holder, wallet.holder_key.public_key())),
    }
