"""The Linux bundle: its size, and the time from starting it to its painted unlock window,
side by side with the pip-installed app in the same run (packaging/README.md).

    python -m bench.bundle --bundle dist/blocktrack-vault-<version>-linux-x86_64 [--runs 5]

Each start is a new process on the real X11 platform (xcb) of an Xvfb of its own, with an
existing vault (so the window is the unlock window, as for a returning user). The clock
runs from just before the process is spawned until the X server shows a mapped top-level
window called "Blocktrack Vault" whose picture is not one flat colour (Qt has painted it);
then the window is closed. Budget (issue 23): ≤ 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import machine_line, print_report

START_BUDGET_S = 1.5
TITLE = "Blocktrack Vault"


def _xvfb() -> tuple[subprocess.Popen, str]:
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen([shutil.which("Xvfb"), "-displayfd", str(write_fd), "-screen", "0", "1280x800x24",
                               "-nolisten", "tcp", "-noreset"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write_fd)
    select.select([read_fd], [], [], 30)
    number = os.read(read_fd, 32).decode().strip()
    # read_fd stays open while the server runs: closing it gets Xvfb killed by SIGPIPE.
    return server, f":{number}"


def _painted_window(display, root):
    """The app's mapped, painted top-level window, or None."""
    from PIL import Image, ImageStat
    from Xlib import X

    for child in root.query_tree().children:
        try:
            if child.get_wm_name() != TITLE or child.get_attributes().map_state != X.IsViewable:
                continue
            g = child.get_geometry()
            raw = root.get_image(g.x, g.y, g.width, g.height, X.ZPixmap, 0xFFFFFFFF)
        except Exception:  # noqa: BLE001 - a window going away between the calls: not it
            continue
        picture = Image.frombytes("RGB", (g.width, g.height), raw.data, "raw", "BGRX")
        if ImageStat.Stat(picture.convert("L")).stddev[0] >= 5:
            return child
    return None


def time_start(app: Path, home: Path, display, display_name: str) -> float:
    root = display.screen().root
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "PYTHONPATH")}
    env.update(QT_QPA_PLATFORM="xcb", DISPLAY=display_name, BLOCKTRACK_VAULT_HOME=str(home))
    start = time.perf_counter()
    process = subprocess.Popen([str(app)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while _painted_window(display, root) is None:
            if process.poll() is not None:
                raise RuntimeError(f"{app} ended ({process.returncode}) before its window showed")
            if time.perf_counter() - start > 120:
                raise RuntimeError(f"{app} showed no window within 120 s")
            time.sleep(0.005)   # polling the X server: 5 ms of resolution is enough here
        return time.perf_counter() - start
    finally:
        process.kill()
        process.wait(10)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    from vault.identity import Identity

    apps = {"bundle": args.bundle / "blocktrack-vault", "pip install": Path(sys.executable).parent / "blocktrack-vault"}
    from Xlib import display as xdisplay

    server, display_name = _xvfb()
    display = xdisplay.Display(display_name)   # one client throughout: the server never resets
    try:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "vault"
            Identity.create(home, "benchmark passphrase", kdf_target=0)[0].store.lock()
            times = {name: [] for name in apps}
            for _ in range(args.runs):   # interleaved: a busy moment hurts both alike
                for name, app in apps.items():
                    times[name].append(time_start(app, home, display, display_name))
    finally:
        display.close()
        server.terminate()
        server.wait(10)
    medians = {name: statistics.median(values) for name, values in times.items()}
    size = folder_bytes(args.bundle)
    tarballs = sorted(args.bundle.parent.glob(f"{args.bundle.name}.tar.gz"))
    tar_size = tarballs[0].stat().st_size if tarballs else None
    verdict = "met" if medians["bundle"] <= START_BUDGET_S else "missed"
    table = "\n".join([
        "| what | bundle | pip install | budget |",
        "| --- | --- | --- | --- |",
        f"| start to painted unlock window (median of {args.runs}, xcb) | {medians['bundle']:.2f} s | "
        f"{medians['pip install']:.2f} s | ≤ {START_BUDGET_S} s: {verdict} |",
        f"| size on disk | {size / 2**20:.0f} MiB | | stated |",
        f"| tarball | {tar_size / 2**20:.0f} MiB |" if tar_size else "| tarball | not built | | |",
    ])
    figures = {"start_s": times, "start_median_s": medians, "size_bytes": size, "tarball_bytes": tar_size,
               "budget_s": START_BUDGET_S}
    print_report(machine_line(f"python -m bench.bundle --bundle {args.bundle}", time.perf_counter() - began),
                 table, figures)
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
