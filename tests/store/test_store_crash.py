"""Crash safety: SIGKILL at random points of a burst of writes, and during a passphrase
change, never loses a committed record, never leaves a vault that neither passphrase
opens, and leaves no stale file behind after the next unlock.

Each scenario runs in a forked child (no interpreter start-up per run) that reports to
the parent through a pipe; a report is sent only AFTER the operation it names returned.
Randomness is seeded: a failure message names the run, so it reproduces.
"""

from __future__ import annotations

import functools
import hashlib
import os
import random
import signal
import time

import pytest

import vault.store.vault_store as vault_store_module
from vault.errors import WrongPassphrase
from vault.store import VaultStore, database
from vault.store.header import HEADER_NAME

PASSPHRASE = "correct horse battery staple"  # the conftest's ``passphrase`` fixture value
BASELINE = {f"base{i:03d}": f"baseline value {i} " * 8 for i in range(60)}


def value_for(name: str) -> str:
    """Deterministic content of a record, 100 B to 5 KB (the largest spill onto overflow pages)."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    return (digest * 80)[:100 + int(digest[:4], 16) % 4900]


def write_baseline(store: VaultStore) -> None:
    with store.transaction() as conn:
        conn.executemany("INSERT INTO settings(name, value) VALUES (?, ?)", BASELINE.items())


def assert_intact(store: VaultStore) -> dict[str, str]:
    # unlock() already ran cipher_integrity_check (every page's HMAC) and quick_check;
    # the full integrity_check adds index and constraint checks.
    assert store.query("PRAGMA integrity_check") == [("ok",)]
    rows = dict(store.query("SELECT name, value FROM settings"))
    assert {k: rows.get(k) for k in BASELINE} == BASELINE
    return rows


def assert_clean_folder(folder, store: VaultStore, *, open_: bool) -> None:
    """Only the current header and database generation (plus its WAL files while open)."""
    current = store.header.database_name
    allowed = {HEADER_NAME, current} | ({current + "-wal", current + "-shm"} if open_ else set())
    names = {p.name for p in folder.iterdir()}
    assert names <= allowed and {HEADER_NAME, current} <= names, sorted(names)


# ---- a burst of writes ----------------------------------------------------------------------

N_RUNS = 50
SEED = 20240611


def writer(folder, run: int, seed: int, small_wal: bool, report) -> None:
    """The child: unlock, then commit transactions of 1-4 records until killed."""
    store = VaultStore(folder)
    store.unlock(PASSPHRASE)
    if small_wal:  # checkpoint every 16 pages, so kills also land inside checkpoints
        store.query("PRAGMA wal_autocheckpoint = 16")
    report("ready")
    rng = random.Random(seed)
    for txn in range(1_000_000):
        size = rng.randint(1, 4)
        names = [f"r{run:02d}.{txn:05d}.{j}/{size}" for j in range(size)]
        with store.transaction() as conn:
            for name in names:
                conn.execute("INSERT INTO settings(name, value) VALUES (?, ?)", (name, value_for(name)))
        report(f"committed {txn} {size}")  # only after COMMIT returned


def check_after_kill(store: VaultStore, reported: dict[str, str], run: int) -> None:
    rows = assert_intact(store)
    missing = [name for name in reported if rows.get(name) != reported[name]]
    assert not missing, f"run {run}: committed records lost or changed: {missing[:5]}"
    # Nothing but whole transactions with the right content: no torn or garbled commit.
    transactions: dict[str, list[str]] = {}
    for name, value in rows.items():
        if name.startswith("r"):
            assert value == value_for(name), f"run {run}: {name} holds other content"
            transactions.setdefault(name.rsplit(".", 1)[0], []).append(name)
    for txn, names in transactions.items():
        size = int(names[0].rsplit("/", 1)[1])
        assert len(names) == size, f"run {run}: transaction {txn} is torn: {sorted(names)}"


def test_sigkill_during_a_burst_of_writes_keeps_every_commit(new_store, vault_dir, reopen,
                                                           fork_child):
    store = new_store(vault_dir, PASSPHRASE)
    write_baseline(store)
    store.lock()
    rng = random.Random(SEED)
    reported: dict[str, str] = {}  # every record any child reported committed, all runs
    commits = 0
    for run in range(N_RUNS):
        child = fork_child(functools.partial(writer, vault_dir, run, rng.randrange(2**32), run % 2 == 1))
        if run % 10 == 9:  # now and then, kill while it unlocks (WAL recovery, integrity check)
            child.kill_after(rng.uniform(0.0, 0.01))
        else:
            # Now and then the timer starts at the first commit, so kills land mid-burst
            # however slow (loaded) the machine is; otherwise at "ready".
            child.wait_for("committed " if run % 10 == 4 else "ready")
            child.kill_after(rng.uniform(0.0, 0.05))
        assert child.killed, f"run {run}: child ended with status {child.status}: {child.errors()}"
        for message in child.messages:
            if message.startswith("committed "):
                _, txn, size = message.split()
                for j in range(int(size)):
                    name = f"r{run:02d}.{int(txn):05d}.{j}/{size}"
                    reported[name] = value_for(name)
                commits += 1
        after = reopen(vault_dir, PASSPHRASE)  # must open, with the right passphrase, every time
        try:
            check_after_kill(after, reported, run)
            assert_clean_folder(vault_dir, after, open_=True)
        finally:
            after.lock()
    # What the test means: kills came while commits were being made (how many fit in the
    # kill windows depends on the machine's load, so no count is asserted).
    assert commits > 0, f"no commit in {N_RUNS} runs: the kills hit nothing"
    final = reopen(vault_dir, PASSPHRASE)
    check_after_kill(final, reported, N_RUNS)
    final.lock()


# ---- killed during a passphrase change, at each named step --------------------------------

NEW_PASSPHRASE = "a brand new passphrase, longer"


def change_in_child(folder, current: str, new: str, kill_at: str | None, report, on_step=None) -> None:
    store = VaultStore(folder)
    store.unlock(current)

    def hook(step: str) -> None:
        report("step " + step)
        if step == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        if on_step is not None:
            on_step(step)

    vault_store_module._checkpoint = hook  # in the child only
    report("ready")
    store.change_passphrase(current, new)
    report("done")


def expect_only(folder, opens: str, refused: str, reopen) -> VaultStore:
    with pytest.raises(WrongPassphrase):
        VaultStore(folder).unlock(refused)
    return reopen(folder, opens)


@pytest.mark.parametrize("step, survivor", [
    ("exported", "old"), ("before-header", "old"), ("after-header", "new")])
def test_killed_at_a_step_of_change_passphrase(new_store, vault_dir, reopen, fork_child,
                                               vault_files, step, survivor):
    store = new_store(vault_dir, PASSPHRASE)
    write_baseline(store)
    store.lock()
    child = fork_child(functools.partial(change_in_child, vault_dir, PASSPHRASE, NEW_PASSPHRASE, step))
    child.wait()
    assert child.killed and not child.errors(), (child.status, child.messages)
    assert child.messages[-1] == "step " + step
    assert "vault-2.db" in vault_files(vault_dir)  # the new generation was written
    if survivor == "new":
        assert "vault-1.db" in vault_files(vault_dir)  # and the old one not yet removed
    opens, refused = (PASSPHRASE, NEW_PASSPHRASE) if survivor == "old" else (NEW_PASSPHRASE, PASSPHRASE)
    after = expect_only(vault_dir, opens, refused, reopen)
    assert after.header.generation == (1 if survivor == "old" else 2)
    assert_intact(after)
    assert_clean_folder(vault_dir, after, open_=True)  # leftovers removed by this unlock
    # Fully usable: the interrupted change can simply be made again.
    after.change_passphrase(opens, "third passphrase, after the crash")
    after.lock()
    assert_clean_folder(vault_dir, after, open_=False)
    final = reopen(vault_dir, "third passphrase, after the crash")
    assert_intact(final)
    final.lock()


def test_killed_inside_the_header_write(new_store, vault_dir, reopen, fork_child, vault_files):
    """Killed after the temp header is written and fsynced but before its rename: the old
    header stands, and the next unlock removes the temp file and the unused generation."""
    store = new_store(vault_dir, PASSPHRASE)
    write_baseline(store)
    store.lock()

    def child_body(report):
        def die(src, dst):
            report("replace " + os.path.basename(src))
            os.kill(os.getpid(), signal.SIGKILL)
        def on_step(step):
            if step == "before-header":
                os.replace = die  # in the child only: the header's rename never happens
        change_in_child(vault_dir, PASSPHRASE, NEW_PASSPHRASE, None, report, on_step)

    child = fork_child(child_body)
    child.wait()
    assert child.killed and not child.errors(), (child.status, child.messages)
    assert child.messages[-1].startswith("replace .vault.header.tmp-")
    assert any(name.startswith(".vault.header.tmp-") for name in vault_files(vault_dir))
    after = expect_only(vault_dir, PASSPHRASE, NEW_PASSPHRASE, reopen)
    assert_intact(after)
    assert_clean_folder(vault_dir, after, open_=True)
    after.lock()


def test_uninterrupted_change_passphrase(new_store, vault_dir, reopen, vault_files):
    store = new_store(vault_dir, PASSPHRASE)
    write_baseline(store)
    store.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    assert_intact(store)
    assert_clean_folder(vault_dir, store, open_=True)
    store.lock()
    assert vault_files(vault_dir) == sorted([HEADER_NAME, "vault-2.db"])
    with pytest.raises(WrongPassphrase):  # and a wrong current passphrase changes nothing
        reopen(vault_dir, NEW_PASSPHRASE).change_passphrase(PASSPHRASE, "never set, never set")
    assert vault_files(vault_dir)[-1] == "vault.header"
    after = expect_only(vault_dir, NEW_PASSPHRASE, PASSPHRASE, reopen)
    assert after.header.generation == 2
    after.lock()


# ---- killed at random times during a passphrase change ------------------------------------

N_CHANGE_RUNS = 10


def test_sigkill_at_random_times_during_change_passphrase(new_store, vault_dir, tmp_path, reopen,
                                                         fork_child, monkeypatch):
    # Calibrate on a throwaway vault: when does the export end, when is the change done?
    probe = new_store(tmp_path / "probe", PASSPHRASE)
    marks: dict[str, float] = {}
    real_export = database.export

    def timed_export(*args):
        marks["export"] = time.monotonic()
        return real_export(*args)

    with monkeypatch.context() as patch:  # (not monkeypatch.undo(): that would undo memo_kdf)
        patch.setattr(vault_store_module, "_checkpoint", lambda step: marks.setdefault(step, time.monotonic()))
        patch.setattr(database, "export", timed_export)
        start = time.monotonic()
        probe.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
        total = time.monotonic() - start
    export_start = marks["export"] - start  # before it: mostly the new key's Argon2id

    store = new_store(vault_dir, PASSPHRASE)
    write_baseline(store)
    store.lock()
    rng = random.Random(SEED + 1)
    current = PASSPHRASE
    for run in range(N_CHANGE_RUNS):
        new = f"passphrase number {run} after {current[:6]}"
        child = fork_child(functools.partial(change_in_child, vault_dir, current, new, None))
        child.wait_for("ready")
        # Mostly in the file work (export .. check .. header swap .. reopen), some anywhere.
        if run % 3 == 0:
            child.kill_after(rng.uniform(0.0, 1.1 * total))
        else:
            child.kill_after(rng.uniform(0.95 * export_start, 1.05 * total))
        assert not child.errors(), child.errors()
        steps = {m.split()[1] for m in child.messages if m.startswith("step ")}
        finished = "done" in child.messages
        if finished or "after-header" in steps:
            survivor = "new"
        elif "before-header" not in steps:
            survivor = "old"
        else:  # killed in the header write itself: exactly one of the two opens
            survivor = "old" if VaultStore(vault_dir).check_passphrase(current) else "new"
        opens, refused = (current, new) if survivor == "old" else (new, current)
        after = expect_only(vault_dir, opens, refused, reopen)
        try:
            assert_intact(after)
            assert_clean_folder(vault_dir, after, open_=True)
        finally:
            after.lock()
        assert_clean_folder(vault_dir, after, open_=False)
        current = opens
