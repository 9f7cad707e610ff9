"""Build the Linux bundle: `python3 packaging/build.py [--smoke]` (packaging/README.md).

1. a build virtualenv (build/bundle-venv) with the pinned PyInstaller and this checkout
   installed as users get it (not editable);
2. PyInstaller (packaging/blocktrack-vault.spec): one folder holding Python, PySide6,
   SQLCipher, the chain stack and the app's data;
3. the folder made installable: `vault` beside `blocktrack-vault`, the desktop entry, the
   icons at the usual sizes, the credential MIME types, install.sh / uninstall.sh;
4. dist/blocktrack-vault-<version>-linux-<arch>.tar.gz, written deterministically;
5. --smoke: tests/bundle and tests/ui/test_ui_xcb.py run the built folder as a user
   would (with this Python, which needs the test extras); on success the inputs' hash is
   recorded in packaging/inputs.sha256, which tells CI it need not build again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "packaging"
NAME = "blocktrack-vault"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
# What the bundle is made from besides the app's own code; CI rebuilds when their hash
# changes (.ci/run compares it with packaging/inputs.sha256).
INPUTS = ("pyproject.toml", "packaging/requirements.txt", "packaging/blocktrack-vault.spec", "packaging/launcher.py",
          "packaging/build.py", "packaging/blocktrack-vault.desktop",
          "packaging/blocktrack-vault-mime.xml", "packaging/install.sh", "resources/icons/app/blocktrack-vault.svg")


def inputs_hash() -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes() + b"\0")
    return digest.hexdigest()


def version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def run(*cmd, **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def build_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        run(sys.executable, "-m", "venv", venv)
    run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", HERE / "requirements.txt")
    run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check", ROOT)   # a local folder: always rebuilt
    return python


def render_icons(target: Path) -> None:
    """PNGs of the SVG icon at the sizes desktops look for, drawn by Qt's SVG renderer."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])   # noqa: F841 - Qt needs one for painting
    svg = ROOT / "resources" / "icons" / "app" / f"{NAME}.svg"
    renderer = QSvgRenderer(str(svg))
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format_ARGB32)
        image.fill(Qt.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        folder = target / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        image.save(str(folder / f"{NAME}.png"))
    scalable = target / "share" / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy(svg, scalable / f"{NAME}.svg")


def assemble(frozen: Path, target: Path, python: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(frozen, target / "lib", symlinks=True)
    (target / NAME).symlink_to(Path("lib") / NAME)
    (target / "vault").symlink_to(Path("lib") / NAME)   # the launcher answers as `vault` by its name
    applications = target / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copy(HERE / f"{NAME}.desktop", applications / f"{NAME}.desktop")
    mime = target / "share" / "mime" / "packages"
    mime.mkdir(parents=True)
    shutil.copy(HERE / f"{NAME}-mime.xml", mime / f"{NAME}.xml")
    run(python, HERE / "build.py", "--icons-into", target)   # Qt's SVG renderer is in the build venv
    for script in ("install.sh",):
        shutil.copy(HERE / script, target / script)
        (target / script).chmod(0o755)


def tarball(folder: Path, out: Path) -> Path:
    """Sorted entries, one mtime, no owners: the same bundle gives the same bytes."""
    stamp = int(os.environ.get("SOURCE_DATE_EPOCH", "1767225600"))

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.mtime, info.uid, info.gid, info.uname, info.gname = stamp, 0, 0, "", ""
        return info

    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        for path in [folder] + sorted(folder.rglob("*")):
            tar.add(path, arcname=path.relative_to(folder.parent).as_posix(), recursive=False, filter=clean)
    return out


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=ROOT / "build" / "bundle-venv")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--smoke", action="store_true", help="run the bundle's smoke tests on the result")
    parser.add_argument("--inputs-hash", action="store_true", help="print the hash of what the bundle is made "
                                                                  "from (CI compares it with packaging/inputs.sha256)")
    parser.add_argument("--no-tarball", action="store_true")
    parser.add_argument("--icons-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inputs_hash:
        print(inputs_hash())
        return 0
    if args.icons_into:
        render_icons(args.icons_into)
        return 0
    started = time.monotonic()
    python = build_venv(args.venv)
    work = ROOT / "build" / "pyinstaller"
    run(python, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", work / "dist",
        "--workpath", work / "work", HERE / f"{NAME}.spec", cwd=ROOT)
    label = f"{NAME}-{version()}-linux-{platform.machine()}"
    target = args.dist / label
    assemble(work / "dist" / NAME, target, python)
    info = {"name": label, "inputs_sha256": inputs_hash(), "python": platform.python_version(),
            "size_bytes": folder_size(target), "build_seconds": round(time.monotonic() - started)}
    (target / "BUILD-INFO.json").write_text(json.dumps(info, indent=2) + "\n")
    if not args.no_tarball:
        info["tarball"] = str(tarball(target, args.dist / f"{label}.tar.gz"))
        info["tarball_bytes"] = Path(info["tarball"]).stat().st_size
    print(json.dumps(info, indent=2))
    if args.smoke:
        env = dict(os.environ, BLOCKTRACK_BUNDLE=str(target), BLOCKTRACK_APP=str(target / NAME),
                   PYTHONPATH=str(ROOT))   # the tests' helpers from this checkout, whatever is installed
        run(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/bundle", "tests/ui/test_ui_xcb.py",
            cwd=ROOT, env=env)
        (HERE / "inputs.sha256").write_text(info["inputs_sha256"] + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
