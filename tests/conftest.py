import json
from pathlib import Path

import pytest

# As in the app: py_ecc's pairing modules are deferred (vault/chain/deferred.py) before any
# test imports eth-account or py-evm, so every test runs them as the app does.
import vault.chain  # noqa: F401,E402

FIXTURES = Path(__file__).parent / "fixtures"
HARDHAT_PHRASE = "test test test test test test test test test test test junk"
HARDHAT_ADDRESS_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
PASSPHRASE = "correct horse battery staple"


def vector(name: str):
    return json.loads((FIXTURES / "vectors" / name).read_text())


@pytest.fixture(scope="session")
def embedded_template(tmp_path_factory) -> Path:
    """An embedded chain database with the suite deployed and the chain tests' user
    (tests/chain/conftest.py USER_ADDRESS) funded; tests copy it (copy_embedded). The
    user holds USER_ETH and USER_BTK, as on anvil: the faucet's welcome grant plus a top-up,
    enough to pass a proposal alone (other accounts get the grant only)."""
    from tests.chain.conftest import USER_ADDRESS, USER_BTK, USER_ETH
    from vault.chain import client
    from vault.chain.demo import faucet_top_up
    from vault.chain.networks import FAUCET_GRANT_BTK, FAUCET_GRANT_ETH

    folder = tmp_path_factory.mktemp("embedded-template")
    with client.connect(None, folder, accounts=[USER_ADDRESS]) as chain:
        faucet_top_up(chain, USER_ADDRESS, btk=USER_BTK - FAUCET_GRANT_BTK, eth=USER_ETH - FAUCET_GRANT_ETH)
    return folder / "chain" / "embedded.sqlite"


@pytest.fixture
def identity(tmp_path):
    """A fresh unlocked vault restored from the Hardhat test phrase (fast KDF floor)."""
    from vault.identity import Identity

    ident = Identity.restore(tmp_path / "vault", PASSPHRASE, HARDHAT_PHRASE, kdf_target=0)
    yield ident
    ident.store.lock()


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    """The `vault` command line in-process on a fresh data folder: run(*args) ->
    (exit code, parsed JSON or text, stderr); the passphrase comes from a file."""
    from vault.cli import main

    monkeypatch.delenv("BLOCKTRACK_VAULT_PASSPHRASE", raising=False)
    monkeypatch.delenv("BLOCKTRACK_VAULT_HOME", raising=False)
    pw = tmp_path / "pw"
    pw.write_text(PASSPHRASE + "\n")
    data = tmp_path / "data"

    def _run(*args, passphrase=True, json_out=True):
        argv = ["--data-dir", str(data)] + list(args)
        if passphrase:
            argv += ["--passphrase-file", str(pw)]
        if json_out:
            argv.append("--json")
        code = main(argv)
        out, err = capsys.readouterr()
        return code, (json.loads(out) if json_out and out.strip() else out), err

    _run.data = data
    _run.tmp = tmp_path
    return _run


@pytest.fixture
def cli(tmp_path, capsys, monkeypatch):
    """The `vault` command line in-process on a new vault (KDF floor; its passphrase from
    the environment): cli(*args) -> (exit code, stdout, stderr); cli.did is its DID."""
    from vault.cli import main

    monkeypatch.setenv("BLOCKTRACK_VAULT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BLOCKTRACK_VAULT_PASSPHRASE", PASSPHRASE)

    def run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    _, out, _ = run("init", "--kdf-seconds", "0", "--json")
    run.did = json.loads(out)["did"]
    run.tmp = tmp_path
    return run


@pytest.fixture
def cli_output(tmp_path, capsys, monkeypatch):
    """The `vault` command line in-process, no vault made yet (its passphrase from the
    environment): cli_output(*args) -> (exit code, parsed JSON or text, stderr)."""
    from vault.cli import main

    monkeypatch.setenv("BLOCKTRACK_VAULT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BLOCKTRACK_VAULT_PASSPHRASE", PASSPHRASE)

    def run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, (json.loads(out) if out.strip().startswith(("{", "[")) else out), err

    run.home = tmp_path / "home"
    run.tmp = tmp_path
    return run
