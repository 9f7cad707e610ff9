import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
HARDHAT_PHRASE = "test test test test test test test test test test test junk"
HARDHAT_ADDRESS_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
PASSPHRASE = "correct horse battery staple"


def vector(name: str):
    return json.loads((FIXTURES / "vectors" / name).read_text())


@pytest.fixture
def identity(tmp_path):
    """A fresh unlocked vault restored from the Hardhat test phrase (fast KDF floor)."""
    from vault.identity import Identity

    ident = Identity.restore(tmp_path / "vault", PASSPHRASE, HARDHAT_PHRASE, kdf_target=0)
    yield ident
    ident.store.lock()
