"""write_atomic: a reader sees the old file or the new one, never a torn one; no temp
file is left when the write fails; the result is 0600 whatever the umask or old mode."""

from __future__ import annotations

import os
import signal
import stat

import pytest

from vault.store import atomic
from vault.store.atomic import write_atomic


def listing(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_new_file_has_content_and_mode_0600(tmp_path):
    old = os.umask(0)
    try:
        write_atomic(tmp_path / "f", b"content")
    finally:
        os.umask(old)
    assert (tmp_path / "f").read_bytes() == b"content"
    assert stat.S_IMODE((tmp_path / "f").stat().st_mode) == 0o600
    assert listing(tmp_path) == ["f"]


def test_replacing_a_world_readable_file_makes_it_0600(tmp_path):
    target = tmp_path / "f"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("failing", ["replace", "fsync", "fchmod"])
def test_failure_before_the_rename_keeps_old_content_and_leaves_no_temp(tmp_path, monkeypatch, failing):
    target = tmp_path / "f"
    write_atomic(target, b"old content")

    def boom(*args, **kwargs):
        raise OSError(f"simulated failure in os.{failing}")

    with monkeypatch.context() as patch:
        patch.setattr(atomic.os, failing, boom)
        with pytest.raises(OSError, match="simulated"):
            write_atomic(target, b"new content that must not appear")
    assert target.read_bytes() == b"old content"
    assert listing(tmp_path) == ["f"]


def test_failure_on_a_new_file_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("simulated")))
    with pytest.raises(OSError):
        write_atomic(tmp_path / "f", b"data")
    assert listing(tmp_path) == []


def test_stale_temp_file_is_neither_reused_nor_touched(tmp_path):
    stale = tmp_path / f".f.tmp-{os.getpid()}"
    stale.write_bytes(b"x" * 1000)
    write_atomic(tmp_path / "f", b"short")
    assert (tmp_path / "f").read_bytes() == b"short"
    assert stale.read_bytes() == b"x" * 1000
    assert listing(tmp_path) == sorted(["f", stale.name])


def plant_symlinks(folder, name, victim) -> list:
    """An attacker's symlinks to ``victim`` at the temp names a writer in this process
    would have used before (name + pid), for the header's and the backup's temp files."""
    planted = [folder / f".{name}.tmp-{os.getpid()}", folder / f".{name}.partial-{os.getpid()}"]
    for link in planted:
        link.symlink_to(victim)
    return planted


def test_symlink_at_a_guessable_temp_name_is_not_followed(tmp_path):
    """A local attacker plants symlinks where the temp file would go, to make the write
    land in (or truncate) a file of theirs choosing: it must stay as it was."""
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    folder = tmp_path / "data"
    folder.mkdir()
    planted = plant_symlinks(folder, "f", victim)
    write_atomic(folder / "f", b"new content")
    assert victim.read_bytes() == b"precious"
    assert (folder / "f").read_bytes() == b"new content" and not (folder / "f").is_symlink()
    assert stat.S_IMODE((folder / "f").stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == sorted(["f", *(p.name for p in planted)])
    assert all(p.is_symlink() and os.readlink(p) == str(victim) for p in planted)


def test_symlink_as_the_target_is_replaced_not_written_through(tmp_path):
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    (tmp_path / "f").symlink_to(victim)
    write_atomic(tmp_path / "f", b"new content")
    assert victim.read_bytes() == b"precious"
    assert not (tmp_path / "f").is_symlink() and (tmp_path / "f").read_bytes() == b"new content"


def test_process_killed_before_the_rename_keeps_old_content(tmp_path, fork_child):
    """A real death (SIGKILL, no exception handler runs) just before the rename."""
    target = tmp_path / "f"
    write_atomic(target, b"old content")

    def child(report):
        def die(src, dst):
            report("replace")
            os.kill(os.getpid(), signal.SIGKILL)
        os.replace = die  # in the child only
        write_atomic(target, b"new content")

    proc = fork_child(child)
    proc.wait()
    assert proc.killed and proc.messages == ["replace"]
    assert target.read_bytes() == b"old content"
    # The temp file stays (nothing ran to remove it): complete, private, and ignored.
    leftovers = [p for p in tmp_path.iterdir() if p.name != "f"]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(".f.tmp-")
    assert leftovers[0].read_bytes() == b"new content"
    assert stat.S_IMODE(leftovers[0].stat().st_mode) == 0o600


def test_process_killed_after_the_rename_has_new_content(tmp_path, fork_child):
    target = tmp_path / "f"
    write_atomic(target, b"old content")

    def child(report):
        real_fsync_dir = atomic.fsync_dir

        def die_after_rename(path):
            real_fsync_dir(path)
            os.kill(os.getpid(), signal.SIGKILL)
        atomic.fsync_dir = die_after_rename  # in the child only
        write_atomic(target, b"new content")

    proc = fork_child(child)
    proc.wait()
    assert proc.killed
    assert target.read_bytes() == b"new content"
    assert listing(tmp_path) == ["f"]
