"""Property-based: whatever bytes sit where the header (or a backup) should be, the answer
is CorruptVault; never another exception, never WrongPassphrase, never an open vault.
(A crafted header whose checksum was recomputed may also say WrongPassphrase: see below.)"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile

import pytest
import rfc8785
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vault.errors import CorruptVault, WrongPassphrase
from vault.store import VaultStore
from vault.store.header import HEADER_NAME, Header

PASSPHRASE = "correct horse battery staple"
OTHER = "not the passphrase at all"
# database=None: no example database is saved; derandomize: the same examples every run.
FUZZ = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A locked vault and a backup of it, made once for the module."""
    root = tmp_path_factory.mktemp("fuzz")
    store = VaultStore.create(root / "vault", PASSPHRASE, kdf_target=0)
    store.set_setting("a", "b")
    backup = store.backup(root / "backup.zip")
    store.lock()
    return root / "vault", backup


def assert_corrupt_header(folder, data: bytes) -> None:
    (folder / HEADER_NAME).write_bytes(data)
    for attempt in (PASSPHRASE, OTHER):
        store = VaultStore(folder)
        with pytest.raises(CorruptVault):
            store.unlock(attempt)
        assert not store.is_unlocked


@FUZZ
@given(data=st.binary(max_size=4096))
@example(data=b"")
@example(data=b"[" * 100_000)            # deep nesting: RecursionError inside json.loads
@example(data=b'{"a":' * 50_000)
@example(data=b"null")
@example(data=b'{"checksum": 5}')
@example(data=b'{"checksum": "\xc3\xa9"}')  # non-ASCII checksum: compare_digest TypeError
@example(data=b'{"checksum": "00", "x": NaN}')
@example(data=b"\xff\xfe{\x00}\x00")
def test_random_bytes_as_header_are_corrupt(template, data):
    folder, _ = template
    assert_corrupt_header(folder, data)


def with_checksum(body: dict) -> bytes:
    """The header a crafted file would hold: edited, then re-checksummed (the checksum
    is plain SHA-256, not a MAC). A value JSON canonicalisation refuses (an integer past
    2**53) cannot be checksummed: it gets a bogus checksum, and must be corrupt anyway."""
    body = dict(body)
    body.pop("checksum", None)
    try:
        body["checksum"] = hashlib.sha256(rfc8785.dumps(body)).hexdigest()
    except rfc8785.CanonicalizationError:
        body["checksum"] = "0" * 64
    return json.dumps(body).encode()


JUNK = st.one_of(st.none(), st.booleans(), st.text(max_size=20), st.lists(st.integers(), max_size=3),
                 st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
                 st.integers(max_value=0), st.integers(min_value=2**30, max_value=2**80),
                 st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: f != int(f)))


@FUZZ
@given(path=st.sampled_from([("format",), ("version",), ("kdf",), ("kdf", "algorithm"),
                             ("kdf", "memory_kib"), ("kdf", "iterations"), ("kdf", "lanes"),
                             ("kdf", "salt"), ("key_check",), ("generation",), ("created",)]),
       value=JUNK, drop=st.booleans())
@example(path=("kdf", "memory_kib"), value=2**32, drop=False)  # Argon2's field overflows
@example(path=("kdf", "memory_kib"), value=2**31, drop=False)  # 2 TiB: must not be tried
@example(path=("kdf", "iterations"), value=10**6, drop=False)
def test_crafted_header_with_bad_fields_never_misbehaves(template, path, value, drop):
    """Past the checksum (recomputed, as a crafted file would): a field missing, or of the
    wrong type or range. The only answers are CorruptVault or WrongPassphrase (a header
    with its checksum redone cannot be told from another vault's) — never TypeError,
    OverflowError, a huge Argon2 allocation — and the vault never opens with KDF
    parameters or a key check other than its own. (``created`` and ``generation`` are
    not checked beyond int()/str(): an edit there that still opens is harmless.)"""
    folder, backup = template
    with zipfile.ZipFile(backup) as zf:
        original = zf.read("vault.header")
    body = json.loads(original)
    target = body
    for key in path[:-1]:
        target = target[key]
    if drop:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    (folder / HEADER_NAME).write_bytes(with_checksum(body))
    for attempt in (PASSPHRASE, OTHER):
        store = VaultStore(folder)
        try:
            store.unlock(attempt)
        except (CorruptVault, WrongPassphrase):
            assert not store.is_unlocked
            continue
        try:
            assert attempt == PASSPHRASE
            assert path[0] in ("created", "generation", "version") and not drop, path
            assert store.header.kdf == Header.from_bytes(original).kdf
            assert store.query("SELECT name, value FROM settings") == [("a", "b")]
        finally:
            store.lock()
    if drop or path[0] in ("format", "key_check"):  # these are checked for what they are
        assert_corrupt_header(folder, with_checksum(body))


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(min_value=0), st.binary(min_size=0, max_size=8),
                                st.integers(min_value=0, max_value=8)), min_size=1, max_size=4))
def test_edited_backup_never_restores_other_data(template, tmp_path_factory, edits):
    """Random splices into a real backup: CorruptVault with the folder left empty, or (an
    edit zip ignores) a restore with the original content. Never anything else."""
    _, backup = template
    data = bytearray(backup.read_bytes())
    for position, insert, delete in edits:
        position %= len(data) + 1
        data[position:position + delete] = insert
    damaged = tmp_path_factory.mktemp("edited") / "b.zip"
    damaged.write_bytes(bytes(data))
    target = damaged.parent / "target"
    try:
        restored = VaultStore.restore_backup(damaged, target, PASSPHRASE)
    except CorruptVault:
        assert not target.exists() or list(target.iterdir()) == []
        return
    try:
        assert restored.query("SELECT name, value FROM settings") == [("a", "b")]
    finally:
        restored.lock()
        shutil.rmtree(target)


@FUZZ
@given(data=st.binary(max_size=2048))
@example(data=b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
def test_random_bytes_as_backup_are_corrupt(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("randbackup")
    (folder / "b.zip").write_bytes(data)
    with pytest.raises(CorruptVault):
        VaultStore.restore_backup(folder / "b.zip", folder / "target", PASSPHRASE)
    assert not (folder / "target").exists()
