"""What the command line guarantees about a damaged or tampered vault database, now that
its commands open the vault without the full-file check (docs/security.md):

* a read authenticates every page it reads (SQLCipher's HMAC): a tampered page the
  command needs is an error saying the vault is damaged, never other data;
* a write (and a backup) runs the full check first: nothing is written to a damaged file;
* `vault check` authenticates every page: a tampered page no command reads is found.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from vault.store import VaultStore

PAGE = 4096   # SQLCipher 4
OB30 = Path(__file__).parent / "fixtures" / "credentials" / "ob30"


@pytest.fixture
def vault(cli):
    for name in ("complete.json", "endorsement-valid.json", "credential-status-revoked.json"):
        assert cli("credential", "import", OB30 / name)[0] in (0, 1)   # kept even when unverifiable
    code, out, _ = cli("credential", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 3
    folder = Path(cli.tmp) / "home"
    store = VaultStore(folder)
    store.unlock(PASSPHRASE)
    # the list reads the covering index credentials_list, not the rows
    root = store.query_one("SELECT rootpage FROM sqlite_master WHERE name = 'credentials_list'")[0]
    unread = store.query_one("SELECT rootpage FROM sqlite_master WHERE name = 'credentials_fts_idx'")[0]
    store.lock()   # checkpoints the WAL: every page is in the main file
    cli.db = folder / store.header.database_name
    cli.listing = out
    cli.credentials_root, cli.unread = root, unread
    return cli


def _flip(path: Path, page: int, offset: int = 300) -> bytes:
    data = bytearray(path.read_bytes())
    data[(page - 1) * PAGE + offset] ^= 0x10
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_tampered_page_the_list_reads_is_an_error_not_data(vault):
    damaged = _flip(vault.db, vault.credentials_root)
    code, out, err = vault("credential", "list", "--json")
    assert code == 1 and out == ""
    assert "damaged" in err and "Restore it from a backup" in err and "bug" not in err
    assert vault.db.read_bytes() == damaged      # the evidence is left as it was


def test_a_tampered_page_no_read_touches_is_found_by_check_and_before_a_write(vault):
    """A page of the full-text index: `credential list` without a search does not read it."""
    damaged = _flip(vault.db, vault.unread)
    code, out, _ = vault("credential", "list", "--json")
    assert code == 0 and out == vault.listing     # every page it read was authenticated
    code, out, err = vault("check")
    assert code == 1 and out == "" and "damaged" in err
    first = json.loads(vault.listing)[0]["id"]
    code, out, err = vault("credential", "tag", first[:12], "x")
    assert code == 1 and "damaged" in err
    code, out, err = vault("backup", Path(vault.tmp) / "backup.btvb")
    assert code == 1 and "damaged" in err and not (Path(vault.tmp) / "backup.btvb").exists()
    assert vault.db.read_bytes() == damaged       # nothing was written to it


def test_check_passes_an_intact_vault(vault):
    code, out, err = vault("check", "--json")
    assert code == 0 and json.loads(out)["integrity"] == "ok"
