"""A wrong passphrase and a damaged vault are told apart, and never confused.

WrongPassphrase: the header is intact and its key check rejects the derived key.
CorruptVault: the header or the database is damaged, truncated or missing. A damaged
vault must never open "successfully" with other data, whichever passphrase is given.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import replace

import pytest

from vault.errors import CorruptVault, VaultNotFound, WrongPassphrase
from vault.store import VaultStore, database
from vault.store.header import HEADER_NAME, Header
from vault.store.kdf import MAX_ITERATIONS, tune

PAGE = 4096  # SQLCipher 4 page size; the last 80 bytes of each page are IV (16) + HMAC (64)
N_RECORDS = 200


def populate(store: VaultStore, n: int = N_RECORDS) -> dict[str, str]:
    records = {f"k{i:04d}": f"value-{i}-" + "x" * (i % 97) + "-" * 200 for i in range(n)}
    with store.transaction() as conn:
        conn.executemany("INSERT INTO settings(name, value) VALUES (?, ?)", records.items())
    return records


def settings_of(store: VaultStore) -> dict[str, str]:
    return dict(store.query("SELECT name, value FROM settings"))


def unlock_outcome(path, passphrase) -> str:
    """'corrupt', 'wrong' or 'opened' — any other exception fails the test."""
    store = VaultStore(path)
    try:
        store.unlock(passphrase)
    except CorruptVault:
        assert not store.is_unlocked
        return "corrupt"
    except WrongPassphrase:
        assert not store.is_unlocked
        return "wrong"
    store.lock()
    return "opened"


@pytest.fixture
def closed_vault(new_store, vault_dir):
    """A populated vault, locked (so the WAL is checkpointed into the database and gone)."""
    store = new_store()
    records = populate(store)
    store.lock()
    assert sorted(p.name for p in vault_dir.iterdir()) == sorted([HEADER_NAME, "vault-1.db"])
    return vault_dir, records


# ---- passphrases ---------------------------------------------------------------------------

def test_wrong_passphrase_is_wrong_passphrase_and_right_one_opens(closed_vault, passphrase,
                                                                 other_passphrase, reopen):
    folder, records = closed_vault
    for wrong in (other_passphrase, passphrase + " ", passphrase.upper(), ""):
        with pytest.raises(WrongPassphrase):
            VaultStore(folder).unlock(wrong)
    store = reopen(folder, passphrase)
    assert settings_of(store) == records
    assert store.check_passphrase(passphrase) and not store.check_passphrase(other_passphrase)
    store.lock()


# ---- header --------------------------------------------------------------------------------

def test_every_bit_flip_in_the_header_is_corrupt_with_either_passphrase(closed_vault, passphrase,
                                                                       other_passphrase, flip_bit):
    folder, _ = closed_vault
    header_path = folder / HEADER_NAME
    pristine = header_path.read_bytes()
    outcomes = set()
    for position in range(len(pristine)):
        for bit in range(8):
            header_path.write_bytes(flip_bit(pristine, position, bit))
            for attempt in (passphrase, other_passphrase):
                outcome = unlock_outcome(folder, attempt)
                assert outcome == "corrupt", (position, bit, attempt, outcome)
                outcomes.add(outcome)
    assert outcomes == {"corrupt"}
    header_path.write_bytes(pristine)
    assert unlock_outcome(folder, passphrase) == "opened"


@pytest.mark.parametrize("keep", [0, 1, 2, 17, 0.25, 0.5, 0.9, -2])
def test_truncated_header_is_corrupt(closed_vault, passphrase, other_passphrase, keep):
    folder, _ = closed_vault
    header_path = folder / HEADER_NAME
    pristine = header_path.read_bytes()
    length = int(len(pristine) * keep) if isinstance(keep, float) else keep % len(pristine)
    header_path.write_bytes(pristine[:length])
    assert unlock_outcome(folder, passphrase) == "corrupt"
    assert unlock_outcome(folder, other_passphrase) == "corrupt"


def test_header_missing_only_its_final_newline_still_opens(closed_vault, passphrase):
    """The one truncation that loses nothing: JSON does not need the trailing newline."""
    folder, _ = closed_vault
    header_path = folder / HEADER_NAME
    assert header_path.read_bytes().endswith(b"}\n")
    header_path.write_bytes(header_path.read_bytes()[:-1])
    assert unlock_outcome(folder, passphrase) == "opened"


def test_deleted_header_is_corrupt_not_wrong_and_not_missing_vault(closed_vault, passphrase,
                                                                  other_passphrase):
    folder, _ = closed_vault
    (folder / HEADER_NAME).unlink()
    for attempt in (passphrase, other_passphrase):
        store = VaultStore(folder)
        with pytest.raises(CorruptVault) as caught:
            store.unlock(attempt)
        assert not isinstance(caught.value, VaultNotFound)


def test_empty_folder_is_vault_not_found(tmp_path, passphrase):
    with pytest.raises(VaultNotFound):
        VaultStore(tmp_path).unlock(passphrase)


def test_header_of_another_vault_with_same_passphrase_is_corrupt(closed_vault, new_store, tmp_path,
                                                                passphrase):
    folder, _ = closed_vault
    other = new_store(tmp_path / "other")
    other.lock()
    shutil.copyfile(tmp_path / "other" / HEADER_NAME, folder / HEADER_NAME)
    # The key check passes (same passphrase, that header's salt) but the key does not
    # decrypt this database: damage, not a wrong passphrase, and never a silent open.
    assert unlock_outcome(folder, passphrase) == "corrupt"


@pytest.mark.parametrize("memory_kib, iterations, lanes", [
    (1024 * 1024, 200, 4),          # 1 GiB x 200 passes: minutes per unlock attempt
    (128 * 1024, 3, 4), (64 * 1024, 201, 4), (64 * 1024, 1, 4), (64 * 1024, 3, 64)])
def test_header_tampered_to_kdf_parameters_tune_never_picks_is_corrupt_before_argon2(
        closed_vault, passphrase, other_passphrase, memo_kdf, memory_kib, iterations, lanes):
    """The header's checksum is redone (it is not a MAC): without bounds each unlock
    would run the crafted Argon2 and then say "wrong passphrase"."""
    folder, _ = closed_vault
    header = Header.read(folder)
    crafted = replace(header, kdf=replace(header.kdf, memory_kib=memory_kib, iterations=iterations,
                                          lanes=lanes)).to_bytes()
    (folder / HEADER_NAME).write_bytes(crafted)
    derivations = memo_kdf.cache_info()
    with pytest.raises(CorruptVault, match="key-derivation parameters are out of range") as parsed:
        Header.from_bytes(crafted)
    assert f"{memory_kib} KiB, {iterations} iterations and {lanes} lanes" in str(parsed.value)
    for attempt in (passphrase, other_passphrase):
        store = VaultStore(folder)
        with pytest.raises(CorruptVault) as caught:
            store.unlock(attempt)
        assert str(caught.value) == str(parsed.value) and not store.is_unlocked
    assert memo_kdf.cache_info() == derivations      # Argon2 never ran


def test_header_with_the_costliest_parameters_tune_picks_is_accepted(closed_vault):
    folder, _ = closed_vault
    header = Header.read(folder)
    costliest = replace(header, kdf=replace(header.kdf, iterations=MAX_ITERATIONS))
    assert Header.from_bytes(costliest.to_bytes()).kdf == costliest.kdf == replace(
        tune(0), salt=header.kdf.salt, iterations=MAX_ITERATIONS)


# ---- database ------------------------------------------------------------------------------

def database_flip_positions(size: int, rng: random.Random) -> list[int]:
    """Positions inside every page: start, SQLite header bytes, content, IV and HMAC."""
    assert size % PAGE == 0 and size // PAGE >= 10
    positions = list(range(0, 100, 3))  # page 1: SQLCipher salt (0-15), then the encrypted header
    for page in range(size // PAGE):
        base = page * PAGE
        offsets = {0, 1, 8, 15, 16, 100, PAGE // 2, PAGE - 81, PAGE - 80, PAGE - 65,
                   PAGE - 64, PAGE - 1}
        offsets.update(rng.randrange(PAGE - 80) for _ in range(6))  # page content
        positions.extend(base + offset for offset in sorted(offsets))
    return positions


def test_bit_flips_across_database_pages_are_corrupt(closed_vault, passphrase, flip_bit):
    folder, records = closed_vault
    db_path = folder / "vault-1.db"
    pristine = db_path.read_bytes()
    rng = random.Random(0xDB)
    positions = database_flip_positions(len(pristine), rng)
    assert positions[-1] >= len(pristine) - PAGE  # later pages included, not just page 1
    for position in positions:
        db_path.write_bytes(flip_bit(pristine, position, rng.randrange(8)))
        # With the RIGHT passphrase: the key is proven by the header, so this is damage.
        outcome = unlock_outcome(folder, passphrase)
        assert outcome == "corrupt", (position // PAGE, position % PAGE, outcome)
        assert sorted(p.name for p in folder.iterdir()) == sorted([HEADER_NAME, "vault-1.db"])
    db_path.write_bytes(pristine)
    store = VaultStore(folder)
    store.unlock(passphrase)
    assert settings_of(store) == records
    store.lock()


@pytest.mark.parametrize("keep", [0, 1, 100, PAGE - 1, PAGE, PAGE + 100, -PAGE, -PAGE // 2, -1])
def test_truncated_database_is_corrupt(closed_vault, passphrase, keep):
    folder, _ = closed_vault
    db_path = folder / "vault-1.db"
    pristine = db_path.read_bytes()
    length = keep if keep >= 0 else len(pristine) + keep
    db_path.write_bytes(pristine[:length])
    # Length 0 is the sharp case: SQLite treats an empty file as a new, empty database,
    # so without a check the vault would "open" holding nothing.
    assert unlock_outcome(folder, passphrase) == "corrupt"
    assert db_path.stat().st_size == length  # a failed unlock does not rewrite the evidence


def test_deleted_database_is_corrupt(closed_vault, passphrase):
    folder, _ = closed_vault
    (folder / "vault-1.db").unlink()
    assert unlock_outcome(folder, passphrase) == "corrupt"


def test_database_of_another_vault_with_same_passphrase_is_corrupt(closed_vault, new_store,
                                                                  tmp_path, passphrase):
    folder, _ = closed_vault
    other = new_store(tmp_path / "other")
    other.lock()
    shutil.copyfile(tmp_path / "other" / "vault-1.db", folder / "vault-1.db")
    assert unlock_outcome(folder, passphrase) == "corrupt"


def test_wrong_passphrase_on_damaged_database_is_still_wrong_passphrase(closed_vault,
                                                                       other_passphrase, flip_bit):
    """The key check lives in the (intact) header: the database is never tried with a
    key the header rejected, so the answer to a wrong passphrase does not depend on it."""
    folder, _ = closed_vault
    db_path = folder / "vault-1.db"
    db_path.write_bytes(flip_bit(db_path.read_bytes(), 3 * PAGE + 200, 0))
    assert unlock_outcome(folder, other_passphrase) == "wrong"


# ---- WAL -----------------------------------------------------------------------------------

@pytest.fixture
def crashed_vault_with_wal(new_store, vault_dir, reopen, tmp_path, passphrase):
    """A copy of the data folder taken while 30 commits sit in the WAL (as after a crash)."""
    new_store().lock()
    store = reopen(vault_dir, passphrase)
    names = [f"w{i:03d}" for i in range(30)]
    for name in names:  # one transaction each, in order
        store.set_setting(name, f"committed {name} " * 20)
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir(mode=0o700)
    for name in (HEADER_NAME, "vault-1.db", "vault-1.db-wal"):
        shutil.copy2(vault_dir / name, snapshot / name)
    store.lock()
    wal = (snapshot / "vault-1.db-wal").read_bytes()
    assert len(wal) > 30 * PAGE, "the commits must be in the WAL for this test to mean anything"
    return snapshot, names


def test_wal_left_by_a_crash_is_recovered(crashed_vault_with_wal, reopen, passphrase):
    snapshot, names = crashed_vault_with_wal
    store = reopen(snapshot, passphrase)
    assert sorted(settings_of(store)) == names
    store.lock()


def test_bit_flips_in_a_crash_wal_never_give_wrong_data(crashed_vault_with_wal, tmp_path,
                                                       passphrase, flip_bit):
    """A damaged WAL frame fails its checksum, and SQLite then ignores that frame and every
    later one: the vault opens at the last commit before the damage (a documented SQLite
    behaviour; the damaged commits are lost, not garbled). Required here: never
    WrongPassphrase, never an inconsistent database, never data that was not committed."""
    snapshot, names = crashed_vault_with_wal
    wal = (snapshot / "vault-1.db-wal").read_bytes()
    rng = random.Random(0x3A1)
    frame = 24 + PAGE
    positions = list(range(0, 32, 3)) + [32 + rng.randrange(24)]  # WAL header, a frame header
    positions += [32 + i * frame + 24 + rng.randrange(PAGE) for i in rng.sample(range(len(wal) // frame), 25)]
    work = tmp_path / "work"
    for position in positions:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(snapshot, work)
        (work / "vault-1.db-wal").write_bytes(flip_bit(wal, position, rng.randrange(8)))
        store = VaultStore(work)
        try:
            store.unlock(passphrase)
        except CorruptVault:
            continue
        try:
            assert database.integrity_errors(store._conn) == []
            assert store.query("PRAGMA integrity_check") == [("ok",)]
            found = settings_of(store)
            assert sorted(found) == names[:len(found)], position  # a prefix of the commits
            assert all(value == f"committed {name} " * 20 for name, value in found.items())
        finally:
            store.lock()
